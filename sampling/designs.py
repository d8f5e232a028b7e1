"""Fixed-size without-replacement pi-ps designs and their joint probabilities.

Two designs, both with first-order inclusion probabilities exactly ``pi``,
sample size exactly ``n = sum(pi)`` and all joint probabilities positive:

* ``"cps"``: conditional Poisson sampling (maximum entropy; Hajek 1964,
  Chen, Dempster & Liu 1994). The working probabilities are solved so that
  the design's inclusion probabilities equal ``pi`` (error < 1e-12); the draw
  is sequential over the units sorted by id, one uniform per unit; the joint
  probabilities are exact (Aires 1999, with the polynomials computed directly
  for units whose odds are tied or nearly tied).
* ``"systematic"``: randomised systematic sampling along a random order fixed
  by the seed, for very large frames; joint probabilities approximated, by
  Deville's fixed point below 1,000 units and Hartley-Rao (1962) from there
  (exact for equal probabilities; see :mod:`sampling._systematic`).

Units with ``pi = 1`` are taken with certainty and units with ``pi = 0``
never; the design runs on the others. ``method="auto"`` uses CPS while
``N * n`` of that part is at most :data:`CPS_MAX_WORK`, systematic beyond.
No pseudo-random generator is used: the randomness is
:func:`sampling.randomness.unit_uniforms`, so the draw depends only on ids,
probabilities, seed material and purpose, never on row order.

A ``pi`` whose sum is off the integer ``n`` by more than rounding (1e-12 n,
up to 1e-6) is rescaled on its 0 < pi < 1 part; :attr:`DrawResult.pi` and the
diagonal of the joint matrix are exactly the probabilities used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from . import _cps, _systematic
from ._checks import as_float_vector, as_id_list, canonical_order, short
from .randomness import check_stream_args, stream_uniform, uniforms_unchecked

__all__ = ["DrawResult", "draw", "joint_inclusion_probabilities", "working_probabilities", "CPS_MAX_WORK"]

#: Largest N * n (units strictly between 0 and 1, times their budget) drawn
#: by conditional Poisson sampling under ``method="auto"``.
CPS_MAX_WORK = 2_000_000
#: Above this N * n conditional Poisson sampling is refused (memory).
_CPS_HARD_LIMIT = 50_000_000
_METHODS = ("auto", "cps", "systematic")


@dataclass(frozen=True)
class DrawResult:
    """Outcome of :func:`draw`.

    Attributes
    ----------
    selected : ndarray of bool
        Selection mask, in the row order of the input.
    method : str
        ``"cps"`` or ``"systematic"``: the design actually used.
    n : int
        Sample size (``selected.sum()``).
    pi : ndarray of float
        The inclusion probabilities the design used, in input row order: the
        input itself, unless its sum was off the integer ``n`` by more than
        rounding (1e-12 n, up to 1e-6), in which case the units strictly
        between 0 and 1 were rescaled to make the sum ``n``. Give these to
        the estimators together with :func:`joint_inclusion_probabilities`,
        whose diagonal is exactly this vector.
    by_stratum : dict or None
        With ``strata``: the design used in each stratum (``method`` is then
        that design if all agree, else ``"mixed"``).
    """

    selected: np.ndarray
    method: str
    n: int
    pi: np.ndarray
    by_stratum: dict[Any, str] | None = None


def _check_pi(pi: ArrayLike, name: str = "pi") -> tuple[np.ndarray, int]:
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


def _check_method(method: Any) -> str:
    if method not in _METHODS:
        raise ValueError(f"`method` must be one of {', '.join(map(repr, _METHODS))}; got {short(method)}.")
    return str(method)


def _resolve(method: str, pi: np.ndarray, n: int) -> str:
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


def _check_strata(strata: Any, size: int, purpose: str | None = None) -> np.ndarray | None:
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


def _check_draw_args(
    ids: Any, pi: ArrayLike, seed_material: Any, purpose: Any, method: Any, strata: Any
) -> tuple[list[str], np.ndarray, str, np.ndarray | None]:
    """Validate the arguments of :func:`draw`."""
    id_list = as_id_list(ids, "ids")
    arr = as_float_vector(pi, "pi")
    check_stream_args(seed_material, purpose)
    if arr.shape[0] != len(id_list):
        raise ValueError(f"`pi` must have one value per id ({len(id_list)}); got {arr.shape[0]}.")
    labels = _check_strata(strata, arr.shape[0])
    if labels is None:
        _check_pi(arr)
    return id_list, arr, _check_method(method), labels


def _cps_draw(ids: list[str], pi: np.ndarray, material: str, purpose: str) -> np.ndarray:
    """CPS draw of the units with 0 < pi < 1 (positions into ``ids``)."""
    rows = np.flatnonzero((pi > 0) & (pi < 1))
    n = int(round(float(pi[rows].sum())))
    out = np.zeros(rows.shape[0], dtype=bool)
    if n == 0:
        return out
    values, inverse, counts = np.unique(pi[rows], return_inverse=True, return_counts=True)
    log_w = _cps.solved_log_odds(values, counts, n)
    part_ids = [ids[k] for k in rows]
    order = canonical_order(part_ids)
    u = uniforms_unchecked(material, purpose, [part_ids[k] for k in order])
    out[order] = _cps.sequential_select(log_w[inverse][order], n, u)
    return out


def _random_order(ids: list[str], u: np.ndarray) -> np.ndarray:
    """Units by ascending uniform; exact ties (rare) broken by id."""
    order = np.argsort(u, kind="stable")
    su = u[order]
    if np.any(su[1:] == su[:-1]):
        rank = np.empty(len(ids), dtype=np.int64)
        rank[canonical_order(ids)] = np.arange(len(ids))
        order = np.lexsort((rank, u))
    return order


def _systematic_draw(ids: list[str], pi: np.ndarray, material: str, purpose: str) -> np.ndarray:
    """Randomised systematic draw of the units with 0 < pi < 1."""
    rows = np.flatnonzero((pi > 0) & (pi < 1))
    if rows.size == 0 or round(float(pi[rows].sum())) == 0:
        return np.zeros(rows.shape[0], dtype=bool)
    part_ids = [ids[k] for k in rows] if rows.size < len(ids) else ids
    order = _random_order(part_ids, uniforms_unchecked(material, purpose, part_ids))
    start = stream_uniform(material, f"{purpose}:start")
    return _systematic.systematic_select(pi[rows], order, start)


def draw(
    ids: ArrayLike,
    pi: ArrayLike,
    seed_material: str,
    purpose: str,
    method: str = "auto",
    strata: ArrayLike | None = None,
) -> DrawResult:
    """Draw a fixed-size pi-ps sample without replacement.

    Parameters
    ----------
    ids : sequence of str
        Unique unit ids (they fix the canonical order and the random numbers).
    pi : array_like of float
        Inclusion probabilities in [0, 1], summing to the sample size ``n``.
    seed_material : str
        From :func:`sampling.randomness.seed_material`.
    purpose : str
        Name of the random stream, e.g. ``"stage1"`` or ``"stage1:11"`` for
        a stratum.
    method : {"auto", "cps", "systematic"}, default "auto"
        ``"auto"``: CPS when N * n of the units with 0 < pi < 1 is at most
        :data:`CPS_MAX_WORK`, systematic otherwise.
    strata : array_like, optional
        Stratum label per unit: each stratum is drawn independently, with
        purpose ``purpose + ":" + str(label)``; ``pi`` must sum to an integer
        within each stratum.

    Returns
    -------
    DrawResult
        ``selected`` mask in input row order, ``method`` used, ``n``, the
        probabilities ``pi`` the design used (and ``by_stratum`` with
        ``strata``).

    Examples
    --------
    >>> material = "0" * 64
    >>> res = draw(["B1", "B2", "B3", "B4"], [0.2, 0.8, 0.5, 0.5], material, "stage1")
    >>> res.method, res.n, int(res.selected.sum())
    ('cps', 2, 2)
    >>> res2 = draw(["B4", "B3", "B2", "B1"], [0.5, 0.5, 0.8, 0.2], material, "stage1")
    >>> res2.selected[::-1].tolist() == res.selected.tolist()
    True
    """
    id_list, arr, method, labels = _check_draw_args(ids, pi, seed_material, purpose, method, strata)
    if labels is None:
        return _draw_one(id_list, arr, seed_material, purpose, method)
    selected = np.zeros(arr.shape[0], dtype=bool)
    pi_used = arr.copy()
    used: dict[Any, str] = {}
    for stratum, rows in _stratum_rows(labels):
        try:
            res = _draw_one([id_list[k] for k in rows], arr[rows], seed_material, f"{purpose}:{stratum}", method)
        except ValueError as exc:
            raise ValueError(f"stratum {stratum!r}: {exc}") from None
        selected[rows] = res.selected
        pi_used[rows] = res.pi
        used[stratum] = res.method
    kinds = set(used.values())
    return DrawResult(selected, kinds.pop() if len(kinds) == 1 else "mixed", int(selected.sum()), pi_used, used)


def _stratum_rows(labels: np.ndarray) -> list[tuple[Any, np.ndarray]]:
    """(label, row positions) per stratum, strata in order of str(label)."""
    keys = np.array([str(v) for v in labels.tolist()])
    order = sorted(set(keys.tolist()))
    first = {k: labels[np.flatnonzero(keys == k)[0]] for k in order}
    return [(first[k], np.flatnonzero(keys == k)) for k in order]


def _draw_one(id_list: list[str], arr: np.ndarray, material: str, purpose: str, method: str) -> DrawResult:
    """Unstratified draw on validated ids and unchecked probabilities."""
    arr, n = _check_pi(arr)
    used = _resolve(method, arr, n)
    selected = arr == 1.0
    rows = np.flatnonzero((arr > 0) & (arr < 1))
    pick = _cps_draw if used == "cps" else _systematic_draw
    selected[rows] = pick(id_list, arr, material, purpose)
    if int(selected.sum()) != n:  # pragma: no cover - internal guard
        raise RuntimeError(f"the draw produced {int(selected.sum())} units instead of {n}.")
    return DrawResult(selected=selected, method=used, n=n, pi=arr)


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
    arr, _ = _check_pi(pi)
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
    labels = _check_strata(strata, arr.shape[0])
    if labels is None:
        _check_pi(arr)
    method = _check_method(method)
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
    arr, n = _check_pi(arr)
    used = _resolve(method, arr, n)
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
    strata_rows = _stratum_rows(labels)
    for stratum, rows in strata_rows:  # the probabilities each stratum's design uses
        try:
            arr[rows] = _check_pi(arr[rows])[0]
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
