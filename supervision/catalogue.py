"""The catalogue of risk points (风险点) and their indicators (风险指标), versioned.

Each risk point of the 2024-2026 action plan that the data can see is mapped
to indicators; each indicator is a point-in-time body feature of
:mod:`features` (its definition, window and labels are in
:data:`features.dictionary.FEATURES`). The thresholds, points and levels are not
here: they are the regulator's to set, in the rules file
(:mod:`supervision.rules`, defaults in ``default_rules.toml``).

A change of the mapping is a new :data:`CATALOGUE_VERSION`; the version is
written into every monitor output, so a warning can always be traced to the
catalogue that raised it.

>>> RISK_POINTS["missing_onsite_audits"].label_zh
'未实施现场审核'
>>> INDICATORS["missing_checkin_rate"].risk_point
'missing_onsite_audits'
"""

from __future__ import annotations

from dataclasses import dataclass

from features.dictionary import FEATURES

CATALOGUE_VERSION = "2026.1"


@dataclass(frozen=True)
class RiskPoint:
    """A risk point (风险点): what supervision looks for, in both languages."""

    name: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class Indicator:
    """An indicator (风险指标): a body feature that points to ``risk_point`` when high."""

    name: str
    risk_point: str
    label_en: str
    label_zh: str

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


_POINTS = (
    RiskPoint("fake_certification", "fake or purchased certification", "虚假认证、买证卖证"),
    RiskPoint("missing_onsite_audits", "on-site audits not carried out", "未实施现场审核"),
    RiskPoint("double_booked_auditors", "auditors booked at two sites at once", "审核员同时段多地审核"),
    RiskPoint("issuance_burst", "burst of certificate issuance", "发证数量异常增长"),
    RiskPoint("complaint_surge", "surge of complaints and referrals", "投诉举报激增"),
    RiskPoint("penalties", "penalties and dishonesty listing", "行政处罚与失信"),
    RiskPoint("unreachable", "body unreachable", "机构失联"),
    RiskPoint("monitoring_alerts", "monitoring alerts", "风险监测预警"),
    RiskPoint("past_findings", "serious findings of past inspections", "既往检查发现严重问题"),
    RiskPoint("high_risk_auditors", "audits by high-risk auditors", "高风险审核员实施审核"),
)
RISK_POINTS: dict[str, RiskPoint] = {p.name: p for p in _POINTS}

# indicator (a feature of features.dictionary) -> its risk point
_MAPPING: dict[str, str] = {
    "problem_cert_rate_eb": "fake_certification",
    "withdrawal_rate_12m": "fake_certification",
    "suspension_rate_12m": "fake_certification",
    "missing_checkin_rate": "missing_onsite_audits",
    "missing_checkout_rate": "missing_onsite_audits",
    "far_checkin_rate": "missing_onsite_audits",
    "late_checkin_rate": "missing_onsite_audits",
    "short_audit_index": "missing_onsite_audits",
    "double_booking_rate": "double_booked_auditors",
    "issuance_burst": "issuance_burst",
    "issuance_growth": "issuance_burst",
    "complaints_12m": "complaint_surge",
    "referrals_12m": "complaint_surge",
    "media_12m": "complaint_surge",
    "penalties_3y": "penalties",
    "blacklisted_3y": "penalties",
    "unreachable_12m": "unreachable",
    "risk_alerts_12m": "monitoring_alerts",
    "accreditation_suspended_12m": "monitoring_alerts",
    "serious_count_3y": "past_findings",
    "high_risk_auditor_share": "high_risk_auditors",
}
_SPECS = {f.name: f for f in FEATURES}
STATUS_INDICATORS: dict[str, str] = {"status_unreachable": "unreachable"}  # indicator -> status value
"""Indicators from the body's status on the as-of date (``features.rules.body_status``), not from a feature:
1 when the status is that value (``status_unreachable``: 失联), else 0."""
INDICATORS: dict[str, Indicator] = {
    name: Indicator(name, point, _SPECS[name].label_en, _SPECS[name].label_zh) for name, point in _MAPPING.items()
} | {"status_unreachable": Indicator("status_unreachable", "unreachable", "status unreachable", "机构状态为失联")}
