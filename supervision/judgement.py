"""Judgement (风险研判): each body's warning level from the indicators crossed and the model's score.

A body's points are the points of every indicator it crosses
(:func:`supervision.indicators.indicator_hits`), plus ``top_points`` when the
model's probability of a serious finding is in the top ``top_percent`` % of
the bodies (above that percentile), plus ``rise_points`` when it rose by at
least ``rise`` since the previous quarter. The level is the highest whose
points are reached (``[levels]`` of the rules), and never below the
``min_level`` of an indicator crossed. A body with no points has no warning.

>>> LEVEL_NAMES["zh"]["red"]
'红色'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import INDICATORS, RISK_POINTS
from .indicators import peer_words
from .rules import LEVELS, Rules

LEVEL_NAMES = {
    "en": {"blue": "blue", "yellow": "yellow", "orange": "orange", "red": "red", "": ""},
    "zh": {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色", "": ""},
}
JUDGEMENT_COLUMNS = ["body_id", "points", "level", "risk_points", "reasons", "p_serious", "p_change"]


def level_rank(level: str) -> int:
    """0 for no warning, 1 blue .. 4 red."""
    return LEVELS.index(level) + 1 if level else 0


def _number(x: float) -> str:
    return f"{x:.3g}"


def hit_reason(hit: pd.Series, classes: int, lang: str) -> str:
    """One indicator crossed, in words.

    >>> row = pd.Series({"indicator": "complaints_12m", "value": 4.0, "threshold": 3.0, "basis": "absolute"})
    >>> hit_reason(row, 3, "en"), hit_reason(row, 3, "zh")
    ('complaints in 12 months 4 (threshold 3)', '近12个月投诉举报 4（阈值 3）')
    """
    label = INDICATORS[hit["indicator"]].label(lang)
    value, threshold = _number(hit["value"]), _number(hit["threshold"])
    if hit["basis"] == "absolute":
        return f"{label} {value}（阈值 {threshold}）" if lang == "zh" else f"{label} {value} (threshold {threshold})"
    peers = peer_words(hit["basis"], classes, lang)
    if lang == "zh":
        return f"{label} {value}，高于{peers}的 {threshold}"
    return f"{label} {value}, above {threshold} of {peers}"


def _score_points(p: pd.Series, p_before: pd.Series, rules: Rules, lang: str) -> tuple[pd.Series, pd.Series]:
    """Points and reasons from the model's probability (in the top percent) and its rise since last quarter."""
    zh = lang == "zh"
    cut = float(np.nanquantile(p, 1 - rules.top_percent / 100)) if p.notna().any() else np.inf
    top = (p > cut).fillna(False)
    change = p - p_before
    rise = (change >= rules.rise).fillna(False)
    top_words = (
        (
            f"模型评分居前 {rules.top_percent:g}%（严重问题概率 "
            if zh
            else f"model score in the top {rules.top_percent:g} % (P(serious) "
        )
        + p.map(_number)
        + ("）" if zh else ")")
    )
    rise_words = ("较上季度上升 " if zh else "P(serious) up ") + change.map(lambda c: f"{c:.2f}")
    rise_words = rise_words + ("" if zh else " since the previous quarter")
    parts = pd.DataFrame({"top": top_words.where(top, ""), "rise": rise_words.where(rise, "")})
    reasons = parts.apply(lambda row: "; ".join(w for w in row if w), axis=1) if len(p) else pd.Series(dtype=str)
    points = top * rules.top_points + rise * rules.rise_points
    return points.astype(int), reasons.astype(str)


def judge(
    body_ids: pd.Series, hits: pd.DataFrame, p: pd.Series, p_before: pd.Series, rules: Rules, lang: str = "en"
) -> pd.DataFrame:
    """Every body's points, level (``""`` for none), risk points and reasons in words.

    ``p`` and ``p_before`` are the model's probabilities now and at the previous
    quarter, aligned with ``body_ids`` (NaN where unknown).
    """
    index = pd.Index(body_ids.to_numpy(), name="body_id")
    p, p_before = (
        pd.Series(p.to_numpy(dtype=float), index=index),
        pd.Series(p_before.to_numpy(dtype=float), index=index),
    )
    score_points, score_reasons = _score_points(p, p_before, rules, lang)
    ordered = hits.sort_values(["points", "indicator"], ascending=[False, True], kind="stable")
    words = (
        ordered.apply(lambda h: hit_reason(h, rules.size_classes, lang), axis=1)
        if len(ordered)
        else pd.Series(dtype=str)
    )
    grouped = ordered.assign(words=words).groupby("body_id", sort=False)
    hit_points = grouped["points"].sum().reindex(index, fill_value=0)
    hit_words = grouped["words"].agg("; ".join).reindex(index, fill_value="")
    points = (hit_points + score_points).astype(int)
    floor = grouped["min_level"].agg(lambda s: max(s, key=level_rank)).reindex(index, fill_value="")
    level = _level(points, rules).combine(floor, lambda a, b: max(a, b, key=level_rank))
    reasons = (hit_words + "; " + score_reasons).str.strip("; ")
    out = pd.DataFrame(
        {
            "points": points,
            "level": level,
            "risk_points": grouped["risk_point"]
            .agg(lambda s: ";".join(dict.fromkeys(s)))
            .reindex(index, fill_value=""),
            "reasons": reasons,
            "p_serious": p,
            "p_change": p - p_before,
        }
    )
    return out.reset_index()[JUDGEMENT_COLUMNS]


def _level(points: pd.Series, rules: Rules) -> pd.Series:
    level = pd.Series("", index=points.index)
    for name in LEVELS:  # ascending: a higher level overwrites a lower one
        level = level.where(points < rules.levels[name], name)
    return level


def risk_point_words(names: str, lang: str) -> str:
    """``"unreachable;penalties"`` in words of ``lang``."""
    points = [RISK_POINTS[n] for n in names.split(";") if n]
    return "；".join(p.label_zh for p in points) if lang == "zh" else "; ".join(p.label_en for p in points)
