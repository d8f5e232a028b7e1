"""One body's team, drawn uniformly among its feasible teams from SHA-256 keys.

The random streams (purposes of :func:`sampling.randomness.uniforms_unchecked`):

* ``"<prefix>:<b>"``: the key of each eligible inspector for body ``b``
  (``"<prefix>-r<k>:<b>"`` in rejection round ``k`` of the repair);
* ``"<prefix>-mix"``, unit ``b``: the uniform that picks the team's make-up
  (``"<prefix>-mix-r<k>"`` in round ``k``);
* ``"<prefix>-order"``, unit ``b``: breaks ties in the processing order.

The candidates fall into four classes: field and CCC expert, field expert
only, CCC expert only, neither. A make-up is a number of members per class;
make-ups are listed in lexicographic order and one is chosen with probability
proportional to its number of feasible teams (a product of binomial
coefficients); inside each class the members with the smallest keys are
taken. Every feasible team is then exactly equally likely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..randomness import uniforms_unchecked

_SCALE52 = 2.0**52

#: Members taken from each class: (field and CCC, field only, CCC only, neither).
Makeup = tuple[int, int, int, int]


def _round_tag(r: int) -> str:
    return "" if r == 0 else f"-r{r}"


@dataclass(frozen=True)
class Streams:
    """The random streams of one call: seed material, purpose prefix, inspector ids by index."""

    seed: str
    prefix: str
    insp_ids: list[str]

    def member_keys(self, body_id: str, cands: np.ndarray, r: int = 0) -> np.ndarray:
        """Keys of the candidates ``cands`` (inspector indices) for body ``body_id`` in round ``r``."""
        purpose = f"{self.prefix}{_round_tag(r)}:{body_id}"
        return uniforms_unchecked(self.seed, purpose, [self.insp_ids[i] for i in cands.tolist()])

    def mix_uniform(self, body_id: str, r: int = 0) -> float:
        """The uniform that picks the make-up of body ``body_id``'s team in round ``r``."""
        return float(uniforms_unchecked(self.seed, f"{self.prefix}-mix{_round_tag(r)}", [body_id])[0])

    def order_uniforms(self, body_ids: list[str]) -> np.ndarray:
        """Tie-breaking uniforms of the processing order."""
        return uniforms_unchecked(self.seed, f"{self.prefix}-order", body_ids) if body_ids else np.empty(0)

    def round_keys(self, body_id: str, cands: np.ndarray, round0_keys: np.ndarray, r: int) -> tuple[np.ndarray, float]:
        """Keys and make-up uniform of rejection round ``r`` (round 0: the published keys)."""
        keys = round0_keys if r == 0 else self.member_keys(body_id, cands, r)
        return keys, self.mix_uniform(body_id, r)


def _makeups(sizes: list[int], need: int) -> list[tuple[Makeup, int]]:
    """Every make-up with a field expert and a CCC expert, in lexicographic order, with its number of teams."""
    makeups: list[tuple[Makeup, int]] = []
    for n0 in range(min(need, sizes[0]) + 1):
        for n1 in range(min(need - n0, sizes[1]) + 1):
            for n2 in range(min(need - n0 - n1, sizes[2]) + 1):
                n3 = need - n0 - n1 - n2
                if n3 > sizes[3] or n0 + n1 == 0 or n0 + n2 == 0:
                    continue
                count = math.comb(sizes[0], n0) * math.comb(sizes[1], n1) * math.comb(sizes[2], n2)
                makeups.append(((n0, n1, n2, n3), count * math.comb(sizes[3], n3)))
    return makeups


def _pick_makeup(makeups: list[tuple[Makeup, int]], u_mix: float) -> Makeup | None:
    """The make-up holding team number ``floor(u_mix * total)``, in exact integer arithmetic; None if no team."""
    total = sum(count for _, count in makeups)
    if total == 0:
        return None
    big_k = int(u_mix * _SCALE52 - 0.5)  # exact: u = (K + 0.5) / 2**52
    t = ((2 * big_k + 1) * total) >> 53  # floor(u * total), exactly
    for makeup, count in makeups:
        if t < count:
            return makeup
        t -= count
    return makeups[-1][0]  # not reached: t < total


def uniform_team(
    keys: np.ndarray, x: np.ndarray, c: np.ndarray, avail: np.ndarray, need: int, u_mix: float
) -> np.ndarray | None:
    """Positions (into cands) of a team drawn uniformly among the feasible ones, or None.

    ``avail`` masks the candidates with capacity left; classes 0..3 are
    (x and c), (x only), (c only), neither; a team needs a member of class 0
    or 1 and one of class 0 or 2.
    """
    cls = np.where(x, np.where(c, 0, 1), np.where(c, 2, 3))
    members = [np.flatnonzero(avail & (cls == j)) for j in range(4)]
    makeup = _pick_makeup(_makeups([len(m) for m in members], need), u_mix)
    if makeup is None:
        return None
    team: list[int] = []
    for pos, n_j in zip(members, makeup, strict=True):
        if n_j:
            team.extend(pos[np.argsort(keys[pos], kind="stable")[:n_j]].tolist())
    return np.array(sorted(team), dtype=np.intp)
