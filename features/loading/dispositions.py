"""Read and check a dispositions table (:class:`~features.contracts.DispositionsModel`).

Besides the model's own rules, every ``body_id`` must be a body of the data
set, every ``warning_id`` a warning of the previous monitor output, and the
warning's body the row's body; ``disposed_on`` must not be after the as-of
date. Every problem is reported at once, headed "The dispositions table ...
does not conform to the data contract".

>>> load_dispositions("dispositions.csv", bodies, warnings, as_of)  # doctest: +SKIP
"""

from __future__ import annotations

import os

import pandas as pd

from ..contracts import DISPOSITIONS_TABLE
from .side_file import BODY_RULE, check_known, load_side_file
from .state import TableState

__all__ = ["DISPOSITIONS_SUBJECT", "load_dispositions"]

DISPOSITIONS_SUBJECT = "dispositions table"
WARNING_RULE = "must be a warning of the previous monitor output (--previous)"
WARNING_BODY_RULE = "must be the body of its warning in the previous monitor output"


def load_dispositions(
    path: str | os.PathLike, bodies: pd.DataFrame, warnings: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    """The dispositions in canonical form (a header-only file is no disposition); every problem at once.

    ``warnings`` holds the previous output's ``warning_id`` and ``body_id``.

    Raises
    ------
    DataContractError
        When the file is missing, unreadable, breaks a rule of the model, or
        names an unknown body or warning, or a warning of another body.
    """

    def checks(table: TableState) -> None:
        frame = table.loaded
        check_known(table, "body_id", bodies["body_id"], BODY_RULE)
        check_known(table, "warning_id", warnings["warning_id"], WARNING_RULE)
        if {"warning_id", "body_id"} <= set(frame):
            owner = frame["warning_id"].map(warnings.drop_duplicates("warning_id").set_index("warning_id")["body_id"])
            mismatch = (owner.notna() & (owner != frame["body_id"])).to_numpy(dtype=bool)
            table.add("body_id", WARNING_BODY_RULE, mismatch & table.good("body_id", "warning_id"))
        if "disposed_on" in frame:
            late = (frame["disposed_on"] > as_of).to_numpy(dtype=bool)
            table.add(
                "disposed_on", f"must not be after the as-of date {as_of.date()}", late & table.good("disposed_on")
            )

    loaded = load_side_file(path, DISPOSITIONS_TABLE, DISPOSITIONS_SUBJECT, checks, allow_empty=True)
    return loaded.sort_values(["disposed_on", "disposition_id"], kind="stable").reset_index(drop=True)
