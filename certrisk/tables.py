"""Writing the engine's own tables (grades, features, estimates) by file extension.

A grades file is read back by :func:`features.load_grades`, which checks it.

All files of one output are written together through
:func:`features.atomic.atomic_outputs`, so a failure leaves no half-written
output behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from features.atomic import atomic_outputs

from .errors import UsageError

TABLE_FORMATS = (".parquet", ".csv", ".xlsx")


def check_table_path(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The path of a table to write, refused unless it ends in one of :data:`TABLE_FORMATS`."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_FORMATS:
        raise UsageError(f"`{option}` must end in {', '.join(TABLE_FORMATS)}; got {path.name!r}.")
    return path


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Parquet, CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        frame.to_excel(path, index=False, engine="openpyxl")


def write_outputs(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Write every output with its writer, all or nothing; returns the targets."""
    targets = list(writers)
    with atomic_outputs(targets) as temps:
        for tmp, write in zip(temps, writers.values(), strict=True):
            write(tmp)
    return targets
