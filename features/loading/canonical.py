"""The canonical form of a table: contract columns only, in contract order,
each in the dtype of its kind (see :data:`~features.contracts.CANONICAL_DTYPES`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contracts import COLUMN_KINDS, COLUMNS
from .state import TableState

__all__ = ["empty_table", "to_canonical"]


def to_canonical(table: TableState) -> None:
    """Contract columns only, in contract order; missing columns added as empty."""
    frame = table.loaded
    n = len(frame)
    table.missing = tuple(c for c in COLUMNS[table.name] if c not in frame)
    columns = {}
    for column, kind in COLUMN_KINDS[table.name].items():
        if column in frame:
            columns[column] = frame[column]
        else:
            columns[column] = _empty_column(kind, n)
            table.mark(column, np.ones(n, dtype=bool))
    table.frame = pd.DataFrame(columns, index=pd.RangeIndex(n))


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame of the table with every column in its canonical dtype.

    Examples
    --------
    >>> empty_table("signals").dtypes["observed_on"]
    dtype('<M8[ns]')
    """
    return pd.DataFrame({c: _empty_column(k, 0) for c, k in COLUMN_KINDS[name].items()})


def _empty_column(kind: str, n: int) -> pd.Series:
    if kind == "int":
        return pd.Series(np.zeros(n, dtype=np.int64))
    if kind == "bool":
        return pd.Series(np.zeros(n, dtype=bool))
    if kind == "float":
        return pd.Series(np.full(n, np.nan))
    if kind in ("date", "datetime"):
        return pd.Series(np.full(n, np.datetime64("NaT", "ns")))
    return pd.Series([pd.NA] * n, dtype="str")
