"""load_data_dir: canonical frames from CSV and Parquet, aliases, time zones, optional tables."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from minimal_data import AS_OF, CSV, FORMATS, assert_same_frames, minimal_frames, write_minimal_data

from features import DataContractError, DataSet, load_data_dir
from features.contracts import CANONICAL_DTYPES, COLUMN_KINDS, COLUMNS, MODELS, TABLES
from features.loading import empty_table


def _edit_csv(folder, table, column, values: dict[int, str]):
    """Set cells of a CSV table: {1-based data row: text}."""
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for row, value in values.items():
        frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False)


def _canonical_dtypes_ok(frame: pd.DataFrame, table: str) -> None:
    assert tuple(frame.columns) == COLUMNS[table]
    for column, kind in COLUMN_KINDS[table].items():
        assert str(frame[column].dtype) == CANONICAL_DTYPES[kind], (table, column, frame[column].dtype)


@pytest.fixture(scope="module")
def expected():
    return minimal_frames()


@pytest.mark.parametrize("fmt", FORMATS)
def test_minimal_directory_loads_clean(tmp_path, fmt, expected):
    data = load_data_dir(write_minimal_data(tmp_path, fmt), as_of=AS_OF)
    assert isinstance(data, DataSet)
    assert tuple(data.tables) == TABLES
    assert_same_frames(data.tables, expected)
    for table, frame in data.tables.items():
        _canonical_dtypes_ok(frame, table)
        MODELS[table].validate(frame)
    assert data.as_of == pd.Timestamp(AS_OF)
    assert data.path == tmp_path


def test_csv_bom_and_parquet_give_identical_frames(tmp_path):
    loaded = [load_data_dir(write_minimal_data(tmp_path / fmt, fmt), as_of=AS_OF).tables for fmt in FORMATS]
    assert_same_frames(loaded[0], loaded[1])
    assert_same_frames(loaded[0], loaded[2])


def test_canonical_missing_values(tmp_path):
    data = load_data_dir(write_minimal_data(tmp_path), as_of=AS_OF)
    ins = data.inspections
    targeted = ins["kind"] == "targeted"
    assert ins.loc[targeted, "inclusion_prob"].isna().all()
    assert ins.loc[targeted, "draw_id"].isna().all()
    assert ins["inspector_ids"].isna().sum() == 1
    assert data.audits["checkin_at"].isna().sum() == 1
    assert np.isnan(data.audits.loc[3, "checkin_distance_km"])
    assert data.certificates["status_changed_on"].isna().sum() == 7
    assert data.bodies["ccc_designated"].dtype == np.dtype(bool)
    assert data.inspections["findings"].dtype == np.dtype("int64")


def test_dataset_attribute_access(tmp_path):
    data = load_data_dir(write_minimal_data(tmp_path), as_of=AS_OF)
    assert data.bodies is data.tables["bodies"]
    assert "bodies" in dir(data)
    with pytest.raises(AttributeError, match="DataSet has no table 'orgs'"):
        data.orgs  # noqa: B018


def test_summary_in_english_and_chinese(tmp_path):
    data = load_data_dir(write_minimal_data(tmp_path), as_of=AS_OF)
    en = data.summary()
    assert "conforms to the data contract" in en and "as of 2026-10-01" in en
    assert "inspections by outcome: none 4, general 4, major 2, severe 2" in en
    assert "2024-05-14" in en and "2026-06-03" in en
    zh = data.summary("zh")
    assert "符合数据规范" in zh and "基准日 2026-10-01" in zh
    assert "未发现问题 4" in zh and "认证机构名录 bodies" in zh
    with pytest.raises(ValueError, match="`lang` must be 'en' or 'zh'"):
        data.summary("de")


# ---------------------------------------------------------------- aliases


def test_chinese_aliases_are_rewritten(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "bodies", "status", {1: "正常", 4: "暂停", 8: "注销", 10: "失联"})
    _edit_csv(folder, "inspections", "kind", {1: "双随机抽查", 3: "专项检查", 4: "投诉举报"})
    _edit_csv(
        folder, "inspections", "outcome", {1: "未发现问题", 2: "一般问题", 3: "较严重问题", 4: "严重问题", 5: "无问题"}
    )
    _edit_csv(folder, "signals", "kind", {1: "投诉举报", 4: "严重违法失信名单", 6: "舆情"})
    _edit_csv(folder, "certificates", "status", {1: "有效", 8: "撤销", 9: "注销", 12: "过期"})
    data = load_data_dir(folder, as_of=AS_OF)
    assert_same_frames(data.tables, minimal_frames())


def test_boolean_words(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(
        folder, "bodies", "accredited", {1: "是", 2: "YES", 3: "1", 4: "否", 5: "TRUE", 7: "no", 8: "True", 10: "0"}
    )
    data = load_data_dir(folder, as_of=AS_OF)
    assert data.bodies["accredited"].tolist()[:10] == [True, True, True, False, True, True, False, True, True, False]


def test_blanks_around_values_are_ignored(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "signals", "severity", {1: " 2 "})
    _edit_csv(folder, "signals", "kind", {1: " complaint"})
    _edit_csv(folder, "inspections", "draw_id", {3: "  "})
    data = load_data_dir(folder, as_of=AS_OF)
    assert_same_frames(data.tables, minimal_frames())


# -------------------------------------------------------------- datetimes


def test_datetimes_with_offsets_are_converted_to_shanghai_time(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(
        folder,
        "audits",
        "checkin_at",
        {
            1: "2026-03-02T00:52:10Z",
            2: "2026-03-09T09:01:00+08:00",
            5: "2026-05-05T21:45:00-05:00",
            6: "2026-05-11 01:00:00+0000",
        },
    )
    data = load_data_dir(folder, as_of=AS_OF)
    got = data.audits["checkin_at"]
    assert got[0] == pd.Timestamp("2026-03-02 08:52:10")
    assert got[1] == pd.Timestamp("2026-03-09 09:01:00")
    assert got[4] == pd.Timestamp("2026-05-06 10:45:00")
    assert got[5] == pd.Timestamp("2026-05-11 09:00:00")
    assert got.dt.tz is None and str(got.dtype) == "datetime64[ns]"


def test_parquet_with_time_zone_and_other_units(tmp_path, expected):
    folder = write_minimal_data(tmp_path, "parquet")
    audits = expected["audits"].copy()
    audits["checkin_at"] = audits["checkin_at"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")
    audits["planned_start"] = audits["planned_start"].astype("datetime64[us]")
    audits.to_parquet(folder / "audits.parquet", index=False)
    data = load_data_dir(folder, as_of=AS_OF)
    assert_same_frames(data.tables, expected)


def test_parquet_with_text_columns_is_parsed(tmp_path, expected):
    folder = write_minimal_data(tmp_path, "parquet")
    text = pd.read_csv(io.StringIO(CSV["inspections"]), dtype=str, keep_default_na=False)
    text.to_parquet(folder / "inspections.parquet", index=False)
    bodies = expected["bodies"].copy()
    bodies["approved_on"] = bodies["approved_on"].dt.strftime("%Y-%m-%d")
    bodies["accredited"] = np.where(bodies["accredited"], "是", "否")
    bodies["ccc_designated"] = bodies["ccc_designated"].astype("int32")
    bodies.to_parquet(folder / "bodies.parquet", index=False)
    data = load_data_dir(folder, as_of=AS_OF)
    assert_same_frames(data.tables, expected)


def test_parquet_native_variants(tmp_path, expected):
    """int32 counts, float counts without fractions, date32 dates, dictionary columns."""
    folder = write_minimal_data(tmp_path, "parquet")
    signals = expected["signals"].copy()
    signals["severity"] = signals["severity"].astype("float64")
    signals.to_parquet(folder / "signals.parquet", index=False)
    table = pa.Table.from_pandas(expected["certificates"], preserve_index=False)
    for name in ("issued_on", "expires_on", "status_changed_on"):
        table = table.set_column(table.schema.get_field_index(name), name, table[name].cast(pa.date32()))
    pq.write_table(table, folder / "certificates.parquet")
    inspectors = expected["inspectors"].copy()
    inspectors["max_assignments"] = inspectors["max_assignments"].astype("int32")
    inspectors.to_parquet(folder / "inspectors.parquet", index=False)
    bodies = expected["bodies"].astype({"status": "category", "province": "category"})
    bodies["approved_on"] = bodies["approved_on"].astype("category")
    bodies.to_parquet(folder / "bodies.parquet", index=False)
    data = load_data_dir(folder, as_of=AS_OF)
    assert_same_frames(data.tables, expected)


# ------------------------------------------------------ optional tables


@pytest.mark.parametrize("missing", ["signals", "audits", "certificates", "inspectors", "conflicts"])
def test_missing_optional_table_gives_an_empty_frame(tmp_path, missing):
    folder = write_minimal_data(tmp_path)
    (folder / f"{missing}.csv").unlink()
    data = load_data_dir(folder, as_of=AS_OF)
    frame = data.tables[missing]
    assert len(frame) == 0
    _canonical_dtypes_ok(frame, missing)


def test_empty_table_has_canonical_dtypes():
    for table in TABLES:
        _canonical_dtypes_ok(empty_table(table), table)
        MODELS[table].validate(empty_table(table))


def test_conflicts_without_inspectors_are_not_cross_checked(tmp_path):
    folder = write_minimal_data(tmp_path)
    (folder / "inspectors.csv").unlink()
    _edit_csv(folder, "conflicts", "inspector_id", {1: "IN999"})
    data = load_data_dir(folder, as_of=AS_OF)
    assert data.conflicts.loc[0, "inspector_id"] == "IN999"


def test_inspections_with_only_a_header_are_fine(tmp_path):
    folder = write_minimal_data(tmp_path)
    (folder / "inspections.csv").write_text(CSV["inspections"].splitlines()[0] + "\n", encoding="utf-8")
    data = load_data_dir(folder, as_of=AS_OF)
    assert len(data.inspections) == 0
    _canonical_dtypes_ok(data.inspections, "inspections")


def test_inspection_teams_need_not_be_in_the_directory(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "inspections", "inspector_ids", {1: "OLD001;OLD002"})
    assert load_data_dir(folder, as_of=AS_OF).inspections.loc[0, "inspector_ids"] == "OLD001;OLD002"


def test_tables_restricts_what_is_read(tmp_path):
    folder = write_minimal_data(tmp_path, tables=("bodies", "inspections", "signals"))
    (folder / "audits.csv").write_bytes(b"\xff\xfe not even text")  # not read, so not reported
    data = load_data_dir(folder, as_of=AS_OF, tables=["signals", "bodies"])
    assert tuple(data.tables) == ("bodies", "signals")
    with pytest.raises(ValueError, match=r"`tables` must name tables of the contract .*\['orgs'\]"):
        load_data_dir(folder, as_of=AS_OF, tables=["orgs"])


# ------------------------------------------------------------------ as_of


def test_as_of_defaults_to_today(tmp_path):
    folder = write_minimal_data(tmp_path)
    today = pd.Timestamp.now(tz="Asia/Shanghai").tz_localize(None).normalize()
    try:
        assert load_data_dir(folder).as_of == today
    except DataContractError as exc:  # the minimal data are dated after today
        assert f"must not be after the as-of date {today:%Y-%m-%d}" in str(exc)


def test_as_of_accepts_dates_and_strings(tmp_path):
    folder = write_minimal_data(tmp_path)
    assert load_data_dir(folder, as_of=pd.Timestamp("2026-10-01 15:30")).as_of == pd.Timestamp(AS_OF)
    assert load_data_dir(folder, as_of=pd.Timestamp("2026-10-01", tz="Asia/Shanghai")).as_of == pd.Timestamp(AS_OF)


@pytest.mark.parametrize("bad", ["next week", "", object()])
def test_bad_as_of(tmp_path, bad):
    with pytest.raises(ValueError, match="`as_of` must be a date; got"):
        load_data_dir(write_minimal_data(tmp_path), as_of=bad)


def test_event_on_the_as_of_day_is_allowed(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "audits", "checkout_at", {12: "2026-10-01T23:59:00"})
    assert load_data_dir(folder, as_of=AS_OF).audits.loc[11, "checkout_at"] == pd.Timestamp("2026-10-01 23:59")


# ------------------------------------------------------------------ paths


def test_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="data directory .*nowhere does not exist"):
        load_data_dir(tmp_path / "nowhere")


def test_path_is_a_file(tmp_path):
    folder = write_minimal_data(tmp_path)
    with pytest.raises(FileNotFoundError, match="is not a directory"):
        load_data_dir(folder / "bodies.csv")


# ------------------------------------------------------------- problems


def test_every_problem_of_every_table_at_once(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "bodies", "province", {3: "99"})
    _edit_csv(folder, "signals", "severity", {2: "high", 5: "7"})
    _edit_csv(folder, "certificates", "scheme", {4: "ABC"})
    (folder / "conflicts.csv").write_bytes("inspector_id,body_id,reason\nIN001,CB006,回避\n".encode("gbk"))
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    problems = info.value.problems
    got = set(
        zip(
            problems["table"], problems["column"], problems["row"].astype("object").where(problems["row"].notna(), None)
        )
    )
    assert got == {
        ("bodies", "province", 3),
        ("signals", "severity", 2),
        ("signals", "severity", 5),
        ("certificates", "scheme", 4),
        ("conflicts", "", None),
    }
    assert problems["table"].tolist() == ["bodies", "signals", "signals", "certificates", "conflicts"]


def test_a_cell_is_reported_once(tmp_path):
    """An unparsable date is not also reported as empty, in the future or out of order."""
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "audits", "planned_end", {2: "tomorrow"})
    _edit_csv(folder, "inspectors", "max_assignments", {3: "many"})
    _edit_csv(folder, "inspections", "findings", {2: "two"})
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    problems = info.value.problems
    assert problems[["table", "column", "row"]].astype(str).values.tolist() == [
        ["inspections", "findings", "2"],
        ["audits", "planned_end", "2"],
        ["inspectors", "max_assignments", "3"],
    ]
    assert problems["rule"].tolist() == [
        "must be an integer",
        "must be a date and time (ISO 8601)",
        "must be an integer",
    ]


def test_many_bad_rows_are_counted(tmp_path):
    folder = write_minimal_data(tmp_path)
    n = 2500
    rows = [f"SIG{i:05d},CB001,2025-01-01,complaint,9" for i in range(n)]
    (folder / "signals.csv").write_text(
        CSV["signals"].splitlines()[0] + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    with pytest.raises(DataContractError, match=r"2,500 problems in 1 table \(signals\)") as info:
        load_data_dir(folder, as_of=AS_OF)
    assert info.value.problems["count"].sum() == n
    assert "... and 2,495 more rows" in str(info.value)


def test_unique_failures_name_every_duplicate(tmp_path):
    folder = write_minimal_data(tmp_path)
    _edit_csv(folder, "inspectors", "inspector_id", {5: "IN001", 9: "IN001"})
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    problems = info.value.problems
    dup = problems[problems["rule"].str.startswith("must be unique")]
    assert dup["row"].tolist() == [1, 5, 9]
    assert set(dup["value"]) == {"IN001"}


def test_missing_column_is_not_reported_again_by_other_rules(tmp_path):
    folder = write_minimal_data(tmp_path)
    frame = pd.read_csv(folder / "inspections.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["kind", "body_id"]).to_csv(folder / "inspections.csv", index=False)
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    problems = info.value.problems
    assert problems[["column", "rule"]].values.tolist() == [["body_id", "missing column"], ["kind", "missing column"]]


def test_references_skipped_when_bodies_unreadable(tmp_path):
    folder = write_minimal_data(tmp_path)
    (folder / "bodies.csv").write_bytes(b"")
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    assert info.value.problems["rule"].tolist() == ["file is empty (no header row)"]
