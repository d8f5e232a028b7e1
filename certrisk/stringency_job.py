"""The inspector table (统一执法尺度): every inspector's stringency as of a date, as CSV and XLSX.

:func:`inspector_table` fits :func:`riskmodel.stringency.estimate_stringency`
on the inspections before the as-of date and returns the table with the fit;
:func:`stringency_writers` gives the writers of the output folder's files, for
one atomic write (``certrisk stringency``). The table is the input of the
report's section on unifying enforcement standards (``certrisk report
--stringency``) and of the team-conditional probability in a draw's internal
list (``certrisk draw --stringency``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from features.loading import DataSet
    from riskmodel.stringency import StringencyFit

STRINGENCY_FILES = ("inspector_stringency.csv", "inspector_stringency.xlsx", "inspector_stringency.run.json")


def inspector_table(
    data: DataSet, as_of: pd.Timestamp, *, kinds: str = "random", lang: str = "en", fit: StringencyFit | None = None
) -> tuple[pd.DataFrame, StringencyFit]:
    """The inspector table as of ``as_of`` (with the as-of date on every row) and the fit it comes from.

    ``fit``: an estimate already made as of ``as_of`` (else it is made here, from ``kinds``).
    """
    from riskmodel.stringency import estimate_stringency

    fit = estimate_stringency(data, as_of, kinds=kinds) if fit is None else fit
    table = fit.table(lang)
    table.insert(1, "as_of", as_of.date().isoformat())
    return table, fit


def stringency_writers(out: Path, table: pd.DataFrame, record: dict[str, Any]) -> dict[Path, Callable[[Path], None]]:
    """The writer of every file of the folder ``out`` (:data:`STRINGENCY_FILES`), for one atomic write."""
    from .runinfo import write_json
    from .tables import write_table

    csv, xlsx, run = (out / name for name in STRINGENCY_FILES)
    return {
        csv: lambda path: write_table(table, path),
        xlsx: lambda path: write_table(table, path),
        run: lambda path: write_json(path, record),
    }


def counts(table: pd.DataFrame) -> dict[str, int]:
    """How many inspectors find more, less, in line, or have no inspections (by the English words)."""
    from riskmodel.stringency import WORDS

    shown = table["assessment_en"].value_counts()
    return {key: int(shown.get(words[0], 0)) for key, words in WORDS.items()}
