"""Locate a table's file in the data directory and read it as it is.

A table is ``<name>.parquet`` or ``<name>.csv``. CSV cells are read as text
(UTF-8, an optional byte-order mark is dropped); Parquet columns keep their
native types; an XLSX file (a grades file may be one) is read as text from its
first sheet. A file that cannot be read becomes one whole-table problem.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow
import pyarrow.parquet as pq

from ..contracts import REQUIRED_TABLES
from .state import TableState

__all__ = ["UTF16_RULE", "locate", "read_file"]

UTF16_RULE = "file is UTF-16 text, not UTF-8 (save it as CSV UTF-8)"


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
    """The file's rows as they are (Parquet, XLSX or CSV by suffix); None (with a problem) if unreadable."""
    if not file.exists():
        table.fail("file does not exist")
        return None
    if file.is_dir():
        table.fail("is a folder, not a file")
        return None
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        return _read_parquet(file, table)
    return _read_xlsx(file, table) if suffix == ".xlsx" else _read_csv(file, table)


def _read_csv(file: Path, table: TableState) -> pd.DataFrame | None:
    """Every cell as text; "" for empty cells. None (with a problem) if unreadable."""
    raw = _read_bytes(file, table)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            table.fail(UTF16_RULE)
        else:
            table.fail(f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})")
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


def _read_xlsx(file: Path, table: TableState) -> pd.DataFrame | None:
    """Every cell of the first sheet as text; "" for empty cells."""
    if file.stat().st_size == 0:
        table.fail("file is empty (no header row)")
        return None
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        frame = pd.read_excel(file, dtype=object, keep_default_na=False, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        table.fail(f"file cannot be read as XLSX: {_first_line(exc)}")
        return None
    frame = frame.map(_cell_text).astype("str")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _cell_text(value: object) -> str:
    """A spreadsheet cell as a CSV file would hold it: dates as YYYY-MM-DD, times in ISO 8601."""
    if isinstance(value, datetime.datetime):
        return value.strftime(
            "%Y-%m-%d" if value == datetime.datetime.combine(value.date(), datetime.time()) else "%Y-%m-%dT%H:%M:%S"
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _read_bytes(file: Path, table: TableState) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError as exc:
        table.fail(f"file cannot be read: {exc.strerror or exc}")
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
