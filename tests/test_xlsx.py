"""The XLSX files: the one writer (layout, typed cells, text never a formula), the draw's workbooks, the demo's.

The writer's layout is checked cell by cell with openpyxl on tiny tables; the
draw's workbooks on a tiny world (40 bodies), where the public one must hold
only what the public CSV holds; and every XLSX the demo writes is opened and
checked for its sheets, frozen header, filter, typed dates and about sheet.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from certrisk.draw import DrawConfig, commit_frame, make_draw, verify_draw
from certrisk.draw.commitment import commitment_hash
from certrisk.draw.xlsx import ABOUT_LABELS, PUBLIC_STATEMENT, SHEETS, TEAM_LABELS
from certrisk.tables import write_table
from certrisk.xlsx import WIDTH_CAP, Sheet, display_width, read_workbook, write_workbook, xlsx_text
from features import load_grades
from features.cells import neutralise, restore

ROOT = Path(__file__).resolve().parents[1]
SEED = "2026-12-01 lottery 02 13 21 30 34"
HOSTILE = ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "'quoted"]
HOSTILE_NAME = '=HYPERLINK("http://x.example")\x01'  # a formula, and a character an XLSX file cannot hold
TEAM_HEADERS = [label for pair in TEAM_LABELS.values() for label in pair]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AS_OF_HEADERS = {"as_of", "since", "as-of date", "基准日期"}  # the date columns of the engine's lists


def _book(tmp_path: Path, sheets: list[Sheet], about: dict[str, str] | None = None) -> openpyxl.Workbook:
    path = tmp_path / "book.xlsx"
    write_workbook(path, sheets, about)
    return openpyxl.load_workbook(path)


# --- the writer -----------------------------------------------------------------------------------------------------
def test_widths_count_a_cjk_character_as_two_and_are_capped(tmp_path):
    frame = pd.DataFrame(
        {
            "名称": ["北京认证机构", "x"],  # header 4 + 3 = 7; widest value 12 + 2 = 14
            "ascii": ["ABCDEFGHIJKL", "y"],  # the same 12 columns in ASCII: 14
            "id": ["CB1", "CB22"],  # header 2 + 3 = 5, widest value 4 + 2 = 6
            "long": ["字" * 100, ""],  # 200 columns, capped
        }
    )
    ws = _book(tmp_path, [Sheet("list", frame)])["list"]
    widths = [ws.column_dimensions[c].width for c in "ABCD"]
    assert widths == [14, 14, 6, WIDTH_CAP]
    assert display_width("认证") == 4 and display_width("e\u0301") == 1  # a combining accent takes no column


def test_dates_are_typed_excel_dates_and_other_text_stays_text(tmp_path):
    frame = pd.DataFrame(
        {
            "as_of": ["2026-10-01", "2026-10-02"],  # ISO text: found as dates
            "stamp": pd.to_datetime(["2026-01-05", None]),  # datetime64 (a missing value stays empty)
            "at": pd.to_datetime(["2026-01-05 08:30", "2026-01-06 00:00"]),  # with a time of day
            "bad": ["2026-13-01", "2026-10-01"],  # not every cell a date: text
            "id": ["2026-10-01x", "D20261001"],
        }
    )
    ws = _book(tmp_path, [Sheet("list", frame)])["list"]
    as_of, stamp, at, bad, ident = (ws.cell(row=2, column=k) for k in range(1, 6))
    assert as_of.is_date and as_of.value == datetime.datetime(2026, 10, 1) and as_of.number_format == "yyyy-mm-dd"
    assert stamp.is_date and stamp.number_format == "yyyy-mm-dd" and ws.cell(row=3, column=2).value is None
    assert at.is_date and at.number_format == "yyyy-mm-dd hh:mm:ss" and at.value == datetime.datetime(2026, 1, 5, 8, 30)
    assert (bad.data_type, bad.value) == ("s", "2026-13-01") and (ident.data_type, ident.value) == ("s", "2026-10-01x")


def test_named_date_columns_must_hold_dates(tmp_path):
    frame = pd.DataFrame({"day": ["2026-10-01", "soon"], "n": [1, 2]})
    ws = _book(tmp_path, [Sheet("list", frame, dates=())])["list"]
    assert ws["A2"].data_type == "s"  # dates=() : no column is a date
    with pytest.raises(ValueError, match=r"column 'day' is written as dates, but holds 'soon', not a date YYYY-MM-DD"):
        write_workbook(tmp_path / "b.xlsx", [Sheet("list", frame, dates=("day",))])
    with pytest.raises(ValueError, match=r"sheet 'list': `dates` names no column of the table: when"):
        write_workbook(tmp_path / "b.xlsx", [Sheet("list", frame, dates=("when",))])


def test_header_is_bold_frozen_and_filtered_over_the_whole_table(tmp_path):
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, np.nan, 2.0]})
    book = _book(tmp_path, [Sheet("list", frame), Sheet("empty", frame.iloc[:0, :2])])
    ws, empty = book["list"], book["empty"]
    assert ws.freeze_panes == "A2" and empty.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C4" and empty.auto_filter.ref == "A1:B1"  # 3 columns x (header + 3 rows)
    assert [c.font.b for c in ws[1]] == [True, True, True] and not any(c.font.b for c in ws[2])
    assert ws.print_title_rows == "$1:$1"  # the header on every printed page


def test_numbers_and_booleans_are_typed_cells(tmp_path):
    frame = pd.DataFrame({"n": [3, -4], "p": [0.125, float("inf")], "b": [True, False], "m": [np.nan, -2.5]})
    ws = _book(tmp_path, [Sheet("list", frame)])["list"]
    assert [(c.value, c.data_type) for c in ws[2]] == [(3, "n"), (0.125, "n"), (True, "b"), (None, "n")]
    assert [(c.value, c.data_type) for c in ws[3]] == [(-4, "n"), ("inf", "s"), (False, "b"), (-2.5, "n")]


def test_formula_looking_text_stays_text(tmp_path):
    frame = pd.DataFrame({"name": HOSTILE})
    path = tmp_path / "book.xlsx"
    write_workbook(path, [Sheet("list", frame)], {"seed": "-x"})
    ws = openpyxl.load_workbook(path)["list"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    assert (
        [c.value for c in cells]
        == [neutralise(t) for t in HOSTILE]
        == ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "''quoted"]
    )
    book = read_workbook(path)
    assert book.formulas == [] and book.unsafe == []
    assert [restore(r[0]) for r in book.sheets["list"][1:]] == HOSTILE and book.sheets["about"][1] == ["seed", "'-x"]


def test_a_control_character_an_xlsx_cannot_hold_becomes_a_replacement_character(tmp_path):
    frame = pd.DataFrame({"name\x02": ["A\x01B", "tab\tand\nline", "\x1f=x"]})
    ws = _book(tmp_path, [Sheet("list", frame)])["list"]
    assert [c.value for c in ws["A"]] == ["name\ufffd", "A\ufffdB", "tab\tand\nline", "\ufffd=x"]


def test_the_reader_names_a_planted_formula_and_unsafe_text(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.active.append(["=1+1"])  # openpyxl makes it a formula
    book.active["B2"] = "-2"
    book.active["B2"].data_type = "s"  # text a spreadsheet could take for a formula
    book.save(tmp_path / "planted.xlsx")
    found = read_workbook(tmp_path / "planted.xlsx")
    assert found.formulas == ["Sheet!A2"] and found.unsafe == ["Sheet!B2"]


def test_the_about_sheet_comes_last_with_its_items_in_order(tmp_path):
    about = {"draw id": "D1", "commitment": "ab" * 32, "public seed": "lottery 01 02"}
    book = _book(tmp_path, [Sheet("one", pd.DataFrame({"a": [1]})), Sheet("two", pd.DataFrame({"b": [2]}))], about)
    assert book.sheetnames == ["one", "two", "about"]
    ws = book["about"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["item", "value"], *map(list, about.items())]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.column_dimensions["B"].width == 64 + 2


@pytest.mark.parametrize(
    ("names", "about", "message"),
    [
        (["x" * 32], None, r"a sheet name must be 1 to 31 characters without any of .*; got 'x{32}'"),
        (["a/b"], None, r"a sheet name must be 1 to 31 characters .*; got 'a/b'"),
        ([""], None, r"a sheet name must be 1 to 31 characters .*; got ''"),
        (["list", "List"], None, r"a sheet name must be used once in a workbook \(case ignored\); got 'List' twice"),
        (["about"], {"a": "b"}, r"used once in a workbook \(case ignored\); got 'about' twice"),
    ],
)
def test_sheet_names_excel_refuses_are_refused(tmp_path, names, about, message):
    with pytest.raises(ValueError, match=message):
        write_workbook(tmp_path / "b.xlsx", [Sheet(n, pd.DataFrame({"a": [1]})) for n in names], about)
    assert not (tmp_path / "b.xlsx").exists()


def test_a_grades_table_as_xlsx_is_read_back_by_load_grades(tmp_path):
    grades = pd.DataFrame(
        {
            "body_id": ["CB001", "CB002"],
            "grade": ["A", "C"],
            "as_of": pd.to_datetime(["2026-10-01"] * 2),
            "p_serious": [0.012, 0.2],
            "model_version": ["certrisk-serious/3"] * 2,
        }
    )
    path = tmp_path / "grades.xlsx"
    write_table(grades, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["grades", "about"] and book["grades"]["C2"].is_date
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert about == {
        "file": "grades.xlsx",
        "rows": "2",
        "as-of date": "2026-10-01",
        "model version": "certrisk-serious/3",
        "software": about["software"],
    }
    assert re.fullmatch(r"certrisk \d+\.\d+\.\d+.*", about["software"])
    got = load_grades(path, pd.DataFrame({"body_id": ["CB001", "CB002"]}))
    assert got["as_of"].tolist() == list(grades["as_of"]) and got["p_serious"].tolist() == [0.012, 0.2]


def test_the_standalone_verifier_expects_the_same_sheets():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import verify_draw
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert verify_draw.XLSX_SHEETS == {
        name.replace(".csv", ".xlsx"): (*sheets, "about") for name, sheets in SHEETS.items()
    }


# --- the draw's workbooks -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def draws(tmp_path_factory, world_small):
    """A committed draw in English and an uncommitted one in Chinese, of 8 bodies from the tiny world.

    A body that is always drawn (CCC-designated, active) is named like a formula with a control character.
    """
    tables = dict(world_small.tables())
    bodies = tables["bodies"].copy()
    certain = bodies.index[bodies["ccc_designated"] & (bodies["status"] == "active")][0]
    bodies.loc[certain, "name"] = HOSTILE_NAME
    tables["bodies"] = bodies
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "grade": np.random.default_rng(3).choice(list("ABCD"), len(bodies), p=[0.5, 0.3, 0.15, 0.05]),
            "reasons": "complaints in 12 months: 2",
        }
    )
    made = {}
    for lang in ("en", "zh"):
        out = tmp_path_factory.mktemp(f"draws-{lang}")
        config = DrawConfig(as_of=world_small.as_of, budget=8, public_seed=SEED, lang=lang)
        record = commit_frame(tables, grades, config, out) if lang == "en" else None
        folder, outputs = make_draw(tables, grades, config, out, uncommitted=record is None)
        made[lang] = (folder, outputs, commitment_hash(record) if record else None)
    return tables, made


def _rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(restore)


def test_the_public_xlsx_holds_only_what_the_public_csv_holds(draws):
    for lang, (folder, outputs, promised) in draws[1].items():
        book = openpyxl.load_workbook(folder / "public_list.xlsx")
        assert book.sheetnames == ["public_list", "units", "about"]
        public = _csv(folder / "public_list.csv")
        units = public.columns[6]  # inspectors' units: one row per unit on the units sheet
        shown = read_workbook(folder / "public_list.xlsx").sheets
        listed, by_unit = ([[restore(c) for c in row] for row in shown[s]] for s in ("public_list", "units"))
        rest = public.drop(columns=units)
        assert listed == [[xlsx_text(c) for c in row] for row in [list(rest.columns), *rest.to_numpy().tolist()]]
        joined = {b: ";".join(u for _, _, u in rows) for b, rows in _by_body(by_unit[1:]).items()}
        assert [joined.get(b, "") for b in public.iloc[:, 2]] == public[units].tolist()
        assert by_unit[0] == [*public.columns[2:4], TEAM_LABELS["unit"][0 if lang == "en" else 1]]
        written = {cell for rows in (listed, by_unit) for row in rows for cell in row}
        in_csv = {*public.columns, *public.to_numpy().ravel(), *(u for c in public[units] for u in c.split(";"))}
        in_csv = {xlsx_text(text) for text in in_csv}  # a control character shows as U+FFFD
        assert HOSTILE_NAME in public.iloc[:, 3].tolist() and xlsx_text(HOSTILE_NAME) in written
        assert written <= in_csv | set(TEAM_HEADERS)  # nothing but the CSV's cells (and the teams sheet's header)
        about = dict(book["about"].iter_rows(min_row=2, values_only=True))
        assert {k: about[k] for k in PUBLIC_STATEMENT} == PUBLIC_STATEMENT  # in English and Chinese, in either list
        k = 0 if lang == "en" else 1
        assert about[ABOUT_LABELS["draw_id"][k]] == outputs.draw_id == public.iloc[0, 0]
        assert about[ABOUT_LABELS["frame_sha256"][k]] == outputs.frame_sha256
        assert about[ABOUT_LABELS["commitment"][k]] == public.iloc[0, -1]
        assert about[ABOUT_LABELS["seed"][k]] == SEED
        assert about[ABOUT_LABELS["verify"][k]].startswith(
            f"certrisk verify {outputs.draw_id} --data DATA --commitment "
        )
        assert f"--seed '{SEED}'" in about[ABOUT_LABELS["verify_standalone"][k]]
        if promised is not None:
            assert promised in about[ABOUT_LABELS["verify"][k]] and about[ABOUT_LABELS["commitment"][k]] == promised


def _by_body(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return found


def test_the_internal_xlsx_has_one_row_per_certificate_and_team_member(draws):
    folder, _, _ = draws[1]["zh"]
    book = read_workbook(folder / "draw_list.xlsx")
    assert list(book.sheets) == ["draw_list", "certificates", "teams", "about"]
    internal, certs = _csv(folder / "draw_list.csv"), _csv(folder / "certificates.csv")
    assert "抽中证书" not in book.sheets["draw_list"][0] and "检查人员" not in book.sheets["draw_list"][0]
    assert "风险等级" in book.sheets["draw_list"][0] and "入样概率" in book.sheets["draw_list"][0]
    assert [r[3] for r in book.sheets["certificates"][1:]] == certs["cert_id"].tolist()
    assert book.sheets["teams"][0] == ["机构编号", "认证机构名称", "检查人员", "检查人员单位"]
    members = _by_body(book.sheets["teams"][1:])
    directory = _csv(folder / "inspectors.csv")
    unit = dict(zip(directory["inspector_id"], directory["unit"]))
    for _, row in internal.iterrows():
        team = members[row["机构编号"]]
        assert ";".join(m[2] for m in team) == row["检查人员"]  # every member, in the team's order
        assert all(m[3] == unit[m[2]] for m in team)  # each with the unit of the directory
        assert ";".join(sorted({m[3] for m in team})) == row["检查人员单位"]  # the list's distinct units
    joined = re.compile(r"^[A-Z]\d+(;[A-Z]\d+)+$")  # ;-joined ids, as in the CSV cells
    assert not [c for rows in book.sheets.values() for row in rows for c in row if joined.match(c)]
    assert any(joined.match(c) for c in internal["抽中证书"])  # the CSV keeps them


def test_verify_detects_a_grade_slipped_into_the_public_xlsx(draws, tmp_path):
    tables, made = draws
    folder, _, promised = made["en"]
    assert verify_draw(folder, tables, commitment_sha256=promised, public_seed=SEED) == []
    book = openpyxl.load_workbook(folder / "public_list.xlsx")
    book["public_list"].cell(row=1, column=9, value="risk grade")
    book["public_list"].cell(row=2, column=9, value="D")
    book.save(tmp_path / "public_list.xlsx")
    work = tmp_path / folder.name
    work.mkdir()
    for path in folder.iterdir():
        (work / path.name).write_bytes((tmp_path / path.name if path.name == "public_list.xlsx" else path).read_bytes())
    problems = verify_draw(work, tables, commitment_sha256=promised, public_seed=SEED)
    assert "public_list.xlsx: the values of its sheet 'public_list' differ from its CSV file" in problems
    assert "public_list.xlsx: changed since the draw (SHA-256 differs from the manifest)" in problems


# --- every XLSX the demo writes -------------------------------------------------------------------------------------
@pytest.mark.e2e
def test_every_xlsx_the_demo_writes_has_its_sheets_frozen_filtered_header_dates_and_about(tmp_path_factory):
    from test_notebooks import shared_demo

    demo = shared_demo(tmp_path_factory)
    found = sorted(demo.rglob("*.xlsx"))
    expected = {"grades.xlsx": ["grades"], "estimates.xlsx": ["estimates"]}
    expected |= {n.replace(".csv", ".xlsx"): list(s) for n, s in SHEETS.items()}
    assert set(expected) <= {p.name for p in found}, found
    for path in found:
        book = openpyxl.load_workbook(path)
        where = path.relative_to(demo)
        assert book.sheetnames[-1] == "about" and len(book.sheetnames) >= 2, where
        assert book.sheetnames[:-1] == expected.get(path.name, book.sheetnames[:-1]), where
        for ws in book.worksheets[:-1]:
            _check_list_sheet(ws, where)
        about = book["about"]
        assert about.freeze_panes == "A2" and [c.value for c in about[1]] == ["item", "value"], where
        items = dict(about.iter_rows(min_row=2, values_only=True))
        assert any(str(v).startswith("certrisk ") for v in items.values()), where
        if path.name in ("draw_list.xlsx", "public_list.xlsx"):
            assert set(items) >= {ABOUT_LABELS[k][0] for k in ABOUT_LABELS}, where
            assert items["draw id"] == path.parent.name and len(items["frame SHA-256"]) == 64
            assert (path.name == "public_list.xlsx") == (set(PUBLIC_STATEMENT) <= set(items))
        if path.name in expected:  # the as-of date of these lists is a typed date on their first sheet
            assert any(c.is_date for row in book.worksheets[0].iter_rows(min_row=2) for c in row), where


def _check_list_sheet(ws, where: Path) -> None:
    at = f"{where}!{ws.title}"
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1]), at
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{ws.max_row}", at
    for k, title in enumerate(header, start=1):
        if title in AS_OF_HEADERS and ws.max_row > 1:
            cells = [ws.cell(row=r, column=k) for r in range(2, ws.max_row + 1)]
            assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in cells), f"{at}: {title}"
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "s" and ISO_DATE.match(c.value)], f"{at}: dates as text"
    assert not [c.coordinate for c in cells if c.data_type == "f"], at
