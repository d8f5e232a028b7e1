"""Exact feasibility: can a set of bodies still be staffed within the capacities left?

A maximum flow decides it, and returns one feasible plan; in the rare case
where a CCC-designated body's two expertise rules cross (some eligible
inspectors are both a field and a CCC expert, some only one of the two) no
single network is exact and a small integer program decides instead.

Network: source -> slot nodes of each need -> (need, inspector) pair nodes
(capacity 1: a member counts once) -> inspector -> sink (capacity left).
Each need has an "any" slot (members still needed minus its expert slots)
and, while a rule is open, an expert slot of demand 1 linked to the
qualifying candidates only: one field-expert slot when the field experts
are all CCC experts (or the body is not CCC), one CCC slot when the CCC
experts are all field experts, both when the two sets are disjoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .eligibility import Body


@dataclass
class Need:
    """One body still to staff: candidates, flags, members still needed, open rules."""

    body: Body
    cand: np.ndarray  # inspector indices still allowed (distinct from members already chosen)
    x: np.ndarray
    c: np.ndarray
    need: int
    x_open: bool
    c_open: bool


def full_need(body: Body, k: int) -> Need:
    """Body ``body`` with no member chosen yet: ``k`` members, both rules open."""
    return Need(body, body.cands, body.x, body.c, k, True, body.ccc)


def _no_index() -> np.ndarray:
    return np.empty(0, dtype=np.intp)


@dataclass
class FlowResult:
    """Outcome of :func:`flow_check`; the ``short_*`` fields are filled by a minimum cut only."""

    ok: bool
    crossing: np.ndarray | None = None  # needs whose two expertise rules cross (flow not exact)
    demand: int = 0
    flow: int = 0
    short_needs: np.ndarray = field(default_factory=_no_index)  # needs with a slot on the source side of the cut
    short_demand: int = 0
    short_expert_slots: tuple[int, int] = (0, 0)  # (field, CCC/PRODUCT) slots among them
    short_insp: np.ndarray = field(default_factory=_no_index)
    plan: list[np.ndarray] | None = None  # members added to each need, when ok


@dataclass
class _Pairs:
    """The (need, candidate) pairs whose candidate has capacity left, need by need."""

    owner: np.ndarray  # need index, ascending
    insp: np.ndarray  # inspector index
    xe: np.ndarray  # satisfies the field rule (a field expert, or the rule is no longer open)
    ce: np.ndarray  # satisfies the CCC rule


@dataclass
class _Slots:
    """Demand of each need's slots: "any", field expert (0/1), CCC expert (0/1)."""

    any: np.ndarray
    x: np.ndarray
    c: np.ndarray


@dataclass
class _Network:
    """The flow network; nodes: 0 source, 1 sink, inspectors, pairs, then 3 slots per need."""

    graph: Any
    demand: int
    n_insp: int
    first_pair: int
    first_slot: int
    n_nodes: int


def _pairs(needs: list[Need], cap: np.ndarray, x_open: np.ndarray, c_open: np.ndarray) -> _Pairs:
    owner = np.repeat(np.arange(len(needs)), [len(nd.cand) for nd in needs])
    insp = np.concatenate([nd.cand for nd in needs]).astype(np.intp)
    x = np.concatenate([nd.x for nd in needs]).astype(bool)
    c = np.concatenate([nd.c for nd in needs]).astype(bool)
    keep = cap[insp] > 0
    owner, insp, x, c = owner[keep], insp[keep], x[keep], c[keep]
    return _Pairs(owner, insp, x | ~x_open[owner], c | ~c_open[owner])


def _slots(needs: list[Need], pairs: _Pairs, x_open: np.ndarray, c_open: np.ndarray) -> tuple[np.ndarray, _Slots]:
    """Needs whose two rules cross, and the slot demands (a crossing need gets the field slot only)."""
    m_need = len(needs)
    n_xc = np.bincount(pairs.owner, pairs.xe & pairs.ce, minlength=m_need) > 0  # someone is both
    n_x = np.bincount(pairs.owner, pairs.xe & ~pairs.ce, minlength=m_need) > 0  # someone is a field expert only
    n_c = np.bincount(pairs.owner, ~pairs.xe & pairs.ce, minlength=m_need) > 0  # someone is a CCC expert only
    both = x_open & c_open
    crossing = both & n_xc & n_x & n_c
    # both rules open, not crossing: field experts all CCC experts -> field slot; else CCC
    # experts all field experts -> CCC slot; else (no one is both) -> both slots.
    x_slot = np.where(both, crossing | ~n_x | n_c, x_open)
    c_slot = np.where(both, ~crossing & n_x, c_open)
    need = np.array([nd.need for nd in needs], dtype=np.int64)
    return crossing, _Slots(need - x_slot - c_slot, x_slot, c_slot)


def _network(pairs: _Pairs, slots: _Slots, cap: np.ndarray) -> _Network:
    n_i, m, m_need = len(cap), len(pairs.insp), len(slots.any)
    base = 2 + n_i
    pair_nodes = base + np.arange(m)
    slot0 = base + m  # need j: any slot0+3j, field slot0+3j+1, CCC slot0+3j+2
    any_node = slot0 + 3 * np.arange(m_need)
    demand = int(slots.any.sum() + slots.x.sum() + slots.c.sum())
    owner = pairs.owner
    fx = pairs.xe & slots.x[owner]
    fc = pairs.ce & slots.c[owner]
    rows = np.concatenate(
        [
            pair_nodes,
            any_node[owner],
            any_node[owner[fx]] + 1,
            any_node[owner[fc]] + 2,
            np.zeros(3 * m_need, dtype=np.intp),
            2 + np.arange(n_i),
        ]
    )
    cols = np.concatenate(
        [
            2 + pairs.insp,
            pair_nodes,
            pair_nodes[fx],
            pair_nodes[fc],
            np.concatenate([any_node, any_node + 1, any_node + 2]),
            np.ones(n_i, dtype=np.intp),
        ]
    )
    vals = np.concatenate(
        [
            np.ones(2 * m + int(fx.sum()) + int(fc.sum()), dtype=np.int64),
            slots.any,
            slots.x.astype(np.int64),
            slots.c.astype(np.int64),
            np.minimum(cap, demand),
        ]
    )
    n_nodes = slot0 + 3 * m_need
    graph = sparse.csr_matrix((vals.astype(np.int32), (rows, cols)), shape=(n_nodes, n_nodes))
    return _Network(graph, demand, n_i, base, slot0, n_nodes)


def split_by_need(owner: np.ndarray, insp: np.ndarray, n: int) -> list[np.ndarray]:
    """Inspectors grouped by need (``owner`` sorted ascending)."""
    bounds = np.searchsorted(owner, np.arange(n + 1))
    return [insp[bounds[j] : bounds[j + 1]] for j in range(n)]


def _plan(net: _Network, flow: Any, pairs: _Pairs, m_need: int) -> list[np.ndarray]:
    """Members of each need in a maximum flow: the pair -> inspector edges carrying flow."""
    used = flow.tocsr()[net.first_pair : net.first_slot].tocoo()
    rows = np.sort(used.row[used.data > 0])
    return split_by_need(pairs.owner[rows], pairs.insp[rows], m_need)


def _record_min_cut(out: FlowResult, net: _Network, flow: Any, slots: _Slots) -> None:
    """The slots and inspectors on the source side of a minimum cut: where capacity falls short."""
    residual = (net.graph - flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int32)
    residual.eliminate_zeros()
    reach = np.zeros(net.n_nodes, dtype=bool)
    reach[breadth_first_order(residual, 0, directed=True, return_predecessors=False)] = True
    on = reach[net.first_slot :].reshape(len(slots.any), 3)
    short = np.stack([slots.any, slots.x.astype(np.int64), slots.c.astype(np.int64)], axis=1) * on
    out.short_needs = np.flatnonzero(on.any(axis=1))
    out.short_demand = int(short.sum())
    out.short_expert_slots = (int(short[:, 1].sum()), int(short[:, 2].sum()))
    out.short_insp = np.flatnonzero(reach[2 : 2 + net.n_insp])


def flow_check(needs: list[Need], cap: np.ndarray, *, relax: bool = False, cut: bool = False) -> FlowResult:
    """Maximum flow: can every need be met within the capacities ``cap``?

    When a need's two rules cross the network is not exact: ``crossing``
    lists those needs (with ``relax=True`` they get the field-expert slot
    only, a necessary condition). With ``cut=True`` a shortfall is located
    by a minimum cut (the ``short_*`` fields).
    """
    if not needs:
        return FlowResult(ok=True)
    x_open = np.array([nd.x_open for nd in needs], dtype=bool)
    c_open = np.array([nd.c_open for nd in needs], dtype=bool)
    pairs = _pairs(needs, cap, x_open, c_open)
    crossing, slots = _slots(needs, pairs, x_open, c_open)
    if crossing.any() and not relax:
        return FlowResult(ok=False, crossing=np.flatnonzero(crossing))
    if (slots.any < 0).any():  # fewer members to add than open rules needing distinct members
        return FlowResult(ok=False)
    net = _network(pairs, slots, cap)
    res = maximum_flow(net.graph, 0, 1, method="dinic")
    flow = int(res.flow_value)
    out = FlowResult(ok=flow == net.demand, demand=net.demand, flow=flow)
    if out.ok:
        out.plan = _plan(net, res.flow, pairs, len(needs))
    elif cut:
        _record_min_cut(out, net, res.flow, slots)
    return out


#: A row "exactly ``need`` of these variables are 1" of the integer program.
_SizeRow = tuple[np.ndarray, int]


def _milp_variables(needs: list[Need], cap: np.ndarray) -> tuple[list[np.ndarray], list[_SizeRow], list[np.ndarray]]:
    """One 0/1 variable per (need, candidate with capacity left).

    Returns the candidates of each need (variables numbered need by need),
    the rows "exactly ``need`` members" and the rows "at least one expert".
    """
    var_insp: list[np.ndarray] = []
    rows_eq: list[_SizeRow] = []
    rows_ge: list[np.ndarray] = []
    nv = 0
    for nd in needs:
        avail = cap[nd.cand] > 0
        ids = nd.cand[avail]
        idx = np.arange(nv, nv + len(ids))
        nv += len(ids)
        var_insp.append(ids)
        rows_eq.append((idx, nd.need))
        if nd.x_open:
            rows_ge.append(idx[nd.x[avail]])
        if nd.c_open:
            rows_ge.append(idx[nd.c[avail]])
    return var_insp, rows_eq, rows_ge


def _rule_constraint(rows_eq: list[_SizeRow], rows_ge: list[np.ndarray], nv: int) -> LinearConstraint:
    r: list[np.ndarray] = []
    c_: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    for row, (idx, need) in enumerate(rows_eq):
        r.append(np.full(len(idx), row))
        c_.append(idx)
        lo.append(need)
        hi.append(need)
    for row, idx in enumerate(rows_ge, start=len(rows_eq)):
        r.append(np.full(len(idx), row))
        c_.append(idx)
        lo.append(1)
        hi.append(np.inf)
    n_rows = len(rows_eq) + len(rows_ge)
    a_rules = sparse.csr_matrix(
        (np.ones(sum(map(len, c_))), (np.concatenate(r), np.concatenate(c_))), shape=(n_rows, nv)
    )
    return LinearConstraint(a_rules, lo, hi)


def _capacity_constraint(insp: np.ndarray, cap: np.ndarray) -> LinearConstraint:
    nv = len(insp)
    used, inv = np.unique(insp, return_inverse=True)
    a_cap = sparse.csr_matrix((np.ones(nv), (inv, np.arange(nv))), shape=(len(used), nv))
    return LinearConstraint(a_cap, -np.inf, cap[used].astype(float))


def milp_solve(needs: list[Need], cap: np.ndarray) -> list[np.ndarray] | None:
    """Exact integer program for the rare case where a CCC body's two rules cross."""
    var_insp, rows_eq, rows_ge = _milp_variables(needs, cap)
    nv = sum(len(v) for v in var_insp)
    if nv == 0:
        ok = all(nd.need == 0 and not (nd.x_open or nd.c_open) for nd in needs)
        return [np.empty(0, dtype=np.intp) for _ in needs] if ok else None
    insp = np.concatenate(var_insp)
    owner = np.concatenate([np.full(len(v), j, dtype=np.intp) for j, v in enumerate(var_insp)])
    res = milp(
        np.zeros(nv),
        constraints=[_rule_constraint(rows_eq, rows_ge, nv), _capacity_constraint(insp, cap)],
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
    )
    if res.status not in (0, 2):  # pragma: no cover - HiGHS time or iteration limit
        raise RuntimeError(f"the feasibility program did not finish: {res.message}")
    if res.status == 2:
        return None
    used = np.flatnonzero(res.x > 0.5)
    return split_by_need(owner[used], insp[used], len(needs))


def solve(needs: list[Need], cap: np.ndarray) -> list[np.ndarray] | None:
    """Exact: members for every need within ``cap`` (one feasible plan), or None if none exists."""
    res = flow_check(needs, cap)
    if res.crossing is not None:
        return milp_solve(needs, cap)
    return res.plan if res.ok else None
