"""Checks beyond single cells: rules between columns of a row, dates after the
as-of date, and ids that must exist in another table.

These run on canonical tables; cells already found bad are skipped, so each
cell is reported once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..contracts import COLUMN_KINDS, NOT_AFTER_AS_OF, REFERENCES, ROW_RULES
from ..problems import MAX_LISTED
from .state import TableState, display_values

__all__ = ["check_references", "check_rows"]


def check_rows(table: TableState, as_of: pd.Timestamp) -> None:
    """Rules between columns of a row, and no event after the as-of date."""
    df = table.loaded
    for rule in ROW_RULES:
        if rule.table != table.name:
            continue
        mask = rule.bad(df).to_numpy(dtype=bool) & table.good(*rule.columns)
        table.add(rule.column, rule.rule, mask, _with_context(table, rule.column, rule.shows, mask))
    limit = as_of + pd.Timedelta(days=1)
    for column in NOT_AFTER_AS_OF[table.name]:
        mask = (df[column] >= limit).to_numpy(dtype=bool) & table.good(column)
        table.add(column, f"must not be after the as-of date {as_of:%Y-%m-%d}", mask)


def check_references(tables: Mapping[str, TableState]) -> None:
    """Ids that must exist in another table (body_id in bodies, ...)."""
    for name, column, ref_name, ref_column in REFERENCES:
        table, ref = tables.get(name), tables.get(ref_name)
        if table is None or table.frame is None or ref is None or not ref.present or ref.broken:
            continue
        if ref.frame is None or ref_column in ref.missing:
            continue  # unreadable or missing: already reported
        known = ref.frame[ref_column].dropna().unique()
        values = table.frame[column]
        mask = (values.notna() & ~values.isin(known)).to_numpy() & table.good(column)
        table.add(column, f"must exist in {ref_name}.{ref_column}", mask)


def _with_context(table: TableState, column: str, shows: tuple[str, ...], mask: np.ndarray) -> pd.Series:
    """The column's value followed by the other columns of the rule, as written, as text."""
    df = table.loaded
    text = pd.Series("", index=df.index, dtype=object)
    rows = np.flatnonzero(mask)[: MAX_LISTED + 1]
    if not len(rows):
        return text
    kinds = COLUMN_KINDS[table.name]
    index = df.index[rows]
    parts = pd.Series(display_values(table.written(column).iloc[rows], kinds[column]), index=index)
    for other in shows:
        written = display_values(table.written(other).iloc[rows], kinds[other])
        shown = pd.Series(written, index=index).replace("", "(empty)")
        parts = parts.replace("", "(empty)") + f" ({other} = " + shown + ")"
    text.iloc[rows] = parts.to_numpy()
    return text
