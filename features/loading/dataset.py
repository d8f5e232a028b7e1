"""The :class:`DataSet` type and :func:`load_data_dir`, which runs every stage
of the loader on every table of a data directory and reports all problems at once."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from ..codes import LANGUAGES
from ..contracts import COLUMNS, TABLES
from ..problems import concat_problems
from ..report import DataContractError
from .canonical import empty_table, to_canonical
from .cross_checks import check_references, check_rows
from .parse import LOCAL_TZ, parse_table
from .read import locate, read_file
from .state import TableState
from .summary import summarise
from .validate import validate_table

__all__ = ["DataSet", "DateLike", "load_data_dir"]

DateLike: TypeAlias = str | datetime.date | pd.Timestamp


@dataclass
class DataSet:
    """The tables of a data directory, in canonical form.

    Attributes
    ----------
    tables : dict of str to DataFrame
        One frame per loaded table; also reachable as attributes
        (``data.bodies``).
    path : Path
        The data directory.
    as_of : Timestamp
        No event in the tables is dated after this day.

    Examples
    --------
    >>> data = load_data_dir("demo-output/data", as_of="2026-10-01")  # doctest: +SKIP
    >>> data.bodies is data.tables["bodies"]  # doctest: +SKIP
    True
    >>> print(data.summary("zh"))  # doctest: +SKIP
    """

    tables: dict[str, pd.DataFrame]
    path: Path
    as_of: pd.Timestamp

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"DataSet has no table {name!r}; loaded: {', '.join(tables)}")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.tables]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}: {len(frame):,} rows" for name, frame in self.tables.items())
        return f"DataSet(path={str(self.path)!r}, as_of={self.as_of:%Y-%m-%d}, tables={{{sizes}}})"

    def summary(self, lang: str = "en") -> str:
        """A short readable summary: rows per table, periods, counts per code."""
        if lang not in LANGUAGES:
            raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
        return summarise(self.tables, self.path, self.as_of, lang)


def load_data_dir(
    path: str | os.PathLike,
    as_of: DateLike | None = None,
    tables: Iterable[str] | None = None,
) -> DataSet:
    """Read and check a data directory; every problem is reported at once.

    Parameters
    ----------
    path : str or Path
        Folder with one file per table: ``<table>.parquet`` or ``<table>.csv``.
    as_of : date-like, optional
        No event may be dated after this day (default: today in Asia/Shanghai).
    tables : sequence of str, optional
        Read only these tables (default: all of :data:`~features.contracts.TABLES`).

    Returns
    -------
    DataSet
        Every requested table in canonical form; an optional table without a
        file is an empty frame with the right columns and dtypes.

    Raises
    ------
    DataContractError
        When anything breaks the data contract; its ``problems`` list every
        problem of every table.
    FileNotFoundError
        When ``path`` is not a directory.

    Examples
    --------
    >>> data = load_data_dir("data", as_of="2026-10-01")  # doctest: +SKIP
    >>> data.inspections.dtypes["inspected_on"]  # doctest: +SKIP
    dtype('<M8[ns]')
    """
    path = _data_dir(path)
    as_of = _as_of(as_of)
    loaded = {name: _load_table(path, name, as_of) for name in _table_names(tables)}
    check_references(loaded)
    problems = concat_problems([p for t in loaded.values() for p in t.problems])
    if len(problems):
        raise DataContractError(_in_table_order(problems), path)
    return DataSet({name: t.loaded for name, t in loaded.items()}, path, as_of)


def _load_table(path: Path, name: str, as_of: pd.Timestamp) -> TableState:
    """One table through every stage: locate, read, parse, validate, canonical form, row checks."""
    table = TableState(name)
    file = locate(path, table)
    if file is None:
        if not table.present:
            table.frame = empty_table(name)
        return table
    raw = read_file(file, table)
    if raw is None:
        return table
    if name == "bodies" and len(raw) == 0:
        table.fail("table has no rows (at least one is required)")
    table.frame = parse_table(table, raw)
    validate_table(table)
    to_canonical(table)
    check_rows(table, as_of)
    return table


def _as_of(as_of: DateLike | None) -> pd.Timestamp:
    if as_of is None:  # today in China, whatever the machine's time zone
        return pd.Timestamp.now(tz=LOCAL_TZ).tz_localize(None).normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`as_of` must be a date; got {as_of!r}.") from exc
    if pd.isna(stamp):
        raise ValueError(f"`as_of` must be a date; got {as_of!r}.")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def _table_names(tables: Iterable[str] | None) -> tuple[str, ...]:
    if tables is None:
        return TABLES
    names = (tables,) if isinstance(tables, str) else tuple(tables)
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"`tables` must name tables of the contract ({', '.join(TABLES)}); got {unknown}.")
    return tuple(t for t in TABLES if t in names)


def _data_dir(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"data directory {path} does not exist.")
    if not path.is_dir():
        raise FileNotFoundError(f"data directory {path} is not a directory.")
    return path


def _in_table_order(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems by table, then whole-table problems, then by column in contract order."""
    table = problems["table"].map({t: i for i, t in enumerate(TABLES)}).to_numpy()
    known = pd.MultiIndex.from_tuples([(t, c) for t in TABLES for c in COLUMNS[t]])
    position = np.concatenate([np.arange(len(COLUMNS[t])) for t in TABLES])
    found = known.get_indexer(pd.MultiIndex.from_arrays([problems["table"], problems["column"]]))
    column = np.where(found >= 0, position[found], -1)
    order = np.lexsort((column, table))
    return problems.iloc[order].reset_index(drop=True)
