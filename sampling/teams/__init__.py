"""Inspector teams for the drawn bodies (the second "random" of 双随机).

Every drawn body gets ``team_size`` distinct inspectors, drawn from the
inspector directory with SHA-256-derived randomness only (see
``docs/teams.md`` for the full specification and a test vector).

Eligibility of inspector ``i`` for body ``b`` (:mod:`.eligibility`):

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

Randomness (:mod:`.uniform`). Inspector ``i`` gets, for body ``b``, the key
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
flow; an integer program when a CCC body's two expertise rules cross,
:mod:`.feasibility`) decides: no feasible assignment exists ->
:class:`TeamAssignmentError` naming the bodies and the capacity shortfall
(:mod:`.messages`); one exists -> the draw is redone with look-ahead
(:mod:`.repair`): each team is accepted only when the remaining bodies can
still be staffed (fresh keys ``"<prefix>-r<k>:<b>"`` / ``"<prefix>-mix-r<k>"``
for rejection round ``k``), with a deterministic constructive fallback after
:data:`MAX_ROUNDS` rounds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .eligibility import NATIONAL, Body, eligible_bodies
from .feasibility import full_need, solve
from .inputs import TEAM_COLUMNS, Inputs, check_args
from .messages import TeamAssignmentError, capacity_message, raise_infeasible, static_problems
from .repair import MAX_ROUNDS, Choice, lookahead, sequential
from .uniform import Streams

__all__ = ["TeamAssignmentError", "assign_teams", "staffing_problems", "MAX_ROUNDS", "NATIONAL", "TEAM_COLUMNS"]

_TEXT_COLUMNS = ("body_id", "inspector_ids", "units", "keys", "method")


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object if c in _TEXT_COLUMNS else np.int64) for c in TEAM_COLUMNS})


def _refuse_unstaffable(inp: Inputs, bodies: list[Body], order: list[Body], cap: np.ndarray, k: int) -> None:
    """Raise when some body has no team even with every inspector free (and say if capacity also falls short)."""
    problems, bad = static_problems(inp, bodies, k)
    if problems:
        rest = [full_need(b, k) for b in order if b.pos not in bad]
        if rest and solve(rest, cap) is None:
            problems.append(capacity_message(inp, rest, cap))
        raise_infeasible(problems)


def _draw(inp: Inputs, order: list[Body], cap: np.ndarray, streams: Streams, k: int) -> dict[int, Choice]:
    """Teams of all bodies: the sequential pass, or the look-ahead repair when it gets stuck."""
    teams = sequential(order, cap, streams, k)
    if teams is not None:
        return teams
    needs = [full_need(b, k) for b in order]
    plan = solve(needs, cap)
    if plan is None:
        raise_infeasible([capacity_message(inp, needs, cap)])
    return lookahead(order, cap, plan, streams, k)


def _team_table(inp: Inputs, bodies: list[Body], order: list[Body], teams: dict[int, Choice], k: int) -> pd.DataFrame:
    draw_order = {b.pos: n for n, b in enumerate(order, start=1)}
    rows = []
    for body in bodies:
        pos, keys, r, method = teams[body.pos]
        members = body.cands[pos]
        ids = [inp.insp_ids[i] for i in members.tolist()]
        by_id = sorted(zip(ids, keys.tolist(), strict=True))
        rows.append(
            (
                body.body_id,
                ";".join(i for i, _ in by_id),
                ";".join(sorted({inp.units[i] for i in members.tolist()})),
                k,
                ";".join(repr(u) for _, u in by_id),
                r,
                method,
                draw_order[body.pos],
                len(body.cands),
            )
        )
    out = pd.DataFrame(rows, columns=TEAM_COLUMNS)
    out = out.sort_values("body_id", kind="stable").reset_index(drop=True)
    for name in ("team_size", "round", "draw_order", "n_eligible"):
        out[name] = out[name].astype(np.int64)
    return out


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
    inp, k = check_args(bodies, inspectors, conflicts, seed_material, team_size, purpose_prefix)
    if not inp.body_ids:
        return _empty_table()
    streams = Streams(seed_material, purpose_prefix, inp.insp_ids)
    bodies_ = eligible_bodies(inp, streams)
    order = sorted(bodies_, key=lambda b: b.rank)
    cap = inp.cap.copy()
    cap[~inp.active] = 0
    _refuse_unstaffable(inp, bodies_, order, cap, k)
    teams = _draw(inp, order, cap, streams, k)
    return _team_table(inp, bodies_, order, teams, k)


def staffing_problems(
    bodies: pd.DataFrame,
    inspectors: pd.DataFrame,
    conflicts: pd.DataFrame | None,
    *,
    team_size: int = 2,
) -> list[str]:
    """Every body that no team could staff even with every inspector free, in words; empty when all can be staffed.

    The check does not depend on the seed or on which bodies are drawn, so it
    can be made before the seed is known: a body that passes can always be
    given a team once the workload caps (``max_assignments``) are lifted.

    Examples
    --------
    >>> bodies = pd.DataFrame({"body_id": ["B1", "B2"], "name": ["Cert A", "Cert B"], "province": ["44", "44"],
    ...     "fields": ["QMS", "GREEN"], "ccc_designated": [False, False], "batch": ["provincial"] * 2})
    >>> inspectors = pd.DataFrame({"inspector_id": ["I1", "I2"], "unit": ["SAMR", "GD AMR"],
    ...     "province": ["00", "44"], "expertise": ["QMS", "EMS"], "active": [True, True],
    ...     "max_assignments": [1, 1]})
    >>> [p.split(":")[0] for p in staffing_problems(bodies, inspectors, None)]
    ['body B2 (province 44, provincial batch)']
    """
    inp, k = check_args(bodies, inspectors, conflicts, "0" * 64, team_size, "team")
    if not inp.body_ids:
        return []
    problems, _ = static_problems(inp, eligible_bodies(inp, Streams("0" * 64, "team", inp.insp_ids)), k)
    return problems
