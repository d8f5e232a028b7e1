"""The draw from the command line: the folder, its lists, and verification that
detects any change to an output or an input (the protocol's holes are in
tests/test_draw_protocol.py)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from verifying import reuse_reruns

from certrisk.cli import main
from certrisk.draw import DrawConfig, run_draw, verify_draw
from certrisk.draw.commitment import commitment_hash
from features import load_data_dir

SEED = "2026-11-24 lottery: 07 19 23 31 42"
BUDGET = "30"


@pytest.fixture(scope="module")
def setup(tmp_path_factory, world_tenth):
    root = tmp_path_factory.mktemp("draw")
    world_tenth.write(root / "sim")
    data = root / "sim" / "data"
    for name in ("inspectors.parquet", "conflicts.parquet"):  # teams are tested with inspectors in test_draw_teams.py
        (data / name).unlink()
    bodies = world_tenth.tables()["bodies"]
    rng = np.random.default_rng(0)
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "as_of": "2026-10-01",
            "grade": rng.choice(list("ABCD"), size=len(bodies), p=[0.6, 0.25, 0.1, 0.05]),
            "reasons": "complaints in 12 months: 3 (peers 1)",
        }
    )
    grades.to_csv(root / "grades.csv", index=False)
    return root, data


def _inputs(root, data, out="draws", budget=BUDGET):
    return [str(data), "--grades", str(root / "grades.csv"), "--budget", budget, "--out", str(root / out)]


def _commit(root, data, capsys, out="draws") -> str:
    assert main(["commit", *_inputs(root, data, out)]) == 0
    printed = capsys.readouterr().out
    return printed.split("BEFORE the public seed is known:\n")[1].split()[0]


@pytest.fixture(scope="module")
def drawn(setup):
    root, data = setup
    assert main(["commit", *_inputs(root, data)]) == 0  # module fixtures have no capsys: read the record instead
    (record_file,) = (root / "draws").glob("*.commitment.json")
    promised = commitment_hash(json.loads(record_file.read_text(encoding="utf-8")))
    assert main(["draw", *_inputs(root, data), "--seed", SEED]) == 0
    (folder,) = [p for p in (root / "draws").iterdir() if p.is_dir()]
    return root, data, folder, promised


def _verify(folder, data, promised, seed=SEED) -> int:
    return main(["verify", str(folder), "--data", str(data), "--commitment", promised, "--seed", seed])


def test_draw_folder_holds_every_output(drawn):
    _, _, folder, _ = drawn
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "certificates.csv",
        "conflicts.csv",
        "draw_list.csv",
        "draw_list.xlsx",
        "frame.csv",
        "grades.csv",
        "inspectors.csv",
        "manifest.json",
        "public_list.csv",
        "public_list.xlsx",
        "stage2_frame.csv",
        "teams.csv",
    ]
    frame = pd.read_csv(folder / "frame.csv", encoding="utf-8-sig")
    live = frame[frame["in_frame"]]
    assert live["pi"].sum() == pytest.approx(30, abs=1e-9)
    assert frame["selected"].sum() == 30
    assert (live["pi"] >= 0.02 - 1e-12).all()
    assert frame.loc[frame["ccc_designated"] & frame["in_frame"], "selected"].all()
    assert (frame.loc[frame["status"].isin(["suspended", "revoked"]), "pi"] == 0).all()
    assert frame["reason"].str.len().gt(0).all()


def test_public_list_reveals_no_grade_score_or_probability(drawn):
    _, _, folder, promised = drawn
    public = pd.read_csv(folder / "public_list.csv", encoding="utf-8-sig")
    assert list(public.columns) == [
        "draw id",
        "as-of date",
        "body id",
        "body",
        "batch",
        "inspection method",
        "inspectors' units",
        "commitment",
    ]
    assert (public["commitment"] == promised).all()
    text = (folder / "public_list.csv").read_text(encoding="utf-8-sig").lower()
    assert "grade" not in text and "probab" not in text and "score" not in text


def test_stage2_certificates_have_conditional_and_overall_probabilities(drawn):
    _, _, folder, _ = drawn
    certs = pd.read_csv(folder / "certificates.csv", encoding="utf-8-sig")
    frame = pd.read_csv(folder / "frame.csv", encoding="utf-8-sig").set_index("body_id")
    population = pd.read_csv(folder / "stage2_frame.csv", encoding="utf-8-sig")
    assert set(certs["body_id"]) <= set(frame.index[frame["selected"]])
    assert set(certs["cert_id"]) <= set(population["cert_id"])
    per_body = certs.groupby("body_id").agg(
        m=("cert_id", "size"), held=("certs_held", "first"), pc=("pi_conditional", "first"), po=("pi_overall", "first")
    )
    np.testing.assert_array_equal(per_body["held"], population.groupby("body_id").size().loc[per_body.index])
    np.testing.assert_allclose(per_body["pc"], per_body["m"] / per_body["held"])
    np.testing.assert_allclose(per_body["po"], frame.loc[per_body.index, "pi"] * per_body["pc"])


def test_untouched_draw_verifies(drawn, capsys):
    _, data, folder, promised = drawn
    assert _verify(folder, data, promised) == 0
    assert "verified" in capsys.readouterr().out


FOLDER_FILES = [
    "draw_list.csv",
    "public_list.csv",
    "frame.csv",
    "certificates.csv",
    "grades.csv",
    "stage2_frame.csv",
    "teams.csv",
]


def test_any_change_to_a_published_file_is_detected(drawn, tmp_path, monkeypatch):
    _, data, folder, promised = drawn
    tables = load_data_dir(data).tables
    reuse_reruns(monkeypatch)
    for name in FOLDER_FILES:  # one changed file per copy of the folder
        copy = tmp_path / name / folder.name
        shutil.copytree(folder, copy)
        text = (copy / name).read_text(encoding="utf-8-sig")
        (copy / name).write_text(text.replace("CB0", "CB9", 1), encoding="utf-8-sig")
        problems = verify_draw(copy, tables, commitment_sha256=promised, public_seed=SEED)
        assert f"{name}: changed since the draw (SHA-256 differs from the manifest)" in problems, name


def test_a_changed_input_is_detected(drawn, tmp_path, capsys):
    _, data, folder, promised = drawn
    changed = tmp_path / "data"
    shutil.copytree(data, changed)
    bodies = pd.read_parquet(changed / "bodies.parquet")
    bodies.loc[bodies["ccc_designated"].idxmin(), "ccc_designated"] = True
    bodies.to_parquet(changed / "bodies.parquet", index=False)
    assert _verify(folder, changed, promised) == 1
    err = capsys.readouterr().err
    assert "against the commitment: inputs.bodies" in err and "against the commitment: frame.sha256" in err


def test_same_inputs_in_any_row_order_give_identical_outputs(setup, drawn):
    root, data, folder, _ = drawn
    tables = dict(load_data_dir(data).tables)
    grades = pd.read_csv(root / "grades.csv", dtype=str, keep_default_na=False)
    config = DrawConfig(as_of=pd.Timestamp("2026-10-01"), budget=30, public_seed=SEED)
    first = run_draw(tables, grades, config)
    shuffled = {k: v.sample(frac=1.0, random_state=3).reset_index(drop=True) for k, v in tables.items()}
    second = run_draw(shuffled, grades.sample(frac=1.0, random_state=4), config)
    assert first.frame_sha256 == second.frame_sha256
    for name, table in first.tables.items():
        pd.testing.assert_frame_equal(table.reset_index(drop=True), second.tables[name].reset_index(drop=True))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["frame_sha256"] == first.frame_sha256
    other = run_draw(tables, grades, DrawConfig(as_of=config.as_of, budget=30, public_seed="another seed"))
    assert not other.tables["draw_list.csv"]["body id"].equals(first.tables["draw_list.csv"]["body id"])


def test_a_draw_is_never_overwritten(drawn, capsys):
    root, data, folder, _ = drawn
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["draw", *_inputs(root, data), "--seed", SEED]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_commit_prints_the_commitment_and_writes_its_record(setup, tmp_path, capsys):
    root, data = setup
    promised = _commit(root, data, capsys, out=str(tmp_path / "d"))
    assert len(promised) == 64 and int(promised, 16) >= 0
    (record_file,) = (tmp_path / "d").glob("*.commitment.json")
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["config"]["budget"] == 30 and record["committed_at_utc"].endswith("Z")
    assert set(record["inputs"]) == {
        "bodies",
        "inspections",
        "signals",
        "certificates",
        "inspectors",
        "conflicts",
        "grades",
    }
    assert main(["commit", *_inputs(root, data, out=str(tmp_path / "d"))]) == 1
    assert "already committed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text.replace('{\n  "', '{\n  "as_of": "2026-10-01",\n  "', 1), "the key 'as_of' appears twice"),
        (lambda text: "[1, 2]", "is not a commitment record"),
        (lambda text: text[:-5], "cannot be read (JSONDecodeError)"),
    ],
)
def test_a_damaged_commitment_record_is_refused_before_the_draw(setup, tmp_path, capsys, damage, message):
    """A record naming a key twice could be read two ways (Python keeps the last, others the first): refused."""
    root, data = setup
    out = tmp_path / "d"
    assert main(["commit", *_inputs(root, data, out=str(out))]) == 0
    (record_file,) = out.glob("*.commitment.json")
    record_file.write_text(damage(record_file.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert main(["draw", *_inputs(root, data, out=str(out)), "--seed", SEED]) == 1
    err = capsys.readouterr().err
    assert message in err and "the draw was not made" in err
    assert [p.name for p in out.iterdir()] == [record_file.name]  # no draw folder, nothing beside


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--budget", "100000"], "budget"),
        (["--budget", "0"], "`--budget` must be a positive integer; got 0"),
        (["--floor", "1.5"], "`--floor` must be in [0, 1); got 1.5"),
        (["--certificate-weight", "1"], "`--certificate-weight` must be in [0, 1); got 1.0"),
        (["--certificate-weight", "-0.1"], "`--certificate-weight` must be in [0, 1); got -0.1"),
        (["--seed", "  "], "`--seed` must be the public seed string"),
    ],
)
def test_bad_draw_arguments(setup, tmp_path, capsys, extra, message):
    root, data = setup
    base = {"--budget": BUDGET, "--seed": SEED, "--floor": "0.02"}
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        base[flag] = value
    argv = ["draw", str(data), "--grades", str(root / "grades.csv"), "--out", str(tmp_path / "d")]
    for flag, value in base.items():
        argv += [flag, value]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_missing_grades_are_refused(setup, tmp_path, capsys):
    root, data = setup
    grades = pd.read_csv(root / "grades.csv").iloc[5:]
    grades.to_csv(tmp_path / "partial.csv", index=False)
    argv = [
        "commit",
        str(data),
        "--grades",
        str(tmp_path / "partial.csv"),
        "--budget",
        BUDGET,
        "--out",
        str(tmp_path / "d"),
    ]
    assert main(argv) == 1
    assert "have no grade in the grades file" in capsys.readouterr().err
