"""The feature dictionary: every feature's name, labels, definition, window and
the direction in which it is expected to move risk (+1 up, -1 down, 0 unknown),
used for monotone constraints in the risk model and for abnormal-value flags."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from .codes import HIGH_RISK_FIELDS
from .rules import NEW_YEARS, NEWLY_APPROVED_RULE

# Windows (days) and constants, named once.
YEAR = 365
THREE_YEARS = 3 * 365
SIGNAL_DECAY_DAYS = 180
FAR_KM = 5.0
LATE_HOURS = 2.0
RATE_PSEUDO_AUDITS = 20  # shrinkage of audit rates toward the population rate
WORKDAYS_PER_YEAR = 250  # working days in 12 months: the most audit days one auditor can attend
AUDITOR_HIGH_RISK_SCORE = 2.3  # an auditor is high-risk from this score on (about log 10, see docs/auditors.md)
SERIOUS_PSEUDO_INSPECTIONS = 3  # empirical-Bayes prior strength for serious rates
PROBLEM_PSEUDO_CERTS = 20


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    family: str
    label_en: str
    label_zh: str
    definition: str
    window: str
    direction: int
    kind: str  # count | rate | flag | real


F = FeatureSpec
FEATURES: tuple[FeatureSpec, ...] = (
    # --- profile -------------------------------------------------------------------
    F(
        "age_years",
        "profile",
        "years since approval",
        "获批年限",
        "years from approved_on to the as-of date",
        "point",
        -1,
        "real",
    ),
    F(
        "newly_approved",
        "profile",
        f"newly approved (< {NEW_YEARS:g} years)",
        "新获批机构",
        f"1 if {NEWLY_APPROVED_RULE}",
        "point",
        1,
        "flag",
    ),
    F(
        "ccc_designated",
        "profile",
        "CCC-designated",
        "CCC指定机构",
        "1 if designated for compulsory product certification",
        "point",
        -1,
        "flag",
    ),
    F(
        "accredited",
        "profile",
        "accredited (CNAS)",
        "获得认可",
        "1 if the body holds accreditation",
        "point",
        -1,
        "flag",
    ),
    F(
        "n_fields",
        "profile",
        "number of certification fields",
        "认证领域数",
        "number of field codes approved",
        "point",
        0,
        "count",
    ),
    F(
        "high_risk_fields",
        "profile",
        "high-risk fields held",
        "高风险领域数",
        f"number of {', '.join(HIGH_RISK_FIELDS)} among the fields",
        "point",
        1,
        "count",
    ),
    F(
        "field_organic",
        "profile",
        "organic products field",
        "有机产品认证",
        "1 if ORGANIC is among the fields",
        "point",
        1,
        "flag",
    ),
    F(
        "field_ipms",
        "profile",
        "IP management field",
        "知识产权管理体系认证",
        "1 if IPMS is among the fields",
        "point",
        1,
        "flag",
    ),
    F(
        "field_enms",
        "profile",
        "energy management field",
        "能源管理体系认证",
        "1 if EnMS is among the fields",
        "point",
        1,
        "flag",
    ),
    F(
        "log_valid_certs",
        "profile",
        "size (log valid certificates)",
        "规模（有效证书数对数）",
        "log(1 + certificates valid on the as-of date)",
        "point",
        0,
        "real",
    ),
    # --- inspection history ----------------------------------------------------------
    F(
        "n_inspections",
        "history",
        "past inspections",
        "既往检查次数",
        "inspections of any kind before the as-of date",
        "all",
        0,
        "count",
    ),
    F(
        "n_inspections_3y",
        "history",
        "inspections in 3 years",
        "近3年检查次数",
        "inspections of any kind in the last 3 years",
        "3 years",
        0,
        "count",
    ),
    F(
        "complaint_inspections_3y",
        "history",
        "complaint checks in 3 years",
        "近3年投诉核查次数",
        "inspections of kind complaint in the last 3 years",
        "3 years",
        1,
        "count",
    ),
    F(
        "years_uninspected",
        "history",
        "years without inspection",
        "未受检查年限",
        "years since the last inspection (since approval if never inspected)",
        "all",
        1,
        "real",
    ),
    F(
        "last_outcome_level",
        "history",
        "last outcome (0 none .. 3 severe)",
        "最近一次检查结论等级",
        "0 none, 1 general, 2 major, 3 severe at the last inspection; 0 if never inspected",
        "all",
        1,
        "real",
    ),
    F(
        "serious_count_3y",
        "history",
        "serious findings in 3 years",
        "近3年严重问题次数",
        "inspections with outcome major or severe in the last 3 years",
        "3 years",
        1,
        "count",
    ),
    F(
        "serious_rate_eb",
        "history",
        "serious rate (shrunk)",
        "严重问题率（收缩估计）",
        "(serious + 3 p0) / (inspections + 3): serious share of past inspections shrunk toward the population rate p0 (weighted estimate from random inspections before the as-of date)",
        "all",
        1,
        "rate",
    ),
    F(
        "problem_cert_rate_eb",
        "history",
        "problem-certificate rate (shrunk)",
        "问题证书率（收缩估计）",
        "(problem certificates + 20 r0) / (certificates checked + 20), r0 the population rate before the as-of date",
        "all",
        1,
        "rate",
    ),
    # --- monitoring signals -----------------------------------------------------------
    F(
        "complaints_12m",
        "signals",
        "complaints in 12 months",
        "近12个月投诉举报",
        "signals of kind complaint in the last 12 months",
        "12 months",
        1,
        "count",
    ),
    F(
        "risk_alerts_12m",
        "signals",
        "monitoring alerts in 12 months",
        "近12个月风险监测预警",
        "signals of kind risk_alert in the last 12 months",
        "12 months",
        1,
        "count",
    ),
    F(
        "penalties_3y",
        "signals",
        "penalties in 3 years",
        "近3年行政处罚",
        "signals of kind penalty in the last 3 years",
        "3 years",
        1,
        "count",
    ),
    F(
        "media_12m",
        "signals",
        "media reports in 12 months",
        "近12个月舆情",
        "signals of kind media in the last 12 months",
        "12 months",
        1,
        "count",
    ),
    F(
        "referrals_12m",
        "signals",
        "referrals in 12 months",
        "近12个月转办线索",
        "signals of kind referral in the last 12 months",
        "12 months",
        1,
        "count",
    ),
    F(
        "signals_decayed",
        "signals",
        "recent signal weight",
        "信号衰减加权",
        "sum of severity x exp(-age / 180 days) over all signals of the last 3 years",
        "3 years, half-life 125 days",
        1,
        "real",
    ),
    F(
        "high_severity_12m",
        "signals",
        "high-severity signals in 12 months",
        "近12个月高严重度信号",
        "signals of severity 3 in the last 12 months",
        "12 months",
        1,
        "count",
    ),
    F(
        "blacklisted_3y",
        "signals",
        "on the serious-dishonesty list",
        "列入严重违法失信名单",
        "1 if a blacklist signal in the last 3 years",
        "3 years",
        1,
        "flag",
    ),
    F(
        "unreachable_12m",
        "signals",
        "reported unreachable",
        "失联",
        "1 if an unreachable signal in the last 12 months",
        "12 months",
        1,
        "flag",
    ),
    F(
        "accreditation_suspended_12m",
        "signals",
        "accreditation suspended",
        "认可暂停",
        "1 if an accreditation_suspended signal in the last 12 months",
        "12 months",
        1,
        "flag",
    ),
    # --- audit check-ins ---------------------------------------------------------------
    F(
        "audits_12m",
        "checkins",
        "audits in 12 months",
        "近12个月审核次数",
        "audits completed in the last 12 months (latest of planned end, check-in, check-out)",
        "12 months",
        0,
        "count",
    ),
    F(
        "missing_checkin_rate",
        "checkins",
        "audits without sign-in",
        "未签到审核比例",
        "share of audits without a check-in (shrunk toward peers with 20 pseudo-audits)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "missing_checkout_rate",
        "checkins",
        "audits without sign-out",
        "未签退审核比例",
        "share of audits without a check-out (shrunk)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "far_checkin_rate",
        "checkins",
        "sign-ins > 5 km from the site",
        "签到距离超5公里比例",
        "share of audits with a known distance whose check-in was more than 5 km from the site (shrunk)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "late_checkin_rate",
        "checkins",
        "sign-ins > 2 h late",
        "签到迟于2小时比例",
        "share of checked-in audits whose check-in came more than 2 h after the planned start (shrunk)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "double_booking_rate",
        "checkins",
        "auditor booked at two sites at once",
        "审核员同时段多地审核比例",
        "share of audits whose auditor had another audit at another organisation overlapping in time (shrunk)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "short_audit_index",
        "checkins",
        "audit time below peers",
        "审核时间低于同领域水平",
        "mean over audits of log(peer mean hours of the same scheme / audit hours); > 0 means shorter than peers",
        "12 months",
        1,
        "real",
    ),
    F(
        "remote_share",
        "checkins",
        "remote audits",
        "远程审核比例",
        "share of audits done remotely (shrunk)",
        "12 months",
        1,
        "rate",
    ),
    # --- auditors ----------------------------------------------------------------------
    F(
        "high_risk_auditor_share",
        "auditors",
        "audits by high-risk auditors",
        "高风险审核员审核比例",
        "share of audits of the last 12 months whose auditor is high-risk on the as-of date: the auditor's "
        "anomalies over every body they work for, against the other auditors of the same bodies and summed in "
        f"log units, reach {AUDITOR_HIGH_RISK_SCORE:g} (docs/auditors.md)",
        "12 months",
        1,
        "rate",
    ),
    # --- certificates -----------------------------------------------------------------
    F(
        "issuance_growth",
        "certificates",
        "growth of issuance",
        "发证增长",
        "log((issued in the last 12 months + 5) / (issued in the 12 months before + 5))",
        "24 months",
        1,
        "real",
    ),
    F(
        "issuance_burst",
        "certificates",
        "burst of issuance",
        "发证突增",
        "largest quarterly issuance of the last 4 quarters / (mean quarterly issuance of the last 8 quarters + 1)",
        "24 months",
        1,
        "real",
    ),
    F(
        "suspension_rate_12m",
        "certificates",
        "certificates suspended",
        "证书暂停率",
        "certificates suspended in the last 12 months / (valid certificates + those suspended, withdrawn or expired in the last 12 months + 1)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "withdrawal_rate_12m",
        "certificates",
        "certificates withdrawn",
        "证书撤销率",
        "certificates withdrawn in the last 12 months / (valid certificates + those suspended, withdrawn or expired in the last 12 months + 1)",
        "12 months",
        1,
        "rate",
    ),
    F(
        "expiry_churn_12m",
        "certificates",
        "certificates expired",
        "证书到期流失率",
        "certificates expired in the last 12 months / (valid certificates + those suspended, withdrawn or expired in the last 12 months + 1)",
        "12 months",
        0,
        "rate",
    ),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
SPECS: dict[str, FeatureSpec] = {f.name: f for f in FEATURES}


def feature_dictionary(lang: str = "en") -> pd.DataFrame:
    """The dictionary as a table (one row per feature).

    >>> feature_dictionary().loc[0, "name"]
    'age_years'
    """
    table = pd.DataFrame([asdict(f) for f in FEATURES])
    return table if lang == "en" else table.rename(columns={"label_zh": "标签", "definition": "定义", "window": "窗口"})
