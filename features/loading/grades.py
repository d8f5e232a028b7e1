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

import pandas as pd

from ..contracts import GRADES_TABLE
from .side_file import BODY_RULE, NO_ROWS_RULE, check_known, load_side_file
from .state import TableState

__all__ = ["GRADES_SUBJECT", "NO_ROWS_RULE", "load_grades"]

GRADES_SUBJECT = "grades file"


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

    def checks(table: TableState) -> None:
        if bodies is not None:
            check_known(table, "body_id", bodies["body_id"], BODY_RULE)

    return load_side_file(path, GRADES_TABLE, GRADES_SUBJECT, checks, restore_cells=True)
