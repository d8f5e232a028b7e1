"""Canonical content digests of the draw's inputs: the same rows in any order or file format give the same digest.

A table's digest is the SHA-256 of the UTF-8 text ``certrisk-table-v1``
LF, its column names in code-point order joined by tabs, LF, then one line
per row, the lines in code-point order and joined by LF. So it depends on
the values only, not on the order of rows or columns, nor on whether the
table was read from CSV or Parquet (the loader gives both the same canonical
types). A row's line is its cells in column order, separated by tabs: text
with backslash, tab, CR and LF escaped; booleans ``true``/``false``;
integers in decimal; floats as Python ``repr``; dates and times as
``YYYY-MM-DDTHH:MM:SS.ffffff``; a missing value as ``\\N``.

>>> import pandas as pd
>>> a = pd.DataFrame({"id": ["x", "y"], "n": [1, 2]})
>>> table_digest(a) == table_digest(a.iloc[::-1][["n", "id"]])
True
>>> table_digest(a) == table_digest(a.assign(n=[1, 3]))
False
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from features.tables import Tables

FORMAT = "certrisk-table-v1"
MISSING = "\\N"
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\r", "\\r"), ("\n", "\\n"))


def _cells(column: pd.Series) -> list[str]:
    """The canonical text of every cell of one column (numpy and Python strings, no per-cell pandas calls)."""
    missing = column.isna().to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(column):
        text = np.where(column.fillna(False).to_numpy(dtype=bool), "true", "false").astype(object)
    elif pd.api.types.is_datetime64_any_dtype(column):
        text = np.datetime_as_string(column.to_numpy("datetime64[us]"), unit="us").astype(object)
    elif pd.api.types.is_integer_dtype(column):
        text = column.astype("int64").astype(str).to_numpy(dtype=object)
    elif pd.api.types.is_float_dtype(column):
        text = np.array(list(map(repr, column.to_numpy(dtype=float).tolist())), dtype=object)
    else:
        strings = column.astype(str)
        if strings.str.contains(r"[\\\t\r\n]", regex=True).any():  # rare: escape only when needed
            for old, new in _ESCAPES:
                strings = strings.str.replace(old, new, regex=False)
        text = strings.to_numpy(dtype=object, na_value=MISSING)
    text[missing] = MISSING
    return text.tolist()


def table_digest(frame: pd.DataFrame) -> str:
    """SHA-256 (hex) of a table's content, independent of row and column order."""
    columns = sorted(str(c) for c in frame.columns)
    texts = [_cells(frame[c]) for c in columns]
    rows = sorted(map("\t".join, zip(*texts, strict=True))) if columns else []
    return hashlib.sha256("\n".join([FORMAT, "\t".join(columns), *rows]).encode()).hexdigest()


def input_digests(tables: Tables) -> dict[str, str]:
    """The canonical digest of every table of a data set, by table name."""
    return {name: table_digest(frame) for name, frame in sorted(tables.items())}
