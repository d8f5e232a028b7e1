"""Why a body has its inclusion probability: the parts of :func:`sampling.policy.assign_probabilities`'s reason.

sampling explains each probability in English (``frame.csv`` keeps it so:
the record the draw is verified from); each ``"; "``-separated part of it is
one of these templates, word for word, read back to be said in Chinese in
the lists people read (:func:`certrisk.draw.reason_words.reason_zh`).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "without_events": "grade {grade} without events: not disturbed",
        "grade": "grade {grade} x{m}",
        "newly_approved": "newly approved x{m}",
        "alert": "monitoring alert x{m}",
        "never_inspected": "never inspected x{m}",
        "not_inspected": "not inspected for {years}+ years x{m}",
        "certificates": "{n} certificates +{w}",
        "floor_only": "floor {floor} only",
        "no_floor": "probability 0 (no floor)",
        "certain_size": "size {size} reaches probability 1",
        "floor_applies": "floor {floor} applies",
        "size": "size {size} -> pi {pi}",
        "ccc_inside": "CCC-designated: certainty (counted inside the budget)",
        "ccc_on_top": "CCC-designated: certainty (counted on top of the budget)",
        "out_of_frame": "out of frame: {status}",
    },
    "zh": {
        "without_events": "等级 {grade}，无风险事件：不予打扰",
        "grade": "等级 {grade} ×{m}",
        "newly_approved": "新获批 ×{m}",
        "alert": "风险监测预警 ×{m}",
        "never_inspected": "从未检查 ×{m}",
        "not_inspected": "{years} 年以上未检查 ×{m}",
        "certificates": "证书 {n} 张 +{w}",
        "floor_only": "仅按下限 {floor}",
        "no_floor": "概率 0（无下限）",
        "certain_size": "规模 {size}，入样概率达到 1",
        "floor_applies": "适用下限 {floor}",
        "size": "规模 {size} -> 入样概率 {pi}",
        "ccc_inside": "CCC指定机构：必抽（计入预算）",
        "ccc_on_top": "CCC指定机构：必抽（预算之外）",
        "out_of_frame": "不在抽样框：{status}",
    },
}
