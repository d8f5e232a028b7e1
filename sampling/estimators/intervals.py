"""Confidence intervals of the estimates (docs/estimation.md, sections 5 and 6).

``"normal"`` and ``"t"`` are symmetric (``"t"`` falls back to the normal
quantile below one degree of freedom); ``"log"`` is ``est * exp(+- z se / est)``
for totals of counts; ``"logit"`` is normal on the logit scale; ``"beta"`` is
Korn & Graubard (1998), as R ``survey::svyciprop(method = "beta")``.
"""

from __future__ import annotations

import math

from scipy import stats
from scipy.special import expit, logit, ndtri

__all__ = ["interval", "korn_graubard"]


def interval(est: float, se: float, n: int, df: float, ci: str, level: float) -> tuple[float, float]:
    """Confidence interval of the given kind (see docs/estimation.md, section 5)."""
    alpha = 1.0 - level
    if not math.isfinite(est):
        return math.nan, math.nan
    if ci == "normal" or (ci == "t" and df < 1):
        half = float(ndtri(1 - alpha / 2)) * se
        return est - half, est + half
    if ci == "t":
        half = float(stats.t.ppf(1 - alpha / 2, df)) * se
        return est - half, est + half
    if ci == "log":
        return _log_interval(est, se, alpha)
    if ci == "logit":
        return _logit_interval(est, se, alpha)
    return korn_graubard(est, se, n, alpha)


def _log_interval(est: float, se: float, alpha: float) -> tuple[float, float]:
    """Normal on the log scale; degenerate at a zero standard error or an estimate <= 0."""
    if se == 0 or est <= 0:
        return est, est
    factor = math.exp(float(ndtri(1 - alpha / 2)) * se / est)
    return est / factor, est * factor


def _logit_interval(est: float, se: float, alpha: float) -> tuple[float, float]:
    """Normal on the logit scale, back-transformed; degenerate at an estimate of 0 or 1."""
    if se == 0 or est <= 0 or est >= 1:
        return est, est
    half = float(ndtri(1 - alpha / 2)) * se / (est * (1 - est))
    centre = float(logit(est))
    return float(expit(centre - half)), float(expit(centre + half))


def korn_graubard(est: float, se: float, n: int, alpha: float) -> tuple[float, float]:
    """Clopper-Pearson interval at the effective sample size ``p (1 - p) / se^2`` (``n`` at p = 0 or 1)."""
    # Korn & Graubard (1998), as R survey::svyciprop(method = "beta")
    p = min(max(est, 0.0), 1.0)
    n_eff = p * (1 - p) / se**2 if se > 0 and 0 < p < 1 else float(n)
    x = n_eff * p
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, x, n_eff - x + 1))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, x + 1, n_eff - x))
    return low, high
