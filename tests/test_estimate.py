"""Population estimates from the risk-weighted history: the command, the table,
and agreement with the ground truth."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from certrisk.cli import main
from certrisk.estimate_job import estimate_population


@pytest.fixture(scope="module")
def estimates(world_medium):
    since = world_medium.as_of - pd.DateOffset(years=2)
    tables = world_medium.tables()
    grades = pd.DataFrame(
        {"body_id": tables["bodies"]["body_id"], "grade": np.where(tables["bodies"]["ccc_designated"], "A", "B")}
    )
    return estimate_population(tables, world_medium.as_of, since=since, grades=grades), since


def test_table_layout(estimates):
    table, _ = estimates
    assert set(table["scope"]) == {"overall", "grade", "province", "certificates"}
    shown = table[table["reliability"] != "suppressed"]
    assert (shown["ci_low"] <= shown["estimate"]).all() and (shown["estimate"] <= shown["ci_high"]).all()
    assert shown["se"].ge(0).all() and table["n"].gt(0).all()
    # a zero standard error (all outcomes alike in a small domain) is never presented as reliable
    assert table.loc[table["se"] == 0, "note"].str.startswith(("unstable", "suppressed")).all()
    # a suppressed domain publishes no number, and says why
    hidden = table[table["reliability"] == "suppressed"]
    assert hidden["estimate"].isna().all() and hidden["note"].str.startswith("suppressed: fewer than 3").all()


def test_weighted_estimate_corrects_the_risk_weighted_sample_and_agrees_with_the_truth(world_medium, estimates):
    table, since = estimates
    overall = table[table["scope"] == "overall"].iloc[0]
    # the past policy over-sampled risky bodies: the naive share overstates the population rate
    assert overall["estimate"] < overall["naive_rate"]
    risk = world_medium.truth()["risk_quarterly"]
    window = risk[(risk["quarter_start"] >= since) & (risk["quarter_start"] < world_medium.as_of)]
    truth = window["p_serious"].mean()
    assert abs(overall["estimate"] - truth) < 3 * overall["se"], (overall["estimate"], truth, overall["se"])
    assert abs(overall["naive_rate"] - truth) > abs(overall["estimate"] - truth)


def test_problem_certificate_rate_agrees_with_the_truth(world_medium, estimates):
    table, since = estimates
    certs = table[table["scope"] == "certificates"].iloc[0]
    risk = world_medium.truth()["risk_quarterly"]
    window = risk[(risk["quarter_start"] >= since) & (risk["quarter_start"] < world_medium.as_of)]
    share = world_medium.bodies.set_index("body_id")["_cert_share"]
    truth = np.average(window["p_problem_cert"], weights=window["body_id"].map(share))
    assert abs(certs["estimate"] - truth) < 3 * certs["se"] + 0.01, (certs["estimate"], truth, certs["se"])


def test_small_domains_are_flagged(estimates):
    table, _ = estimates
    small = table[table["n_random"] < 10]
    assert len(small) and small["note"].str.startswith(("unstable", "suppressed")).all()
    assert (table["note"] == "").eq(table["reliability"] == "reliable").all()


def test_estimate_command(world_tenth, tmp_path, capsys):
    world_tenth.write(tmp_path / "sim")
    out = tmp_path / "est.csv"
    args = ["estimate", str(tmp_path / "sim" / "data"), "--as-of", "2026-10-01", "--out", str(out)]
    assert main(args) == 0
    assert "population serious rate" in capsys.readouterr().out
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert "grade" not in set(table["scope"]) and "overall" in set(table["scope"])
    assert json.loads(out.with_name("est.run.json").read_text(encoding="utf-8"))["config"]["as_of"] == "2026-10-01"
    bad = [
        "estimate",
        str(tmp_path / "sim" / "data"),
        "--as-of",
        "2026-10-01",
        "--since",
        "2026-09-30",
        "--out",
        str(tmp_path / "e2.csv"),
    ]
    assert main(bad) == 1
    assert "widen the window with --since" in capsys.readouterr().err
    assert not (tmp_path / "e2.csv").exists()


def test_estimate_as_of_uses_the_records_before_the_date(small_data_dir, tmp_path, capsys):
    """Point in time, as in features and train: records on or after --as-of are ignored, never refused.

    The same estimates come from the whole directory and from a copy that holds only the records dated
    before the as-of date (inspections, signals, audits, certificates, bodies approved before it).
    """
    as_of = pd.Timestamp("2025-10-01")
    whole = tmp_path / "whole.csv"
    assert main(["estimate", str(small_data_dir), "--as-of", "2025-10-01", "--out", str(whole)]) == 0
    assert "after the as-of date" not in capsys.readouterr().err
    cut = tmp_path / "before"
    cut.mkdir()
    dated = {"bodies": "approved_on", "inspections": "inspected_on", "signals": "observed_on"}
    dated |= {"audits": "planned_start", "certificates": "issued_on"}
    for path in small_data_dir.glob("*.parquet"):
        frame = pd.read_parquet(path)
        column = dated.get(path.stem)
        if column is not None:
            frame = frame[frame[column] < as_of]
        if path.stem == "certificates":  # the status as it stood the day before the as-of date
            later = frame["status_changed_on"] >= as_of
            frame.loc[later, "status"], frame.loc[later, "status_changed_on"] = "valid", pd.NaT
        if path.stem == "audits":
            frame = frame[~(frame[["checkin_at", "checkout_at"]] >= as_of).any(axis=1)]
        frame.to_parquet(cut / path.name, index=False)
    before = tmp_path / "before.csv"
    assert main(["estimate", str(cut), "--as-of", "2025-10-01", "--out", str(before)]) == 0
    capsys.readouterr()
    got, expected = pd.read_csv(whole, encoding="utf-8-sig"), pd.read_csv(before, encoding="utf-8-sig")
    assert len(got) > 0 and got["n"].iloc[0] >= 2
    pd.testing.assert_frame_equal(got, expected)


def test_a_certificate_rate_that_cannot_have_a_variance_is_left_out_with_the_reason(tmp_path):
    """In the minimal data the draw D2024Q2 has two random inspections (pi 0.12 and 0.35). When the second
    checked no certificate (its body held none), the certificate rate rests on one non-certain unit of that
    draw: no variance can be estimated, so the rate is left out and the reason said; the serious rates stand."""
    from minimal_data import CSV, write_minimal_data

    from features import load_data_dir

    rows = {  # every random inspection checks no more certificates than its body held at the draw
        "INS2024001,CB001,2024-05-14,random,0.12,D2024Q2,IN001;IN002,none,0,20,0": "none,0,2,0",
        "INS2026002,CB006,2026-04-22,random,0.08,D2026Q1,IN004;IN012,general,2,25,2": "general,2,1,1",
        "INS2024002,CB003,2024-05-20,random,0.35,D2024Q2,IN003;IN004,general,2,15,1": "general,2,0,0",
        "INS2025001,CB002,2025-03-11,random,0.2,D2025Q1,IN001;IN008,none,0,18,0": "none,0,1,0",
        "INS2025002,CB005,2025-03-19,random,0.5,D2025Q1,IN009;IN010,general,1,16,1": "general,1,0,0",
        "INS2025003,CB007,2025-06-25,random,1,D2025Q2,IN011;IN012,major,3,14,4": "major,3,0,0",
        "INS2026001,CB012,2026-03-10,random,0.25,D2026Q1,IN002;IN009,none,0,20,0": "none,0,1,0",
    }
    inspections = CSV["inspections"]
    for row, tail in rows.items():
        assert row in inspections
        inspections = inspections.replace(row, ",".join(row.split(",")[:7]) + "," + tail)
    write_minimal_data(tmp_path / "data", "csv")
    (tmp_path / "data" / "inspections.csv").write_text(inspections, encoding="utf-8")
    tables = load_data_dir(tmp_path / "data", as_of="2026-10-01").tables
    said: list[str] = []
    table = estimate_population(tables, pd.Timestamp("2026-10-01"), since=pd.Timestamp("2024-01-01"), say=said.append)
    assert "certificates" not in set(table["scope"]) and "overall" in set(table["scope"])
    assert any(s.startswith("no problem-certificate rate: draw 'D2024Q2' has a single unit with pi < 1") for s in said)
