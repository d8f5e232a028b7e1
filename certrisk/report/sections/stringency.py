"""The section on unifying enforcement standards (统一执法尺度): who finds more or less than expected.

Built from an inspector table (``certrisk stringency``: ``inspector_id``,
``stringency``, ``ci_low``, ``ci_high``, ``n_inspections``, ``assessment_en``
and optionally ``unit``, ``province``, ``as_of``): the counts of each
assessment, a figure of every inspected inspector's estimate with its 95 %
interval, the inspectors whose interval excludes 0, and the provinces.

Every word in both languages, in the catalogue (:mod:`certrisk.catalogue.stringency`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from features.codes import province_name
from riskmodel.figures.style import new_figure

from ...catalogue import words as catalogue_words
from ...errors import KeyedError
from ..document import _Doc
from ..figures import _Figures, _font_kwargs

REQUIRED = ("inspector_id", "stringency", "ci_low", "ci_high", "n_inspections", "assessment_en")
MORE, LESS, IN_LINE, NONE = (
    "finds more than expected",
    "finds less than expected",
    "in line with expectations",
    "no inspections in the data",
)  # riskmodel.stringency.WORDS, English
ASSESSMENTS = {"more": MORE, "less": LESS, "in_line": IN_LINE, "none": NONE}


def check_stringency_table(table: pd.DataFrame, shown: str) -> pd.DataFrame:
    """The inspector table with the columns the section needs (a ValueError naming ``stringency`` otherwise)."""
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        columns, lacking = ", ".join(REQUIRED), ", ".join(missing)
        raise KeyedError("report_errors.columns", name="stringency", columns=columns, shown=shown, missing=lacking)
    if table.empty:
        raise KeyedError("report_errors.no_rows", name="stringency", shown=shown)
    out = table.copy()
    for column in ("stringency", "ci_low", "ci_high", "n_inspections"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    for column in ("unit", "province"):
        out[column] = out[column].fillna("").astype(str) if column in out else ""
    return out


def _stringency_section(doc: _Doc, figs: _Figures, table: pd.DataFrame, lang: str) -> None:
    """Add the section: counts, the figure, the inspectors whose interval excludes 0, the provinces."""
    w = catalogue_words(lang, "stringency")
    doc.heading(2, w["heading"] if lang == "zh" else f"{w['heading']} (统一执法尺度)")
    doc.para(w["note"])
    if "as_of" in table and table["as_of"].nunique() == 1:
        doc.para(w["as_of"].format(as_of=str(table["as_of"].iloc[0])[:10]))
    shown = table["assessment_en"].value_counts()
    keys = ASSESSMENTS
    doc.para(w["counts"].format(**{key: int(shown.get(words, 0)) for key, words in keys.items()}))
    seen = table[table["n_inspections"] > 0]
    if len(seen):
        doc.image(figs.save(_caterpillar(seen, lang), "stringency"), w["fig_title"])
    flagged = table[table["assessment_en"].isin([MORE, LESS])].sort_values("stringency", ascending=False)
    doc.heading(3, w["flagged"])
    if flagged.empty:
        doc.para(w["none_flagged"])
    else:
        doc.table(_inspector_rows(flagged, lang, w))
    if (seen["province"] != "").any():
        doc.heading(3, w["provinces"])
        doc.table(_province_rows(seen, w, lang))


def _inspector_rows(flagged: pd.DataFrame, lang: str, w: dict[str, str]) -> pd.DataFrame:
    said = {english: w[f"assessment_{key}"] for key, english in ASSESSMENTS.items()}
    words = flagged["assessment_en"].map(lambda a: said.get(a, a))
    return pd.DataFrame(
        {
            w["inspector"]: flagged["inspector_id"].astype(str),
            w["unit"]: flagged["unit"],
            w["province"]: flagged["province"].map(lambda code: province_name(code, lang)),
            w["stringency"]: flagged["stringency"].map(lambda v: f"{v:+.2f}"),
            w["odds"]: np.exp(flagged["stringency"]).map(lambda v: f"{v:.2f}"),
            w["ci"]: [
                f"{lo:+.2f} {w['to']} {hi:+.2f}" for lo, hi in zip(flagged["ci_low"], flagged["ci_high"], strict=True)
            ],
            w["n"]: flagged["n_inspections"].astype(int).astype(str),
            w["assessment"]: words,
        }
    )


def _province_rows(seen: pd.DataFrame, w: dict[str, str], lang: str) -> pd.DataFrame:
    """Per province (by its name, in code order): inspectors, inspections taken part in, their weighted mean
    stringency, who finds more or less."""
    rows = []
    for province, group in seen.groupby("province", sort=True):
        weight = group["n_inspections"].to_numpy(dtype=float)
        rows.append(
            {
                w["province"]: province_name(province, lang),
                w["inspectors"]: str(len(group)),
                w["taken_part"]: str(int(weight.sum())),
                w["mean"]: f"{np.average(group['stringency'], weights=weight):+.2f}",
                w["more"]: str(int((group["assessment_en"] == MORE).sum())),
                w["less"]: str(int((group["assessment_en"] == LESS).sum())),
            }
        )
    return pd.DataFrame(rows)


def _caterpillar(seen: pd.DataFrame, lang: str) -> Figure:
    """Every inspected inspector's estimate and 95 % interval, sorted; those whose interval excludes 0 in colour."""
    font, _, shown_lang = _font_kwargs(lang)
    w = catalogue_words(shown_lang, "stringency")
    ordered = seen.sort_values("stringency").reset_index(drop=True)
    fig = new_figure(8, 4)
    ax = fig.add_subplot()
    x = np.arange(len(ordered))
    colors: Any = np.where(
        ordered["assessment_en"] == MORE, "#c8553d", np.where(ordered["assessment_en"] == LESS, "#1f5f8b", "#9a9a9a")
    )
    ax.vlines(x, ordered["ci_low"], ordered["ci_high"], colors=colors, linewidth=0.8, alpha=0.7)
    ax.scatter(x, ordered["stringency"], c=colors, s=8, zorder=3)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks([])
    ax.set_xlabel(w["fig_x"], **font)
    ax.set_ylabel(w["fig_y"], **font)
    ax.set_title(w["fig_title"], **font)
    return fig
