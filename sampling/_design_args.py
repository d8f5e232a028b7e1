"""The arguments the designs share: probabilities as the design uses them, the method, the strata (private).

Used by :mod:`sampling.designs` (the draw) and :mod:`sampling.joint` (its joint probabilities), so that both see
the same probabilities, resolve ``method="auto"`` the same way and order strata alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_vector, short

#: Largest N * n (units strictly between 0 and 1, times their budget) drawn
#: by conditional Poisson sampling under ``method="auto"``.
CPS_MAX_WORK = 2_000_000
#: Above this N * n conditional Poisson sampling is refused (memory).
_CPS_HARD_LIMIT = 50_000_000
_METHODS = ("auto", "cps", "systematic")


def check_pi(pi: ArrayLike, name: str = "pi") -> tuple[np.ndarray, int]:
    """Probabilities in [0, 1] summing to a positive integer (within 1e-6), as the design uses them.

    A sum off by more than rounding (1e-12 n) is corrected by rescaling the
    units strictly between 0 and 1, so that the design is exactly of size n;
    the returned vector is the one the draw and the joint probabilities use
    (``DrawResult.pi``, the diagonal of the joint matrix).
    """
    arr = as_float_vector(pi, name)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`{name}` must lie in [0, 1]; got {float(arr[k])!r} at position {k}.")
    total = float(arr.sum())
    n = int(round(total))
    if n < 1 or abs(total - n) > 1e-6:
        raise ValueError(f"`{name}` must sum to a positive integer sample size; got {total!r}.")
    if abs(total - n) > 1e-12 * n:
        part = (arr > 0) & (arr < 1)
        arr[part] *= (n - float(arr[~part].sum())) / float(arr[part].sum())
        if np.any(arr[part] >= 1):
            raise ValueError(f"`{name}` must sum to an integer; rescaling its sum {total!r} to {n} fails.")
    return arr, n


def check_method(method: Any) -> str:
    if method not in _METHODS:
        raise ValueError(f"`method` must be one of {', '.join(map(repr, _METHODS))}; got {short(method)}.")
    return str(method)


def resolve(method: str, pi: np.ndarray, n: int) -> str:
    """The design used for ``method`` on these probabilities."""
    part = (pi > 0) & (pi < 1)
    work = int(part.sum()) * (n - int((pi == 1).sum()))
    if method == "auto":
        return "cps" if work <= CPS_MAX_WORK else "systematic"
    if method == "cps" and work > _CPS_HARD_LIMIT:
        raise ValueError(
            f"`method` = 'cps' is too large for this frame (N * n = {work} > {_CPS_HARD_LIMIT}); "
            "use 'systematic' or 'auto'."
        )
    return method


def check_strata(strata: Any, size: int, purpose: str | None = None) -> np.ndarray | None:
    """Stratum labels (object array) or None; labels become part of the purpose."""
    if strata is None:
        return None
    labels = np.asarray(strata, dtype=object)
    if labels.ndim != 1 or labels.shape[0] != size:
        raise ValueError(f"`strata` must be 1-d with one label per unit ({size}); got shape {labels.shape}.")
    for v in labels.tolist():
        if v is None or (isinstance(v, float) and v != v) or "|" in str(v) or not str(v):
            raise ValueError(f"`strata` labels must be non-missing and without '|'; got {short(v)}.")
    return labels


def stratum_rows(labels: np.ndarray) -> list[tuple[Any, np.ndarray]]:
    """(label, row positions) per stratum, strata in order of str(label)."""
    keys = np.array([str(v) for v in labels.tolist()])
    order = sorted(set(keys.tolist()))
    first = {k: labels[np.flatnonzero(keys == k)[0]] for k in order}
    return [(first[k], np.flatnonzero(keys == k)) for k in order]
