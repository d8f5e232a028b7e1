"""The XLSX mirrors of the lists: one sheet, values only, never a formula.

Every text cell is written as text (cell type ``s``) after
:func:`certrisk.draw.cells.neutralise`, so nothing in a list can become a
live formula. :func:`read_workbook` reads a workbook back for verification:
its sheets with their values as text, and any formula cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
from openpyxl import Workbook, load_workbook


def sheet_name(csv_name: str) -> str:
    """The one sheet of the XLSX mirror of ``csv_name`` (``public_list.csv`` -> ``public_list``)."""
    return Path(csv_name).stem


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Write ``frame`` (already neutralised) as a workbook of one sheet, header in the first row."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in row])
    for cells in ws.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even if it looked like a formula
    book.save(path)


class ReadWorkbook(NamedTuple):
    """What verification reads of a workbook: each sheet's rows as text, and the cells holding a formula."""

    sheets: dict[str, list[list[str]]]
    formulas: list[str]


def read_workbook(path: Path) -> ReadWorkbook:
    """Every sheet of a workbook, its rows as text (empty cells as ""), and every formula cell, in one read."""
    book = load_workbook(path, read_only=False, data_only=False)
    sheets: dict[str, list[list[str]]] = {}
    formulas: list[str] = []
    for ws in book.worksheets:
        rows = []
        for cells in ws.iter_rows():
            rows.append(["" if c.value is None else _text(c.value) for c in cells])
            formulas += [f"{ws.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
        sheets[ws.title] = rows
    return ReadWorkbook(sheets, formulas)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return repr(value)
    return str(value)
