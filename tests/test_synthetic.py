"""The simulator: determinism, realistic shares (engine.md §1), signals that are
informative but not revealing alone, inspector stringency, the closed loop."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from features.codes import PROVINCES
from simulator import SimConfig, generate_world
from simulator.world import CONTRACT_COLUMNS


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_identical_files(tmp_path, world_small):
    again = generate_world(scale=0.02, seed=11)
    world_small.write(tmp_path / "a")
    again.write(tmp_path / "b")
    for name in ("data", "truth"):
        files = sorted(p.name for p in (tmp_path / "a" / name).iterdir())
        assert files == sorted(p.name for p in (tmp_path / "b" / name).iterdir())
        for f in files:
            assert _sha(tmp_path / "a" / name / f) == _sha(tmp_path / "b" / name / f), f


def test_other_seed_gives_other_data(world_small):
    other = generate_world(scale=0.02, seed=12)
    assert not world_small.tables()["inspections"].equals(other.tables()["inspections"])


def test_tables_have_exactly_the_contract_columns_and_no_truth(world_small):
    tables = world_small.tables()
    assert set(tables) == set(CONTRACT_COLUMNS)
    for name, frame in tables.items():
        assert list(frame.columns) == CONTRACT_COLUMNS[name]
        assert not any(c.startswith("_") or "stringency" in c or "p_serious" in c for c in frame.columns)


def test_write_refuses_to_overwrite(tmp_path, world_small):
    world_small.write(tmp_path)
    with pytest.raises(FileExistsError, match="already exists"):
        world_small.write(tmp_path)


def test_scale_is_validated():
    with pytest.raises(ValueError, match="`scale` must be between 0.001 and 10; got 20"):
        SimConfig.from_scale(20)


def test_counts_scale_with_the_knob(world_medium):
    cfg, t = world_medium.cfg, world_medium.tables()
    assert len(t["bodies"]) == round(1250 * 0.3)
    assert t["bodies"]["ccc_designated"].sum() == round(25 * 0.3)
    assert len(t["certificates"]) == pytest.approx(4.2e6 * 0.3, rel=0.01)
    assert len(t["audits"]) / cfg.audit_years == pytest.approx(1.5e6 * 0.3, rel=0.1)
    assert t["certificates"]["org_id"].nunique() == pytest.approx(1.1e6 * 0.3, rel=0.1)
    assert len(t["inspectors"]) == pytest.approx(600 * 0.3, rel=0.15)


def test_provinces_are_skewed(world_medium):
    share = world_medium.tables()["bodies"]["province"].value_counts(normalize=True)
    assert set(share.index) == set(PROVINCES)  # all 31
    assert share.iloc[:5].sum() > 0.5  # a few provinces hold most bodies
    assert share.index[0] == "11"  # Beijing first


def test_about_eight_percent_of_bodies_are_new_each_year(world_medium):
    b = world_medium.tables()["bodies"]
    snapshot = world_medium.as_of
    yearly = [
        (
            (b["approved_on"] >= snapshot - pd.DateOffset(years=k + 1))
            & (b["approved_on"] < snapshot - pd.DateOffset(years=k))
        ).sum()
        for k in range(3)
    ]
    existing = [(b["approved_on"] < snapshot - pd.DateOffset(years=k)).sum() for k in range(3)]
    rates = np.array(yearly) / np.array(existing)
    assert np.all((rates > 0.05) & (rates < 0.12)), rates
    assert b["approved_on"].min() < snapshot - pd.DateOffset(years=18)


def test_certificate_counts_are_heavy_tailed(world_medium):
    certs = world_medium.tables()["certificates"]
    per_body = certs[certs["status"] == "valid"].groupby("body_id").size()
    assert (per_body < 2000).mean() > 0.7  # most bodies are small
    assert per_body.max() > 100 * per_body.median()  # a few are huge
    assert per_body.nlargest(10).sum() / per_body.sum() > 0.3


def test_serious_rate_under_equal_probability_is_15_to_20_percent(world_medium):
    ins = world_medium.tables()["inspections"]
    rnd = ins[ins["kind"] == "random"]
    serious = rnd["outcome"].isin(["major", "severe"]).to_numpy()
    w = 1 / rnd["inclusion_prob"].to_numpy()
    hajek = (w * serious).sum() / w.sum()  # population rate from the random draws
    assert 0.15 <= hajek <= 0.20
    truth = world_medium.truth()["risk_quarterly"]
    past = truth[truth["quarter_start"] < world_medium.as_of]
    assert 0.15 <= past["p_serious"].mean() <= 0.20
    # the past policy over-sampled risky bodies: the naive rate is higher
    assert serious.mean() > hajek


def test_history_has_all_kinds_and_correct_probability_columns(world_medium):
    ins = world_medium.tables()["inspections"]
    assert set(ins["kind"]) == {"random", "targeted", "complaint"}
    rnd = ins["kind"] == "random"
    assert ins.loc[rnd, "inclusion_prob"].between(0, 1, inclusive="right").all()
    assert ins.loc[~rnd, "inclusion_prob"].isna().all()
    assert ins.loc[~rnd, "draw_id"].isna().all() and ins.loc[rnd, "draw_id"].notna().all()
    span = ins["inspected_on"].max() - ins["inspected_on"].min()
    assert span > pd.Timedelta(days=365 * 7.5)
    assert ((ins["findings"] == 0) == (ins["outcome"] == "none")).all()
    assert (ins["certs_with_problems"] <= ins["certs_checked"]).all()


def test_ccc_bodies_always_in_the_yearly_ccc_round(world_medium):
    ins = world_medium.tables()["inspections"]
    b = world_medium.tables()["bodies"]
    ccc = set(b.loc[b["ccc_designated"], "body_id"])
    q2 = ins[(ins["kind"] == "random") & (ins["inspected_on"].dt.month.between(4, 6))]
    last_q2 = q2[q2["inspected_on"].dt.year == 2026]
    assert ccc <= set(last_q2["body_id"])
    assert (last_q2.loc[last_q2["body_id"].isin(ccc), "inclusion_prob"] == 1).all()


def test_latent_risk_drifts_but_persists(world_medium):
    z = world_medium.risk.logit
    a, b = z[:, :-1].ravel(), z[:, 1:].ravel()
    ok = ~np.isnan(a) & ~np.isnan(b)
    r = np.corrcoef(a[ok], b[ok])[0, 1]
    assert 0.7 < r < 0.99
    bodies = world_medium.bodies
    last = np.nanmean(world_medium.risk.centered[:, -8:], axis=1)
    assert last[bodies["ccc_designated"]].mean() < last[~bodies["ccc_designated"]].mean()


@pytest.fixture(scope="module")
def world_ahead():
    """A 10 % system simulated one quarter past its snapshot, for the closed-loop tests (they add inspections)."""
    return generate_world(scale=0.1, seed=3, future_quarters=1)


def test_stricter_teams_find_more(world_ahead):
    """Controlled: every body inspected 20 times by the strictest and 20 times by the
    most lenient pair of inspectors; the strict teams find more serious problems,
    by about what the stringency gap predicts."""
    world = world_ahead
    strict = world.inspectors.sort_values("_stringency")["inspector_id"].to_numpy()
    lenient_team, strict_team = ";".join(strict[:2]), ";".join(strict[-2:])
    bodies = np.repeat(world.tables()["bodies"]["body_id"].to_numpy(), 20)
    on = world.as_of + pd.Timedelta(days=20)
    rate = {}
    for name, team in (("strict", strict_team), ("lenient", lenient_team)):
        rows = world.inspect(bodies, on, kind="targeted", teams=[team] * len(bodies))
        rate[name] = rows["outcome"].isin(["major", "severe"]).mean()
    assert rate["strict"] > rate["lenient"] + 0.05, rate


def _body_observables(tables, as_of) -> pd.DataFrame:
    """Simple per-body observables of the last year, computed independently of features/."""
    year_ago = as_of - pd.DateOffset(years=1)
    a = tables["audits"]
    a = a[a["planned_start"] >= year_ago]
    body = a["body_id"]
    s = a.sort_values(["auditor_id", "planned_start"])
    overlap = s["planned_start"] < s.groupby("auditor_id")["planned_end"].shift()
    sig = tables["signals"]
    sig = sig[sig["observed_on"] >= as_of - pd.DateOffset(years=2)]
    certs = tables["certificates"]
    obs = pd.DataFrame(
        {
            "missing_checkin": a["checkin_at"].isna().groupby(body).mean(),
            "missing_checkout": a["checkout_at"].isna().groupby(body).mean(),
            "far_checkin": (a["checkin_distance_km"] > 5).groupby(body).mean(),
            "late_checkin": (a["checkin_at"] - a["planned_start"] > pd.Timedelta(hours=2)).groupby(body).mean(),
            "double_booked": overlap.groupby(s["body_id"]).mean(),
            "short_audits": -((a["planned_end"] - a["planned_start"]).dt.total_seconds()).groupby(body).mean(),
            "remote_share": a["remote"].groupby(body).mean(),
            "withdrawals": certs["status"].isin(["withdrawn", "suspended"]).groupby(certs["body_id"]).mean(),
        }
    )
    for kind in ("complaint", "risk_alert", "penalty", "referral"):
        obs[kind] = sig[sig["kind"] == kind].groupby("body_id").size()
    return obs.reindex(tables["bodies"]["body_id"]).fillna(0.0)


def test_every_signal_informs_but_none_alone_reveals_the_risk(world_medium):
    tables = world_medium.tables()
    obs = _body_observables(tables, world_medium.as_of)
    risk = world_medium.truth()["risk_quarterly"]
    last = risk[risk["quarter_start"] == risk["quarter_start"].max()].set_index("body_id")["p_serious"]
    p = last.reindex(obs.index)
    high = (p > p.quantile(0.75)).to_numpy()
    single = {c: roc_auc_score(high, obs[c]) for c in obs}
    # every observable points the way the domain says (anomalies up with risk)
    assert min(single.values()) > 0.58, single
    # unfitted composite: the mean rank of all observables (directions fixed a priori)
    composite = sum(rankdata(obs[c]) for c in obs)
    combined = roc_auc_score(high, composite)
    assert max(single.values()) < 0.8, single
    assert combined > max(single.values()) + 0.05, (combined, single)


@pytest.fixture(scope="module")
def small_world_ahead():
    """The tiny system simulated two quarters past its snapshot (the closed-loop tests add inspections)."""
    return generate_world(scale=0.02, seed=11, future_quarters=2)


def test_closed_loop_returns_outcomes_and_extends_history(small_world_ahead):
    world = small_world_ahead
    body_ids = world.tables()["bodies"]["body_id"].iloc[:5].tolist()
    on = world.as_of + pd.Timedelta(days=20)
    rows = world.inspect(body_ids, on, kind="random", inclusion_prob=[0.5] * 5, draw_id="D-TEST")
    assert rows["body_id"].tolist() == body_ids
    assert set(rows["outcome"]) <= {"none", "general", "major", "severe"}
    later = world.tables(world.as_of + pd.DateOffset(months=3))["inspections"]
    assert set(rows["inspection_id"]) <= set(later["inspection_id"])
    assert not set(rows["inspection_id"]) & set(world.tables()["inspections"]["inspection_id"])
    with pytest.raises(ValueError, match="unknown body_id"):
        world.inspect(["NOPE"], on)


def test_closed_loop_checks_exactly_the_certificates_stage_2_listed(small_world_ahead):
    world = small_world_ahead
    body_ids = world.tables()["bodies"]["body_id"].iloc[:6].tolist()
    on = world.as_of + pd.Timedelta(days=10)
    listed = [0, 5, 10, 20, 40, 3]
    rows = world.inspect(body_ids, on, kind="random", inclusion_prob=[0.5] * 6, draw_id="D-LIST", certs_listed=listed)
    assert rows["certs_checked"].tolist() == listed
    assert (rows["certs_with_problems"] <= rows["certs_checked"]).all()
    assert rows.loc[rows["certs_checked"] == 0, "certs_with_problems"].eq(0).all()


def test_closed_loop_findings_follow_the_truth(world_ahead):
    world = world_ahead
    bodies = world.tables()["bodies"]["body_id"]
    on = world.as_of + pd.Timedelta(days=30)
    # inspect every body 20 times: the serious share tracks the true probability
    reps = np.repeat(bodies.to_numpy(), 20)
    rows = world.inspect(reps, on, kind="targeted")
    observed = rows["outcome"].isin(["major", "severe"]).groupby(rows["body_id"]).mean()
    idx = pd.Index(world.bodies["body_id"]).get_indexer(observed.index)
    true_p = world.risk.p_serious(idx, [on] * len(idx))
    assert np.corrcoef(observed, true_p)[0, 1] > 0.6
    assert abs(observed.mean() - true_p.mean()) < 0.05


def test_dated_views_with_future_quarters_only_name_existing_bodies(world_ahead):
    world = world_ahead
    views = [world.tables(as_of) for as_of in (world.as_of, world.as_of + pd.DateOffset(months=3))]
    # the later view knows bodies approved after the snapshot (the case this test is about)
    assert set(views[1]["bodies"]["body_id"]) > set(views[0]["bodies"]["body_id"])
    for tables in views:
        known = set(tables["bodies"]["body_id"])
        for name in ("inspections", "signals", "audits", "certificates", "conflicts"):
            assert set(tables[name]["body_id"]) <= known, name
