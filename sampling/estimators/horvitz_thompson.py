"""Horvitz-Thompson estimate of a population total from one sample."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .one_sample import finish, one_sample_args, one_sample_variance
from .result import Estimate

__all__ = ["ht_total"]


def ht_total(
    y: ArrayLike,
    pi: ArrayLike,
    *,
    joint: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "normal",
    level: float = 0.95,
) -> Estimate:
    """Horvitz-Thompson estimate of a population total, with its variance.

    Parameters
    ----------
    y : array_like of float
        Values of the sampled units (e.g. 1 for a serious finding, else 0).
    pi : array_like of float
        Their inclusion probabilities, in (0, 1] (1 = certainty).
    joint : array_like of float, shape (n, n), optional
        Joint inclusion probabilities of the sampled units (``pi`` on the
        diagonal), e.g. ``joint_inclusion_probabilities(frame_pi, index=drawn)``.
    variance : {"auto", "syg", "ht", "deville1", "deville2"}, default "auto"
        With ``joint``: ``"syg"`` (Sen-Yates-Grundy, fixed-size designs; the
        default) or ``"ht"`` (Horvitz-Thompson form). Without: ``"deville1"``
        (default, factor ``n / (n - 1)``) or ``"deville2"`` (factor
        ``1 / (1 - sum a_k^2)``), the high-entropy approximation for
        fixed-size maximum-entropy (conditional Poisson) designs.
    ci : {"normal", "t", "log", "beta", "jeffreys"}, default "normal"
        Interval: ``estimate +- z se``; a Student t quantile with
        ``df`` = (units with ``pi < 1``) - 1 degrees of freedom; for
        ``y >= 0`` (counts), ``estimate * exp(+- z se / estimate)``; or, for
        0/1 outcomes, ``"beta"``: ``N_hat`` times the Korn-Graubard interval
        of the implied rate ``estimate / N_hat`` (``N_hat = sum 1 / pi``,
        standard error ``se / N_hat``, certainties known as in
        :func:`hajek_mean`); ``"jeffreys"``: the same with the rate tables'
        default interval (:func:`pooled_rate`: the effective size deflated for
        the degrees of freedom and capped at the random units, Jeffreys
        limits), the one that covers on skewed, floor-weighted samples
        (docs/estimation.md, section 3).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Estimate
        ``sum y_k / pi_k`` with its standard error and interval.

    Raises
    ------
    ValueError
        Empty input, lengths that differ, ``pi`` outside (0, 1], a single
        unit with ``pi < 1`` (no variance without ``joint``), a bad ``joint``.

    Examples
    --------
    >>> est = ht_total([1.0, 0.0, 1.0, 3.0], [0.5, 0.25, 0.5, 1.0])
    >>> est.estimate, round(est.se, 4), est.variance, est.n
    (7.0, 1.6036, 'deville1', 4)
    """
    yy, pp, jj, form, lvl = one_sample_args(y, pi, joint, variance, ci, level, rate=False)
    est = float(np.sum(yy / pp))
    return finish(est, one_sample_variance(yy, pp, jj, form), yy, pp, "ht_total", form, ci, lvl, total=True)
