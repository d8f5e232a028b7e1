"""Several independent draws and their domains: the checked inputs and the output table.

Shared by :func:`pooled_rate` and :func:`two_stage_rate`. The draws (or,
with ``strata``, the (draw, stratum) pairs) are the independent groups whose
variances add; each domain (grade, province, or ``"all"``) gives one row of
the table, with the columns :data:`COLUMNS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .checks import as_vector, check_ci, check_labels, check_pi, check_pooled_variance, label_codes
from .intervals import interval
from .result import COLUMNS
from .variance import check_variance_groups, degrees_of_freedom, deville

__all__ = ["DomainResult", "PooledSample", "domain_table", "pooled_args"]


class DomainResult(NamedTuple):
    """One domain's estimate before its interval: the row of the table in the making."""

    label: Any
    estimate: float
    variance: float
    n: int
    n_draws: int
    df: float


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

    def n_draws(self, inside: np.ndarray) -> int:
        """Draws with at least one unit of the domain."""
        return len(np.unique(self.draw_codes[inside]))


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
    """The table of :data:`COLUMNS`, one row per domain, with standard errors and intervals."""
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for label, est, var, n, n_draws, df in results:
        se = math.sqrt(max(var, 0.0)) if math.isfinite(var) else math.nan
        low, high = interval(est, se, n, df, ci, level)
        for key, value in zip(COLUMNS[:7], (label, est, se, low, high, n, n_draws), strict=True):
            cols[key].append(value)
    k = len(results)
    data = {
        # the extra None keeps tuple labels as objects instead of becoming a 2-d array
        "domain": np.array(cols["domain"] + [None], dtype=object)[:k],
        **{c: np.array(cols[c], dtype=np.float64) for c in ("estimate", "se", "ci_low", "ci_high")},
        "n": np.array(cols["n"], dtype=np.int64),
        "n_draws": np.array(cols["n_draws"], dtype=np.int64),
        "estimator": np.full(k, name, dtype=object),
        "variance": np.full(k, variance, dtype=object),
        "ci": np.full(k, f"{ci} {level:.0%}", dtype=object),
    }
    return pd.DataFrame(data, columns=COLUMNS)
