"""Sentences of the libraries (features, riskmodel, sampling, supervision) that reach the user, as templates.

The libraries never import ``certrisk``, so they say their mistakes in
English. The English templates here are their sentences word for word (a
test makes each library say it and reads it back); a sentence that matches
is said again in Chinese, its fields as written (:func:`certrisk.catalogue.read_back`).
A library sentence without a template is shown in English after a Chinese
headline (``errors.foreign``); docs/cli.md lists which.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "data_missing": "data directory {path} does not exist.",
        "data_not_folder": "data directory {path} is not a directory.",
        "body_not_in_features": "body {body} is not in the feature table (unknown, or approved after the as-of date).",
        "no_alias": "No version of model {model} has the alias {alias} in the tracking store {uri}; run `certrisk "
        "train` first to train, register and promote a model.",
        # the rules of a monitoring rules file (supervision.rules: the rule of each problem, in words)
        "rules_table_named": "must be a table ([{key}])",
        "rules_unknown_key": "is not a known key (known: {known})",
        "rules_required": "is required",
        "rules_whole_number": "must be a whole number from {low} to {high}",
        "rules_number_open": "must be a number between {low} and {high} (exclusive)",
        "rules_number": "must be a number between {low} and {high}",
        "rules_exists": "must exist",
        "rules_not_folder": "must be a file, not a folder",
        "rules_utf8": "must be UTF-8 text",
        "rules_toml": "must be TOML",
        "rules_version": "must be a non-empty text label",
        "rules_catalogue": 'must be "{version}", the catalogue of this engine',
        "rules_levels": "must rise strictly from blue to yellow, orange and red",
        "rules_no_indicator": "must name at least one indicator",
        "rules_not_indicator": "is not an indicator of the catalogue (known: {known})",
        "rules_table": "must be a table",
        "rules_threshold": 'must be "percentile" or "absolute"',
        "rules_one_of": "must be one of {allowed}",
    },
    "zh": {
        "data_missing": "数据目录 {path} 不存在。",
        "data_not_folder": "数据目录 {path} 不是文件夹。",
        "body_not_in_features": "机构 {body} 不在特征表中（机构不存在，或在截至日期之后才获批）。",
        "no_alias": "记录库 {uri} 中模型 {model} 没有别名为 {alias} 的版本；请先运行 `certrisk train`，"
        "训练、注册并启用一个模型。",
        "rules_table_named": "须为一个表（[{key}]）",
        "rules_unknown_key": "不是已知的键（已知：{known}）",
        "rules_required": "为必填项",
        "rules_whole_number": "须为 {low} 到 {high} 之间的整数",
        "rules_number_open": "须为 {low} 到 {high} 之间的数（不含端点）",
        "rules_number": "须为 {low} 到 {high} 之间的数",
        "rules_exists": "须存在",
        "rules_not_folder": "须为文件，不能是文件夹",
        "rules_utf8": "须为 UTF-8 文本",
        "rules_toml": "须为 TOML 格式",
        "rules_version": "须为非空的文本标签",
        "rules_catalogue": '须为 "{version}"，即本引擎的指标目录版本',
        "rules_levels": "须按蓝色、黄色、橙色、红色严格递增",
        "rules_no_indicator": "须至少列出一项指标",
        "rules_not_indicator": "不是目录中的指标（已知：{known}）",
        "rules_table": "须为一个表",
        "rules_threshold": '须为 "percentile" 或 "absolute"',
        "rules_one_of": "须为 {allowed} 之一",
    },
}
