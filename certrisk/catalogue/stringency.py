"""The report's section on unifying enforcement standards (统一执法尺度); the assessments are riskmodel's English
(``assessment_*``, :data:`riskmodel.stringency.WORDS`) said in the report's language."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Unifying enforcement standards",
        "source": "inspector table",
        "note": "Each inspector's stringency is how much more, or less, often the inspections they took part in find "
        "problems than the bodies' own risk predicts, on the log-odds scale (0: as expected; +0.69: twice the odds), "
        "estimated jointly with body risk from past inspections (random ones unless the table was made with "
        "--kinds all) and shrunk towards 0, so an inspector with "
        "few inspections stays near 0. An inspector finds more (or less) than expected when the whole 95 % interval "
        "lies above (or below) 0. The estimates are for calibrating standards between inspectors and bureaus, "
        "not a verdict on one inspection.",
        "as_of": "Inspections before {as_of}.",
        "counts": "{more} find more than expected, {less} less, {in_line} in line with expectations; {none} have no "
        "inspections in the data.",
        "flagged": "Inspectors whose interval excludes 0",
        "none_flagged": "No inspector's interval excludes 0: with the inspections so far, every inspector is in line "
        "with expectations.",
        "provinces": "By province",
        "inspector": "inspector",
        "unit": "unit",
        "province": "province",
        "stringency": "stringency (log-odds)",
        "odds": "odds ratio",
        "ci": "95 % interval",
        "to": "to",
        "n": "inspections",
        "assessment": "assessment",
        "inspectors": "inspectors",
        "taken_part": "inspections taken part in",
        "mean": "mean stringency",
        "more": "find more",
        "less": "find less",
        "fig_title": "Inspector stringency with 95 % intervals",
        "fig_x": "inspectors, from the least to the most stringent",
        "fig_y": "stringency (log-odds)",
        "assessment_more": "finds more than expected",
        "assessment_less": "finds less than expected",
        "assessment_in_line": "in line with expectations",
        "assessment_none": "no inspections in the data",
    },
    "zh": {
        "heading": "统一执法尺度",
        "source": "检查人员执法尺度表",
        "note": "检查人员的执法尺度，指其参加的检查发现问题的频率比被检查机构自身风险所预期的高或低多少（对数优势比；0 表示与预期一致，"
        "+0.69 表示优势翻倍）。该估计依据以往检查（除非以 --kinds all 生成，仅用随机抽查），与机构风险联合估计，并向 0 收缩：检查次数少的人员估计值接近 0。"
        "95% 区间整体高于（低于）0 时，视为发现问题多于（少于）预期。结果用于校准人员和部门之间的执法尺度，不是对单次检查的评判。",
        "as_of": "依据 {as_of} 之前的检查。",
        "counts": "{more} 人发现问题多于预期，{less} 人少于预期，{in_line} 人与预期一致；{none} 人尚无检查记录。",
        "flagged": "区间不含 0 的检查人员",
        "none_flagged": "没有检查人员的区间不含 0：按目前的检查记录，所有人员均与预期一致。",
        "provinces": "分省情况",
        "inspector": "检查人员",
        "unit": "单位",
        "province": "省份",
        "stringency": "执法尺度（对数优势比）",
        "odds": "优势比",
        "ci": "95% 区间",
        "to": "至",
        "n": "检查次数",
        "assessment": "评价",
        "inspectors": "人数",
        "taken_part": "参加检查人次",
        "mean": "平均执法尺度",
        "more": "多于预期",
        "less": "少于预期",
        "fig_title": "检查人员执法尺度及 95% 区间",
        "fig_x": "检查人员（由宽到严）",
        "fig_y": "执法尺度（对数优势比）",
        "assessment_more": "发现问题多于预期",
        "assessment_less": "发现问题少于预期",
        "assessment_in_line": "与预期一致",
        "assessment_none": "尚无检查记录",
    },
}
