"""The error raised when no team assignment exists, and the wording of its every problem.

Two kinds of problem: a body that cannot get a team even with every
inspector free (too few eligible inspectors, no field expert, no CCC expert;
with the make-up of its pool), and a capacity shortfall, read off a minimum
cut of the flow network of :mod:`sampling.teams.feasibility`.
"""

from __future__ import annotations

from collections import Counter
from typing import NoReturn

import numpy as np

from .eligibility import Body
from .feasibility import Need, flow_check
from .inputs import Inputs


class TeamAssignmentError(ValueError):
    """No team assignment satisfies the rules; the message names every failing body and rule."""


def _where(inp: Inputs, b: int) -> str:
    return "national batch" if inp.national[b] else f"province {inp.body_prov[b]}"


def _pool_text(inp: Inputs, b: int) -> str:
    if inp.national[b]:
        return "national (00)"
    return f"province {inp.body_prov[b]} or national (00)"


def _rule_failures(inp: Inputs, body: Body, k: int) -> list[str]:
    """The rules body ``body`` fails with every eligible inspector free."""
    b = body.pos
    fails = []
    if len(body.cands) < k:
        fails.append(f"only {len(body.cands)} eligible inspector(s), a team needs {k}")
    if not inp.fields[b]:
        fails.append("it lists no fields, so no inspector's expertise can match")
    elif not body.x.any():
        fails.append(f"no eligible inspector with expertise in its fields ({';'.join(sorted(inp.fields[b]))})")
    if inp.ccc[b] and not body.c.any():
        fails.append("no eligible inspector with CCC or PRODUCT expertise")
    return fails


def _body_problem(inp: Inputs, body: Body, fails: list[str]) -> str:
    b, pool = body.pos, body.pool
    desc = f"province {inp.body_prov[b]}, {'national' if inp.national[b] else 'provincial'} batch"
    desc += ", CCC-designated" if inp.ccc[b] else ""
    return (
        f"body {body.body_id} ({desc}): {'; '.join(fails)} "
        f"[pool {_pool_text(inp, b)}: {pool.size} inspector(s), {pool.inactive} inactive, "
        f"{pool.conflicted} with a conflict, {pool.own_unit} "
        f"employed by the body itself, {len(body.cands)} eligible]"
    )


def static_problems(inp: Inputs, bodies: list[Body], k: int) -> tuple[list[str], set[int]]:
    """One problem per body that has no team even with every inspector free; the positions of those bodies."""
    problems: list[str] = []
    bad: set[int] = set()
    for body in bodies:
        fails = _rule_failures(inp, body, k)
        if fails:
            bad.add(body.pos)
            problems.append(_body_problem(inp, body, fails))
    return problems, bad


def _crossing_message(needs: list[Need], cap: np.ndarray) -> str:
    crossing = flow_check(needs, cap).crossing
    if crossing is None:  # pragma: no cover - the relaxed network is exact when no rules cross
        raise RuntimeError("internal error: the relaxed network is feasible but no rules cross")
    ids = sorted(needs[j].body.body_id for j in crossing.tolist())
    return (
        f"not enough capacity for the CCC rule: the CCC-designated bodies {', '.join(ids)} cannot each "
        "get a field expert and a CCC or PRODUCT expert (their eligible inspectors include some who are "
        "both and some who are only one of the two) while every other body gets its team within "
        "max_assignments"
    )


def capacity_message(inp: Inputs, needs: list[Need], cap: np.ndarray) -> str:
    """Plain-language capacity shortfall, from a minimum cut of the (relaxed) network."""
    res = flow_check(needs, cap, relax=True, cut=True)
    if res.ok:
        return _crossing_message(needs, cap)
    short_bodies = sorted((needs[j].body for j in res.short_needs.tolist()), key=lambda b: b.body_id)
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


def raise_infeasible(problems: list[str]) -> NoReturn:
    """Raise :class:`TeamAssignmentError` listing ``problems``."""
    if len(problems) == 1:
        raise TeamAssignmentError(f"no feasible inspector team: {problems[0]}.")
    raise TeamAssignmentError(f"no feasible inspector teams ({len(problems)} problems):\n- " + "\n- ".join(problems))
