"""The draw from the command line: commitment, stage 1 and 2, the folder, and
verification that detects any change to an output or an input."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from certrisk.cli import main
from certrisk.draw import DrawConfig, run_draw
from features import load_data_dir

SEED = "2026-11-24 lottery: 07 19 23 31 42"


@pytest.fixture(scope="module")
def setup(tmp_path_factory, world_medium):
    root = tmp_path_factory.mktemp("draw")
    world_medium.write(root / "sim")
    data = root / "sim" / "data"
    for name in ("inspectors.parquet", "conflicts.parquet"):  # teams are tested with inspectors in test_draw_teams.py
        (data / name).unlink()
    bodies = world_medium.tables()["bodies"]
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


def _draw(root, data, out="draws", seed=SEED, extra=()):
    return main(
        [
            "draw",
            str(data),
            "--grades",
            str(root / "grades.csv"),
            "--budget",
            "80",
            "--seed",
            seed,
            "--out",
            str(root / out),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def drawn(setup):
    root, data = setup
    assert _draw(root, data) == 0
    (folder,) = [p for p in (root / "draws").iterdir() if p.is_dir()]
    return root, data, folder


def test_draw_folder_holds_every_output(drawn):
    _, _, folder = drawn
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "certificates.csv",
        "draw_list.csv",
        "draw_list.xlsx",
        "frame.csv",
        "grades.csv",
        "manifest.json",
        "public_list.csv",
        "public_list.xlsx",
    ]
    frame = pd.read_csv(folder / "frame.csv", encoding="utf-8-sig")
    live = frame[frame["in_frame"]]
    assert live["pi"].sum() == pytest.approx(80, abs=1e-9)
    assert frame["selected"].sum() == 80
    assert (live["pi"] >= 0.02 - 1e-12).all()
    assert frame.loc[frame["ccc_designated"] & frame["in_frame"], "selected"].all()
    assert (frame.loc[frame["status"].isin(["suspended", "revoked"]), "pi"] == 0).all()
    assert frame["reason"].str.len().gt(0).all()


def test_public_list_reveals_no_grade_score_or_probability(drawn):
    _, _, folder = drawn
    public = pd.read_csv(folder / "public_list.csv", encoding="utf-8-sig")
    assert list(public.columns) == [
        "draw id",
        "as-of date",
        "body id",
        "body",
        "batch",
        "inspection method",
        "inspectors' units",
    ]
    text = (folder / "public_list.csv").read_text(encoding="utf-8-sig").lower()
    assert "grade" not in text and "probab" not in text and "score" not in text


def test_stage2_certificates_have_conditional_and_overall_probabilities(drawn):
    _, _, folder = drawn
    certs = pd.read_csv(folder / "certificates.csv", encoding="utf-8-sig")
    frame = pd.read_csv(folder / "frame.csv", encoding="utf-8-sig").set_index("body_id")
    assert set(certs["body_id"]) <= set(frame.index[frame["selected"]])
    per_body = certs.groupby("body_id").agg(
        m=("cert_id", "size"), held=("certs_held", "first"), pc=("pi_conditional", "first"), po=("pi_overall", "first")
    )
    np.testing.assert_allclose(per_body["pc"], per_body["m"] / per_body["held"])
    np.testing.assert_allclose(per_body["po"], frame.loc[per_body.index, "pi"] * per_body["pc"])


def test_untouched_draw_verifies(drawn, capsys):
    _, data, folder = drawn
    assert main(["verify", str(folder), "--data", str(data)]) == 0
    assert "verified" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["draw_list.csv", "public_list.csv", "frame.csv", "certificates.csv", "grades.csv"])
def test_any_change_to_a_published_file_is_detected(drawn, tmp_path, capsys, name):
    _, data, folder = drawn
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    text = (copy / name).read_text(encoding="utf-8-sig")
    (copy / name).write_text(text.replace("CB0", "CB9", 1), encoding="utf-8-sig")
    assert main(["verify", str(copy), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert f"{name}: changed since the draw" in err and "Traceback" not in err


def test_a_changed_input_is_detected(drawn, tmp_path, capsys):
    _, data, folder = drawn
    changed = tmp_path / "data"
    shutil.copytree(data, changed)
    bodies = pd.read_parquet(changed / "bodies.parquet")
    bodies.loc[bodies["ccc_designated"].idxmin(), "ccc_designated"] = True
    bodies.to_parquet(changed / "bodies.parquet", index=False)
    assert main(["verify", str(folder), "--data", str(changed)]) == 1
    err = capsys.readouterr().err
    assert "input bodies.parquet: differs" in err and "frame: SHA-256" in err


def test_same_inputs_in_any_row_order_give_identical_outputs(setup, drawn):
    root, data, folder = drawn
    tables = dict(load_data_dir(data).tables)
    grades = pd.read_csv(root / "grades.csv", dtype=str, keep_default_na=False)
    config = DrawConfig(as_of=pd.Timestamp("2026-10-01"), budget=80, public_seed=SEED)
    first = run_draw(tables, grades, config)
    shuffled = {k: v.sample(frac=1.0, random_state=3).reset_index(drop=True) for k, v in tables.items()}
    second = run_draw(shuffled, grades.sample(frac=1.0, random_state=4), config)
    assert first.frame_sha256 == second.frame_sha256
    for name, table in first.tables.items():
        pd.testing.assert_frame_equal(table.reset_index(drop=True), second.tables[name].reset_index(drop=True))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["frame_sha256"] == first.frame_sha256
    other = run_draw(tables, grades, DrawConfig(as_of=config.as_of, budget=80, public_seed="another seed"))
    assert not other.tables["draw_list.csv"]["body id"].equals(first.tables["draw_list.csv"]["body id"])


def test_a_draw_is_never_overwritten(drawn, capsys):
    root, data, folder = drawn
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert _draw(root, data) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_commitment_before_the_seed_and_a_frame_changed_after_it(setup, tmp_path, capsys):
    root, data = setup
    out = tmp_path / "draws"
    args = ["--grades", str(root / "grades.csv"), "--budget", "80", "--out", str(out)]
    assert main(["commit", str(data), *args]) == 0
    printed = capsys.readouterr().out
    digest = printed.split("SHA-256 ")[1].split()[0]
    assert len(digest) == 64
    # the frame changes after the commitment (another grade for one body): refused, nothing written
    grades = pd.read_csv(root / "grades.csv", dtype=str)
    grades.loc[0, "grade"] = "D" if grades.loc[0, "grade"] != "D" else "A"
    grades.to_csv(tmp_path / "g2.csv", index=False)
    commitment = next(out.glob("*.commitment.json"))
    draw_id = commitment.name.split(".")[0]
    code = main(
        [
            "draw",
            str(data),
            "--grades",
            str(tmp_path / "g2.csv"),
            "--budget",
            "80",
            "--out",
            str(out),
            "--seed",
            SEED,
            "--draw-id",
            draw_id,
        ]
    )
    assert code == 1
    assert "the frame changed since it was committed" in capsys.readouterr().err
    assert not (out / draw_id).exists()
    # unchanged frame: the draw goes ahead and records that the commitment came first
    assert main(["draw", str(data), *args, "--seed", SEED]) == 0
    manifest = json.loads((out / draw_id / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["commitment_published_before_seed"] is True and manifest["frame_sha256"] == digest


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--budget", "100000"], "budget"),
        (["--budget", "0"], "`--budget` must be a positive integer; got 0"),
        (["--floor", "1.5"], "`--floor` must be in [0, 1); got 1.5"),
        (["--seed", "  "], "`--seed` must be the public seed string"),
    ],
)
def test_bad_draw_arguments(setup, tmp_path, capsys, extra, message):
    root, data = setup
    base = {"--budget": "80", "--seed": SEED, "--floor": "0.02"}
    for flag, value in zip(extra[::2], extra[1::2]):
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
    assert (
        main(
            [
                "draw",
                str(data),
                "--grades",
                str(tmp_path / "partial.csv"),
                "--budget",
                "80",
                "--seed",
                SEED,
                "--out",
                str(tmp_path / "d"),
            ]
        )
        == 1
    )
    assert "have no grade in the grades file" in capsys.readouterr().err
