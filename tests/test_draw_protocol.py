"""The public draw as a tamper-evident protocol: one test per way a hostile operator could break it.

commit -> publish the commitment hash -> public seed -> draw -> publish -> verify
against the published hash and seed. Each test plays one attack and checks
that it is refused or detected, in words, with nothing half-written.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from verifying import reuse_reruns

from certrisk.cli import main
from certrisk.draw import DrawConfig, verify_draw
from certrisk.draw.commitment import commitment_hash
from features import load_data_dir

SEED = "2026-12-01 lottery 05 11 19 27 33"
BUDGET = "8"


@pytest.fixture(scope="module")
def setup(tmp_path_factory, world_small):
    root = tmp_path_factory.mktemp("protocol")
    world_small.write(root / "sim")
    bodies = world_small.tables()["bodies"]
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "as_of": "2026-10-01",
            "grade": np.random.default_rng(7).choice(list("ABCD"), len(bodies), p=[0.5, 0.3, 0.15, 0.05]),
            "reasons": "complaints in 12 months: 2",
        }
    )
    grades.to_csv(root / "grades.csv", index=False)
    return root, root / "sim" / "data"


def _inputs(data: Path, grades: Path, out: Path, budget: str = BUDGET) -> list[str]:
    return [str(data), "--grades", str(grades), "--budget", budget, "--out", str(out)]


def _commit(data: Path, grades: Path, out: Path, budget: str = BUDGET) -> str:
    assert main(["commit", *_inputs(data, grades, out, budget)]) == 0
    (record,) = sorted(out.glob("*.commitment.json"), key=os.path.getmtime)[-1:]
    return commitment_hash(json.loads(record.read_text(encoding="utf-8")))


def _folder(out: Path) -> Path:
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


@pytest.fixture(scope="module")
def drawn(setup):
    root, data = setup
    out = root / "draws"
    promised = _commit(data, root / "grades.csv", out)
    assert main(["draw", *_inputs(data, root / "grades.csv", out), "--seed", SEED]) == 0
    return root, data, _folder(out), promised


def _verify(folder: Path, data: Path, promised: str, seed: str = SEED) -> int:
    return main(["verify", str(folder), "--data", str(data), "--commitment", promised, "--seed", seed])


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


# --- the commitment binds -----------------------------------------------------------
def test_an_uncommitted_frame_is_refused(setup, tmp_path, capsys):
    root, data = setup
    out = tmp_path / "draws"
    assert main(["draw", *_inputs(data, root / "grades.csv", out), "--seed", SEED]) == 1
    err = capsys.readouterr().err
    assert "no commitment for this frame and configuration" in err and "certrisk commit" in err
    assert "Traceback" not in err and (not out.exists() or not any(out.iterdir()))


@pytest.mark.parametrize("changed_budget", ["7", "9"])
def test_a_changed_budget_is_refused_and_named(setup, tmp_path, capsys, changed_budget):
    root, data = setup
    out = tmp_path / "draws"
    _commit(data, root / "grades.csv", out)
    assert main(["draw", *_inputs(data, root / "grades.csv", out, changed_budget), "--seed", SEED]) == 1
    err = capsys.readouterr().err
    assert f"config.budget: committed 8, now {changed_budget}" in err
    assert "nothing was derived from the seed" in err
    assert not [p for p in out.iterdir() if p.is_dir()]


def test_changed_grades_are_refused_and_named(setup, tmp_path, capsys):
    root, data = setup
    out = tmp_path / "draws"
    _commit(data, root / "grades.csv", out)
    grades = pd.read_csv(root / "grades.csv", dtype=str)
    grades.loc[0, "grade"] = "D" if grades.loc[0, "grade"] != "D" else "A"
    grades.to_csv(tmp_path / "edited.csv", index=False)
    (record,) = out.glob("*.commitment.json")
    draw_id = record.name.split(".")[0]
    argv = ["draw", *_inputs(data, tmp_path / "edited.csv", out), "--seed", SEED, "--draw-id", draw_id]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "frame.columns.grade" in err and "the grades changed" in err and "inputs.grades" in err
    assert not (out / draw_id).exists()


def test_the_commitment_is_checked_before_any_randomness(setup, tmp_path, capsys, monkeypatch):
    import certrisk.draw.stages as stages

    def no_randomness(*args, **kwargs):
        raise AssertionError("randomness was derived before the commitment was checked")

    monkeypatch.setattr(stages, "seed_material", no_randomness)
    root, data = setup
    assert main(["draw", *_inputs(data, root / "grades.csv", tmp_path / "d"), "--seed", SEED]) == 1
    assert "no commitment for this frame" in capsys.readouterr().err


def test_a_changed_input_table_is_refused(setup, tmp_path, capsys):
    root, data = setup
    out = tmp_path / "draws"
    _commit(data, root / "grades.csv", out)
    changed = tmp_path / "data"
    shutil.copytree(data, changed)
    inspectors = pd.read_parquet(changed / "inspectors.parquet")
    inspectors.loc[0, "max_assignments"] += 1  # not in the frame, but the teams depend on it
    inspectors.to_parquet(changed / "inspectors.parquet", index=False)
    assert main(["draw", *_inputs(changed, root / "grades.csv", out), "--seed", SEED]) == 1
    assert "inputs.inspectors" in capsys.readouterr().err


def test_an_uncommitted_exercise_says_so_everywhere(setup, tmp_path, capsys):
    root, data = setup
    out = tmp_path / "draws"
    assert main(["draw", *_inputs(data, root / "grades.csv", out), "--seed", SEED, "--uncommitted"]) == 0
    assert "UNCOMMITTED" in capsys.readouterr().out
    folder = _folder(out)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["commitment"]["status"].startswith("uncommitted") and manifest["commitment"]["sha256"] is None
    for name in ("draw_list.csv", "public_list.csv", "certificates.csv"):
        column = pd.read_csv(folder / name, encoding="utf-8-sig", dtype=str)["commitment"]
        assert column.str.startswith("uncommitted").all(), name
    assert _verify(folder, data, "0" * 64) == 1
    assert "the draw is uncommitted (an exercise)" in capsys.readouterr().err


# --- verification against what was published ------------------------------------------
def test_an_untouched_draw_verifies(drawn, capsys):
    _, data, folder, promised = drawn
    assert _verify(folder, data, promised) == 0
    assert "verified against the published commitment and seed" in capsys.readouterr().out


def test_a_wrong_seed_or_commitment_is_refused(drawn, capsys):
    _, data, folder, promised = drawn
    assert _verify(folder, data, promised, seed=SEED + " ") == 1
    assert "not the published" in capsys.readouterr().err
    assert _verify(folder, data, promised[::-1]) == 1
    assert "not to the published" in capsys.readouterr().err


def test_a_consistent_redraw_with_another_seed_does_not_verify(setup, drawn, tmp_path, capsys):
    """The operator redraws from scratch with a seed they like: the folder is consistent, but not the published one."""
    root, data, folder, promised = drawn
    out = tmp_path / "draws"
    out.mkdir()
    for record in (root / "draws").glob("*.commitment.json"):
        shutil.copy(record, out / record.name)
    assert main(["draw", *_inputs(data, root / "grades.csv", out), "--seed", "a seed the operator liked"]) == 0
    redrawn = _folder(out)
    assert _verify(redrawn, data, promised) == 1
    assert "not the published" in capsys.readouterr().err


def test_a_folder_renamed_to_another_draw_id_does_not_verify(drawn, tmp_path, capsys, monkeypatch):
    """verify names the draw by its manifest, never by the folder's name: a copy under another id is a difference."""
    _, data, folder, promised = drawn
    reuse_reruns(monkeypatch, only=load_data_dir(data).tables)  # both verifications re-run the same draw: once
    monkeypatch.chdir(folder)  # `verify .` from inside the folder: the message still names the draw
    assert _verify(Path("."), data, promised) == 0
    assert f"draw {folder.name} verified against the published commitment and seed" in capsys.readouterr().out
    renamed = tmp_path / "D20261001-deadbeef"
    shutil.copytree(folder, renamed)
    assert _verify(renamed, data, promised) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"draw {folder.name} does NOT verify: 1 difference(s)",
        f"  - the folder is named D20261001-deadbeef, the draw is {folder.name} (a draw folder is named after its "
        "draw id)",
    ]


def _leaves(value, path=()):
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for k, item in enumerate(value):
            yield from _leaves(item, (*path, k))
    else:
        yield path, value


def _tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def _manifest_fields(folder: Path) -> list[tuple]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [path for path, _ in _leaves(manifest)]


def test_every_manifest_field_is_covered(drawn, tmp_path, monkeypatch):
    """Each field of the manifest, changed on its own, is reported; the manifest's hash in `outputs` cannot save it."""
    _, data, folder, promised = drawn
    tables = load_data_dir(data).tables
    reuse_reruns(monkeypatch)  # the re-run depends on the committed settings and seed only
    original = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    work = _copy(folder, tmp_path)
    missed = []
    fields = _manifest_fields(folder)
    assert len(fields) > 60
    # inside the commitment record every change takes the same path (the record no longer hashes to the
    # published value): every fifth of its fields is enough there; every other field is tampered with
    record = [f for f in fields if f[:2] == ("commitment", "record")]
    fields = [f for f in fields if f[:2] != ("commitment", "record")] + record[::5]
    for path in fields:
        manifest = copy.deepcopy(original)
        node = manifest
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = _tampered(node[path[-1]])
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        if not verify_draw(work, tables, commitment_sha256=promised, public_seed=SEED):
            missed.append(".".join(map(str, path)))
    assert missed == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is damaged: it is not valid JSON"),
        ("[1, 2]", "is damaged: it lacks"),
        ('{"draw_id": "D1"}', "is damaged: it lacks format, commitment"),
        (None, "manifest.json is missing"),
    ],
)
def test_a_damaged_manifest_is_one_sentence(drawn, tmp_path, capsys, content, message):
    _, data, folder, promised = drawn
    work = _copy(folder, tmp_path)
    if content is None:
        (work / "manifest.json").unlink()
    else:
        (work / "manifest.json").write_text(content, encoding="utf-8")
    assert _verify(work, data, promised) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("{", '{"public_seed": "other seed", ', "public_seed"),  # a reader keeping the first key sees another seed
        ('"budget": ', '"budget": 1, "budget": ', "budget"),  # twice in config and in the record's config
    ],
)
def test_a_key_twice_in_the_manifest_is_a_damaged_manifest(drawn, tmp_path, capsys, old, new, key):
    _, data, folder, promised = drawn
    work = _copy(folder, tmp_path)
    text = (work / "manifest.json").read_text(encoding="utf-8")
    (work / "manifest.json").write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _verify(work, data, promised) == 1
    err = capsys.readouterr().err
    assert f"manifest.json is damaged: the key '{key}' appears twice in one of its objects" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_extra_or_missing_xlsx_sheet_is_detected(drawn, tmp_path, capsys):
    _, data, folder, promised = drawn
    for change in ("add", "rename"):
        work = _copy(folder, tmp_path / change)
        book = openpyxl.load_workbook(work / "public_list.xlsx")
        if change == "add":
            book.create_sheet("extra").append(["CB99999", "a body slipped in"])
        else:
            book.active.title = "Sheet1"
        book.save(work / "public_list.xlsx")
        assert _verify(work, data, promised) == 1
        err = capsys.readouterr().err
        assert "public_list.xlsx: changed since the draw" in err
        assert "public_list.xlsx: holds the sheet(s)" in err


def test_a_file_added_to_the_folder_is_detected(drawn, tmp_path, capsys):
    _, data, folder, promised = drawn
    work = _copy(folder, tmp_path)
    (work / "public_list_corrected.csv").write_text("body id\nCB00001\n", encoding="utf-8")
    assert _verify(work, data, promised) == 1
    assert "public_list_corrected.csv: not part of the draw" in capsys.readouterr().err


def _as_shuffled_csv(source: Path, target: Path) -> None:
    target.mkdir()
    for file in source.glob("*.parquet"):
        table = pd.read_parquet(file).sample(frac=1.0, random_state=11)
        table = table[list(reversed(table.columns))]
        table.to_csv(target / f"{file.stem}.csv", index=False, encoding="utf-8-sig")


def test_shuffled_and_reencoded_inputs_verify_and_a_changed_value_does_not(drawn, tmp_path, capsys):
    _, data, folder, promised = drawn
    as_csv = tmp_path / "csv"
    _as_shuffled_csv(data, as_csv)
    assert _verify(folder, as_csv, promised) == 0
    certs = pd.read_csv(as_csv / "certificates.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    certs.loc[certs.index[0], "scheme"] = "EMS" if certs.loc[certs.index[0], "scheme"] != "EMS" else "QMS"
    certs.to_csv(as_csv / "certificates.csv", index=False, encoding="utf-8-sig")
    assert _verify(folder, as_csv, promised) == 1
    assert "inputs.certificates" in capsys.readouterr().err


# --- never overwritten, even concurrently; ids stay inside --out ----------------------------
@pytest.mark.e2e
def test_two_concurrent_draws_of_one_id_one_wins_and_stays_intact(setup, tmp_path):
    root, data = setup
    out = tmp_path / "draws"
    promised = _commit(data, root / "grades.csv", out)
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    argv = [*command, "draw", *_inputs(data, root / "grades.csv", out), "--seed", SEED]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "already exists" in loser and "Traceback" not in loser
    folder = _folder(out)
    assert verify_draw(folder, load_data_dir(data).tables, commitment_sha256=promised, public_seed=SEED) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("draw_id", ["../../outside", "a/b", "..", "x/../../y", ".hidden", ""])
def test_a_draw_id_cannot_leave_the_output_folder(setup, tmp_path, capsys, draw_id):
    root, data = setup
    out = tmp_path / "inside" / "draws"
    argv = ["commit", *_inputs(data, root / "grades.csv", out), "--draw-id", draw_id]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "`--draw-id` must be letters, digits" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


# --- lists safe to open in a spreadsheet ---------------------------------------------------
def test_formula_like_names_are_neutralised_and_still_verify(setup, tmp_path, capsys):
    root, data = setup
    hostile = tmp_path / "data"
    shutil.copytree(data, hostile)
    bodies = pd.read_parquet(hostile / "bodies.parquet")
    in_frame = bodies.index[~bodies["status"].isin(["suspended", "revoked"]) & (bodies["approved_on"] < "2026-10-01")]
    names = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "'quoted"]
    bodies.loc[in_frame[: len(names)], "name"] = names
    bodies.to_parquet(hostile / "bodies.parquet", index=False)
    grades = pd.read_csv(root / "grades.csv")
    grades["reasons"] = "=1+2"
    grades.to_csv(tmp_path / "grades.csv", index=False)
    out = tmp_path / "draws"
    budget = str(len(in_frame))  # every body of the frame is drawn
    promised = _commit(hostile, tmp_path / "grades.csv", out, budget)
    assert main(["draw", *_inputs(hostile, tmp_path / "grades.csv", out, budget), "--seed", SEED]) == 0
    folder = _folder(out)
    for name in ("draw_list", "public_list"):
        rows = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        texts = rows.to_numpy().ravel().tolist()
        assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts), name
        book = openpyxl.load_workbook(folder / f"{name}.xlsx")
        cells = [c for row in book.active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
        shown = [c.value for c in cells if isinstance(c.value, str)]
        assert '\'=HYPERLINK("http://evil.example","click")' in shown and "''quoted" in shown
    assert _verify(folder, hostile, promised) == 0, capsys.readouterr().err


# --- no draw can fail after the seed -----------------------------------------------------------
def test_commit_refuses_a_body_that_could_never_be_staffed(setup, tmp_path, capsys):
    root, data = setup
    broken = tmp_path / "data"
    shutil.copytree(data, broken)
    inspectors = pd.read_parquet(broken / "inspectors.parquet")
    inspectors["expertise"] = "QMS"  # nobody can inspect a CCC body any more
    inspectors.to_parquet(broken / "inspectors.parquet", index=False)
    assert main(["commit", *_inputs(broken, root / "grades.csv", tmp_path / "draws")]) == 1
    err = capsys.readouterr().err
    assert "could never be given an inspector team, whatever the seed" in err
    assert "CCC or PRODUCT expertise" in err and "Traceback" not in err
    assert not (tmp_path / "draws").exists() or not any((tmp_path / "draws").iterdir())


def test_capacity_that_binds_uses_the_committed_fallback(setup, tmp_path):
    """Every inspector may serve once: the sample cannot be staffed within the caps, so the caps are lifted."""
    root, data = setup
    tight = tmp_path / "data"
    shutil.copytree(data, tight)
    inspectors = pd.read_parquet(tight / "inspectors.parquet")
    inspectors["max_assignments"] = 1
    inspectors = inspectors[inspectors["province"] == "00"]  # only the national pool is left
    inspectors.to_parquet(tight / "inspectors.parquet", index=False)
    conflicts = pd.read_parquet(tight / "conflicts.parquet")
    conflicts[conflicts["inspector_id"].isin(inspectors["inspector_id"])].to_parquet(
        tight / "conflicts.parquet", index=False
    )
    grades = tmp_path / "g.csv"
    pd.read_csv(root / "grades.csv").assign(grade="D").to_csv(grades, index=False)
    out = tmp_path / "draws"
    budget = str(min(len(inspectors), 30))
    promised = _commit(tight, grades, out, budget)
    assert main(["draw", *_inputs(tight, grades, out, budget), "--seed", SEED]) == 0
    folder = _folder(out)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["teams"]["fallback_applied"] is True
    teams = pd.read_csv(folder / "teams.csv", encoding="utf-8-sig", dtype=str)
    load = pd.Series(";".join(teams["inspector_ids"]).split(";")).value_counts()
    assert load.max() > 1  # the caps were indeed lifted
    assert verify_draw(folder, load_data_dir(tight).tables, commitment_sha256=promised, public_seed=SEED) == []


def test_draw_config_round_trips_through_the_manifest(drawn):
    _, _, folder, _ = drawn
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    config = DrawConfig.from_dict(manifest["config"], SEED, manifest["draw_id"])
    assert config.to_dict() == manifest["config"] == manifest["commitment"]["record"]["config"]
