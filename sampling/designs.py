"""Fixed-size without-replacement pi-ps designs: the draw (their joint probabilities: :mod:`sampling.joint`).

Two designs, both with first-order inclusion probabilities exactly ``pi``,
sample size exactly ``n = sum(pi)`` and all joint probabilities positive:

* ``"cps"``: conditional Poisson sampling (maximum entropy; Hajek 1964,
  Chen, Dempster & Liu 1994). The working probabilities are solved so that
  the design's inclusion probabilities equal ``pi`` (error < 1e-12); the draw
  is sequential over the units sorted by id, one uniform per unit; the joint
  probabilities are exact.
* ``"systematic"``: randomised systematic sampling along a random order fixed
  by the seed, for very large frames; joint probabilities approximated.

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

from . import _cps, _systematic
from ._checks import as_float_vector, as_id_list, canonical_order
from ._design_args import CPS_MAX_WORK, check_method, check_pi, check_strata, resolve, stratum_rows
from .randomness import check_stream_args, stream_uniform, uniforms_unchecked

__all__ = ["CPS_MAX_WORK", "DrawResult", "draw"]


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


def _check_draw_args(
    ids: Any, pi: ArrayLike, seed_material: Any, purpose: Any, method: Any, strata: Any
) -> tuple[list[str], np.ndarray, str, np.ndarray | None]:
    """Validate the arguments of :func:`draw`."""
    id_list = as_id_list(ids, "ids")
    arr = as_float_vector(pi, "pi")
    check_stream_args(seed_material, purpose)
    if arr.shape[0] != len(id_list):
        raise ValueError(f"`pi` must have one value per id ({len(id_list)}); got {arr.shape[0]}.")
    labels = check_strata(strata, arr.shape[0])
    if labels is None:
        check_pi(arr)
    return id_list, arr, check_method(method), labels


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
    for stratum, rows in stratum_rows(labels):
        try:
            res = _draw_one([id_list[k] for k in rows], arr[rows], seed_material, f"{purpose}:{stratum}", method)
        except ValueError as exc:
            raise ValueError(f"stratum {stratum!r}: {exc}") from None
        selected[rows] = res.selected
        pi_used[rows] = res.pi
        used[stratum] = res.method
    kinds = set(used.values())
    return DrawResult(selected, kinds.pop() if len(kinds) == 1 else "mixed", int(selected.sum()), pi_used, used)


def _draw_one(id_list: list[str], arr: np.ndarray, material: str, purpose: str, method: str) -> DrawResult:
    """Unstratified draw on validated ids and unchecked probabilities."""
    arr, n = check_pi(arr)
    used = resolve(method, arr, n)
    selected = arr == 1.0
    rows = np.flatnonzero((arr > 0) & (arr < 1))
    pick = _cps_draw if used == "cps" else _systematic_draw
    selected[rows] = pick(id_list, arr, material, purpose)
    if int(selected.sum()) != n:  # pragma: no cover - internal guard
        raise RuntimeError(f"the draw produced {int(selected.sum())} units instead of {n}.")
    return DrawResult(selected=selected, method=used, n=n, pi=arr)
