"""The estimates section: the population estimates with their 95 % intervals, as a figure and a table.

Built from a table with ``scope``, ``domain`` and ``estimate`` and optionally
``se``, ``ci_low``, ``ci_high``, ``n``, ``naive_rate``, ``estimator``,
``width_ratio``, ``since`` and ``as_of`` (``certrisk estimate``); the figure
needs the interval. Model-assisted (difference) rows, which follow the Hajek
row of their domain, are named in words with the width of their interval
against Hajek's ("0.71: 29 % narrower"). Every row carries its reliability
note (:mod:`..reliability`): the flag of ``estimates.csv`` with its reason, or
the same rule applied here when the table has no flag; unstable and suppressed
rows are marked in the table and the figure.
"""

from __future__ import annotations

import pandas as pd

from ..cells import _pct
from ..document import _Doc
from ..figures import _estimates_figure, _Figures
from ..reliability import Flag, flags, note, rule, suppress
from ..text import ASSISTED, code_name, domain_name


def _estimates_section(doc: _Doc, figs: _Figures, est: pd.DataFrame, lang: str, t: dict[str, str]) -> None:
    """Add the estimates, their window of inspections, figure and table, every row with its reliability note."""
    row_flags = flags(est)
    est = suppress(est, row_flags)
    doc.heading(2, t["estimates"])
    doc.para(t["estimates_note"])
    if "estimator" in est and est["estimator"].isin(ASSISTED).any():
        doc.para(t["assisted_note"])
    if {"since", "as_of"} <= set(est.columns) and est["since"].nunique() == 1 and est["as_of"].nunique() == 1:
        doc.para(t["window"].format(since=est["since"].iloc[0], as_of=est["as_of"].iloc[0]))
    doc.para(rule(lang))
    cautions = sum(f.label != "reliable" for f in row_flags)
    if cautions:
        doc.para(t["cautions"].format(n=cautions, total=len(row_flags)), cls="caution")
    if {"ci_low", "ci_high"} <= set(est.columns):
        labels = [f.label for f in row_flags]
        doc.image(figs.save(_estimates_figure(est, lang, labels), "estimates"), t["estimates"])
    doc.table(_estimates_table(est, lang, t, row_flags), [f.label if f.label != "reliable" else "" for f in row_flags])


def _estimates_table(est: pd.DataFrame, lang: str, t: dict[str, str], row_flags: list[Flag]) -> pd.DataFrame:
    """One row per estimate; the optional columns appear when the estimates have them."""
    name = lambda v: code_name("scope", v, lang)  # noqa: E731
    table = pd.DataFrame(
        {
            t["scope"]: est["scope"].map(name),
            t["domain"]: [domain_name(s, d, lang) for s, d in zip(est["scope"], est["domain"], strict=True)],
            t["estimate"]: est["estimate"].map(_pct),
        }
    )
    if "se" in est:
        table[t["se"]] = est["se"].map(_pct)
    if {"ci_low", "ci_high"} <= set(est.columns):
        table[t["ci"]] = [
            f"{_pct(lo)} - {_pct(hi)}" if not (pd.isna(lo) and pd.isna(hi)) else ""
            for lo, hi in zip(est["ci_low"], est["ci_high"])
        ]
    if "n" in est:
        table[t["n"]] = est["n"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    if "naive_rate" in est:
        table[t["naive_rate"]] = est["naive_rate"].map(_pct)
    if "estimator" in est:
        table[t["estimator"]] = est["estimator"].fillna("").astype(str).map(lambda v: code_name("estimator", v, lang))
    if "width_ratio" in est and "estimator" in est:
        table[t["width_ratio"]] = [_width(r, e, t) for r, e in zip(est["width_ratio"], est["estimator"])]
    table[t["reliability"]] = [note(flag, lang) for flag in row_flags]
    return table


def _width(ratio: object, estimator: object, t: dict[str, str]) -> str:
    """The width ratio in words: "reference" for Hajek, "0.71: 29 % narrower" for a model-assisted row."""
    if estimator not in ASSISTED:
        return t["reference"] if isinstance(ratio, float | int) and not pd.isna(ratio) else ""
    if not isinstance(ratio, float | int) or pd.isna(ratio):
        return ""
    shown, change = f"{float(ratio):.2f}", round(abs(1 - float(ratio)) * 100)
    key = "as_wide" if change == 0 else ("narrower" if ratio < 1 else "wider")
    return t[key].format(ratio=shown, pct=change)
