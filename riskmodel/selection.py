"""Model choice by what the draw needs: capture at the budget and ranking, beyond the bootstrap noise.

Every retraining scores every candidate on one shared out-of-time window (the
random inspections of the last quarters, weighted by 1 / inclusion_prob).
The rule (docs/riskmodel.md, "How the champion is chosen"):

1. **Calibration gate.** A candidate is eligible when its predictions are
   calibrated enough to set grades from: the weighted mean absolute gap
   between observed and predicted rates over the deciles of the prediction is
   at most :data:`MAX_DECILE_GAP` plus twice what a perfectly calibrated model
   shows by chance on so many rows, and the observed-to-predicted ratio over
   the window is within :data:`RATIO_RANGE` widened by two of its standard
   errors (small windows are noisy). It must also rank at least as well
   as the last-outcome baseline: its AUC not below the baseline's beyond the
   noise (the paired bootstrap interval of the difference not wholly below 0).
   If no candidate passes, the gate is waived and the table says so.
2. **Simplest first.** The candidates are taken from the simplest
   (:data:`COMPLEXITY`) to the most complex. A more complex candidate
   replaces the one kept so far only when it is better beyond the noise: the
   95 % paired-bootstrap interval of its gain (the same resampled rows for
   both) lies above 0 for the share of serious findings captured at the
   budget and is not wholly below 0 for the AUC, or the other way round.
   Otherwise the simpler one is kept.
3. The **challenger** is the best other eligible candidate by captured share,
   then AUC.

Pure functions of the predictions: no MLflow, no I/O. Randomness from the
``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .evaluation import captured_at_budget, check_budget_share, weighted_auc

__all__ = ["COMPLEXITY", "MAX_DECILE_GAP", "RATIO_RANGE", "Selection", "select_model"]

#: Candidate kinds from the simplest to the most complex; an unknown kind counts as the most complex.
COMPLEXITY = ("logistic", "scorecard", "boosting")
#: Largest weighted mean |observed - predicted| over the prediction's deciles for a calibrated candidate.
MAX_DECILE_GAP = 0.05
#: Allowed range of observed / predicted serious rate over the evaluation window.
RATIO_RANGE = (2 / 3, 3 / 2)
#: The baseline every candidate must rank at least as well as.
BASELINE = "last_outcome"


@dataclass(frozen=True)
class Selection:
    """The decision: ``chosen`` (the new champion), ``challenger`` (or None), the ``table`` and the ``rule``.

    ``table`` has one row per candidate: its kind, AUC and captured share with
    95 % bootstrap intervals, the calibration figures, ``eligible`` and
    ``gate`` (the reason in words), and its gain over the chosen candidate
    (``capture_gain``, ``auc_gain`` with their paired intervals).
    """

    chosen: str
    challenger: str | None
    table: pd.DataFrame
    rule: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the names, the rule and the table's rows."""
        rows = self.table.astype(object).where(self.table.notna(), None).to_dict(orient="records")
        return {"chosen": self.chosen, "challenger": self.challenger, "rule": self.rule, "candidates": rows}


def _scores(y: np.ndarray, w: np.ndarray, preds: Mapping[str, np.ndarray], share: float) -> np.ndarray:
    """(models, 2): captured share and AUC of each prediction on the rows given."""
    return np.array([[captured_at_budget(y, p, w, share), weighted_auc(y, p, w)] for p in preds.values()])


def _bootstrap(
    y: np.ndarray, w: np.ndarray, preds: Mapping[str, np.ndarray], share: float, reps: int, rng: np.random.Generator
) -> np.ndarray:
    """(reps, models, 2): every model scored on the same resampled rows in each replicate."""
    out = np.empty((reps, len(preds), 2))
    for r in range(reps):
        i = rng.integers(0, len(y), len(y))
        out[r] = _scores(y[i], w[i], {k: p[i] for k, p in preds.items()}, share)
    return out


def _interval(values: np.ndarray) -> tuple[float, float]:
    ok = values[np.isfinite(values)]
    if len(ok) == 0:
        return float("nan"), float("nan")
    return float(np.quantile(ok, 0.025)), float(np.quantile(ok, 0.975))


def _calibration(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> dict[str, float]:
    """The decile gap and the observed / predicted ratio, each with its allowance for chance.

    ``gap``: weighted mean |observed - predicted| over the deciles of ``p``; ``gap_chance`` what a perfectly
    calibrated model shows by chance, ``sqrt(2 / pi)`` times each decile's binomial standard error at its
    effective size ``(sum w)^2 / sum w^2``. ``ratio``: observed over predicted serious weight;
    ``ratio_se`` its binomial standard error ``sqrt(sum w^2 p (1 - p)) / sum w p``.
    """
    order = np.argsort(p, kind="stable")
    bins = [b for b in np.array_split(order, 10) if len(b)]
    gaps, chance, sizes = [], [], []
    for b in bins:
        wb, pb = w[b], p[b]
        mean_p = float(np.average(pb, weights=wb))
        gaps.append(abs(float(np.average(y[b], weights=wb)) - mean_p))
        n_eff = wb.sum() ** 2 / np.sum(wb**2)
        chance.append(np.sqrt(2 / np.pi) * np.sqrt(mean_p * (1 - mean_p) / n_eff))
        sizes.append(wb.sum())
    predicted = float(np.sum(w * p))
    ratio = float(np.sum(w * y)) / predicted if predicted > 0 else float("inf")
    ratio_se = float(np.sqrt(np.sum(w**2 * p * (1 - p)))) / predicted if predicted > 0 else float("inf")
    return {
        "gap": float(np.average(gaps, weights=sizes)),
        "gap_chance": float(np.average(chance, weights=sizes)),
        "ratio": ratio,
        "ratio_se": ratio_se,
    }


def _rank(kind: str) -> int:
    return COMPLEXITY.index(kind) if kind in COMPLEXITY else len(COMPLEXITY)


def _gate(cal: dict[str, float], baseline_gain: tuple[float, float] | None) -> str:
    """'' when the candidate passes, else the reasons in words."""
    reasons = []
    gap_limit = MAX_DECILE_GAP + 2 * cal["gap_chance"]
    if not cal["gap"] <= gap_limit:
        reasons.append(f"decile calibration gap {cal['gap']:.3f} above {gap_limit:.3f}")
    low, high = RATIO_RANGE[0] - 2 * cal["ratio_se"], RATIO_RANGE[1] + 2 * cal["ratio_se"]
    if not low <= cal["ratio"] <= high:
        reasons.append(f"observed / predicted {cal['ratio']:.2f} outside [{low:.2f}, {high:.2f}]")
    if baseline_gain is not None and baseline_gain[1] < 0:
        reasons.append(f"AUC below the {BASELINE} baseline beyond the noise (gain interval {_fmt(baseline_gain)})")
    return "; ".join(reasons)


def _fmt(interval: tuple[float, float]) -> str:
    return f"[{interval[0]:+.3f}, {interval[1]:+.3f}]"


def _better(boot: np.ndarray, a: int, b: int) -> tuple[bool, tuple[float, float], tuple[float, float]]:
    """Whether model ``b`` beats ``a`` beyond the noise, and the intervals of its capture and AUC gains."""
    cap = _interval(boot[:, b, 0] - boot[:, a, 0])
    auc = _interval(boot[:, b, 1] - boot[:, a, 1])
    wins = (cap[0] > 0 and not auc[1] < 0) or (auc[0] > 0 and not cap[1] < 0)
    return wins, cap, auc


def _check(y: ArrayLike, w: ArrayLike, preds: Mapping[str, ArrayLike], kinds: Mapping[str, str]) -> tuple:
    yy, ww = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    if len(yy) == 0 or len(np.unique(yy)) < 2:
        raise ValueError(
            "the evaluation window must hold serious and non-serious random inspections to compare models."
        )
    if not preds:
        raise ValueError("no candidate to choose from.")
    pp = {k: np.asarray(v, dtype=float) for k, v in preds.items()}
    for name, p in pp.items():
        if p.shape != yy.shape:
            raise ValueError(f"candidate {name!r} has {p.shape[0]} predictions for {yy.shape[0]} evaluation rows.")
        if name not in kinds:
            raise ValueError(f"candidate {name!r} has no kind (one of {', '.join(COMPLEXITY)}).")
    return yy, ww, pp


def select_model(
    y: ArrayLike,
    w: ArrayLike,
    predictions: Mapping[str, ArrayLike],
    kinds: Mapping[str, str],
    *,
    baseline: ArrayLike | None = None,
    budget_share: float = 0.25,
    replicates: int = 500,
    rng: np.random.Generator | int | None = None,
) -> Selection:
    """Choose the champion among the candidates' out-of-time ``predictions`` (the rule of the module docstring).

    ``kinds`` maps each candidate to its kind (its place in :data:`COMPLEXITY`);
    ``baseline`` is the last-outcome baseline's prediction on the same rows.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> risk = rng.uniform(size=3000); y = (rng.uniform(size=3000) < 0.3 * risk).astype(int)
    >>> noise = rng.uniform(size=3000)
    >>> sel = select_model(y, np.ones(3000), {"logistic": 0.3 * risk, "boosting": 0.15 * (risk + noise)},
    ...                    {"logistic": "logistic", "boosting": "boosting"}, replicates=100, rng=0)
    >>> sel.chosen, sel.challenger
    ('logistic', 'boosting')
    """
    share = check_budget_share(budget_share)
    yy, ww, preds = _check(y, w, predictions, kinds)
    gen = np.random.default_rng(rng)
    names = sorted(preds, key=lambda k: (_rank(kinds[k]), k))
    every = dict(preds) if baseline is None else {**preds, BASELINE: np.asarray(baseline, dtype=float)}
    point, boot = _scores(yy, ww, every, share), _bootstrap(yy, ww, every, share, replicates, gen)
    col = {name: i for i, name in enumerate(every)}
    rows = []
    for name in names:
        cal = _calibration(yy, preds[name], ww)
        base_gain = None if baseline is None else _interval(boot[:, col[name], 1] - boot[:, col[BASELINE], 1])
        capture_ci, auc_ci = _interval(boot[:, col[name], 0]), _interval(boot[:, col[name], 1])
        rows.append(
            {
                "candidate": name,
                "kind": kinds[name],
                "capture": point[col[name], 0],
                "capture_low": capture_ci[0],
                "capture_high": capture_ci[1],
                "auc": point[col[name], 1],
                "auc_low": auc_ci[0],
                "auc_high": auc_ci[1],
                "decile_gap": cal["gap"],
                "decile_gap_chance": cal["gap_chance"],
                "observed_over_predicted": cal["ratio"],
                "gate": _gate(cal, base_gain),
            }
        )
    table = pd.DataFrame(rows)
    waived = not (table["gate"] == "").any()
    table["eligible"] = True if waived else table["gate"] == ""
    chosen, steps = _simplest_beyond_noise(table, boot, col)
    table = _gains(table, boot, col, chosen)
    challenger = _challenger(table, chosen)
    rule = _rule(table, chosen, challenger, steps, waived, share)
    return Selection(chosen, challenger, table, rule)


def _simplest_beyond_noise(table: pd.DataFrame, boot: np.ndarray, col: Mapping[str, int]) -> tuple[str, list[str]]:
    """Walk the eligible candidates from the simplest; keep a more complex one only if it wins beyond the noise."""
    eligible = table.loc[table["eligible"], "candidate"].tolist()
    kept, steps = eligible[0], []
    for name in eligible[1:]:
        wins, cap, auc = _better(boot, col[kept], col[name])
        verdict = "better beyond the noise: kept" if wins else f"not better beyond the noise: {kept} stays"
        steps.append(f"{name} against {kept}: capture gain {_fmt(cap)}, AUC gain {_fmt(auc)}, {verdict}")
        if wins:
            kept = name
    return kept, steps


def _gains(table: pd.DataFrame, boot: np.ndarray, col: Mapping[str, int], chosen: str) -> pd.DataFrame:
    """Each candidate's gain over the chosen one, with its paired 95 % interval."""
    out = table.copy()
    for key, metric in (("capture_gain", 0), ("auc_gain", 1)):
        diffs = [boot[:, col[name], metric] - boot[:, col[chosen], metric] for name in out["candidate"]]
        out[key] = [float(np.nanmean(d)) for d in diffs]
        out[f"{key}_low"] = [_interval(d)[0] for d in diffs]
        out[f"{key}_high"] = [_interval(d)[1] for d in diffs]
    out["chosen"] = out["candidate"] == chosen
    return out


def _challenger(table: pd.DataFrame, chosen: str) -> str | None:
    others = table[table["eligible"] & (table["candidate"] != chosen)]
    if others.empty:
        return None
    return str(others.sort_values(["capture", "auc"], ascending=False, kind="stable")["candidate"].iloc[0])


def _rule(
    table: pd.DataFrame, chosen: str, challenger: str | None, steps: list[str], waived: bool, share: float
) -> str:
    """The decision in words, with its numbers."""
    first = table.loc[table["eligible"], "candidate"].iloc[0]
    parts = [
        f"ranked by the weighted share of serious findings captured by the top {share:.0%} and by AUC, "
        "paired bootstrap on the same rows; a more complex model only when better beyond the noise",
    ]
    failed = table[table["gate"] != ""]
    if waived:
        parts.append("no candidate passed the calibration gate: the gate is waived")
    for row in failed.itertuples():
        if not waived:
            parts.append(f"{row.candidate} not eligible: {row.gate}")
    parts.append(f"start from the simplest eligible, {first}")
    parts.extend(steps)
    parts.append(f"champion: {chosen}; challenger: {challenger or 'none'}")
    return "; ".join(parts) + "."
