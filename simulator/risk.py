"""The latent risk of each body, drifting quarter by quarter (the ground truth).

On the logit scale: z[i, q] = base + body effect + field effects + newness
- CCC - accredited + x[i, q], where x is AR(1) with occasional shocks (a change
of management, a lost client base). ``sigmoid(z)`` is the true probability that
an inspection by an average team in quarter q finds a serious problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from .config import SimConfig

# Dates as the simulator passes them around: a DatetimeIndex or a datetime64 array.
Dates: TypeAlias = pd.DatetimeIndex | np.ndarray

AR_RHO = 0.85
AR_SD = 0.35
SHOCK_PROB = 0.02
SHOCK_SIZE = 1.8
NEW_BODY_EFFECT = 0.9  # logit bonus right after approval, decaying over ~1.5 years
CCC_EFFECT = -0.6
ACCREDITED_EFFECT = -0.3


@dataclass
class LatentRisk:
    """z[i, q] for every body i and quarter q; NaN before the body's approval."""

    quarter_starts: pd.DatetimeIndex
    logit: np.ndarray  # shape (n_bodies, n_quarters), base included
    base: float
    static: np.ndarray  # shape (n_bodies,): body effect + fields - CCC - accredited (fixed traits)
    level: np.ndarray  # shape (n_bodies, n_quarters): static + newness, the centred logit without its AR path

    @property
    def centered(self) -> np.ndarray:
        """Logit without the base: about zero on average, drives observables."""
        return self.logit - self.base

    @property
    def path(self) -> np.ndarray:
        """The AR(1) part x[i, q] of the centred logit (what drifts from quarter to quarter)."""
        return self.centered - self.level

    def quarter_index(self, dates: Dates) -> np.ndarray:
        """Index of the quarter each date falls in (clipped to the simulated span)."""
        idx = self.quarter_starts.searchsorted(pd.DatetimeIndex(dates), side="right") - 1
        return np.clip(idx, 0, len(self.quarter_starts) - 1)

    def at(self, body_idx: np.ndarray, dates: Dates, centered: bool = False) -> np.ndarray:
        z = self.centered if centered else self.logit
        return z[np.asarray(body_idx), self.quarter_index(dates)]

    def p_serious(self, body_idx: np.ndarray, dates: Dates) -> np.ndarray:
        return expit(self.at(body_idx, dates))


def _ar1_paths(n: int, q: int, rng: np.random.Generator) -> np.ndarray:
    x = np.empty((n, q))
    x[:, 0] = rng.normal(0.0, AR_SD / np.sqrt(1 - AR_RHO**2), size=n)
    shocks = (rng.uniform(size=(n, q)) < SHOCK_PROB) * SHOCK_SIZE
    eps = rng.normal(0.0, AR_SD, size=(n, q)) + shocks
    for t in range(1, q):
        x[:, t] = AR_RHO * x[:, t - 1] + eps[:, t]
    return x


def simulate_latent_risk(cfg: SimConfig, bodies: pd.DataFrame) -> LatentRisk:
    rng = cfg.rng("latent-risk")
    starts = cfg.quarter_starts
    n, q = len(bodies), len(starts)
    approved = bodies["approved_on"].values
    age_years = (starts.values[None, :] - approved[:, None]) / np.timedelta64(1, "D") / 365.25
    static = (
        bodies["_body_effect"].values
        + bodies["_field_risk"].values
        + CCC_EFFECT * bodies["ccc_designated"].values
        + ACCREDITED_EFFECT * bodies["accredited"].values
    )
    level = static[:, None] + NEW_BODY_EFFECT * np.exp(-np.clip(age_years, 0, None) / 1.5)
    exists = age_years > -0.25  # approved before the quarter ends
    level = np.where(exists, level, np.nan)
    z = level + _ar1_paths(n, q, rng)
    history = starts < cfg.snapshot
    target = cfg.equal_prob_serious_rate
    sample = z[:, history][exists[:, history]]
    base = brentq(lambda b: expit(sample + b).mean() - target, -10, 10)
    return LatentRisk(quarter_starts=starts, logit=z + base, base=float(base), static=static, level=level)
