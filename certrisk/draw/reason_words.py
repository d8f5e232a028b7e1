"""Why a body has its inclusion probability, in Chinese: the words of :func:`sampling.policy.assign_probabilities`.

``sampling`` explains each probability in English (``reason``, kept so in
``frame.csv``, the record the draw is verified from); the lists people read in
Chinese say the same in Chinese. The reason is a ``"; "``-joined list of
parts of a fixed form; each part is rewritten by the first pattern that
matches it whole, and a part no pattern knows is kept as written.

>>> reason_zh("grade B x2; monitoring alert x2; 9439 certificates +6.56; size 10.5644 -> pi 0.0769")
'等级 B ×2；风险监测预警 ×2；证书 9439 张 +6.56；规模 10.5644 -> 入样概率 0.0769'
>>> reason_zh("CCC-designated: certainty (counted inside the budget)")
'CCC指定机构：必抽（计入预算）'
"""

from __future__ import annotations

import re

from features.codes import LABELS_ZH

__all__ = ["reason_zh"]

_N = r"(-?[\d.]+(?:e[-+]?\d+)?)"
_PARTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"grade (\w+) x{_N}"), r"等级 \1 ×\2"),
    (re.compile(rf"newly approved x{_N}"), r"新获批 ×\1"),
    (re.compile(rf"monitoring alert x{_N}"), r"风险监测预警 ×\1"),
    (re.compile(rf"never inspected x{_N}"), r"从未检查 ×\1"),
    (re.compile(rf"not inspected for {_N}\+ years x{_N}"), r"\1 年以上未检查 ×\2"),
    (re.compile(rf"{_N} certificates \+{_N}"), r"证书 \1 张 +\2"),
    (re.compile(r"grade (\w+) without events: not disturbed"), r"等级 \1，无风险事件：不予打扰"),
    (re.compile(rf"floor {_N} only"), r"仅按下限 \1"),
    (re.compile(r"probability 0 \(no floor\)"), "概率 0（无下限）"),
    (re.compile(rf"size {_N} reaches probability 1"), r"规模 \1，入样概率达到 1"),
    (re.compile(rf"floor {_N} applies"), r"适用下限 \1"),
    (re.compile(rf"size {_N} -> pi {_N}"), r"规模 \1 -> 入样概率 \2"),
    (re.compile(r"CCC-designated: certainty \(counted inside the budget\)"), "CCC指定机构：必抽（计入预算）"),
    (re.compile(r"CCC-designated: certainty \(counted on top of the budget\)"), "CCC指定机构：必抽（预算之外）"),
]
_OUT_OF_FRAME = re.compile(r"out of frame: (\w+)")


def _part_zh(part: str) -> str:
    """One part of a reason in Chinese, or as written when no pattern matches it whole."""
    found = _OUT_OF_FRAME.fullmatch(part)
    if found:
        status = found.group(1)
        return f"不在抽样框：{LABELS_ZH['status'].get(status, status)}"
    for pattern, words in _PARTS:
        if pattern.fullmatch(part):
            return pattern.sub(words, part)
    return part


def reason_zh(reason: object) -> str:
    """The English ``reason`` of an inclusion probability in Chinese, part by part; empty stays empty."""
    if not isinstance(reason, str) or not reason:
        return ""
    return "；".join(_part_zh(part) for part in reason.split("; "))
