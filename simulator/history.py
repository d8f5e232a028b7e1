"""Eight years of inspections under a realistic past policy.

Each quarter the past regulator
- drew bodies at random among those neither revoked nor suspended by then,
  with probability proportional to a points rule (new bodies x2, a serious
  finding in the last two years x3, a complaint in the last year x2) by
  randomised systematic pi-ps sampling, so each recorded ``inclusion_prob`` is
  the design's true one; CCC-designated bodies were all inspected in the
  second quarter of each year (probability 1, on top);
- followed up complaints and referrals (kind ``complaint``) and monitoring
  alerts or earlier serious findings (kind ``targeted``), with no inclusion
  probability.
Findings depend on the latent risk and on the randomly drawn team's stringency.
Serious findings lead to penalties and, for severe ones, blacklisting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from features.codes import NATIONAL, SERIOUS_OUTCOMES

from .config import SimConfig
from .outcomes import draw_outcomes
from .risk import LatentRisk
from .signals import signal_rows
from .status import stopped_before

FOLLOW_COMPLAINT = 0.2  # share of complaints / referrals of severity >= 2 followed by an inspection
FOLLOW_ALERT = 0.3
FOLLOW_SERIOUS = 0.25


@dataclass
class Context:
    """What inspections need to know about the simulated system."""

    cfg: SimConfig
    bodies: pd.DataFrame
    risk: LatentRisk
    inspectors: pd.DataFrame
    certs_held: np.ndarray

    def __post_init__(self) -> None:
        active = self.inspectors[self.inspectors["active"]]
        self._pools = {p: g.index.values for p, g in active.groupby("province")}
        self._national = self._pools.get(NATIONAL, np.array([], dtype=int))


# The past policy's own design, independent of `sampling` (see past_policy_draw).
def inclusion_probabilities(size: np.ndarray, n: int) -> np.ndarray:
    """pi proportional to size, capped at 1, summing to n (iterative capping)."""
    pi = np.zeros(len(size))
    certain = np.zeros(len(size), dtype=bool)
    while True:
        rest = n - certain.sum()
        pi[~certain] = rest * size[~certain] / size[~certain].sum()
        over = ~certain & (pi >= 1)
        if not over.any():
            pi[certain] = 1.0
            return pi
        certain |= over


def systematic_draw(pi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Randomised systematic pi-ps: random order, one random start; exact pi."""
    order = rng.permutation(len(pi))
    cum = np.cumsum(pi[order])
    points = rng.uniform() + np.arange(int(round(pi.sum())))
    hits = np.searchsorted(cum, points, side="right")
    chosen = np.zeros(len(pi), dtype=bool)
    chosen[order[hits[hits < len(pi)]]] = True
    return chosen


def random_teams(ctx: Context, body_idx: np.ndarray, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Teams of 2-3 active inspectors of the body's province and SAMR (past practice)."""
    ids = ctx.inspectors["inspector_id"].to_numpy(dtype=object)  # plain objects: cheap per-team indexing
    strict = ctx.inspectors["_stringency"].to_numpy()
    provinces = ctx.bodies["province"].to_numpy(dtype=object)[body_idx]
    teams, stringency = [], np.zeros(len(body_idx))
    for k, prov in enumerate(provinces):
        pool = np.concatenate([ctx._pools.get(prov, np.array([], dtype=int)), ctx._national])
        members = rng.choice(pool, size=min(len(pool), 2 + rng.binomial(1, 0.3)), replace=False)
        teams.append(";".join(ids[members]))
        stringency[k] = strict[members].mean()
    return teams, stringency


# The handling decision a past regulator recorded after each outcome (free text, as published).
DECISIONS = {"none": "无需处理", "general": "责令整改", "major": "责令限期整改", "severe": "立案调查"}


def recorded_by(ctx: Context, teams: pd.Series, outcomes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Who entered each record and the decision recorded (谁检查、谁录入): the unit of the team's first
    inspector (missing without a team) and the decision of its outcome; no randomness is used."""
    units = dict(zip(ctx.inspectors["inspector_id"], ctx.inspectors["unit"]))
    first = [units.get(t.split(";")[0]) if isinstance(t, str) else None for t in teams]
    entered = pd.Series(first, index=teams.index, dtype="str")
    return entered, pd.Series(outcomes.map(DECISIONS).to_numpy(dtype=object), index=outcomes.index, dtype="str")


def team_stringency(ctx: Context, teams: Sequence[str]) -> np.ndarray:
    """The mean stringency of each ``;``-joined team (an unknown inspector counts as 0; no team is 0)."""
    strict = dict(zip(ctx.inspectors["inspector_id"], ctx.inspectors["_stringency"].to_numpy(dtype=float)))
    return np.array([np.mean([strict.get(i, 0.0) for i in t.split(";")]) if t else 0.0 for t in teams], dtype=float)


def inspect(
    ctx: Context,
    body_idx: npt.ArrayLike,
    dates: npt.ArrayLike,
    kind: str,
    rng: np.random.Generator,
    inclusion_prob: npt.ArrayLike | None = None,
    draw_id: str | None = None,
    teams: Sequence[str] | None = None,
    listed: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Inspection rows (without ids) for the given bodies and dates (``listed``: certificates to check per body)."""
    body_idx = np.asarray(body_idx, dtype=np.int64)
    dates = pd.DatetimeIndex(dates).normalize().as_unit("ns")
    if teams is None:
        teams, stringency = random_teams(ctx, body_idx, rng)
    else:
        stringency = team_stringency(ctx, teams)
    z = ctx.risk.at(body_idx, dates)
    zc = ctx.risk.at(body_idx, dates, centered=True)
    found = draw_outcomes(
        z, zc, stringency, ctx.certs_held[body_idx], rng, None if listed is None else np.asarray(listed)
    )
    n = len(body_idx)
    rows = pd.DataFrame(
        {
            "body_id": ctx.bodies["body_id"].values[body_idx],
            "inspected_on": dates,
            "kind": pd.Series([kind] * n, dtype="str"),
            "inclusion_prob": np.full(n, np.nan) if inclusion_prob is None else np.asarray(inclusion_prob, float),
            "draw_id": pd.Series([draw_id] * n, dtype="str"),
            "inspector_ids": pd.Series(teams, dtype="str"),
        }
    )
    rows = pd.concat([rows, found], axis=1)
    rows["entered_by"], rows["decision"] = recorded_by(ctx, rows["inspector_ids"], rows["outcome"])
    rows["_stringency"] = stringency
    rows["_p_serious"] = 1 / (1 + np.exp(-z))
    return rows


def consequences(ctx: Context, done: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Penalties after serious findings, blacklisting after some severe ones."""
    idx = pd.Index(ctx.bodies["body_id"]).get_indexer(done["body_id"])
    serious = done["outcome"].isin(SERIOUS_OUTCOMES).values
    penalty = serious & (rng.uniform(size=len(done)) < 0.5)
    blacklist = (done["outcome"].values == "severe") & (rng.uniform(size=len(done)) < 0.08)
    parts = []
    for mask, kind, lag in ((penalty, "penalty", (15, 90)), (blacklist, "blacklist", (30, 150))):
        dates = done["inspected_on"].values[mask] + rng.integers(*lag, size=mask.sum()).astype("timedelta64[D]")
        zc = ctx.risk.at(idx[mask], dates, centered=True)
        rows = signal_rows(idx[mask], dates, [kind] * mask.sum(), zc, ctx.bodies, rng)
        rows["severity"] = np.maximum(rows["severity"].values, 2)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


def background_inspections(
    ctx: Context, q_start: pd.Timestamp, signals: pd.DataFrame, past: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Complaint-driven and targeted inspections of one quarter (policy independent)."""
    q_end = q_start + pd.DateOffset(months=3)
    in_q = signals[(signals["observed_on"] >= q_start) & (signals["observed_on"] < q_end)]
    lead = in_q["kind"].isin(["complaint", "referral"]) & (in_q["severity"] >= 2)
    follow = lead & (rng.uniform(size=len(in_q)) < FOLLOW_COMPLAINT)
    alert = (in_q["kind"] == "risk_alert") & (rng.uniform(size=len(in_q)) < FOLLOW_ALERT)
    serious_before = past[
        past["outcome"].isin(SERIOUS_OUTCOMES)
        & (past["inspected_on"] >= q_start - pd.DateOffset(months=12))
        & (past["inspected_on"] < q_start - pd.DateOffset(months=6))
    ]
    again = serious_before[rng.uniform(size=len(serious_before)) < FOLLOW_SERIOUS]
    body_index = pd.Index(ctx.bodies["body_id"])
    lag = lambda k: rng.integers(10, 60, size=k).astype("timedelta64[D]")  # noqa: E731
    parts = [
        inspect(
            ctx,
            body_index.get_indexer(in_q["body_id"][follow]),
            in_q["observed_on"][follow].values + lag(follow.sum()),
            "complaint",
            rng,
        ),
        inspect(
            ctx,
            body_index.get_indexer(in_q["body_id"][alert]),
            in_q["observed_on"][alert].values + lag(alert.sum()),
            "targeted",
            rng,
        ),
        inspect(ctx, body_index.get_indexer(again["body_id"]), q_start + lag(len(again)), "targeted", rng),
    ]
    return pd.concat(parts, ignore_index=True)


# Deliberately independent of the `sampling` package (as are inclusion_probabilities
# and systematic_draw above): the ground truth must not share code with the
# engine's draw, so the engine's estimators are tested against an independent
# design. And its simple points rule is the regulator's *past* policy, not today's.
def past_policy_draw(
    ctx: Context, q_start: pd.Timestamp, signals: pd.DataFrame, past: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The past regulator's random draw of one quarter (points-rule pi-ps)."""
    cfg, bodies = ctx.cfg, ctx.bodies
    approved = bodies["approved_on"].values < np.datetime64(q_start, "ns")
    in_frame = np.flatnonzero(approved & ~stopped_before(bodies, q_start))  # revoked, suspended: out of its frame
    index = pd.Index(bodies["body_id"])
    age = (q_start - pd.DatetimeIndex(bodies["approved_on"].values[in_frame])).days / 365.25
    recent_serious = past[  # a follow-up of last quarter's signals may fall after q_start: not known yet
        past["outcome"].isin(SERIOUS_OUTCOMES)
        & (past["inspected_on"] >= q_start - pd.DateOffset(years=2))
        & (past["inspected_on"] < q_start)
    ]
    recent_complaint = signals[
        signals["kind"].isin(["complaint", "referral"])
        & (signals["observed_on"] >= q_start - pd.DateOffset(years=1))
        & (signals["observed_on"] < q_start)
    ]
    size = (
        np.where(age < 2, 2.0, 1.0)
        * np.where(np.isin(in_frame, index.get_indexer(recent_serious["body_id"].unique())), 3.0, 1.0)
        * np.where(np.isin(in_frame, index.get_indexer(recent_complaint["body_id"].unique())), 2.0, 1.0)
    )
    n = max(1, round(cfg.past_random_share_per_quarter * len(in_frame)))
    ccc_round = q_start.month == 4
    certain = bodies["ccc_designated"].values[in_frame] & ccc_round
    pi = np.ones(len(in_frame))
    pi[~certain] = inclusion_probabilities(size[~certain], min(n, int((~certain).sum())))
    chosen = systematic_draw(pi, rng) | certain
    days = (rng.uniform(size=chosen.sum()) * 88).astype("timedelta64[D]")
    draw_id = f"H{q_start.year}Q{(q_start.month - 1) // 3 + 1}"
    return inspect(ctx, in_frame[chosen], np.datetime64(q_start, "ns") + days, "random", rng, pi[chosen], draw_id)
