"""How much one visit's findings move together beyond the body: an upper bound on the inspector spread.

Where inspector ids are not recorded (the city data of ``docs/real-data.md``)
the inspector effect of :mod:`riskmodel.stringency` cannot be estimated. What
can be estimated is the spread of everything a visit shares across its kinds
of finding. For visit ``v`` of body ``i`` (in stratum ``t``, e.g. the year) and
kind of finding ``c`` (minor, major, severe)::

    logit P(y_vc = 1) = a_ct + lambda_c sigma_body u_i + sigma_visit e_v,    u_i, e_v ~ N(0, 1)

``lambda_1 = 1``; the other loadings are free (a risky body may be risky for
severe findings more than for minor ones). The visit effect loads equally on
every kind: the assumption of :mod:`riskmodel.stringency` that an inspector
who finds more finds more of every kind by the same log-odds. A visit's
inspector is one source of ``e_v``; the body's bad day and its drift over the
years are others. Hence, for visits made by one inspector, the inspector
spread is at most ``sigma_visit`` (and a team of ``k`` inspectors drawn at
random has a spread ``sigma / sqrt(k)`` of at most ``sigma_visit``).

Maximum likelihood, the two integrals by quadrature: Gauss-Hermite over
``e_v`` inside each visit, a fine grid over ``u_i`` for each body (a body with
many visits has a narrow posterior). Visits with the same stratum and the same
findings share their inner integrals, so the cost grows with the number of
bodies, not of visits. The interval of ``sigma_visit`` is the profile-likelihood
interval (deviance below the 95 % point of chi-square(1)); at the boundary 0 it
is one-sided in effect, and conservative.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import brentq, minimize
from scipy.special import expit, log_expit, logsumexp

CHI2_95 = 3.841458820694124  # 95 % point of chi-square with 1 degree of freedom
FLOOR = 0.01  # a visit spread below this is reported as its lower limit 0
PROFILE_STEP = 0.3  # steps of log sigma_visit while bracketing a profile limit
VISIT_NODES = 20  # Gauss-Hermite nodes over the visit effect
BODY_GRID = np.linspace(-6.0, 6.0, 161)  # grid over the body effect (standard normal units)


@dataclass(frozen=True)
class VisitSpread:
    """The fitted spreads, loadings and intercepts, with the profile-likelihood interval of ``sigma_visit``."""

    sigma_visit: float
    sigma_visit_low: float
    sigma_visit_high: float
    sigma_body: float
    loadings: np.ndarray
    intercepts: pd.DataFrame
    loglik: float
    visits: int
    bodies: int

    def summary(self) -> dict[str, float | int]:
        """The figures to report, rounded."""
        return {
            "visits": self.visits,
            "bodies": self.bodies,
            "sigma_visit": round(self.sigma_visit, 3),
            "sigma_visit_low": round(self.sigma_visit_low, 3),
            "sigma_visit_high": round(self.sigma_visit_high, 3),
            "sigma_body": round(self.sigma_body, 3),
            "loglik": round(self.loglik, 1),
        }


@dataclass(frozen=True)
class _Cells:
    """Visits collapsed: the distinct (stratum, findings) cells and how many visits of each body fall in each."""

    y: np.ndarray  # cells x kinds, 0/1, NaN where not observed
    stratum: np.ndarray  # cells
    counts: np.ndarray  # bodies x cells
    n_strata: int


def _cells(groups: ArrayLike, y: np.ndarray, strata: ArrayLike | None) -> _Cells:
    n, kinds = y.shape
    stratum = np.zeros(n, dtype=np.int64) if strata is None else pd.factorize(np.asarray(strata))[0]
    body = pd.factorize(np.asarray(groups))[0]
    code = np.where(np.isnan(y), 2, y).astype(np.int64) @ (3 ** np.arange(kinds)) + stratum * 3**kinds
    cell, first = np.unique(code, return_index=True)
    index = np.searchsorted(cell, code)
    counts = np.zeros((body.max() + 1, len(cell)))
    np.add.at(counts, (body, index), 1.0)
    return _Cells(y[first], stratum[first], counts, int(stratum.max()) + 1)


def _unpack(theta: np.ndarray, kinds: int, n_strata: int) -> tuple[np.ndarray, np.ndarray, float]:
    a = theta[: kinds * n_strata].reshape(kinds, n_strata)
    log_body, lam, log_visit = theta[kinds * n_strata], theta[kinds * n_strata + 1 : -1], theta[-1]
    beta = np.exp(log_body) * np.concatenate([[1.0], lam])
    return a, beta, float(np.exp(log_visit))


def _loglik(theta: np.ndarray, c: _Cells, gradient: bool = True) -> tuple[float, np.ndarray]:
    """Minus the log-likelihood and its gradient in ``theta`` (intercepts, log sigma_body, loadings, log sigma_visit)."""
    kinds = c.y.shape[1]
    a, beta, s = _unpack(theta, kinds, c.n_strata)
    z, w = np.polynomial.hermite_e.hermegauss(VISIT_NODES)
    log_w = np.log(w / w.sum())
    log_wu = -0.5 * BODY_GRID**2 - logsumexp(-0.5 * BODY_GRID**2)
    # eta[cell, kind, k (body node), m (visit node)]
    eta = (a[:, c.stratum].T)[:, :, None, None] + beta[None, :, None, None] * BODY_GRID[None, None, :, None]
    eta = eta + s * z[None, None, None, :]
    seen = ~np.isnan(c.y)
    yy = np.where(seen, c.y, 0.0)[:, :, None, None]
    g = np.where(seen[:, :, None, None], log_expit(eta) - (1 - yy) * eta, 0.0)  # log P(y | eta)
    inner = g.sum(axis=1) + log_w  # cells x K x M
    ell = logsumexp(inner, axis=2)  # log inner integral, cells x K
    S = c.counts @ ell + log_wu  # bodies x K
    per_body = logsumexp(S, axis=1)
    value = float(per_body.sum())
    if not gradient:
        return -value, np.empty(0)
    pi = np.exp(S - per_body[:, None])  # posterior weights over the body grid
    M = c.counts.T @ pi  # cells x K
    rho = np.exp(inner - ell[:, :, None])  # posterior weights over the visit nodes
    r = np.where(seen[:, :, None, None], yy - expit(eta), 0.0) * (M[:, None, :, None] * rho[:, None, :, :])
    d_a = np.zeros((kinds, c.n_strata))
    np.add.at(d_a.T, c.stratum, r.sum(axis=(2, 3)))
    d_beta = np.einsum("jckm,k->c", r, BODY_GRID)
    d_s = float(np.einsum("jckm,m->", r, z))
    d_log_body = float(d_beta @ beta)
    d_lam = d_beta[1:] * beta[0]
    grad = np.concatenate([d_a.ravel(), [d_log_body], d_lam, [d_s * s]])
    return -value, -grad


def _optimise(c: _Cells, start: np.ndarray, log_visit: float | None = None) -> tuple[np.ndarray, float]:
    """The maximum-likelihood parameters from ``start`` (with ``log sigma_visit`` held fixed if given) and the
    log-likelihood there."""
    if log_visit is None:
        found = minimize(_loglik, start, args=(c,), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
        return found.x, -float(found.fun)

    def held(t: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = _loglik(np.append(t, log_visit), c)
        return value, grad[:-1]

    found = minimize(held, start[:-1], jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return np.append(found.x, log_visit), -float(found.fun)


def _profile_limit(c: _Cells, theta: np.ndarray, best: float, direction: float) -> float:
    """Where the profile deviance of ``log sigma_visit`` reaches the 95 % point of chi-square(1), on one side of
    the maximum (``direction`` +1 or -1); 0 below when it never does above :data:`FLOOR`."""
    fits = {float(theta[-1]): theta}

    def deviance(log_visit: float) -> float:
        nearest = fits[min(fits, key=lambda k: abs(k - log_visit))]
        fitted, value = _optimise(c, nearest, log_visit)
        fits[log_visit] = fitted
        return 2.0 * (best - value) - CHI2_95

    inside = max(float(theta[-1]), np.log(FLOOR))
    for _ in range(40):
        outside = inside + direction * PROFILE_STEP
        if direction < 0 and outside < np.log(FLOOR):
            return 0.0 if deviance(np.log(FLOOR)) < 0 else float(np.exp(brentq(deviance, np.log(FLOOR), inside)))
        if deviance(outside) > 0:
            low, high = sorted((inside, outside))
            return float(np.exp(brentq(deviance, low, high, xtol=0.005)))
        inside = outside
    return float("inf")


def fit_visit_spread(
    groups: ArrayLike,
    y: ArrayLike,
    strata: ArrayLike | None = None,
    *,
    kinds: list[str] | None = None,
    interval: bool = True,
) -> VisitSpread:
    """Fit the model of the module's docstring by maximum likelihood, with the profile-likelihood 95 % interval
    of ``sigma_visit`` (``interval=False``: without it, NaN).

    ``groups``: the body of each visit; ``y``: visits x kinds of finding, 1 when
    that kind was found, 0 when not, NaN when not recorded; ``strata``: an
    intercept per kind and stratum (e.g. the year, so that a trend of the whole
    city is not read as spread); ``kinds``: names of the columns of ``y``.

    >>> fit_visit_spread(["a", "b"], [[1.0], [0.0]])
    Traceback (most recent call last):
    ValueError: `y` needs at least two kinds of finding (columns) to tell a visit's spread from the body's; got 1.
    """
    Y = np.asarray(y, dtype=float)
    if Y.ndim != 2 or Y.shape[1] < 2:
        got = Y.shape[1] if Y.ndim == 2 else Y.ndim
        raise ValueError(
            f"`y` needs at least two kinds of finding (columns) to tell a visit's spread from the body's; got {got}."
        )
    if len(np.asarray(groups)) != len(Y) or (strata is not None and len(np.asarray(strata)) != len(Y)):
        raise ValueError(f"`groups`, `y` and `strata` must have one row per visit; `y` has {len(Y)}.")
    if not np.all(np.isnan(Y) | (Y == 0) | (Y == 1)):
        raise ValueError("`y` must hold 0, 1 or NaN (not recorded).")
    c = _cells(groups, Y, strata)
    n_kinds = Y.shape[1]
    rate = np.clip(np.nanmean(Y, axis=0), 0.01, 0.99)
    start = np.concatenate([np.repeat(np.log(rate / (1 - rate)), c.n_strata), [0.0], np.ones(n_kinds - 1), [-1.0]])
    theta, best = _optimise(c, start)
    low, high = (
        (_profile_limit(c, theta, best, -1.0), _profile_limit(c, theta, best, 1.0)) if interval else (np.nan,) * 2
    )
    a, beta, s = _unpack(theta, n_kinds, c.n_strata)
    names = kinds or [f"kind_{j}" for j in range(n_kinds)]
    return VisitSpread(
        sigma_visit=s,
        sigma_visit_low=float(low),
        sigma_visit_high=float(high),
        sigma_body=float(beta[0]),
        loadings=beta / beta[0],
        intercepts=pd.DataFrame(a.T, columns=names),
        loglik=best,
        visits=len(Y),
        bodies=c.counts.shape[0],
    )
