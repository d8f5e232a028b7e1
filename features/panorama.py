"""The panoramic profile (全景画像) of one body: each feature beside the
population's percentiles, with abnormal values flagged in plain words, so an
inspector sees where to start."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import LANGUAGES
from .dictionary import FEATURES, FeatureSpec

ABNORMAL_PERCENTILE = 95.0  # flagged when beyond this percentile in the risky direction

_TEXT = {
    "en": {
        "yes": "yes",
        "no": "no",
        "peers": "peers {median}",
        "above": "higher than {pct:.0f}% of bodies",
        "below": "lower than {pct:.0f}% of bodies",
    },
    "zh": {
        "yes": "是",
        "no": "否",
        "peers": "同行中位数 {median}",
        "above": "高于 {pct:.0f}% 的机构",
        "below": "低于 {pct:.0f}% 的机构",
    },
}


def format_value(value: float, spec: FeatureSpec, lang: str = "en") -> str:
    """A feature value as a reader expects it: percentages, counts, yes / no."""
    if spec.kind == "rate":
        return f"{value:.1%}"
    if spec.kind == "flag":
        return _TEXT[lang]["yes" if value >= 0.5 else "no"]
    if spec.kind == "count":
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _percentiles(table: pd.DataFrame, names: list[str], row: pd.Series) -> np.ndarray:
    """Mid-rank percentile of the body's value within the population (ties split)."""
    values = table[names].to_numpy(dtype=float)
    own = row[names].to_numpy(dtype=float)
    below = (values < own).sum(axis=0)
    equal = (values == own).sum(axis=0)
    return 100.0 * (below + 0.5 * equal) / len(values)


def _note(spec: FeatureSpec, value: float, median: float, pct: float, lang: str) -> str:
    text = _TEXT[lang]
    label = spec.label_en if lang == "en" else spec.label_zh
    share = min(np.floor(pct if spec.direction > 0 else 100 - pct), 99)  # never "more than 100 %"
    side = (text["above"] if spec.direction > 0 else text["below"]).format(pct=share)
    peers = text["peers"].format(median=format_value(median, spec, lang))
    sep = ("; ", ": ", " (", ")") if lang == "en" else ("；", "：", "（", "）")
    return f"{label}{sep[1]}{format_value(value, spec, lang)}{sep[2]}{peers}{sep[0]}{side}{sep[3]}"


def panoramic_profile(features: pd.DataFrame, body_id: str, lang: str = "en") -> pd.DataFrame:
    """One body's features beside the population, abnormal values flagged.

    Parameters
    ----------
    features : DataFrame
        A feature table for one as-of date (from :func:`features.build_features`);
        the population is every body in it.
    body_id : str
    lang : {"en", "zh"}

    Returns
    -------
    DataFrame with one row per feature: feature, family, label, value, peer_median,
    percentile (0-100, mid-rank), abnormal (bool) and note (the flag in words,
    empty when not abnormal). Abnormal rows come first.

    Examples
    --------
    >>> from features.dictionary import FEATURE_NAMES
    >>> values = {name: np.zeros(10) for name in FEATURE_NAMES}
    >>> values["complaints_12m"] = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 9.0])
    >>> ids = [f"CB{i}" for i in range(10)]
    >>> table = pd.DataFrame({"body_id": ids, "as_of": pd.Timestamp("2026-10-01"), **values})
    >>> profile = panoramic_profile(table, "CB9")
    >>> list(profile.columns)[:3]
    ['feature', 'family', 'label']
    >>> print(profile.loc[0, "note"])
    complaints in 12 months: 9 (peers 1; higher than 95% of bodies)
    """
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
    if features["as_of"].nunique() > 1:
        raise ValueError("`features` must hold one as-of date; build them with build_features(data, as_of).")
    match = features[features["body_id"] == body_id]
    if match.empty:
        raise ValueError(f"body {body_id!r} is not in the feature table (unknown, or approved after the as-of date).")
    row = match.iloc[0]
    names = [f.name for f in FEATURES]
    pct = _percentiles(features, names, row)
    medians = features[names].median()
    rows = []
    for spec, p in zip(FEATURES, pct):
        value, median = float(row[spec.name]), float(medians[spec.name])
        risky = (spec.direction > 0 and p >= ABNORMAL_PERCENTILE and value > median) or (
            spec.direction < 0 and p <= 100 - ABNORMAL_PERCENTILE and value < median
        )
        rows.append(
            {
                "feature": spec.name,
                "family": spec.family,
                "label": spec.label_en if lang == "en" else spec.label_zh,
                "value": format_value(value, spec, lang),
                "peer_median": format_value(median, spec, lang),
                "percentile": round(p, 1),
                "abnormal": risky,
                "note": _note(spec, value, median, p, lang) if risky else "",
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values("abnormal", ascending=False, kind="stable").reset_index(drop=True)
