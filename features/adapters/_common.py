"""Shared pieces of the real-data adapters: the data folder, canonical frames,
bodies dated by their first visit, equal-probability draws within a year."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_outputs
from ..contracts import CANONICAL_DTYPES, COLUMN_KINDS, TABLES
from ..loading import empty_table
from ..tables import Tables

REAL_DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
"""Default location of the public real data (outside the project, never copied)."""

PROVINCE = "11"  # the contract needs a GB/T 2260 code; one city -> one code
FIELDS = "SERVICE"  # food service
DAY = pd.Timedelta(days=1)


def real_data_dir(path: str | os.PathLike | None, sub: str) -> Path:
    """The data set folder ``sub`` of ``path`` (default :data:`REAL_DATA_DIR`).

    Raises
    ------
    FileNotFoundError
        When the folder does not exist.
    """
    folder = (Path(path) if path is not None else REAL_DATA_DIR).resolve() / sub
    if not folder.is_dir():
        raise FileNotFoundError(f"real data folder {folder} does not exist.")
    return folder


def canonical(name: str, columns: Mapping[str, object]) -> pd.DataFrame:
    """A frame of table ``name`` with every contract column in its canonical dtype.

    Strings are stripped and empty strings become missing, as the loader does.
    """
    frame = pd.DataFrame(dict(columns))
    out = {}
    for column, kind in COLUMN_KINDS[name].items():
        s = frame[column].reset_index(drop=True)
        if kind == "str":
            s = s.astype("str").str.strip()
            s = s.mask(s == "")
        out[column] = s.astype(CANONICAL_DTYPES[kind])
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def with_empty_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every contract table, in contract order; those without data are empty."""
    return {name: tables[name] if name in tables else empty_table(name) for name in TABLES}


def bodies_first_seen(ids: pd.Series, first_seen: pd.Series, names: pd.Series | None = None) -> pd.DataFrame:
    """Bodies approved one day before their first visit; active, accredited, SERVICE."""
    n = len(ids)
    return canonical(
        "bodies",
        {
            "body_id": ids.to_numpy(),
            "name": (names if names is not None else ids).to_numpy(),
            "province": np.full(n, PROVINCE),
            "approved_on": (first_seen - DAY).to_numpy(),
            "ccc_designated": np.zeros(n, dtype=bool),
            "accredited": np.ones(n, dtype=bool),
            "status": np.full(n, "active"),
            "status_changed_on": np.full(n, np.datetime64("NaT", "ns")),
            "fields": np.full(n, FIELDS),
        },
    )


def equal_probability_by_year(body_ids: pd.Series, dates: pd.Series, first_seen: pd.Series) -> np.ndarray:
    """Inclusion probability of each draw: bodies drawn that year / bodies known that year.

    A body is known in a year when its first visit is on or before the year's
    end, so a draw's probability uses no record dated after its year.

    Parameters
    ----------
    body_ids, dates : Series
        The random inspections (one row each).
    first_seen : Series
        First visit of every body.

    Examples
    --------
    >>> seen = pd.Series(pd.to_datetime(["2010-01-05", "2010-03-01"]))
    >>> equal_probability_by_year(pd.Series(["a"]), pd.Series(pd.to_datetime(["2010-01-05"])), seen)
    array([0.5])
    """
    year = dates.dt.year.to_numpy()
    years = np.unique(year)
    known = np.searchsorted(np.sort(first_seen.dt.year.to_numpy()), years, side="right").astype(float)
    drawn = pd.Series(body_ids.to_numpy()).groupby(year).nunique().reindex(years).to_numpy(dtype=float)
    return (drawn / known)[np.searchsorted(years, year)]


def draw_ids(prefix: str, dates: pd.Series) -> np.ndarray:
    """One draw per year: ``<prefix>-<year>``."""
    return (prefix + "-" + dates.dt.year.astype("str")).to_numpy()


def write_data_dir(tables: Tables, directory: str | os.PathLike) -> Path:
    """Write each table as ``<directory>/<name>.parquet`` (for :func:`features.load_data_dir`), all or nothing.

    Examples
    --------
    >>> import tempfile
    >>> from features import load_data_dir
    >>> from features.adapters import load_boston
    >>> with tempfile.TemporaryDirectory() as d:  # doctest: +SKIP
    ...     data = load_data_dir(write_data_dir(load_boston(), d), as_of="2015-06-26")
    """
    directory = Path(directory)
    with atomic_outputs([directory / f"{name}.parquet" for name in tables]) as temps:
        for tmp, frame in zip(temps, tables.values(), strict=True):
            frame.to_parquet(tmp, index=False)
    return directory


def latest_date(tables: Tables) -> pd.Timestamp:
    """The latest date of any record (the data's natural as-of date is the day after)."""
    dates = [
        tables["bodies"]["approved_on"].max(),
        tables["inspections"]["inspected_on"].max(),
        tables["signals"]["observed_on"].max(),
    ]
    return max(d for d in dates if pd.notna(d))
