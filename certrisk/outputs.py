"""Writing tables: format from the file extension, several files committed together.

All files of one command are first written to temporary siblings and renamed
into place only when every one of them was written, so a failure leaves no
half-written output behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

TABLE_FORMATS = (".parquet", ".csv", ".xlsx")


def check_table_path(path: str | os.PathLike) -> Path:
    path = Path(path)
    if path.suffix.lower() not in TABLE_FORMATS:
        from .checks import UsageError

        raise UsageError(f"`--out` must end in {', '.join(TABLE_FORMATS)}; got {path.name!r}.")
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


def commit_files(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Write every file to a temporary sibling, then rename them all into place."""
    temps: dict[Path, Path] = {}
    try:
        for target, write in writers.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp{target.suffix}")
            write(tmp)
            temps[target] = tmp
        for target, tmp in temps.items():
            os.replace(tmp, target)
        return list(writers)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
