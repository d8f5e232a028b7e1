"""Writing the engine's own tables (grades, features, estimates) by file extension.

A grades file is read back by :func:`features.load_grades`, which checks it.
An XLSX table goes through the engine's one writer
(:func:`certrisk.xlsx.write_workbook`): its sheet is named after the file,
with an about sheet (:func:`table_about`).

All files of one output are written together through
:func:`features.atomic.atomic_outputs`, so a failure leaves no half-written
output behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from features.atomic import atomic_outputs

from .errors import UsageError

TABLE_FORMATS = (".parquet", ".csv", ".xlsx")


def check_table_path(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The path of a table to write, refused unless it ends in one of :data:`TABLE_FORMATS`."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_FORMATS:
        raise UsageError("errors.out_suffix", option=option, allowed=", ".join(TABLE_FORMATS), got=path.name)
    return path


def write_table(frame: pd.DataFrame, path: Path, about: Mapping[str, str] | None = None) -> None:
    """Parquet, CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or XLSX.

    An XLSX file holds the table on a sheet named after the file and an about
    sheet: :func:`table_about`, then the items of ``about``.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".csv":  # text cells a spreadsheet would read as formulas get a leading quote (features.cells)
        from features.cells import safe_table

        safe_table(frame).to_csv(path, index=False, encoding="utf-8-sig")
    else:
        from .xlsx import Sheet, write_workbook

        write_workbook(path, [Sheet(table_sheet_name(path), frame)], table_about(frame, path) | dict(about or {}))


ABOUT_COLUMNS = {"as_of": "as-of date", "model_version": "model version", "draw_id": "draw id"}


def table_sheet_name(path: Path) -> str:
    """The sheet of a table's XLSX file: the file's name without suffix, as Excel allows (31 characters).

    >>> table_sheet_name(Path("out/estimates 2026:Q4.xlsx"))
    'estimates 2026_Q4'
    """
    return re.sub(r"[\[\]:*?/\\]", "_", path.stem)[:31] or "table"


def table_about(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """What the about sheet of a table's XLSX says: the file, its rows, its as-of date, model and draw, the software."""
    from . import __version__

    about = {"file": path.name, "rows": str(len(frame))}
    for column, item in ABOUT_COLUMNS.items():
        values = frame[column].dropna().unique() if column in frame else []
        if len(values) == 1:
            value = values[0]
            about[item] = value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)
    return about | {"software": f"certrisk {__version__}"}


def write_outputs(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Write every output with its writer, all or nothing; returns the targets."""
    targets = list(writers)
    with atomic_outputs(targets) as temps:
        for tmp, write in zip(temps, writers.values(), strict=True):
            write(tmp)
    return targets
