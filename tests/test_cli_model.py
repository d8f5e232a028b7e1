"""train and grade from the command line, tracked in a temporary MLflow store."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from certrisk.cli import main


@pytest.fixture(scope="module")
def medium_data_dir(tmp_path_factory, world_tenth):
    """A 10 % system: enough random inspections to train on, quickly (the models are tested in test_riskmodel.py)."""
    out = tmp_path_factory.mktemp("tenth")
    world_tenth.write(out)
    return out / "data"


@pytest.fixture(scope="module")
def trained(medium_data_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("work")
    uri = f"sqlite:///{work / 'mlflow.db'}"
    run_dir = work / "run"
    code = main(["train", str(medium_data_dir), "--as-of", "2026-10-01", "--out", str(run_dir), "--tracking-uri", uri])
    return code, uri, run_dir, work


def test_train_logs_a_run_folder_and_promotes_the_first_model(trained, capsys):
    code, uri, run_dir, _ = trained
    assert code == 0
    for name in ("calibration", "lift", "grade_distribution", "psi", "migration"):
        assert (run_dir / f"{name}.png").stat().st_size > 5_000
    comparison = pd.read_csv(run_dir / "comparison.csv", encoding="utf-8-sig").set_index("model")
    assert {"scorecard", "boosting", "equal_probability", "last_outcome", "points_rule"} <= set(comparison.index)
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["outputs"]["decision"]["promoted"] is True and record["outputs"]["model_choice"]["chosen"]
    assert record["config"]["nonrandom_rule"] == "exclude"
    # the champion is not beaten beyond the paired-bootstrap noise on the captured share by any candidate
    choice = record["outputs"]["model_choice"]
    assert {c["candidate"] for c in choice["candidates"]} == {"logistic", "scorecard", "boosting"}
    assert all(c["capture_gain_low"] <= 0 for c in choice["candidates"] if c["eligible"]), choice["rule"]
    assert (run_dir / "selection.csv").is_file() and choice["rule"].endswith(".")


def test_grade_loads_the_champion_and_writes_grades(trained, medium_data_dir, capsys):
    _, uri, run_dir, work = trained
    champion = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["outputs"]["decision"]
    version = champion["champion_version"]
    assert champion["versions"][champion["chosen"]] == version and len(champion["versions"]) == 3
    out = work / "grades.parquet"
    assert main(["grade", str(medium_data_dir), "--as-of", "2026-10-01", "--out", str(out), "--tracking-uri", uri]) == 0
    grades = pd.read_parquet(out)
    assert list(grades.columns) == [
        "body_id",
        "as_of",
        "p_serious",
        "score",
        "model_grade",
        "grade",
        "override",
        "reasons",
        "model_version",
    ]
    assert grades["model_version"].eq(f"certrisk-risk-model/{version}").all()
    assert grades["grade"].isin(list("ABCD")).all() and grades["p_serious"].between(0, 1).all()
    assert f"graded by certrisk-risk-model version {version} (@champion)" in capsys.readouterr().out


def test_grade_without_a_model_is_a_plain_error(medium_data_dir, tmp_path, capsys):
    uri = f"sqlite:///{tmp_path / 'empty.db'}"
    out = tmp_path / "g.csv"
    assert main(["grade", str(medium_data_dir), "--as-of", "2026-10-01", "--out", str(out), "--tracking-uri", uri]) == 1
    err = capsys.readouterr().err
    assert "run `certrisk train` first" in err and "Traceback" not in err
    assert not out.exists()


def test_train_refuses_an_existing_run_folder(trained, medium_data_dir, capsys):
    _, uri, run_dir, _ = trained
    assert (
        main(["train", str(medium_data_dir), "--as-of", "2026-10-01", "--out", str(run_dir), "--tracking-uri", uri])
        == 1
    )
    assert "already exists" in capsys.readouterr().err


def test_grade_net_of_inspectors_shifts_the_champion_by_the_inspector_correction(trained, medium_data_dir):
    """The net probability is the champion's with its log-odds shifted by inspector_shift (riskmodel.net_risk)."""
    import numpy as np
    from scipy.special import logit

    _, uri, _, work = trained
    plain, net = work / "plain.parquet", work / "net.parquet"
    base = ["grade", str(medium_data_dir), "--as-of", "2026-10-01", "--tracking-uri", uri]
    assert main([*base, "--out", str(plain)]) == 0
    assert main([*base, "--out", str(net), "--net-of-inspectors"]) == 0
    before, after = pd.read_parquet(plain), pd.read_parquet(net)
    assert "inspector_shift" in after and "inspector_shift" not in before
    expected = logit(before["p_serious"].clip(1e-6, 1 - 1e-6)) + after["inspector_shift"]
    assert np.allclose(logit(after["p_serious"].clip(1e-6, 1 - 1e-6)), expected, atol=1e-3)
    record = json.loads((work / "net.run.json").read_text(encoding="utf-8"))
    assert record["config"]["net_of_inspectors"]["no_effect_sd"] == 1e-3
