"""certrisk publish: the public results of a draw's inspections (检查结果公示).

The draw of tests/publishing.py draws every body of the minimal frame, so each
answer below is worked by hand: the working days counted on a calendar, the
words of each outcome, the pending bodies. The public results reveal nothing
internal, tested as the public draw list is (tests/test_draw.py): planted
grades, scores and probabilities never come out, and the words never appear.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from publishing import DRAW_AS_OF, DRAW_ID, DRAWN, data_with, make_draw, result

from certrisk.cli import main
from certrisk.draw.config import DrawError
from certrisk.errors import UsageError
from certrisk.publish_job import (
    PUBLIC_COLUMNS,
    check_against_data,
    labelled,
    only_public,
    public_results,
    read_drawn,
    read_holidays,
    working_days,
)
from certrisk.publish_output import output_paths
from certrisk.xlsx import read_workbook
from features import load_data_dir
from features.cells import restore

LINK = '=HYPERLINK("http://example.com","x")'
ON = "2026-11-09"  # a Monday


@pytest.fixture(scope="module")
def draw(tmp_path_factory) -> Path:
    """The committed draw P1 (every in-frame minimal body); CB012 is named like a formula."""
    return make_draw(tmp_path_factory.mktemp("publish"), names={"CB012": LINK})


def _results(folder: Path, data: Path, on: str = ON, lang: str = "en", holidays=(), load_as_of: str = ON):
    drawn = read_drawn(folder)
    tables = load_data_dir(data, as_of=load_as_of).tables
    check_against_data(drawn, tables)
    return public_results(drawn, tables, pd.Timestamp(on), lang, holidays).table.set_index("body_id")


# ------------------------------------------------------------------ the deadline


def test_a_result_published_more_than_20_working_days_after_the_inspection_is_late(draw, tmp_path):
    rows = [result("CB001", "2026-10-09", number=1), result("CB002", "2026-10-12", number=2)]
    rows.append(result("CB003", "2026-10-16", number=3))
    table = _results(draw, data_with(tmp_path / "data", rows))
    # Counted on the calendar, the day after the inspection to the publication day (Mon 2026-11-09) included:
    # after Fri 10-09: Oct 12-16, 19-23, 26-30, Nov 2-6 (4 x 5 = 20) and Nov 9 = 21 > 20: late;
    # after Mon 10-12: Oct 13-16 (4) + 19-23, 26-30, Nov 2-6 (15) + Nov 9 = 20: on time (the 20th day is in time);
    # after Fri 10-16: 15 + 1 = 16.
    assert table.loc[["CB001", "CB002", "CB003"], "working_days"].tolist() == [21, 20, 16]
    assert table.loc["CB001", "publication"] == "late (more than 20 working days)"
    assert table.loc[["CB002", "CB003"], "publication"].eq("on time (within 20 working days)").all()
    holiday = _results(draw, tmp_path / "data", holidays=[pd.Timestamp("2026-10-13").date()])
    assert holiday.loc[["CB001", "CB002", "CB003"], "working_days"].tolist() == [20, 19, 16]  # Tue 10-13 off
    assert holiday.loc["CB001", "publication"].startswith("on time")


def test_working_days_skip_weekends_and_holidays():
    starts = pd.Series(pd.to_datetime(["2026-10-09", "2026-10-10", "2026-11-09"]))
    # Fri -> Mon 10-12: 1; Sat 10-10 -> Mon 10-12: 1 (Sunday is no working day); the publication day itself: 0
    assert working_days(starts, pd.Timestamp("2026-10-12")).tolist() == [1, 1, 0]
    assert working_days(starts[:1], pd.Timestamp("2026-10-12"), [pd.Timestamp("2026-10-12").date()]).tolist() == [0]


def test_the_holidays_file(tmp_path):
    good = tmp_path / "holidays.csv"
    good.write_text("date\n2026-10-01\n\n# national day\n2026-10-02,\n", encoding="utf-8")
    assert [d.isoformat() for d in read_holidays(good)] == ["2026-10-01", "2026-10-02"]
    bad = tmp_path / "bad.csv"
    bad.write_text("日期\n2026-10-01\n2026/10/02\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 3 must be a date YYYY-MM-DD; got '2026/10/02'"):
        read_holidays(bad)
    bad.write_text("20261001\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 1 must be a date YYYY-MM-DD; got '20261001'"):
        read_holidays(bad)
    bad.write_bytes("2026-10-01 国庆\n".encode("gbk"))
    with pytest.raises(UsageError, match=r"is not UTF-8 text \(byte 11\)"):
        read_holidays(bad)
    with pytest.raises(UsageError, match=r"`--holidays` '.*nowhere.csv' is not a file"):
        read_holidays(tmp_path / "nowhere.csv")


# ------------------------------------------------------------------ the rows


def test_a_drawn_body_without_a_result_is_listed_as_pending(draw, tmp_path):
    rows = [result("CB001", "2026-10-09", number=1), result("CB005", "2026-11-20", number=2)]  # after --on
    table = _results(draw, data_with(tmp_path / "data", rows), load_as_of="2026-12-01")
    assert table.index.tolist() == DRAWN  # every drawn body, in the order of the public list, none dropped
    pending = table.drop(index="CB001")
    assert pending["result"].eq("pending: no result recorded").all() and pending["publication"].eq("pending").all()
    assert pending["inspected_on"].eq("").all() and pending["working_days"].isna().all()
    assert table.loc["CB001", "result"] == "no problem found"


def test_the_result_of_each_outcome_in_words(draw, tmp_path):
    outcomes = {"CB001": "none", "CB002": "general", "CB003": "major", "CB005": "severe"}
    rows = [result(b, "2026-10-20", o, number=i) for i, (b, o) in enumerate(outcomes.items())]
    data = data_with(tmp_path / "data", rows)
    english = _results(draw, data)["result"]
    chinese = _results(draw, data, lang="zh")["result"]
    words = ["no problem found", "general problems", "fairly serious problems", "serious problems"]
    assert english.loc[list(outcomes)].tolist() == words
    assert chinese.loc[list(outcomes)].tolist() == ["未发现问题", "一般问题", "较严重问题", "严重问题"]
    assert chinese.loc["CB007"] == "待录入：尚无检查结果"
    assert set(_results(draw, data, lang="zh")["method"]) == {"随机抽查"}


def test_two_inspections_of_one_body_are_two_rows(draw, tmp_path):
    rows = [result("CB001", "2026-10-09", number=1), result("CB001", "2026-10-30", "general", number=2)]
    table = _results(draw, data_with(tmp_path / "data", rows))
    assert table.loc["CB001", "inspected_on"].tolist() == ["2026-10-09", "2026-10-30"]
    assert len(table) == len(DRAWN) + 1


def test_authority_entered_by_and_decision(draw, tmp_path):
    rows = [
        result("CB001", "2026-10-09", number=1, inspector_ids="IN002;IN001;IN008", entered_by="", decision=" "),
        result("CB002", "2026-10-09", number=2, inspector_ids="X9;X10"),  # not in the directory
        result("CB006", "2026-10-09", number=3, inspector_ids=""),
    ]
    table = _results(draw, data_with(tmp_path / "data", rows))
    # the directory's units of IN002, IN001 and IN008, distinct, in team order (IN008 is in IN002's unit)
    assert table.loc["CB001", "authority"] == "北京市市场监督管理局;国家市场监督管理总局认证监督管理司"
    assert table.loc["CB001", ["entered_by", "decision"]].tolist() == ["not recorded", "not recorded"]
    # no inspector known and no team drawn (the draw had no directory): the regulator of the body's batch
    assert table.loc["CB002", "authority"] == "provincial market regulator (Beijing, 11)"
    assert table.loc["CB006", "authority"] == "State Administration for Market Regulation (SAMR)"  # CCC: national
    assert table.loc["CB002", ["entered_by", "decision"]].tolist() == ["北京市市场监督管理局", "无需处理"]
    drawn = read_drawn(draw)
    teams = dataclasses.replace(drawn, bodies=drawn.bodies.assign(units="浙江省市场监督管理局"))
    tables = load_data_dir(tmp_path / "data", as_of=ON).tables
    with_team = public_results(teams, tables, pd.Timestamp(ON)).table.set_index("body_id")
    assert with_team.loc[["CB002", "CB006", "CB007"], "authority"].eq("浙江省市场监督管理局").all()  # the team drawn


def test_the_optional_columns_may_be_left_out(draw, tmp_path):
    data = data_with(tmp_path / "data", [result("CB003", "2026-10-09")])
    ins = pd.read_csv(data / "inspections.csv", dtype=str, keep_default_na=False)
    ins.drop(columns=["entered_by", "decision"]).to_csv(data / "inspections.csv", index=False)
    table = _results(draw, data, lang="zh")
    assert table.loc["CB003", ["entered_by", "decision"]].tolist() == ["未录入", "未录入"]


# ------------------------------------------------------------------ nothing internal, safe cells


def test_planted_grades_scores_and_probabilities_never_come_out(draw, tmp_path):
    data = data_with(tmp_path / "data", [result("CB001", "2026-10-09"), result("CB002", "2026-10-12", number=2)])
    tables = dict(load_data_dir(data, as_of=ON).tables)
    planted = {"grade": "D", "model_grade": "C", "score": 987.654, "p_serious": 0.123456, "pi": 0.654321}
    planted |= {"risk_reasons": "complaints surge planted", "p_serious_team": 0.111222}
    tables["inspections"] = tables["inspections"].assign(**planted)
    tables["inspections"].loc[tables["inspections"]["kind"] == "random", "inclusion_prob"] = 0.777777
    tables["bodies"] = tables["bodies"].assign(**planted)
    drawn = read_drawn(draw)
    drawn = dataclasses.replace(drawn, bodies=drawn.bodies.assign(**planted))
    out = public_results(drawn, tables, pd.Timestamp(ON)).table
    assert tuple(out.columns) == PUBLIC_COLUMNS
    for lang in ("en", "zh"):
        text = labelled(out, lang).to_csv(index=False).lower()
        for value in ("987.654", "0.123456", "0.654321", "0.777777", "0.111222", "planted"):
            assert value not in text
        assert "grade" not in text and "probab" not in text and "score" not in text
        assert "等级" not in text and "概率" not in text and "评分" not in text
    assert set(out.columns).isdisjoint(planted)
    with pytest.raises(ValueError, match=r"lack the column\(s\) commitment"):
        only_public(out.drop(columns="commitment"))


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_files_are_safe_in_a_spreadsheet_and_reveal_nothing(draw, tmp_path, capsys):
    cells = {"entered_by": "=cmd|' /C calc'!A0", "decision": "+SUM(A1)"}
    rows = [result("CB012", "2026-10-09", **cells), result("CB001", "2026-10-12", number=2, decision="@risk")]
    data = data_with(tmp_path / "data", rows)
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-10-13\n", encoding="utf-8")
    argv = ["publish", str(draw), "--data", str(data), "--on", ON, "--out", str(tmp_path / "out" / "results.xlsx")]
    code, out, err = _run([*argv, "--holidays", str(holidays)], capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"draw {DRAW_ID}: 10 drawn bodies, 2 result(s) published on {ON} (0 late")
    assert "8 pending" in out
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["results.csv", "results.run.json", "results.xlsx"]
    raw = (tmp_path / "out" / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head, body = table[0], {r[1]: r for r in table[1:]}
    assert head == [
        "draw id",
        "body id",
        "body",
        "inspection date",
        "inspecting authority",
        "inspection method",
        "result",
        "handling decision",
        "date published",
        "entered by",
        "working days after the inspection",
        "publication",
        "commitment",
    ]
    col = {name: head.index(name) for name in head}
    cb012 = body["CB012"]
    assert cb012[col["body"]] == "'" + LINK and restore(cb012[col["body"]]) == LINK
    assert cb012[col["entered by"]] == "'=cmd|' /C calc'!A0" and cb012[col["handling decision"]] == "'+SUM(A1)"
    assert body["CB001"][col["handling decision"]] == "'@risk"
    lower = raw.decode("utf-8-sig").lower()
    assert "grade" not in lower and "probab" not in lower and "score" not in lower
    book = read_workbook(tmp_path / "out" / "results.xlsx")
    assert list(book.sheets) == ["public_results", "about"] and book.formulas == [] and book.unsafe == []
    assert book.sheets["public_results"] == table  # the same cells as the CSV file, neutralised alike
    record = json.loads((tmp_path / "out" / "results.run.json").read_text(encoding="utf-8"))
    assert record["config"]["holidays"] == ["2026-10-13"] and record["config"]["draw_id"] == DRAW_ID


def test_a_chinese_draw_is_read_by_its_own_headers(tmp_path):
    folder = make_draw(tmp_path, lang="zh")
    rows = [result("CB006", "2026-10-09", inspector_ids="X1")]
    table = _results(folder, data_with(tmp_path / "data", rows), lang=read_drawn(folder).lang)
    assert read_drawn(folder).lang == "zh"
    assert table.loc["CB006", "authority"] == "国家市场监督管理总局"  # the national batch, read from 国家市场监管总局
    assert table.loc["CB001", "authority"] == "国家市场监督管理总局"
    assert table.loc["CB002", "authority"] == "省级市场监督管理部门（北京）"


# ------------------------------------------------------------------ refused


def _copy(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / "copy" / folder.name))


def _rewrite_public_list(folder: Path, change) -> None:
    """Change the public list and record its new SHA-256 in the manifest (a consistent forgery)."""
    import hashlib

    path = folder / "public_list.csv"
    listed = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    data = change(listed).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["public_list.csv"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_draw_folder_that_cannot_be_trusted_is_refused(draw, tmp_path):
    with pytest.raises(DrawError, match=r"the draw folder .*nowhere does not exist"):
        read_drawn(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DrawError, match=r"is not a draw folder: manifest.json is missing"):
        read_drawn(tmp_path / "empty")
    copy = _copy(draw, tmp_path)
    with (copy / "public_list.csv").open("a", encoding="utf-8") as handle:
        handle.write("P1,2026-10-01,CB008,山东齐鲁质量认证有限公司,provincial,x,,y\n")
    with pytest.raises(DrawError, match=r"public_list.csv was changed since the draw"):
        read_drawn(copy)
    (copy / "public_list.csv").unlink()
    with pytest.raises(DrawError, match=r"public_list.csv is missing"):
        read_drawn(copy)


def test_a_forged_public_list_or_commitment_is_refused(draw, tmp_path):
    copy = _copy(draw, tmp_path)
    _rewrite_public_list(copy, lambda t: t.drop(columns="commitment"))
    with pytest.raises(DrawError, match=r"does not have the columns of a public list"):
        read_drawn(copy)
    _rewrite_public_list(copy, lambda t: t)  # back to a list of the right columns ...
    shutil.copy(draw / "public_list.csv", copy / "public_list.csv")
    _rewrite_public_list(copy, lambda t: t.assign(commitment="ab" * 32))  # ... naming another commitment
    with pytest.raises(DrawError, match=r"names another commitment than the draw's"):
        read_drawn(copy)
    manifest = json.loads((draw / "manifest.json").read_text(encoding="utf-8"))
    manifest["commitment"]["record"]["config"]["budget"] = 9
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DrawError, match=r"does not hash to the commitment it names"):
        read_drawn(copy)
    manifest["outputs"] = []
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DrawError, match=r"is damaged: it lacks the commitment, configuration or outputs"):
        read_drawn(copy)


def test_an_uncommitted_draw_is_not_published(tmp_path):
    folder = make_draw(tmp_path, uncommitted=True)
    with pytest.raises(DrawError, match=rf"draw {DRAW_ID} is uncommitted \(an exercise\)"):
        read_drawn(folder)


def test_data_that_are_not_the_draw_s_are_refused(draw, tmp_path):
    drawn = read_drawn(draw)
    data = data_with(tmp_path / "data", [])
    tables = dict(load_data_dir(data, as_of=ON).tables)
    check_against_data(drawn, tables)  # the draw's own registry passes
    later = tables["bodies"].iloc[:1].assign(body_id="CB013", approved_on=pd.Timestamp("2026-10-20"))
    check_against_data(drawn, {**tables, "bodies": pd.concat([tables["bodies"], later])})  # approved after the draw
    earlier = later.assign(approved_on=pd.Timestamp("2020-01-01"))
    with pytest.raises(DrawError, match=rf"do not verify against the commitment of draw {DRAW_ID}: the 13 bodies"):
        check_against_data(drawn, {**tables, "bodies": pd.concat([tables["bodies"], earlier])})
    fewer = tables["bodies"][tables["bodies"]["body_id"] != "CB012"]
    with pytest.raises(DrawError, match=r"drew bodies the data's bodies table does not hold \(CB012\)"):
        check_against_data(drawn, {**tables, "bodies": fewer})


def test_inspections_that_contradict_the_draw_are_refused(draw, tmp_path):
    drawn = read_drawn(draw)
    stray = data_with(tmp_path / "stray", [result("CB004", "2026-10-09", number=7)])  # CB004 is out of the frame
    with pytest.raises(DrawError, match=rf"names draw {DRAW_ID} for bodies it did not draw: R007 \(CB004\)"):
        check_against_data(drawn, load_data_dir(stray, as_of=ON).tables)
    early = data_with(tmp_path / "early", [result("CB001", "2026-09-15", number=8)])
    with pytest.raises(DrawError, match=rf"for inspections before its as-of date {DRAW_AS_OF}: R008"):
        check_against_data(drawn, load_data_dir(early, as_of=ON).tables)
    tables = load_data_dir(early, as_of=ON).tables
    with pytest.raises(UsageError, match=rf"`--on` must not be before the draw's as-of date {DRAW_AS_OF}"):
        public_results(drawn, tables, pd.Timestamp("2026-09-30"))


def test_the_output_names_a_list_file():
    assert output_paths("out/results.xlsx") == (Path("out/results.csv"), Path("out/results.xlsx"))
    with pytest.raises(UsageError, match=r"`--out` must end in .csv or .xlsx \(both are written\); got 'r.txt'"):
        output_paths("r.txt")


# ------------------------------------------------------------------ the console script and the simulator


def test_the_console_script_publishes(draw, tmp_path):
    data = data_with(tmp_path / "data", [result("CB001", "2026-10-09")])
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    argv = ["publish", str(draw), "--data", str(data), "--on", ON, "--out", "results.csv", "--lang", "zh"]
    done = subprocess.run([*command, *argv], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "于 2026-11-09 公示 1 条结果（1 条逾期" in done.stdout and "Traceback" not in done.stderr  # --lang zh
    listed = pd.read_csv(tmp_path / "results.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert listed.loc[listed["机构编号"] == "CB001", "公示时限"].tolist() == ["逾期（超过20个工作日）"]


def test_the_simulator_records_who_entered_each_result_and_the_decision(world_small):
    ins = world_small.tables()["inspections"]
    units = world_small.tables()["inspectors"].set_index("inspector_id")["unit"]
    teamed = ins["inspector_ids"].notna() & (ins["inspector_ids"] != "")
    first = ins.loc[teamed, "inspector_ids"].str.split(";").str[0]
    assert (ins.loc[teamed, "entered_by"] == first.map(units)).all()
    decisions = {"none": "无需处理", "general": "责令整改", "major": "责令限期整改", "severe": "立案调查"}
    assert (ins["decision"] == ins["outcome"].map(decisions)).all()
