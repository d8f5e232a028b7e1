"""Inclusion probabilities proportional to size, with a floor and certainties.

For a budget of ``n`` units the probabilities are

    pi_k = 1                                 for the units in ``certain``,
    pi_k = max(f, min(1, c * size_k))        for the others,

with the single constant ``c`` such that ``sum(pi) = n``. The sum is
continuous and non-decreasing in ``c``, so the probabilities are unique. The
constant is found exactly: the sum is piecewise linear in ``c`` with
breakpoints ``f / size_k`` (a unit leaves the floor) and ``1 / size_k`` (a
unit reaches 1); after one sort, a bisection on ``log c`` (each step a binary
search in the sorted sizes) brackets the piece that contains the budget, and
``c`` is solved in closed form on that piece's active set. Without a
binding floor the result is R's ``sampling::inclusionprobabilities(size, n)``
(units that reach 1 become certainties, the others are rescaled) to the last
few bits.

Units of size zero get the floor when ``f > 0`` and probability 0 (out of the
draw) when ``f = 0``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_bool_vector,
    as_float_vector,
    check_finite_nonnegative,
    check_positive_int,
    short,
)

__all__ = ["inclusion_probabilities", "stratified_inclusion_probabilities"]

#: Slack allowed when comparing a budget with what the frame can carry.
_SLACK = 1e-9
#: Smallest allowed ratio of the smallest to the largest positive size.
_RANGE = 1e-200


def _check_inclusion_args(
    size: ArrayLike, n: Any, floor: Any, certain: ArrayLike | None
) -> tuple[np.ndarray, int, float, np.ndarray]:
    """Validate the arguments of :func:`inclusion_probabilities`."""
    sizes = as_float_vector(size, "size")
    check_finite_nonnegative(sizes, "size")
    positive = sizes[sizes > 0]
    if positive.size and positive.min() < _RANGE * positive.max():
        raise ValueError(
            f"`size` spans too wide a range: the smallest positive size {float(positive.min())!r} is below "
            f"{_RANGE:g} x the largest ({float(positive.max())!r}); set negligible sizes to 0."
        )
    n_int = check_positive_int(n, "n")
    if isinstance(floor, bool) or not isinstance(floor, int | float | np.floating | np.integer):
        raise TypeError(f"`floor` must be a number in [0, 1); got {short(floor)}.")
    f = float(floor)
    if not (0.0 <= f < 1.0):
        raise ValueError(f"`floor` must be in [0, 1); got {floor!r}.")
    cert = as_bool_vector(certain, "certain", sizes.shape[0])
    n_cert = int(cert.sum())
    if n_cert > n_int:
        raise ValueError(
            f"`certain` marks {n_cert} units, more than `n` = {n_int}; raise `n` or count the certainties on top of it."
        )
    free = ~cert
    n_pos = int((sizes[free] > 0).sum())
    n_zero = int(free.sum()) - n_pos
    capacity = n_cert + n_pos + (f * n_zero)
    if n_int > capacity + _SLACK:
        raise ValueError(_capacity_message(sizes.shape[0], n_pos, n_cert, n_zero, f, n_int))
    lowest = n_cert + f * int(free.sum())
    if lowest > n_int + _SLACK:
        raise ValueError(
            f"`floor` = {f!r} is too high for the budget: {int(free.sum())} non-certain units x "
            f"{f!r} = {f * int(free.sum()):g} exceeds `n` - certainties = {n_int - n_cert}; "
            "lower `floor` or raise `n`."
        )
    return sizes, n_int, f, cert


def _capacity_message(n_units: int, n_pos: int, n_cert: int, n_zero: int, f: float, n: int) -> str:
    """Why a budget ``n`` exceeds what the frame can carry, naming the real limit."""
    limit = math.floor(n_cert + n_pos + f * n_zero + _SLACK)
    if n_zero and f > 0:
        parts = f"{n_pos} with positive size + {n_cert} certain + `floor` {f!r} x {n_zero} of size 0"
    elif n_zero:
        parts = f"{n_pos} with positive size + {n_cert} certain; units of size 0 ({n_zero}) get probability 0 without a `floor`"
    else:
        parts = f"{n_pos} with positive size + {n_cert} certain"
    return (
        f"`n` must be a positive integer not larger than the frame ({n_units} units, of which {n_pos} with "
        f"positive size and {n_cert} certain) can carry: at most {limit} ({parts}); got {n}."
    )


def _active_sets(c: float, s: np.ndarray, f: float) -> tuple[int, int]:
    """(number floored, index of the first capped unit) at ``c`` for sorted ``s``."""
    lo = int(np.searchsorted(s, f / c, side="right")) if f > 0 else 0
    hi = int(np.searchsorted(s, 1.0 / c, side="left"))
    return lo, max(hi, lo)


def _solve_scale(s: np.ndarray, target: float, f: float) -> float:
    """The constant ``c`` with sum(clip(c * s, f, 1)) = target (``s`` sorted, > 0).

    The sum is piecewise linear in ``c``; a bisection on ``log c`` (each step
    O(log N) with the prefix sums of ``s``) brackets the piece that contains
    the target, where ``c`` is solved in closed form on that piece's active
    set (floored units, units capped at 1, the rest proportional).
    """
    m = int(s.shape[0])
    s_min, s_max = float(s[0]), float(s[-1])
    if target <= f * m:
        return f / s_max
    if target >= m:
        return math.inf
    cs = np.concatenate(([0.0], np.cumsum(s)))

    def total(c: float) -> float:
        lo, hi = _active_sets(c, s, f)
        return f * lo + (m - hi) + c * float(cs[hi] - cs[lo])

    a = f / s_max if f > 0 else target / float(cs[-1])  # sum(a) <= target
    b = 1.0 / s_min  # every unit capped: sum(b) = m > target
    for _ in range(2000):
        if _active_sets(a, s, f) == _active_sets(b, s, f):
            break
        mid = math.sqrt(a) * math.sqrt(b)
        if not a < mid < b:
            break
        if total(mid) <= target:
            a = mid
        else:
            b = mid
    lo, hi = _active_sets(a, s, f)
    weight = float(np.sum(s[lo:hi]))
    if weight == 0.0:  # flat piece: any c in it gives the same probabilities
        return a
    c = (target - f * lo - (m - hi)) / weight
    return min(max(c, a), b)  # rounding may put c a hair outside its piece


def inclusion_probabilities(
    size: ArrayLike,
    n: int,
    floor: float = 0.0,
    certain: ArrayLike | None = None,
) -> np.ndarray:
    """Inclusion probabilities proportional to size, floored, capped at 1.

    Parameters
    ----------
    size : array_like of float, shape (N,)
        Size measures, finite and >= 0.
    n : int
        Budget: the expected (and, for a fixed-size design, exact) number of
        units drawn, certainties included.
    floor : float, default 0.0
        Lowest probability of a non-certain unit, in [0, 1). Units of size 0
        get the floor when it is positive and probability 0 otherwise.
    certain : array_like of bool, shape (N,), optional
        Units taken with probability exactly 1; they count inside ``n``.

    Returns
    -------
    pi : ndarray of float, shape (N,)
        ``pi_k = max(floor, min(1, c * size_k))`` (1 for certain units) with
        ``sum(pi) = n`` up to rounding (~1e-12).

    Raises
    ------
    ValueError
        Budgets that cannot be met (``n`` above what the frame can carry,
        ``floor`` times the non-certain units above ``n``, more certainties
        than ``n``), negative or non-finite sizes, ``floor`` outside [0, 1).

    Examples
    --------
    >>> inclusion_probabilities([1, 2, 3, 4, 10], 3).round(4).tolist()
    [0.2, 0.4, 0.6, 0.8, 1.0]
    >>> inclusion_probabilities([0, 1, 1, 8], 2, floor=0.1).round(4).tolist()
    [0.1, 0.45, 0.45, 1.0]
    """
    sizes, n_int, f, cert = _check_inclusion_args(size, n, floor, certain)
    return probabilities_and_scale(sizes, n_int, f, cert)[0]


def inclusion_with_scale(
    size: ArrayLike, n: int, floor: float = 0.0, certain: ArrayLike | None = None
) -> tuple[np.ndarray, float]:
    """:func:`inclusion_probabilities` and its constant ``c`` (0 if no unit uses it)."""
    return probabilities_and_scale(*_check_inclusion_args(size, n, floor, certain))


def probabilities_and_scale(sizes: np.ndarray, n: int, f: float, cert: np.ndarray) -> tuple[np.ndarray, float]:
    """Probabilities and the constant ``c`` for validated arguments (``c`` = 0 if unused)."""
    pi = np.zeros(sizes.shape[0], dtype=np.float64)
    pi[cert] = 1.0
    free = ~cert
    pos = free & (sizes > 0)
    zero = free & (sizes == 0)
    pi[zero] = f
    target = n - int(cert.sum()) - f * int(zero.sum())
    c = 0.0
    if pos.any():
        top = float(sizes[pos].max())  # c is found for sizes scaled to max 1
        with np.errstate(over="ignore"):
            c = float(_solve_scale(np.sort(sizes[pos] / top), target, f) / np.float64(top))
            pi[pos] = np.clip(c * sizes[pos], f, 1.0)
    return pi, c


def _check_strata_args(
    size: ArrayLike, strata: ArrayLike, budgets: Any
) -> tuple[np.ndarray, np.ndarray, dict[Hashable, int]]:
    """Validate the arguments of :func:`stratified_inclusion_probabilities`."""
    sizes = as_float_vector(size, "size")
    labels = np.asarray(strata, dtype=object)
    if labels.ndim != 1 or labels.shape[0] != sizes.shape[0]:
        raise ValueError(f"`strata` must be 1-d with one label per unit ({sizes.shape[0]}); got shape {labels.shape}.")
    if any(v is None or (isinstance(v, float) and v != v) for v in labels.tolist()):
        raise ValueError("`strata` must not contain missing labels (None or NaN).")
    if not isinstance(budgets, Mapping):
        raise TypeError(f"`budgets` must be a mapping stratum -> budget; got {short(budgets)}.")
    present = list(dict.fromkeys(labels.tolist()))
    missing = [s for s in present if s not in budgets]
    if missing:
        raise ValueError(f"`budgets` has no entry for stratum {missing[0]!r} ({len(missing)} missing in all).")
    unknown = [s for s in budgets if s not in set(present)]
    if unknown:
        raise ValueError(f"`budgets` names stratum {unknown[0]!r}, which has no units.")
    clean = {s: check_positive_int(budgets[s], f"budgets[{s!r}]") for s in present}
    return sizes, labels, clean


def stratified_inclusion_probabilities(
    size: ArrayLike,
    strata: ArrayLike,
    budgets: Mapping[Hashable, int],
    floor: float = 0.0,
    certain: ArrayLike | None = None,
) -> np.ndarray:
    """Inclusion probabilities computed separately in each stratum.

    Parameters
    ----------
    size : array_like of float, shape (N,)
        Size measures, finite and >= 0.
    strata : array_like, shape (N,)
        Stratum label of each unit (any hashable values).
    budgets : mapping
        Budget of each stratum, certainties included; every stratum present
        in ``strata`` needs one, and no other may be named.
    floor : float, default 0.0
        As in :func:`inclusion_probabilities`, the same in every stratum.
    certain : array_like of bool, shape (N,), optional
        Units taken with probability 1, counted inside their stratum's budget.

    Returns
    -------
    pi : ndarray of float, shape (N,)
        Probabilities summing to ``budgets[h]`` within each stratum ``h``.

    Examples
    --------
    >>> stratified_inclusion_probabilities(
    ...     [1, 1, 2, 1, 3], ["a", "a", "a", "b", "b"], {"a": 2, "b": 1}
    ... ).round(4).tolist()
    [0.5, 0.5, 1.0, 0.25, 0.75]
    """
    sizes, labels, clean = _check_strata_args(size, strata, budgets)
    cert = as_bool_vector(certain, "certain", sizes.shape[0])
    pi = np.zeros(sizes.shape[0], dtype=np.float64)
    for stratum, n_h in clean.items():
        rows = labels == stratum
        try:
            pi[rows] = inclusion_probabilities(sizes[rows], n_h, floor, cert[rows])
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"stratum {stratum!r}: {exc}") from None
    return pi
