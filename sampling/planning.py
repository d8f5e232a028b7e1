"""Precision planning: what a design should deliver, predicted before the draw.

For a quarter's frame with the design's inclusion probabilities and the
model's predictions, :func:`plan_quarter` predicts

* the expected serious findings, ``sum_k pi_k p_k`` (exact under the model);
* the expected certificate checks and problem certificates found;
* the median half-width of every published 95 % interval (overall, each
  domain, the problem-certificate rate, Hajek and model-assisted), and the
  share of quarters in which a domain would be published at all.

The half-widths come from replicated quarters drawn under the model
(:func:`sampling.replication.replicate_estimates` with ``p`` = ``q`` = the
predictions): the real design, the real estimators and intervals, so the
prediction includes the certainties, the floors, the Korn-Graubard limits
and the suppression rule exactly as the estimates will meet them. What it
cannot include is the model's own error: the difference estimator is then
"assisted" by the very probabilities its outcomes come from, and its
predicted width is a lower bound when the model is poor (docs/planning.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .replication import Quarter, replicate_estimates, summarise_replicates

__all__ = ["Plan", "plan_quarter"]

_PLAN_COLUMNS = ["scope", "domain", "estimator", "n_random", "half_width", "published", "width_vs_hajek"]


@dataclass(frozen=True)
class Plan:
    """A design's predicted yield and precision.

    ``expected_serious``: serious findings expected among the drawn bodies;
    ``expected_checked`` and ``expected_problems``: certificates checked and
    problem certificates expected among them; ``expected_rate``: the frame's
    predicted serious rate; ``table``: one row per published estimate with
    ``n_random`` (median random inspections), ``half_width`` (median),
    ``published`` (share of quarters with an interval) and ``width_vs_hajek``.
    """

    budget: int
    expected_serious: float
    expected_checked: float
    expected_problems: float
    expected_rate: float
    reps: int
    table: pd.DataFrame

    def half_width(self, scope: str = "overall", domain: str = "all", estimator: str = "pooled_hajek_ratio") -> float:
        """The predicted median half-width of one estimate (NaN when it is never published)."""
        t = self.table
        row = t[(t["scope"] == scope) & (t["domain"] == domain) & (t["estimator"] == estimator)]
        return float(row["half_width"].iloc[0]) if len(row) else float("nan")


def plan_quarter(quarter: Quarter, reps: int, seed_material: str, rng: np.random.Generator) -> Plan:
    """Predict the yield and the precision of ``quarter``'s design under its own predictions.

    ``quarter.prediction`` (serious) and ``quarter.share_prediction``
    (problem share per certificate) are required: they are the model. The
    outcomes of the replicates are drawn from them.

    Examples
    --------
    >>> q = Quarter(ids=[f"B{i}" for i in range(40)], pi=np.full(40, 0.5), p=np.full(40, 0.2),
    ...             q=np.full(40, 0.1), certs_held=np.full(40, 10), checked=np.full(40, 5),
    ...             prediction=np.full(40, 0.2), share_prediction=np.full(40, 0.1))
    >>> plan = plan_quarter(q, 20, "0" * 64, np.random.default_rng(1))
    >>> plan.budget, round(plan.expected_serious, 6), round(plan.expected_problems, 6)
    (20, 4.0, 10.0)
    """
    if quarter.prediction is None or quarter.share_prediction is None:
        raise ValueError("planning needs the model's predictions: `prediction` and `share_prediction`.")
    model_world = replace(quarter, p=quarter.prediction, q=quarter.share_prediction)
    rows = replicate_estimates(model_world, reps, seed_material, rng)
    table = summarise_replicates(rows)[_PLAN_COLUMNS]
    pi = quarter.pi
    return Plan(
        budget=int(round(float(pi.sum()))),
        expected_serious=float(np.sum(pi * quarter.prediction)),
        expected_checked=float(np.sum(pi * quarter.checked)),
        expected_problems=float(np.sum(pi * quarter.checked * quarter.share_prediction)),
        expected_rate=float(np.mean(quarter.prediction)),
        reps=reps,
        table=table.reset_index(drop=True),
    )
