"""Inspector teams for the drawn bodies (the second "random" of 双随机).

Every drawn body gets ``team_size`` distinct inspectors, drawn from the
inspector directory with SHA-256-derived randomness only (see
``docs/teams.md`` for the full specification and a test vector).

Eligibility of inspector ``i`` for body ``b``:

* ``i`` is active, has no row ``(i, b)`` in the conflicts table (回避) and
  is not employed by ``b`` itself (its ``unit``, whitespace removed, is not
  ``b``'s name or body_id, whitespace removed);
* pool: a *provincial* batch body draws from the inspectors of its own
  province plus the national ones (province ``"00"``); a *national* batch
  body (SAMR's own inspections) from the national inspectors only.

A team has ``team_size`` distinct eligible inspectors, at least one of whom
has expertise in one of the body's fields ("field expert"); a CCC-designated
body also needs at least one member with ``CCC`` or ``PRODUCT`` expertise
(may be the same person). Nobody is used more than ``max_assignments`` times
in one call.

Randomness. Inspector ``i`` gets, for body ``b``, the key
``unit_uniforms(seed_material, "<prefix>:<b>", [i])``. The eligible
inspectors (with capacity left) fall into four classes: field and CCC expert,
field expert only, CCC expert only, neither (for a body that is not
CCC-designated everybody counts as a CCC expert). A team's *make-up* is its
number of members in each class; make-ups are listed in lexicographic order
and one is chosen with probability proportional to its number of feasible
teams (the product of binomial coefficients), with the body's uniform
``unit_uniforms(seed_material, "<prefix>-mix", [b])``; inside each class the
members with the smallest keys are taken. Every feasible team of the body is
then exactly equally likely.

Bodies are processed most constrained first (fewest eligible inspectors
meeting the scarcest expertise rule, then fewest eligible inspectors, then
the uniform ``unit_uniforms(seed_material, "<prefix>-order", [b])``, then
body_id), each drawing among the inspectors with capacity left. If that
sequential pass gets stuck on a body, an exact feasibility check (maximum
flow; an integer program when a CCC body's two expertise rules cross)
decides: no feasible assignment exists -> :class:`TeamAssignmentError` naming
the bodies and the capacity shortfall; one exists -> the draw is redone with
look-ahead: each team is accepted only when the remaining bodies can still
be staffed (fresh keys ``"<prefix>-r<k>:<b>"`` / ``"<prefix>-mix-r<k>"`` for
rejection round ``k``), with a deterministic constructive fallback after
:data:`MAX_ROUNDS` rounds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from ._checks import check_positive_int, short
from .randomness import check_stream_args, uniforms_unchecked

__all__ = ["TeamAssignmentError", "assign_teams", "MAX_ROUNDS", "TEAM_COLUMNS"]

NATIONAL = "00"
CCC_EXPERTISE = ("CCC", "PRODUCT")
BATCHES = ("national", "provincial")
#: Rejection rounds per body in the look-ahead repair before the constructive fallback.
MAX_ROUNDS = 16
#: Columns of the output of :func:`assign_teams`.
TEAM_COLUMNS = [
    "body_id", "inspector_ids", "units", "team_size", "keys", "round", "method", "draw_order", "n_eligible",
]
BODY_COLUMNS = ("body_id", "name", "province", "fields", "ccc_designated", "batch")
INSPECTOR_COLUMNS = ("inspector_id", "unit", "province", "expertise", "active", "max_assignments")
CONFLICT_COLUMNS = ("inspector_id", "body_id")
_PREFIX = re.compile(r"[A-Za-z0-9_]+")
# id column -> (characters refused, their names): "|" separates the parts of a hashed
# string (body ids are in purposes), ";" joins the ids of a team
_ID_RULES = {
    "body_id": (re.compile(r"[\t\r\n|]"), "tab, CR, LF or '|'"),
    "inspector_id": (re.compile(r"[\t\r\n;]"), "tab, CR, LF or ';'"),
}
_SCALE52 = 2.0**52


class TeamAssignmentError(ValueError):
    """No team assignment satisfies the rules; the message names every failing body and rule."""


# -- input checks ---------------------------------------------------------------------


def _row_label(frame_name: str, pos: int, key: Any) -> str:
    return f"row {pos}" + ("" if key is None else f" ({frame_name[:-1] if frame_name != 'bodies' else 'body'} {key!r})")


def _str_values(frame: pd.DataFrame, name: str, col: str, keys: list | None, problems: list[str],
                *, non_empty: bool = False, id_like: bool = False) -> list[str]:
    """Column ``col`` as a list of str; collects a problem for each kind of bad value."""
    values = frame[col].tolist()
    bad = [k for k, v in enumerate(values) if not isinstance(v, str)]
    not_str = set(bad)
    if bad:
        k = bad[0]
        problems.append(
            f"`{name}` column {col!r} must hold strings; got {short(values[k])} at "
            f"{_row_label(name, k, None if keys is None else keys[k])} ({len(bad)} bad value(s))."
        )
        values = ["" if not isinstance(v, str) else v for v in values]
    values = [str(v) for v in values]  # str subclasses
    if non_empty or id_like:
        forbidden, names = _ID_RULES.get(col, (None, ""))
        bad = [k for k, v in enumerate(values) if k not in not_str
               and ((non_empty and not v.strip()) or (id_like and forbidden.search(v)))]
        if bad:
            k = bad[0]
            rule = f"non-empty, without {names}" if id_like else "non-empty"
            problems.append(
                f"`{name}` column {col!r} must be {rule}; got {values[k]!r} at row {k} ({len(bad)} bad value(s))."
            )
    return values


def _unique(values: list[str], name: str, col: str, problems: list[str]) -> None:
    counts = Counter(values)
    dups = sorted(v for v, c in counts.items() if c > 1)
    if dups:
        problems.append(f"`{name}` column {col!r} must be unique; {short(dups)} occur more than once.")


def _bool_values(frame: pd.DataFrame, name: str, col: str, keys: list[str], problems: list[str]) -> np.ndarray:
    values = frame[col].tolist()
    bad = [k for k, v in enumerate(values) if not isinstance(v, bool | np.bool_)]
    if bad:
        k = bad[0]
        problems.append(
            f"`{name}` column {col!r} must be true/false; got {short(values[k])} at "
            f"{_row_label(name, k, keys[k])} ({len(bad)} bad value(s))."
        )
        return np.zeros(len(values), dtype=bool)
    return np.array(values, dtype=bool)


def _int_values(frame: pd.DataFrame, name: str, col: str, keys: list[str], problems: list[str]) -> np.ndarray:
    values = frame[col].tolist()

    def ok(v: Any) -> bool:
        if isinstance(v, bool | np.bool_):
            return False
        if isinstance(v, int | np.integer):
            return v >= 1
        return isinstance(v, float | np.floating) and math.isfinite(v) and v == int(v) and v >= 1

    bad = [k for k, v in enumerate(values) if not ok(v)]
    if bad:
        k = bad[0]
        problems.append(
            f"`{name}` column {col!r} must be an integer >= 1; got {short(values[k])} at "
            f"{_row_label(name, k, keys[k])} ({len(bad)} bad value(s))."
        )
        return np.ones(len(values), dtype=np.int64)
    return np.array([int(v) for v in values], dtype=np.int64)


def _codes(text: str) -> frozenset[str]:
    return frozenset(c.strip() for c in text.split(";") if c.strip())


def _norm(text: str) -> str:
    """Text without any whitespace (incl. the ideographic space), for the own-unit rule."""
    return "".join(text.split())


_BODY_FIELDS = ("body_ids", "names", "body_prov", "fields", "ccc", "national")
_INSPECTOR_FIELDS = ("insp_ids", "units", "insp_prov", "expertise", "active", "cap")


@dataclass
class _Inputs:
    body_ids: list[str]
    names: list[str]
    body_prov: list[str]
    fields: list[frozenset[str]]
    ccc: np.ndarray
    national: np.ndarray
    insp_ids: list[str]
    units: list[str]
    insp_prov: list[str]
    expertise: list[frozenset[str]]
    active: np.ndarray
    cap: np.ndarray
    conflicts: set[tuple[str, str]]


def _check_frame(frame: Any, name: str, columns: Sequence[str], problems: list[str]) -> bool:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {short(frame)}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(f"`{name}` lacks column(s) {', '.join(map(repr, missing))}.")
        return False
    return True


def _check_args(bodies: Any, inspectors: Any, conflicts: Any, seed_material: Any, team_size: Any,
                purpose_prefix: Any) -> tuple[_Inputs, int]:
    """Validate the arguments of :func:`assign_teams`; every problem in one message."""
    if not isinstance(purpose_prefix, str) or not _PREFIX.fullmatch(purpose_prefix):
        raise ValueError(
            f"`purpose_prefix` must be a non-empty string of letters, digits and '_'; got {short(purpose_prefix)}."
        )
    check_stream_args(seed_material, purpose_prefix)
    k = check_positive_int(team_size, "team_size", minimum=2)
    if conflicts is None:
        conflicts = pd.DataFrame({"inspector_id": [], "body_id": []}, dtype=object)
    problems: list[str] = []
    ok_b = _check_frame(bodies, "bodies", BODY_COLUMNS, problems)
    ok_i = _check_frame(inspectors, "inspectors", INSPECTOR_COLUMNS, problems)
    ok_c = _check_frame(conflicts, "conflicts", CONFLICT_COLUMNS, problems)
    data: dict[str, Any] = {}
    if ok_b:
        ids = _str_values(bodies, "bodies", "body_id", None, problems, id_like=True, non_empty=True)
        _unique(ids, "bodies", "body_id", problems)
        data["body_ids"] = ids
        data["names"] = _str_values(bodies, "bodies", "name", ids, problems, non_empty=True)
        data["body_prov"] = _str_values(bodies, "bodies", "province", ids, problems, non_empty=True)
        data["fields"] = [_codes(v) for v in _str_values(bodies, "bodies", "fields", ids, problems)]
        data["ccc"] = _bool_values(bodies, "bodies", "ccc_designated", ids, problems)
        batch = _str_values(bodies, "bodies", "batch", ids, problems)
        bad = [j for j, v in enumerate(batch) if v not in BATCHES]
        if bad:
            j = bad[0]
            problems.append(
                f"`bodies` column 'batch' must be 'national' or 'provincial'; got {batch[j]!r} at "
                f"row {j} (body {ids[j]!r}) ({len(bad)} bad value(s))."
            )
        data["national"] = np.array([v == "national" for v in batch], dtype=bool)
    if ok_i:
        ids = _str_values(inspectors, "inspectors", "inspector_id", None, problems, id_like=True, non_empty=True)
        _unique(ids, "inspectors", "inspector_id", problems)
        data["insp_ids"] = ids
        data["units"] = _str_values(inspectors, "inspectors", "unit", ids, problems)
        data["insp_prov"] = _str_values(inspectors, "inspectors", "province", ids, problems, non_empty=True)
        data["expertise"] = [_codes(v) for v in _str_values(inspectors, "inspectors", "expertise", ids, problems)]
        data["active"] = _bool_values(inspectors, "inspectors", "active", ids, problems)
        data["cap"] = _int_values(inspectors, "inspectors", "max_assignments", ids, problems)
    if ok_c:
        ci = _str_values(conflicts, "conflicts", "inspector_id", None, problems)
        cb = _str_values(conflicts, "conflicts", "body_id", None, problems)
        data["conflicts"] = set(zip(ci, cb, strict=True))
    if problems:
        head = "invalid input for assign_teams" + (":" if len(problems) == 1 else f" ({len(problems)} problems):")
        raise ValueError(head + ("\n- " + "\n- ".join(problems) if len(problems) > 1 else " " + problems[0]))
    # canonical row order (ids in UTF-8 byte order), so nothing depends on the input row order
    for id_col, cols in (("body_ids", _BODY_FIELDS), ("insp_ids", _INSPECTOR_FIELDS)):
        order = sorted(range(len(data[id_col])), key=data[id_col].__getitem__)
        for name in cols:
            values = data[name]
            data[name] = values[order] if isinstance(values, np.ndarray) else [values[j] for j in order]
    return _Inputs(**data), k


# -- eligibility ----------------------------------------------------------------------


@dataclass
class _Body:
    pos: int                 # row in the canonical (body_id) order
    body_id: str
    cands: np.ndarray        # eligible inspector indices, ascending (= inspector_id order)
    x: np.ndarray            # field expert, aligned with cands
    c: np.ndarray            # CCC / PRODUCT expert (all True for a body that is not CCC-designated)
    ccc: bool
    keys: np.ndarray         # round-0 keys, aligned with cands
    rank: tuple              # canonical processing key


def _pool_text(inp: _Inputs, b: int) -> str:
    if inp.national[b]:
        return "national (00)"
    return f"province {inp.body_prov[b]} or national (00)"


def _eligibility(inp: _Inputs, seed: str, prefix: str, k: int) -> tuple[list[_Body], list[str], set[int]]:
    """Eligible inspectors, expertise flags and round-0 keys of every body; static problems."""
    n_i = len(inp.insp_ids)
    by_prov: dict[str, list[int]] = {}
    for i, p in enumerate(inp.insp_prov):
        by_prov.setdefault(p, []).append(i)
    national = np.array(by_prov.get(NATIONAL, []), dtype=np.intp)
    by_unit: dict[str, list[int]] = {}
    for i, u in enumerate(inp.units):
        if _norm(u):
            by_unit.setdefault(_norm(u), []).append(i)
    insp_index = {v: i for i, v in enumerate(inp.insp_ids)}
    conflicted: dict[str, set[int]] = {}
    for i_id, b_id in inp.conflicts:
        if i_id in insp_index:
            conflicted.setdefault(b_id, set()).add(insp_index[i_id])
    codes = sorted(set().union(*inp.expertise, *inp.fields, CCC_EXPERTISE))
    col = {c: j for j, c in enumerate(codes)}
    expert_m = np.zeros((n_i, len(codes)), dtype=bool)
    for i, e in enumerate(inp.expertise):
        expert_m[i, [col[c] for c in e]] = True
    is_ccc_expert = expert_m[:, [col[c] for c in CCC_EXPERTISE]].any(axis=1)
    order_u = uniforms_unchecked(seed, f"{prefix}-order", inp.body_ids) if inp.body_ids else np.empty(0)

    bodies: list[_Body] = []
    problems: list[str] = []
    bad: set[int] = set()
    for b, body_id in enumerate(inp.body_ids):
        if inp.national[b]:
            pool = national
        else:
            own_prov = np.array(by_prov.get(inp.body_prov[b], []), dtype=np.intp)
            pool = np.union1d(own_prov, national) if inp.body_prov[b] != NATIONAL else national
        active = inp.active[pool]
        conf = conflicted.get(body_id, set())
        in_conf = np.array([i in conf for i in pool.tolist()], dtype=bool)
        own = set(by_unit.get(_norm(inp.names[b]), [])) | set(by_unit.get(_norm(body_id), []))
        in_own = np.array([i in own for i in pool.tolist()], dtype=bool)
        ok = active & ~in_conf & ~in_own
        cands = pool[ok]
        fvec = np.zeros(len(codes), dtype=bool)
        fvec[[col[c] for c in inp.fields[b]]] = True
        x = expert_m[cands][:, fvec].any(axis=1)
        c = is_ccc_expert[cands] if inp.ccc[b] else np.ones(len(cands), dtype=bool)
        keys = uniforms_unchecked(seed, f"{prefix}:{body_id}", [inp.insp_ids[i] for i in cands.tolist()])
        scarce = min(int(x.sum()), int(c.sum()))
        rank = (scarce, len(cands), float(order_u[b]), body_id)
        bodies.append(_Body(b, body_id, cands, x, c, bool(inp.ccc[b]), keys, rank))

        fails = []
        if len(cands) < k:
            fails.append(f"only {len(cands)} eligible inspector(s), a team needs {k}")
        if not inp.fields[b]:
            fails.append("it lists no fields, so no inspector's expertise can match")
        elif not x.any():
            fails.append(f"no eligible inspector with expertise in its fields ({';'.join(sorted(inp.fields[b]))})")
        if inp.ccc[b] and not c.any():
            fails.append("no eligible inspector with CCC or PRODUCT expertise")
        if fails:
            bad.add(b)
            desc = f"province {inp.body_prov[b]}, {'national' if inp.national[b] else 'provincial'} batch"
            desc += ", CCC-designated" if inp.ccc[b] else ""
            problems.append(
                f"body {body_id} ({desc}): {'; '.join(fails)} "
                f"[pool {_pool_text(inp, b)}: {len(pool)} inspector(s), {int((~active).sum())} inactive, "
                f"{int((active & in_conf).sum())} with a conflict, {int((active & ~in_conf & in_own).sum())} "
                f"employed by the body itself, {len(cands)} eligible]"
            )
    return bodies, problems, bad


# -- one body's uniform draw ----------------------------------------------------------


def _uniform_team(keys: np.ndarray, x: np.ndarray, c: np.ndarray, avail: np.ndarray, need: int,
                  u_mix: float) -> np.ndarray | None:
    """Positions (into cands) of a team drawn uniformly among the feasible ones, or None.

    ``avail`` masks the candidates with capacity left; classes 0..3 are
    (x and c), (x only), (c only), neither; a team needs a member of class 0
    or 1 and one of class 0 or 2.
    """
    cls = np.where(x, np.where(c, 0, 1), np.where(c, 2, 3))
    members = [np.flatnonzero(avail & (cls == j)) for j in range(4)]
    sizes = [len(m) for m in members]
    makeups: list[tuple[tuple[int, int, int, int], int]] = []
    for n0 in range(min(need, sizes[0]) + 1):
        for n1 in range(min(need - n0, sizes[1]) + 1):
            for n2 in range(min(need - n0 - n1, sizes[2]) + 1):
                n3 = need - n0 - n1 - n2
                if n3 > sizes[3] or n0 + n1 == 0 or n0 + n2 == 0:
                    continue
                count = math.comb(sizes[0], n0) * math.comb(sizes[1], n1) * math.comb(sizes[2], n2)
                makeups.append(((n0, n1, n2, n3), count * math.comb(sizes[3], n3)))
    total = sum(count for _, count in makeups)
    if total == 0:
        return None
    big_k = int(u_mix * _SCALE52 - 0.5)  # exact: u = (K + 0.5) / 2**52
    t = ((2 * big_k + 1) * total) >> 53   # floor(u * total), exactly
    for makeup, count in makeups:
        if t < count:
            break
        t -= count
    team = []
    for j, n_j in enumerate(makeup):
        if n_j:
            pos = members[j]
            team.extend(pos[np.argsort(keys[pos], kind="stable")[:n_j]].tolist())
    return np.array(sorted(team), dtype=np.intp)


def _round_keys(body: _Body, seed: str, prefix: str, r: int, insp_ids: list[str]) -> tuple[np.ndarray, float]:
    """Keys and make-up uniform of rejection round ``r`` (round 0: the published keys)."""
    tag = "" if r == 0 else f"-r{r}"
    if r == 0:
        keys = body.keys
    else:
        keys = uniforms_unchecked(seed, f"{prefix}{tag}:{body.body_id}", [insp_ids[i] for i in body.cands.tolist()])
    u_mix = float(uniforms_unchecked(seed, f"{prefix}-mix{tag}", [body.body_id])[0])
    return keys, u_mix


# -- exact feasibility (max flow / integer program) -----------------------------------------


@dataclass
class _Need:
    """One body still to staff: candidates, flags, members still needed, open rules."""

    body: _Body
    cand: np.ndarray   # inspector indices still allowed (distinct from members already chosen)
    x: np.ndarray
    c: np.ndarray
    need: int
    x_open: bool
    c_open: bool


def _full_need(body: _Body, k: int) -> _Need:
    return _Need(body, body.cands, body.x, body.c, k, True, body.ccc)


@dataclass
class _FlowResult:
    ok: bool
    crossing: np.ndarray | None = None   # needs whose two expertise rules cross (flow not exact)
    demand: int = 0
    flow: int = 0
    short_needs: np.ndarray | None = None  # needs with a slot on the source side of a minimum cut
    short_demand: int = 0
    short_expert_slots: tuple[int, int] = (0, 0)  # (field, CCC/PRODUCT) slots among them
    short_insp: np.ndarray | None = None
    plan: list[np.ndarray] | None = None  # members added to each need, when ok


def _flow_check(needs: list[_Need], cap: np.ndarray, *, relax: bool = False, cut: bool = False) -> _FlowResult:
    """Maximum flow: can every need be met within the capacities ``cap``?

    Network: source -> slot nodes of each need -> (need, inspector) pair
    nodes (capacity 1: a member counts once) -> inspector -> sink (capacity
    left). Each need has an "any" slot (members still needed minus its
    expert slots) and, while a rule is open, an expert slot of demand 1
    linked to the qualifying candidates only: one field-expert slot when
    the field experts are all CCC experts (or the body is not CCC), one
    CCC slot when the CCC experts are all field experts, both when the two
    sets are disjoint. When they cross (some candidates are both, some only
    one of the two), no single network is exact: ``crossing`` lists those
    needs (with ``relax=True`` they get the field-expert slot only, a
    necessary condition).
    """
    n_i = len(cap)
    m_need = len(needs)
    if m_need == 0:
        return _FlowResult(ok=True)
    owner = np.repeat(np.arange(m_need), [len(nd.cand) for nd in needs])
    insp = np.concatenate([nd.cand for nd in needs]).astype(np.intp)
    x = np.concatenate([nd.x for nd in needs]).astype(bool)
    c = np.concatenate([nd.c for nd in needs]).astype(bool)
    need = np.array([nd.need for nd in needs], dtype=np.int64)
    x_open = np.array([nd.x_open for nd in needs], dtype=bool)
    c_open = np.array([nd.c_open for nd in needs], dtype=bool)
    keep = cap[insp] > 0
    owner, insp, x, c = owner[keep], insp[keep], x[keep], c[keep]
    xe = x | ~x_open[owner]
    ce = c | ~c_open[owner]
    n_xc = np.bincount(owner, xe & ce, minlength=m_need) > 0   # someone is both
    n_x = np.bincount(owner, xe & ~ce, minlength=m_need) > 0   # someone is a field expert only
    n_c = np.bincount(owner, ~xe & ce, minlength=m_need) > 0   # someone is a CCC expert only
    both = x_open & c_open
    crossing = both & n_xc & n_x & n_c
    if crossing.any() and not relax:
        return _FlowResult(ok=False, crossing=np.flatnonzero(crossing))
    # both rules open, not crossing: field experts all CCC experts -> field slot; else CCC
    # experts all field experts -> CCC slot; else (no one is both) -> both slots.
    only_x, only_c = n_x, n_c
    x_slot = np.where(both, crossing | ~only_x | only_c, x_open)
    c_slot = np.where(both, ~crossing & only_x, c_open)
    any_dem = need - x_slot - c_slot
    if (any_dem < 0).any():  # fewer members to add than open rules needing distinct members
        return _FlowResult(ok=False)

    m = len(insp)
    base = 2 + n_i                       # 0 source, 1 sink, 2.. inspectors, then pairs, then slots
    pairs = base + np.arange(m)
    slot0 = base + m                     # need j: any slot0+3j, field slot0+3j+1, CCC slot0+3j+2
    any_node = slot0 + 3 * np.arange(m_need)
    demand = int(any_dem.sum() + x_slot.sum() + c_slot.sum())
    fx = xe & x_slot[owner]
    fc = ce & c_slot[owner]
    rows = np.concatenate([
        pairs, any_node[owner], any_node[owner[fx]] + 1, any_node[owner[fc]] + 2,
        np.zeros(3 * m_need, dtype=np.intp), 2 + np.arange(n_i),
    ])
    cols = np.concatenate([
        2 + insp, pairs, pairs[fx], pairs[fc],
        np.concatenate([any_node, any_node + 1, any_node + 2]), np.ones(n_i, dtype=np.intp),
    ])
    vals = np.concatenate([
        np.ones(2 * m + int(fx.sum()) + int(fc.sum()), dtype=np.int64),
        any_dem, x_slot.astype(np.int64), c_slot.astype(np.int64),
        np.minimum(cap, demand),
    ])
    n_nodes = slot0 + 3 * m_need
    graph = sparse.csr_matrix((vals.astype(np.int32), (rows, cols)), shape=(n_nodes, n_nodes))
    res = maximum_flow(graph, 0, 1, method="dinic")
    out = _FlowResult(ok=res.flow_value == demand, demand=demand, flow=int(res.flow_value))
    if out.ok:
        used = res.flow.tocsr()[base:base + m].tocoo()
        used = np.sort(used.row[used.data > 0])   # pair -> inspector edges carrying flow
        out.plan = _split(owner[used], insp[used], m_need)
    if out.ok or not cut:
        return out
    residual = (graph - res.flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int32)
    residual.eliminate_zeros()
    reach = np.zeros(n_nodes, dtype=bool)
    reach[breadth_first_order(residual, 0, directed=True, return_predecessors=False)] = True
    on = reach[slot0:].reshape(m_need, 3)
    dem = np.stack([any_dem, x_slot.astype(np.int64), c_slot.astype(np.int64)], axis=1)
    out.short_needs = np.flatnonzero(on.any(axis=1))
    out.short_demand = int((dem * on).sum())
    out.short_expert_slots = (int((dem * on)[:, 1].sum()), int((dem * on)[:, 2].sum()))
    out.short_insp = np.flatnonzero(reach[2:2 + n_i])
    return out


def _split(owner: np.ndarray, insp: np.ndarray, n: int) -> list[np.ndarray]:
    """Inspectors grouped by need (``owner`` sorted ascending)."""
    bounds = np.searchsorted(owner, np.arange(n + 1))
    return [insp[bounds[j]:bounds[j + 1]] for j in range(n)]


def _milp_solve(needs: list[_Need], cap: np.ndarray) -> list[np.ndarray] | None:
    """Exact integer program for the rare case where a CCC body's two rules cross."""
    var_insp, rows_eq, rows_ge = [], [], []
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
    if nv == 0:
        ok = all(nd.need == 0 and not (nd.x_open or nd.c_open) for nd in needs)
        return [np.empty(0, dtype=np.intp) for _ in needs] if ok else None
    insp = np.concatenate(var_insp)
    owner = np.concatenate([np.full(len(v), j, dtype=np.intp) for j, v in enumerate(var_insp)])
    n_rows = len(rows_eq) + len(rows_ge)
    r, c_, lo, hi = [], [], [], []
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
    a_rules = sparse.csr_matrix(
        (np.ones(sum(map(len, c_))), (np.concatenate(r), np.concatenate(c_))), shape=(n_rows, nv)
    )
    used, inv = np.unique(insp, return_inverse=True)
    a_cap = sparse.csr_matrix((np.ones(nv), (inv, np.arange(nv))), shape=(len(used), nv))
    res = milp(
        np.zeros(nv),
        constraints=[LinearConstraint(a_rules, lo, hi), LinearConstraint(a_cap, -np.inf, cap[used].astype(float))],
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
    )
    if res.status not in (0, 2):  # pragma: no cover - HiGHS time or iteration limit
        raise RuntimeError(f"the feasibility program did not finish: {res.message}")
    if res.status == 2:
        return None
    used = np.flatnonzero(res.x > 0.5)
    return _split(owner[used], insp[used], len(needs))


def _solve(needs: list[_Need], cap: np.ndarray) -> list[np.ndarray] | None:
    """Exact: members for every need within ``cap`` (one feasible plan), or None if none exists."""
    res = _flow_check(needs, cap)
    if res.crossing is not None:
        return _milp_solve(needs, cap)
    return res.plan if res.ok else None


# -- messages -----------------------------------------------------------------------------


def _where(inp: _Inputs, b: int) -> str:
    return "national batch" if inp.national[b] else f"province {inp.body_prov[b]}"


def _capacity_message(inp: _Inputs, needs: list[_Need], cap: np.ndarray) -> str:
    """Plain-language capacity shortfall, from a minimum cut of the (relaxed) network."""
    res = _flow_check(needs, cap, relax=True, cut=True)
    if res.ok:
        crossing = _flow_check(needs, cap).crossing
        ids = sorted(needs[j].body.body_id for j in crossing)
        return (
            f"not enough capacity for the CCC rule: the CCC-designated bodies {', '.join(ids)} cannot each "
            "get a field expert and a CCC or PRODUCT expert (their eligible inspectors include some who are "
            "both and some who are only one of the two) while every other body gets its team within "
            "max_assignments"
        )
    short_bodies = sorted((needs[j].body for j in res.short_needs), key=lambda b: b.body_id)
    groups = Counter(_where(inp, b.pos) for b in short_bodies)
    where = ", ".join(f"{g}: {n}" for g, n in sorted(groups.items()))
    n_field, n_ccc = res.short_expert_slots
    kinds = [f"{n} for field experts" for n in [n_field] if n]
    kinds += [f"{n} for CCC or PRODUCT experts" for n in [n_ccc] if n]
    kinds_text = f" ({', '.join(kinds)})" if kinds else ""
    supply = res.short_demand - (res.demand - res.flow)
    ids = [b.body_id for b in short_bodies]
    shown = ", ".join(ids[:20]) + (f", ... ({len(ids)} in all)" if len(ids) > 20 else "")
    insp = res.short_insp
    return (
        f"not enough capacity: {len(ids)} bod{'y' if len(ids) == 1 else 'ies'} ({where}) need "
        f"{res.short_demand} inspector slot(s){kinds_text}, but the inspectors "
        f"eligible for them can fill at most {supply} within max_assignments ({len(insp)} inspector(s) with "
        f"{int(cap[insp].sum())} assignment(s) left); bodies: {shown}"
    )


def _raise(problems: list[str]) -> None:
    if len(problems) == 1:
        raise TeamAssignmentError(f"no feasible inspector team: {problems[0]}.")
    raise TeamAssignmentError(
        f"no feasible inspector teams ({len(problems)} problems):\n- " + "\n- ".join(problems)
    )


# -- the draw -------------------------------------------------------------------------------


def _sequential(order: list[_Body], cap: np.ndarray, seed: str, prefix: str, k: int,
                insp_ids: list[str]) -> tuple[dict, np.ndarray] | None:
    """Plain pass: each body draws uniformly among its teams with capacity left."""
    cap = cap.copy()
    out = {}
    for body in order:
        keys, u_mix = _round_keys(body, seed, prefix, 0, insp_ids)
        team = _uniform_team(keys, body.x, body.c, cap[body.cands] > 0, k, u_mix)
        if team is None:
            return None
        cap[body.cands[team]] -= 1
        out[body.pos] = (team, keys[team], 0, "uniform")
    return out, cap


def _lookahead(order: list[_Body], cap: np.ndarray, plan: list[np.ndarray], seed: str, prefix: str,
               k: int, insp_ids: list[str]) -> dict:
    """Repair pass: accept a body's team only if the bodies after it can still be staffed.

    ``plan`` is one feasible assignment of all bodies (from :func:`_solve`);
    it is kept for the bodies not yet drawn and serves as a certificate: a
    proposed team that leaves room for the plan is accepted without solving
    again. The decision (accepted iff the remaining bodies stay feasible)
    is the same either way, so the result does not depend on which plan
    the solver returned.
    """
    cap = cap.copy()
    usage = np.bincount(np.concatenate(plan), minlength=len(cap)) if plan else np.zeros(len(cap), np.int64)
    out = {}
    for p, body in enumerate(order):
        usage[plan[p]] -= 1          # usage of the bodies after this one
        rest = None
        chosen = None
        for r in range(MAX_ROUNDS):
            keys, u_mix = _round_keys(body, seed, prefix, r, insp_ids)
            team = _uniform_team(keys, body.x, body.c, cap[body.cands] > 0, k, u_mix)
            if team is None:  # pragma: no cover - excluded by the feasibility invariant
                break
            members = body.cands[team]
            trial = cap.copy()
            trial[members] -= 1
            if np.all(usage[members] <= trial[members]):
                chosen = (team, keys[team], r, "lookahead")
                break
            rest = rest if rest is not None else [_full_need(b, k) for b in order[p + 1:]]
            new = _solve(rest, trial)
            if new is not None:
                chosen = (team, keys[team], r, "lookahead")
                plan[p + 1:] = new
                usage = np.bincount(np.concatenate([np.empty(0, np.intp), *new]), minlength=len(cap))
                break
        if chosen is None:
            rest = rest if rest is not None else [_full_need(b, k) for b in order[p + 1:]]
            chosen, new = _construct(body, rest, cap, k)
            plan[p + 1:] = new
            usage = np.bincount(np.concatenate([np.empty(0, np.intp), *new]), minlength=len(cap))
        cap[body.cands[chosen[0]]] -= 1
        out[body.pos] = chosen
    return out


def _construct(body: _Body, rest: list[_Need], cap: np.ndarray, k: int) -> tuple[tuple, list[np.ndarray]]:
    """Fallback: add members in round-0 key order whenever a completion still exists."""
    team: list[int] = []
    plan: list[np.ndarray] = []
    for j in np.argsort(body.keys, kind="stable").tolist():
        if cap[body.cands[j]] <= 0:
            continue
        trial_team = team + [j]
        trial = cap.copy()
        trial[body.cands[trial_team]] -= 1
        keep = np.ones(len(body.cands), dtype=bool)
        keep[trial_team] = False
        nd = _Need(
            body, body.cands[keep], body.x[keep], body.c[keep], k - len(trial_team),
            not body.x[trial_team].any(), body.ccc and not body.c[trial_team].any(),
        )
        sol = _solve([nd, *rest], trial)
        if sol is not None:
            team, plan = trial_team, sol[1:]
            if len(team) == k:
                break
    if len(team) < k:  # pragma: no cover - excluded by the feasibility invariant
        raise RuntimeError(f"internal error: no completion for body {body.body_id}")
    pos = np.array(sorted(team), dtype=np.intp)
    return (pos, body.keys[pos], 0, "constructed"), plan


def assign_teams(
    bodies: pd.DataFrame,
    inspectors: pd.DataFrame,
    conflicts: pd.DataFrame | None,
    seed_material: str,
    *,
    team_size: int = 2,
    purpose_prefix: str = "team",
) -> pd.DataFrame:
    """Draw an inspector team for every drawn body, reproducibly from the seed material.

    Parameters
    ----------
    bodies : DataFrame
        The drawn bodies: ``body_id`` (unique), ``name``, ``province``
        (GB/T 2260 code), ``fields`` (``;``-separated codes),
        ``ccc_designated`` (bool), ``batch`` (``"national"`` or
        ``"provincial"``). Other columns are ignored.
    inspectors : DataFrame
        The inspector directory: ``inspector_id`` (unique), ``unit``,
        ``province`` (``"00"`` = national / SAMR), ``expertise``
        (``;``-separated codes), ``active`` (bool), ``max_assignments``
        (int >= 1, for this whole call).
    conflicts : DataFrame or None
        ``inspector_id``, ``body_id`` (``reason`` and other columns ignored);
        rows naming other bodies or unknown inspectors are ignored.
    seed_material : str
        From :func:`sampling.seed_material` (64 lowercase hex digits).
    team_size : int, default 2
        Inspectors per team, >= 2.
    purpose_prefix : str, default "team"
        Prefix of the random streams (letters, digits, ``_``).

    Returns
    -------
    DataFrame
        One row per body, sorted by body_id: ``body_id``, ``inspector_ids``
        (``;``-joined, sorted), ``units`` (``;``-joined distinct units,
        sorted), ``team_size``, ``keys`` (the members' keys in the order of
        ``inspector_ids``, ``repr`` of the floats), ``round`` (rejection round
        whose keys were used, 0 normally), ``method`` (``"uniform"``, or in a
        repaired draw ``"lookahead"`` / ``"constructed"``), ``draw_order``
        (1 = drawn first), ``n_eligible``. The row order and content do not
        depend on the input row order.

    Raises
    ------
    TeamAssignmentError
        When no assignment satisfies every rule: every body without a team of
        its own and every capacity shortfall, in one message.
    ValueError, TypeError
        For malformed inputs (missing columns, bad values, ``team_size < 2``).

    Examples
    --------
    >>> bodies = pd.DataFrame({"body_id": ["B1"], "name": ["Cert A"], "province": ["44"],
    ...     "fields": ["QMS"], "ccc_designated": [False], "batch": ["provincial"]})
    >>> inspectors = pd.DataFrame({"inspector_id": ["I1", "I2", "I3", "I4"],
    ...     "unit": ["SAMR", "GD AMR", "GD AMR", "Cert A"], "province": ["00", "44", "44", "44"],
    ...     "expertise": ["QMS", "EMS", "QMS;CCC", "QMS"], "active": [True] * 4,
    ...     "max_assignments": [1, 1, 1, 1]})
    >>> out = assign_teams(bodies, inspectors, None, "0" * 64)
    >>> out[["body_id", "inspector_ids", "n_eligible"]].values.tolist()
    [['B1', 'I1;I3', 3]]
    """
    inp, k = _check_args(bodies, inspectors, conflicts, seed_material, team_size, purpose_prefix)
    if not inp.body_ids:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in ("body_id", "inspector_ids", "units", "keys",
                             "method") else np.int64) for c in TEAM_COLUMNS})
    bodies_, problems, bad = _eligibility(inp, seed_material, purpose_prefix, k)
    order = sorted(bodies_, key=lambda b: b.rank)
    cap = inp.cap.copy()
    cap[~inp.active] = 0
    if problems:
        rest = [_full_need(b, k) for b in order if b.pos not in bad]
        if rest and _solve(rest, cap) is None:
            problems.append(_capacity_message(inp, rest, cap))
        _raise(problems)
    done = _sequential(order, cap, seed_material, purpose_prefix, k, inp.insp_ids)
    if done is None:
        needs = [_full_need(b, k) for b in order]
        plan = _solve(needs, cap)
        if plan is None:
            _raise([_capacity_message(inp, needs, cap)])
        teams = _lookahead(order, cap, plan, seed_material, purpose_prefix, k, inp.insp_ids)
    else:
        teams = done[0]
    draw_order = {b.pos: n for n, b in enumerate(order, start=1)}
    rows = []
    for body in bodies_:
        pos, keys, r, method = teams[body.pos]
        members = body.cands[pos]
        ids = [inp.insp_ids[i] for i in members.tolist()]
        by_id = sorted(zip(ids, keys.tolist(), strict=True))
        rows.append((
            body.body_id,
            ";".join(i for i, _ in by_id),
            ";".join(sorted({inp.units[i] for i in members.tolist()})),
            k,
            ";".join(repr(u) for _, u in by_id),
            r,
            method,
            draw_order[body.pos],
            len(body.cands),
        ))
    out = pd.DataFrame(rows, columns=TEAM_COLUMNS)
    out = out.sort_values("body_id", kind="stable").reset_index(drop=True)
    for name in ("team_size", "round", "draw_order", "n_eligible"):
        out[name] = out[name].astype(np.int64)
    return out
