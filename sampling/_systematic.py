"""Randomised systematic pi-ps sampling -- the algorithms.

The units are put in a random order fixed by the seed (ascending per-unit
uniform), their probabilities are cumulated, and the units whose interval
``(V_{k-1}, V_k]`` contains one of the points ``u0, u0 + 1, ..., u0 + n - 1``
are taken. Every unit is taken with probability exactly ``pi_k`` and the
sample size is exactly ``n``. Averaged over the random order, the joint
probabilities are positive; they have no closed form and are approximated:

* by Hartley & Rao (1962, Ann. Math. Statist. 33, 350-374, eq. 5.15), an
  expansion in 1/N, on frames of at least :data:`HARTLEY_RAO_MIN_UNITS` units;
* below that, by Deville's fixed-point approximation (Deville & Tille 2005,
  J. Statist. Plann. Inference 128, 569-591; Tille 2006, Sampling
  Algorithms, section 7.5), whose rows sum exactly to ``(n - 1) pi_k`` as
  those of every fixed-size design do; Hartley-Rao's miss by up to ~0.01 on
  small skewed frames (units with pi near 1). Where the fixed point does not
  exist (a unit carrying about half of ``sum pi (1 - pi)``, as on most
  3-unit frames) the exact joint probabilities of the maximum-entropy design
  with the same ``pi`` are used instead (:mod:`sampling.designs`).

Both are exact for equal probabilities (the design is then simple random
sampling without replacement). Not public: use :mod:`sampling.designs`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

#: Frames (units with 0 < pi < 1) at least this large use Hartley-Rao; smaller ones Deville.
HARTLEY_RAO_MIN_UNITS = 1_000


def systematic_select(pi: np.ndarray, order: np.ndarray, start: float) -> np.ndarray:
    """Select by systematic sampling with the units taken in ``order``.

    ``pi`` must lie in (0, 1) and sum to an integer ``n`` (up to rounding);
    the cumulated sums are rescaled so that the last one is exactly ``n``;
    ``start`` lies in (0, 1).
    """
    n = int(round(float(pi.sum())))
    cum = np.cumsum(pi[order])
    cum *= n / cum[-1]
    cum[-1] = float(n)
    hits = np.floor(cum - start)
    hits = np.diff(np.concatenate(([-1.0], hits)))
    chosen = np.zeros(pi.shape[0], dtype=bool)
    chosen[order] = hits > 0
    if int(chosen.sum()) != n or hits.max() > 1:  # pragma: no cover - guards rounding
        raise FloatingPointError("systematic selection did not produce exactly n distinct units.")
    return chosen


def approximate_joint(pi: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    """Joint probabilities of the randomised systematic design for rows x cols (0 < pi < 1 part).

    Deville's approximation below :data:`HARTLEY_RAO_MIN_UNITS` units, Hartley-Rao
    from there on. None when Deville's fixed point does not exist (tiny frames,
    e.g. most with 3 units): the caller then uses the exact joint probabilities
    of the maximum-entropy design with the same ``pi``, which Deville's formula
    approximates.
    """
    if pi.shape[0] < HARTLEY_RAO_MIN_UNITS:
        return deville_joint(pi, rows, cols)
    return hartley_rao_joint(pi, rows, cols)


def deville_coefficients(pi: np.ndarray) -> np.ndarray | None:
    """The fixed point ``b_k = b_k^2 / sum(b) + pi_k (1 - pi_k)`` (Deville & Tille 2005), or None.

    For a given ``B = sum(b)`` each equation has the root
    ``b_k(B) = 2 d_k / (1 + sqrt(1 - 4 d_k / B))`` (``d_k = pi_k (1 - pi_k)``),
    decreasing in ``B``; so ``sum_k b_k(B) = B`` has at most one solution, in
    ``[4 max d, 2 sum d]``. It exists unless one unit carries about half of
    ``sum d`` (then None).
    """
    d = pi * (1.0 - pi)

    def coefficients(total: float) -> np.ndarray:
        return 2.0 * d / (1.0 + np.sqrt(np.maximum(0.0, 1.0 - 4.0 * d / total)))

    def excess(total: float) -> float:
        return float(coefficients(total).sum()) - total

    low, high = 4.0 * float(d.max()), 2.0 * float(d.sum())
    if not low < high:
        return None
    at_low = excess(low)
    if at_low <= 0.0:  # the root is at the boundary (e.g. N = 3, n = 2) or does not exist
        return coefficients(low) if at_low > -1e-12 * high else None
    total = brentq(excess, low, high, xtol=1e-15 * high, rtol=4 * np.finfo(float).eps, maxiter=200)
    return coefficients(float(total))


def deville_joint(pi: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    """Deville's approximation ``pi_kl ~ pi_k pi_l - b_k b_l / sum(b)`` for rows x cols, or None.

    With ``b`` the fixed point of :func:`deville_coefficients` the implied
    covariance ``pi_kl - pi_k pi_l`` has ``pi_k (1 - pi_k)`` on its diagonal
    and rows summing to 0, so ``sum_{l != k} pi_kl = (n - 1) pi_k`` exactly
    (up to rounding). Results are clipped to ``[max(0, a + b - 1), min(a, b)]``
    (which then may move a row sum); None when the fixed point does not exist.
    """
    b = deville_coefficients(pi)
    if b is None:
        return None
    a, c = pi[rows][:, None], pi[cols][None, :]
    out = a * c - np.outer(b[rows], b[cols]) / math.fsum(b.tolist())
    clipped: np.ndarray = np.clip(out, np.maximum(0.0, a + c - 1.0), np.minimum(a, c))
    return clipped


def hartley_rao_joint(pi: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Hartley-Rao approximation of pi_kl for rows x cols (0 < pi < 1 part only).

    With ``n = sum(pi)``, ``S2 = sum(pi**2)``, ``S3 = sum(pi**3)`` over the
    whole part and ``a = pi_k``, ``b = pi_l``::

        pi_kl ~ (n-1)/n ab + (n-1)/n^2 (a^2 b + a b^2) - (n-1)/n^3 ab S2
              + 2(n-1)/n^3 (a^3 b + a b^3 + a^2 b^2)
              - 3(n-1)/n^4 (a^2 b + a b^2) S2
              + 3(n-1)/n^5 ab S2^2 - 2(n-1)/n^4 ab S3

    When all probabilities are equal the exact value n(n-1)/(N(N-1)) is
    returned instead. Results are clipped to the attainable range
    [max(0, a + b - 1), min(a, b)].
    """
    n = float(pi.sum())
    size = pi.shape[0]
    a = pi[rows][:, None]
    b = pi[cols][None, :]
    if np.ptp(pi) <= 1e-12 * pi.max():
        return np.full((a.shape[0], b.shape[1]), n * (n - 1.0) / (size * (size - 1.0)))
    s2, s3 = float(np.sum(pi**2)), float(np.sum(pi**3))
    k = n - 1.0
    ab = a * b
    mix = a * a * b + a * b * b
    out = (
        k / n * ab
        + k / n**2 * mix
        - k / n**3 * ab * s2
        + 2 * k / n**3 * (a**3 * b + a * b**3 + ab * ab)
        - 3 * k / n**4 * mix * s2
        + 3 * k / n**5 * ab * s2 * s2
        - 2 * k / n**4 * ab * s3
    )
    clipped: np.ndarray = np.clip(out, np.maximum(0.0, a + b - 1.0), np.minimum(a, b))
    return clipped
