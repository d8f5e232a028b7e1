"""Each observable of the simulator depends on the latent risk up to its own date only.

For every observable, per body and quarter q, the check regresses it on the
body's risk up to q (the centred risk of q and the body's level: its fixed
traits and newness, in q and in q + 1) and on the risk of the next quarter,
q + 1. Given those controls the next quarter's risk is its innovation (the
AR(1) shock of q + 1, ``simulator.risk``), independent of everything up to q.
So for a causal observable the partial correlation of the next-quarter term is
a sum of martingale differences, even with many quarters per body: its null
standard error is 1/sqrt(n) exactly (n the number of body-quarters). A
look-ahead planted in a copy of the data is flagged by the same check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from features.codes import SERIOUS_OUTCOMES
from simulator.audits import SCHEME_HOURS
from simulator.bodies import simulate_bodies
from simulator.config import SimConfig
from simulator.risk import LatentRisk, simulate_latent_risk
from simulator.status import simulate_status, status_on

# Null standard errors. About 25 observables are checked: with 3.5, a false alarm on any
# of them has a chance of about 1 % (Bonferroni, 25 x 0.05 %), where 3 would give 7 %.
LIMIT = 3.5
MIN_CELLS = 300  # fewer body-quarters would make the check too weak to mean anything


def partial_r(risk: LatentRisk, body: np.ndarray, q: np.ndarray, y: np.ndarray, extra: tuple = ()) -> tuple[float, int]:
    """Partial correlation of ``y`` (one value per body-quarter) with the next quarter's risk, given the past."""
    body, q, y = np.asarray(body), np.asarray(q), np.asarray(y, dtype=float)
    ok = q + 1 < risk.logit.shape[1]
    body, q, y = body[ok], q[ok], y[ok]
    extra = tuple(np.asarray(e, dtype=float)[ok] for e in extra)
    zc, level = risk.centered, risk.level
    future = zc[body, q + 1]
    controls = np.column_stack([np.ones(len(y)), zc[body, q], level[body, q], level[body, q + 1], *extra])
    keep = np.isfinite(controls).all(axis=1) & np.isfinite(future) & np.isfinite(y)
    x, y, future = controls[keep], y[keep], future[keep]
    ry = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    rf = future - x @ np.linalg.lstsq(x, future, rcond=None)[0]
    return float(np.corrcoef(ry, rf)[0, 1]), int(keep.sum())


def _cell_means(world, frame: pd.DataFrame, date_col: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Mean of each value per body and quarter of ``date_col`` (cells without a row are absent)."""
    cells = pd.DataFrame(
        {
            "body": pd.Index(world.bodies["body_id"]).get_indexer(frame["body_id"]),
            "q": world.risk.quarter_index(frame[date_col].to_numpy()),
            **values,
        }
    )
    return cells.groupby(["body", "q"], sort=False).mean().reset_index()


def _full_panel(world, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Every body-quarter from quarter ``first`` to ``last`` (inclusive) in which the body exists."""
    n = len(world.bodies)
    body, q = np.meshgrid(np.arange(n), np.arange(first, last + 1), indexing="ij")
    body, q = body.ravel(), q.ravel()
    exists = ~np.isnan(world.risk.centered[body, q])
    return body[exists], q[exists]


def _counts(world, frame: pd.DataFrame, date_col: str) -> np.ndarray:
    """Rows per body and quarter (bodies x quarters)."""
    counts = np.zeros(world.risk.logit.shape)
    body = pd.Index(world.bodies["body_id"]).get_indexer(frame["body_id"])
    np.add.at(counts, (body, world.risk.quarter_index(frame[date_col].to_numpy())), 1)
    return counts


def _certificate_series(world) -> dict[str, tuple]:
    certs = pd.concat(world.certificates, ignore_index=True)
    issued = _counts(world, certs, "issued_on")
    ended = _counts(world, certs[certs["_fate"] > 0], "_fate_on")
    first = int(world.risk.quarter_index(pd.DatetimeIndex([certs["issued_on"].min()]))[0])
    body, q = _full_panel(world, first, world.risk.logit.shape[1] - 1)
    size = (np.log(world.bodies["_cert_share"].to_numpy()[body]),)
    return {
        "certificates issued": (body, q, np.log1p(issued[body, q]), size),
        "certificates suspended or withdrawn": (body, q, np.log1p(ended[body, q]), size),
    }


def _audit_series(world) -> dict[str, tuple]:
    au = pd.concat(world.audits, ignore_index=True)
    hours = (au["planned_end"] - au["planned_start"]).dt.total_seconds().to_numpy() / 3600
    norm = au["scheme"].map(SCHEME_HOURS).to_numpy(dtype=float)
    late = (au["checkin_at"] - au["planned_start"]).dt.total_seconds().to_numpy() > 2 * 3600
    same_day = au["auditor_id"].astype(str) + "|" + au["planned_start"].dt.normalize().astype(str)
    values = {
        "audit length (log hours / scheme norm)": np.log(hours / norm),
        "short audits (< 0.8 x scheme norm)": (hours < 0.8 * norm).astype(float),
        "missing check-in": au["checkin_at"].isna().to_numpy(dtype=float),
        "missing check-out": au["checkout_at"].isna().to_numpy(dtype=float),
        "check-in > 5 km": (au["checkin_distance_km"].to_numpy() > 5).astype(float),
        "check-in > 2 h late": late.astype(float),
        "remote audits": au["remote"].to_numpy(dtype=float),
        "double booking": same_day.duplicated(keep=False).to_numpy(dtype=float),
    }
    cells = _cell_means(world, au, "planned_start", values)
    return {name: (cells["body"], cells["q"], cells[name], ()) for name in values}


def _signal_series(world) -> dict[str, tuple]:
    signals = world.tables()["signals"]
    history = np.flatnonzero(world.risk.quarter_starts < world.cfg.snapshot)
    body, q = _full_panel(world, history[0], history[-1])
    out = {}
    for kind in ("complaint", "risk_alert", "media", "referral", "penalty", "accreditation_suspended", "blacklist"):
        counts = _counts(world, signals[signals["kind"] == kind], "observed_on")
        out[f"{kind} signals"] = (body, q, counts[body, q], ())
    cells = _cell_means(world, signals, "observed_on", {"severity": signals["severity"].to_numpy(dtype=float)})
    out["signal severity"] = (cells["body"], cells["q"], cells["severity"], ())
    return out


def _inspection_series(world) -> dict[str, tuple]:
    ins = world.tables()["inspections"]
    values = {
        "serious findings": ins["outcome"].isin(SERIOUS_OUTCOMES).to_numpy(dtype=float),
        "findings": ins["findings"].to_numpy(dtype=float),
        "problem certificates (share checked)": (
            ins["certs_with_problems"] / ins["certs_checked"].clip(lower=1)
        ).to_numpy(),
    }
    cells = _cell_means(world, ins, "inspected_on", values)
    return {name: (cells["body"], cells["q"], cells[name], ()) for name in values}


@pytest.fixture(scope="module")
def series(world_tenth):
    return {
        **_certificate_series(world_tenth),
        **_audit_series(world_tenth),
        **_signal_series(world_tenth),
        **_inspection_series(world_tenth),
    }


OBSERVABLES = [
    "certificates issued",
    "certificates suspended or withdrawn",
    "audit length (log hours / scheme norm)",
    "short audits (< 0.8 x scheme norm)",
    "missing check-in",
    "missing check-out",
    "check-in > 5 km",
    "check-in > 2 h late",
    "remote audits",
    "double booking",
    "complaint signals",
    "risk_alert signals",
    "media signals",
    "referral signals",
    "penalty signals",
    "accreditation_suspended signals",
    "blacklist signals",
    "signal severity",
    "serious findings",
    "findings",
    "problem certificates (share checked)",
]


@pytest.mark.parametrize("name", OBSERVABLES)
def test_an_observable_does_not_depend_on_the_next_quarters_risk(world_tenth, series, name):
    body, q, y, extra = series[name]
    r, n = partial_r(world_tenth.risk, body, q, y, extra)
    assert n >= MIN_CELLS, (name, n)
    assert abs(r) < LIMIT / np.sqrt(n), f"{name}: partial r {r:+.3f} with the next quarter's risk, n = {n}"


def test_every_observable_is_checked(series):
    assert set(series) == set(OBSERVABLES)


def test_the_check_flags_a_planted_look_ahead(world_tenth, series):
    risk = world_tenth.risk
    body, q, _, _ = series["complaint signals"]
    nxt = np.minimum(q + 1, risk.logit.shape[1] - 1)
    faint = 0.3 * risk.centered[body, nxt] + np.random.default_rng(0).normal(size=len(body))
    r, n = partial_r(risk, body, q, faint)
    assert r > LIMIT / np.sqrt(n), r
    # the certificates as they were issued before: each body's total fixed by its share of the stock,
    # then spread by weights exp(0.6 zc) normalised over the body's own window, later quarters included
    body, q, issued, size = series["certificates issued"]
    total = np.expm1(issued).sum() * world_tenth.bodies["_cert_share"].to_numpy()[body]  # shares sum to 1
    frame = pd.DataFrame({"body": body, "w": np.exp(0.6 * risk.centered[body, q])})
    spread = total * frame["w"] / frame.groupby("body")["w"].transform("sum")
    r, n = partial_r(risk, body, q, np.log1p(spread), size)
    assert r < -LIMIT / np.sqrt(n), r


# ------------------------------------------------------------------ status, on many bodies


@pytest.fixture(scope="module")
def registry():
    """Bodies, their risk and status history only: 4,000 bodies give the rare status changes some power."""
    cfg = SimConfig.from_scale(0.02, seed=5, n_bodies=4000)
    bodies = simulate_bodies(cfg)
    risk = simulate_latent_risk(cfg, bodies)
    status = simulate_status(cfg, bodies, risk)
    return cfg, bodies.assign(status=status["status"].to_numpy(), status_changed_on=status["status_changed_on"]), risk


def _shown_out_of_active(risk: LatentRisk, bodies: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per body and quarter q: 1 when the dated view at the end of q shows the body non-active."""
    rows = []
    for q in range(len(risk.quarter_starts) - 1):
        view = status_on(bodies, risk.quarter_starts[q + 1])
        exists = np.flatnonzero(~np.isnan(risk.centered[:, q]))
        rows.append((exists, np.full(len(exists), q), (view["status"].to_numpy()[exists] != "active").astype(float)))
    return tuple(np.concatenate(part) for part in zip(*rows))  # type: ignore[return-value]


def test_the_status_shown_on_a_date_does_not_depend_on_the_next_quarters_risk(registry):
    _, bodies, risk = registry
    body, q, shown = _shown_out_of_active(risk, bodies)
    assert shown.sum() > 1000  # body-quarters shown non-active
    r, n = partial_r(risk, body, q, shown)
    assert abs(r) < LIMIT / np.sqrt(n), r


def test_the_check_flags_the_snapshot_status_shown_on_every_date(registry):
    """The status as it was before it had a history: drawn from the risk at the snapshot, shown at every date."""
    cfg, bodies, risk = registry
    last = np.searchsorted(risk.quarter_starts, cfg.snapshot) - 1
    zc = np.nan_to_num(risk.centered[:, last], nan=-9.0)
    p = expit(-5.6 + 1.1 * zc) + expit(-5.4 + 1.0 * zc) + expit(-5.6 + 1.0 * zc)
    out = np.random.default_rng(1).uniform(size=len(bodies)) < p
    old = bodies.assign(status=np.where(out, "revoked", "active"), status_changed_on=pd.NaT)
    body, q, shown = _shown_out_of_active(risk, old)
    r, n = partial_r(risk, body, q, shown)
    assert r > LIMIT / np.sqrt(n), r
