"""The report's inputs: checking its arguments and reading the tables and records it is built from.

Every check raises a ``ValueError`` of one sentence naming the argument and its
value, before anything is written; :func:`_about` gives the same form to an
error met later, while a section reads a table that turns out unusable. The
sentence is a key of the catalogue (:class:`certrisk.errors.KeyedError`), so
``certrisk report --lang zh`` says it in Chinese.

>>> _check_lang("fr")
Traceback (most recent call last):
certrisk.errors.KeyedError: `lang` must be one of en, zh; got 'fr'.
>>> try:
...     _check_out("report.pdf")
... except ValueError as exc:
...     print(exc, exc.in_language("zh"), sep=" | ")
`out` must end in .md or .html; got 'report.pdf'. | `out` 须以 .md 或 .html 结尾；实际为 'report.pdf'。
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

from ..catalogue import Foreign, Phrase
from ..errors import KeyedError
from .formats import REPORT_FORMATS

# The training run's tables, each with the figure drawn from it.
TRAINING_FILES = ("comparison", "calibration", "lift", "by_grade", "psi", "migration")
TRAINING_FIGURES = ("calibration", "lift", "grade_distribution", "psi", "migration")
ESTIMATE_COLUMNS = ("scope", "domain", "estimate")
# The tables of a draw folder the report reads; each must be the one the draw wrote (its manifest's SHA-256).
DRAW_TABLES_READ = ("frame.csv", "grades.csv", "certificates.csv", "teams.csv")
A_DATAFRAME = Phrase("report_errors.a_dataframe")  # what a table given in memory is called in a message


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise KeyedError("report_errors.lang", name="lang", allowed=", ".join(LANGUAGES), got=lang)
    return lang


def _check_out(out: str | os.PathLike[str] | None) -> Path:
    if out is None:
        raise KeyedError("report_errors.out_none", name="out")
    path = Path(out)
    if path.suffix.lower() not in REPORT_FORMATS:
        *some, last = REPORT_FORMATS
        allowed = Phrase("report_errors.either", some=", ".join(some), last=last)
        raise KeyedError("report_errors.out_suffix", name="out", allowed=allowed, got=str(out))
    if path.is_dir():
        raise KeyedError("report_errors.out_folder", name="out", got=str(out))
    return path


def _check_training_dir(training_dir: str | os.PathLike[str] | None) -> Path:
    if training_dir is None:
        raise KeyedError("report_errors.training_none", name="training_dir")
    path = Path(training_dir)
    if not path.is_dir():
        raise KeyedError("report_errors.training_missing", name="training_dir", got=str(training_dir))
    known = [f"{n}.csv" for n in TRAINING_FILES] + [f"{n}.png" for n in TRAINING_FIGURES] + ["run.json"]
    if not any((path / name).is_file() for name in known):
        raise KeyedError("report_errors.training_empty", name="training_dir", got=str(training_dir))
    return path


def _check_draw_folder(draw_folder: str | os.PathLike[str] | None) -> Path | None:
    if draw_folder is None:
        return None
    path = Path(draw_folder)
    if not path.is_dir():
        raise KeyedError("report_errors.draw_missing", name="draw_folder", got=str(draw_folder))
    if not (path / "frame.csv").is_file():
        raise KeyedError("report_errors.draw_no_frame", name="draw_folder", got=str(draw_folder))
    _check_draw_tables(path)
    return path


def _check_draw_tables(path: Path) -> None:
    """Every table the report reads from the draw folder is the one the draw wrote, as its manifest records.

    A missing or damaged manifest is the draw's own sentence; a full check of the folder is ``certrisk verify``.
    """
    from ..draw.folder import as_drawn, read_manifest, recorded_outputs

    outputs = recorded_outputs(read_manifest(path))
    for name in DRAW_TABLES_READ:
        if (path / name).is_file() and not as_drawn(path / name, outputs):
            raise KeyedError("report_errors.draw_changed", name="draw_folder", file=name, got=str(path))


def _check_estimates(estimates: str | os.PathLike[str] | pd.DataFrame | None) -> pd.DataFrame | None:
    if estimates is None:
        return None
    shown: str
    if isinstance(estimates, pd.DataFrame):
        table, shown = estimates.copy(), A_DATAFRAME
    else:
        path = Path(estimates)
        if path.suffix.lower() != ".csv":
            raise KeyedError("report_errors.estimates_suffix", name="estimates", got=str(estimates))
        if not path.is_file():
            raise KeyedError("report_errors.estimates_missing", name="estimates", got=str(estimates))
        table, shown = _read_csv(path, "estimates"), repr(str(estimates))
    missing = [c for c in ESTIMATE_COLUMNS if c not in table.columns]
    if missing:
        columns, lacking = ", ".join(ESTIMATE_COLUMNS), ", ".join(missing)
        raise KeyedError("report_errors.columns", name="estimates", columns=columns, shown=shown, missing=lacking)
    if table.empty:
        raise KeyedError("report_errors.no_rows", name="estimates", shown=shown)
    return table


def _check_stringency(stringency: str | os.PathLike[str] | pd.DataFrame | None) -> pd.DataFrame | None:
    """The inspector table of ``certrisk stringency`` (a .csv file or a DataFrame), checked; None when not given."""
    if stringency is None:
        return None
    from .sections.stringency import check_stringency_table

    if isinstance(stringency, pd.DataFrame):
        return check_stringency_table(stringency, A_DATAFRAME)
    path = Path(stringency)
    if path.suffix.lower() != ".csv" or not path.is_file():
        raise KeyedError("report_errors.stringency_file", name="stringency", got=str(stringency))
    try:  # as text: ids and province codes keep their leading zeros
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise KeyedError(
            "report_errors.unreadable_csv", name="stringency", got=str(path), error=type(exc).__name__
        ) from None
    return check_stringency_table(table, repr(str(stringency)))


# --------------------------------------------------------------------- reading
def _read_csv(path: Path, what: str) -> pd.DataFrame:
    """Read a UTF-8 CSV (with or without BOM); an unreadable file is a ValueError naming the argument ``what``."""
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise KeyedError("report_errors.unreadable_csv", name=what, got=str(path), error=type(exc).__name__) from None


def _read_json(path: Path, what: str) -> dict[str, Any]:
    """Read a JSON record of a run or draw folder; ``{}`` when it is absent, a ValueError naming ``what`` when invalid."""
    if not path.is_file():
        return {}
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise KeyedError("report_errors.bad_json", name=what, file=path.name, got=str(path.parent)) from None
    return record


@contextlib.contextmanager
def _about(arg: str, value: object) -> Iterator[None]:
    """Turn a table that cannot be used (a missing column, a wrong type) into a ValueError naming ``arg``."""
    try:
        yield
    except ValueError as exc:
        if str(exc).startswith(f"`{arg}`"):
            raise
        raise KeyedError("report_errors.unusable_table", name=arg, reason=Foreign(str(exc)), got=str(value)) from None
    except (KeyError, TypeError, IndexError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise KeyedError("report_errors.unexpected_table", name=arg, reason=reason, got=str(value)) from None
