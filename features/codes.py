"""Canonical codes of the data contract and the Chinese aliases accepted for them.

Every enumerated column has one tuple of canonical values. ``ALIASES`` maps
a column to {alias: canonical}; the loader rewrites aliases before validation,
so the rest of the engine only ever sees canonical codes.
"""

from __future__ import annotations

# GB/T 2260 two-digit codes of the 31 provincial-level divisions (mainland).
PROVINCES: dict[str, str] = {
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
}
NATIONAL = "00"  # inspectors of SAMR itself (国家市场监管总局)
# The same divisions by their standard English (pinyin) names; NATIONAL is SAMR itself.
PROVINCES_EN: dict[str, str] = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Inner Mongolia",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Tibet",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
}
PROVINCE_NAMES: dict[str, dict[str, str]] = {
    "en": PROVINCES_EN | {NATIONAL: "SAMR"},
    "zh": PROVINCES | {NATIONAL: "国家市场监管总局"},
}


def province_name(code: object, lang: str) -> str:
    """The name of a province code (or of ``NATIONAL``) in ``lang`` (one of ``LANGUAGES``, else ``KeyError``);
    the code itself, as text, when the code is unknown; nothing when it is missing (``None``, NaN).

    >>> province_name("37", "en"), province_name("37", "zh"), province_name("00", "zh"), province_name("99", "en")
    ('Shandong', '山东', '国家市场监管总局', '99')
    """
    names, text = PROVINCE_NAMES[lang], str(code)
    if code is None or text in ("nan", "<NA>"):  # None, NaN, pandas' NA (no pandas import here)
        return ""
    return names.get(text, text)


FIELDS: tuple[str, ...] = (
    "QMS",
    "EMS",
    "OHSMS",
    "FSMS",
    "ISMS",
    "ITSMS",
    "EnMS",
    "IPMS",
    "ORGANIC",
    "PRODUCT",
    "SERVICE",
    "CCC",
    "GREEN",
    "OTHER",
)
# High-risk fields named by the 2024-2026 action plan [001 (二)1(3)].
HIGH_RISK_FIELDS: tuple[str, ...] = ("QMS", "ORGANIC", "IPMS", "EnMS", "ITSMS")

BODY_STATUSES = ("active", "suspended", "revoked", "unreachable")
# What a disposition of a warning records as done: the 三书一函 ladder of the 2024-2026 plan
# [001 annex 2 §3], mildest first, then a special check (专项检查) or anything else.
DISPOSITION_ACTIONS = (
    "reminder_letter",
    "rectification_notice",
    "interview_notice",
    "supervised_listing",
    "special_check",
    "other",
)
INSPECTION_KINDS = ("random", "targeted", "complaint")
OUTCOMES = ("none", "general", "major", "severe")
SERIOUS_OUTCOMES = ("major", "severe")
SIGNAL_KINDS = (
    "complaint",
    "risk_alert",
    "penalty",
    "blacklist",
    "accreditation_suspended",
    "unreachable",
    "media",
    "referral",
)
CERT_STATUSES = ("valid", "suspended", "withdrawn", "expired")
# A certificate with one of these statuses ended before its expiry, on status_changed_on.
CERT_ENDED_EARLY = ("suspended", "withdrawn")

# Risk grades, from low (A) to high (D), and the colour each is drawn in.
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
GRADE_COLORS: dict[str, str] = {"A": "#2e7d32", "B": "#9ccc65", "C": "#ffa726", "D": "#c62828"}
# Languages of every report, list and message.
LANGUAGES: tuple[str, ...] = ("en", "zh")

LABELS_ZH: dict[str, dict[str, str]] = {
    "status": {"active": "正常", "suspended": "暂停", "revoked": "撤销", "unreachable": "失联"},
    "inspection_kind": {"random": "随机抽查", "targeted": "定向检查", "complaint": "投诉举报核查"},
    "outcome": {"none": "未发现问题", "general": "一般问题", "major": "较严重问题", "severe": "严重问题"},
    "signal_kind": {
        "complaint": "投诉举报",
        "risk_alert": "风险监测预警",
        "penalty": "行政处罚",
        "blacklist": "严重违法失信名单",
        "accreditation_suspended": "认可暂停",
        "unreachable": "失联",
        "media": "舆情",
        "referral": "转办交办线索",
    },
    "cert_status": {"valid": "有效", "suspended": "暂停", "withdrawn": "撤销", "expired": "过期"},
}


def _invert(labels: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    aliases = {zh: code for code, zh in labels.items()}
    aliases.update(extra or {})
    return aliases


# Column -> {alias: canonical code}. Keys are (table, column).
ALIASES: dict[tuple[str, str], dict[str, str]] = {
    ("bodies", "status"): _invert(LABELS_ZH["status"], {"有效": "active", "注销": "revoked"}),
    ("inspections", "kind"): _invert(
        LABELS_ZH["inspection_kind"], {"双随机抽查": "random", "专项检查": "targeted", "投诉举报": "complaint"}
    ),
    ("inspections", "outcome"): _invert(LABELS_ZH["outcome"], {"无问题": "none"}),
    ("signals", "kind"): _invert(LABELS_ZH["signal_kind"]),
    ("certificates", "status"): _invert(LABELS_ZH["cert_status"], {"注销": "withdrawn", "撤消": "withdrawn"}),
}
