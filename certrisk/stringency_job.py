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


STRINGENCY_TABLE, STRINGENCY_SUBJECT = "inspector stringency", "stringency file"
EFFECT_BOUND = 10.0  # |stringency| on the log-odds scale beyond which a value cannot be an estimate


def read_effects(path: str | Path) -> pd.DataFrame:
    """``inspector_id`` and ``stringency`` of an inspector table (``certrisk stringency``), sorted by id.

    CSV (UTF-8), XLSX or Parquet; other columns are ignored. Every problem is
    reported at once (DataContractError): a missing column, an empty or
    repeated id, a stringency that is not a number in [-10, 10].
    """
    from features.cells import restore_table
    from features.loading.read import read_file
    from features.loading.state import TableState
    from features.problems import concat_problems, rule_problems, table_problem
    from features.report import DataContractError

    file = Path(path)
    table = TableState(STRINGENCY_TABLE)
    raw = read_file(file, table)
    problems = list(table.problems)
    if raw is not None:
        problems += [
            table_problem(STRINGENCY_TABLE, "missing column", column=c)
            for c in ("inspector_id", "stringency")
            if c not in raw.columns
        ]
        if not problems and len(raw) == 0:
            problems.append(table_problem(STRINGENCY_TABLE, "table has no rows (at least one is required)"))
    if problems or raw is None:
        raise DataContractError(concat_problems(problems), file, subject=STRINGENCY_SUBJECT)
    raw = restore_table(raw)  # the table `certrisk stringency` writes: its text cells neutralised for spreadsheets
    ids = raw["inspector_id"].astype(str).str.strip().where(raw["inspector_id"].notna(), "")
    value = pd.to_numeric(raw["stringency"], errors="coerce")
    rows = pd.Series(range(1, len(raw) + 1))
    checks = [
        ("inspector_id", "must not be empty", ids == ""),
        ("inspector_id", "must be unique (value appears more than once)", (ids != "") & ids.duplicated(keep=False)),
        ("stringency", f"must be in [-{EFFECT_BOUND:g}, {EFFECT_BOUND:g}]", ~value.abs().le(EFFECT_BOUND)),
    ]
    problems += rule_problems(STRINGENCY_TABLE, checks, rows, raw)
    if problems:
        raise DataContractError(concat_problems(problems), file, subject=STRINGENCY_SUBJECT)
    effects = pd.DataFrame({"inspector_id": ids, "stringency": value.astype(float)})
    return effects.sort_values("inspector_id").reset_index(drop=True)
