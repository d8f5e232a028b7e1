"""Risk monitoring and early warning, step by step on hand-made tables with answers worked by hand.

The five steps of the 2024-2026 plan (annex 1 §4): risk points and indicators
(a threshold crossed, against peers or absolute), judgement (points and
levels), warnings across quarters (new, escalated, persisting, handled,
cleared), handling (the 三书一函 ladder, overdue dispositions); then the rules
file and the dispositions table refused in words.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from features.report import DataContractError
from supervision.cycle import RAISED, STATE_COLUMNS, advance, closed_warnings, warning_id
from supervision.handling import recommend
from supervision.indicators import Peers, crossed, indicator_hits, peer_groups, size_class
from supervision.judgement import judge
from supervision.rules import IndicatorRule, RulesError, load_rules

AS_OF = pd.Timestamp("2026-10-01")
RULES = load_rules()


def _rules(**indicators: IndicatorRule):
    return dataclasses.replace(RULES, indicators=indicators, min_peers=3, size_classes=1)


# ---------------------------------------------------------------- 1. risk points and indicators


def test_a_percentile_threshold_is_crossed_above_the_peers_percentile_and_above_zero():
    # values 0, 0, 0.1, 0.2, 0.5 in one peer group: the 80th percentile (linear) is at
    # position 0.8 * 4 = 3.2 -> 0.2 + 0.2 * (0.5 - 0.2) = 0.26; only 0.5 is above it.
    values = pd.Series([0.0, 0.0, 0.1, 0.2, 0.5])
    peers = Peers.of(pd.Series(["QMS"] * 5), pd.Series([1.0] * 5), classes=1, min_peers=3)
    hit, threshold = crossed(values, peers, IndicatorRule("percentile", 80, 1))
    assert hit.tolist() == [False, False, False, False, True]
    assert threshold.iloc[0] == pytest.approx(0.26)
    # at the 10th percentile (0.0) the two zeros are not above it, and a zero never warns anyway
    hit, _ = crossed(values, peers, IndicatorRule("percentile", 10, 1))
    assert hit.tolist() == [False, False, True, True, True]


def test_an_absolute_threshold_is_crossed_at_or_above_its_value_and_never_by_a_missing_value():
    values = pd.Series([2.0, 3.0, 4.0, np.nan])
    peers = Peers.of(pd.Series(["QMS"] * 4), pd.Series([1.0] * 4), classes=1, min_peers=1)
    hit, _ = crossed(values, peers, IndicatorRule("absolute", 3, 1))
    assert hit.tolist() == [False, True, True, False]


def test_peers_are_the_narrowest_group_with_enough_bodies():
    # size classes of 0..5 in 3 equal-count classes: cuts at 1.67 and 3.33 -> 1 1 2 2 3 3
    assert size_class(pd.Series([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]), 3).tolist() == [1, 1, 2, 2, 3, 3]
    field = pd.Series(["QMS", "QMS", "QMS", "EMS", "EMS", "ISMS"])
    klass = pd.Series([1, 1, 1, 1, 2, 2])
    # QMS/1 has 3 bodies (enough); EMS/1 one -> its size class 1 (4 bodies); class 2 has 2 -> every body
    assert peer_groups(field, klass, 3).tolist() == ["QMS/1", "QMS/1", "QMS/1", "*/1", "*/*", "*/*"]


def test_a_fallback_group_takes_its_percentile_over_every_body_of_the_size_class():
    # body 4 (EMS, class 1) falls back to class 1: values 0.1 0.2 0.3 0.9; its own 0.9 is above the
    # 50th percentile of the class (0.25), while it would be alone in its field
    features = pd.DataFrame(
        {
            "body_id": ["B1", "B2", "B3", "B4"],
            "log_valid_certs": [1.0] * 4,
            "missing_checkin_rate": [0.1, 0.2, 0.3, 0.9],
        }
    )
    fields = pd.Series(["QMS", "QMS", "QMS;EMS", "EMS"])
    rules = _rules(missing_checkin_rate=IndicatorRule("percentile", 50, 2))
    hits = indicator_hits(features, fields, rules)
    # QMS/1: 0.1 0.2 0.3 -> median 0.2, B3 above; */1: 0.1 0.2 0.3 0.9 -> median 0.25, B4 above
    assert hits["body_id"].tolist() == ["B3", "B4"]
    assert hits["threshold"].tolist() == pytest.approx([0.2, 0.25])
    assert hits["basis"].tolist() == ["QMS/1", "*/1"]
    assert set(hits["risk_point"]) == {"missing_onsite_audits"}


# ---------------------------------------------------------------- 2. judgement


def _hits(rows):
    return pd.DataFrame(
        rows, columns=["body_id", "indicator", "risk_point", "value", "threshold", "basis", "points", "min_level"]
    )


def test_points_add_up_to_the_level_and_a_min_level_lifts_it():
    ids = pd.Series(["B1", "B2", "B3", "B4"])
    hits = _hits(
        [
            ("B1", "complaints_12m", "complaint_surge", 5, 4, "absolute", 1, ""),  # 1 point: below blue (2)
            ("B2", "penalties_3y", "penalties", 2, 2, "absolute", 2, ""),  # 2 + 2 = 4: yellow
            ("B2", "serious_count_3y", "past_findings", 3, 2, "absolute", 2, ""),
            ("B3", "unreachable_12m", "unreachable", 1, 1, "absolute", 1, "orange"),  # 1 point, lifted to orange
        ]
    )
    nan = pd.Series([np.nan] * 4)
    judged = judge(ids, hits, nan, nan, RULES, "en")
    assert judged["points"].tolist() == [1, 4, 1, 0]
    assert judged["level"].tolist() == ["", "yellow", "orange", ""]
    assert judged.loc[1, "risk_points"] == "penalties;past_findings"
    assert (
        judged.loc[1, "reasons"] == "penalties in 3 years 2 (threshold 2); serious findings in 3 years 3 (threshold 2)"
    )


def test_the_score_adds_points_in_the_top_percent_and_when_it_rises():
    # ten bodies with p = 0.01 .. 0.10: the 90th percentile is 0.091, so only 0.10 is in the top 10 %
    # (top_points 2 -> blue); B9 rose from 0.02 to 0.09 (+0.07 >= 0.05: rise_points 1 -> 1 point, no level)
    ids = pd.Series([f"B{i}" for i in range(1, 11)])
    p = pd.Series(np.arange(1, 11) / 100)
    before = pd.Series([np.nan] * 8 + [0.02, 0.10])
    judged = judge(ids, _hits([]), p, before, RULES, "en")
    assert judged["points"].tolist() == [0] * 8 + [1, 2]
    assert judged["level"].tolist() == [""] * 9 + ["blue"]
    assert judged.loc[8, "reasons"] == "P(serious) up 0.07 since the previous quarter"
    assert judged.loc[9, "reasons"] == "model score in the top 10 % (P(serious) 0.1)"
    zh = judge(ids, _hits([]), p, before, RULES, "zh")
    assert zh.loc[9, "reasons"] == "模型评分居前 10%（严重问题概率 0.1）"


# ---------------------------------------------------------------- 3. warnings across quarters


def _judged(levels: dict[str, str], risk_points: dict[str, str] | None = None) -> pd.DataFrame:
    risk_points = risk_points or {}
    return pd.DataFrame(
        {
            "body_id": list(levels),
            "level": list(levels.values()),
            "risk_points": [risk_points.get(b, "") for b in levels],
        }
    )


def _quarter(levels, previous=None, closed=(), last=None, as_of=AS_OF, risk_points=None):
    before = previous if previous is not None else pd.DataFrame(columns=STATE_COLUMNS)
    return advance(_judged(levels, risk_points), before, set(closed), dict(last or {}), as_of, RULES)


def test_a_new_warning_gets_the_rung_of_its_level_and_its_deadline():
    now = _quarter({"B1": "yellow", "B2": "", "B3": "red"})
    assert now["body_id"].tolist() == ["B1", "B3"]
    assert now["status"].tolist() == ["new", "new"]
    assert now["response"].tolist() == ["rectification_notice", "supervised_listing"]
    # deadlines of the rules that ship: 60 and 90 days from 2026-10-01
    assert now["deadline"].tolist() == [pd.Timestamp("2026-11-30"), pd.Timestamp("2026-12-30")]
    assert now["warning_id"].tolist() == ["W-B1-20261001", "W-B3-20261001"]


def test_escalation_persistence_and_clearance_against_the_previous_quarter():
    q1 = _quarter({"B1": "yellow", "B2": "orange", "B3": "blue"})
    q2_as_of = pd.Timestamp("2027-01-01")
    q2 = _quarter({"B1": "orange", "B2": "yellow", "B3": ""}, previous=q1, as_of=q2_as_of).set_index("body_id")
    # B1 escalated: same warning, the interview notice (orange's rung, one above its rectification notice)
    assert q2.loc["B1", "status"] == "escalated" and q2.loc["B1", "warning_id"] == "W-B1-20261001"
    assert q2.loc["B1", "response"] == "interview_notice"
    assert q2.loc["B1", "deadline"] == q2_as_of + pd.Timedelta(days=30)
    # B2 lowered from orange to yellow: persisting, its response and deadline carried (2026-10-01 + 30 days)
    assert q2.loc["B2", "status"] == "persisting" and q2.loc["B2", "level"] == "yellow"
    assert q2.loc["B2", "response"] == "interview_notice" and q2.loc["B2", "deadline"] == pd.Timestamp("2026-10-31")
    # its deadline passed before 2027-01-01 with no disposition closing it: overdue
    assert bool(q2.loc["B2", "overdue"])
    assert q2.loc["B3", "status"] == "cleared"
    assert set(q2.index[q2["status"].isin(RAISED)]) == {"B1", "B2"}


def test_a_handled_warning_is_not_raised_again_unless_it_escalates():
    q1 = _quarter({"B1": "orange", "B2": "orange"})
    closed = closed_warnings(pd.DataFrame({"warning_id": ["W-B1-20261001", "W-B2-20261001"], "closed": [True, False]}))
    assert closed == {"W-B1-20261001"}
    q2 = _quarter({"B1": "orange", "B2": "orange"}, previous=q1, closed=closed, as_of=pd.Timestamp("2027-01-01"))
    q2 = q2.set_index("body_id")
    assert q2.loc["B1", "status"] == "handled" and q2.loc["B1", "handled_level"] == "orange"
    assert q2.loc["B2", "status"] == "persisting"  # an open disposition does not close it
    assert bool(q2.loc["B2", "overdue"])  # 2026-10-01 + 30 days < 2027-01-01
    # next quarter: B1 at yellow stays handled; then at red it is a new warning, a rung above the interview notice
    q3 = _quarter({"B1": "yellow"}, previous=q2.reset_index(), as_of=pd.Timestamp("2027-04-01")).set_index("body_id")
    assert q3.loc["B1", "status"] == "handled"
    q4 = _quarter({"B1": "red"}, previous=q3.reset_index(), as_of=pd.Timestamp("2027-07-01")).set_index("body_id")
    assert q4.loc["B1", "status"] == "escalated" and q4.loc["B1", "warning_id"] == warning_id(
        "B1", pd.Timestamp("2027-07-01")
    )
    assert q4.loc["B1", "response"] == "supervised_listing"


# ---------------------------------------------------------------- 4. handling


def test_the_ladder_by_level_and_history():
    assert [recommend(level, "", "") for level in ("blue", "yellow", "orange", "red")] == [
        "reminder_letter",
        "rectification_notice",
        "interview_notice",
        "supervised_listing",
    ]
    assert recommend("blue", "", "reminder_letter") == "rectification_notice"  # warned again: one rung up
    assert recommend("red", "", "supervised_listing") == "supervised_listing"  # the top stays the top
    assert recommend("yellow", "penalties;unreachable", "") == "special_check"  # no letter reaches an unreachable body


def test_a_new_warning_of_a_body_handled_before_starts_above_its_last_response():
    now = _quarter({"B1": "blue"}, last={"B1": "rectification_notice"})
    assert now["response"].tolist() == ["interview_notice"]


# ---------------------------------------------------------------- the rules file refused in words


def _write_rules(tmp_path, old, new):
    from supervision.rules import DEFAULT_RULES

    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("[indicators.media_12m]", "[indicators.tv_12m]", r"indicators.tv_12m: is not an indicator of the catalogue"),
        (
            'threshold = "absolute"',
            'threshold = "relative"',
            r'threshold: must be "percentile" or "absolute" \(found "relative"\)',
        ),
        ("value = 95", "value = 100", r"value: must be a number between 0 and 100 \(exclusive\) \(found 100\)"),
        ("value = 4", "value = -1", r"value: must be a number between 0 and inf \(found -1\)"),
        (
            "value = 2\npoints = 2\n",
            "value = 2\npoints = 11\n",
            r"points: must be a whole number from 1 to 10 \(found 11\)",
        ),
        (
            'min_level = "red"',
            'min_level = "purple"',
            r'min_level: must be one of blue, yellow, orange, red \(found "purple"\)',
        ),
        (
            "red = 8",
            "red = 5",
            r"levels: must rise strictly from blue to yellow, orange and red \(found \[2, 4, 6, 5\]\)",
        ),
        ("min_peers = 20", "min_peers = 20\nneighbours = 3", r"peers.neighbours: is not a known key"),
        ('catalogue = "2026.1"', 'catalogue = "2020.1"', r'catalogue: must be "2026.1"'),
        (
            "reminder_letter = 30",
            "reminder_letter = 0",
            r"deadlines.reminder_letter: must be a whole number from 1 to 3650",
        ),
        ("[peers]", "[peers", r"file: must be TOML"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_key_the_rule_and_the_value(tmp_path, old, new, message):
    with pytest.raises(RulesError, match=message):
        load_rules(_write_rules(tmp_path, old, new))


def test_every_problem_of_a_rules_file_is_reported_at_once(tmp_path):
    path = _write_rules(tmp_path, "blue = 2\nyellow = 4", "blue = 0\nyellow = 4\npink = 3")
    with pytest.raises(RulesError, match=r"2 problem\(s\)") as caught:
        load_rules(path)
    assert [key for key, _, _ in caught.value.problems] == ["levels.pink", "levels.blue"]


def test_a_missing_or_non_utf8_rules_file_is_refused(tmp_path):
    with pytest.raises(RulesError, match="file: must exist"):
        load_rules(tmp_path / "none.toml")
    (tmp_path / "gbk.toml").write_bytes("version = '规则'".encode("gbk"))
    with pytest.raises(RulesError, match="file: must be UTF-8 text"):
        load_rules(tmp_path / "gbk.toml")
    with pytest.raises(RulesError, match="must be a file, not a folder"):
        load_rules(tmp_path)


# ---------------------------------------------------------------- the dispositions table refused in words


def _dispositions(tmp_path, rows):
    header = "disposition_id,warning_id,body_id,disposed_on,action,unit,person,closed\n"
    path = tmp_path / "dispositions.csv"
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


BODIES = pd.DataFrame({"body_id": ["B1", "B2"]})
PREVIOUS = pd.DataFrame({"warning_id": ["W-B1-20260701"], "body_id": ["B1"]})


def test_a_good_dispositions_table_is_read_sorted_by_date(tmp_path):
    from features.loading import load_dispositions

    path = _dispositions(
        tmp_path,
        [
            "D2,W-B1-20260701,B1,2026-09-20,interview_notice,市局,张三,true",
            "D1,W-B1-20260701,B1,2026-08-01,rectification_notice,市局,李四,false",
        ],
    )
    table = load_dispositions(path, BODIES, PREVIOUS, AS_OF)
    assert table["disposition_id"].tolist() == ["D1", "D2"] and table["closed"].tolist() == [False, True]


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        ("D1,W-B1-20260701,B9,2026-09-20,reminder_letter,市局,张三,true", "body_id", "must exist in bodies.body_id"),
        (
            "D1,W-B7-20260701,B1,2026-09-20,reminder_letter,市局,张三,true",
            "warning_id",
            "must be a warning of the previous",
        ),
        ("D1,W-B1-20260701,B2,2026-09-20,reminder_letter,市局,张三,true", "body_id", "must be the body of its warning"),
        (
            "D1,W-B1-20260701,B1,2026-10-02,reminder_letter,市局,张三,true",
            "disposed_on",
            "must not be after the as-of date",
        ),
        ("D1,W-B1-20260701,B1,2026-09-20,fine,市局,张三,true", "action", "must be one of reminder_letter"),
        ("D1,W-B1-20260701,B1,2026-09-20,reminder_letter,,张三,true", "unit", "must not be empty"),
        ("D1,W-B1-20260701,B1,2026-09-20,reminder_letter,市局,张三,maybe", "closed", "must be true or false"),
    ],
)
def test_a_bad_disposition_is_refused_naming_the_column_and_row(tmp_path, row, column, rule):
    from features.loading import load_dispositions

    with pytest.raises(DataContractError, match="dispositions table") as caught:
        load_dispositions(_dispositions(tmp_path, [row]), BODIES, PREVIOUS, AS_OF)
    problems = caught.value.problems
    hit = problems[(problems["column"] == column)]
    assert len(hit) == 1 and rule in hit["rule"].iloc[0], problems[["column", "rule"]]


# ---------------------------------------------------------------- the command, two quarters through the console script


def _console(argv, cwd):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    return subprocess.run([*command, *argv], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.e2e
def test_monitor_runs_two_quarters_with_dispositions_through_the_console_script(tmp_path):
    import json

    from minimal_data import write_minimal_data

    write_minimal_data(tmp_path / "data", "csv")
    first = _console(["monitor", "data", "--as-of", "2026-10-01", "--out", "q1"], tmp_path)
    assert first.returncode == 0, first.stderr
    q1 = pd.read_csv(tmp_path / "q1" / "warnings.csv", encoding="utf-8-sig")
    assert len(q1) and set(q1["status"]) == {"new"}
    # CB010 is unreachable since 2025-01-20: at least orange (its rule's min_level), and a special check
    cb010 = q1.set_index("body_id").loc["CB010"]
    assert cb010["level"] in ("orange", "red") and cb010["response"] == "special check"
    assert "CB010" in set(pd.read_csv(tmp_path / "q1" / "special_unreachable.csv", encoding="utf-8-sig")["body_id"])
    counts = pd.read_csv(tmp_path / "q1" / "warning_counts.csv", encoding="utf-8-sig", dtype={"province": str})
    assert counts.set_index("province").loc["total", "total"] == len(q1)  # every warning is new, so raised
    state = json.loads((tmp_path / "q1" / "monitor.json").read_text(encoding="utf-8"))
    assert state["command"] == "monitor" and state["state"]["as_of"] == "2026-10-01"
    # the high-risk auditors' list (internal): written, counted, and its workbook says it is internal
    auditors = pd.read_csv(tmp_path / "q1" / "special_auditors.csv", encoding="utf-8-sig")
    assert "auditor id" in auditors.columns and state["summary"]["special"]["auditors"] == len(auditors)
    from certrisk.xlsx import read_workbook

    book = read_workbook(tmp_path / "q1" / "warnings.xlsx")
    assert "special_auditors" in book.sheets and any("Internal" in " ".join(r) for r in book.sheets["about"])

    closed = q1["warning_id"].iloc[0]
    (tmp_path / "d.csv").write_text(
        "disposition_id,warning_id,body_id,disposed_on,action,unit,person,closed\n"
        f"D1,{closed},{q1['body_id'].iloc[0]},2026-12-15,special_check,市局,张三,true\n",
        encoding="utf-8",
    )
    argv = ["monitor", "data", "--as-of", "2027-01-01", "--previous", "q1", "--dispositions", "d.csv", "--lang", "zh"]
    second = _console([*argv, "--out", "q2"], tmp_path)
    assert second.returncode == 0, second.stderr
    q2 = pd.read_csv(tmp_path / "q2" / "warnings.csv", encoding="utf-8-sig").set_index("预警编号")
    assert q2.loc[closed, "预警状态"] == "已处置" and q2.loc[closed, "是否办结"] == "是"  # handled, not raised again
    assert q2.loc[closed, "处置单位"] == "市局"
    assert set(q2["预警状态"]) <= {"新增", "升级", "持续", "已处置", "解除"}


def test_a_disposition_of_an_unknown_warning_is_refused_by_the_command_and_nothing_is_written(tmp_path):
    from minimal_data import write_minimal_data

    write_minimal_data(tmp_path / "data", "csv")
    assert _console(["monitor", "data", "--as-of", "2026-10-01", "--out", "q1"], tmp_path).returncode == 0
    (tmp_path / "d.csv").write_text(
        "disposition_id,warning_id,body_id,disposed_on,action,unit,person,closed\n"
        "D1,W-CB999-20261001,CB999,2026-12-15,reminder_letter,市局,张三,true\n",
        encoding="utf-8",
    )
    argv = ["monitor", "data", "--as-of", "2027-01-01", "--previous", "q1", "--dispositions", "d.csv", "--out", "q2"]
    done = _console(argv, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("The dispositions table d.csv does not conform")
    assert "must exist in bodies.body_id" in done.stderr and "must be a warning of the previous" in done.stderr
    assert not (tmp_path / "q2").exists() or not any((tmp_path / "q2").iterdir())


# ---------------------------------------------------------------- on the simulator: warnings fall on the risky bodies


@pytest.mark.slow
def test_red_warnings_concentrate_on_the_truly_riskiest_bodies(world_medium):
    """The rules that ship, indicators only (no model score), on 375 simulated bodies.

    By chance a tenth of the red warnings would fall in the true top decile. With
    about 25 red warnings, a share of 0.3 or more has probability below 1e-3 if red
    were blind to the truth (binomial(25, 0.1): P(X >= 8) = 0.0023 for 25, less for more);
    benchmarks/monitoring.py measures 0.59 on this world.
    """
    from sklearn.metrics import roc_auc_score

    from certrisk.monitor_job import run_monitor
    from supervision.judgement import level_rank

    as_of = pd.Timestamp("2026-07-01")
    judged = run_monitor(world_medium.tables(as_of), as_of, RULES).judged.set_index("body_id")
    risk = world_medium.truth()["risk_quarterly"]
    truth = risk[risk["quarter_start"] == as_of].set_index("body_id")["p_serious"].reindex(judged.index)
    level = judged["level"].map(level_rank)
    top = truth >= truth.quantile(0.9)
    red = level == 4
    assert red.sum() >= 10, red.sum()
    assert top[red].mean() >= 0.3, top[red].mean()
    assert roc_auc_score(top, level) >= 0.7


def test_the_report_section_counts_the_warnings_in_both_languages(tmp_path):
    """The section reads monitor.json's summary: levels, statuses, responses, provinces; no body is named."""
    from minimal_data import write_minimal_data

    from certrisk.monitor_job import run_monitor
    from certrisk.monitor_output import monitor_writers
    from certrisk.report.document import _Doc, _render_markdown
    from certrisk.report.sections.warnings import _warnings_section, read_monitor_summary
    from certrisk.tables import write_outputs
    from features import load_data_dir

    write_minimal_data(tmp_path / "data", "csv")
    data = load_data_dir(tmp_path / "data", as_of=AS_OF)
    monitor = run_monitor(data, AS_OF, RULES)
    write_outputs(monitor_writers(tmp_path / "m", monitor, data.bodies, {"command": "monitor"}))
    summary = read_monitor_summary(tmp_path / "m")
    raised = monitor.warnings[monitor.warnings["status"].isin(RAISED)]
    assert summary["raised"] == len(raised) == sum(summary["by_level"].values())
    assert sum(sum(c.values()) for c in summary["by_province"].values()) == len(raised)
    for lang, heading, red in (("en", "Risk monitoring and early warning", "red"), ("zh", "风险监测预警", "红色")):
        doc = _Doc()
        _warnings_section(doc, summary, lang)
        text = _render_markdown(doc)
        assert heading in text and red in text
        assert not any(body in text for body in data.bodies["body_id"])  # counts only
    with pytest.raises(ValueError, match="`monitor` must be an output folder of certrisk monitor"):
        read_monitor_summary(tmp_path / "data")
