"""certrisk stringency and certrisk score from the command line, on the tiny synthetic system."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import riskmodel.tracking
from certrisk.cli import main
from certrisk.score_job import SCORE_COLUMNS, read_planned
from features import DataContractError, load_data_dir
from riskmodel.stringency import TABLE_COLUMNS
from riskmodel.training import build_training_set

AS_OF = "2026-10-01"


@pytest.fixture(scope="module")
def champion(small_data_dir):
    """A logistic regression fitted on the tiny system, standing in for the registry's champion (grade tests loading)."""
    training = build_training_set(load_data_dir(small_data_dir), AS_OF)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=1000))
    return model.fit(training.X, training.y, logisticregression__sample_weight=training.w)


@pytest.fixture
def registry(monkeypatch, champion):
    """``load_model`` and ``model_version_info`` answer with the champion, as the MLflow registry would."""
    info = type("Info", (), {"model_name": "certrisk-risk-model", "version": "7", "run_id": "r1"})()
    monkeypatch.setattr(riskmodel.tracking, "load_model", lambda alias, tracking_uri=None: champion)
    monkeypatch.setattr(riskmodel.tracking, "model_version_info", lambda alias, tracking_uri=None: info)


@pytest.fixture(scope="module")
def inspections(small_data_dir):
    return pd.read_parquet(small_data_dir / "inspections.parquet")


def test_stringency_writes_the_inspector_table_as_csv_and_xlsx(small_data_dir, tmp_path, capsys):
    out = tmp_path / "stringency"
    assert main(["stringency", str(small_data_dir), "--as-of", AS_OF, "--out", str(out), "--lang", "zh"]) == 0
    table = pd.read_csv(out / "inspector_stringency.csv", encoding="utf-8-sig", dtype={"province": str})
    assert list(table.columns) == ["inspector_id", "as_of", *TABLE_COLUMNS[1:]]
    book = pd.read_excel(out / "inspector_stringency.xlsx", dtype={"province": str})  # the first sheet: the table
    assert str(book["as_of"].dtype).startswith("datetime64")  # a typed date in the XLSX, ISO text in the CSV
    pd.testing.assert_frame_equal(book, table.assign(as_of=pd.to_datetime(table["as_of"])), check_dtype=False)
    inspectors = pd.read_parquet(small_data_dir / "inspectors.parquet")
    assert set(table["inspector_id"]) == set(inspectors["inspector_id"])  # every inspector, inspected or not
    assert (table["ci_low"] <= table["stringency"]).all() and (table["stringency"] <= table["ci_high"]).all()
    assert table["assessment"].isin(["发现问题多于预期", "发现问题少于预期", "与预期一致", "尚无检查记录"]).all()
    record = json.loads((out / "inspector_stringency.run.json").read_text(encoding="utf-8"))
    assert record["command"] == "stringency" and record["config"]["kinds"] == "random"
    assert 0 < record["config"]["sigma"] <= 3
    said = capsys.readouterr().out
    assert "发现多于预期：" in said and "inspector_stringency.xlsx" in said  # the messages in the language asked


def test_stringency_before_any_inspection_is_refused_in_words(small_data_dir, tmp_path, capsys):
    out = tmp_path / "early"
    assert main(["stringency", str(small_data_dir), "--as-of", "2000-01-01", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "inspector stringency cannot be estimated as of 2000-01-01" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_score_adds_the_body_only_and_the_team_conditional_probability(
    registry, small_data_dir, inspections, tmp_path, capsys
):
    planned = inspections[inspections["kind"] == "random"].tail(4)[["body_id", "inspector_ids"]]
    planned = pd.concat([planned, pd.DataFrame({"body_id": [planned["body_id"].iloc[0]], "inspector_ids": ["X1;X2"]})])
    planned.insert(1, "inspected_on", "2026-11-15")
    plan, out = tmp_path / "plan.csv", tmp_path / "scored.csv"
    planned.to_csv(plan, index=False)
    argv = ["score", str(small_data_dir), "--as-of", AS_OF, "--inspections", str(plan), "--out", str(out)]
    assert main(argv) == 0
    scored = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(scored.columns) == SCORE_COLUMNS and len(scored) == 5
    p_body, effect = scored["p_serious_body"].to_numpy(float), scored["team_effect"].to_numpy(float)
    np.testing.assert_allclose(scored["p_serious_team"], expit(logit(p_body) + effect), rtol=1e-9, atol=1e-12)
    strangers = scored.iloc[-1]  # inspectors the fit has never seen count as average ones
    assert strangers["team_effect"] == 0 and strangers["p_serious_team"] == strangers["p_serious_body"]
    assert strangers["unknown_inspectors"] == "X1;X2" and (scored["unknown_inspectors"].iloc[:4] == "").all()
    assert scored["model_version"].eq("certrisk-risk-model/7").all()
    record = json.loads((tmp_path / "scored.run.json").read_text(encoding="utf-8"))
    assert record["config"]["model"] == "certrisk-risk-model/7" and "sigma" in record["config"]["stringency"]
    assert "5 planned inspections scored by certrisk-risk-model version 7" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("body_id,inspected_on,inspector_ids\nNOPE,2026-11-15,I0001\n", "must exist in bodies.body_id"),
        ("body_id,inspected_on,inspector_ids\n{body},15/11/2026,I0001\n", "must be a date YYYY-MM-DD"),
        ("body_id,inspected_on\n{body},2026-11-15\n", "inspector_ids +missing column"),
        ("body_id,inspected_on,inspector_ids\n", "table has no rows"),
    ],
)
def test_score_refuses_a_bad_planned_file_in_words(
    registry, small_data_dir, inspections, tmp_path, capsys, content, words
):
    plan, out = tmp_path / "plan.csv", tmp_path / "scored.csv"
    plan.write_text(content.format(body=inspections["body_id"].iloc[0]), encoding="utf-8")
    argv = ["score", str(small_data_dir), "--as-of", AS_OF, "--inspections", str(plan), "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"planned inspections file {plan}" in err and "Traceback" not in err
    assert pd.Series([err]).str.contains(words).all()
    assert not out.exists()


def test_read_planned_names_every_problem_with_its_row_and_value(tmp_path):
    bodies = pd.DataFrame({"body_id": ["CB1", "CB2"]})
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "body_id,inspected_on,inspector_ids\nCB1,2026-11-15,I1;I2\nCB3,2026-02-30,I1\n,2026-11-15,I1 I2\n",
        encoding="utf-8",
    )
    with pytest.raises(DataContractError, match="4 problems") as caught:
        read_planned(plan, bodies)
    problems = caught.value.problems.set_index(["column", "rule"])
    assert problems.loc[("body_id", "must exist in bodies.body_id"), "value"] == "CB3"
    assert problems.loc[("inspected_on", "must be a date YYYY-MM-DD"), "row"] == 2
    assert problems.loc[("inspector_ids", "must be ;-separated ids without spaces"), "value"] == "I1 I2"
    assert "须存在于 bodies.body_id" in caught.value.report("zh")
    plan.write_text("body_id,inspected_on,inspector_ids\nCB2,2026-11-15,\n", encoding="utf-8")
    good = read_planned(plan, bodies)
    assert good["inspected_on"].iloc[0] == pd.Timestamp("2026-11-15") and good["inspector_ids"].iloc[0] == ""


def test_read_planned_takes_a_moment_with_its_zone_as_the_day_in_china(tmp_path):
    """A Parquet `inspected_on` stored with a zone is the day it is in Asia/Shanghai (as the data contract reads
    datetimes): midnight in Beijing is 16:00 UTC the day before. A time of day other than midnight there (20:00 UTC is
    04:00 in Beijing) is not a date and is refused."""
    bodies = pd.DataFrame({"body_id": ["CB1", "CB2"]})
    plan = tmp_path / "plan.parquet"
    on = pd.to_datetime(["2026-10-15 00:00", "2026-10-16 00:00"]).tz_localize("Asia/Shanghai").tz_convert("UTC")
    pd.DataFrame({"body_id": ["CB1", "CB2"], "inspected_on": on, "inspector_ids": ["I1", "I2"]}).to_parquet(plan)
    good = read_planned(plan, bodies)
    assert good["inspected_on"].tolist() == [pd.Timestamp("2026-10-15"), pd.Timestamp("2026-10-16")]
    assert good["inspected_on"].dt.tz is None
    pd.DataFrame(
        {
            "body_id": ["CB1"],
            "inspected_on": pd.to_datetime(["2026-10-14 20:00"]).tz_localize("UTC"),
            "inspector_ids": ["I1"],
        }
    ).to_parquet(plan)
    with pytest.raises(DataContractError, match="must be a date YYYY-MM-DD"):
        read_planned(plan, bodies)
