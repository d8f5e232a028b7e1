"""Rate of problem certificates from a two-stage sample: bodies drawn, then certificates checked in each."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._checks import short
from .checks import as_vector, check_counts
from .domains import DomainResult, PooledSample, domain_table, pooled_args
from .intervals import RandomPart

__all__ = ["two_stage_rate"]


def two_stage_rate(
    problems: ArrayLike,
    checked: ArrayLike,
    held: ArrayLike,
    pi: ArrayLike,
    draw_id: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    second_stage: bool = True,
    variance: str = "auto",
    ci: str = "beta",
    level: float = 0.95,
) -> pd.DataFrame:
    """Rate of problem certificates among all certificates, from a two-stage sample.

    Stage 1 draws bodies with probabilities ``pi_k``; stage 2 checks ``m_k``
    of the ``N_k`` certificates of body ``k`` by simple random sampling and
    finds ``problems_k`` with problems. The estimate is

        R = sum_k (1/pi_k) (N_k/m_k) problems_k / sum_k (1/pi_k) N_k,

    summed over all draws (and over the domain's bodies with ``domain``).

    Variance: the first-stage (ultimate-cluster) term is the high-entropy
    approximation of :func:`pooled_rate` applied to the linearised estimated
    body totals ``u_k = (N_k problems_k / m_k - R N_k) / X_hat``,
    ``X_hat = sum_k N_k / pi_k``. Because that approximation carries the
    finite-population factor ``(1 - pi_k)``, it captures only the part
    ``(1 - pi_k)`` of each body's second-stage variance (none for a certainty);
    with ``second_stage=True`` (default) the missing part is added:
    ``sum_k v2_k / (pi_k X_hat^2)``, with
    ``v2_k = N_k^2 (1 - m_k/N_k) s_k^2 / m_k`` and
    ``s_k^2 = p_k (1 - p_k) m_k / (m_k - 1)`` (``R (1 - R)`` when
    ``m_k = 1``), the unbiased two-stage form of Sarndal, Swensson & Wretman
    (1992, result 4.3.1). ``second_stage=False`` gives the pure
    ultimate-cluster approximation, which underestimates when bodies with
    large ``pi`` (certainties) hold most certificates (see
    docs/estimation.md for the simulation).

    Parameters
    ----------
    problems : array_like of int
        Certificates with problems found in each inspected body (``certs_with_problems``).
    checked : array_like of int
        Certificates checked in it, ``m_k`` (``certs_checked``), at least 1
        when the body holds any.
    held : array_like of int
        Certificates the body holds, ``N_k`` (the stage-2 frame), ``>= checked``.
    pi : array_like of float
        Stage-1 inclusion probability of the body, in (0, 1].
    draw_id : array_like
        The draw of each row, as in :func:`pooled_rate`.
    domain, strata : array_like, optional
        As in :func:`pooled_rate`.
    second_stage : bool, default True
        Add the second-stage variance term (see above).
    variance : {"auto", "deville1", "deville2"}, default "auto" (= "deville1")
    ci : {"beta", "normal", "t", "log", "logit"}, default "beta"
        As in :func:`pooled_rate`.
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`pooled_rate`, with ``estimator`` =
        ``"two_stage_ratio"``; ``n`` counts the inspected bodies. A domain
        whose bodies hold no certificate gets NaN.

    Examples
    --------
    >>> table = two_stage_rate(
    ...     problems=[1, 0, 3, 0], checked=[10, 5, 20, 5], held=[120, 5, 400, 30],
    ...     pi=[0.5, 0.2, 1.0, 0.25], draw_id=["Q1"] * 4)
    >>> round(float(table.estimate.iloc[0]), 4), int(table.n.iloc[0])
    (0.107, 4)
    """
    pr, m, big_n = _check_certificates(problems, checked, held)
    if not isinstance(second_stage, bool | np.bool_):
        raise TypeError(f"`second_stage` must be True or False; got {short(second_stage)}.")
    sample = pooled_args(pr, pi, draw_id, domain, strata, variance, ci, level, "problems")
    certs = _Certificates.of(pr, m, big_n)
    results = [_domain_estimate(sample, certs, d, label, second_stage) for d, label in enumerate(sample.dom_values)]
    label = f"{sample.form} + stage 2" if second_stage else f"{sample.form} (ultimate cluster)"
    return domain_table(results, "two_stage_ratio", label, ci, sample.level)


def _check_certificates(problems: Any, checked: Any, held: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whole counts per body with ``problems <= checked <= held`` and ``checked >= 1`` where ``held > 0``."""
    pr = as_vector(problems, "problems")
    n = pr.shape[0]
    pr = check_counts(pr, "problems", n)
    m = check_counts(checked, "checked", n)
    big_n = check_counts(held, "held", n)
    for bad, text in (
        (pr > m, "`problems` must not exceed `checked`"),
        (m > big_n, "`checked` must not exceed `held`"),
        ((m == 0) & (big_n > 0), "`checked` must be >= 1 where the body holds certificates (`held` > 0)"),
    ):
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{text}; got problems={pr[k]:g}, checked={m[k]:g}, held={big_n[k]:g} at position {k}.")
    return pr, m, big_n


@dataclass(frozen=True)
class _Certificates:
    """The certificate counts of each body and what the estimate derives from them.

    ``checked`` is m_k, ``held`` N_k, ``safe_m`` m_k with 1 where it is 0, ``y_hat`` the
    estimated problem total N_k problems_k / m_k and ``p_k`` the checked share with problems.
    """

    checked: np.ndarray
    held: np.ndarray
    safe_m: np.ndarray
    y_hat: np.ndarray
    p_k: np.ndarray

    @classmethod
    def of(cls, pr: np.ndarray, m: np.ndarray, big_n: np.ndarray) -> _Certificates:
        """From the checked counts of :func:`_check_certificates`."""
        safe_m = np.where(m > 0, m, 1.0)
        return cls(m, big_n, safe_m, np.where(big_n > 0, big_n * pr / safe_m, 0.0), pr / safe_m)


def _domain_estimate(
    sample: PooledSample, certs: _Certificates, d: int, label: Any, second_stage: bool
) -> DomainResult:
    """Ratio of domain `d` with its ultimate-cluster variance, plus the second-stage term if asked."""
    pp, big_n = sample.pi, certs.held
    inside = sample.dom_codes == d
    x_hat = float(np.sum(big_n[inside] / pp[inside]))
    count, n_draws = int(inside.sum()), sample.n_draws(inside)
    df, n_random = sample.df(inside), sample.n_random(inside)
    # certainties' certificates are themselves sampled (stage 2): no known part of the rate
    part = RandomPart.none(count)
    if x_hat == 0:
        return DomainResult(label, math.nan, math.nan, count, n_draws, df, n_random, part)
    est = float(np.sum(certs.y_hat[inside] / pp[inside])) / x_hat
    u = np.where(inside, (certs.y_hat - est * big_n) / x_hat, 0.0)
    var = sample.variance(u)
    if second_stage:
        var += _second_stage_term(certs, pp, inside, est, x_hat)
    return DomainResult(label, est, var, count, n_draws, df, n_random, part)


def _second_stage_term(certs: _Certificates, pp: np.ndarray, inside: np.ndarray, est: float, x_hat: float) -> float:
    """``sum_k v2_k / (pi_k X_hat^2)`` over the domain: the within-body variance the cluster term misses."""
    m, big_n, p_k = certs.checked, certs.held, certs.p_k
    s2 = np.where(m >= 2, p_k * (1 - p_k) * m / np.where(m >= 2, m - 1.0, 1.0), est * (1 - est))
    v2 = np.where(big_n > 0, big_n**2 * (1 - m / np.where(big_n > 0, big_n, 1.0)) * s2 / certs.safe_m, 0.0)
    return float(np.sum(v2[inside] / pp[inside])) / x_hat**2
