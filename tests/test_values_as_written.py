"""The problem report quotes every cell as written in the file, never as the loader parsed it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from minimal_data import AS_OF, minimal_frames, write_minimal_data

from features import DataContractError, load_data_dir
from features.loading.parse import INT_LIMIT


def _problems(folder) -> pd.DataFrame:
    with pytest.raises(DataContractError) as info:
        load_data_dir(folder, as_of=AS_OF)
    return info.value.problems


def _cell(problems: pd.DataFrame, table: str, column: str, row: int) -> pd.Series:
    hit = problems[(problems["table"] == table) & (problems["column"] == column) & (problems["row"] == row)]
    assert len(hit) == 1, problems
    return hit.iloc[0]


def _set_csv(folder, table: str, cells: dict[tuple[int, str], str]) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for (row, column), text in cells.items():
        frame.loc[row - 1, column] = text
    frame.to_csv(path, index=False)


def test_an_unsigned_64_bit_integer_keeps_its_digits(tmp_path):
    folder = write_minimal_data(tmp_path)
    (folder / "inspections.csv").unlink()
    table = pa.Table.from_pandas(minimal_frames()["inspections"], preserve_index=False)
    checked = [20, 18446744073709551615, *[30] * 10]  # the largest uint64, which int64 would read as -1
    table = table.set_column(
        table.schema.get_field_index("certs_checked"), "certs_checked", pa.array(checked, pa.uint64())
    )
    pq.write_table(table, folder / "inspections.parquet")
    p = _problems(folder)
    cell = _cell(p, "inspections", "certs_checked", 2)
    assert cell["value"] == "18446744073709551615" and cell["rule"] == "must be an integer of at most 15 digits"
    assert len(p) == 1  # the bad cell is not read as -1 (">= 0"), nor compared with certs_with_problems


def test_the_integer_limit_is_exact_in_text(tmp_path):
    folder = write_minimal_data(tmp_path)
    _set_csv(folder, "inspections", {(1, "certs_checked"): str(INT_LIMIT), (2, "certs_checked"): str(INT_LIMIT + 1)})
    p = _problems(folder)
    assert p[["column", "row", "value"]].values.tolist() == [["certs_checked", 2, "1000000000000001"]]


def test_a_time_with_an_offset_is_quoted_with_its_offset(tmp_path):
    folder = write_minimal_data(tmp_path)
    # 2026-10-02T00:30+09:00 is 2026-10-01 23:30 in Shanghai: not after the as-of date, so not reported
    _set_csv(folder, "audits", {(11, "checkin_at"): "2026-10-02T00:30:00+09:00"})
    _set_csv(folder, "audits", {(12, "checkin_at"): "2026-10-02T08:00:00+08:00"})
    _set_csv(folder, "audits", {(2, "checkout_at"): "2026-03-09T01:00:00Z"})  # 09:00 in Shanghai, before 09:01
    p = _problems(folder)
    assert _cell(p, "audits", "checkin_at", 12)["value"] == "2026-10-02T08:00:00+08:00"
    assert _cell(p, "audits", "checkout_at", 2)["value"] == "2026-03-09T01:00:00Z (checkin_at = 2026-03-09T09:01:00)"
    assert not ((p["column"] == "checkin_at") & (p["row"] == 11)).any()


def test_a_parquet_time_zone_is_quoted_with_its_offset(tmp_path):
    folder = write_minimal_data(tmp_path)
    (folder / "audits.csv").unlink()
    audits = minimal_frames()["audits"]
    audits["checkin_at"] = audits["checkin_at"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")
    audits.loc[11, "checkin_at"] = pd.Timestamp("2026-10-02 01:00", tz="UTC")  # 09:00 in Shanghai
    audits.to_parquet(folder / "audits.parquet", index=False)
    assert _cell(_problems(folder), "audits", "checkin_at", 12)["value"] == "2026-10-02 01:00:00+00:00"


def test_numbers_and_codes_are_quoted_as_typed(tmp_path):
    folder = write_minimal_data(tmp_path)
    _set_csv(folder, "inspections", {(1, "inclusion_prob"): "1.50", (3, "inclusion_prob"): "0.500"})
    _set_csv(folder, "inspections", {(4, "kind"): "投诉举报", (4, "draw_id"): " D9 "})
    p = _problems(folder)
    assert _cell(p, "inspections", "inclusion_prob", 1)["value"] == "1.50"
    assert _cell(p, "inspections", "inclusion_prob", 3)["value"] == "0.500 (kind = targeted)"
    assert _cell(p, "inspections", "draw_id", 4)["value"] == "D9 (kind = 投诉举报)"  # the alias as written
