"""Read and check a grades file (:class:`~features.contracts.GradesModel`) against a data set's bodies.

The grades file goes through the stages of every input table (read, parse,
validate with its pandera model), then each ``body_id`` is looked up in the
bodies of the data set it is used with. Every problem is reported at once,
in the same problem report as a data directory's, headed "The grades file
... does not conform to the data contract".

Examples
--------
>>> import pandas as pd
>>> bodies = pd.DataFrame({"body_id": ["CB1", "CB2"]})
>>> load_grades("grades.csv", bodies)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..contracts import COLUMNS, GRADES_TABLE
from ..report import DataContractError, concat_problems
from .parse import parse_table
from .read import read_file
from .state import TableState
from .validate import validate_table

__all__ = ["GRADES_SUBJECT", "load_grades"]

GRADES_SUBJECT = "grades file"
NO_ROWS_RULE = "table has no rows (at least one is required)"


def load_grades(path: str | os.PathLike, bodies: pd.DataFrame | None = None) -> pd.DataFrame:
    """The grades file in canonical form, one row per body; every problem at once.

    Parameters
    ----------
    path : str or Path
        ``.parquet``, ``.xlsx`` or (any other suffix) CSV in UTF-8.
    bodies : DataFrame, optional
        The data set's bodies (column ``body_id``); when given, every graded
        body must be one of them.

    Returns
    -------
    DataFrame
        The file's columns, those of the model in canonical dtypes (``as_of``
        as ``datetime64[ns]``, ``p_serious`` as ``float64``, text as ``str``),
        other columns as read; a default ``RangeIndex``.

    Raises
    ------
    DataContractError
        When the file is missing, unreadable or breaks a rule of the model,
        or names a body that is not in ``bodies``.
    """
    file = Path(path)
    table = TableState(GRADES_TABLE)
    raw = read_file(file, table)
    if raw is not None:
        if len(raw) == 0:
            table.fail(NO_ROWS_RULE)
        table.frame = parse_table(table, raw)
        validate_table(table)
        if bodies is not None and "body_id" in table.frame:
            _check_bodies(table, bodies)
    problems = concat_problems(table.problems)
    if len(problems):
        raise DataContractError(_in_column_order(problems), file, subject=GRADES_SUBJECT)
    return table.loaded.reset_index(drop=True)


def _in_column_order(problems: pd.DataFrame) -> pd.DataFrame:
    """Whole-file problems first, then by column in the model's order (other columns last)."""
    order = {c: i for i, c in enumerate(COLUMNS[GRADES_TABLE])}
    position = problems["column"].map(lambda c: -1 if c == "" else order.get(c, len(order)))
    return problems.iloc[np.argsort(position.to_numpy(), kind="stable")].reset_index(drop=True)


def _check_bodies(table: TableState, bodies: pd.DataFrame) -> None:
    """Every graded body exists in the data set's bodies."""
    values = table.loaded["body_id"]
    known = bodies["body_id"].dropna().unique()
    mask = (values.notna() & ~values.isin(known)).to_numpy(dtype=bool) & table.good("body_id")
    table.add("body_id", "must exist in bodies.body_id", np.asarray(mask))
