"""Randomised systematic pi-ps sampling -- the algorithms.

The units are put in a random order fixed by the seed (ascending per-unit
uniform), their probabilities are cumulated, and the units whose interval
``(V_{k-1}, V_k]`` contains one of the points ``u0, u0 + 1, ..., u0 + n - 1``
are taken. Every unit is taken with probability exactly ``pi_k`` and the
sample size is exactly ``n``. Averaged over the random order, the joint
probabilities are positive; they have no closed form and are approximated by
Hartley & Rao (1962, Ann. Math. Statist. 33, 350-374, eq. 5.15), which is
exact for equal probabilities (then the design is simple random sampling
without replacement). Not public: use :mod:`sampling.designs`.
"""

from __future__ import annotations

import numpy as np


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
