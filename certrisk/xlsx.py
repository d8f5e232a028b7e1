"""The one XLSX writer of the engine: every list and table it writes as a workbook goes through here.

:func:`write_workbook` writes one sheet per list and, when asked, an
``about`` sheet that says what the file is::

    from certrisk.xlsx import Sheet, write_workbook

    write_workbook(
        path,
        [Sheet("warnings", warnings), Sheet("auditors", auditors)],
        about={"as-of date": "2026-10-01", "software": "certrisk 0.1.0"},
    )

Every sheet gets the same layout:

- a bold header row, frozen (it stays in view when scrolling and is printed
  on every page), with an auto-filter over the whole table;
- column widths fitted to the content, a CJK character counted as two
  (:func:`display_width`), capped at :data:`WIDTH_CAP`;
- numbers and booleans as typed cells; dates as real Excel dates with the
  format ``yyyy-mm-dd`` (``datetime64`` columns, ``date`` values, and text
  columns of ISO dates, see :class:`Sheet`);
- text as text, never a formula: every text cell goes through
  :func:`features.cells.neutralise` (a leading ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets a single quote, as for the CSV files)
  and is typed as a string; a control character an XLSX file cannot hold
  (all below U+0020 but tab, line feed and carriage return) becomes U+FFFD
  (:func:`xlsx_text`), so that no value can make the writer fail.

Pass the raw values: the writer neutralises them (a table neutralised
beforehand would get a second quote). :func:`read_workbook` reads a workbook
back as text, for verification and tests.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

WIDTH_CAP = 60  # characters (a CJK character counts two): longer text wraps off the column, the filter stays usable
ABOUT_WIDTH_CAP = 120  # the about sheet's values (hashes, commands) are read whole
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
ABOUT_SHEET = "about"
ABOUT_HEADER = ("item", "value")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
REPLACEMENT = "\ufffd"
FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


@dataclass(frozen=True)
class Sheet:
    """One list on its own sheet: its name (at most 31 characters, no ``[]:*?/\\``) and its table.

    ``dates``: the text columns that hold ISO dates (``YYYY-MM-DD``) to write
    as dates; ``None`` (the default) takes every text column whose non-empty
    cells are all ISO dates. ``datetime64`` columns are dates in any case.
    """

    name: str
    frame: pd.DataFrame
    dates: tuple[str, ...] | None = None


def display_width(text: str) -> int:
    """The columns ``text`` takes on screen: a wide (CJK) character two, a combining mark none.

    >>> display_width("CB001"), display_width("认证机构"), display_width("北京 QMS")
    (5, 8, 8)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def xlsx_text(text: str) -> str:
    r"""``text`` as an XLSX cell can hold it: each control character XML 1.0 refuses replaced by U+FFFD.

    >>> xlsx_text("CB001\x01") == "CB001\ufffd", xlsx_text("line\nbreak\ttab") == "line\nbreak\ttab"
    (True, True)
    """
    return NOT_IN_XLSX.sub(REPLACEMENT, text)


def write_workbook(path: str | Path, sheets: Sequence[Sheet], about: Mapping[str, str] | None = None) -> None:
    """Write ``sheets`` (in order) to the workbook ``path``, then an ``about`` sheet of ``about``'s items.

    Each :class:`Sheet` is a name and a DataFrame of raw values (the writer
    neutralises text itself; see the module docstring for the layout), e.g.
    ``write_workbook(path, [Sheet("results", table, dates=("inspected on",))],
    about={"draw id": draw_id, "software": f"certrisk {__version__}"})``.
    ``about`` (item -> value, both text, in the order given) says what the
    file is: for a draw, its id, frame SHA-256, commitment, seed, as-of date,
    software version and the command that verifies it. The about sheet comes
    last, so a program that reads the first sheet reads the list. Raises
    ValueError for a sheet name Excel refuses, a name used twice, or a list
    named ``about`` beside an about sheet.
    """
    from openpyxl import Workbook

    _check_names([s.name for s in sheets] + ([ABOUT_SHEET] if about is not None else []))
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet.name, _columns(sheet), filtered=True, cap=WIDTH_CAP)
    if about is not None:
        items = pd.DataFrame({ABOUT_HEADER[0]: list(about), ABOUT_HEADER[1]: [str(v) for v in about.values()]})
        _write_sheet(
            book, ABOUT_SHEET, _columns(Sheet(ABOUT_SHEET, items, dates=())), filtered=False, cap=ABOUT_WIDTH_CAP
        )
    book.save(Path(path))


def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not 1 <= len(name) <= 31 or any(c in FORBIDDEN_IN_SHEET_NAMES for c in name):
            raise ValueError(
                f"a sheet name must be 1 to 31 characters without any of {FORBIDDEN_IN_SHEET_NAMES}; got {name!r}."
            )
        if name.lower() in seen:
            raise ValueError(f"a sheet name must be used once in a workbook (case ignored); got {name!r} twice.")
        seen.add(name.lower())


# --- cells ---------------------------------------------------------------------------------------------------------
class _Column(NamedTuple):
    header: str
    values: list[Any]  # None, bool, int, float, str (neutralised), datetime.date or datetime.datetime
    number_format: str | None  # for date cells


def _neutraliser() -> Callable[[str], str]:
    from features.cells import neutralise

    return neutralise


def _columns(sheet: Sheet) -> list[_Column]:
    frame = sheet.frame
    neutralise = _neutraliser()
    dates = set(_date_columns(frame) if sheet.dates is None else sheet.dates)
    missing = dates - {str(c) for c in frame.columns}
    if missing:
        raise ValueError(f"sheet {sheet.name!r}: `dates` names no column of the table: {', '.join(sorted(missing))}.")
    return [_column(str(name), frame[name], str(name) in dates, neutralise) for name in frame.columns]


def _date_columns(frame: pd.DataFrame) -> list[str]:
    """The text columns whose non-empty cells are all ISO dates (at least one)."""
    found = []
    for name in frame.columns:
        values = frame[name]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        present = [v for v in values if not _missing(v) and v != ""]
        if present and all(isinstance(v, str) and _is_iso(v) for v in present):
            found.append(str(name))
    return found


def _is_iso(text: str) -> bool:
    if not ISO_DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _column(header: str, values: pd.Series, iso_dates: bool, neutralise: Callable[[str], str]) -> _Column:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz is not None else values
        whole_days = bool((stamps.dropna() == stamps.dropna().dt.normalize()).all())
        cells = [None if pd.isna(v) else v.date() if whole_days else v.to_pydatetime() for v in stamps]
        return _Column(header, cells, DATE_FORMAT if whole_days else DATETIME_FORMAT)
    if iso_dates:
        return _Column(header, [_iso_date(header, v) for v in values], DATE_FORMAT)
    return _Column(header, [_cell(v, neutralise) for v in values], None)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _iso_date(header: str, value: object) -> datetime.date | None:
    if _missing(value) or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _is_iso(value):
        return datetime.date.fromisoformat(value)
    raise ValueError(f"column {header!r} is written as dates, but holds {value!r}, not a date YYYY-MM-DD.")


def _cell(value: object, neutralise: Callable[[str], str]) -> Any:
    """The value of one typed cell: numbers, booleans and dates as such, text neutralised, missing as None."""
    if _missing(value):
        return None
    if isinstance(value, datetime.date):  # datetime.datetime and pd.Timestamp included
        return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if isinstance(value, np.generic):
        value = value.item()  # numpy scalars as Python numbers
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value if math.isfinite(value) else neutralise(repr(value))
    return xlsx_text(neutralise(str(value)))


# --- layout --------------------------------------------------------------------------------------------------------
def _cell_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, float):
        return min(len(repr(value)), 12)  # Excel's General format shows about 11 significant digits
    return max((display_width(line) for line in str(value).splitlines()), default=0)


def _width(column: _Column, cap: int) -> float:
    widest = max((_cell_width(v) for v in column.values), default=0)
    return float(min(max(display_width(column.header) + 3, widest + 2), cap))  # + 3: room for the filter button


def _write_sheet(book: Any, name: str, columns: list[_Column], *, filtered: bool, cap: int) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(name)
    for k, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = _width(column, cap)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    rows = len(columns[0].values) if columns else 0
    if filtered and columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=xlsx_text(column.header))
        cell.data_type, cell.font = "s", bold
        header.append(cell)
    ws.append(header)
    for row in _rows(ws, columns, rows):
        ws.append(row)


def _rows(ws: Any, columns: list[_Column], rows: int) -> Iterable[list[Any]]:
    from openpyxl.cell import WriteOnlyCell

    for i in range(rows):
        row: list[Any] = []
        for column in columns:
            value = column.values[i]
            if isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # text, whatever it looks like
                row.append(cell)
            elif column.number_format is not None and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = column.number_format
                row.append(cell)
            else:
                row.append(value)
        yield row


# --- reading back --------------------------------------------------------------------------------------------------
class ReadWorkbook(NamedTuple):
    """A workbook read back: each sheet's rows as text (in sheet order), its formula cells and its unsafe text cells.

    ``unsafe``: the text cells a spreadsheet could take for a formula (they
    start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: the
    writer never leaves one so), as ``sheet!A1``.
    """

    sheets: dict[str, list[list[str]]]
    formulas: list[str]
    unsafe: list[str]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def read_workbook(path: str | Path) -> ReadWorkbook:
    """Every sheet of a workbook, its rows as text, its formula cells and unsafe text cells, in one read.

    Empty cells are ``""``, dates ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS``
    with a time), booleans ``True``/``False``, floats by ``repr``: as a CSV
    file written by pandas holds them. Trailing empty rows are dropped.
    """
    from openpyxl import load_workbook

    book = load_workbook(Path(path), read_only=False, data_only=False)
    sheets: dict[str, list[list[str]]] = {}
    formulas: list[str] = []
    unsafe: list[str] = []
    for ws in book.worksheets:
        rows = []
        for cells in ws.iter_rows():
            rows.append([cell_text(c.value) for c in cells])
            formulas += [f"{ws.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
            unsafe += [
                f"{ws.title}!{c.coordinate}"
                for c in cells
                if c.data_type == "s" and isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)
            ]
        while rows and not any(rows[-1]):
            rows.pop()
        sheets[ws.title] = rows
    return ReadWorkbook(sheets, formulas, unsafe)


def cell_text(value: object) -> str:
    """One cell's value as a CSV file holds it (see :func:`read_workbook`).

    >>> cell_text(datetime.datetime(2026, 10, 1)), cell_text(0.1), cell_text(None), cell_text(True)
    ('2026-10-01', '0.1', '', 'True')
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return repr(value)
    return str(value)
