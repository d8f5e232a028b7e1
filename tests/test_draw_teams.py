"""Teams inside the draw: every rule holds on the synthetic directory, the lists
show them, and verification covers them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from certrisk.cli import main
from certrisk.draw.commitment import commitment_hash
from features import load_data_dir


@pytest.fixture(scope="module")
def drawn(tmp_path_factory, world_tenth):
    root = tmp_path_factory.mktemp("teams")
    world_tenth.write(root / "sim")
    data = root / "sim" / "data"
    bodies = world_tenth.tables()["bodies"]
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "as_of": "2026-10-01",
            "grade": np.random.default_rng(1).choice(list("ABCD"), len(bodies), p=[0.6, 0.25, 0.1, 0.05]),
        }
    )
    grades.to_csv(root / "grades.csv", index=False)
    inputs = [
        str(data),
        "--grades",
        str(root / "grades.csv"),
        "--budget",
        "30",
        "--out",
        str(root / "draws"),
        "--lang",
        "zh",
    ]
    assert main(["commit", *inputs]) == 0
    (record,) = (root / "draws").glob("*.commitment.json")
    promised = commitment_hash(json.loads(record.read_text(encoding="utf-8")))
    assert main(["draw", *inputs, "--seed", "team test"]) == 0
    (folder,) = [p for p in (root / "draws").iterdir() if p.is_dir()]
    return data, folder, load_data_dir(data).tables, promised


def test_every_team_obeys_the_rules(drawn):
    data, folder, tables, _ = drawn
    listing = pd.read_csv(folder / "draw_list.csv", encoding="utf-8-sig", dtype=str)
    inspectors = tables["inspectors"].set_index("inspector_id")
    bodies = tables["bodies"].set_index("body_id")
    conflicts = set(zip(tables["conflicts"]["inspector_id"], tables["conflicts"]["body_id"]))
    load = pd.Series(0, index=inspectors.index)
    for _, row in listing.iterrows():
        body, team = row["机构编号"], row["检查人员"].split(";")
        assert len(team) == 2 and len(set(team)) == 2
        b = bodies.loc[body]
        fields = set(b["fields"].split(";"))
        members = inspectors.loc[team]
        assert members["active"].all()
        assert not any((i, body) in conflicts for i in team)
        assert not members["unit"].isin([b["name"], body]).any()
        allowed = {"00"} if b["ccc_designated"] else {"00", b["province"]}
        assert set(members["province"]) <= allowed
        expertise = [set(e.split(";")) for e in members["expertise"]]
        assert any(e & fields for e in expertise)
        if b["ccc_designated"]:
            assert any(e & {"CCC", "PRODUCT"} for e in expertise)
        load[team] += 1
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if not manifest["teams"]["fallback_applied"]:  # the caps hold unless the committed fallback lifted them
        assert (load <= inspectors["max_assignments"]).all()


def test_public_list_shows_units_not_risk(drawn):
    _, folder, _, _ = drawn
    public = pd.read_csv(folder / "public_list.csv", encoding="utf-8-sig", dtype=str)
    assert list(public.columns) == [
        "抽查批次号",
        "基准日期",
        "机构编号",
        "认证机构名称",
        "批次",
        "检查方式",
        "检查人员单位",
        "承诺值",
    ]
    assert public["检查人员单位"].str.len().gt(0).all()
    assert set(public["批次"]) <= {"国家市场监管总局", "省级市场监管部门"}


def test_verify_covers_the_teams(drawn, tmp_path, capsys, monkeypatch):
    import shutil

    from verifying import reuse_reruns

    data, folder, tables, promised = drawn
    reuse_reruns(monkeypatch, only=tables)  # the two verifications re-run the same draw on the same data: once
    published = ["--commitment", promised, "--seed", "team test"]
    assert main(["verify", str(folder), "--data", str(data), *published]) == 0
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    listing = (copy / "draw_list.csv").read_text(encoding="utf-8-sig")
    first_team = pd.read_csv(folder / "draw_list.csv", encoding="utf-8-sig", dtype=str)["检查人员"].iloc[0]
    swapped = first_team.split(";")[0]
    (copy / "draw_list.csv").write_text(listing.replace(swapped, "I9999", 1), encoding="utf-8-sig")
    assert main(["verify", str(copy), "--data", str(data), *published]) == 1
    assert "draw_list.csv: changed since the draw" in capsys.readouterr().err
