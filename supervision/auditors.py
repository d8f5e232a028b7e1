"""Special checks of high-risk auditors (高风险认证审核员专项检查): the ranked list.

**Internal only.** Auditors are people, named by their registration id: this
list is for the supervisors who plan the special checks and must never be
published, attached to a public list or shown beside a body's public results.
The public outputs of the engine (the public draw list, the published
inspection results) carry no auditor column, and nothing of this module may
be joined into them.

Each auditor active in the 12 months before the as-of date gets the
indicators of :mod:`features.builders.auditors` (over every body they audit
for, shrunk toward all auditors), a score (the anomalies against the other
auditors of the same bodies, the short audits, the bodies, the workload), the
reasons in words and the bodies they audit for. The rule that marks an
auditor high-risk and the reasons for it are in docs/auditors.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.builders.auditors import INDICATORS, SCORED, auditor_indicators
from features.codes import LANGUAGES
from features.tables import Tables

# An indicator is named among the reasons when its share of the score reaches this (log units):
REASON_FLOORS = {
    "missing_checkin_rate": np.log(1.5),  # 1.5 times what the other auditors of the same bodies have
    "late_checkin_rate": np.log(1.5),
    "far_checkin_rate": np.log(1.5),
    "double_booking_rate": np.log(1.5),
    "short_audit_index": -np.log(0.9),  # audits 10 % shorter than the scheme's peers
    "audits_per_day": 1e-9,  # more audit days than working days: any excess
    "n_bodies": 1e-9,  # more than one body: any
}
LABELS = {
    "rank": ("rank", "排序"),
    "auditor_id": ("auditor id", "审核员编号"),
    "high_risk": ("high-risk", "高风险"),
    "score": ("score", "风险分值"),
    "reasons": ("reasons", "原因"),
    "bodies": ("bodies audited for", "执业认证机构"),
    "n_bodies": ("number of bodies", "认证机构数"),
    "audits_12m": ("audits in 12 months", "近12个月审核次数"),
    "missing_checkin_rate": ("audits without check-in", "未签到审核比例"),
    "late_checkin_rate": ("check-ins > 2 h late", "签到迟于2小时比例"),
    "far_checkin_rate": ("check-ins > 5 km from the site", "签到距离超5公里比例"),
    "double_booking_rate": ("audits booked at two organisations at once", "同时段多地审核比例"),
    "short_audit_index": ("audit time below peers", "审核时间低于同领域水平"),
    "audits_per_day": ("audit days per working day", "每工作日审核天数"),
}
SCORE_DECIMALS = 4
COLUMNS = ("rank", "auditor_id", "high_risk", "score", "reasons", "bodies", *INDICATORS)


def _times(term: float) -> float:
    return float(np.exp(term))


def _phrase(name: str, row: pd.Series, lang: str) -> str:
    """One indicator of one auditor in words."""
    value, term = float(row[name]), float(row[f"{name}_term"])
    en = lang == "en"
    if name == "short_audit_index":
        shorter = 1 - np.exp(-value)
        return (
            f"audits {shorter:.0%} shorter than peers of the same scheme" if en else f"审核时间比同领域短{shorter:.0%}"
        )
    if name == "audits_per_day":
        return (
            f"{value:.2f} audit days per working day (more than one person can attend)"
            if en
            else f"每个工作日{value:.2f}个审核日（超出一人所能承担）"
        )
    if name == "n_bodies":
        bodies = str(row["bodies"]).replace(";", ", ")
        return f"audits for {value:.0f} bodies ({bodies})" if en else f"为{value:.0f}家认证机构审核（{bodies}）"
    what = {
        "missing_checkin_rate": ("no check-in on", "未签到审核占"),
        "late_checkin_rate": ("check-in more than 2 h late on", "签到迟于2小时占"),
        "far_checkin_rate": ("check-in more than 5 km from the site on", "签到距离超5公里占"),
        "double_booking_rate": ("booked at another organisation at the same time on", "同一时段在另一组织审核占"),
    }[name]
    if en:
        return f"{what[0]} {value:.1%} of audits ({_times(term):.1f} x the other auditors of the same bodies)"
    return f"{what[1]}{value:.1%}（为同机构其他审核员的{_times(term):.1f}倍）"


def auditor_reasons(row: pd.Series, lang: str = "en") -> str:
    """The reasons of one auditor's score in words, largest share of the score first.

    ``row``: one row of :func:`features.builders.auditors.auditor_indicators`.
    An indicator is named when its share of the score reaches its
    :data:`REASON_FLOORS` entry.

    >>> row = pd.Series({"missing_checkin_rate": 0.12, "missing_checkin_rate_term": np.log(4.0),
    ...     "n_bodies": 2.0, "n_bodies_term": np.log(2.0), "bodies": "CB00001;CB00007"})
    >>> print(auditor_reasons(row))
    no check-in on 12.0% of audits (4.0 x the other auditors of the same bodies); audits for 2 bodies (CB00001, CB00007)
    >>> print(auditor_reasons(row, "zh"))
    未签到审核占12.0%（为同机构其他审核员的4.0倍）；为2家认证机构审核（CB00001, CB00007）
    """
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
    named = [n for n in SCORED if f"{n}_term" in row and float(row[f"{n}_term"]) >= REASON_FLOORS[n]]
    named.sort(key=lambda n: -float(row[f"{n}_term"]))
    if not named:
        return "no indicator stands out" if lang == "en" else "无突出指标"
    return ("; " if lang == "en" else "；").join(_phrase(n, row, lang) for n in named)


def auditor_list(
    tables: Tables, as_of: str | pd.Timestamp, lang: str = "en", high_risk_only: bool = True
) -> pd.DataFrame:
    """Auditors ranked for special checks, highest score first. INTERNAL ONLY (auditors are people).

    Parameters
    ----------
    tables : mapping of table name -> DataFrame; only ``audits`` is read
    as_of : the audits known before this date, of its last 12 months, count
    lang : {"en", "zh"}: the language of the headers and of the reasons
    high_risk_only : list the high-risk auditors only (default), or every auditor active in the window

    Returns
    -------
    DataFrame with the :data:`COLUMNS` (headers in ``lang``): rank, auditor_id,
    high_risk, score (to :data:`SCORE_DECIMALS` places; ties ranked by id),
    reasons, bodies (``;``-separated ids) and the indicators.

    Examples
    --------
    >>> t = pd.Timestamp("2025-03-03 09:00")
    >>> audits = pd.DataFrame({"audit_id": ["A1", "A2"], "body_id": ["B1", "B2"], "auditor_id": ["X", "X"],
    ...     "org_id": ["O1", "O2"], "scheme": ["QMS", "QMS"], "planned_start": [t, t],
    ...     "planned_end": [t + pd.Timedelta(hours=8)] * 2, "checkin_at": [t, pd.NaT],
    ...     "checkout_at": [t + pd.Timedelta(hours=8), pd.NaT], "checkin_distance_km": [0.3, None],
    ...     "remote": [False, False]})
    >>> ranked = auditor_list({"audits": audits}, "2025-06-01", high_risk_only=False)
    >>> ranked[["rank", "auditor id", "high-risk", "bodies audited for"]].values.tolist()
    [[1, 'X', False, 'B1;B2']]
    >>> print(ranked.loc[0, "reasons"])  # one auditor: every rate is the population's
    audits for 2 bodies (B1, B2)
    >>> list(auditor_list({"audits": audits}, "2025-06-01", lang="zh", high_risk_only=False).columns[:3])
    ['排序', '审核员编号', '高风险']
    """
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
    table = auditor_indicators(tables, as_of)
    table["score"] = table["score"].round(SCORE_DECIMALS)  # equal records tie exactly, then rank by id
    table = table.sort_values(["score", "auditor_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    if high_risk_only:
        table = table[table["high_risk"]].reset_index(drop=True)
    table["reasons"] = pd.Series([auditor_reasons(row, lang) for _, row in table.iterrows()], dtype="str")
    k = LANGUAGES.index(lang)
    return table[list(COLUMNS)].rename(columns={c: LABELS[c][k] for c in COLUMNS})
