"""Catalogue of bad inputs: each one ends in exit code 1 and one readable report.

Every case damages a copy of the minimal valid data directory and runs the
real command line (``certrisk validate DIR --as-of 2026-10-01``). The report
on stderr must name the table, the column, the row and the rule, and no
traceback may appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from minimal_data import AS_OF, CSV, minimal_frames, write_minimal_data

from certrisk.cli import main

# ------------------------------------------------------------------ helpers


def set_cells(table: str, column: str, values: dict[int, str]) -> Callable[[Path], None]:
    """Damage: set cells of a CSV table ({1-based data row: text})."""

    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for row, value in values.items():
            frame.loc[row - 1, column] = value
        frame.to_csv(path, index=False)

    return damage


def drop_column(table: str, column: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=[column]).to_csv(path, index=False)

    return damage


def add_column(table: str, column: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        pd.read_csv(path, dtype=str, keep_default_na=False).assign(**{column: "x"}).to_csv(path, index=False)

    return damage


def write_bytes(table: str, content: bytes) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").write_bytes(content)

    return damage


def remove(table: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()

    return damage


def add_parquet(table: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        minimal_frames()[table].to_parquet(folder / f"{table}.parquet", index=False)

    return damage


def corrupt_parquet(table: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()
        (folder / f"{table}.parquet").write_bytes(b"PAR1 this is not a parquet file")

    return damage


@dataclass(frozen=True)
class Case:
    id: str
    damage: Callable[[Path], None]
    table: str
    column: str  # "" when the problem is about the whole table
    row: int | None  # None when the problem is about the whole table or column
    rule: str  # a fragment of the rule in words


HEADER_OF_BODIES = CSV["bodies"].splitlines()[0] + "\n"

CASES = [
    # columns
    Case("missing column", drop_column("bodies", "status"), "bodies", "status", None, "missing column"),
    Case(
        "extra column",
        add_column("signals", "remark"),
        "signals",
        "remark",
        None,
        "unknown column (not in the contract)",
    ),
    # wrong types
    Case(
        "text in an int column",
        set_cells("signals", "severity", {3: "high"}),
        "signals",
        "severity",
        3,
        "must be an integer",
    ),
    Case(
        "fraction in an int column",
        set_cells("inspections", "certs_checked", {4: "2.5"}),
        "inspections",
        "certs_checked",
        4,
        "must be an integer",
    ),
    Case(
        "bad date",
        set_cells("inspections", "inspected_on", {2: "2024/05/20"}),
        "inspections",
        "inspected_on",
        2,
        "must be a date YYYY-MM-DD",
    ),
    Case(
        "impossible date",
        set_cells("certificates", "issued_on", {6: "2025-02-30"}),
        "certificates",
        "issued_on",
        6,
        "must be a date YYYY-MM-DD",
    ),
    Case(
        "date out of range",
        set_cells("certificates", "expires_on", {7: "9999-12-31"}),
        "certificates",
        "expires_on",
        7,
        "must be a date between 1678-01-01 and 2261-12-31",
    ),
    Case(
        "bad datetime",
        set_cells("audits", "planned_start", {5: "next monday"}),
        "audits",
        "planned_start",
        5,
        "must be a date and time (ISO 8601)",
    ),
    Case(
        "bad bool", set_cells("bodies", "accredited", {4: "maybe"}), "bodies", "accredited", 4, "must be true or false"
    ),
    Case("empty bool", set_cells("audits", "remote", {8: ""}), "audits", "remote", 8, "must not be empty"),
    Case(
        "bad float",
        set_cells("audits", "checkin_distance_km", {2: "near"}),
        "audits",
        "checkin_distance_km",
        2,
        "must be a number",
    ),
    Case("empty required text", set_cells("bodies", "name", {6: "  "}), "bodies", "name", 6, "must not be empty"),
    Case(
        "empty required date",
        set_cells("signals", "observed_on", {9: ""}),
        "signals",
        "observed_on",
        9,
        "must not be empty",
    ),
    # ids
    Case(
        "duplicate id",
        set_cells("certificates", "cert_id", {12: "CERT00000001"}),
        "certificates",
        "cert_id",
        1,
        "must be unique",
    ),
    Case(
        "unknown body_id",
        set_cells("signals", "body_id", {6: "CB999"}),
        "signals",
        "body_id",
        6,
        "must exist in bodies.body_id",
    ),
    Case(
        "unknown body_id in conflicts",
        set_cells("conflicts", "body_id", {11: "CB404"}),
        "conflicts",
        "body_id",
        11,
        "must exist in bodies.body_id",
    ),
    Case(
        "unknown inspector in conflicts",
        set_cells("conflicts", "inspector_id", {2: "IN999"}),
        "conflicts",
        "inspector_id",
        2,
        "must exist in inspectors.inspector_id",
    ),
    # counts and ranges
    Case(
        "negative count",
        set_cells("inspections", "certs_checked", {3: "-12"}),
        "inspections",
        "certs_checked",
        3,
        "must be >= 0",
    ),
    Case(
        "negative findings",
        set_cells("inspections", "findings", {2: "-2"}),
        "inspections",
        "findings",
        2,
        "must be >= 0",
    ),
    Case(
        "negative distance",
        set_cells("audits", "checkin_distance_km", {7: "-0.5"}),
        "audits",
        "checkin_distance_km",
        7,
        "must be >= 0",
    ),
    Case(
        "severity out of range",
        set_cells("signals", "severity", {10: "4"}),
        "signals",
        "severity",
        10,
        "must be in [1, 3]",
    ),
    Case(
        "max_assignments zero",
        set_cells("inspectors", "max_assignments", {4: "0"}),
        "inspectors",
        "max_assignments",
        4,
        "must be >= 1",
    ),
    Case(
        "inclusion_prob above 1",
        set_cells("inspections", "inclusion_prob", {1: "1.5"}),
        "inspections",
        "inclusion_prob",
        1,
        "must be in (0, 1]",
    ),
    Case(
        "inclusion_prob zero",
        set_cells("inspections", "inclusion_prob", {5: "0"}),
        "inspections",
        "inclusion_prob",
        5,
        "must be in (0, 1]",
    ),
    Case(
        "inclusion_prob missing for random",
        set_cells("inspections", "inclusion_prob", {2: ""}),
        "inspections",
        "inclusion_prob",
        2,
        "required when kind = random",
    ),
    Case(
        "inclusion_prob for targeted",
        set_cells("inspections", "inclusion_prob", {3: "0.5"}),
        "inspections",
        "inclusion_prob",
        3,
        "must be empty unless kind = random",
    ),
    Case(
        "draw_id for complaint",
        set_cells("inspections", "draw_id", {4: "D2024Q3"}),
        "inspections",
        "draw_id",
        4,
        "must be empty unless kind = random",
    ),
    # consistency within a row
    Case(
        "findings with outcome none",
        set_cells("inspections", "findings", {1: "2"}),
        "inspections",
        "findings",
        1,
        "must be 0 when outcome = none",
    ),
    Case(
        "no findings with outcome major",
        set_cells("inspections", "findings", {3: "0"}),
        "inspections",
        "findings",
        3,
        "must be > 0 when outcome is not none",
    ),
    Case(
        "certs_with_problems above certs_checked",
        set_cells("inspections", "certs_with_problems", {2: "16"}),
        "inspections",
        "certs_with_problems",
        2,
        "must not exceed certs_checked",
    ),
    Case(
        "planned_end before planned_start",
        set_cells("audits", "planned_end", {4: "2026-04-19T17:00:00"}),
        "audits",
        "planned_end",
        4,
        "must not be before planned_start",
    ),
    Case(
        "expires_on before issued_on",
        set_cells("certificates", "expires_on", {5: "2024-05-07"}),
        "certificates",
        "expires_on",
        5,
        "must be after issued_on",
    ),
    # the as-of date
    Case(
        "date in the future",
        set_cells("signals", "observed_on", {12: "2026-10-02"}),
        "signals",
        "observed_on",
        12,
        "must not be after the as-of date 2026-10-01",
    ),
    Case(
        "approval in the future",
        set_cells("bodies", "approved_on", {11: "2027-01-01"}),
        "bodies",
        "approved_on",
        11,
        "must not be after the as-of date 2026-10-01",
    ),
    Case(
        "check-in in the future",
        set_cells("audits", "checkin_at", {12: "2026-10-02T08:00:00"}),
        "audits",
        "checkin_at",
        12,
        "must not be after the as-of date 2026-10-01",
    ),
    # codes
    Case(
        "unknown outcome",
        set_cells("inspections", "outcome", {6: "minor"}),
        "inspections",
        "outcome",
        6,
        "must be one of none, general, major, severe",
    ),
    Case(
        "unknown signal kind",
        set_cells("signals", "kind", {7: "rumour"}),
        "signals",
        "kind",
        7,
        "must be one of complaint, risk_alert",
    ),
    Case(
        "unknown scheme",
        set_cells("certificates", "scheme", {3: "ISO9001"}),
        "certificates",
        "scheme",
        3,
        "must be one of QMS, EMS",
    ),
    Case(
        "unknown field in a list",
        set_cells("bodies", "fields", {2: "QMS,EMS"}),
        "bodies",
        "fields",
        2,
        "must be ;-separated field codes",
    ),
    Case(
        "bad province",
        set_cells("bodies", "province", {3: "99"}),
        "bodies",
        "province",
        3,
        "must be a GB/T 2260 province code",
    ),
    Case(
        "bad inspector province",
        set_cells("inspectors", "province", {5: "0"}),
        "inspectors",
        "province",
        5,
        "or 00 (national)",
    ),
    Case(
        "team separator in an inspector id",
        set_cells("inspectors", "inspector_id", {3: "IN0;04"}),
        "inspectors",
        "inspector_id",
        3,
        "must not contain ; (it separates the members of a team)",
    ),
    Case(
        "blank in inspector list",
        set_cells("inspections", "inspector_ids", {5: "IN001; IN008"}),
        "inspections",
        "inspector_ids",
        5,
        "must be ;-separated ids without spaces",
    ),
    # files
    Case("empty file", write_bytes("bodies", b""), "bodies", "", None, "file is empty (no header row)"),
    Case("empty optional file", write_bytes("signals", b""), "signals", "", None, "file is empty (no header row)"),
    Case(
        "bodies with only a header",
        write_bytes("bodies", HEADER_OF_BODIES.encode()),
        "bodies",
        "",
        None,
        "table has no rows (at least one is required)",
    ),
    Case(
        "non-UTF-8 file",
        write_bytes("conflicts", "inspector_id,body_id,reason\nIN001,CB006,曾在该机构任职\n".encode("gb18030")),
        "conflicts",
        "",
        None,
        "file is not UTF-8 text (byte 0xd4 at offset 40)",
    ),
    Case(
        "ragged CSV",
        write_bytes("signals", b'signal_id,body_id\n"S1,CB001\n'),
        "signals",
        "",
        None,
        "file cannot be read as CSV",
    ),
    Case(
        "missing required table",
        remove("inspections"),
        "inspections",
        "",
        None,
        "required table is missing (expected inspections.parquet or inspections.csv)",
    ),
    Case(
        "two files for one table",
        add_parquet("audits"),
        "audits",
        "",
        None,
        "two files for one table: audits.csv and audits.parquet",
    ),
    Case(
        "unreadable Parquet",
        corrupt_parquet("certificates"),
        "certificates",
        "",
        None,
        "file cannot be read as Parquet",
    ),
]


def _run(folder: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["validate", str(folder), "--as-of", AS_OF, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _line_of(err: str, case: Case) -> str:
    """The report line that starts the group of this problem."""
    lines = [ln for ln in err.splitlines() if ln.startswith(case.table + " ") and case.rule in ln]
    lines = [ln for ln in lines if re.search(rf"\s{re.escape(case.column)}\s", ln)] if case.column else lines
    assert lines, f"no report line for {case}:\n{err}"
    return lines[0]


# ------------------------------------------------------------------- tests


def test_minimal_directory_is_valid(tmp_path, capsys):
    code, out, err = _run(write_minimal_data(tmp_path), capsys)
    assert code == 0, err
    assert "conforms to the data contract" in out
    assert err == ""


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported(tmp_path, capsys, case):
    folder = write_minimal_data(tmp_path)
    case.damage(folder)
    code, out, err = _run(folder, capsys)
    assert code == 1
    assert "Traceback" not in out + err
    assert out == ""  # nothing half-done on stdout
    assert err.startswith(f"The data directory {folder} does not conform to the data contract: ")
    line = _line_of(err, case)
    if case.row is not None:
        assert re.search(rf"\brow {case.row}\b", line), line


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_in_the_problem_table(tmp_path, case):
    from features import DataContractError, load_data_dir

    folder = write_minimal_data(tmp_path)
    case.damage(folder)
    with pytest.raises(DataContractError, match=re.escape(case.rule)) as info:
        load_data_dir(folder, as_of=AS_OF)
    p = info.value.problems
    hit = p[(p["table"] == case.table) & (p["column"] == case.column) & p["rule"].str.contains(case.rule, regex=False)]
    assert len(hit), p
    if case.row is None:
        assert hit["row"].isna().all()
    else:
        assert case.row in hit["row"].tolist()


def test_several_problems_in_several_tables_in_one_report(tmp_path, capsys):
    folder = write_minimal_data(tmp_path)
    for damage in (
        set_cells("bodies", "province", {3: "99"}),
        set_cells("inspections", "inclusion_prob", {1: "1.5"}),
        set_cells("inspections", "outcome", {6: "minor"}),
        set_cells("signals", "observed_on", {12: "2026-10-02"}),
        write_bytes("conflicts", "inspector_id,body_id,reason\nIN001,CB006,回避\n".encode("gbk")),
        add_parquet("audits"),
    ):
        damage(folder)
    code, out, err = _run(folder, capsys)
    assert code == 1 and "Traceback" not in out + err
    assert "6 problems in 5 tables (bodies, inspections, signals, audits, conflicts)" in err.splitlines()[0]
    for table, column, row in [
        ("bodies", "province", 3),
        ("inspections", "inclusion_prob", 1),
        ("inspections", "outcome", 6),
        ("signals", "observed_on", 12),
    ]:
        assert re.search(rf"^{table}\s+{column}\s+row {row}\s", err, re.MULTILINE), (table, column, row)
    assert "file is not UTF-8 text" in err and "two files for one table" in err


def test_report_in_chinese(tmp_path, capsys):
    folder = write_minimal_data(tmp_path)
    set_cells("inspections", "inclusion_prob", {2: ""})(folder)
    code, out, err = _run(folder, capsys, "--lang", "zh")
    assert code == 1 and "Traceback" not in out + err
    assert err.startswith(f"数据目录 {folder} 不符合数据规范：共 1 个问题，涉及 1 张表（inspections）。")
    assert re.search(
        r"^inspections\s+inclusion_prob\s+第 2 行\s+\(empty\) \(kind = random\)\s+kind = random 时必填",
        err,
        re.MULTILINE,
    )


def test_many_rows_with_one_problem_are_summarised(tmp_path, capsys):
    folder = write_minimal_data(tmp_path)
    set_cells("certificates", "status", {r: "cancelled" for r in range(1, 13)})(folder)
    code, _, err = _run(folder, capsys)
    assert code == 1
    assert "12 problems in 1 table (certificates)" in err
    assert "... and 7 more rows" in err
    assert "row 5 " in err and "row 6 " not in err


def test_missing_directory_is_one_sentence(tmp_path, capsys):
    code, out, err = _run(tmp_path / "nowhere", capsys)
    assert code == 1 and "Traceback" not in out + err
    assert err.strip() == f"certrisk validate: data directory {tmp_path / 'nowhere'} does not exist."
