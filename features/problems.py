"""Problems found in input data: one row of a problem table each.

A problem is one row of a table with the columns

- ``table``: the input table (bodies, inspections, ...);
- ``column``: the column, or empty when the problem is about the whole table;
- ``rule``: the rule that is broken, in plain words ("must be in (0, 1]");
- ``value``: the offending value as text (empty cells show as "(empty)");
- ``row``: 1-based data row in the file (header not counted: row 1 is line 2
  of a CSV file or spreadsheet, the report says so under its table), or
  missing when the problem is about the whole table or column;
- ``count``: how many rows the line stands for. It is 1 for a single cell; a
  line with no row and a count above 1 stands for that many further rows with
  the same problem, which are not listed one by one.

:mod:`features.report` renders them (:class:`~features.report.DataContractError`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["MAX_LISTED", "PROBLEM_COLUMNS", "cell_problems", "concat_problems", "rule_problems", "table_problem"]

PROBLEM_COLUMNS = ("table", "column", "rule", "value", "row", "count")
MAX_LISTED = 1000
"""Cells listed one by one per (table, column, rule); the rest are counted."""


def _frame(data: dict) -> pd.DataFrame:
    df = pd.DataFrame(data, columns=list(PROBLEM_COLUMNS))
    for col in ("table", "column", "rule", "value"):
        df[col] = df[col].astype("str")
    df["row"] = df["row"].astype("Int64")
    df["count"] = df["count"].astype("int64")
    return df


def cell_problems(
    table: str,
    column: str,
    rule: str,
    rows: Sequence[int] | np.ndarray,
    values: Sequence[str] | np.ndarray | pd.Series,
    limit: int = MAX_LISTED,
) -> pd.DataFrame:
    """Problems of individual cells: one line per cell, up to ``limit`` lines.

    Parameters
    ----------
    table, column, rule : str
        Where the problem is and the rule in words.
    rows : array of int
        1-based data row numbers, in file order.
    values : array of str
        The offending values as text, aligned with ``rows``.
    limit : int
        Cells listed one by one; further cells become one line with no row
        and ``count`` = their number.

    Returns
    -------
    DataFrame with columns :data:`PROBLEM_COLUMNS`.

    Examples
    --------
    >>> cell_problems("bodies", "province", "must be a province code", [3], ["99"])[["row", "value"]]
       row value
    0    3    99
    """
    rows = np.asarray(rows, dtype=np.int64)
    values = np.asarray(values, dtype=object)
    n = len(rows)
    if n > limit + 1:
        rows, values = rows[:limit], values[:limit]
    listed = _frame(
        {
            "table": table,
            "column": column,
            "rule": rule,
            "value": values,
            "row": rows,
            "count": np.ones(len(rows), dtype=np.int64),
        }
    )
    if n <= limit + 1:
        return listed
    rest = _frame(
        {"table": [table], "column": [column], "rule": [rule], "value": [""], "row": [pd.NA], "count": [n - limit]}
    )
    return pd.concat([listed, rest], ignore_index=True)


def table_problem(table: str, rule: str, column: str = "", value: str = "") -> pd.DataFrame:
    """One problem about a whole table or column (no row number).

    Examples
    --------
    >>> table_problem("bodies", "missing column", column="status")[["table", "column", "rule"]]
        table  column            rule
    0  bodies  status  missing column
    """
    return _frame(
        {"table": [table], "column": [column], "rule": [rule], "value": [value], "row": [pd.NA], "count": [1]}
    )


def rule_problems(
    table: str,
    checks: Sequence[tuple[str, str, pd.Series]],
    rows: np.ndarray,
    raw: pd.DataFrame,
) -> list[pd.DataFrame]:
    """The :func:`cell_problems` of every ``(column, rule, mask)`` that some row breaks, values as in ``raw``."""
    out = []
    for column, rule, mask in checks:
        bad = mask.to_numpy(dtype=bool)
        if bad.any():
            out.append(cell_problems(table, column, rule, rows[bad], raw[column].astype(str)[bad]))
    return out


def concat_problems(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack problem tables (possibly none) into one."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _frame({})
    return _frame({c: pd.concat([p[c] for p in parts], ignore_index=True) for c in PROBLEM_COLUMNS})
