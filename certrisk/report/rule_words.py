"""The model choice and promotion rule in the report's language.

A training run records its rule in English words with its numbers
(``run.json``: ``outputs.decision.rule``), as written by
:func:`riskmodel.selection.select_model` (the model choice) or
:func:`riskmodel.tracking.promotion.promotion_rule` (the older promotion by a
metric). The Chinese report says the same in Chinese: the rule is cut into its
clauses (``"; "``) and each clause is matched against the phrases those two
functions write, its numbers and model names kept. A clause no pattern knows
is not shown in English: the report says that one clause of the rule is in
``run.json`` only. ``tests/test_report_html.py`` pins every phrase of both
functions, so a new wording there fails the tests rather than the report.

>>> rule_in("zh", "start from the simplest eligible, logistic; champion: logistic; challenger: none.")
'从最简单的合格模型逻辑回归开始；冠军模型：逻辑回归；挑战者模型：无。'
>>> rule_in("en", "champion: logistic.")
'champion: logistic.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .text import code_name

__all__ = ["duplicate_note", "rule_in"]

_NUM = r"[-+]?(?:\d[\d.]*(?:e[-+]?\d+)?|nan|inf)"
_INTERVAL = rf"\[{_NUM}, {_NUM}\]"
_NAME = r"[A-Za-z_][\w.-]*"
UNKNOWN_ZH = "（此项规则说明仅以英文记录于训练运行目录的 run.json）"


def _model(name: str) -> str:
    return code_name("model", name, "zh")


def _op(op: str) -> str:
    return {"<=": "≤", ">=": "≥"}[op]


Pattern = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _gate_reason(text: str) -> str | None:
    """One reason a candidate failed the calibration gate (riskmodel.selection._gate), in Chinese."""
    for pattern, words in _GATE:
        m = pattern.fullmatch(text)
        if m:
            return words(m)
    return None


_GATE: list[Pattern] = [
    (
        re.compile(rf"decile calibration gap ({_NUM}) above ({_NUM})"),
        lambda m: f"十分位校准偏差 {m[1]}，高于上限 {m[2]}",
    ),
    (
        re.compile(rf"observed / predicted ({_NUM}) outside \[({_NUM}), ({_NUM})\]"),
        lambda m: f"观测/预测比 {m[1]}，超出 [{m[2]}, {m[3]}]",
    ),
    (
        re.compile(rf"AUC below the ({_NAME}) baseline beyond the noise \(gain interval ({_INTERVAL})\)"),
        lambda m: f"AUC 低于{_model(m[1]).removesuffix('（基准）')}基准且超出噪声（增益区间 {m[2]}）",
    ),
]

_CLAUSES: list[Pattern] = [
    (
        re.compile(
            r"ranked by the weighted share of serious findings captured by the top (\d+)% and by AUC, "
            r"paired bootstrap on the same rows"
        ),
        lambda m: f"按前 {m[1]}% 捕获的加权严重问题比例及 AUC 排序，在相同样本上做配对自助法比较",
    ),
    (
        re.compile(r"a more complex model only when better beyond the noise"),
        lambda m: "更复杂的模型仅在超出噪声地更优时采用",
    ),
    (
        re.compile(r"no candidate passed the calibration gate: the gate is waived"),
        lambda m: "没有候选模型通过校准门槛：本次不设门槛",
    ),
    (re.compile(r"start from the simplest eligible, (\S+)"), lambda m: f"从最简单的合格模型{_model(m[1])}开始"),
    (
        re.compile(
            rf"(\S+) against (\S+): capture gain ({_INTERVAL}), AUC gain ({_INTERVAL}), better beyond the noise: kept"
        ),
        lambda m: (
            f"{_model(m[1])}对比{_model(m[2])}：捕获比例增益 {m[3]}，AUC 增益 {m[4]}，超出噪声地更优：采用{_model(m[1])}"
        ),
    ),
    (
        re.compile(
            rf"(\S+) against (\S+): capture gain ({_INTERVAL}), AUC gain ({_INTERVAL}), "
            r"not better beyond the noise: (\S+) stays"
        ),
        lambda m: (
            f"{_model(m[1])}对比{_model(m[2])}：捕获比例增益 {m[3]}，AUC 增益 {m[4]}，未超出噪声地更优：保留{_model(m[5])}"
        ),
    ),
    (re.compile(r"champion: (\S+)"), lambda m: f"冠军模型：{_model(m[1])}"),
    (re.compile(r"challenger: (\S+)"), lambda m: "挑战者模型：" + ("无" if m[1] == "none" else _model(m[1]))),
    (
        re.compile(rf"no champion yet: the first registered candidate becomes champion \((\S+) = ({_NUM})\)"),
        lambda m: f"尚无冠军模型：首个注册的候选模型成为冠军（{m[1]} = {m[2]}）",
    ),
    (
        re.compile(
            rf"promote if (\S+) (<=|>=) champion's \S+ ([-+]) margin \((lower|higher) is better\): "
            rf"({_NUM}) (?:<=|>=) ({_NUM}) [-+] ({_NUM}) = ({_NUM}) is (true|false)"
        ),
        lambda m: (
            f"若 {m[1]} {_op(m[2])} 冠军模型的 {m[1]} {m[3]} 容差（越{'低' if m[4] == 'lower' else '高'}越好）则晋升："
            f"{m[5]} {_op(m[2])} {m[6]} {m[3]} {m[7]} = {m[8]}，{'成立' if m[9] == 'true' else '不成立'}"
        ),
    ),
]


def _clause_zh(clause: str, gate_follows: bool) -> tuple[str, bool]:
    """One clause in Chinese, and whether the next clauses are more gate reasons of the same candidate."""
    m = re.fullmatch(r"(\S+) not eligible: (.+)", clause)
    if m:
        reason = _gate_reason(m[2])
        return f"{_model(m[1])}不合格：{reason if reason is not None else UNKNOWN_ZH}", True
    if gate_follows:
        reason = _gate_reason(clause)
        if reason is not None:
            return reason, True
    for pattern, words in _CLAUSES:
        m = pattern.fullmatch(clause)
        if m:
            return words(m), False
    return UNKNOWN_ZH, False


def rule_in(lang: str, rule: str) -> str:
    """The rule in ``lang``: as recorded for ``en``, clause by clause in Chinese for ``zh``."""
    if lang != "zh" or not rule:
        return rule
    text = rule.strip()
    end = text.endswith(".")
    parts: list[str] = []
    gate = False
    for clause in (text[:-1] if end else text).split("; "):
        words, gate = _clause_zh(clause.strip(), gate)
        if words != UNKNOWN_ZH or not parts or parts[-1] != UNKNOWN_ZH:
            parts.append(words)
    return "；".join(parts) + ("。" if end else "")


def duplicate_note(lang: str, decision: Mapping[str, Any]) -> str:
    """The note of a retraining registered before (no version added), in ``lang``; '' for a new registration."""
    if decision.get("registered", True):
        return ""
    if lang != "zh":
        return str(decision.get("note", ""))
    versions = "、".join(f"{v}（{_model(str(n))}）" for n, v in dict(decision.get("versions", {})).items())
    return (
        f"本次重新训练（同一基准日、同一数据、同一设置）此前已由运行 {decision.get('duplicate_of', '')} 注册为版本 "
        f"{versions}；未新增版本，别名保持不变（冠军模型：版本 {decision.get('champion_version', '')}）。"
    )
