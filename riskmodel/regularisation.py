"""Regularisation strength chosen by time-ordered cross-validation, never on the evaluation window.

The training rows (inspections before the evaluation window) are cut by
quarter. Each of the last :data:`FOLDS` quarters that hold both outcomes is a
validation fold; the model is fitted on every row of the earlier quarters
(an expanding window) and scored by the weighted log loss on the fold. The
strength ``C`` (inverse penalty) with the lowest mean loss wins; ties go to
the stronger penalty (the smaller ``C``). Too little history for any fold
keeps the kind's default ``C``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import log_loss

__all__ = ["C_GRIDS", "FOLDS", "choose_c", "time_ordered_folds"]

#: Validation quarters (the last ones of the training rows).
FOLDS = 3
#: The grid of ``C`` searched for each kind that has one (the scorecard's fits are dearer: fewer values).
C_GRIDS: dict[str, tuple[float, ...]] = {"logistic": (0.003, 0.01, 0.03, 0.1, 0.3, 1.0), "scorecard": (0.1, 0.5, 2.0)}
#: Least rows, and serious rows, a fold and the rows before it must hold to count.
MIN_ROWS = 30


def time_ordered_folds(dates: ArrayLike, y: ArrayLike, folds: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit rows, validation rows) for each of the last ``folds`` quarters with enough rows of both outcomes.

    >>> d = pd.to_datetime(["2024-01-05", "2024-04-02", "2024-07-09", "2024-10-01"] * 40)
    >>> y = np.tile([0, 1, 0, 1, 1, 0, 1, 0], 20)
    >>> [(len(a), len(b)) for a, b in time_ordered_folds(d, y, folds=2)]
    [(80, 40), (120, 40)]
    """
    quarters = pd.PeriodIndex(pd.to_datetime(pd.Series(dates)), freq="Q").asi8
    yy = np.asarray(y)
    out = []
    for q in np.unique(quarters)[::-1][:folds][::-1]:
        fit, val = np.flatnonzero(quarters < q), np.flatnonzero(quarters == q)
        if min(len(fit), len(val)) < MIN_ROWS or min(_both(yy[fit]), _both(yy[val])) < 1:
            continue
        out.append((fit, val))
    return out


def _both(y: np.ndarray) -> int:
    """The smaller class count."""
    return int(min(np.sum(y == 1), np.sum(y == 0)))


def choose_c(
    make: Callable[[float], Any],
    X: pd.DataFrame,
    y: ArrayLike,
    w: ArrayLike,
    dates: ArrayLike,
    grid: Sequence[float],
    default: float,
) -> tuple[float, pd.DataFrame]:
    """The ``C`` of ``grid`` with the lowest mean weighted log loss over the time-ordered folds, and the table.

    ``make(C)`` returns an unfitted estimator with ``predict_proba``. The table
    has one row per ``C``: ``C``, ``log_loss`` (mean over folds), ``folds``.
    Without any fold, ``default`` and an empty table.
    """
    yy, ww = np.asarray(y), np.asarray(w, dtype=float)
    folds = time_ordered_folds(dates, yy)
    if not folds:
        return float(default), pd.DataFrame(columns=["C", "log_loss", "folds"])
    rows = []
    for c in grid:
        losses = []
        for fit, val in folds:
            est = make(c).fit(X.iloc[fit], yy[fit], sample_weight=ww[fit])
            p = np.clip(est.predict_proba(X.iloc[val])[:, 1], 1e-9, 1 - 1e-9)
            losses.append(log_loss(yy[val], p, sample_weight=ww[val], labels=[0, 1]))
        rows.append({"C": float(c), "log_loss": float(np.mean(losses)), "folds": len(folds)})
    table = pd.DataFrame(rows)
    best = table.sort_values(["log_loss", "C"], kind="stable").iloc[0]
    return float(best["C"]), table
