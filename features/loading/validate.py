"""Validate a parsed table with its pandera model and record every failure.

The model runs lazily, without its row rules (the loader checks those itself,
cell by cell, see :mod:`features.loading.cross_checks`). Each failure case
becomes a problem in plain words: a missing or unknown column, an empty cell,
a duplicate, a value outside its codes or range.

Examples
--------
>>> from pandera.api.checks import Check
>>> _rule_of(Check.in_range(0, 1, include_min=False))
'must be in (0, 1]'
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pe

from ..contracts import (
    COLUMNS,
    CONTRACT_MODELS,
    FIELD_LIST_PATTERN,
    FIELD_LIST_RULE,
    ID_LIST_PATTERN,
    SINGLE_ID_PATTERN,
    SINGLE_ID_RULE,
)
from ..problems import table_problem
from .parse import EMPTY_RULE
from .state import TableState

__all__ = ["validate_table"]


def validate_table(table: TableState) -> None:
    """Run the pandera model lazily; record its failures as problems."""
    schema = _column_schema(table.name)
    try:
        schema.validate(table.frame, lazy=True)
    except pe.SchemaErrors as exc:
        _record_failures(table, exc.failure_cases, schema)


@functools.cache
def _column_schema(name: str) -> Any:
    """The table's pandera schema without its row rules (the loader runs those itself)."""
    schema = copy.deepcopy(CONTRACT_MODELS[name].to_schema())
    schema.checks = []
    return schema


def _record_failures(table: TableState, cases: pd.DataFrame, schema: Any) -> None:
    cases = cases.reset_index(drop=True)
    whole = cases["index"].isna()
    for check, column in cases.loc[whole, ["check", "failure_case"]].itertuples(index=False):
        if check == "column_in_dataframe":
            table.problems.append(table_problem(table.name, "missing column", column=str(column)))
        elif check == "column_in_schema":
            table.problems.append(table_problem(table.name, "unknown column (not in the contract)", column=str(column)))
    cells = cases[~whole & cases["column"].isin(COLUMNS[table.name])]
    cells = cells[~cells["check"].astype(str).str.startswith("dtype(")]
    frame = table.loaded
    for (column, check, number), group in cells.groupby(["column", "check", "check_number"], sort=False, dropna=False):
        rule = _case_rule(schema, column, check, number)
        mask = np.zeros(len(frame), dtype=bool)
        mask[group["index"].to_numpy(dtype=np.int64)] = True
        table.add(column, rule, mask & table.good(column))


def _case_rule(schema: Any, column: str, check: str, number: Any) -> str:
    if check == "not_nullable":
        return EMPTY_RULE
    if check == "field_uniqueness":
        return schema.columns[column].metadata.get("unique_rule") or "must be unique (value appears more than once)"
    if number is not None and not pd.isna(number):
        return _rule_of(schema.columns[column].checks[int(number)])
    return str(check)


def _rule_of(check: Any) -> str:
    """A pandera check in plain words."""
    stats = check.statistics or {}
    if check.name == "isin":
        return "must be one of " + ", ".join(map(str, stats["allowed_values"]))
    if check.name == "greater_than_or_equal_to":
        return f"must be >= {stats['min_value']}"
    if check.name == "in_range":
        left = "[" if stats.get("include_min", True) else "("
        right = "]" if stats.get("include_max", True) else ")"
        return f"must be in {left}{stats['min_value']}, {stats['max_value']}{right}"
    if check.name == "str_matches":
        pattern = getattr(stats["pattern"], "pattern", stats["pattern"])
        words = {
            FIELD_LIST_PATTERN: FIELD_LIST_RULE,
            ID_LIST_PATTERN: "must be ;-separated ids without spaces",
            SINGLE_ID_PATTERN: SINGLE_ID_RULE,
        }
        return words.get(pattern, f"must match the pattern {pattern}")
    return check.error or check.name
