"""The grades file's contract (features.contracts.GradesModel) and its reader (features.load_grades)."""

from __future__ import annotations

import pandas as pd
import pytest
from minimal_data import minimal_frames

from features import DataContractError, load_grades
from features.contracts import COLUMNS, GRADE_RULE, ONE_ROW_PER_BODY_RULE, GradesModel

BODIES = minimal_frames()["bodies"]


def _grades() -> pd.DataFrame:
    """Grades of the twelve minimal bodies, in the shape `certrisk grade` writes."""
    ids = BODIES["body_id"].astype(str)
    return pd.DataFrame(
        {
            "body_id": ids,
            "as_of": pd.Timestamp("2026-10-01"),
            "p_serious": [0.05 * (i + 1) for i in range(len(ids))],
            "score": 500.0,
            "model_grade": ["A", "B", "C", "D"] * 3,
            "grade": ["A", "B", "C", "D"] * 3,
            "override": "",
            "reasons": "近期无检查",
            "model_version": "scorecard/1",
        }
    )


def _problems(path, bodies=BODIES) -> pd.DataFrame:
    with pytest.raises(DataContractError, match="The grades file .* does not conform") as info:
        load_grades(path, bodies)
    return info.value.problems


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_a_grades_file_of_every_format_is_read_in_canonical_form(tmp_path, suffix):
    path = tmp_path / f"grades{suffix}"
    written = _grades()
    {".csv": lambda: written.to_csv(path, index=False, encoding="utf-8-sig"),
     ".parquet": lambda: written.to_parquet(path, index=False),
     ".xlsx": lambda: written.to_excel(path, index=False)}[suffix]()  # fmt: skip
    got = load_grades(path, BODIES)
    GradesModel.validate(got)
    assert list(got.columns) == list(written.columns) and set(got.columns) == set(COLUMNS["grades"])
    assert str(got["as_of"].dtype) == "datetime64[ns]" and str(got["p_serious"].dtype) == "float64"
    assert got["body_id"].tolist() == written["body_id"].tolist()
    assert got["p_serious"].tolist() == pytest.approx(written["p_serious"].tolist())
    assert got["override"].isna().all()  # an empty text cell is missing, as in the input tables


def test_two_columns_suffice_and_other_columns_are_kept(tmp_path):
    path = tmp_path / "by_hand.csv"
    path.write_text("body_id,grade,note\nCB001,A,checked by hand\nCB002, b ,\n".replace(" b ", "B"))
    got = load_grades(path, BODIES)
    assert got["grade"].tolist() == ["A", "B"] and got["note"].tolist() == ["checked by hand", ""]


def test_one_body_on_two_rows_is_refused_even_with_the_same_grade(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("body_id,grade\nCB001,A\nCB002,B\nCB001,A\n")
    p = _problems(path)
    assert p["rule"].unique().tolist() == [ONE_ROW_PER_BODY_RULE]
    assert p["column"].unique().tolist() == ["body_id"] and p["row"].tolist() == [1, 3]


def test_every_rule_of_a_row_is_reported_with_its_row_and_value(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("body_id,grade,p_serious\nCB001,E,0.1\nCB404,B,0.2\nCB003,C,1.5\n,D,0.3\n")
    p = _problems(path)
    found = {(c, r, int(row), v) for c, r, row, v in p[["column", "rule", "row", "value"]].itertuples(index=False)}
    assert found == {
        ("grade", GRADE_RULE, 1, "E"),
        ("body_id", "must exist in bodies.body_id", 2, "CB404"),
        ("p_serious", "must be in [0, 1]", 3, "1.5"),
        ("body_id", "must not be empty", 4, ""),
    }


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda p: p.write_bytes(b""), "file is empty (no header row)"),
        (
            lambda p: p.write_bytes("body_id,grade\nCB001,甲\n".encode("gbk")),
            "file is not UTF-8 text (byte 0xbc at offset 20)",
        ),
        (lambda p: p.write_bytes("body_id,grade\nCB001,A\n".encode("utf-16")), "file is UTF-16 text, not UTF-8"),
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: None, "file does not exist"),
        (lambda p: p.write_text("body_id,grade\n"), "table has no rows (at least one is required)"),
        (lambda p: p.write_text("body_id,grades\nCB001,A\n"), "missing column"),
    ],
    ids=["empty", "gbk", "utf-16", "folder", "missing", "header only", "missing column"],
)
def test_a_file_that_cannot_be_used_is_one_problem_without_a_row(tmp_path, make, rule):
    path = tmp_path / "grades.csv"
    make(path)
    p = _problems(path)
    assert len(p) == 1 and p["row"].isna().all() and p["table"].iloc[0] == "grades"
    assert p["rule"].iloc[0].startswith(rule)


def test_without_bodies_only_the_file_itself_is_checked(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("body_id,grade\nCB404,A\n")
    assert load_grades(path)["body_id"].tolist() == ["CB404"]
    assert _problems(path)["rule"].tolist() == ["must exist in bodies.body_id"]


def test_the_report_of_a_grades_file_in_chinese(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("body_id,grade\nCB001,A\nCB001,B\n")
    with pytest.raises(DataContractError) as info:
        load_grades(path, BODIES)
    text = info.value.report("zh")
    assert text.startswith(f"风险分类文件 {path} 不符合数据规范：共 2 个问题")
    assert "只能出现在一行（每个机构一个分类）" in text and "第 2 行" in text
