"""Why a body has its inclusion probability, in Chinese: the words of :func:`sampling.policy.assign_probabilities`.

``sampling`` explains each probability in English (``reason``, kept so in
``frame.csv``, the record the draw is verified from); the lists people read in
Chinese say the same in Chinese. The reason is a ``"; "``-joined list of
parts of a fixed form, the templates of :mod:`certrisk.catalogue.reasons`;
each part is said again in Chinese by the template it matches whole, and a
part no template knows is kept as written.

>>> reason_zh("grade B x2; monitoring alert x2; 9439 certificates +6.56; size 10.5644 -> pi 0.0769")
'等级 B ×2；风险监测预警 ×2；证书 9439 张 +6.56；规模 10.5644 -> 入样概率 0.0769'
>>> reason_zh("CCC-designated: certainty (counted inside the budget)")
'CCC指定机构：必抽（计入预算）'
"""

from __future__ import annotations

from features.codes import LABELS_ZH

from ..catalogue import area, match, read_back, say

__all__ = ["reason_zh"]


def _part_zh(part: str) -> str:
    """One part of a reason in Chinese (the catalogue's area ``reasons``), or as written when no template knows it."""
    found = match(area("reasons")["en"]["out_of_frame"], part)
    if found is not None:  # the status by its Chinese name, from the contract's code table
        return say("zh", "reasons.out_of_frame", status=LABELS_ZH["status"].get(found["status"], found["status"]))
    return read_back("zh", part, "reasons") or part


def reason_zh(reason: object) -> str:
    """The English ``reason`` of an inclusion probability in Chinese, part by part; empty stays empty."""
    if not isinstance(reason, str) or not reason:
        return ""
    return "；".join(_part_zh(part) for part in reason.split("; "))
