"""A body's status on an as-of date: the optional ``bodies.status_changed_on``,
the engine's rule (``features.rules.body_status``), the simulator's dated views,
the draw frame and the grading overrides that read it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from certrisk.draw.config import DrawConfig
from certrisk.draw.frame import build_frame
from features import load_data_dir
from features.rules import body_status
from riskmodel.grading import triggered_rules
from simulator.bodies import simulate_bodies
from simulator.config import SimConfig
from simulator.risk import simulate_latent_risk
from simulator.status import STOPPED, simulate_status, status_on
from tests.minimal_data import AS_OF, write_minimal_data

# In tests/minimal_data.py: CB004 suspended on 2024-09-16, CB008 revoked on 2024-11-20,
# CB010 unreachable on 2025-01-20; the other bodies are active, without a date.
BETWEEN = pd.Timestamp("2024-10-01")  # after CB004's change, before CB008's


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    return load_data_dir(write_minimal_data(tmp_path_factory.mktemp("minimal")), as_of=AS_OF).tables


def test_the_optional_column_may_be_left_out(tmp_path):
    folder = write_minimal_data(tmp_path)
    bodies = pd.read_csv(folder / "bodies.csv", dtype=str, keep_default_na=False)
    bodies.drop(columns="status_changed_on").to_csv(folder / "bodies.csv", index=False)
    loaded = load_data_dir(folder, as_of=AS_OF).bodies  # no problem reported
    assert loaded["status_changed_on"].isna().all()
    # without dates the recorded status holds on every date
    assert body_status(loaded, BETWEEN).tolist() == loaded["status"].tolist()


def test_the_status_on_a_date_is_active_until_the_day_after_the_change(minimal):
    bodies = minimal["bodies"].set_index("body_id")
    on = lambda day: body_status(bodies, pd.Timestamp(day))[["CB004", "CB008", "CB010"]].tolist()  # noqa: E731
    assert on("2024-09-16") == ["active", "active", "active"]  # a change dated on the as-of day: not yet
    assert on("2024-09-17") == ["suspended", "active", "active"]
    assert on("2024-11-21") == ["suspended", "revoked", "active"]
    assert on(AS_OF) == ["suspended", "revoked", "unreachable"]
    assert body_status(bodies.drop(columns="status_changed_on"), BETWEEN)["CB008"] == "revoked"


def _frame(tables, as_of: pd.Timestamp) -> pd.DataFrame:
    grades = pd.DataFrame({"body_id": tables["bodies"]["body_id"], "grade": "B"})
    return build_frame(tables, grades, DrawConfig(as_of=as_of, budget=3, public_seed="s")).set_index("body_id")


def test_the_draw_frame_uses_the_status_on_its_as_of_date(minimal):
    early, late = _frame(minimal, BETWEEN), _frame(minimal, pd.Timestamp(AS_OF))
    assert early.loc[["CB004", "CB008"], "status"].tolist() == ["suspended", "active"]
    assert early.loc["CB004", "pi"] == 0 and early.loc["CB008", "pi"] > 0  # revoked later: still drawable then
    assert late.loc[["CB004", "CB008"], "status"].tolist() == ["suspended", "revoked"]
    assert (late.loc[["CB004", "CB008"], "pi"] == 0).all()


def test_the_grading_overrides_use_the_status_on_their_as_of_date(minimal):
    ids = ["CB008", "CB010"]
    assert not triggered_rules(minimal, ids, BETWEEN)["revoked"]["CB008"]
    assert triggered_rules(minimal, ids, AS_OF)["revoked"]["CB008"]
    # CB010's unreachable signal (2025-01-20) and its status change share a day: both count from the day after
    assert not triggered_rules(minimal, ids, "2025-01-20")["unreachable"]["CB010"]
    assert triggered_rules(minimal, ids, "2025-01-21")["unreachable"]["CB010"]


# ------------------------------------------------------------------ the simulator


def test_the_simulators_rule_is_the_engines():
    bodies = pd.DataFrame(
        {
            "status": ["revoked", "suspended", "unreachable", "active"],
            "status_changed_on": pd.to_datetime(["2021-03-01", "2024-06-30", "2020-01-01", None]),
        }
    )
    changes = bodies["status_changed_on"].dropna()
    days = sorted(
        {*(changes - pd.Timedelta(days=1)), *changes, *(changes + pd.Timedelta(days=1)), pd.Timestamp("2030-01-01")}
    )
    for day in days:
        assert status_on(bodies, day)["status"].tolist() == body_status(bodies, day).tolist(), day


def test_dated_views_show_the_status_as_it_stood(world_tenth):
    changed = world_tenth.bodies.loc[world_tenth.bodies["status"] != "active"]
    assert len(changed) >= 3, "the test world must hold bodies whose status changed"
    snapshot = world_tenth.tables()["bodies"].set_index("body_id")
    for t in [*world_tenth.risk.quarter_starts[::4], *(changed["status_changed_on"] + pd.Timedelta(days=1))]:
        view = world_tenth.tables(t)["bodies"].set_index("body_id")
        assert view["status"].tolist() == body_status(snapshot.loc[view.index], t).tolist(), t
        dates = view["status_changed_on"].dropna()
        assert (dates < t).all()  # no later change shows through
        assert (view.loc[dates.index, "status"] != "active").all()


def test_stopped_bodies_are_not_drawn_and_issue_nothing_afterwards(world_tenth):
    bodies = world_tenth.bodies.set_index("body_id")
    stopped = bodies[bodies["status"].isin(STOPPED)]
    assert len(stopped) >= 2, "the test world must hold revoked or suspended bodies"
    ins = world_tenth.tables()["inspections"]
    random = ins[(ins["kind"] == "random") & ins["body_id"].isin(stopped.index)]
    quarter_start = random["inspected_on"].dt.to_period("Q").dt.start_time
    assert (quarter_start <= random["body_id"].map(stopped["status_changed_on"])).all()
    certs = pd.concat(world_tenth.certificates)
    mine = certs[certs["body_id"].isin(stopped.index)]
    assert len(mine) > 0
    assert (mine["issued_on"] < mine["body_id"].map(stopped["status_changed_on"])).all()


def test_an_unreachable_body_is_signalled_on_the_day_it_became_so(world_tenth):
    bodies = world_tenth.bodies.set_index("body_id")
    gone = bodies.loc[bodies["status"] == "unreachable", "status_changed_on"]
    assert len(gone) >= 1
    signals = world_tenth.tables()["signals"]
    first = signals[signals["kind"] == "unreachable"].groupby("body_id")["observed_on"].min()
    assert first.reindex(gone.index).tolist() == gone.tolist()
    assert set(first.index) == set(gone.index)


def test_status_changes_follow_the_risk_of_their_quarter():
    """About 3-4 % of the bodies change status over the history, riskier ones more often."""
    cfg = SimConfig.from_scale(0.02, seed=3, n_bodies=4000)
    bodies = simulate_bodies(cfg)
    risk = simulate_latent_risk(cfg, bodies)
    status = simulate_status(cfg, bodies, risk)
    left = status["status"].to_numpy() != "active"
    share = left.mean()
    # binomial limits around the share the hazards were set for (3.6 % at the snapshot, 4000 bodies: sd 0.3 %)
    assert 0.025 < share < 0.05, share
    q = risk.quarter_index(status["status_changed_on"].to_numpy()[left])
    at_change = risk.centered[np.flatnonzero(left), q]
    assert np.nanmean(at_change) > np.nanmean(risk.centered) + 1.0
