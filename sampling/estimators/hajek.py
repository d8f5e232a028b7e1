"""Hajek estimate of a population mean or rate from one sample (a linearised ratio)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .one_sample import finish, one_sample_args, one_sample_variance
from .result import Estimate

__all__ = ["hajek_mean"]


def hajek_mean(
    y: ArrayLike,
    pi: ArrayLike,
    *,
    joint: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "normal",
    level: float = 0.95,
) -> Estimate:
    """Hajek estimate of a population mean or rate, with its linearised variance.

    ``R = sum(y_k / pi_k) / N_hat`` with ``N_hat = sum(1 / pi_k)``; its
    variance is that of the total of ``z_k = (y_k - R) / N_hat`` (Taylor
    linearisation), computed as in :func:`ht_total`.

    Parameters
    ----------
    y : array_like of float
        Values of the sampled units (0/1 for a rate).
    pi : array_like of float
        Their inclusion probabilities, in (0, 1].
    joint : array_like of float, shape (n, n), optional
        Joint inclusion probabilities of the sampled units; see :func:`ht_total`.
    variance : {"auto", "syg", "ht", "deville1", "deville2"}, default "auto"
        As in :func:`ht_total`.
    ci : {"normal", "t", "log", "logit", "beta"}, default "normal"
        ``"normal"``, ``"t"`` and ``"log"`` as in :func:`ht_total`;
        ``"logit"``: normal interval on the logit scale, back-transformed
        (degenerate at an estimate of 0 or 1); ``"beta"``: Korn-Graubard
        (Clopper-Pearson with the effective sample size ``R (1 - R) / se^2``)
        applied to the rate ``R_r`` of the random units (``pi < 1``) with the
        certainties' outcomes known, ``R = known + share R_r``; at ``R_r`` 0
        or 1 the size is the number of random units. Without certainties it
        is R ``survey::svyciprop(method = "beta")``. The recommended interval
        for rates (docs/estimation.md, section 3). Both need ``y`` in [0, 1].
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Estimate

    Examples
    --------
    >>> est = hajek_mean([1, 0, 1, 0, 0], [0.5, 0.25, 0.5, 1.0, 0.25])
    >>> round(est.estimate, 4), round(est.se, 4)
    (0.3077, 0.1799)
    >>> hajek_mean([1, 0, 1, 0, 0], [0.5, 0.25, 0.5, 1.0, 0.25], ci="beta").ci_low > 0
    True
    """
    yy, pp, jj, form, lvl = one_sample_args(y, pi, joint, variance, ci, level, rate=True)
    n_hat = float(np.sum(1.0 / pp))
    est = float(np.sum(yy / pp)) / n_hat
    z = (yy - est) / n_hat
    return finish(est, one_sample_variance(z, pp, jj, form), yy, pp, "hajek_mean", form, ci, lvl, total=False)
