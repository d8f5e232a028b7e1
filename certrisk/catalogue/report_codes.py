"""The names of the codes the report shows: models, PSI bands, estimate scopes and domains, estimators.

In English a model, band or scope is shown by its code (``scorecard``,
``watch``); in Chinese by its name. A code without a key is shown as it is.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "model_logistic": "logistic",
        "model_scorecard": "scorecard",
        "model_boosting": "boosting",
        "model_equal_probability": "equal_probability",
        "model_last_outcome": "last_outcome",
        "model_points_rule": "points_rule",
        "band_stable": "stable",
        "band_watch": "watch",
        "band_shift": "shift",
        "scope_overall": "overall",
        "scope_grade": "grade",
        "scope_province": "province",
        "scope_certificates": "certificates",
        "scope_all": "all",
        "estimator_pooled_hajek_ratio": "Hajek (design-based)",
        "estimator_two_stage_ratio": "two-stage Hajek (design-based)",
        "estimator_difference": "difference (model-assisted)",
        "estimator_difference_two_stage": "two-stage difference (model-assisted)",
    },
    "zh": {
        "model_logistic": "逻辑回归",
        "model_scorecard": "评分卡",
        "model_boosting": "梯度提升",
        "model_equal_probability": "等概率（基准）",
        "model_last_outcome": "最近一次结论（基准）",
        "model_points_rule": "扣分规则（基准）",
        "band_stable": "稳定",
        "band_watch": "关注",
        "band_shift": "偏移",
        "scope_overall": "总体",
        "scope_grade": "等级",
        "scope_province": "省份",
        "scope_certificates": "证书",
        "scope_all": "全部",
        "estimator_pooled_hajek_ratio": "Hajek 比率估计（基于设计）",
        "estimator_two_stage_ratio": "两阶段比率估计（基于设计）",
        "estimator_difference": "差分估计（模型辅助）",
        "estimator_difference_two_stage": "两阶段差分估计（模型辅助）",
    },
}
