"""The pandera models of the data contract, and the problem report."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.errors as pe
import pytest
from minimal_data import minimal_frames

from features import codes
from features.contracts import (
    CANONICAL_DTYPES,
    COLUMN_KINDS,
    COLUMNS,
    KINDS,
    MODELS,
    NOT_AFTER_AS_OF,
    NULLABLE,
    REFERENCES,
    REQUIRED_TABLES,
    ROW_RULES,
    TABLE_LABELS_ZH,
    TABLES,
)
from features.problems import MAX_LISTED, PROBLEM_COLUMNS, cell_problems, concat_problems, table_problem
from features.report import SHOWN, DataContractError, format_table, render_report, translate_rule

CJK = re.compile(r"[\u4e00-\u9fff]")
ALL_COLUMNS = [(t, c) for t in TABLES for c in COLUMNS[t]]


# ------------------------------------------------------------------ models


def test_tables_in_contract_order():
    assert TABLES == ("bodies", "inspections", "signals", "audits", "certificates", "inspectors", "conflicts")
    assert REQUIRED_TABLES == ("bodies", "inspections")
    assert set(TABLE_LABELS_ZH) == set(TABLES)


@pytest.mark.parametrize(("table", "column"), ALL_COLUMNS)
def test_every_column_has_a_description_in_english_and_chinese(table, column):
    description = MODELS[table].to_schema().columns[column].description
    assert description and len(description) > 15
    assert re.search(r"[A-Za-z]{4}", description), "needs English words"
    assert CJK.search(description), "needs the Chinese term"


@pytest.mark.parametrize(("table", "column"), ALL_COLUMNS)
def test_every_column_has_a_kind(table, column):
    assert COLUMN_KINDS[table][column] in KINDS


def test_column_lists_follow_the_contract():
    assert COLUMNS["bodies"] == (
        "body_id",
        "name",
        "province",
        "approved_on",
        "ccc_designated",
        "accredited",
        "status",
        "status_changed_on",
        "fields",
    )
    assert COLUMNS["conflicts"] == ("inspector_id", "body_id", "reason")
    assert COLUMN_KINDS["audits"]["planned_start"] == "datetime"
    assert COLUMN_KINDS["certificates"]["issued_on"] == "date"
    assert COLUMN_KINDS["inspectors"]["max_assignments"] == "int"
    assert COLUMN_KINDS["audits"]["checkin_distance_km"] == "float"
    assert COLUMN_KINDS["bodies"]["accredited"] == "bool"


def test_only_the_documented_columns_may_be_empty():
    nullable = {(t, c) for t in TABLES for c in NULLABLE[t]}
    assert nullable == {
        ("inspections", "draw_id"),
        ("inspections", "inspector_ids"),
        ("inspections", "inclusion_prob"),
        ("inspections", "entered_by"),
        ("inspections", "decision"),
        ("audits", "checkin_distance_km"),
        ("audits", "checkin_at"),
        ("audits", "checkout_at"),
        ("certificates", "status_changed_on"),
        ("bodies", "status_changed_on"),
    }


def test_expiry_and_plans_may_be_in_the_future_but_events_may_not():
    assert "expires_on" not in NOT_AFTER_AS_OF["certificates"]
    assert "planned_end" not in NOT_AFTER_AS_OF["audits"]
    assert NOT_AFTER_AS_OF["bodies"] == ("approved_on", "status_changed_on")
    assert "checkin_at" in NOT_AFTER_AS_OF["audits"]


def test_references_point_at_existing_columns():
    assert ("conflicts", "inspector_id", "inspectors", "inspector_id") in REFERENCES
    for table, column, ref_table, ref_column in REFERENCES:
        assert column in COLUMNS[table] and ref_column in COLUMNS[ref_table]
    assert ("inspections", "inspector_ids", "inspectors", "inspector_id") not in REFERENCES


def test_row_rules_name_existing_columns():
    for rule in ROW_RULES:
        assert set(rule.columns) <= set(COLUMNS[rule.table]), rule


@pytest.mark.parametrize("table", TABLES)
def test_models_are_strict(table):
    assert MODELS[table].to_schema().strict is True


@pytest.mark.parametrize("table", TABLES)
def test_minimal_frames_pass_their_model(table):
    frame = minimal_frames()[table]
    MODELS[table].validate(frame)
    for column, kind in COLUMN_KINDS[table].items():
        assert str(frame[column].dtype) == CANONICAL_DTYPES[kind], column


def test_model_rejects_an_unknown_column():
    frame = minimal_frames()["signals"].assign(remark="x")
    with pytest.raises((pe.SchemaError, pe.SchemaErrors), match="remark"):
        MODELS["signals"].validate(frame)


def test_model_enforces_row_rules():
    frame = minimal_frames()["inspections"]
    frame.loc[0, "findings"] = 3  # outcome none
    with pytest.raises(pe.SchemaError, match="row rules of inspections"):
        MODELS["inspections"].validate(frame)


@pytest.mark.parametrize(
    ("table", "column", "value", "check"),
    [
        ("bodies", "province", "99", "GB/T 2260"),
        ("bodies", "status", "closed", "isin"),
        ("bodies", "fields", "QMS,EMS", "str_matches"),
        ("inspectors", "province", "66", "GB/T 2260"),
        ("signals", "severity", 4, "in_range"),
        ("inspectors", "max_assignments", 0, "greater_than_or_equal_to"),
        ("inspections", "inclusion_prob", 1.5, "in_range"),
    ],
)
def test_model_value_rules(table, column, value, check):
    frame = minimal_frames()[table]
    frame.loc[2, column] = value
    with pytest.raises(pe.SchemaError, match=check):
        MODELS[table].validate(frame)


def test_inspectors_accept_the_national_code():
    frame = minimal_frames()["inspectors"]
    assert (frame["province"] == codes.NATIONAL).any()
    MODELS["inspectors"].validate(frame)


# ------------------------------------------------------------------ report


def test_problem_frame_columns_and_dtypes():
    problems = concat_problems(
        [
            table_problem("bodies", "missing column", column="status"),
            cell_problems("bodies", "name", "must not be empty", [3], [""]),
        ]
    )
    assert tuple(problems.columns) == PROBLEM_COLUMNS
    assert str(problems["row"].dtype) == "Int64"
    assert problems["row"].isna().tolist() == [True, False]
    assert problems["count"].tolist() == [1, 1]
    assert len(concat_problems([])) == 0


def test_cell_problems_are_listed_up_to_a_limit_then_counted():
    n = MAX_LISTED + 500
    problems = cell_problems("audits", "remote", "must be true or false", np.arange(1, n + 1), ["x"] * n)
    assert len(problems) == MAX_LISTED + 1
    assert problems["count"].sum() == n
    assert problems["row"].isna().sum() == 1
    assert problems["count"].iloc[-1] == 500
    # one more than the limit is simply listed
    assert len(cell_problems("t", "c", "r", np.arange(1, MAX_LISTED + 2), ["x"] * (MAX_LISTED + 1))) == MAX_LISTED + 1


def test_report_shows_a_few_rows_and_counts_the_rest():
    n = 1234
    err = DataContractError(
        cell_problems("audits", "remote", "must be true or false", np.arange(1, n + 1), ["maybe"] * n)
    )
    text = err.report()
    assert text.startswith(
        "The data directory does not conform to the data contract: 1,234 problems in 1 table (audits)."
    )
    assert "row 1 " in text and f"row {SHOWN} " in text and f"row {SHOWN + 1} " not in text
    assert f"... and {n - SHOWN:,} more rows" in text
    assert str(err) == text


def test_report_heading_names_every_table_and_the_path():
    problems = concat_problems(
        [
            table_problem("signals", "file is empty (no header row)"),
            cell_problems("bodies", "province", "must be a GB/T 2260 province code (11 .. 65)", [3], ["99"]),
        ]
    )
    text = DataContractError(problems, path="data").report()
    assert "The data directory data does not conform" in text
    assert "2 problems in 2 tables (signals, bodies)" in text
    assert "SchemaError" not in text and "DataFrameSchema" not in text


def test_report_aligns_columns():
    problems = concat_problems(
        [
            cell_problems("bodies", "province", "must be a GB/T 2260 province code (11 .. 65)", [3], ["99"]),
            cell_problems("inspections", "inclusion_prob", "must be in (0, 1]", [12], ["1.5"]),
        ]
    )
    lines = DataContractError(problems).report().splitlines()
    header, rule_line, first, second = lines[2:6]
    assert header.split() == ["table", "column", "row", "value", "rule"]
    assert set(rule_line.replace(" ", "")) == {"-"}
    assert first.index("row 3") == second.index("row 12") == header.index("row")


def test_empty_values_are_shown_as_empty():
    text = DataContractError(cell_problems("bodies", "name", "must not be empty", [2], [""])).report()
    assert "(empty)" in text
    assert "（空）" in DataContractError(cell_problems("bodies", "name", "must not be empty", [2], [""])).report("zh")


def test_chinese_report():
    problems = concat_problems(
        [
            cell_problems("inspections", "inclusion_prob", "must be in (0, 1]", np.arange(1, 9), ["1.5"] * 8),
            table_problem("bodies", "missing column", column="status"),
        ]
    )
    text = DataContractError(problems).report("zh")
    assert text.startswith("数据目录不符合数据规范：共 9 个问题，涉及 2 张表（inspections、bodies）。")
    assert "第 1 行" in text and "须在区间 (0, 1] 内" in text and "缺少此列" in text
    assert f"…… 另有 {8 - SHOWN} 行" in text
    assert "表" in text.splitlines()[2] and "规则" in text.splitlines()[2]


@pytest.mark.parametrize(
    ("rule", "zh"),
    [
        ("must be one of none, general, major, severe", "须为下列之一：none, general, major, severe"),
        ("must exist in bodies.body_id", "须存在于 bodies.body_id"),
        ("required when kind = random", "kind = random 时必填"),
        ("must not be after the as-of date 2026-10-01", "不得晚于基准日 2026-10-01"),
        ("file is not UTF-8 text (byte 0xcb at offset 20)", "文件不是 UTF-8 文本（偏移 20 处的字节 0xcb）"),
        ("a rule nobody translated", "a rule nobody translated"),
    ],
)
def test_rule_translation(rule, zh):
    assert translate_rule(rule, "zh") == zh
    assert translate_rule(rule, "en") == rule


def test_report_rejects_an_unknown_language():
    with pytest.raises(ValueError, match="`lang` must be 'en' or 'zh'; got 'fr'"):
        render_report(table_problem("bodies", "missing column", column="x"), "fr")


def test_report_of_no_problems():
    assert render_report(concat_problems([])) == "The data directory conforms to the data contract."


def test_format_table_counts_chinese_characters_double():
    lines = format_table([("证书", "1"), ("bodies", "2")], ("table", "rows"))
    assert lines[2] == "证书    1"  # 证书 is 4 columns wide on a terminal, like "bodies" minus 2
    assert lines[3] == "bodies  2"


def test_error_is_a_value_error_with_problems():
    err = DataContractError(table_problem("bodies", "missing column", column="status"))
    assert isinstance(err, ValueError)
    assert isinstance(err.problems, pd.DataFrame)
    with pytest.raises(DataContractError, match=r"1 problem in 1 table \(bodies\)"):
        raise err


def test_error_survives_pickling():
    import pickle

    err = DataContractError(table_problem("bodies", "missing column", column="status"), path="data")
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.path == "data"
    pd.testing.assert_frame_equal(back.problems, err.problems)


def test_user_docs_list_every_column_and_alias():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for _table, column in ALL_COLUMNS:
        assert f"`{column}`" in text, column
    for aliases in codes.ALIASES.values():
        for alias, code in aliases.items():
            assert f"{alias} → `{code}`" in text, alias
