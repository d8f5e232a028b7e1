"""The current grade distribution: how many bodies hold each grade A-D now, and where that was read.

The grades in force are those the draw used: the draw folder's ``grades.csv``
(one row per body, column ``grade``; written by ``certrisk draw`` from the
``--grades`` file), or, in an older draw folder without it, the grade column
of its ``frame.csv``. Without a draw folder, a ``grades.csv`` kept in the
training run folder is read, else the training run's grade migration
(``migration.csv``): its columns count the bodies by the grade the chosen
model gives them as of the run's date (the column ``gone``, bodies graded a
quarter before and no longer, is left out). The evaluation table ``by_grade.csv``
is *not* a distribution of bodies: its shares are of the evaluation weight of
past inspections.

>>> import pandas as pd
>>> counts = _ordered(pd.Series(["B", "A", "B", "D", "X"]).value_counts())
>>> counts.to_dict()
{'A': 1, 'B': 2, 'C': 0, 'D': 1, 'X': 1}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from features.codes import GRADES

from ..errors import KeyedError
from .inputs import _read_csv

__all__ = ["CurrentGrades", "read_current_grades"]


@dataclass(frozen=True)
class CurrentGrades:
    """Bodies per grade (A-D first, every grade shown, then any other value), and the file they come from.

    ``source`` is one of ``draw_grades``, ``draw_frame``, ``training_grades``, ``migration``.
    """

    counts: pd.Series
    source: str
    path: Path

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def shares(self) -> pd.Series:
        return self.counts / self.total if self.total else self.counts.astype(float)


def _ordered(counts: pd.Series) -> pd.Series:
    """Counts indexed by grade: A-D in order (0 where absent), then other values sorted."""
    counts.index = counts.index.astype(str)
    others = sorted(set(counts.index) - set(GRADES))
    return counts.reindex([*GRADES, *others], fill_value=0).astype(int)


def _from_table(path: Path, what: str) -> pd.Series:
    """Bodies per grade of a table with one row per body and a column ``grade``."""
    table = _read_csv(path, what)
    if "grade" not in table.columns:
        raise KeyedError("report_errors.no_grade_column", name=what, file=path.name, got=str(path.parent))
    grades = table["grade"].dropna().astype(str)
    return _ordered(grades.value_counts())


def _from_migration(path: Path) -> pd.Series:
    """Bodies per current grade: the column sums of the migration table (bodies gone left out)."""
    table = _read_csv(path, "training_dir")
    counts = table.set_index(table.columns[0])
    current = [c for c in counts.columns if str(c) in GRADES]
    if not current:
        raise KeyedError("report_errors.no_grade_columns", name="training_dir", got=str(path.parent))
    return _ordered(counts[current].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=0).astype(int))


def read_current_grades(training: Path, draw: Path | None) -> CurrentGrades | None:
    """The grades in force (see the module docstring for the order of the sources); None when none is there."""
    if draw is not None:
        for name, source in (("grades.csv", "draw_grades"), ("frame.csv", "draw_frame")):
            if (draw / name).is_file():
                return CurrentGrades(_from_table(draw / name, "draw_folder"), source, draw / name)
    if (training / "grades.csv").is_file():
        path = training / "grades.csv"
        return CurrentGrades(_from_table(path, "training_dir"), "training_grades", path)
    if (training / "migration.csv").is_file():
        path = training / "migration.csv"
        return CurrentGrades(_from_migration(path), "migration", path)
    return None
