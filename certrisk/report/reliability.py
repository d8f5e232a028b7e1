"""The reliability note of every estimate, in the report's language.

``certrisk estimate`` flags each estimate (columns ``reliability`` and
``reliability_reason``, by :func:`sampling.estimators.reliability.reliability`):
suppressed below 3 random inspections (not published), unstable below 10 or
with a coefficient of variation above 0.30, reliable otherwise. The report
shows the flag and its reason on every row; an estimates table without the
flag (an older file, a hand-made DataFrame) is flagged here by the same rule,
from ``estimate``, ``se`` and ``n_random`` (else ``n``), and a suppressed
estimate is then blanked as ``certrisk estimate`` would have.

>>> note(Flag("suppressed", "fewer than 3 random inspections (1)"), "zh")
'不公布：随机抽查少于 3 次（1 次）'
>>> note(Flag("unstable", "coefficient of variation 0.31 above 0.30"), "en")
'unstable: coefficient of variation 0.31 above 0.30; read with caution, pool more quarters (--since)'
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pandas as pd

from sampling.estimators.reliability import MAX_CV, MIN_RANDOM_PUBLISHED, MIN_RANDOM_RELIABLE, reliability

from ..catalogue import read_back, say

__all__ = ["LABELS", "Flag", "flags", "note", "rule", "suppress"]

LABELS = ("reliable", "unstable", "suppressed")  # sampling's flags, said by the catalogue (estimates.label_*)


def rule(lang: str) -> str:
    """The rule in words, shown above the estimates table."""
    cv = f"{MAX_CV:.2f}"
    return say(lang, "estimates.rule", published=MIN_RANDOM_PUBLISHED, reliable=MIN_RANDOM_RELIABLE, cv=cv)


#: The rule in words, shown above the estimates table.


class Flag(NamedTuple):
    """The reliability of one estimate: ``label`` (reliable, unstable, suppressed) and its ``reason`` in English."""

    label: str
    reason: str


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _computed(row: dict[str, Any], has_se: bool) -> Flag:
    """The flag by the rule of sampling.estimators.reliability, for a row that does not carry one."""
    n = _number(row.get("n_random", row.get("n")))
    n_random = int(n) if math.isfinite(n) else 0
    flag = reliability(_number(row.get("estimate")), _number(row.get("se")) if has_se else math.nan, n_random)
    reason = flag.reason if has_se or flag.label != "reliable" else f"{n_random} random inspections"
    return Flag(flag.label, reason)


def flags(est: pd.DataFrame) -> list[Flag]:
    """One flag per row: the table's own (``reliability``, ``reliability_reason``) where it has one, else computed."""
    has_flag, has_reason, has_se = "reliability" in est, "reliability_reason" in est, "se" in est
    out = []
    for row in est.to_dict("records"):
        label = row.get("reliability") if has_flag else None
        if isinstance(label, str) and label in LABELS:
            reason = row.get("reliability_reason") if has_reason else ""
            out.append(Flag(label, reason if isinstance(reason, str) else ""))
        else:
            out.append(_computed(row, has_se))
    return out


def _reason_zh(reason: str) -> str | None:
    """sampling's English reason in Chinese (the templates of the catalogue's area ``estimates``)."""
    return read_back("zh", reason, "estimates")


def note(flag: Flag, lang: str) -> str:
    """The flag in words: its label, its reason and, for an unstable estimate, how to read it."""
    label = say(lang, f"estimates.label_{flag.label}") if flag.label in LABELS else flag.label
    reason = flag.reason if lang == "en" else _reason_zh(flag.reason)
    sep, join = (": ", "; ") if lang == "en" else ("：", "；")
    advice = say(lang, "estimates.advice_unstable") if flag.label == "unstable" else ""
    parts = [p for p in (reason, advice) if p]
    return label + (sep + join.join(parts) if parts else "")


def suppress(est: pd.DataFrame, row_flags: list[Flag]) -> pd.DataFrame:
    """The estimates with a suppressed row's estimate, standard error and interval blanked (not published)."""
    out = est.copy()
    hidden = [f.label == "suppressed" for f in row_flags]
    for column in ("estimate", "se", "ci_low", "ci_high", "naive_rate"):
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").mask(hidden)
    return out
