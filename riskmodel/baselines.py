"""Baselines the model must beat, each turned into a probability by a Platt fit
on the training rows so that its Brier score is comparable:

- equal probability: every body the same score (what an unweighted draw assumes);
- last outcome: the outcome of the body's last inspection (ties broken by its shrunk serious rate);
- points rule: a deduction scheme like the accreditation body's grading
  (start at 100; deductions for a serious last finding, penalties, complaints,
  alerts, newness, missing check-ins; direct triggers take 40 points).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.linear_model import LogisticRegression

BASELINES = ("equal_probability", "last_outcome", "points_rule")


def points_rule(X: pd.DataFrame) -> np.ndarray:
    """Points from 100 down (higher = better), like the accreditation body's grading."""
    points = 100.0 - 15 * (X["last_outcome_level"] >= 2) - np.minimum(10 * X["penalties_3y"], 30)
    points -= np.minimum(5 * X["complaints_12m"], 20) + np.minimum(5 * X["risk_alerts_12m"], 15)
    points -= 10 * X["newly_approved"] + 10 * (X["missing_checkin_rate"] > 0.08)
    points -= 40 * ((X["blacklisted_3y"] + X["unreachable_12m"] + X["accreditation_suspended_12m"]) > 0)
    return points.to_numpy(dtype=float)


def baseline_score(name: str, X: pd.DataFrame) -> np.ndarray:
    """Raw baseline score (higher = riskier)."""
    if name == "equal_probability":
        return np.zeros(len(X))
    if name == "last_outcome":
        return (X["last_outcome_level"] + 0.5 * X["serious_rate_eb"]).to_numpy(dtype=float)
    if name == "points_rule":
        return -points_rule(X)
    raise ValueError(f"`name` must be one of {', '.join(BASELINES)}; got {name!r}.")


def fit_baseline(name: str, X: pd.DataFrame, y: ArrayLike, w: ArrayLike) -> Callable[[pd.DataFrame], np.ndarray]:
    """A function X -> calibrated probability for the baseline ``name``."""
    score = baseline_score(name, X)
    if np.ptp(score) == 0:
        rate = float(np.average(np.asarray(y), weights=np.asarray(w)))
        return lambda Z: np.full(len(Z), rate)
    platt = LogisticRegression(C=1e6).fit(score[:, None], y, sample_weight=w)
    return lambda Z: platt.predict_proba(baseline_score(name, Z)[:, None])[:, 1]
