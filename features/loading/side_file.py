"""A file read beside a data directory (the grades file, the dispositions table), through the stages of every table.

:func:`load_side_file` reads, parses and validates the file with its pandera
model, then runs the checks against the data set that only the caller can make
(every body known, every warning known). Every problem is reported at once, in
the same problem report as a data directory's, headed with the file's subject.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..cells import restore_table
from ..contracts import COLUMNS
from ..problems import concat_problems
from ..report import DataContractError
from .parse import parse_table
from .read import read_file
from .state import TableState
from .validate import validate_table

NO_ROWS_RULE = "table has no rows (at least one is required)"
BODY_RULE = "must exist in bodies.body_id"


def load_side_file(
    path: str | os.PathLike,
    table_name: str,
    subject: str,
    checks: Callable[[TableState], None],
    *,
    allow_empty: bool = False,
    restore_cells: bool = False,
) -> pd.DataFrame:
    """The file in canonical form; every problem at once (``DataContractError``).

    ``checks`` runs on a parsed, validated table and records its own problems
    with :meth:`TableState.add`. ``restore_cells``: a file the engine writes
    itself (its text cells neutralised for spreadsheets, :mod:`features.cells`)
    reads back as the values it stands for.
    """
    file = Path(path)
    table = TableState(table_name)
    raw = read_file(file, table)
    if raw is not None and restore_cells:
        raw = restore_table(raw)
    if raw is not None:
        if len(raw) == 0 and not allow_empty:
            table.fail(NO_ROWS_RULE)
        table.frame = parse_table(table, raw)
        validate_table(table)
        checks(table)
    problems = concat_problems(table.problems)
    if len(problems):
        raise DataContractError(_in_column_order(problems, table_name), file, subject=subject)
    return table.loaded.reset_index(drop=True)


def _in_column_order(problems: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """Whole-file problems first, then by column in the model's order (other columns last)."""
    order = {c: i for i, c in enumerate(COLUMNS[table_name])}
    position = problems["column"].map(lambda c: -1 if c == "" else order.get(c, len(order)))
    return problems.iloc[np.argsort(position.to_numpy(), kind="stable")].reset_index(drop=True)


def check_known(table: TableState, column: str, known: pd.Series | np.ndarray, rule: str) -> None:
    """Every good value of ``column`` is one of ``known``."""
    if column not in table.loaded:
        return
    values = table.loaded[column]
    mask = (values.notna() & ~values.isin(pd.unique(pd.Series(known).dropna()))).to_numpy(dtype=bool)
    table.add(column, rule, mask & table.good(column))
