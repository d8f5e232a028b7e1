"""Locate a table's file in the data directory and read it as it is.

A table is ``<name>.parquet`` or ``<name>.csv``. CSV cells are read as text
(UTF-8, an optional byte-order mark is dropped); Parquet columns keep their
native types. A file that cannot be read becomes one whole-table problem.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow
import pyarrow.parquet as pq

from ..contracts import REQUIRED_TABLES
from .state import TableState

__all__ = ["locate", "read_file"]


def locate(path: Path, table: TableState) -> Path | None:
    """The table's file, or None; records missing and duplicate files."""
    name = table.name
    found = [p for p in (path / f"{name}.parquet", path / f"{name}.csv") if p.is_file()]
    if len(found) == 2:
        table.fail(f"two files for one table: {name}.csv and {name}.parquet")
        table.present = True
        return None
    if not found and name in REQUIRED_TABLES:
        table.fail(f"required table is missing (expected {name}.parquet or {name}.csv)")
    table.present = bool(found)
    return found[0] if found else None


def read_file(file: Path, table: TableState) -> pd.DataFrame | None:
    """The file's rows as they are (Parquet or CSV by suffix); None (with a problem) if unreadable."""
    return _read_parquet(file, table) if file.suffix == ".parquet" else _read_csv(file, table)


def _read_csv(file: Path, table: TableState) -> pd.DataFrame | None:
    """Every cell as text; "" for empty cells. None (with a problem) if unreadable."""
    raw = _read_bytes(file, table)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        rule = f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        table.fail(rule)
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        table.fail("file is empty (no header row)")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, ValueError) as exc:
        table.fail(f"file cannot be read as CSV: {_first_line(exc)}")
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_parquet(file: Path, table: TableState) -> pd.DataFrame | None:
    """The Parquet table with its native types (dates as datetime64)."""
    try:
        return pq.read_table(file).to_pandas(date_as_object=False)
    except (OSError, ValueError, pyarrow.ArrowException) as exc:
        table.fail(f"file cannot be read as Parquet: {_first_line(exc).replace(str(file), file.name)}")
    return None


def _read_bytes(file: Path, table: TableState) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError as exc:
        table.fail(f"file cannot be read: {exc.strerror or exc}")
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
