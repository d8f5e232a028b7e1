"""Out-of-time evaluation weighted by 1 / inclusion_prob, with bootstrap intervals.

Every metric is computed on evaluation rows (random inspections in quarters
after the training data) weighted by the inverse of their inclusion
probability, so it describes the population of bodies, not the past policy's
sample. Intervals are percentile bootstraps over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from features.codes import GRADES

BOOTSTRAP_REPLICATES = 200


def top_sum(values: ArrayLike, score: ArrayLike, w: ArrayLike, share: float) -> float:
    """Sum of ``values`` over the top ``share`` of the weight by score.

    Tied scores are never cut by row order: the group of ties that straddles
    the cut contributes in proportion to the weight that falls inside (the
    expectation under random tie-breaking), so a constant score captures
    exactly ``share`` of everything.
    """
    score, w, values = np.asarray(score, float), np.asarray(w, float), np.asarray(values, float)
    levels, group = np.unique(-score, return_inverse=True)  # best first
    gw = np.bincount(group, weights=w, minlength=len(levels))
    gv = np.bincount(group, weights=values, minlength=len(levels))
    before = np.concatenate([[0.0], np.cumsum(gw)[:-1]]) / w.sum()
    inside = np.clip((share - before) * w.sum() / np.maximum(gw, 1e-300), 0.0, 1.0)
    return float((gv * inside).sum())


def check_budget_share(share: object) -> float:
    """``share`` as a float in (0, 1], or ValueError.

    >>> check_budget_share(0.25)
    0.25
    """
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise ValueError(f"`budget_share` must be a number in (0, 1]; got {share!r}.")
    return float(share)


def captured_at_budget(y: ArrayLike, score: ArrayLike, w: ArrayLike, budget_share: float) -> float:
    """Share of the (weighted) serious outcomes among the top ``budget_share`` of scores."""
    w = np.asarray(w, float)
    return top_sum(w * np.asarray(y), score, w, budget_share) / max(float((w * np.asarray(y)).sum()), 1e-12)


def top_decile_lift(y: ArrayLike, score: ArrayLike, w: ArrayLike) -> float:
    """Serious rate in the top 10 % of weight by score, over the overall rate."""
    w = np.asarray(w, float)
    rate_top = top_sum(w * np.asarray(y), score, w, 0.1) / (0.1 * w.sum())
    return float(rate_top / max(np.average(np.asarray(y), weights=w), 1e-12))


def _tie_groups(y: np.ndarray, score: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Serious and not-serious weight at each distinct score, from the lowest score up."""
    levels, group = np.unique(score, return_inverse=True)
    pos = np.bincount(group, weights=w * (y == 1), minlength=len(levels))
    neg = np.bincount(group, weights=w * (y == 0), minlength=len(levels))
    return pos, neg


def weighted_auc(y: ArrayLike, score: ArrayLike, w: ArrayLike) -> float:
    """Weighted ROC AUC: the weighted share of (serious, not serious) pairs ranked right, ties counting half.

    The value of ``sklearn.metrics.roc_auc_score(y, score, sample_weight=w)`` by one sort (the bootstraps
    call it thousands of times); NaN without both outcomes.

    >>> weighted_auc(np.array([0, 1, 0, 1]), np.array([0.1, 0.4, 0.4, 0.8]), np.array([1.0, 1, 2, 1]))
    0.8333333333333334
    """
    pos, neg = _tie_groups(np.asarray(y), np.asarray(score, float), np.asarray(w, float))
    if pos.sum() == 0 or neg.sum() == 0:
        return float("nan")
    below = np.cumsum(neg) - neg  # not-serious weight strictly below each level
    return float(np.sum(pos * (below + 0.5 * neg)) / (pos.sum() * neg.sum()))


def weighted_average_precision(y: ArrayLike, score: ArrayLike, w: ArrayLike) -> float:
    """Weighted average precision, ``sum (R_k - R_(k-1)) P_k`` over the distinct scores from the highest down.

    The value of ``sklearn.metrics.average_precision_score(y, score, sample_weight=w)``; NaN without both
    outcomes.

    >>> weighted_average_precision(np.array([0, 1, 0, 1]), np.array([0.1, 0.4, 0.4, 0.8]), np.ones(4))
    0.8333333333333333
    """
    pos, neg = _tie_groups(np.asarray(y), np.asarray(score, float), np.asarray(w, float))
    if pos.sum() == 0 or neg.sum() == 0:
        return float("nan")
    tp, fp = np.cumsum(pos[::-1]), np.cumsum(neg[::-1])
    precision = tp / np.maximum(tp + fp, 1e-300)
    recall_step = pos[::-1] / pos.sum()
    return float(np.sum(recall_step * precision))


def metric_values(y: ArrayLike, score: ArrayLike, w: ArrayLike, budget_share: float = 0.25) -> dict[str, float]:
    """Weighted ROC AUC, average precision, Brier score, capture at budget, top-decile lift."""
    y, score, w = np.asarray(y), np.asarray(score, float), np.asarray(w, float)
    return {
        "auc": weighted_auc(y, score, w),
        "average_precision": weighted_average_precision(y, score, w),
        "brier": float(np.average((np.clip(score, 0, 1) - y) ** 2, weights=w)),
        "captured_at_budget": captured_at_budget(y, score, w, budget_share),
        "top_decile_lift": top_decile_lift(y, score, w),
    }


def evaluate(
    y: ArrayLike,
    score: ArrayLike,
    w: ArrayLike,
    *,
    budget_share: float = 0.25,
    replicates: int = BOOTSTRAP_REPLICATES,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Each metric with a 95 % percentile-bootstrap interval.

    ``score`` must be a calibrated probability for the Brier score to mean
    anything; the other metrics only use its order.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(size=400); y = (rng.uniform(size=400) < p).astype(int)
    >>> table = evaluate(y, p, np.ones(400), replicates=50, rng=rng)
    >>> bool(table.loc["auc", "low"] < table.loc["auc", "value"] < table.loc["auc", "high"])
    True
    """
    rng = np.random.default_rng(rng)
    y, score, w = np.asarray(y), np.asarray(score, float), np.asarray(w, float)
    if len(y) == 0:
        raise ValueError("no evaluation rows: the evaluation window holds no random inspection.")
    point = metric_values(y, score, w, budget_share)
    draws = []
    for _ in range(replicates):
        i = rng.integers(0, len(y), len(y))
        draws.append(metric_values(y[i], score[i], w[i], budget_share))
    boot = pd.DataFrame(draws)
    table = pd.DataFrame({"value": point})
    table["low"] = boot.quantile(0.025)
    table["high"] = boot.quantile(0.975)
    table["n"] = len(y)
    return table


def calibration_table(y: ArrayLike, p: ArrayLike, w: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Weighted mean predicted vs observed per decile of the prediction."""
    y, p, w = np.asarray(y), np.asarray(p, float), np.asarray(w, float)
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)[1:-1]))
    code = np.searchsorted(edges, p, side="right")
    frame = pd.DataFrame({"bin": code + 1, "w": w, "wp": w * p, "wy": w * y})
    g = frame.groupby("bin")[["w", "wp", "wy"]].sum()
    return pd.DataFrame(
        {
            "bin": g.index,
            "weight": g["w"].to_numpy(),
            "predicted": (g["wp"] / g["w"]).to_numpy(),
            "observed": (g["wy"] / g["w"]).to_numpy(),
        }
    )


def lift_table(y: ArrayLike, score: ArrayLike, w: ArrayLike) -> pd.DataFrame:
    """Serious rate, lift and cumulative capture by decile of score (1 = riskiest; ties split)."""
    y, w = np.asarray(y), np.asarray(w, float)
    wy = w * y
    cum_wy = np.array([top_sum(wy, score, w, k / 10) for k in range(11)])
    weight = np.full(10, w.sum() / 10)
    rate = np.diff(cum_wy) / weight
    overall = wy.sum() / w.sum()
    return pd.DataFrame(
        {
            "decile": np.arange(1, 11),
            "weight": weight,
            "serious_rate": rate,
            "lift": rate / overall,
            "cumulative_capture": cum_wy[1:] / max(wy.sum(), 1e-12),
        }
    )


def by_grade_table(grades: ArrayLike, y: ArrayLike, p: ArrayLike, w: ArrayLike) -> pd.DataFrame:
    """Share, mean predicted and observed serious rate per grade (weighted)."""
    frame = pd.DataFrame({"grade": np.asarray(grades), "w": w, "wp": np.asarray(w) * p, "wy": np.asarray(w) * y})
    g = frame.groupby("grade")[["w", "wp", "wy"]].sum().reindex(list(GRADES), fill_value=0.0)
    with np.errstate(invalid="ignore"):
        return pd.DataFrame(
            {
                "grade": g.index,
                "share": (g["w"] / g["w"].sum()).to_numpy(),
                "predicted": (g["wp"] / g["w"]).to_numpy(),
                "observed": (g["wy"] / g["w"]).to_numpy(),
            }
        )
