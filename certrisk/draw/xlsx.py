"""The XLSX mirrors of the lists: one sheet, values only, never a formula.

Every text cell is written as text (cell type ``s``) after
:func:`certrisk.draw.cells.neutralise`, so nothing in a list can become a
live formula. :func:`read_sheets` reads a workbook back for verification:
its sheet names and, per sheet, the values as text.
"""

from __future__ import annotations

from pathlib import Path

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


def read_sheets(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook: its rows as text (empty cells as ""), and whether any cell holds a formula."""
    book = load_workbook(path, read_only=False, data_only=False)
    sheets: dict[str, list[list[str]]] = {}
    for ws in book.worksheets:
        rows = []
        for cells in ws.iter_rows():
            rows.append(["" if c.value is None else _text(c.value) for c in cells])
        sheets[ws.title] = rows
    return sheets


def formula_cells(path: Path) -> list[str]:
    """The coordinates of every cell that holds a formula (there should be none)."""
    book = load_workbook(path, read_only=False, data_only=False)
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return repr(value)
    return str(value)
