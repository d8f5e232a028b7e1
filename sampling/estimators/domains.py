"""Several independent draws and their domains: the checked inputs and the output table.

Shared by :func:`pooled_rate` and :func:`two_stage_rate`. The draws (or,
with ``strata``, the (draw, stratum) pairs) are the independent groups whose
variances add; each domain (grade, province, or ``"all"``) gives one row of
the table, with the columns :data:`COLUMNS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .checks import (
    as_vector,
    check_ci,
    check_joint,
    check_labels,
    check_pi,
    check_pooled_variance,
    check_variance,
    label_codes,
)
from .intervals import RandomPart, interval
from .reliability import reliability
from .result import COLUMNS
from .variance import certain, check_variance_groups, degrees_of_freedom, deville, joint_variance

__all__ = ["DomainResult", "JointSample", "PooledSample", "domain_table", "pooled_args", "with_joint"]


class DomainResult(NamedTuple):
    """One domain's estimate before its interval: the row of the table in the making.

    ``n_random`` counts its units with pi < 1 (``None``: taken as ``n``); ``part`` splits the rate for the
    beta interval (``None``: no certainties, R's Korn-Graubard).
    """

    label: Any
    estimate: float
    variance: float
    n: int
    n_draws: int
    df: float
    n_random: int | None = None
    part: RandomPart | None = None


@dataclass(frozen=True)
class PooledSample:
    """The checked inputs of :func:`pooled_rate` and :func:`two_stage_rate`.

    ``codes`` numbers each unit's variance group (draw, or draw and stratum),
    ``dom_codes`` its domain (``dom_values`` sorted when they can be) and
    ``draw_codes`` its draw; ``form`` is the variance method, ``level`` the
    confidence level.
    """

    y: np.ndarray
    pi: np.ndarray
    codes: np.ndarray
    groups: list[Any]
    dom_codes: np.ndarray
    dom_values: list[Any]
    draw_codes: np.ndarray
    form: str
    level: float

    def variance(self, z: np.ndarray) -> float:
        """Sum over the groups of the Hajek-Deville approximation for ``sum z / pi``."""
        return deville(z, self.pi, self.codes, len(self.groups), self.form)

    def df(self, inside: np.ndarray) -> float:
        """Degrees of freedom of a domain: its units with pi < 1 minus the groups they fall in."""
        return degrees_of_freedom(self.pi, self.codes, len(self.groups), inside)

    def n_random(self, inside: np.ndarray) -> int:
        """Units of the domain with pi < 1."""
        return int(np.count_nonzero(inside & ~certain(self.pi)))

    def n_draws(self, inside: np.ndarray) -> int:
        """Draws with at least one unit of the domain."""
        return len(np.unique(self.draw_codes[inside]))


@dataclass(frozen=True)
class JointSample(PooledSample):
    """One draw's sample with the joint inclusion probabilities of its units: exact variances (``form`` syg or ht)."""

    joint: np.ndarray | None = None

    def variance(self, z: np.ndarray) -> float:
        """Sen-Yates-Grundy or Horvitz-Thompson variance estimate of ``sum z / pi`` from the joint probabilities."""
        assert self.joint is not None
        return joint_variance(z, self.pi, self.joint, self.form)


def with_joint(sample: PooledSample, joint: Any, variance: Any) -> PooledSample:
    """`sample` with its variances from `joint` (one draw, no strata), or unchanged when `joint` is None."""
    if joint is None:
        return sample
    if len(sample.groups) != 1:
        raise ValueError(
            f"`joint` holds the joint inclusion probabilities of one draw's sampled units; the sample has "
            f"{len(sample.groups)} draws or strata (pass `joint=None` for the Hajek-Deville approximation)."
        )
    form = check_variance(variance, True)
    values = {f.name: getattr(sample, f.name) for f in fields(sample)}
    return JointSample(**{**values, "form": form}, joint=check_joint(joint, sample.pi))


def pooled_args(
    y: Any, pi: Any, draw_id: Any, domain: Any, strata: Any, variance: Any, ci: Any, level: Any, first: str
) -> PooledSample:
    """Validate the arguments shared by :func:`pooled_rate` and :func:`two_stage_rate`."""
    yy = as_vector(y, first)
    n = yy.shape[0]
    pp = check_pi(pi, n, first)
    draws = check_labels(draw_id, "draw_id", n, first)
    doms = np.full(n, "all", dtype=object) if domain is None else check_labels(domain, "domain", n, first)
    keys, what = _group_keys(draws, strata, n, first)
    form = check_pooled_variance(variance)
    lvl = check_ci(ci, level, rate=True, values=yy if first == "y" else None, name=first)
    codes, groups = label_codes(keys)
    check_variance_groups(pp, codes, groups, what)
    dom_codes, dom_values = label_codes(doms)
    draw_codes, _ = label_codes(draws)
    return PooledSample(yy, pp, codes, groups, dom_codes, dom_values, draw_codes, form, lvl)


def _group_keys(draws: np.ndarray, strata: Any, n: int, first: str) -> tuple[np.ndarray, str]:
    """The variance group of each unit (its draw, or its (draw, stratum) pair) and what a group is called."""
    if strata is None:
        return draws, "draw"
    st = check_labels(strata, "strata", n, first)
    keys = np.empty(n, dtype=object)
    keys[:] = list(zip(draws.tolist(), st.tolist(), strict=True))
    return keys, "draw and stratum"


def domain_table(results: list[DomainResult], name: str, variance: str, ci: str, level: float) -> pd.DataFrame:
    """The table of :data:`COLUMNS`, one row per domain, with standard errors, intervals and reliability flags.

    A suppressed domain (:mod:`.reliability`) keeps its counts and reason; its estimate, se and interval are NaN.
    """
    rows = [_row(result, ci, level) for result in results]
    k = len(rows)
    cols = {c: [row[i] for row in rows] for i, c in enumerate(COLUMNS) if c not in ("estimator", "variance", "ci")}
    data = {
        # the extra None keeps tuple labels as objects instead of becoming a 2-d array
        "domain": np.array(cols["domain"] + [None], dtype=object)[:k],
        **{c: np.array(cols[c], dtype=np.float64) for c in ("estimate", "se", "ci_low", "ci_high", "cv")},
        **{c: np.array(cols[c], dtype=np.int64) for c in ("n", "n_draws", "n_random")},
        "estimator": np.full(k, name, dtype=object),
        "variance": np.full(k, variance, dtype=object),
        "ci": np.full(k, f"{ci} {level:.0%}", dtype=object),
        **{c: np.array(cols[c], dtype=object) for c in ("reliability", "reliability_reason")},
    }
    return pd.DataFrame(data, columns=COLUMNS)


def _row(result: DomainResult, ci: str, level: float) -> tuple[Any, ...]:
    """One row in the order of :data:`COLUMNS` (``None`` for the three constant columns)."""
    est, var = result.estimate, result.variance
    se = math.sqrt(max(var, 0.0)) if math.isfinite(var) else math.nan
    low, high = interval(est, se, result.n, result.df, ci, level, result.part)
    n_random = result.n if result.n_random is None else result.n_random
    flag = reliability(est, se, n_random)
    if flag.label == "suppressed":
        est = se = low = high = math.nan
    head = (result.label, est, se, low, high, result.n, result.n_draws)
    return (*head, None, None, None, n_random, flag.cv, flag.label, flag.reason)
