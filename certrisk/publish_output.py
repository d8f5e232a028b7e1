"""The files of the public results (``certrisk publish``): the CSV list, its XLSX mirror and its about sheet.

The CSV file is written as the draw lists are (text cells neutralised against
CSV injection, UTF-8 with BOM, LF line ends); the XLSX file holds the same
list on one sheet through the engine's one XLSX writer
(:func:`certrisk.xlsx.write_workbook`), and an about sheet that names the
draw, the publication rule and what the file does not include.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from features.cells import safe_table

from .catalogue import words
from .errors import UsageError
from .publish_job import DEADLINE_WORKING_DAYS, PUBLIC_COLUMNS, PublicResults

SHEET = "public_results"


def about(results: PublicResults, lang: str, version: str) -> dict[str, str]:
    """The about sheet of the XLSX: which draw, the publication rule, and what the file does not include."""
    w = words(lang, "publish")
    return {
        w["about_file"]: w["about_file_value"],
        w["about_draw_id"]: results.draw_id,
        w["about_commitment"]: results.commitment,
        w["about_deadline"]: w["about_deadline_value"].format(days=DEADLINE_WORKING_DAYS),
        w["about_software"]: f"certrisk {version}",
        w["about_statement"]: w["about_statement_value"],
    }


def output_paths(out: str | Path) -> tuple[Path, Path]:
    """The CSV file and its XLSX mirror of ``--out`` (``results.csv`` or ``results.xlsx``: both are written)."""
    path = Path(out)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError("errors.out_suffix_both", got=path.name)
    return path.with_suffix(".csv"), path.with_suffix(".xlsx")


def csv_writer(table: pd.DataFrame) -> Callable[[Path], None]:
    """Writes the list as the draw lists are: text cells neutralised, UTF-8 with BOM, LF line ends."""
    data = safe_table(table).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")

    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def xlsx_writer(table: pd.DataFrame, about: dict[str, str]) -> Callable[[Path], None]:
    """Writes the list on one sheet (raw values: the engine's XLSX writer neutralises them) and its about sheet."""
    from .xlsx import Sheet, write_workbook

    dates = (
        str(table.columns[PUBLIC_COLUMNS.index("inspected_on")]),
        str(table.columns[PUBLIC_COLUMNS.index("published_on")]),
    )
    return lambda path: write_workbook(path, [Sheet(SHEET, table, dates=dates)], about=about)
