"""Who may inspect which body: pool by batch and province, activity, conflicts, own unit, expertise.

Inspector ``i`` is eligible for body ``b`` when it is active, has no row
``(i, b)`` in the conflicts table (回避), is not employed by ``b`` itself (its
``unit``, whitespace removed, is not ``b``'s name or body_id, whitespace
removed) and is in ``b``'s pool: a *provincial* batch body draws from the
inspectors of its own province plus the national ones (province ``"00"``); a
*national* batch body (SAMR's own inspections) from the national inspectors
only. A member with expertise in one of the body's fields is a "field
expert"; for a CCC-designated body a member with ``CCC`` or ``PRODUCT``
expertise is a "CCC expert" (for any other body everybody counts as one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import Inputs
from .uniform import Streams

# Mirrors the data contract's national province code (features.codes.NATIONAL, which sampling
# may not import); tests/test_sampling_package.py pins the two equal.
NATIONAL = "00"
CCC_EXPERTISE = ("CCC", "PRODUCT")


@dataclass
class PoolCounts:
    """Why a body's pool shrank to its eligible inspectors (for the error message)."""

    size: int  # inspectors of the pool
    inactive: int
    conflicted: int  # active, with a conflict
    own_unit: int  # active, no conflict, employed by the body itself


@dataclass
class Body:
    """One body to staff: eligible inspectors, their expertise flags and round-0 keys."""

    pos: int  # row in the canonical (body_id) order
    body_id: str
    cands: np.ndarray  # eligible inspector indices, ascending (= inspector_id order)
    x: np.ndarray  # field expert, aligned with cands
    c: np.ndarray  # CCC / PRODUCT expert (all True for a body that is not CCC-designated)
    ccc: bool
    keys: np.ndarray  # round-0 keys, aligned with cands
    rank: tuple[int, int, float, str]  # canonical processing key
    pool: PoolCounts


def _norm(text: str) -> str:
    """Text without any whitespace (incl. the ideographic space), for the own-unit rule."""
    return "".join(text.split())


@dataclass
class _Directory:
    """The inspector directory indexed for the eligibility rules."""

    by_prov: dict[str, list[int]]
    national: np.ndarray  # indices of the national inspectors
    by_unit: dict[str, list[int]]  # normalised unit -> inspectors employed there
    conflicted: dict[str, set[int]]  # body_id -> inspectors with a conflict
    code_col: dict[str, int]  # expertise / field code -> column of ``expert``
    expert: np.ndarray  # (inspector, code) has that expertise
    ccc_expert: np.ndarray  # has CCC or PRODUCT expertise


def _directory(inp: Inputs) -> _Directory:
    by_prov: dict[str, list[int]] = {}
    for i, p in enumerate(inp.insp_prov):
        by_prov.setdefault(p, []).append(i)
    by_unit: dict[str, list[int]] = {}
    for i, u in enumerate(inp.units):
        if _norm(u):
            by_unit.setdefault(_norm(u), []).append(i)
    insp_index = {v: i for i, v in enumerate(inp.insp_ids)}
    conflicted: dict[str, set[int]] = {}
    for i_id, b_id in inp.conflicts:
        if i_id in insp_index:
            conflicted.setdefault(b_id, set()).add(insp_index[i_id])
    codes = sorted(set[str]().union(*inp.expertise, *inp.fields, CCC_EXPERTISE))
    col = {c: j for j, c in enumerate(codes)}
    expert = np.zeros((len(inp.insp_ids), len(codes)), dtype=bool)
    for i, e in enumerate(inp.expertise):
        expert[i, [col[c] for c in e]] = True
    ccc_expert = np.asarray(expert[:, [col[c] for c in CCC_EXPERTISE]].any(axis=1), dtype=bool)
    national = np.array(by_prov.get(NATIONAL, []), dtype=np.intp)
    return _Directory(by_prov, national, by_unit, conflicted, col, expert, ccc_expert)


def _pool(inp: Inputs, d: _Directory, b: int) -> np.ndarray:
    """Inspector indices (ascending) that body ``b``'s batch and province allow."""
    if inp.national[b] or inp.body_prov[b] == NATIONAL:
        return d.national
    own_prov = np.array(d.by_prov.get(inp.body_prov[b], []), dtype=np.intp)
    return np.union1d(own_prov, d.national)


def _body(inp: Inputs, d: _Directory, b: int, streams: Streams, order_u: float) -> Body:
    body_id = inp.body_ids[b]
    pool = _pool(inp, d, b)
    active = inp.active[pool]
    conf = d.conflicted.get(body_id, set())
    in_conf = np.array([i in conf for i in pool.tolist()], dtype=bool)
    own = set(d.by_unit.get(_norm(inp.names[b]), [])) | set(d.by_unit.get(_norm(body_id), []))
    in_own = np.array([i in own for i in pool.tolist()], dtype=bool)
    cands = pool[active & ~in_conf & ~in_own]
    fvec = np.zeros(len(d.code_col), dtype=bool)
    fvec[[d.code_col[c] for c in inp.fields[b]]] = True
    x = d.expert[cands][:, fvec].any(axis=1)
    c = d.ccc_expert[cands] if inp.ccc[b] else np.ones(len(cands), dtype=bool)
    keys = streams.member_keys(body_id, cands)
    scarce = min(int(x.sum()), int(c.sum()))
    counts = PoolCounts(
        len(pool), int((~active).sum()), int((active & in_conf).sum()), int((active & ~in_conf & in_own).sum())
    )
    return Body(b, body_id, cands, x, c, bool(inp.ccc[b]), keys, (scarce, len(cands), order_u, body_id), counts)


def eligible_bodies(inp: Inputs, streams: Streams) -> list[Body]:
    """Eligible inspectors, expertise flags and round-0 keys of every body, in body_id order."""
    d = _directory(inp)
    order_u = streams.order_uniforms(inp.body_ids)
    return [_body(inp, d, b, streams, float(order_u[b])) for b in range(len(inp.body_ids))]
