"""Binomial regression with one Gaussian random effect: the penalised mode and its Laplace marginal likelihood.

The linear predictor of row r is ``A[r] @ beta + Z[r] @ b``: ``beta`` are
fixed effects under a light ridge (``fixed_precision`` per column, a weak
Gaussian prior), ``b ~ N(0, sigma^2 I)`` the random effects. Each row is
``successes`` out of ``trials`` and its log-likelihood counts ``weight`` times
(a quasi-likelihood weight: 1 / dispersion). The mode maximises the penalised
log-likelihood by Newton's method with step halving (the objective is concave,
so the mode is unique). The random-effect precision ``1 / sigma^2`` is chosen
by the Laplace approximation of the marginal likelihood, with ``beta``
integrated out under its prior as well (restricted, like REML), and the
covariance of the estimates is the inverse of the penalised Hessian at the mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import brentq, minimize_scalar
from scipy.special import expit

SIGMA_BOUNDS = (0.02, 3.0)  # the prior SD searched, on the log-odds scale
HALF_CHI2_95 = 1.9207294103470620  # half the 95 % point of chi-square(1): a profile interval's drop in log-likelihood


@dataclass(frozen=True)
class Design:
    """Rows of a stacked binomial regression: fixed part ``A``, random part ``Z``, counts and weights."""

    A: np.ndarray
    Z: sp.csr_matrix
    trials: np.ndarray
    successes: np.ndarray
    weight: np.ndarray
    fixed_precision: np.ndarray

    @property
    def n_fixed(self) -> int:
        return self.A.shape[1]

    @property
    def n_random(self) -> int:
        return self.Z.shape[1]


@dataclass(frozen=True)
class Mode:
    """The penalised mode: ``theta`` = (beta, b), the penalised Hessian and the value there."""

    theta: np.ndarray
    hessian: np.ndarray
    loglik: float
    penalty: float
    n_fixed: int

    @property
    def beta(self) -> np.ndarray:
        return self.theta[: self.n_fixed]

    @property
    def b(self) -> np.ndarray:
        return self.theta[self.n_fixed :]

    def covariance(self) -> np.ndarray:
        """Laplace covariance of (beta, b): the inverse of the penalised Hessian."""
        return np.asarray(np.linalg.inv(self.hessian))


@dataclass(frozen=True)
class Block:
    """The rows of one outcome: its name, fixed and random parts, trials and successes."""

    name: str
    A: np.ndarray
    Z: sp.csr_matrix
    trials: np.ndarray
    successes: np.ndarray

    @property
    def varies(self) -> bool:
        return bool(0 < self.successes.sum() < self.trials.sum())


def _eta(d: Design, theta: np.ndarray) -> np.ndarray:
    return np.asarray(d.A @ theta[: d.n_fixed] + d.Z @ theta[d.n_fixed :])


def _value(d: Design, theta: np.ndarray, precision: np.ndarray) -> tuple[float, float]:
    eta = _eta(d, theta)
    loglik = float(np.sum(d.weight * (d.successes * eta - d.trials * np.logaddexp(0.0, eta))))
    return loglik, float(0.5 * np.sum(precision * theta**2))


def _gradient_hessian(d: Design, theta: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = expit(_eta(d, theta))
    resid = d.weight * (d.successes - d.trials * mu)
    w = d.weight * d.trials * mu * (1.0 - mu)
    Zw = d.Z.multiply(w[:, None]).tocsr()
    h_aa = (d.A * w[:, None]).T @ d.A
    h_az = np.asarray((Zw.T @ d.A).T)
    h_zz = (d.Z.T @ Zw).toarray()
    hessian = np.block([[h_aa, h_az], [h_az.T, h_zz]]) + np.diag(precision)
    gradient = np.concatenate([d.A.T @ resid, d.Z.T @ resid]) - precision * theta
    return gradient, hessian


def fit_mode(d: Design, tau: float, start: np.ndarray | None = None, tol: float = 1e-9, max_iter: int = 100) -> Mode:
    """The penalised mode for random-effect precision ``tau`` (Newton with step halving from ``start``)."""
    precision = np.concatenate([d.fixed_precision, np.full(d.n_random, float(tau))])
    theta = np.zeros(d.n_fixed + d.n_random) if start is None else np.array(start, dtype=float)
    loglik, penalty = _value(d, theta, precision)
    for _ in range(max_iter):
        gradient, hessian = _gradient_hessian(d, theta, precision)
        step = np.linalg.solve(hessian, gradient)
        for _halving in range(30):
            new_loglik, new_penalty = _value(d, theta + step, precision)
            if new_loglik - new_penalty >= loglik - penalty - 1e-12:
                break
            step /= 2
        theta, loglik, penalty = theta + step, new_loglik, new_penalty
        if np.max(np.abs(step)) < tol:
            break
    _, hessian = _gradient_hessian(d, theta, precision)
    return Mode(theta, hessian, loglik, penalty, d.n_fixed)


def log_marginal(d: Design, mode: Mode, tau: float) -> float:
    """Laplace approximation of the log marginal likelihood of ``tau`` (beta and b integrated out)."""
    _, logdet = np.linalg.slogdet(mode.hessian)
    return float(mode.loglik - mode.penalty + 0.5 * d.n_random * np.log(tau) - 0.5 * logdet)


def choose_sigma(d: Design, bounds: tuple[float, float] = SIGMA_BOUNDS) -> tuple[float, Mode]:
    """The prior SD ``sigma`` of the random effects maximising the Laplace marginal likelihood, and its mode.

    A bounded search on ``log sigma``; each fit starts from the previous mode.
    With no random-effect column the lower bound is returned.
    """
    if d.n_random == 0:
        sigma = bounds[0]
        return sigma, fit_mode(d, 1.0 / sigma**2)
    last: list[Mode] = []

    def objective(log_sigma: float) -> float:
        tau = float(np.exp(-2.0 * log_sigma))
        mode = fit_mode(d, tau, last[-1].theta if last else None)
        last[:] = [mode]
        return -log_marginal(d, mode, tau)

    found = minimize_scalar(
        objective, bounds=(np.log(bounds[0]), np.log(bounds[1])), method="bounded", options={"xatol": 0.01}
    )
    sigma = float(np.exp(found.x))
    return sigma, fit_mode(d, 1.0 / sigma**2, last[-1].theta if last else None)


def sigma_interval(
    d: Design, sigma: float, mode: Mode, bounds: tuple[float, float] = SIGMA_BOUNDS
) -> tuple[float, float]:
    """The 95 % interval of ``sigma``: where the Laplace log marginal likelihood is within 1.92 of its value at
    the chosen ``sigma`` (an end at a bound of the search means the likelihood does not fall that far there)."""
    if d.n_random == 0:
        return bounds[0], bounds[0]
    top = log_marginal(d, mode, 1.0 / sigma**2)

    def drop(log_sigma: float) -> float:
        tau = float(np.exp(-2.0 * log_sigma))
        fitted = fit_mode(d, tau, mode.theta)  # each fit starts from the chosen sigma's mode
        return top - log_marginal(d, fitted, tau) - HALF_CHI2_95

    ends = []
    for bound in bounds:
        edge = float(np.log(bound))
        if drop(edge) <= 0:
            ends.append(bound)
        else:
            ends.append(float(np.exp(brentq(drop, *sorted((float(np.log(sigma)), edge)), xtol=0.005))))
    return ends[0], ends[1]


def _dispersion(block: Block, precision: np.ndarray) -> float:
    """Pearson's dispersion of a binomial block fitted without inspectors (at least 1; 1 for 0/1 rows)."""
    if np.all(block.trials == 1):
        return 1.0
    empty = sp.csr_matrix((len(block.trials), 0))
    d = Design(block.A, empty, block.trials, block.successes, np.ones(len(block.trials)), precision)
    mu = expit(block.A @ fit_mode(d, 1.0).beta)
    var = block.trials * mu * (1 - mu)
    chi2 = float(np.sum((block.successes - block.trials * mu) ** 2 / np.maximum(var, 1e-12)))
    return max(1.0, chi2 / max(len(var) - block.A.shape[1], 1))


def stack_blocks(blocks: list[Block], precision: np.ndarray) -> tuple[Design, dict[str, float]]:
    """The blocks as one design: block-diagonal fixed parts (one set per block), shared random-effect columns.

    Each block's rows count ``1 / dispersion`` times (:func:`_dispersion`). Returns the design and the
    dispersion of each block by name.
    """
    q = blocks[0].A.shape[1]
    dispersion = {b.name: _dispersion(b, precision) for b in blocks}
    A = np.zeros((sum(len(b.trials) for b in blocks), q * len(blocks)))
    start = 0
    for k, b in enumerate(blocks):
        A[start : start + len(b.trials), k * q : (k + 1) * q] = b.A
        start += len(b.trials)
    design = Design(
        A,
        sp.vstack([b.Z for b in blocks]).tocsr(),
        np.concatenate([b.trials for b in blocks]),
        np.concatenate([b.successes for b in blocks]),
        np.concatenate([np.full(len(b.trials), 1.0 / dispersion[b.name]) for b in blocks]),
        np.tile(precision, len(blocks)),
    )
    return design, dispersion
