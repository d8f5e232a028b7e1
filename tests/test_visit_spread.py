"""A visit's shared spread (riskmodel.visit_spread): recovered on data of its own model, and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from riskmodel.visit_spread import fit_visit_spread

BODIES, VISITS = 250, 6


def _visits(inspector_sd: float, bad_day_sd: float, seed: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three kinds of finding at six visits of each body: body level (SD 0.9, a loading per kind), one inspector of
    30 drawn for each visit, the body's bad day, a year intercept; a tenth of the second kind not recorded."""
    rng = np.random.default_rng(seed)
    body = np.repeat(np.arange(BODIES), VISITS)
    year = np.tile(np.arange(VISITS) % 3, BODIES)
    strict = rng.normal(0, inspector_sd, 30)[rng.integers(0, 30, len(body))]
    shared = strict + rng.normal(0, bad_day_sd, len(body))
    level = 0.9 * rng.normal(size=BODIES)[body]
    eta = np.array([0.8, -1.0, -0.3]) + 0.3 * year[:, None] + np.outer(level, [1.0, 0.7, 1.2]) + shared[:, None]
    found = (rng.uniform(size=eta.shape) < expit(eta)).astype(float)
    found[rng.uniform(size=len(body)) < 0.1, 1] = np.nan
    return body, found, year


def test_the_visit_spread_is_recovered_and_bounds_the_inspector_spread():
    """The profile interval holds the true visit spread (inspector and bad day together, sqrt(0.5^2 + 0.4^2)),
    and its upper end is above the inspector spread alone: what a visit shares bounds who made it."""
    body, found, year = _visits(inspector_sd=0.5, bad_day_sd=0.4)
    fit = fit_visit_spread(body, found, year, kinds=["minor", "major", "severe"])
    assert fit.sigma_visit_low < np.hypot(0.5, 0.4) < fit.sigma_visit_high
    assert fit.sigma_visit_low < fit.sigma_visit < fit.sigma_visit_high
    assert fit.loadings[0] == 1 and list(fit.intercepts.columns) == ["minor", "major", "severe"]
    assert fit.summary()["visits"] == BODIES * VISITS and fit.summary()["bodies"] == BODIES


def test_without_a_shared_visit_effect_the_interval_starts_at_zero():
    body, found, year = _visits(inspector_sd=0.0, bad_day_sd=0.0)
    fit = fit_visit_spread(body, found, year)
    assert fit.sigma_visit_low == 0 < fit.sigma_visit_high  # the interval holds the truth, 0


def test_unusable_findings_are_refused_in_words():
    with pytest.raises(ValueError, match="at least two kinds of finding .*; got 1"):
        fit_visit_spread(["a", "b"], [[1.0], [0.0]])
    with pytest.raises(ValueError, match="one row per visit; `y` has 2"):
        fit_visit_spread(["a"], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="one row per visit; `y` has 2"):
        fit_visit_spread(["a", "b"], [[1.0, 0.0], [0.0, 1.0]], strata=[2020])
    with pytest.raises(ValueError, match=r"`y` must hold 0, 1 or NaN \(not recorded\)"):
        fit_visit_spread(["a", "b"], [[1.0, 2.0], [0.0, 1.0]])
