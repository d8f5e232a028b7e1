"""The report's inputs: checking its arguments and reading the tables and records it is built from.

Every check raises a ``ValueError`` of one sentence naming the argument and its
value, before anything is written; :func:`_about` gives the same form to an
error met later, while a section reads a table that turns out unusable.

>>> _check_lang("fr")
Traceback (most recent call last):
ValueError: `lang` must be one of en, zh; got 'fr'.
>>> _check_out("report.pdf")
Traceback (most recent call last):
ValueError: `out` must end in .md or .html; got 'report.pdf'.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import LANGUAGES

from .formats import REPORT_FORMATS

# The training run's tables, each with the figure drawn from it.
TRAINING_FILES = ("comparison", "calibration", "lift", "by_grade", "psi", "migration")
TRAINING_FIGURES = ("calibration", "lift", "grade_distribution", "psi", "migration")
ESTIMATE_COLUMNS = ("scope", "domain", "estimate")


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    return lang


def _check_out(out: str | os.PathLike[str] | None) -> Path:
    if out is None:
        raise ValueError("`out` must be the report file to write (.md or .html); got None.")
    path = Path(out)
    if path.suffix.lower() not in REPORT_FORMATS:
        raise ValueError(f"`out` must end in {' or '.join(REPORT_FORMATS)}; got {str(out)!r}.")
    if path.is_dir():
        raise ValueError(f"`out` must be a file, not a folder; got {str(out)!r}.")
    return path


def _check_training_dir(training_dir: str | os.PathLike[str] | None) -> Path:
    if training_dir is None:
        raise ValueError("`training_dir` must be a training run folder; got None.")
    path = Path(training_dir)
    if not path.is_dir():
        raise ValueError(f"`training_dir` must be an existing training run folder; got {str(training_dir)!r}.")
    known = [f"{n}.csv" for n in TRAINING_FILES] + [f"{n}.png" for n in TRAINING_FIGURES] + ["run.json"]
    if not any((path / name).is_file() for name in known):
        raise ValueError(
            f"`training_dir` holds none of the files of a training run (run.json, comparison.csv, calibration.png, ...); "
            f"got {str(training_dir)!r}."
        )
    return path


def _check_draw_folder(draw_folder: str | os.PathLike[str] | None) -> Path | None:
    if draw_folder is None:
        return None
    path = Path(draw_folder)
    if not path.is_dir():
        raise ValueError(f"`draw_folder` must be an existing draw folder; got {str(draw_folder)!r}.")
    if not (path / "frame.csv").is_file():
        raise ValueError(f"`draw_folder` must hold frame.csv (a draw folder OUT/<draw_id>/); got {str(draw_folder)!r}.")
    return path


def _check_estimates(estimates: str | os.PathLike[str] | pd.DataFrame | None) -> pd.DataFrame | None:
    if estimates is None:
        return None
    if isinstance(estimates, pd.DataFrame):
        table, shown = estimates.copy(), "a DataFrame"
    else:
        path = Path(estimates)
        if path.suffix.lower() != ".csv":
            raise ValueError(f"`estimates` must be a .csv file of population estimates; got {str(estimates)!r}.")
        if not path.is_file():
            raise ValueError(f"`estimates` must be an existing file; got {str(estimates)!r}.")
        table, shown = _read_csv(path, "estimates"), repr(str(estimates))
    missing = [c for c in ESTIMATE_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(
            f"`estimates` must have columns {', '.join(ESTIMATE_COLUMNS)}; {shown} lacks {', '.join(missing)}."
        )
    if table.empty:
        raise ValueError(f"`estimates` must have at least one row; got an empty table from {shown}.")
    return table


def _check_stringency(stringency: str | os.PathLike[str] | pd.DataFrame | None) -> pd.DataFrame | None:
    """The inspector table of ``certrisk stringency`` (a .csv file or a DataFrame), checked; None when not given."""
    if stringency is None:
        return None
    from .sections.stringency import check_stringency_table

    if isinstance(stringency, pd.DataFrame):
        return check_stringency_table(stringency, "a DataFrame")
    path = Path(stringency)
    if path.suffix.lower() != ".csv" or not path.is_file():
        raise ValueError(
            f"`stringency` must be an existing .csv inspector table (certrisk stringency); got {str(stringency)!r}."
        )
    try:  # as text: ids and province codes keep their leading zeros
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(
            f"`stringency` must be a readable UTF-8 CSV file; got {str(path)!r} ({type(exc).__name__})."
        ) from None
    return check_stringency_table(table, repr(str(stringency)))


# --------------------------------------------------------------------- reading
def _read_csv(path: Path, what: str) -> pd.DataFrame:
    """Read a UTF-8 CSV (with or without BOM); an unreadable file is a ValueError naming the argument ``what``."""
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(
            f"`{what}` must be a readable UTF-8 CSV file; got {str(path)!r} ({type(exc).__name__})."
        ) from None


def _read_json(path: Path, what: str) -> dict[str, Any]:
    """Read a JSON record of a run or draw folder; ``{}`` when it is absent, a ValueError naming ``what`` when invalid."""
    if not path.is_file():
        return {}
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError(f"`{what}` holds a {path.name} that is not valid JSON; got {str(path.parent)!r}.") from None
    return record


@contextlib.contextmanager
def _about(arg: str, value: object) -> Iterator[None]:
    """Turn a table that cannot be used (a missing column, a wrong type) into a ValueError naming ``arg``."""
    try:
        yield
    except ValueError as exc:
        if str(exc).startswith(f"`{arg}`"):
            raise
        raise ValueError(f"`{arg}` holds a table that cannot be used ({exc}); got {str(value)!r}.") from None
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(
            f"`{arg}` holds a table without the expected columns ({type(exc).__name__}: {exc}); got {str(value)!r}."
        ) from None
