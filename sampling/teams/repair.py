"""The draw across bodies: a plain sequential pass, and its look-ahead repair when it gets stuck.

Bodies are processed most constrained first, each drawing its team with
:func:`sampling.teams.uniform.uniform_team` among the inspectors with
capacity left. If that sequential pass gets stuck on a body (and an exact
check finds that a feasible assignment exists) the draw is redone with
look-ahead: each team is accepted only when the remaining bodies can still
be staffed, with fresh keys for each rejection round and a deterministic
constructive fallback after :data:`MAX_ROUNDS` rounds.
"""

from __future__ import annotations

import numpy as np

from .eligibility import Body
from .feasibility import Need, full_need, solve
from .uniform import Streams, uniform_team

#: Rejection rounds per body in the look-ahead repair before the constructive fallback.
MAX_ROUNDS = 16

#: A body's drawn team: positions into its candidates, their keys, rejection round, method.
Choice = tuple[np.ndarray, np.ndarray, int, str]


def sequential(order: list[Body], cap: np.ndarray, streams: Streams, k: int) -> dict[int, Choice] | None:
    """Plain pass: each body draws uniformly among its teams with capacity left; None when stuck."""
    cap = cap.copy()
    out: dict[int, Choice] = {}
    for body in order:
        keys, u_mix = streams.round_keys(body.body_id, body.cands, body.keys, 0)
        team = uniform_team(keys, body.x, body.c, cap[body.cands] > 0, k, u_mix)
        if team is None:
            return None
        cap[body.cands[team]] -= 1
        out[body.pos] = (team, keys[team], 0, "uniform")
    return out


def _usage(plan: list[np.ndarray], n_insp: int) -> np.ndarray:
    """Assignments of each inspector in ``plan``."""
    return np.bincount(np.concatenate([np.empty(0, np.intp), *plan]), minlength=n_insp)


class _Lookahead:
    """State of the repair pass: capacity left, and one feasible plan for the bodies not yet drawn."""

    def __init__(self, order: list[Body], cap: np.ndarray, plan: list[np.ndarray], streams: Streams, k: int) -> None:
        self.order, self.streams, self.k = order, streams, k
        self.cap = cap.copy()
        self.plan = list(plan)
        self.usage = _usage(plan, len(cap))

    def run(self) -> dict[int, Choice]:
        out: dict[int, Choice] = {}
        for p, body in enumerate(self.order):
            self.usage[self.plan[p]] -= 1  # usage of the bodies after this one
            chosen = self._draw(p, body)
            self.cap[body.cands[chosen[0]]] -= 1
            out[body.pos] = chosen
        return out

    def _replan(self, p: int, new: list[np.ndarray]) -> None:
        self.plan[p + 1 :] = new
        self.usage = _usage(new, len(self.cap))

    def _draw(self, p: int, body: Body) -> Choice:
        """Body ``p``'s team: the first round's draw that keeps the rest feasible, else constructed."""
        rest: list[Need] | None = None
        for r in range(MAX_ROUNDS):
            keys, u_mix = self.streams.round_keys(body.body_id, body.cands, body.keys, r)
            team = uniform_team(keys, body.x, body.c, self.cap[body.cands] > 0, self.k, u_mix)
            if team is None:  # pragma: no cover - excluded by the feasibility invariant
                break
            members = body.cands[team]
            trial = self.cap.copy()
            trial[members] -= 1
            if np.all(self.usage[members] <= trial[members]):  # the current plan still fits
                return (team, keys[team], r, "lookahead")
            rest = rest if rest is not None else [full_need(b, self.k) for b in self.order[p + 1 :]]
            new = solve(rest, trial)
            if new is not None:
                self._replan(p, new)
                return (team, keys[team], r, "lookahead")
        rest = rest if rest is not None else [full_need(b, self.k) for b in self.order[p + 1 :]]
        chosen, new = construct(body, rest, self.cap, self.k)
        self._replan(p, new)
        return chosen


def lookahead(
    order: list[Body], cap: np.ndarray, plan: list[np.ndarray], streams: Streams, k: int
) -> dict[int, Choice]:
    """Repair pass: accept a body's team only if the bodies after it can still be staffed.

    ``plan`` is one feasible assignment of all bodies (from
    :func:`sampling.teams.feasibility.solve`); it is kept for the bodies not
    yet drawn and serves as a certificate: a proposed team that leaves room
    for the plan is accepted without solving again. The decision (accepted
    iff the remaining bodies stay feasible) is the same either way, so the
    result does not depend on which plan the solver returned.
    """
    return _Lookahead(order, cap, plan, streams, k).run()


def _partial_need(body: Body, team: list[int], k: int) -> Need:
    """Body ``body`` with members ``team`` (positions into its candidates) already chosen."""
    keep = np.ones(len(body.cands), dtype=bool)
    keep[team] = False
    return Need(
        body,
        body.cands[keep],
        body.x[keep],
        body.c[keep],
        k - len(team),
        not body.x[team].any(),
        body.ccc and not body.c[team].any(),
    )


def construct(body: Body, rest: list[Need], cap: np.ndarray, k: int) -> tuple[Choice, list[np.ndarray]]:
    """Fallback: add members in round-0 key order whenever a completion still exists."""
    team: list[int] = []
    plan: list[np.ndarray] = []
    for j in np.argsort(body.keys, kind="stable").tolist():
        if cap[body.cands[j]] <= 0:
            continue
        trial_team = team + [j]
        trial = cap.copy()
        trial[body.cands[trial_team]] -= 1
        sol = solve([_partial_need(body, trial_team, k), *rest], trial)
        if sol is not None:
            team, plan = trial_team, sol[1:]
            if len(team) == k:
                break
    if len(team) < k:  # pragma: no cover - excluded by the feasibility invariant
        raise RuntimeError(f"internal error: no completion for body {body.body_id}")
    pos = np.array(sorted(team), dtype=np.intp)
    return (pos, body.keys[pos], 0, "constructed"), plan
