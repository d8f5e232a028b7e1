"""Every word of the profile pages, in English and Chinese (one dictionary per language, the same keys).

Feature labels come from :mod:`features.dictionary`; code labels (inspection
kinds, outcomes, signal kinds, statuses) in Chinese from
:data:`features.codes.LABELS_ZH`.
"""

from __future__ import annotations

from features.codes import LABELS_ZH

__all__ = ["CODE_LABELS", "FAMILIES", "OVERRIDES", "TEXTS", "code_label", "family_label"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "html_lang": "en",
        "title": "Panoramic profile",
        "title_of": "Panoramic profile of {body}",
        "internal": "Internal: for the supervising authority only. This page shows the body's risk grade and the reasons "
        "for it; it must not be published or given to the body.",
        "as_of": "as of {as_of}",
        "body_id": "body id",
        "name": "body",
        "province": "province",
        "status": "status on the as-of date",
        "approved_on": "approved on",
        "fields": "certification fields",
        "ccc": "CCC-designated",
        "accredited": "accredited",
        "valid_certs": "valid certificates",
        "yes": "yes",
        "no": "no",
        "population": "Compared with all {n} bodies approved before {as_of}; only records dated before {as_of} count.",
        "start_here": "Where to start: abnormal values",
        "abnormal_rule": "A value is abnormal when it is beyond the 95th percentile of all bodies in the direction "
        "that means more risk (below the 5th where a low value means risk).",
        "no_abnormal": "No value is abnormal.",
        "features": "Every feature beside its peers",
        "features_note": "Abnormal values first, then the others by family. Each small plot is the distribution over "
        "all bodies (grey bars), their median (dashed line) and this body (red when abnormal, blue otherwise).",
        "family": "family",
        "feature": "feature",
        "value": "value",
        "peer_median": "peers' median",
        "percentile": "percentile",
        "distribution": "distribution of all bodies",
        "abnormal": "abnormal",
        "strip_alt": "{label}: this body {value}, peers' median {median}, percentile {pct}",
        "timeline": "Inspections and signals",
        "timeline_note": "{inspections} inspections and {signals} signals dated before {as_of}, newest first.",
        "timeline_none": "No inspection and no signal dated before {as_of}.",
        "timeline_alt": "Timeline of the inspections and signals of {body} before {as_of}",
        "date": "date",
        "record": "record",
        "kind": "kind",
        "result": "outcome or severity",
        "details": "details",
        "inspection": "inspection",
        "signal": "signal",
        "inspections_lane": "inspections",
        "signal_legend": "signal (larger: more severe)",
        "severity": "severity {severity}",
        "findings": "{findings} findings; {checked} certificates checked, {problems} with problems",
        "drawn_in": "draw {draw_id}, inclusion probability {pi}",
        "decision": "decision: {decision}",
        "entered_by": "entered by {who}",
        "as_of_line": "as-of date",
        "grade": "Grade and reasons",
        "no_grade": "No grade was given (the grades file of `certrisk grade` is read with `--grades FILE`): "
        "this page shows no grade.",
        "not_graded": "The grades file gives no grade for this body.",
        "graded_as_of": "The grades are as of {graded}, the profile as of {as_of}.",
        "final_grade": "grade",
        "model_grade": "model grade",
        "overrides": "raised by",
        "no_override": "none (the model's grade)",
        "p_serious": "probability of a serious finding",
        "score": "score (points)",
        "reasons": "reasons (as written in the grades file)",
        "no_reasons": "none given",
        "model_version": "model version",
        "footer": "certrisk {version}: data as of {as_of}.",
        "index_title": "Panoramic profiles of the drawn bodies",
        "index_draw": "Draw {draw_id} (as of {draw_as_of}): {n} bodies drawn; profiles as of {as_of}.",
        "index_body": "body",
        "index_abnormal": "abnormal values",
        "index_first": "first abnormal value",
        "index_page": "profile",
        "index_open": "open",
    },
    "zh": {
        "html_lang": "zh-CN",
        "title": "全景画像",
        "title_of": "{body} 全景画像",
        "internal": "内部资料：仅供监管部门使用。本页载有该机构的风险等级及其原因，不得公开，不得提供给该机构。",
        "as_of": "截至 {as_of}",
        "body_id": "机构编号",
        "name": "认证机构名称",
        "province": "省份",
        "status": "基准日机构状态",
        "approved_on": "获批日期",
        "fields": "认证领域",
        "ccc": "CCC指定机构",
        "accredited": "获得认可",
        "valid_certs": "有效证书数",
        "yes": "是",
        "no": "否",
        "population": "与 {as_of} 前获批的全部 {n} 家机构比较；只计 {as_of} 之前的记录。",
        "start_here": "异常提示（从这里开始检查）",
        "abnormal_rule": "某项取值在风险方向上超出全部机构的第 95 百分位（取值越低风险越高的特征为低于第 5 百分位）即为异常。",
        "no_abnormal": "无异常取值。",
        "features": "全部特征与同行比较",
        "features_note": "异常取值在前，其余按特征类别排列。每个小图为全部机构的分布（灰色柱）、"
        "中位数（虚线）和本机构（异常为红色，否则为蓝色）。",
        "family": "类别",
        "feature": "特征",
        "value": "取值",
        "peer_median": "同行中位数",
        "percentile": "百分位",
        "distribution": "全部机构的分布",
        "abnormal": "异常",
        "strip_alt": "{label}：本机构 {value}，同行中位数 {median}，百分位 {pct}",
        "timeline": "检查与信号时间线",
        "timeline_note": "{as_of} 之前的检查 {inspections} 次、信号 {signals} 条，按时间由近及远排列。",
        "timeline_none": "{as_of} 之前没有检查，也没有信号。",
        "timeline_alt": "{body} 在 {as_of} 之前的检查与信号时间线",
        "date": "日期",
        "record": "记录",
        "kind": "类型",
        "result": "结论或严重度",
        "details": "详情",
        "inspection": "检查",
        "signal": "信号",
        "inspections_lane": "检查",
        "signal_legend": "信号（越大越严重）",
        "severity": "严重度 {severity}",
        "findings": "发现问题 {findings} 项；查验证书 {checked} 张，其中有问题 {problems} 张",
        "drawn_in": "抽查批次 {draw_id}，入样概率 {pi}",
        "decision": "处理决定：{decision}",
        "entered_by": "录入单位：{who}",
        "as_of_line": "基准日期",
        "grade": "风险等级及原因",
        "no_grade": "未提供风险等级（用 `--grades 文件` 读入 `certrisk grade` 的输出）：本页不显示风险等级。",
        "not_graded": "风险等级文件中没有该机构的等级。",
        "graded_as_of": "风险等级的基准日期为 {graded}，本画像为 {as_of}。",
        "final_grade": "风险等级",
        "model_grade": "模型等级",
        "overrides": "上调规则",
        "no_override": "无（模型等级）",
        "p_serious": "发现严重问题的概率",
        "score": "评分（分）",
        "reasons": "原因（照录风险等级文件）",
        "no_reasons": "未给出",
        "model_version": "模型版本",
        "footer": "certrisk {version}：数据截至 {as_of}。",
        "index_title": "抽中机构全景画像",
        "index_draw": "抽查批次 {draw_id}（基准日期 {draw_as_of}）：抽中 {n} 家机构；画像截至 {as_of}。",
        "index_body": "机构",
        "index_abnormal": "异常取值数",
        "index_first": "首项异常",
        "index_page": "画像",
        "index_open": "打开",
    },
}

FAMILIES: dict[str, tuple[str, str]] = {
    "profile": ("profile", "机构概况"),
    "history": ("inspection history", "检查历史"),
    "signals": ("signals", "信号"),
    "checkins": ("audit check-ins", "审核签到"),
    "certificates": ("certificates", "证书"),
    "auditors": ("auditors", "审核员"),
}

OVERRIDES: dict[str, tuple[str, str]] = {
    "revoked": ("approval revoked on the as-of date (grade D)", "基准日已撤销批准（D 级）"),
    "unreachable": ("unreachable (grade D)", "失联（D 级）"),
    "blacklist": ("on the serious-dishonesty list in 3 years (grade D)", "近3年列入严重违法失信名单（D 级）"),
    "penalty_12m": ("administrative penalty in 12 months (at least C)", "近12个月受到行政处罚（至少 C 级）"),
    "severe_12m": ("severe inspection outcome in 12 months (at least C)", "近12个月检查结论为严重问题（至少 C 级）"),
}

CODE_LABELS_EN: dict[str, dict[str, str]] = {
    "status": {"active": "active", "suspended": "suspended", "revoked": "revoked", "unreachable": "unreachable"},
    "inspection_kind": {
        "random": "random inspection",
        "targeted": "targeted inspection",
        "complaint": "complaint check",
    },
    "outcome": {
        "none": "no problem",
        "general": "general problems",
        "major": "major problems",
        "severe": "severe problems",
    },
    "signal_kind": {
        "complaint": "complaint",
        "risk_alert": "monitoring alert",
        "penalty": "administrative penalty",
        "blacklist": "serious-dishonesty list",
        "accreditation_suspended": "accreditation suspended",
        "unreachable": "unreachable",
        "media": "media report",
        "referral": "referral",
    },
}
CODE_LABELS: dict[str, dict[str, dict[str, str]]] = {"en": CODE_LABELS_EN, "zh": LABELS_ZH}


def code_label(column: str, code: str, lang: str) -> str:
    """The words for a code of the contract (``column`` as in :data:`features.codes.LABELS_ZH`); the code if unknown.

    >>> code_label("outcome", "major", "zh"), code_label("signal_kind", "media", "en"), code_label("outcome", "x", "en")
    ('较严重问题', 'media report', 'x')
    """
    return CODE_LABELS[lang].get(column, {}).get(code, code)


def family_label(family: str, lang: str) -> str:
    """The name of a feature family in ``lang`` (the family's code if it has no name yet)."""
    names = FAMILIES.get(family)
    return names[0 if lang == "en" else 1] if names else family
