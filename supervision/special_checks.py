"""The special-check lists of the 2024-2026 plan (专项检查, main text (二)1(2)).

Each list names the bodies (or, for auditors, :mod:`supervision.auditors`) a
special check should cover, with the reason in words:

- **unreachable** (失联): the body's status on the as-of date is
  ``unreachable``, or an ``unreachable`` signal was observed in the last 12 months;
- **alerts** (风险监测预警): a monitoring alert in the last 12 months;
- **high-risk fields** (高风险领域): approved for a field the plan names
  (:data:`features.codes.HIGH_RISK_FIELDS`: QMS, organic, IPMS, EnMS, ITSMS).

>>> SPECIAL_CHECKS["unreachable"][1]
'失联机构'
"""

from __future__ import annotations

import pandas as pd

from features.codes import HIGH_RISK_FIELDS

SPECIAL_CHECKS = {
    "unreachable": ("unreachable bodies", "失联机构"),
    "alerts": ("bodies under monitoring alerts", "风险监测预警机构"),
    "high_risk_fields": ("bodies in the high-risk fields of the plan", "高风险领域机构"),
    "auditors": ("high-risk auditors", "高风险认证审核员"),
}
LIST_COLUMNS = ["body_id", "reason"]


def unreachable(status: pd.Series, features: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Bodies unreachable by status or by a signal of the last 12 months (``status`` aligned with ``features``)."""
    by_status = (status == "unreachable").to_numpy()
    by_signal = (features["unreachable_12m"] > 0).to_numpy()
    words = {
        "en": ("status unreachable", "reported unreachable in 12 months"),
        "zh": ("机构状态为失联", "近12个月报告失联"),
    }[lang]
    reason = pd.Series([_join(words, (a, b), lang) for a, b in zip(by_status, by_signal)], index=features.index)
    keep = by_status | by_signal
    return pd.DataFrame({"body_id": features.loc[keep, "body_id"], "reason": reason[keep]}).reset_index(drop=True)


def alerts(features: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Bodies with a monitoring alert in the last 12 months, the most alerted first."""
    n = features["risk_alerts_12m"]
    keep = features[n > 0].assign(n=n[n > 0]).sort_values(["n", "body_id"], ascending=[False, True])
    words = "近12个月风险监测预警 {} 次" if lang == "zh" else "{} monitoring alert(s) in 12 months"
    return pd.DataFrame(
        {"body_id": keep["body_id"], "reason": keep["n"].map(lambda k: words.format(int(k)))}
    ).reset_index(drop=True)


def high_risk_fields(bodies: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Bodies approved for a high-risk field of the plan, with the fields named."""
    held = (
        bodies["fields"].fillna("").astype(str).str.split(";").map(lambda fs: [f for f in HIGH_RISK_FIELDS if f in fs])
    )
    keep = held.map(len) > 0
    words = "高风险领域：" if lang == "zh" else "high-risk fields: "
    sep = "、" if lang == "zh" else ", "
    return pd.DataFrame(
        {"body_id": bodies.loc[keep, "body_id"], "reason": words + held[keep].map(sep.join)}
    ).reset_index(drop=True)


def _join(words: tuple[str, str], flags: tuple[bool, bool], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(w for w, on in zip(words, flags) if on)
