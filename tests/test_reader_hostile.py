"""Files damaged on purpose, read through features.loading.read: a damaged sheet in an XLSX file, a CSV row with
more cells than its header, a header that names a column twice. Each is one problem in the report, never a
traceback, a warning on stderr or a silent success; the same file without the damage still loads."""

from __future__ import annotations

import io
import warnings
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from minimal_data import AS_OF, CSV, minimal_frames, write_minimal_data

from certrisk.score_job import read_planned
from features import DataContractError, load_data_dir, load_grades
from features.loading.read import DUPLICATE_COLUMN_RULE
from features.report import translate_rule

BODIES = minimal_frames()["bodies"]
GRADES = "body_id,grade\nCB001,A\nCB002,B\nCB003,C\n"
PLANNED = "body_id,inspected_on,inspector_ids\nCB001,2026-10-15,IN001\nCB002,2026-10-20,IN002;IN003\n"


def _grades_problems(path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' ParserWarning must not reach the user
        with pytest.raises(DataContractError, match="The grades file .* does not conform") as info:
            load_grades(path, BODIES)
    return info.value.problems


def _planned_problems(path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataContractError, match="The planned inspections file .* does not conform") as info:
            read_planned(path, BODIES)
    return info.value.problems


def _found(problems: pd.DataFrame) -> list[tuple]:
    rows = problems["row"].astype(object).where(problems["row"].notna(), None)
    return list(zip(problems["table"], problems["column"], rows, problems["value"], problems["rule"], strict=True))


# ------------------------------------------------------------------ a damaged sheet in an XLSX file


def _xlsx(path, frame: pd.DataFrame, cut_sheet: bool) -> None:
    """``frame`` as an XLSX file; with ``cut_sheet`` its sheet XML is cut in half (the zip itself stays valid)."""
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if cut_sheet and item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)


def test_an_xlsx_file_with_a_cut_sheet_is_one_problem_of_the_file(tmp_path):
    grades = pd.read_csv(io.StringIO(GRADES), dtype=str)
    _xlsx(tmp_path / "ok.xlsx", grades, cut_sheet=False)
    assert load_grades(tmp_path / "ok.xlsx", BODIES)["grade"].tolist() == ["A", "B", "C"]
    _xlsx(tmp_path / "cut.xlsx", grades, cut_sheet=True)
    [(table, column, row, value, rule)] = _found(_grades_problems(tmp_path / "cut.xlsx"))
    assert (table, column, row, value) == ("grades", "", None, "")
    assert rule.startswith("file cannot be read as XLSX: ")  # xml.etree's ParseError, e.g. "unclosed token: ..."


def test_a_planned_inspections_xlsx_with_a_cut_sheet_is_refused(tmp_path):
    _xlsx(tmp_path / "cut.xlsx", pd.read_csv(io.StringIO(PLANNED), dtype=str), cut_sheet=True)
    [problem] = _found(_planned_problems(tmp_path / "cut.xlsx"))
    assert problem[:2] == ("planned inspections", "") and problem[4].startswith("file cannot be read as XLSX: ")


# ------------------------------------------------------------------ a row with more cells than the header


def test_a_first_row_with_extra_cells_is_a_problem_of_that_row(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(GRADES.replace("CB001,A\n", "CB001,A,extra,more\n"))  # pandas would drop them with a warning
    assert _found(_grades_problems(path)) == [("grades", "", 1, "extra,more", "row has 4 cells, the header has 2")]


def test_later_wide_rows_are_each_named_with_their_data_row(tmp_path):
    path = tmp_path / "grades.csv"
    # a blank line is not a data row (pandas skips it): CB002 is row 2, CB003 row 3
    path.write_text("body_id,grade\n\nCB001,A\nCB002,B,x\nCB003,C,y,z\n")
    assert _found(_grades_problems(path)) == [
        ("grades", "", 2, "x", "row has 3 cells, the header has 2"),
        ("grades", "", 3, "y,z", "row has 4 cells, the header has 2"),
    ]


def test_the_cells_of_a_wide_row_are_not_reported_again(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(GRADES + "CB404,E,shifted\n")  # unknown body and grade E: the row is already refused whole
    assert _found(_grades_problems(path)) == [("grades", "", 4, "shifted", "row has 3 cells, the header has 2")]


def test_shifted_cells_of_a_wide_row_that_cannot_be_read_are_not_reported_either(tmp_path):
    """An unquoted comma in a name shifts every later cell: its dates and flags no longer parse, one problem only."""
    folder = write_minimal_data(tmp_path)
    lines = CSV["bodies"].splitlines(keepends=True)
    lines[2] = lines[2].replace("北京华信认证有限公司", "北京华信认证,有限公司")
    (folder / "bodies.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataContractError, match=r"row has 10 cells, the header has 9") as info:
        load_data_dir(folder, as_of=AS_OF)
    assert _found(info.value.problems) == [
        ("bodies", "", 2, "QMS;EMS;ISMS;ITSMS", "row has 10 cells, the header has 9")
    ]


def test_a_row_with_fewer_cells_still_has_them_empty(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("body_id,grade,note\nCB001,A,checked\nCB002,B\n")
    assert load_grades(path, BODIES)["note"].tolist() == ["checked", ""]


def test_a_planned_inspection_with_extra_cells_is_refused(tmp_path):
    path = tmp_path / "planned.csv"
    path.write_text(PLANNED.replace("IN001\n", "IN001,extra\n"))
    assert _found(_planned_problems(path)) == [
        ("planned inspections", "", 1, "extra", "row has 4 cells, the header has 3")
    ]
    path.write_text(PLANNED)
    assert read_planned(path, BODIES)["inspector_ids"].tolist() == ["IN001", "IN002;IN003"]


def test_a_data_table_with_a_wide_first_row_is_refused_without_a_warning(tmp_path):
    folder = write_minimal_data(tmp_path)
    lines = CSV["bodies"].splitlines(keepends=True)
    lines[1] = lines[1].replace("\n", ",extra\n")
    (folder / "bodies.csv").write_text("".join(lines), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataContractError, match=r"row has 10 cells, the header has 9") as info:
            load_data_dir(folder, as_of=AS_OF)
    assert _found(info.value.problems) == [("bodies", "", 1, "extra", "row has 10 cells, the header has 9")]


# ------------------------------------------------------------------ a column named twice


@pytest.mark.parametrize(
    ("header", "column"),
    [("body_id,grade,grade", "grade"), ("body_id, grade ,grade", "grade"), ("body_id,body_id,grade", "body_id")],
)
def test_a_grades_header_with_a_column_twice_is_one_problem_naming_it(tmp_path, header, column):
    path = tmp_path / "grades.csv"
    path.write_text(f"{header}\nCB001,A,D\nCB002,B,D\n")  # pandas would rename the second grade.1, the first winning
    assert _found(_grades_problems(path)) == [("grades", column, None, "", DUPLICATE_COLUMN_RULE)]


def test_a_column_named_like_a_renamed_duplicate_is_kept(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("body_id,grade,grade.1\nCB001,A,D\n")
    got = load_grades(path, BODIES)
    assert got["grade"].tolist() == ["A"] and got["grade.1"].tolist() == ["D"]


def test_xlsx_and_parquet_headers_with_a_column_twice(tmp_path):
    _xlsx(tmp_path / "twice.xlsx", pd.DataFrame([["CB001", "A", "D"]], columns=["body_id", "grade", "grade"]), False)
    assert _found(_grades_problems(tmp_path / "twice.xlsx")) == [("grades", "grade", None, "", DUPLICATE_COLUMN_RULE)]
    arrow = pa.table([pa.array(["CB001"]), pa.array(["A"]), pa.array(["D"])], names=["body_id", "grade", "grade"])
    pq.write_table(arrow, tmp_path / "twice.parquet")
    assert _found(_grades_problems(tmp_path / "twice.parquet")) == [
        ("grades", "grade", None, "", DUPLICATE_COLUMN_RULE)
    ]


def test_a_planned_inspections_header_with_a_column_twice(tmp_path):
    path = tmp_path / "planned.csv"
    path.write_text(PLANNED.replace("inspector_ids", "inspected_on", 1))
    assert _found(_planned_problems(path)) == [("planned inspections", "inspected_on", None, "", DUPLICATE_COLUMN_RULE)]


# ------------------------------------------------------------------ in Chinese


def test_the_new_rules_are_said_in_chinese():
    assert translate_rule(DUPLICATE_COLUMN_RULE, "zh") == "此列在表头中出现多次"
    assert translate_rule("row has 7 cells, the header has 5", "zh") == "该行有 7 个单元格，表头只有 5 个"


def test_a_trailing_comma_on_every_row_is_counted_past_the_listed_rows(tmp_path):
    from features.problems import MAX_LISTED

    path = tmp_path / "grades.csv"
    n = MAX_LISTED + 5
    path.write_text("body_id,grade\n" + "CB001,A,\n" * n)  # an exporter's trailing delimiter: 3 cells, the last empty
    p = _grades_problems(path)
    assert set(p["rule"]) == {"row has 3 cells, the header has 2"} and int(p["count"].sum()) == n
    assert p["row"].dropna().tolist() == list(range(1, MAX_LISTED + 1))


def test_rows_are_numbered_alike_with_cr_line_ends(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_bytes(b"body_id,grade\rCB001,A\rCB002,B,x\r")
    assert _found(_grades_problems(path)) == [("grades", "", 2, "x", "row has 3 cells, the header has 2")]
