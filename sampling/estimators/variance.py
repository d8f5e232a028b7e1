"""Variance estimators for ``sum z_k / pi_k`` and their degrees of freedom.

With the joint inclusion probabilities of the sampled units,
:func:`joint_variance` gives the Sen-Yates-Grundy (fixed size) or
Horvitz-Thompson form. Without them, :func:`deville` gives the high-entropy
approximation of Hajek (1964) and Deville (1999), summed over independent
groups (draws, or draws and strata); see the package docstring for the
formula. Units with ``pi`` at 1 (to :data:`CERTAIN_TOL`) are certainties and
add no variance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CERTAIN_TOL", "certain", "check_variance_groups", "degrees_of_freedom", "deville", "joint_variance"]

#: A probability at or above ``1 - CERTAIN_TOL`` is a certainty (adds no variance).
CERTAIN_TOL = 1e-9


def certain(pi: np.ndarray) -> np.ndarray:
    """Mask of the units drawn with certainty."""
    return pi >= 1.0 - CERTAIN_TOL


def check_variance_groups(pi: np.ndarray, codes: np.ndarray, groups: list[Any], what: str) -> None:
    """Refuse a group with exactly one unit of pi < 1: its variance cannot be estimated."""
    counts = np.bincount(codes, weights=~certain(pi), minlength=len(groups))
    single = np.flatnonzero(counts == 1)
    if single.size:
        g = groups[int(single[0])]
        label = "the sample has" if what == "" else f"{what} {g!r} has"
        raise ValueError(
            f"{label} a single unit with pi < 1; a variance needs n >= 2 such units (got n = 1). "
            "Merge it with another draw or stratum."
        )


def deville(z: np.ndarray, pi: np.ndarray, codes: np.ndarray, n_groups: int, kind: str) -> float:
    """Sum over independent groups of the Hajek-Deville approximation for ``sum z / pi``."""
    cert = certain(pi)
    c = np.where(cert, 0.0, 1.0 - pi)
    e = z / pi
    m = np.bincount(codes, weights=~cert, minlength=n_groups)
    csum = np.bincount(codes, weights=c, minlength=n_groups)
    ok = m >= 2
    safe = np.where(ok, csum, 1.0)
    a_mean = np.bincount(codes, weights=c * e, minlength=n_groups) / safe
    ss = np.bincount(codes, weights=c * (e - a_mean[codes]) ** 2, minlength=n_groups)
    if kind == "deville1":
        factor = np.where(ok, m / np.where(ok, m - 1.0, 1.0), 0.0)
    else:
        a2 = np.bincount(codes, weights=c**2, minlength=n_groups) / safe**2
        factor = np.where(ok, 1.0 / np.where(ok, 1.0 - a2, 1.0), 0.0)
    return float(np.sum(factor * ss))


def joint_variance(z: np.ndarray, pi: np.ndarray, joint: np.ndarray, form: str) -> float:
    """Horvitz-Thompson or Sen-Yates-Grundy variance estimate of ``sum z / pi``."""
    e = z / pi
    delta = 1.0 - np.outer(pi, pi) / joint  # (pi_kl - pi_k pi_l) / pi_kl
    if form == "ht":
        return float(e @ delta @ e)
    diff2 = (e[:, None] - e[None, :]) ** 2
    return float(-0.5 * np.sum(delta * diff2))


def degrees_of_freedom(pi: np.ndarray, codes: np.ndarray, n_groups: int, used: np.ndarray) -> float:
    """Units with pi < 1 among ``used`` minus the number of groups that have any."""
    m = np.bincount(codes[used], weights=~certain(pi[used]), minlength=n_groups)
    return float(np.sum(np.maximum(m - 1, 0)))
