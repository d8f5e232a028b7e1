"""The progress bars of the long commands: their titles and what each step says.

The retraining's own steps are riskmodel's sentences (a library, in English):
the templates ``training_set`` to ``final_fit`` are those sentences word for
word and are read back (:func:`certrisk.catalogue.read_back`); the steps of
the application are said by key.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "retraining": "retraining",
        "profile_pages": "profile pages",
        "frontier": "frontier",
        "training_set": "building the training set (features as of each past inspection)",
        "regularisation": "regularisation by time-ordered cross-validation: {kind}",
        "out_of_time": "out-of-time evaluation: {key}",
        "final_fit": "final fit on all {n} rows: {key}",
        "monitoring": "monitoring against the previous quarter (chosen: {candidate})",
        "tracking": "logging to MLflow and deciding the promotion",
        "profile": "profile {body}",
        "steepness": "steepness {t:g} planned",
    },
    "zh": {
        "retraining": "重新训练",
        "profile_pages": "全景画像页面",
        "frontier": "前沿曲线",
        "training_set": "构建训练集（各次历史检查时点的特征）",
        "regularisation": "按时间顺序交叉验证选择正则化强度：{kind}",
        "out_of_time": "跨时段评估：{key}",
        "final_fit": "在全部 {n} 行上最终拟合：{key}",
        "monitoring": "与上一季度对比监测（入选：{candidate}）",
        "tracking": "记录到 MLflow 并决定是否启用新模型",
        "profile": "全景画像 {body}",
        "steepness": "陡度 {t:g} 已计划",
    },
}
