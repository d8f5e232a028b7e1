"""Confidence intervals of the estimates (docs/estimation.md, section 3).

``"normal"`` and ``"t"`` are symmetric (``"t"`` falls back to the normal
quantile below one degree of freedom); ``"log"`` is ``est * exp(+- z se / est)``
for totals of counts; ``"logit"`` is normal on the logit scale; ``"beta"`` is
Korn & Graubard (1998) applied to the random part of the sample only.

Certainties and the beta interval. A rate ``R = (Y_c + Y_r) / (N_c + N_r)``
mixes the certainties' known outcomes (``Y_c`` positives among ``N_c``
certainties, no sampling error) with the Hajek estimate of the random units
(weights ``1 / pi`` summing to ``N_r``). Written as ``R = known + share R_r``
(:class:`RandomPart`), only ``R_r`` is uncertain; its standard error is
``se / share`` and its effective size ``R_r (1 - R_r) / (se / share)^2``
(the number of random units when ``R_r`` is 0 or 1). The Clopper-Pearson interval of
``R_r`` at that size (0 to ``1 - (alpha/2)^(1/n)`` at zero positives) is
mapped back through ``known + share [low, high]``, so the interval never
leaves ``[known, known + share]``, the range the certainties' outcomes allow.
Without certainties (``known = 0``, ``share = 1``) this is R
``survey::svyciprop(method = "beta")``.

``"jeffreys"`` (the default of the rate tables) keeps that construction with
three changes, for small domains: the effective size is deflated by
``(z / t_df)^2``, Korn & Graubard's degrees-of-freedom adjustment with ``df``
the domain's own (its random units minus the draws they fall in), because a
variance estimated from a dozen units is itself uncertain and too small on
average; it is then capped at the number of random units (as the NCHS
presentation standard does, Parker et al. 2017), because a few positives
among high-probability units give a tiny standard error and an effective
size of hundreds from twenty inspections; and the limits are Jeffreys'
(``Beta(x + 1/2, n - x + 1/2)`` quantiles; 0 at zero positives, 1 at all
positive) instead of Clopper-Pearson's, whose exact-tail construction
over-covers at a few expected positives (Brown, Cai & DasGupta 2001).
docs/estimation.md section 4 gives the simulation behind the choice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import expit, logit, ndtri

from .variance import certain

__all__ = ["RandomPart", "clopper_pearson", "df_factor", "interval", "jeffreys", "korn_graubard", "random_part"]


@dataclass(frozen=True)
class RandomPart:
    """How a rate splits into the certainties' known share and the random units' estimate.

    ``R = known + share * R_r``: ``known = Y_c / N_hat`` (certainties' positives
    over the estimated domain size), ``share = N_r / N_hat`` (the random units'
    weight share) and ``n_random`` the number of random units (pi < 1), the
    effective size at 0 or 1 positives.
    """

    known: float
    share: float
    n_random: int

    @classmethod
    def none(cls, n: int) -> RandomPart:
        """No certainties: the whole rate is random (R's Korn-Graubard)."""
        return cls(0.0, 1.0, n)


def random_part(y: np.ndarray, pi: np.ndarray) -> RandomPart:
    """The :class:`RandomPart` of a Hajek rate over the units `y`, `pi` (one domain)."""
    cert = certain(pi)
    weights = 1.0 / pi
    n_hat = float(np.sum(weights))
    known = float(np.sum(y[cert])) / n_hat
    share = float(np.sum(weights[~cert])) / n_hat
    return RandomPart(known, share, int(np.count_nonzero(~cert)))


def interval(
    est: float, se: float, n: int, df: float, ci: str, level: float, part: RandomPart | None = None
) -> tuple[float, float]:
    """Confidence interval of the given kind; `part` (default: no certainties among the `n` units) for the beta kinds."""
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
    part = RandomPart.none(n) if part is None else part
    if ci == "jeffreys":
        return korn_graubard(est, se, part, alpha, capped=True, df=df)
    return korn_graubard(est, se, part, alpha)


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


def korn_graubard(
    est: float, se: float, part: RandomPart, alpha: float, *, capped: bool = False, df: float = math.inf
) -> tuple[float, float]:
    """Korn-Graubard interval of the random part of the rate, mapped back (see the module docstring).

    ``capped``: the effective size deflated by ``(z / t_df)^2`` (at ``df >= 1``), then at most the random
    units, with Jeffreys limits (``ci="jeffreys"``).
    """
    if part.n_random == 0 or part.share <= 0:
        return est, est  # a census of the domain: no sampling error
    p = min(max((est - part.known) / part.share, 0.0), 1.0)
    n_eff = _effective_size(p, se / part.share, part)
    if capped:
        low, high = jeffreys(p, min(n_eff * df_factor(df, alpha), float(part.n_random)), alpha)
    else:
        low, high = clopper_pearson(p, n_eff, alpha)
    return part.known + part.share * low, part.known + part.share * high


def df_factor(df: float, alpha: float) -> float:
    """Korn & Graubard's ``(z / t_df)^2`` at level ``1 - alpha``; 1 below one degree of freedom or at infinity.

    >>> round(df_factor(11, 0.05), 4)  # (1.959964 / 2.200985)^2
    0.793
    """
    if not df >= 1 or math.isinf(df):
        return 1.0
    return float((ndtri(1 - alpha / 2) / stats.t.ppf(1 - alpha / 2, df)) ** 2)


def _effective_size(p: float, se: float, part: RandomPart) -> float:
    """Korn-Graubard's ``p (1 - p) / se^2`` (the random units' count at p = 0 or 1).

    Not capped here: ``"beta"`` is R's; ``"jeffreys"`` caps it (with Jeffreys limits, as the cap with
    Clopper-Pearson limits over-covered every domain in the simulation, 96-99 %).
    """
    if se > 0 and 0 < p < 1:
        return p * (1 - p) / se**2
    return float(part.n_random)


def clopper_pearson(p: float, n_eff: float, alpha: float) -> tuple[float, float]:
    """Clopper-Pearson limits for ``x = n_eff p`` positives among ``n_eff`` (a real number)."""
    x = n_eff * p
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, x, n_eff - x + 1))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, x + 1, n_eff - x))
    return low, high


def jeffreys(p: float, n_eff: float, alpha: float) -> tuple[float, float]:
    """Jeffreys limits for ``x = n_eff p`` positives among ``n_eff``: 0 at ``x = 0``, 1 at ``x = n_eff``.

    >>> [round(v, 4) for v in jeffreys(0.0, 19, 0.05)]
    [0.0, 0.1223]
    """
    x = n_eff * p
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, x + 0.5, n_eff - x + 0.5))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, x + 0.5, n_eff - x + 0.5))
    return low, high
