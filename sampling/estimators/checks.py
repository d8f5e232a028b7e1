"""Argument checks of the estimators: vectors, probabilities, labels, method names, joint probabilities.

Every check names the parameter and the first offending value in its message.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._checks import as_float_vector, short

__all__ = [
    "as_vector",
    "check_ci",
    "check_counts",
    "check_joint",
    "check_labels",
    "check_length",
    "check_pi",
    "check_pooled_variance",
    "check_variance",
    "label_codes",
]

VARIANCES = ("auto", "syg", "ht", "deville1", "deville2")
JOINT_FORMS = ("syg", "ht")
POOLED_VARIANCES = ("auto", "deville1", "deville2")
CIS = ("normal", "t", "log", "logit", "beta", "jeffreys")
TOTAL_CIS = ("normal", "t", "log", "beta", "jeffreys")


def as_vector(x: Any, name: str) -> np.ndarray:
    """1-d finite float64 array, non-empty."""
    arr = as_float_vector(x, name, allow_empty=True)
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty (no sampled units).")
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`{name}` must be finite; got {float(arr[k])!r} at position {k}.")
    return arr


def check_length(arr: np.ndarray, name: str, n: int, first: str) -> None:
    """Refuse `arr` when it does not have the `n` rows of the first argument `first`."""
    if arr.shape[0] != n:
        raise ValueError(f"`{name}` and `{first}` must have the same length; got {arr.shape[0]} and {n}.")


def check_pi(pi: Any, n: int, first: str) -> np.ndarray:
    """Inclusion probabilities in (0, 1], one per unit."""
    arr = as_vector(pi, "pi")
    check_length(arr, "pi", n, first)
    bad = (arr <= 0) | (arr > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`pi` must lie in (0, 1]; got {float(arr[k])!r} at position {k}.")
    return arr


def check_counts(x: Any, name: str, n: int) -> np.ndarray:
    """Whole numbers >= 0, one per body (the certificate counts of :func:`two_stage_rate`)."""
    arr = as_vector(x, name)
    check_length(arr, name, n, "problems")
    bad = (arr < 0) | (arr != np.round(arr))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`{name}` must be whole numbers >= 0; got {float(arr[k])!r} at position {k}.")
    return arr


def check_labels(x: Any, name: str, n: int, first: str) -> np.ndarray:
    """Labels (draw ids, domains, strata), one per unit, none missing."""
    if isinstance(x, str | bytes):
        raise TypeError(f"`{name}` must be a sequence of labels, one per unit; got {short(x)}.")
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be 1-d; got an array of shape {arr.shape}.")
    check_length(arr, name, n, first)
    missing = pd.isna(arr)
    if missing.any():
        k = int(np.flatnonzero(missing)[0])
        raise ValueError(f"`{name}` must not have missing labels; got {arr[k]!r} at position {k}.")
    return arr


def label_codes(labels: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the unique labels (sorted when they can be)."""
    values = list(pd.unique(labels))
    try:
        values = sorted(values)
    except TypeError:
        pass
    lookup = {v: i for i, v in enumerate(values)}
    return np.fromiter((lookup[v] for v in labels.tolist()), dtype=np.intp, count=labels.shape[0]), values


def check_variance(variance: Any, has_joint: bool) -> str:
    """The variance method of one sample; ``"auto"`` resolves to ``"syg"`` with `joint`, else ``"deville1"``."""
    if variance not in VARIANCES:
        raise ValueError(f"`variance` must be one of {', '.join(map(repr, VARIANCES))}; got {short(variance)}.")
    if variance == "auto":
        return "syg" if has_joint else "deville1"
    if variance in JOINT_FORMS and not has_joint:
        raise ValueError(f"`variance` = {variance!r} needs the joint inclusion probabilities `joint`; got None.")
    if variance not in JOINT_FORMS and has_joint:
        raise ValueError(
            f"`variance` = {variance!r} is an approximation without joint probabilities; "
            "pass `joint=None` or `variance='syg'` / `'ht'`."
        )
    return str(variance)


def check_pooled_variance(variance: Any) -> str:
    """The variance method across draws: an approximation, as no joint probabilities span draws."""
    if variance not in POOLED_VARIANCES:
        raise ValueError(
            f"`variance` must be 'auto', 'deville1' or 'deville2' (no joint probabilities across draws); "
            f"got {short(variance)}."
        )
    return "deville1" if variance == "auto" else str(variance)


def check_ci(ci: Any, level: Any, *, rate: bool, values: np.ndarray | None = None, name: str = "y") -> float:
    """The interval kind and the level (returned as a float); `values` must suit a log, logit or beta interval."""
    allowed = CIS if rate else TOTAL_CIS
    if ci not in CIS:
        raise ValueError(f"`ci` must be one of {', '.join(map(repr, allowed))}; got {short(ci)}.")
    if ci not in allowed:
        raise ValueError(
            f"`ci` = {ci!r} is for rates in [0, 1]; a total takes 'normal', 't', 'log', 'beta' or 'jeffreys'."
        )
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating) or not 0 < level < 1:
        raise ValueError(f"`level` must be a number strictly between 0 and 1; got {short(level)}.")
    if values is not None and ci in ("logit", "beta", "jeffreys", "log"):
        _check_ci_range(values, ci, name)
    return float(level)


def _check_ci_range(values: np.ndarray, ci: str, name: str) -> None:
    """``y >= 0`` for a log interval, ``y`` in [0, 1] for a logit or beta one."""
    bad = (values < 0) if ci == "log" else (values < 0) | (values > 1)
    what = ">= 0" if ci == "log" else "in [0, 1]"
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`{name}` must be {what} for `ci` = {ci!r}; got {float(values[k])!r} at position {k} "
            f"(use `ci` = 'normal' or 't')."
        )


def check_joint(joint: Any, pi: np.ndarray) -> np.ndarray:
    """Joint inclusion probabilities of the sampled units: (n, n), symmetric, pi on the diagonal."""
    try:
        mat = np.array(joint, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise TypeError(f"`joint` must be a square matrix of numbers; got {short(joint)}.") from None
    n = pi.shape[0]
    if mat.shape != (n, n):
        raise ValueError(f"`joint` must have shape ({n}, {n}), one row and column per unit; got {mat.shape}.")
    _check_joint_entries(mat)
    _check_symmetric(mat)
    _check_diagonal(mat, pi)
    return mat


def _check_joint_entries(mat: np.ndarray) -> None:
    if not np.isfinite(mat).all() or (mat <= 0).any() or (mat > 1 + 1e-12).any():
        row, col = np.argwhere(~np.isfinite(mat) | (mat <= 0) | (mat > 1 + 1e-12))[0]
        raise ValueError(
            f"`joint` must have entries in (0, 1] (all joint probabilities positive); "
            f"got {float(mat[row, col])!r} at ({row}, {col})."
        )


def _check_symmetric(mat: np.ndarray) -> None:
    if not np.allclose(mat, mat.T, rtol=0, atol=1e-12):
        row, col = np.unravel_index(int(np.argmax(np.abs(mat - mat.T))), mat.shape)
        raise ValueError(
            f"`joint` must be symmetric; got {float(mat[row, col])!r} at ({row}, {col}) "
            f"and {float(mat[col, row])!r} at ({col}, {row})."
        )


def _check_diagonal(mat: np.ndarray, pi: np.ndarray) -> None:
    diag = np.diag(mat)
    if not np.allclose(diag, pi, rtol=0, atol=1e-9):
        k = int(np.argmax(np.abs(diag - pi)))
        raise ValueError(
            f"`joint` must have `pi` on its diagonal; got {float(diag[k])!r} at ({k}, {k}) where pi = {float(pi[k])!r}."
        )
