"""What the estimators return: the :class:`Estimate` of one sample and the columns of the domain tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["COLUMNS", "Estimate"]

#: Columns of the tables returned by :func:`pooled_rate` and :func:`two_stage_rate`; the last four are the
#: random inspections (pi < 1) of the domain, ``se / estimate`` and the flag of :mod:`.reliability`.
COLUMNS = [
    "domain",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "n_draws",
    "estimator",
    "variance",
    "ci",
    "n_random",
    "cv",
    "reliability",
    "reliability_reason",
]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate.
    se : float
        Estimated standard error (square root of the variance estimate).
    ci_low, ci_high : float
        Confidence interval at ``level``.
    n : int
        Number of sampled units used.
    estimator : str
        ``"ht_total"``, ``"hajek_mean"``, ...
    variance : str
        Variance method: ``"syg"`` or ``"ht"`` (with the joint inclusion
        probabilities), ``"deville1"`` or ``"deville2"`` (high-entropy
        approximation from the first-order probabilities only).
    ci : str
        Interval method: ``"normal"``, ``"t"``, ``"logit"`` or ``"beta"``.
    level : float
        Confidence level, e.g. 0.95.
    df : float
        Degrees of freedom of the variance estimate (units with ``pi < 1``
        minus the number of independent draws); used by ``ci="t"``.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    estimator: str
    variance: str
    ci: str
    level: float
    df: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (e.g. for a table row or JSON)."""
        return asdict(self)
