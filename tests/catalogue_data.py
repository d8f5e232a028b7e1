"""The data-contract part of the catalogue of bad inputs (tests/test_bad_inputs.py).

Each :class:`DataCase` damages a copy of the minimal valid data directory
(``minimal_data.py``) and names what the report must say: the table, the
column (empty for a problem of the whole file), the row (1-based data row,
``None`` for a whole file or column), a fragment of the rule in words and,
where it matters, the value exactly as written in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from minimal_data import CSV, minimal_frames

Damage = Callable[[Path], None]


@dataclass(frozen=True)
class DataCase:
    id: str
    damage: Damage
    table: str
    column: str  # "" when the problem is about the whole file
    row: int | None  # None when the problem is about the whole file or column
    rule: str  # a fragment of the rule in words
    value: str | None = None  # the value as the report must quote it (None: not checked)


# ------------------------------------------------------------------ damages


def set_cells(table: str, column: str, values: dict[int, str]) -> Damage:
    """Set cells of a CSV table ({1-based data row: text})."""

    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for row, value in values.items():
            frame.loc[row - 1, column] = value
        frame.to_csv(path, index=False)

    return damage


def drop_column(table: str, column: str) -> Damage:
    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=[column]).to_csv(path, index=False)

    return damage


def add_column(table: str, column: str) -> Damage:
    def damage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        pd.read_csv(path, dtype=str, keep_default_na=False).assign(**{column: "x"}).to_csv(path, index=False)

    return damage


def write_bytes(table: str, content: bytes) -> Damage:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").write_bytes(content)

    return damage


def remove(table: str) -> Damage:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()

    return damage


def add_parquet(table: str) -> Damage:
    def damage(folder: Path) -> None:
        minimal_frames()[table].to_parquet(folder / f"{table}.parquet", index=False)

    return damage


def corrupt_parquet(table: str) -> Damage:
    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()
        (folder / f"{table}.parquet").write_bytes(b"PAR1 this is not a parquet file")

    return damage


def as_parquet(table: str, change: Callable[[pa.Table], pa.Table]) -> Damage:
    """Replace the CSV table by a Parquet file of the canonical frame, changed by ``change``."""

    def damage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()
        arrow = pa.Table.from_pandas(minimal_frames()[table], preserve_index=False)
        pq.write_table(change(arrow), folder / f"{table}.parquet")

    return damage


def column_to(column: str, values: list, kind: pa.DataType) -> Callable[[pa.Table], pa.Table]:
    return lambda t: t.set_column(t.schema.get_field_index(column), column, pa.array(values, kind))


def encoded(table: str, encoding: str) -> Damage:
    """The table's CSV text saved in another encoding (GBK, UTF-16)."""
    return write_bytes(table, CSV[table].encode(encoding))


def edit_line(table: str, line: int, change: Callable[[str], str]) -> Damage:
    """Change one line of the table's CSV text (line 0 is the header)."""
    lines = CSV[table].splitlines(keepends=True)
    lines[line] = change(lines[line])
    return write_bytes(table, "".join(lines).encode())


HEADER_OF_BODIES = CSV["bodies"].splitlines()[0] + "\n"
UINT64_MAX = 2**64 - 1
ISSUED = minimal_frames()["certificates"]["issued_on"]
TIMED = ISSUED.where(ISSUED.index > 0, ISSUED + pd.Timedelta(hours=10.5))  # row 1 issued at 10:30

# ------------------------------------------------------------------- cases

C = DataCase
DATA_CASES: list[DataCase] = [
    # columns and files
    C("missing column", drop_column("bodies", "status"), "bodies", "status", None, "missing column"),
    C("missing column in conflicts", drop_column("conflicts", "reason"), "conflicts", "reason", None, "missing column"),
    C("missing findings", drop_column("inspections", "findings"), "inspections", "findings", None, "missing column"),
    C("extra column", add_column("signals", "remark"), "signals", "remark", None, "unknown column (not in the contract)"),
    C("empty file", write_bytes("bodies", b""), "bodies", "", None, "file is empty (no header row)"),
    C("empty optional file", write_bytes("signals", b""), "signals", "", None, "file is empty (no header row)"),
    C("bodies with only a header", write_bytes("bodies", HEADER_OF_BODIES.encode()), "bodies", "", None,
      "table has no rows (at least one is required)"),
    C("GBK conflicts", write_bytes("conflicts", "inspector_id,body_id,reason\nIN001,CB006,曾在该机构任职\n".encode("gb18030")),
      "conflicts", "", None, "file is not UTF-8 text (byte 0xd4 at offset 40)"),
    C("GBK bodies", encoded("bodies", "gbk"), "bodies", "", None, "file is not UTF-8 text (byte 0xd6 at offset 98)"),
    C("UTF-16 inspections", encoded("inspections", "utf-16"), "inspections", "", None, "file is UTF-16 text, not UTF-8"),
    C("ragged CSV", write_bytes("signals", b'signal_id,body_id\n"S1,CB001\n'), "signals", "", None,
      "file cannot be read as CSV"),
    C("missing required table", remove("inspections"), "inspections", "", None,
      "required table is missing (expected inspections.parquet or inspections.csv)"),
    C("missing bodies", remove("bodies"), "bodies", "", None, "required table is missing"),
    C("two files for one table", add_parquet("audits"), "audits", "", None,
      "two files for one table: audits.csv and audits.parquet"),
    C("unreadable Parquet", corrupt_parquet("certificates"), "certificates", "", None, "file cannot be read as Parquet"),
    C("row wider than the header", edit_line("signals", 3, lambda t: t.replace("\n", ",late,2\n")), "signals", "", 3,
      "row has 7 cells, the header has 5", "late,2"),
    C("column named twice", edit_line("inspectors", 0, lambda t: t.replace(",active,", ",unit,")), "inspectors", "unit",
      None, "column appears more than once in the header"),
    C("column named twice in Parquet", as_parquet("audits", lambda t: t.rename_columns([*t.column_names[:-1], "body_id"])),
      "audits", "body_id", None, "column appears more than once in the header"),
    # bodies
    C("duplicate body id", set_cells("bodies", "body_id", {5: "CB001"}), "bodies", "body_id", 5, "must be unique", "CB001"),
    C("empty body id", set_cells("bodies", "body_id", {7: ""}), "bodies", "body_id", 7, "must not be empty", ""),
    C("empty required text", set_cells("bodies", "name", {6: "  "}), "bodies", "name", 6, "must not be empty"),
    C("bad province", set_cells("bodies", "province", {3: "99"}), "bodies", "province", 3,
      "must be a GB/T 2260 province code", "99"),
    C("bad approval date", set_cells("bodies", "approved_on", {4: "2020-1-5"}), "bodies", "approved_on", 4,
      "must be a date YYYY-MM-DD", "2020-1-5"),
    C("approval in the future", set_cells("bodies", "approved_on", {11: "2027-01-01"}), "bodies", "approved_on", 11,
      "must not be after the as-of date 2026-10-01", "2027-01-01"),
    C("bad bool", set_cells("bodies", "accredited", {4: "maybe"}), "bodies", "accredited", 4, "must be true or false"),
    C("bad bool letter", set_cells("bodies", "ccc_designated", {2: "Y"}), "bodies", "ccc_designated", 2,
      "must be true or false", "Y"),
    C("unknown body status", set_cells("bodies", "status", {4: "closed"}), "bodies", "status", 4,
      "must be one of active, suspended, revoked, unreachable", "closed"),
    C("unknown field in a list", set_cells("bodies", "fields", {2: "QMS,EMS"}), "bodies", "fields", 2,
      "must be ;-separated field codes", "QMS,EMS"),
    C("body status changed before approval", set_cells("bodies", "status_changed_on", {4: "2015-01-01"}), "bodies",
      "status_changed_on", 4, "must not be before approved_on", "2015-01-01 (approved_on = 2016-04-15)"),
    C("body status change in the future", set_cells("bodies", "status_changed_on", {8: "2026-10-05"}), "bodies",
      "status_changed_on", 8, "must not be after the as-of date", "2026-10-05"),
    C("date with a time in Parquet", as_parquet("certificates", column_to("issued_on", list(TIMED), pa.timestamp("ns"))),
      "certificates", "issued_on", 1, "must be a date without a time of day"),
    # inspections
    C("duplicate inspection id", set_cells("inspections", "inspection_id", {12: "INS2024001"}), "inspections",
      "inspection_id", 12, "must be unique"),
    C("unknown inspected body", set_cells("inspections", "body_id", {3: "CB404"}), "inspections", "body_id", 3,
      "must exist in bodies.body_id", "CB404"),
    C("bad date", set_cells("inspections", "inspected_on", {2: "2024/05/20"}), "inspections", "inspected_on", 2,
      "must be a date YYYY-MM-DD", "2024/05/20"),
    C("inspection in the future", set_cells("inspections", "inspected_on", {12: "2026-10-02"}), "inspections",
      "inspected_on", 12, "must not be after the as-of date"),
    C("unknown kind", set_cells("inspections", "kind", {2: "spot"}), "inspections", "kind", 2,
      "must be one of random, targeted, complaint", "spot"),
    C("unknown outcome", set_cells("inspections", "outcome", {6: "minor"}), "inspections", "outcome", 6,
      "must be one of none, general, major, severe", "minor"),
    C("empty outcome", set_cells("inspections", "outcome", {8: ""}), "inspections", "outcome", 8, "must not be empty"),
    C("fraction in an int column", set_cells("inspections", "certs_checked", {4: "2.5"}), "inspections", "certs_checked",
      4, "must be an integer", "2.5"),
    C("seventeen digits", set_cells("inspections", "certs_checked", {4: "99999999999999999"}), "inspections",
      "certs_checked", 4, "must be an integer of at most 15 digits", "99999999999999999"),
    C("uint64 maximum", as_parquet("inspections", column_to("certs_checked", [20, UINT64_MAX] + [30] * 10, pa.uint64())),
      "inspections", "certs_checked", 2, "must be an integer of at most 15 digits", "18446744073709551615"),
    C("negative count", set_cells("inspections", "certs_checked", {3: "-12"}), "inspections", "certs_checked", 3,
      "must be >= 0", "-12"),
    C("negative findings", set_cells("inspections", "findings", {2: "-2"}), "inspections", "findings", 2, "must be >= 0"),
    C("inclusion_prob above 1", set_cells("inspections", "inclusion_prob", {1: "1.50"}), "inspections", "inclusion_prob",
      1, "must be in (0, 1]", "1.50"),
    C("inclusion_prob zero", set_cells("inspections", "inclusion_prob", {5: "0"}), "inspections", "inclusion_prob", 5,
      "must be in (0, 1]"),
    C("inclusion_prob missing for random", set_cells("inspections", "inclusion_prob", {2: ""}), "inspections",
      "inclusion_prob", 2, "required when kind = random", "(empty) (kind = random)"),
    C("inclusion_prob for targeted", set_cells("inspections", "inclusion_prob", {3: "0.5"}), "inspections",
      "inclusion_prob", 3, "must be empty unless kind = random", "0.5 (kind = targeted)"),
    C("draw_id for complaint", set_cells("inspections", "draw_id", {4: "D2024Q3"}), "inspections", "draw_id", 4,
      "must be empty unless kind = random", "D2024Q3 (kind = complaint)"),
    C("findings with outcome none", set_cells("inspections", "findings", {1: "2"}), "inspections", "findings", 1,
      "must be 0 when outcome = none", "2 (outcome = none)"),
    C("no findings with outcome major", set_cells("inspections", "findings", {3: "0"}), "inspections", "findings", 3,
      "must be > 0 when outcome is not none", "0 (outcome = major)"),
    C("certs_with_problems above certs_checked", set_cells("inspections", "certs_with_problems", {2: "16"}),
      "inspections", "certs_with_problems", 2, "must not exceed certs_checked", "16 (certs_checked = 15)"),
    C("blank in inspector list", set_cells("inspections", "inspector_ids", {5: "IN001; IN008"}), "inspections",
      "inspector_ids", 5, "must be ;-separated ids without spaces", "IN001; IN008"),
    # signals
    C("duplicate signal id", set_cells("signals", "signal_id", {4: "SIG0001"}), "signals", "signal_id", 4,
      "must be unique"),
    C("unknown body_id", set_cells("signals", "body_id", {6: "CB999"}), "signals", "body_id", 6,
      "must exist in bodies.body_id", "CB999"),
    C("text in an int column", set_cells("signals", "severity", {3: "high"}), "signals", "severity", 3,
      "must be an integer", "high"),
    C("empty severity", set_cells("signals", "severity", {4: ""}), "signals", "severity", 4, "must not be empty"),
    C("severity out of range", set_cells("signals", "severity", {10: "4"}), "signals", "severity", 10,
      "must be in [1, 3]", "4"),
    C("unknown signal kind", set_cells("signals", "kind", {7: "rumour"}), "signals", "kind", 7,
      "must be one of complaint, risk_alert", "rumour"),
    C("empty required date", set_cells("signals", "observed_on", {9: ""}), "signals", "observed_on", 9,
      "must not be empty"),
    C("date in the future", set_cells("signals", "observed_on", {12: "2026-10-02"}), "signals", "observed_on", 12,
      "must not be after the as-of date 2026-10-01", "2026-10-02"),
    # audits
    C("duplicate audit id", set_cells("audits", "audit_id", {9: "AUD000002"}), "audits", "audit_id", 9, "must be unique"),
    C("unknown audited body", set_cells("audits", "body_id", {10: "CB013"}), "audits", "body_id", 10,
      "must exist in bodies.body_id", "CB013"),
    C("unknown audit scheme", set_cells("audits", "scheme", {3: "ISO27001"}), "audits", "scheme", 3,
      "must be one of QMS, EMS", "ISO27001"),
    C("bad datetime", set_cells("audits", "planned_start", {5: "next monday"}), "audits", "planned_start", 5,
      "must be a date and time (ISO 8601)", "next monday"),
    C("empty planned start", set_cells("audits", "planned_start", {6: ""}), "audits", "planned_start", 6,
      "must not be empty"),
    C("empty bool", set_cells("audits", "remote", {8: ""}), "audits", "remote", 8, "must not be empty"),
    C("bad float", set_cells("audits", "checkin_distance_km", {2: "near"}), "audits", "checkin_distance_km", 2,
      "must be a number", "near"),
    C("negative distance", set_cells("audits", "checkin_distance_km", {7: "-0.50"}), "audits", "checkin_distance_km", 7,
      "must be >= 0", "-0.50"),
    C("planned_end before planned_start", set_cells("audits", "planned_end", {4: "2026-04-19T17:00:00"}), "audits",
      "planned_end", 4, "must not be before planned_start", "2026-04-19T17:00:00 (planned_start = 2026-04-20T09:00:00)"),
    C("check-out before check-in", set_cells("audits", "checkout_at", {2: "2026-03-09T08:00:00"}), "audits",
      "checkout_at", 2, "must not be before checkin_at", "2026-03-09T08:00:00 (checkin_at = 2026-03-09T09:01:00)"),
    C("check-out before check-in with offsets", set_cells("audits", "checkout_at", {8: "2026-06-01T00:30:00Z"}),
      "audits", "checkout_at", 8, "must not be before checkin_at", "2026-06-01T00:30:00Z (checkin_at = 2026-06-01T09:15:00)"),
    C("check-in in the future", set_cells("audits", "checkin_at", {12: "2026-10-02T08:00:00"}), "audits", "checkin_at",
      12, "must not be after the as-of date 2026-10-01"),
    C("check-in in the future with an offset", set_cells("audits", "checkin_at", {12: "2026-10-02T08:00:00+08:00"}),
      "audits", "checkin_at", 12, "must not be after the as-of date", "2026-10-02T08:00:00+08:00"),
    C("check-out in the future", set_cells("audits", "checkout_at", {11: "2026-10-03T17:00:00"}), "audits",
      "checkout_at", 11, "must not be after the as-of date"),
    C("impossible time", set_cells("audits", "checkin_at", {1: "2026-03-02T25:00:00"}), "audits", "checkin_at", 1,
      "must be a date and time (ISO 8601)", "2026-03-02T25:00:00"),
    # certificates
    C("duplicate id", set_cells("certificates", "cert_id", {12: "CERT00000001"}), "certificates", "cert_id", 1,
      "must be unique"),
    C("unknown issuing body", set_cells("certificates", "body_id", {2: "CB404"}), "certificates", "body_id", 2,
      "must exist in bodies.body_id", "CB404"),
    C("unknown scheme", set_cells("certificates", "scheme", {3: "ISO9001"}), "certificates", "scheme", 3,
      "must be one of QMS, EMS", "ISO9001"),
    C("impossible date", set_cells("certificates", "issued_on", {6: "2025-02-30"}), "certificates", "issued_on", 6,
      "must be a date YYYY-MM-DD", "2025-02-30"),
    C("issue in the future", set_cells("certificates", "issued_on", {10: "2026-12-01"}), "certificates", "issued_on", 10,
      "must not be after the as-of date"),
    C("date out of range", set_cells("certificates", "expires_on", {7: "9999-12-31"}), "certificates", "expires_on", 7,
      "must be a date between 1678-01-01 and 2261-12-31", "9999-12-31"),
    C("expires_on before issued_on", set_cells("certificates", "expires_on", {5: "2024-05-07"}), "certificates",
      "expires_on", 5, "must be after issued_on", "2024-05-07 (issued_on = 2024-05-08)"),
    C("expires_on on the day of issue", set_cells("certificates", "expires_on", {4: "2025-04-22"}), "certificates",
      "expires_on", 4, "must be after issued_on", "2025-04-22 (issued_on = 2025-04-22)"),
    C("status changed before issue", set_cells("certificates", "status_changed_on", {3: "2023-01-01"}), "certificates",
      "status_changed_on", 3, "must not be before issued_on", "2023-01-01 (issued_on = 2023-04-20)"),
    C("status change in the future", set_cells("certificates", "status_changed_on", {5: "2026-10-05"}), "certificates",
      "status_changed_on", 5, "must not be after the as-of date", "2026-10-05"),
    C("unknown certificate status", set_cells("certificates", "status", {1: "cancelled"}), "certificates", "status", 1,
      "must be one of valid, suspended, withdrawn, expired", "cancelled"),
    # inspectors
    C("duplicate inspector", set_cells("inspectors", "inspector_id", {7: "IN001"}), "inspectors", "inspector_id", 7,
      "must be unique"),
    C("team separator in an inspector id", set_cells("inspectors", "inspector_id", {3: "IN0;04"}), "inspectors",
      "inspector_id", 3, "must not contain ; or blanks", "IN0;04"),
    C("blank in an inspector id", set_cells("inspectors", "inspector_id", {4: "IN 005"}), "inspectors",
      "inspector_id", 4, "must not contain ; or blanks (; separates the members of a team", "IN 005"),
    C("empty unit", set_cells("inspectors", "unit", {9: ""}), "inspectors", "unit", 9, "must not be empty"),
    C("bad inspector province", set_cells("inspectors", "province", {5: "0"}), "inspectors", "province", 5,
      "or 00 (national)", "0"),
    C("bad expertise", set_cells("inspectors", "expertise", {2: "QMS EMS"}), "inspectors", "expertise", 2,
      "must be ;-separated field codes", "QMS EMS"),
    C("bad active flag", set_cells("inspectors", "active", {6: "sometimes"}), "inspectors", "active", 6,
      "must be true or false", "sometimes"),
    C("max_assignments zero", set_cells("inspectors", "max_assignments", {4: "0"}), "inspectors", "max_assignments", 4,
      "must be >= 1", "0"),
    C("max_assignments in words", set_cells("inspectors", "max_assignments", {8: "two"}), "inspectors",
      "max_assignments", 8, "must be an integer", "two"),
    # conflicts
    C("unknown body_id in conflicts", set_cells("conflicts", "body_id", {11: "CB404"}), "conflicts", "body_id", 11,
      "must exist in bodies.body_id"),
    C("unknown inspector in conflicts", set_cells("conflicts", "inspector_id", {2: "IN999"}), "conflicts",
      "inspector_id", 2, "must exist in inspectors.inspector_id", "IN999"),
    C("empty reason", set_cells("conflicts", "reason", {10: ""}), "conflicts", "reason", 10, "must not be empty"),
]  # fmt: skip
