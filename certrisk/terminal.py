"""Text in a terminal: the columns a string takes (a CJK character counts two) and padding to a width."""

from __future__ import annotations

import unicodedata

__all__ = ["fit", "width"]


def width(shown: str) -> int:
    """The columns ``shown`` takes in a terminal: a wide (CJK) character counts two.

    >>> width("等级 A"), width("grade A")
    (6, 7)
    """
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in shown)


def fit(shown: str, columns: int, right: bool = False) -> str:
    """``shown`` padded with spaces to ``columns`` terminal columns (on the left when ``right``).

    >>> fit("总体", 6) + "|", fit("all", 6, right=True) + "|"
    ('总体  |', '   all|')
    """
    pad = " " * max(columns - width(shown), 0)
    return pad + shown if right else shown + pad
