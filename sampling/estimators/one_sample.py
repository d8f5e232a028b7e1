"""What :func:`ht_total` and :func:`hajek_mean` share: the checks of one sample, its variance, the result."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .checks import as_vector, check_ci, check_joint, check_pi, check_variance
from .intervals import interval, random_part
from .result import Estimate
from .variance import check_variance_groups, degrees_of_freedom, deville, joint_variance

__all__ = ["finish", "one_sample_args", "one_sample_variance"]


def one_sample_args(
    y: Any, pi: Any, joint: Any, variance: Any, ci: Any, level: Any, *, rate: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, float]:
    """Validate the arguments of :func:`ht_total` and :func:`hajek_mean`."""
    yy = as_vector(y, "y")
    pp = check_pi(pi, yy.shape[0], "y")
    form = check_variance(variance, joint is not None)
    lvl = check_ci(ci, level, rate=rate, values=yy)
    jj = None if joint is None else check_joint(joint, pp)
    if jj is None:
        codes = np.zeros(yy.shape[0], dtype=np.intp)
        check_variance_groups(pp, codes, [0], "")
    return yy, pp, jj, form, lvl


def one_sample_variance(z: np.ndarray, pi: np.ndarray, joint: np.ndarray | None, form: str) -> float:
    """Variance estimate of ``sum z / pi``: from `joint` when given, else the one-group Hajek-Deville approximation."""
    if joint is not None:
        return joint_variance(z, pi, joint, form)
    return deville(z, pi, np.zeros(z.shape[0], dtype=np.intp), 1, form)


def finish(
    est: float, var: float, y: np.ndarray, pi: np.ndarray, name: str, form: str, ci: str, level: float, *, total: bool
) -> Estimate:
    """The :class:`Estimate` with its standard error, degrees of freedom and interval.

    A ``"beta"`` or ``"jeffreys"`` interval is built on the rate of the random units (certainties known);
    for a total (`total`) of 0/1 outcomes on the implied rate ``t / N_hat`` and scaled back by ``N_hat``.
    """
    se = math.sqrt(max(var, 0.0))
    n = int(pi.shape[0])
    df = degrees_of_freedom(pi, np.zeros(n, dtype=np.intp), 1, np.ones(n, dtype=bool))
    on_random_part = ci in ("beta", "jeffreys")
    scale = float(np.sum(1.0 / pi)) if total and on_random_part else 1.0
    low, high = interval(est / scale, se / scale, n, df, ci, level, random_part(y, pi) if on_random_part else None)
    return Estimate(est, se, scale * low, scale * high, n, name, form, ci, level, df)
