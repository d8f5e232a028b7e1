"""Cells that are safe to open in a spreadsheet (CSV injection, OWASP).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by spreadsheet programs. OWASP's advice is to
prefix such a cell with a single quote, which makes it plain text. So that
the rule can be undone exactly, a cell that already starts with a quote is
prefixed too: :func:`restore` removes the one quote again.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("-5 km"), neutralise("CB001"), neutralise("'quoted")
("'-5 km", 'CB001', "''quoted")
>>> restore(neutralise("@SUM(A1)")) == "@SUM(A1)"
True
"""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
QUOTE = "'"


def neutralise(text: str) -> str:
    """``text`` with a leading single quote when a spreadsheet could read it as a formula."""
    return QUOTE + text if text.startswith(TRIGGERS) else text


def restore(text: str) -> str:
    """The text a neutralised cell stands for (the inverse of :func:`neutralise`)."""
    return text[1:] if text.startswith(QUOTE) and text[1:].startswith(TRIGGERS) else text


def restore_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell restored (the inverse of :func:`safe_table`; other cells unchanged).

    >>> restore_table(safe_table(pd.DataFrame({"id": ["=1+2", "CB1"], "n": [-1, 2]}))).to_dict("list")
    {'id': ['=1+2', 'CB1'], 'n': [-1, 2]}
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: restore(v) if isinstance(v, str) else v)
    return out


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell neutralised (numbers, booleans and missing values unchanged)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object:  # mixed cells: only the text ones
            out[column] = values.map(lambda v: neutralise(v) if isinstance(v, str) else v)
        elif pd.api.types.is_string_dtype(values):  # one vectorised test per column (lists run to 10^5 rows)
            risky = values.str.startswith(TRIGGERS).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[column] = values.where(~risky, QUOTE + values)
    return out
