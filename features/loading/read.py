"""Locate a table's file in the data directory and read it as it is.

A table is ``<name>.parquet`` or ``<name>.csv``. CSV cells are read as text
(UTF-8, an optional byte-order mark is dropped); Parquet columns keep their
native types; an XLSX file (a grades file may be one) is read as text from its
first sheet. A file that cannot be read becomes one whole-table problem, and so
does a header that names a column twice (:data:`DUPLICATE_COLUMN_RULE`). A CSV
row with more cells than the header is a problem of that row
(:data:`WIDE_ROW_RULE`); its cells are marked bad, so validation and the
cross-checks skip them (parsing still reports a cell that is not of its kind).
A row with fewer cells has its missing cells empty.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.parquet as pq

from ..contracts import REQUIRED_TABLES
from ..problems import MAX_LISTED, cell_problems, table_problem
from .state import TableState

__all__ = ["DUPLICATE_COLUMN_RULE", "UTF16_RULE", "WIDE_ROW_RULE", "locate", "read_file"]

UTF16_RULE = "file is UTF-16 text, not UTF-8 (save it as CSV UTF-8)"
DUPLICATE_COLUMN_RULE = "column appears more than once in the header"
WIDE_ROW_RULE = "row has {cells} cells, the header has {header}"
"""A CSV row with more cells than the header; the value is its extra cells."""


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
    text = _csv_text(file, table)
    if text is None:
        return None
    try:
        frame, wide = _parse_csv(text)
        header = _csv_header(text)
    except (pd.errors.ParserError, ValueError) as exc:
        table.fail(f"file cannot be read as CSV: {_first_line(exc)}")
        return None
    if not _header_is_unique(header, table):
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    _report_wide_rows(table, frame, wide)
    return frame


def _csv_text(file: Path, table: TableState) -> str | None:
    """The file as text without its byte-order mark; None (with a problem) if not UTF-8 or empty."""
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
    return text


def _parse_csv(text: str) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """The rows, as wide as the header, and the extra cells of each wider row (by 0-based data row).

    pandas drops a wide first row's extra cells with a warning and refuses a
    later wide row; either way the rows are read again, with their cells
    counted by :mod:`csv` (:func:`_wide_rows`).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False), {}
    except (pd.errors.ParserWarning, pd.errors.ParserError) as exc:
        found = _wide_rows(text)
        if found is None:
            raise pd.errors.ParserError(str(exc)) from exc
        return found


_MATCHED = 20
"""Wide rows, from each end, whose cells are compared between pandas and :mod:`csv`."""


def _wide_rows(text: str) -> tuple[pd.DataFrame, dict[int, list[str]]] | None:
    """:func:`_parse_csv` for a file with wide rows; None when the rows cannot be matched with pandas' own."""
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline="")) if not _blank_line(r)]
    except csv.Error:
        return None
    width = len(records[0]) if records else 0
    wide = {i - 1: r[width:] for i, r in enumerate(records) if i and len(r) > width}
    if not wide:
        return None
    cells = max(len(r) for r in records)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        every = pd.read_csv(io.StringIO(text), header=None, names=range(cells), dtype=str, keep_default_na=False)
        names = pd.read_csv(io.StringIO(text), nrows=0, dtype=str, keep_default_na=False, index_col=False).columns
    rows = sorted(wide)
    checked = rows[:_MATCHED] + rows[-_MATCHED:]  # a line split otherwise shifts every later row
    if len(every) != len(records) or any(
        every.iloc[i + 1, : len(records[i + 1])].tolist() != records[i + 1] for i in checked
    ):
        return None  # pandas and csv split the file differently: the reader's own message is reported
    frame = every.iloc[1:, :width].reset_index(drop=True)
    frame.columns = names
    return frame, wide


def _csv_header(text: str) -> list[str]:
    """The header's cells as written (pandas renames a repeated name ``name.1``)."""
    try:
        return next((r for r in csv.reader(io.StringIO(text, newline="")) if not _blank_line(r)), [])
    except csv.Error:  # e.g. a header cell beyond csv's field size limit: pandas' own split
        return pd.read_csv(io.StringIO(text), header=None, nrows=1, dtype=str, keep_default_na=False).iloc[0].tolist()


def _blank_line(record: list[str]) -> bool:
    """A line pandas skips: empty, or blanks and tabs only."""
    return not record or (len(record) == 1 and not record[0].strip(" \t"))


def _report_wide_rows(table: TableState, frame: pd.DataFrame, wide: dict[int, list[str]]) -> None:
    """One problem per wide row (its extra cells quoted); its cells marked bad for the later stages."""
    if not wide:
        return
    rows = np.array(sorted(wide), dtype=np.int64)
    widths = np.array([len(frame.columns) + len(wide[i]) for i in rows])
    for cells in np.unique(widths):
        chosen = rows[widths == cells]
        rule = WIDE_ROW_RULE.format(cells=cells, header=len(frame.columns))
        values = [",".join(wide[i]) if n <= MAX_LISTED else "" for n, i in enumerate(chosen)]  # the listed ones
        table.problems.append(cell_problems(table.name, "", rule, chosen + 1, values))
    mask = np.zeros(len(frame), dtype=bool)
    mask[rows] = True
    for column in frame.columns:
        table.mark(column, mask)


def _header_is_unique(header: Sequence[object], table: TableState) -> bool:
    """True when no column name (blanks around it ignored) is written twice; else one problem per such name."""
    names = pd.Series(["" if v is None else str(v).strip() for v in header], dtype=object)
    names = names[names != ""]  # empty names are read as "Unnamed: n", each its own column
    twice = names[names.duplicated()].unique().tolist()
    for name in twice:
        table.problems.append(table_problem(table.name, DUPLICATE_COLUMN_RULE, column=name))
    table.broken = table.broken or bool(twice)
    return not twice


def _read_parquet(file: Path, table: TableState) -> pd.DataFrame | None:
    """The Parquet table with its native types (dates as datetime64)."""
    try:
        if not _header_is_unique(pq.read_schema(file).names, table):
            return None
        return pq.read_table(file).to_pandas(date_as_object=False)
    except (OSError, ValueError, pyarrow.ArrowException) as exc:
        table.fail(f"file cannot be read as Parquet: {_first_line(exc).replace(str(file), file.name)}")
    return None


_XLSX_DAMAGE: tuple[type[BaseException], ...] = (
    OSError,
    ValueError,
    KeyError,
    EOFError,  # a compressed member cut short
    SyntaxError,  # damaged sheet XML: xml.etree's ParseError is a SyntaxError
    zlib.error,  # a compressed member whose bytes are damaged
    zipfile.BadZipFile,
)
"""What reading a damaged XLSX file raises, besides openpyxl's InvalidFileException."""


def _read_xlsx(file: Path, table: TableState) -> pd.DataFrame | None:
    """Every cell of the first sheet as text; "" for empty cells."""
    if file.stat().st_size == 0:
        table.fail("file is empty (no header row)")
        return None
    from openpyxl.utils.exceptions import InvalidFileException

    try:  # read once, the header as a row: pandas would rename a repeated name ``name.1``
        cells = pd.read_excel(file, header=None, dtype=object, keep_default_na=False, engine="openpyxl")
    except (*_XLSX_DAMAGE, InvalidFileException) as exc:
        table.fail(f"file cannot be read as XLSX: {_first_line(exc)}")
        return None
    header = [_cell_text(v).strip() for v in cells.iloc[0]] if len(cells) else []
    if not _header_is_unique(header, table):
        return None
    frame = cells.iloc[1:].map(_cell_text).astype("str").reset_index(drop=True)
    frame.columns = [name or f"Unnamed: {i}" for i, name in enumerate(header)]  # as pandas names an empty header cell
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
