"""Catalogue of bad inputs: every mistake ends in exit code 1 and one readable report.

Three tables of cases, each naming what the report must say:

- ``catalogue_data.DATA_CASES``: a damaged copy of the minimal data directory, for
  every table and every rule of the data contract: the table, the column, the row
  and the value as written;
- ``catalogue_cli.GRADES_CASES``: a damaged grades file given to ``commit``,
  ``draw``, ``plan`` and ``estimate --grades``: the grades file, the column, the row;
- ``catalogue_cli.OPTION_CASES``: a bad option or argument of every command
  (dates that are not ISO, missing options, values of the wrong type or range,
  paths that do not exist): the option and the sentence.

In-process runs of ``main()`` need no check for a traceback: an exception that
escapes ``main()`` is raised into the test and fails it. A sample of the cases
(``CONSOLE_SAMPLE``: a bad option of every command, a bad grades file for each
command that reads one, a damaged data directory) runs the real console script
in a subprocess, where an uncaught exception would be printed instead; there
the exit code, stdout and stderr are checked separately, and stderr must hold
no traceback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_cli import GOOD_GRADES, GRADES_CASES, GRADES_COMMANDS, OPTION_CASES, GradesCase, OptionCase
from catalogue_data import DATA_CASES, DataCase, add_parquet, set_cells, write_bytes
from minimal_data import AS_OF, write_minimal_data

from certrisk.cli import build_parser, main
from features import DataContractError, load_data_dir

# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """The minimal valid data directory (``data``), its two required tables alone (``core``: all a grades file
    is checked against) and a valid grades file (``grades.csv``); shared by the cases, never changed."""
    root = tmp_path_factory.mktemp("pristine")
    write_minimal_data(root / "data")
    write_minimal_data(root / "core", tables=("bodies", "inspections"))
    (root / "grades.csv").write_text(GOOD_GRADES, encoding="utf-8")
    return root


def _damaged(pristine: Path, tmp_path: Path, case: DataCase) -> Path:
    folder = Path(shutil.copytree(pristine / "data", tmp_path / "data"))
    case.damage(folder)
    return folder


def _main(argv: list[str], capsys) -> tuple[int, str, str]:
    """``certrisk ARGV`` in-process: exit code, stdout, stderr (argparse's exit is caught as a code)."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _argv(template: list[str], pristine: Path, tmp: Path, bad: Path | None = None) -> list[str]:
    names = {"data": pristine / "data", "core": pristine / "core", "grades": pristine / "grades.csv", "tmp": tmp}
    names["bad"] = bad
    return [arg.format(**names) for arg in template]


def _group(report: str, table: str, column: str, rule: str) -> list[str]:
    """The lines of the report's group for (table, column, rule): its first line and the rows under it."""
    lines = report.splitlines()
    for i, line in enumerate(lines):
        named = re.match(
            rf"{re.escape(table)}\s+{re.escape(column)}\s" if column else rf"{re.escape(table)}\s{{3,}}", line
        )
        if named and rule in line:
            rest = []
            for more in lines[i + 1 :]:
                if not more.startswith(" ") or not more.strip():
                    break
                rest.append(more)
            return [line, *rest]
    raise AssertionError(f"no report line for {table} {column!r} {rule!r}:\n{report}")


def _assert_named(report: str, table: str, column: str, row: int | None, rule: str, value: str | None) -> None:
    """The report names the table, the column, the row (or none) and the value as written."""
    group = _group(report, table, column, rule)
    if row is None:
        assert not re.search(r"\brow \d", group[0][: group[0].index(rule)]), group
        return
    line = next((ln for ln in group if re.search(rf"\srow {row}\s", ln)), None)
    assert line is not None, f"row {row} not named:\n{report}"
    if value:
        assert value in line, line


# ------------------------------------------------------------------ the data contract


def _tables_of(case: DataCase) -> set[str]:
    """The damaged table and the tables its ids are checked against (the whole directory runs in the console sample)."""
    return {case.table, "bodies"} | ({"inspectors"} if case.table == "conflicts" else set())


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.id for c in DATA_CASES])
def test_a_bad_data_directory_is_reported(pristine, tmp_path, case):
    folder = _damaged(pristine, tmp_path, case)
    with pytest.raises(DataContractError, match=re.escape(case.rule)) as info:
        load_data_dir(folder, as_of=AS_OF, tables=_tables_of(case))
    p = info.value.problems
    hit = p[(p["table"] == case.table) & (p["column"] == case.column) & p["rule"].str.contains(case.rule, regex=False)]
    assert len(hit), p
    if case.row is None:
        assert hit["row"].isna().all()
    else:
        assert case.row in hit["row"].tolist()
        if case.value is not None:
            assert hit.loc[hit["row"] == case.row, "value"].tolist() == [case.value]
    report = info.value.report()
    assert report.startswith(f"The data directory {folder} does not conform to the data contract: ")
    _assert_named(report, case.table, case.column, case.row, case.rule, case.value)


def test_the_minimal_directory_is_valid(pristine, capsys):
    code, out, err = _main(["validate", str(pristine / "data"), "--as-of", AS_OF], capsys)
    assert code == 0, err
    assert "conforms to the data contract" in out
    assert err == ""


def test_several_problems_in_several_tables_in_one_report(pristine, tmp_path, capsys):
    folder = Path(shutil.copytree(pristine / "data", tmp_path / "data"))
    for damage in (
        set_cells("bodies", "province", {3: "99"}),
        set_cells("inspections", "inclusion_prob", {1: "1.5"}),
        set_cells("inspections", "outcome", {6: "minor"}),
        set_cells("signals", "observed_on", {12: "2026-10-02"}),
        write_bytes("conflicts", "inspector_id,body_id,reason\nIN001,CB006,回避\n".encode("gbk")),
        add_parquet("audits"),
    ):
        damage(folder)
    code, out, err = _main(["validate", str(folder), "--as-of", AS_OF], capsys)
    assert code == 1 and out == ""
    assert "6 problems in 5 tables (bodies, inspections, signals, audits, conflicts)" in err.splitlines()[0]
    for table, column, row in [
        ("bodies", "province", 3),
        ("inspections", "inclusion_prob", 1),
        ("inspections", "outcome", 6),
        ("signals", "observed_on", 12),
    ]:
        assert re.search(rf"^{table}\s+{column}\s+row {row}\s", err, re.MULTILINE), (table, column, row)
    assert "file is not UTF-8 text" in err and "two files for one table" in err
    assert err.rstrip().endswith("(line 2 of a CSV file or spreadsheet).")  # what a row number counts


def test_report_in_chinese(pristine, tmp_path, capsys):
    folder = Path(shutil.copytree(pristine / "data", tmp_path / "data"))
    set_cells("inspections", "inclusion_prob", {2: ""})(folder)
    code, out, err = _main(["validate", str(folder), "--as-of", AS_OF, "--lang", "zh"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"数据目录 {folder} 不符合数据规范：共 1 个问题，涉及 1 张表（inspections）。")
    assert re.search(
        r"^inspections\s+inclusion_prob\s+第 2 行\s+\(empty\) \(kind = random\)\s+kind = random 时必填",
        err,
        re.MULTILINE,
    )
    assert "第 1 行是表头下的第一行" in err


def test_many_rows_with_one_problem_are_summarised(pristine, tmp_path, capsys):
    folder = Path(shutil.copytree(pristine / "data", tmp_path / "data"))
    set_cells("certificates", "status", {r: "cancelled" for r in range(1, 13)})(folder)
    code, _, err = _main(["validate", str(folder), "--as-of", AS_OF], capsys)
    assert code == 1
    assert "12 problems in 1 table (certificates)" in err
    assert "... and 7 more rows" in err
    assert "row 5 " in err and "row 6 " not in err


# ------------------------------------------------------------------ grades files


def _grades_file(tmp_path: Path, case: GradesCase) -> Path:
    bad = tmp_path / f"bad{case.suffix}"
    case.write(bad)
    return bad


@pytest.mark.parametrize(("command", "case"), GRADES_CASES, ids=[f"{c} {g.id}" for c, g in GRADES_CASES])
def test_a_bad_grades_file_is_reported(pristine, tmp_path, capsys, command, case):
    bad = _grades_file(tmp_path, case)
    template, unwritten = GRADES_COMMANDS[command]
    code, out, err = _main(_argv(template, pristine, tmp_path, bad), capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"The grades file {bad} does not conform to the data contract: ")
    _assert_named(err, "grades", case.column, case.row, case.rule, case.value)
    assert not (tmp_path / unwritten).exists()


def test_the_good_grades_file_passes_to_the_next_check(pristine, tmp_path, capsys):
    """Control: with the valid grades file, draw gets past the grades (and stops at the missing commitment)."""
    template, _ = GRADES_COMMANDS["draw"]
    code, out, err = _main(_argv(template, pristine, tmp_path, pristine / "grades.csv"), capsys)
    assert code == 1 and out == ""
    assert "grades" not in err.split(":")[0] and "no commitment for this frame" in err


# ------------------------------------------------------------------ options


def _check_option(case: OptionCase, code: int, out: str, err: str, tmp_path: Path) -> None:
    assert code == 1, err
    assert out.startswith(case.stdout) if case.stdout else out == "", out
    assert len(err.strip().splitlines()) == 1, err  # one sentence
    assert err.startswith("certrisk") and case.option in err and case.message in err, err
    if case.unwritten:
        assert not (tmp_path / case.unwritten).exists()


@pytest.mark.parametrize("case", OPTION_CASES, ids=[c.id for c in OPTION_CASES])
def test_a_bad_option_is_one_sentence(pristine, tmp_path, capsys, monkeypatch, case):
    monkeypatch.chdir(tmp_path)  # a command that would write into the working directory writes here
    if case.setup is not None:
        case.setup(tmp_path, pristine / "data")
    code, out, err = _main(_argv(case.argv, pristine, tmp_path), capsys)
    _check_option(case, code, out, err, tmp_path)


# ------------------------------------------------------------------ the real console script

# One case of each kind of failure for every command that can meet it in the sample: the data contract (through
# validate), a grades file (each of the four commands that read one) and an option (every command, and a
# misspelt command). The in-process tests above run every case of the catalogue; these few prove the same
# refusals come from the real script without a traceback.
DATA_SAMPLE = ["GBK bodies"]
GRADES_SAMPLE = [
    ("draw", "two grades for one body"),
    ("commit", "GBK"),
    ("estimate", "a folder"),
    ("plan", "unknown body"),
]
OPTION_SAMPLE = [
    "validate day/month/year",
    "features without --out",
    "profile unknown body",
    "train year only",
    "grade format",
    "commit team of one",
    "draw without --seed",
    "plan reps zero",
    "verify without --commitment",
    "publish no draw folder",
    "estimate since year only",
    "generate scale zero",
    "report without --out",
    "demo language",
    "score without --inspections",
    "stringency without --out",
    "monitor unknown indicator",
    "unknown command",
]
CONSOLE_SAMPLE = (
    [("data", name) for name in DATA_SAMPLE]
    + [("grades", f"{c} {name}") for c, name in GRADES_SAMPLE]
    + [("option", name) for name in OPTION_SAMPLE]
)


def _console(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    return subprocess.run([*command, *argv], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.e2e
@pytest.mark.parametrize(("kind", "name"), CONSOLE_SAMPLE, ids=[f"{k}: {n}" for k, n in CONSOLE_SAMPLE])
def test_the_console_script_refuses_in_words(pristine, tmp_path, kind, name):
    if kind == "data":
        case = next(c for c in DATA_CASES if c.id == name)
        folder = _damaged(pristine, tmp_path, case)
        done = _console(["validate", str(folder), "--as-of", AS_OF], tmp_path)
        assert done.stderr.startswith(f"The data directory {folder} does not conform")
        _assert_named(done.stderr, case.table, case.column, case.row, case.rule, case.value)
    elif kind == "grades":
        command, grades = next((c, g) for c, g in GRADES_CASES if f"{c} {g.id}" == name)
        bad = _grades_file(tmp_path, grades)
        template, unwritten = GRADES_COMMANDS[command]
        done = _console(_argv(template, pristine, tmp_path, bad), tmp_path)
        assert done.stderr.startswith(f"The grades file {bad} does not conform")
        _assert_named(done.stderr, "grades", grades.column, grades.row, grades.rule, grades.value)
        assert not (tmp_path / unwritten).exists()
    else:
        option = next(c for c in OPTION_CASES if c.id == name)
        if option.setup is not None:
            option.setup(tmp_path, pristine / "data")
        done = _console(_argv(option.argv, pristine, tmp_path), tmp_path)
        _check_option(option, done.returncode, done.stdout, done.stderr, tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stdout == "" or kind == "option"  # option cases checked stdout above


# ------------------------------------------------------------------ the catalogue itself


def test_the_catalogue_covers_every_command_and_table():
    cases = len(DATA_CASES) + len(GRADES_CASES) + len(OPTION_CASES)
    assert cases >= 120, cases
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    assert {c.argv[0] for c in OPTION_CASES if c.argv} == commands | {"validtae"}
    # the console sample runs every command with a bad option, and every command that reads a grades file with a
    # bad one, once each, and a damaged data directory
    optioned = [next(c for c in OPTION_CASES if c.id == n).argv[0] for n in OPTION_SAMPLE]
    assert sorted(optioned) == sorted(commands | {"validtae"}), set(commands) ^ set(optioned)
    assert sorted(c for c, _ in GRADES_SAMPLE) == sorted(GRADES_COMMANDS)
    assert len(DATA_SAMPLE) == 1
    from features.contracts import ROW_RULES, TABLES

    assert {c.table for c in DATA_CASES} == set(TABLES)
    rules = {(c.table, c.column, c.rule) for c in DATA_CASES}
    for rule in ROW_RULES:  # every rule between columns has a case
        assert any(t == rule.table and col == rule.column and r in rule.rule for t, col, r in rules), rule
