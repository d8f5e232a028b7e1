"""certrisk draw --stringency: the team-conditional probability in the internal list only, kept and verified."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

from certrisk.cli import main
from certrisk.draw.commitment import commitment_hash
from certrisk.stringency_job import read_effects
from features import DataContractError

SEED = "2026-10-02 lottery 05 17 22 30"
TOOL = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"


@pytest.fixture(scope="module")
def inputs(small_data_dir, tmp_path_factory):
    """Grades with p_serious, and an inspector table: +0.8 for the first half of the inspectors, -0.4 for the rest."""
    root = tmp_path_factory.mktemp("draw-stringency")
    bodies = pd.read_parquet(small_data_dir / "bodies.parquet")
    rng = np.random.default_rng(1)
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "as_of": "2026-10-01",
            "grade": rng.choice(list("ABCD"), size=len(bodies), p=[0.6, 0.25, 0.1, 0.05]),
            "p_serious": rng.uniform(0.05, 0.6, size=len(bodies)).round(4),
        }
    )
    grades.to_csv(root / "grades.csv", index=False)
    ids = sorted(pd.read_parquet(small_data_dir / "inspectors.parquet")["inspector_id"])
    effects = pd.Series(np.where(np.arange(len(ids)) < len(ids) // 2, 0.8, -0.4), index=ids)
    pd.DataFrame({"inspector_id": ids, "stringency": effects.to_numpy(), "n_inspections": 3}).to_csv(
        root / "strict.csv", index=False
    )
    return root, small_data_dir, grades, effects


def _args(root: Path, data: Path, *extra: str) -> list[str]:
    return [str(data), "--grades", str(root / "grades.csv"), "--budget", "8", "--out", str(root / "draws"), *extra]


@pytest.fixture(scope="module")
def drawn(inputs):
    root, data, _, _ = inputs
    assert main(["commit", *_args(root, data)]) == 0  # the inspector table is not part of the commitment
    (record,) = (root / "draws").glob("*.commitment.json")
    promised = commitment_hash(json.loads(record.read_text(encoding="utf-8")))
    assert main(["draw", *_args(root, data), "--seed", SEED, "--stringency", str(root / "strict.csv")]) == 0
    (folder,) = [p for p in (root / "draws").iterdir() if p.is_dir()]
    return folder, promised


def test_the_internal_list_holds_the_team_conditional_probability(inputs, drawn):
    _, _, grades, effects = inputs
    folder, _ = drawn
    internal = pd.read_csv(folder / "draw_list.csv", encoding="utf-8-sig", keep_default_na=False)
    p_body = internal["body id"].map(grades.set_index("body_id")["p_serious"]).to_numpy()
    team = [np.mean([effects[i] for i in ids.split(";")]) for ids in internal["inspectors"]]
    expected = expit(logit(p_body) + np.array(team))  # the grades' log-odds plus the team's mean stringency
    np.testing.assert_allclose(internal["P(serious) with this team"], expected, atol=5e-5)
    kept = pd.read_csv(folder / "stringency.csv", encoding="utf-8-sig")
    assert list(kept.columns) == ["inspector_id", "stringency"] and len(kept) == len(effects)
    assert "stringency.csv" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def test_the_public_list_never_shows_it(drawn):
    folder, _ = drawn
    text = (folder / "public_list.csv").read_text(encoding="utf-8-sig").lower()
    assert "probab" not in text and "serious" not in text and "grade" not in text and "score" not in text


def test_the_draw_with_its_kept_effects_verifies_and_a_changed_effect_does_not(drawn, inputs, tmp_path, capsys):
    folder, promised = drawn
    _, data, _, _ = inputs
    argv = ["verify", str(folder), "--data", str(data), "--commitment", promised, "--seed", SEED]
    assert main(argv) == 0
    tool = [sys.executable, "-I", str(TOOL), str(folder), "--commitment", promised, "--seed", SEED]
    assert subprocess.run(tool, capture_output=True, text=True, timeout=120).returncode == 0
    changed = tmp_path / folder.name
    changed.mkdir()
    for path in folder.iterdir():
        (changed / path.name).write_bytes(path.read_bytes())
    kept = pd.read_csv(changed / "stringency.csv", encoding="utf-8-sig")
    kept.loc[0, "stringency"] = 3.0
    kept.to_csv(changed / "stringency.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    argv[1] = str(changed)
    capsys.readouterr()
    assert main(argv) == 1
    assert "stringency.csv: changed since the draw" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("inspector_id,n\nI0001,3\n", "stringency +missing column"),
        ("inspector_id,stringency\nI0001,high\nI0001,0.2\n", "must be in \\[-10, 10\\]"),
    ],
)
def test_a_bad_inspector_table_is_refused_and_nothing_is_drawn(inputs, tmp_path, capsys, content, words):
    root, data, _, _ = inputs
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "draws"
    argv = [str(data), "--grades", str(root / "grades.csv"), "--budget", "8", "--out", str(out)]
    assert main(["draw", *argv, "--seed", SEED, "--uncommitted", "--stringency", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"stringency file {bad}" in err and "Traceback" not in err
    assert pd.Series([err]).str.contains(words).all()
    assert not out.exists() or not any(p.is_dir() for p in out.iterdir())


def test_grades_without_p_serious_cannot_give_the_team_probability(inputs, tmp_path, capsys):
    root, data, grades, _ = inputs
    grades.drop(columns="p_serious").to_csv(tmp_path / "grades.csv", index=False)
    argv = [str(data), "--grades", str(tmp_path / "grades.csv"), "--budget", "8", "--out", str(tmp_path / "d")]
    assert main(["draw", *argv, "--seed", SEED, "--uncommitted", "--stringency", str(root / "strict.csv")]) == 1
    assert "`--stringency` needs the body's p_serious in the grades file" in capsys.readouterr().err


def test_read_effects_names_every_problem(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("inspector_id,stringency\nI1,0.5\nI1,0.2\n,0.1\nI4,12\n", encoding="utf-8")
    with pytest.raises(DataContractError, match="4 problems") as caught:
        read_effects(table)
    rules = set(caught.value.problems["rule"])
    assert rules == {"must be unique (value appears more than once)", "must not be empty", "must be in [-10, 10]"}
    with pytest.raises(DataContractError, match="file does not exist"):
        read_effects(tmp_path / "missing.csv")
    table.write_text("inspector_id,stringency\n", encoding="utf-8")
    with pytest.raises(DataContractError, match="table has no rows"):
        read_effects(table)
    table.write_text("inspector_id,stringency,unit\nI2,-0.25,x\nI1,0.5,y\n", encoding="utf-8")
    assert read_effects(table).to_dict("list") == {"inspector_id": ["I1", "I2"], "stringency": [0.5, -0.25]}
