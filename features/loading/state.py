"""A table while it is being loaded: its frame, the problems found so far and
the cells already known to be bad.

Every stage of the loader (reading, parsing, validating, cross-checks) records
its problems here. A cell marked bad by one stage is skipped by the later ones,
so a problem found in a cell masks any later problem in the same cell.

Problems quote a cell **as written** in the file (``raw``, kept from reading),
not as parsed: ``1.50`` stays ``1.50``, a time with a UTC offset keeps its
offset, an unsigned 64-bit integer keeps all its digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..contracts import COLUMN_KINDS
from ..problems import MAX_LISTED, cell_problems, table_problem


@dataclass
class TableState:
    """A table while it is being loaded: its frame, problems and bad cells."""

    name: str
    frame: pd.DataFrame | None = None
    raw: pd.DataFrame | None = None
    problems: list[pd.DataFrame] = field(default_factory=list)
    bad: dict[str, np.ndarray] = field(default_factory=dict)
    present: bool = False
    broken: bool = False
    missing: tuple[str, ...] = ()

    @property
    def loaded(self) -> pd.DataFrame:
        """The frame; only asked for by the stages that run once the file is read."""
        if self.frame is None:
            raise RuntimeError(f"table {self.name} has not been read yet")
        return self.frame

    def fail(self, rule: str) -> None:
        """Record a problem of the whole table (its rows cannot be trusted)."""
        self.problems.append(table_problem(self.name, rule))
        self.broken = True

    def written(self, column: str) -> pd.Series:
        """The column as written in the file (the parsed column when the file did not hold it)."""
        if self.raw is not None and column in self.raw:
            return self.raw[column]
        return self.loaded[column]

    def add(self, column: str, rule: str, mask: np.ndarray, values: pd.Series | None = None) -> None:
        """Record the cells of ``mask`` as problems and mark them bad.

        The report quotes ``values`` (default: the column as written, :meth:`written`).
        """
        mask = np.asarray(mask, dtype=bool)
        previous = self.bad.get(column)
        if previous is not None:  # a cell already bad (e.g. of a row wider than its header) is reported once
            mask = mask & ~previous
        if not mask.any():
            return
        values = self.written(column) if values is None else values
        rows = np.flatnonzero(mask)
        texts = np.full(len(rows), "", dtype=object)
        listed = rows[: MAX_LISTED + 1]  # cell_problems lists no more than these
        texts[: len(listed)] = display_values(values.iloc[listed], COLUMN_KINDS[self.name].get(column, "str"))
        self.problems.append(cell_problems(self.name, column, rule, rows + 1, texts))
        self.mark(column, mask)

    def mark(self, column: str, mask: np.ndarray) -> None:
        """Mark the cells of ``mask`` bad without reporting them (e.g. a missing column)."""
        previous = self.bad.get(column)
        self.bad[column] = mask if previous is None else previous | mask

    def good(self, *columns: str) -> np.ndarray:
        """Rows where none of ``columns`` has a problem yet."""
        n = len(self.loaded)
        ok = np.ones(n, dtype=bool)
        for c in columns:
            if c in self.bad:
                ok &= ~self.bad[c]
        return ok


def display_values(values: pd.Series, kind: str) -> np.ndarray:
    """Values as text for the report, as written: text without surrounding blanks, numbers with
    all their digits, times with their UTC offset (when they have one); missing values become ""."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # Parquet dictionary columns
        values = pd.Series(values.to_numpy(), index=values.index)
    if ptypes.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:  # with its offset, as stored
            text = values.astype("str")
        else:
            text = values.dt.strftime("%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S")
    elif values.dtype == object:
        text = pd.Series([_as_text(v) for v in values], index=values.index, dtype=object)
    else:
        text = values.astype("str")
    return text.fillna("").str.strip().to_numpy(dtype=object)


def _as_text(value: object) -> object:
    """One cell of an object column as text (None and NaN stay missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    return str(value)
