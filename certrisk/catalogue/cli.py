"""The command line's own words: argparse's mistakes, the usage line around them, interruptions, notices.

argparse says its mistakes in English; :mod:`certrisk.cli` reads the sentence
back with these templates (their English is argparse's, word for word) and
says it again in the language of ``--lang``, the option names and the values
as they were typed. A sentence of argparse that no template knows is shown
in English after the Chinese headline ``unknown``.
"""

from __future__ import annotations

#: argparse's sentences (without the ``argument X: `` before them), in the order they are tried.
ARGPARSE = (
    "required",
    "invalid_choice",
    "invalid_value",
    "expected_one",
    "expected_at_most_one",
    "expected_at_least_one",
    "unrecognized",
    "ambiguous",
    "not_allowed_with",
    "one_required",
    "ignored_explicit",
    "unexpected_option",
)
NEUTRAL = ("type_str",)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "usage_error": "{prog}: {message} {see}.",
        "see_help": "(see {prog} --help)",
        "argument": "argument {argument}: {message}",
        "required": "the following arguments are required: {names}",
        "invalid_choice": "invalid choice: {value} (choose from {choices})",
        "invalid_value": "invalid {type} value: {value}",
        "type_int": "int",
        "type_float": "float",
        "type_str": "str",
        "expected_one": "expected one argument",
        "expected_at_most_one": "expected at most one argument",
        "expected_at_least_one": "expected at least one argument",
        "unrecognized": "unrecognized arguments: {names}",
        "ambiguous": "ambiguous option: {option} could match {matches}",
        "not_allowed_with": "not allowed with argument {other}",
        "one_required": "one of the arguments {names} is required",
        "ignored_explicit": "ignored explicit argument {value}",
        "unexpected_option": "unexpected option string: {option}",
        "unknown": "{message}",
        "failed": "certrisk {command}: {message}",
        "deprecated_out": "certrisk {command}: OUT without --out is deprecated; write `--out {alias}`.",
        "interrupted": "interrupted; nothing was written",
    },
    "zh": {
        "usage_error": "{prog}：{message}{see}。",
        "see_help": "（参见 {prog} --help）",
        "argument": "参数 {argument}：{message}",
        "required": "缺少必需的参数：{names}",
        "invalid_choice": "无效的取值 {value}（可选：{choices}）",
        "invalid_value": "{value} 不是有效的{type}",
        "type_int": "整数",
        "type_float": "数值",
        "type_str": "str",
        "expected_one": "需要给出一个值",
        "expected_at_most_one": "最多只能给出一个值",
        "expected_at_least_one": "至少需要给出一个值",
        "unrecognized": "无法识别的参数：{names}",
        "ambiguous": "选项 {option} 有歧义，可能是：{matches}",
        "not_allowed_with": "不能与参数 {other} 同时使用",
        "one_required": "参数 {names} 中必须给出一个",
        "ignored_explicit": "此选项不接受取值，多余的取值：{value}",
        "unexpected_option": "意外的选项：{option}",
        "unknown": "命令行参数有误（以下为 argparse 的英文原文）：{message}",
        "failed": "certrisk {command}：{message}",
        "deprecated_out": "certrisk {command}：不带 --out 的 OUT 写法已弃用；请写作 `--out {alias}`。",
        "interrupted": "已中断；未写入任何内容",
    },
}
