"""The quarterly retraining: out-of-time evaluation, then the final fit.

1. Training set: past inspections before the as-of date (features as of each
   inspection date, label serious, weight 1 / inclusion_prob).
2. Out-of-time evaluation: each model is fitted on inspections before the
   evaluation window (the last ``eval_quarters`` quarters) and evaluated on the
   random inspections inside it, weighted; baselines likewise.
3. Final fit: each model refitted on every training row, for grading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from features.rules import is_serious

from .baselines import BASELINES, fit_baseline
from .evaluation import by_grade_table, calibration_table, evaluate, lift_table
from .grading import DEFAULT_BANDS, model_grades
from .models import MODEL_KINDS, fit_model, predict_serious
from .training import TrainingSet, build_training_set

if TYPE_CHECKING:
    from features.loading import DataSet, DateLike
    from features.tables import Tables


@dataclass
class Evaluation:
    """Out-of-time results of one model or baseline."""

    metrics: pd.DataFrame  # value, low, high, n per metric
    calibration: pd.DataFrame
    lift: pd.DataFrame
    by_grade: pd.DataFrame

    def flat_metrics(self, prefix: str = "oot_") -> dict[str, float]:
        """Each metric's value under ``<prefix><metric>`` (e.g. ``oot_brier``)."""
        return {f"{prefix}{k}": float(v) for k, v in self.metrics["value"].items()}


@dataclass
class RetrainingResult:
    """Everything one retraining produced: the training set, the out-of-time evaluations, the final models."""

    as_of: pd.Timestamp
    eval_start: pd.Timestamp
    training: TrainingSet
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)  # kind -> final fitted model

    def comparison(self) -> pd.DataFrame:
        """One row per model / baseline, metric values with intervals."""
        rows = {}
        for name, ev in self.evaluations.items():
            m = ev.metrics
            rows[name] = {
                f"{k}{s}": m.loc[k, c] for k in m.index for s, c in (("", "value"), ("_low", "low"), ("_high", "high"))
            }
        return pd.DataFrame(rows).T


def _evaluation(
    y: np.ndarray, p: np.ndarray, w: np.ndarray, bands: Iterable[float], replicates: int, rng: np.random.Generator
) -> Evaluation:
    return Evaluation(
        metrics=evaluate(y, p, w, replicates=replicates, rng=rng),
        calibration=calibration_table(y, p, w),
        lift=lift_table(y, p, w),
        by_grade=by_grade_table(model_grades(p, bands), y, p, w),
    )


class NotEnoughHistory(ValueError):
    """Too few past inspections before the as-of date to fit and evaluate a model out of time."""


def evaluation_start(as_of: DateLike, eval_quarters: int = 4) -> pd.Timestamp:
    """The first day of the out-of-time evaluation window: the start of the quarter ``eval_quarters`` before.

    >>> evaluation_start("2026-10-01").date(), evaluation_start("2026-11-15").date()
    (datetime.date(2025, 10, 1), datetime.date(2025, 10, 1))
    """
    return (pd.Timestamp(as_of) - pd.DateOffset(months=3 * eval_quarters)).to_period("Q").start_time


def check_history(
    data: DataSet | Tables, as_of: DateLike, *, eval_quarters: int = 4, nonrandom: str = "exclude"
) -> None:
    """Refuse, with :class:`NotEnoughHistory`, an as-of date with too little history to retrain on.

    The models are fitted on the inspections before the evaluation window
    (they need a serious and a not-serious outcome) and evaluated on the
    random inspections inside it (at least one). Only the inspections table
    is read, so the check costs nothing before the long work.

    >>> ins = pd.DataFrame({"inspected_on": pd.to_datetime(["2024-05-14", "2024-08-01", "2025-03-11"]),
    ...                     "kind": "random", "outcome": ["none", "major", "none"]})
    >>> check_history({"inspections": ins}, "2012-01-01")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    riskmodel.quarterly.NotEnoughHistory: not enough history for out-of-time evaluation as of 2012-01-01: the
    models are fitted on the inspections before 2011-01-01 (at least one serious and one not serious: there
    are 0, 0 serious) and evaluated on the random inspections from 2011-01-01 to 2012-01-01 (at least one:
    there are 0). The data hold 3 inspections, from 2024-05-14 to 2025-03-11: choose a later as-of date.
    >>> check_history({"inspections": ins}, "2026-01-01") is None
    True
    """
    as_of, eval_start = pd.Timestamp(as_of), evaluation_start(as_of, eval_quarters)
    tables = data.tables if hasattr(data, "tables") else data
    ins = tables["inspections"]
    used = ins[(ins["inspected_on"] < as_of) & ((ins["kind"] == "random") | (nonrandom != "exclude"))]
    train = used[used["inspected_on"] < eval_start]
    n_test = int(((used["inspected_on"] >= eval_start) & (used["kind"] == "random")).sum())
    serious = int(is_serious(train["outcome"]).sum())
    if n_test == 0 or serious in (0, len(train)):
        raise NotEnoughHistory(_history_message(ins, as_of, eval_start, len(train), serious, n_test))


def _history_message(
    ins: pd.DataFrame, as_of: pd.Timestamp, eval_start: pd.Timestamp, n_train: int, serious: int, n_test: int
) -> str:
    """How much history there is and how much the retraining needs, in words."""
    dates = ins["inspected_on"].dropna()
    span = (
        f"The data hold {len(dates)} inspections, from {dates.min().date()} to {dates.max().date()}"
        if len(dates)
        else "The data hold no inspection"
    )
    advice = "."
    if len(dates) and dates.min() >= eval_start:
        advice = ": choose a later as-of date."
    elif len(dates) and dates.max() < eval_start:
        advice = ": choose an earlier as-of date."
    return (
        f"not enough history for out-of-time evaluation as of {as_of.date()}: the models are fitted on the "
        f"inspections before {eval_start.date()} (at least one serious and one not serious: there are {n_train}, "
        f"{serious} serious) and evaluated on the random inspections from {eval_start.date()} to "
        f"{as_of.date()} (at least one: there are {n_test}). {span}{advice}"
    )


def retrain(
    data: DataSet | Tables,
    as_of: DateLike,
    *,
    kinds: Iterable[str] = MODEL_KINDS,
    eval_quarters: int = 4,
    nonrandom: str = "exclude",
    bands: Iterable[float] = DEFAULT_BANDS,
    seed: int = 0,
    replicates: int = 200,
    progress: Callable[[str], object] | None = None,
) -> RetrainingResult:
    """Run the quarterly retraining on a data directory's tables.

    ``progress`` (optional) is called with a short message before each long step.
    """
    say = progress or (lambda message: None)
    as_of = pd.Timestamp(as_of)
    eval_start = evaluation_start(as_of, eval_quarters)
    check_history(data, as_of, eval_quarters=eval_quarters, nonrandom=nonrandom)
    say("building the training set (features as of each past inspection)")
    ts = build_training_set(data, as_of, nonrandom=nonrandom)
    train, test = ts.before(eval_start), ts.on_or_after(eval_start)
    test = test.subset(test.meta["kind"].to_numpy() == "random")
    result = RetrainingResult(as_of=as_of, eval_start=eval_start, training=ts)
    rng = np.random.default_rng(seed)
    for kind in kinds:
        say(f"out-of-time evaluation: {kind}")
        model = fit_model(kind, train.X, train.y, train.w, random_state=seed)
        result.evaluations[kind] = _evaluation(test.y, predict_serious(model, test.X), test.w, bands, replicates, rng)
    for name in BASELINES:
        predict = fit_baseline(name, train.X, train.y, train.w)
        result.evaluations[name] = _evaluation(test.y, predict(test.X), test.w, bands, replicates, rng)
    for kind in kinds:
        say(f"final fit on all {len(ts)} rows: {kind}")
        result.models[kind] = fit_model(kind, ts.X, ts.y, ts.w, random_state=seed)
    return result
