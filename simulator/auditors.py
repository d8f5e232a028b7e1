"""Auditors (审核员) with a latent tendency to skip audits, and names lent to other bodies.

Each body's audits are worked by its own roster of auditors (``audits.py``);
this module gives every auditor two hidden traits, drawn from streams of
their own so that the rest of the simulated data changes as little as
possible:

- a **tendency to skip**: most auditors have none; a few (about 5 %, more at
  bodies of higher fixed risk) skip each audit with a probability between
  0.05 and 0.30. A skipped audit leaves the traces the check-ins already
  record for risky bodies: no check-in, a late or far check-in, no check-out,
  fewer hours than booked, or a ghost booking on the days of another audit;
- a **second body**: some auditors (half the skippers, 3 % of the others)
  lend their name to another body, which writes them on about a dozen of its
  audits a year. Those audits were scheduled in the other body's own roster,
  so they may overlap the auditor's own: a double booking across bodies.

An audit's anomalies follow the auditor named on it. Rows of auditors without
a tendency and not named on another body's audits are exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from .config import SimConfig
from .ids import make_ids

SKIPPER_SHARE = 0.05  # auditors with a tendency to skip, at a body of average fixed risk
SKIPPER_RISK_TILT = 0.5  # logit of the share per unit of the home body's fixed risk
SKIP_PROB = (0.05, 0.30)  # a skipper's chance to skip each audit: uniform in this range
LEND_PROB = {True: 0.5, False: 0.03}  # chance to lend one's name to a second body (skippers, others)
LENT_PER_YEAR = 12.0  # audits a year the second body writes the auditor's name on
# What a skipped audit leaves in the record (each independently):
SKIP_GHOST = 0.3  # booked on the days of the roster's previous audit (a ghost booking)
SKIP_NO_CHECKIN = 0.5
SKIP_NO_CHECKOUT = 0.5
SKIP_LATE = 0.5  # among skipped audits still checked in
SKIP_FAR = 0.5  # among skipped on-site audits still checked in
SKIP_HOURS = 0.6  # the hours recorded, relative to those booked


@dataclass(frozen=True)
class Auditors:
    """Hidden traits of every auditor (index ``i`` is ``auditor_id`` ``AD{i + 1}``)."""

    home: np.ndarray  # row of the body whose roster the auditor belongs to
    skip_prob: np.ndarray  # chance to skip each audit (0 for most)
    second: np.ndarray  # row of the body the auditor lends a name to, -1 for none
    lent: np.ndarray  # audits of the second body that name the auditor (over the audit window)

    def table(self, bodies: pd.DataFrame) -> pd.DataFrame:
        """The ground truth of the auditors, one row each."""
        ids = bodies["body_id"].to_numpy()
        return pd.DataFrame(
            {
                "auditor_id": make_ids("AD", np.arange(1, len(self.home) + 1), 6),
                "body_id": ids[self.home],
                "skip_prob": self.skip_prob,
                "skipper": self.skip_prob > 0,
                "second_body_id": pd.Series(
                    np.where(self.second >= 0, ids[np.maximum(self.second, 0)], ""), dtype="str"
                ),
            }
        )


def simulate_auditors(
    cfg: SimConfig, static_risk: np.ndarray, n_auditors: np.ndarray, counts: np.ndarray, years: float
) -> Auditors:
    """Traits of the auditors of every roster (``n_auditors`` per body, ``counts`` audits per body)."""
    rng = cfg.rng("auditor-traits")
    home = np.repeat(np.arange(len(n_auditors)), n_auditors)
    tilt = SKIPPER_RISK_TILT * (static_risk - static_risk.mean())
    skipper = rng.uniform(size=len(home)) < expit(logit(SKIPPER_SHARE) + tilt[home])
    skip_prob = np.where(skipper, rng.uniform(*SKIP_PROB, size=len(home)), 0.0)
    lends = rng.uniform(size=len(home)) < np.where(skipper, LEND_PROB[True], LEND_PROB[False])
    weights = counts.astype(float)
    second = np.full(len(home), -1, dtype=np.int64)
    if weights.sum() > 0:
        # a body borrows names in proportion to its audits (the lent share of each body's audits is alike)
        cum = np.cumsum(weights / weights.sum())
        pick = np.minimum(np.searchsorted(cum, rng.uniform(size=len(home)), side="right"), len(cum) - 1)
        second = np.where(lends & (pick != home), pick, -1)
    lent = np.where(second >= 0, rng.poisson(LENT_PER_YEAR * years, size=len(home)), 0)
    return Auditors(home=home, skip_prob=skip_prob, second=second, lent=lent)


def named_auditors(
    auditors: Auditors, body_idx: np.ndarray, roster: np.ndarray, lo: int, rng: np.random.Generator
) -> np.ndarray:
    """The auditor named on each audit of a chunk of bodies starting at row ``lo``.

    ``body_idx`` is sorted (each body's audits contiguous); ``roster`` is the
    auditor of the body's own roster who was scheduled. Audits picked for a
    lent name keep their schedule and name the lending auditor instead.
    """
    named = roster.copy()
    counts = np.bincount(body_idx - lo, minlength=0)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    mine = np.flatnonzero((auditors.second >= lo) & (auditors.second < lo + len(counts)))
    b = auditors.second[mine] - lo
    has_rows = counts[b] > 0
    mine, b = mine[has_rows], b[has_rows]
    k = auditors.lent[mine]
    size = np.repeat(counts[b], k)  # each lent audit: uniform among the second body's audits
    rows = np.repeat(offsets[b], k) + np.floor(rng.uniform(size=len(size)) * size).astype(np.int64)
    named[rows] = np.repeat(mine, k)
    return named


@dataclass(frozen=True)
class Skips:
    """What skipping did to each audit of a chunk (all False for audits not skipped)."""

    skipped: np.ndarray
    ghost: np.ndarray
    no_checkin: np.ndarray
    no_checkout: np.ndarray
    late: np.ndarray
    far: np.ndarray

    @property
    def hours_factor(self) -> np.ndarray:
        return np.where(self.skipped, SKIP_HOURS, 1.0)


def skips(auditors: Auditors, named: np.ndarray, rng: np.random.Generator) -> Skips:
    """Which audits the named auditor skips and the traces each leaves (a fixed number of draws per audit)."""
    u = rng.uniform(size=(6, len(named)))
    skipped = u[0] < auditors.skip_prob[named]
    return Skips(
        skipped=skipped,
        ghost=skipped & (u[1] < SKIP_GHOST),
        no_checkin=skipped & (u[2] < SKIP_NO_CHECKIN),
        no_checkout=skipped & (u[3] < SKIP_NO_CHECKOUT),
        late=skipped & (u[4] < SKIP_LATE),
        far=skipped & (u[5] < SKIP_FAR),
    )
