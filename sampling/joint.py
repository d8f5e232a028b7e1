"""The joint (second-order) inclusion probabilities of the design :func:`sampling.draw` uses, and CPS's working
probabilities.

CPS: exact (Aires 1999, with the polynomials computed directly for units whose odds are tied or nearly tied).
Systematic: Deville's fixed point below 1,000 units and Hartley-Rao (1962) from there (exact for equal
probabilities; see :mod:`sampling._systematic`). The diagonal is exactly the probabilities the draw uses
(:attr:`sampling.DrawResult.pi`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from . import _cps, _systematic
from ._checks import as_float_vector, short
from ._design_args import check_method, check_pi, check_strata, resolve, stratum_rows

__all__ = ["joint_inclusion_probabilities", "working_probabilities"]


def working_probabilities(pi: ArrayLike) -> np.ndarray:
    """Working probabilities of the CPS design with inclusion probabilities ``pi``.

    Parameters
    ----------
    pi : array_like of float
        Inclusion probabilities in [0, 1] summing to an integer.

    Returns
    -------
    ndarray of float
        ``p`` such that Poisson sampling with ``p`` conditioned on the sample
        size has inclusion probabilities ``pi``, normalised to sum to the size
        of the part with 0 < pi < 1 (as R's ``UPMEpiktildefrompik``); 0 and 1
        are returned unchanged.

    Examples
    --------
    >>> working_probabilities([0.2, 0.4, 0.6, 0.8, 1.0, 0.0]).round(4).tolist()
    [0.2597, 0.4338, 0.5662, 0.7403, 1.0, 0.0]
    """
    arr, _ = check_pi(pi)
    out = arr.copy()
    rows = np.flatnonzero((arr > 0) & (arr < 1))
    n = int(round(float(arr[rows].sum())))
    if n == 0:
        return out
    values, inverse, counts = np.unique(arr[rows], return_inverse=True, return_counts=True)
    log_w = _cps.solved_log_odds(values, counts, n)
    out[rows] = expit(log_w[inverse])
    return out


def _check_joint_args(
    pi: ArrayLike, method: Any, index: Any, strata: Any
) -> tuple[np.ndarray, str, np.ndarray, np.ndarray | None]:
    """Validate the arguments of :func:`joint_inclusion_probabilities`."""
    arr = as_float_vector(pi, "pi")
    labels = check_strata(strata, arr.shape[0])
    if labels is None:
        check_pi(arr)
    method = check_method(method)
    if index is None:
        return arr, method, np.arange(arr.shape[0]), labels
    idx = np.asarray(index)
    if idx.dtype == bool:
        if idx.shape != arr.shape:
            raise ValueError(f"`index` as a mask must have shape {arr.shape}; got {idx.shape}.")
        return arr, method, np.flatnonzero(idx), labels
    if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
        raise TypeError(f"`index` must be a boolean mask or 1-d integer positions; got {short(index)}.")
    if idx.size and (idx.min() < 0 or idx.max() >= arr.shape[0]):
        raise ValueError(f"`index` positions must lie in [0, {arr.shape[0] - 1}]; got {short(index)}.")
    return arr, method, idx, labels


def _part_joint(pi: np.ndarray, used: str, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Joint probabilities among units of the 0 < pi < 1 part (positions into pi)."""
    n = int(round(float(pi.sum())))
    if n < 2:
        return np.zeros((rows.size, cols.size))
    if used == "systematic":
        approx = _systematic.approximate_joint(pi, rows, cols)
        if approx is not None:
            return approx
        # no Deville fixed point (tiny frames): the maximum-entropy design's exact values, which it approximates
    values, inverse, counts = np.unique(pi, return_inverse=True, return_counts=True)
    log_w = _cps.solved_log_odds(values, counts, n)
    tables = _cps.Tables(log_w, counts, n)
    groups = _cps.joint_groups(tables, tables.first_order())
    return groups[np.ix_(inverse[rows], inverse[cols])]


def _joint_one(arr: np.ndarray, method: str, idx: np.ndarray) -> np.ndarray:
    """Joint probabilities of one unstratified design, for units ``idx``."""
    arr, n = check_pi(arr)
    used = resolve(method, arr, n)
    p = arr[idx]
    out = np.outer(p, p)  # certain units: pi_kl = pi_l; zero units: 0
    part = (arr > 0) & (arr < 1)
    part_pos = np.cumsum(part) - 1
    sub = np.flatnonzero(part[idx])
    if sub.size:
        out[np.ix_(sub, sub)] = _part_joint(arr[part], used, part_pos[idx[sub]], part_pos[idx[sub]])
    np.fill_diagonal(out, p)
    return out


def joint_inclusion_probabilities(
    pi: ArrayLike,
    method: str = "auto",
    index: ArrayLike | None = None,
    strata: ArrayLike | None = None,
) -> np.ndarray:
    """Joint inclusion probabilities of the design :func:`draw` uses.

    Parameters
    ----------
    pi : array_like of float
        Inclusion probabilities in [0, 1] summing to an integer (within each
        stratum when ``strata`` is given).
    method : {"auto", "cps", "systematic"}, default "auto"
        As in :func:`draw` (``"auto"`` resolves the same way, per stratum).
    index : array_like, optional
        Boolean mask or positions of the units wanted (e.g. the drawn ones);
        default all units.
    strata : array_like, optional
        As in :func:`draw`: units of different strata are drawn
        independently, so their joint probability is ``pi_k pi_l``.

    Returns
    -------
    ndarray of float, shape (m, m)
        ``pi_kl`` for the units in ``index``, ``pi_k`` on the diagonal, exactly
        as the design uses them (:attr:`DrawResult.pi`: the input unless its
        sum had to be rescaled to the integer sample size). A
        certain unit ``k`` has ``pi_kl = pi_l``; units with ``pi = 0`` have 0.
        CPS: exact (relative error below 1e-9). Systematic: Hartley-Rao
        approximation (exact for equal probabilities).

    Examples
    --------
    >>> joint_inclusion_probabilities([0.5, 0.5, 0.5, 0.5]).round(4)[0].tolist()
    [0.5, 0.1667, 0.1667, 0.1667]
    >>> joint_inclusion_probabilities([0.5] * 4, strata=["a", "a", "b", "b"])[0].tolist()
    [0.5, 0.0, 0.25, 0.25]
    """
    arr, method, idx, labels = _check_joint_args(pi, method, index, strata)
    if labels is None:
        return _joint_one(arr, method, idx)
    strata_rows = stratum_rows(labels)
    for stratum, rows in strata_rows:  # the probabilities each stratum's design uses
        try:
            arr[rows] = check_pi(arr[rows])[0]
        except ValueError as exc:
            raise ValueError(f"stratum {stratum!r}: {exc}") from None
    p = arr[idx]
    out = np.outer(p, p)
    for _, rows in strata_rows:
        inside = np.flatnonzero(np.isin(idx, rows))
        local = np.searchsorted(rows, idx[inside])
        out[np.ix_(inside, inside)] = _joint_one(arr[rows], method, local)
    np.fill_diagonal(out, p)
    return out
