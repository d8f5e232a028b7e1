"""The quarterly retraining: out-of-time evaluation, then the final fit.

1. Training set: past inspections before the as-of date (features as of each
   inspection date, label serious, weight 1 / inclusion_prob).
2. Out-of-time evaluation: each model is fitted on inspections before the
   evaluation window (the last ``eval_quarters`` quarters) and evaluated on the
   random inspections inside it, weighted; baselines likewise.
3. Model choice: :func:`riskmodel.selection.select_model` on the shared window
   (every candidate, and the champion in force re-fitted by its own recipe
   when that differs from theirs).
4. Final fit: each candidate refitted on every training row, for grading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from features.dictionary import FEATURE_NAMES
from features.rules import is_serious

from .baselines import BASELINES, fit_baseline
from .evaluation import by_grade_table, calibration_table, evaluate, lift_table
from .grading import DEFAULT_BANDS, model_grades
from .models import CALIBRATION_FOLDS, DEFAULT_C, MODEL_KINDS, fit_model, make_base, predict_serious
from .regularisation import C_GRIDS, choose_c
from .selection import Selection, select_model
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
    predictions: np.ndarray = field(default_factory=lambda: np.zeros(0))  # on the evaluation rows

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
    models: dict[str, Any] = field(default_factory=dict)  # candidate -> final fitted model
    recipes: dict[str, Recipe] = field(default_factory=dict)  # candidate -> how it is made
    regularisation: dict[str, pd.DataFrame] = field(default_factory=dict)  # kind -> the C search
    selection: Selection | None = None
    champion_note: str = ""

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
    y: np.ndarray,
    p: np.ndarray,
    w: np.ndarray,
    bands: Iterable[float],
    replicates: int,
    rng: np.random.Generator,
    budget_share: float = 0.25,
) -> Evaluation:
    return Evaluation(
        metrics=evaluate(y, p, w, budget_share=budget_share, replicates=replicates, rng=rng),
        calibration=calibration_table(y, p, w),
        lift=lift_table(y, p, w),
        by_grade=by_grade_table(model_grades(p, bands), y, p, w),
        predictions=np.asarray(p, dtype=float),
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
    (they need :data:`~riskmodel.models.CALIBRATION_FOLDS` serious and as many
    not-serious outcomes, one of each in every fold of the calibration) and
    evaluated on the random inspections inside it (a serious and a not-serious
    one at least, to rank the models). Only the inspections table is read, so
    the check costs nothing before the long work.

    >>> ins = pd.DataFrame({"inspected_on": pd.to_datetime(["2024-05-14", "2024-08-01", "2025-03-11"]),
    ...                     "kind": "random", "outcome": ["none", "major", "none"]})
    >>> check_history({"inspections": ins}, "2012-01-01")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    riskmodel.quarterly.NotEnoughHistory: not enough history for out-of-time evaluation as of 2012-01-01: the
    models are fitted on the inspections before 2011-01-01 (at least 5 serious and 5 not serious, one of each
    in every fold of the calibration: there are 0, 0 serious) and evaluated on the random inspections from
    2011-01-01 to 2012-01-01 (at least one serious and one not serious: there are 0, 0 serious). The data
    hold 3 inspections, from 2024-05-14 to 2025-03-11: choose a later as-of date.
    >>> many = pd.concat([ins.iloc[:2]] * 5).assign(inspected_on=pd.Timestamp("2024-05-14"))
    >>> later = ins.iloc[1:].assign(inspected_on=pd.to_datetime(["2025-03-11", "2025-04-02"]))
    >>> check_history({"inspections": pd.concat([many, later])}, "2026-01-01") is None
    True
    >>> check_history({"inspections": ins}, "2026-01-01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    riskmodel.quarterly.NotEnoughHistory: ... (at least 5 serious and 5 not serious, ...: there are 2, 1 serious) ...
    """
    as_of, eval_start = pd.Timestamp(as_of), evaluation_start(as_of, eval_quarters)
    tables = data.tables if hasattr(data, "tables") else data
    ins = tables["inspections"]
    used = ins[(ins["inspected_on"] < as_of) & ((ins["kind"] == "random") | (nonrandom != "exclude"))]
    train = used[used["inspected_on"] < eval_start]
    test = used[(used["inspected_on"] >= eval_start) & (used["kind"] == "random")]
    serious, test_serious = int(is_serious(train["outcome"]).sum()), int(is_serious(test["outcome"]).sum())
    if min(serious, len(train) - serious) < CALIBRATION_FOLDS or min(test_serious, len(test) - test_serious) < 1:
        counts = (len(train), serious, len(test), test_serious)
        raise NotEnoughHistory(_history_message(ins, as_of, eval_start, counts))


def _history_message(
    ins: pd.DataFrame, as_of: pd.Timestamp, eval_start: pd.Timestamp, counts: tuple[int, int, int, int]
) -> str:
    """How much history there is and how much the retraining needs, in words (``counts``: the inspections the
    models are fitted on, the serious ones among them, the evaluation's and its serious ones)."""
    n_train, serious, n_test, test_serious = counts
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
        f"inspections before {eval_start.date()} (at least {CALIBRATION_FOLDS} serious and {CALIBRATION_FOLDS} not "
        f"serious, one of each in every fold of the calibration: there are {n_train}, {serious} serious) and evaluated on the random inspections from {eval_start.date()} to "
        f"{as_of.date()} (at least one serious and one not serious: there are {n_test}, {test_serious} serious). "
        f"{span}{advice}"
    )


@dataclass(frozen=True)
class Recipe:
    """How a model is made: its kind, the features it reads, its inverse penalty (None: none, or the default)."""

    kind: str
    features: tuple[str, ...] = tuple(FEATURE_NAMES)
    C: float | None = None

    def tags(self) -> dict[str, str]:
        """The recipe as registry tags (``kind``, ``features`` comma-joined, ``C``)."""
        return {"kind": self.kind, "features": ",".join(self.features), "C": "" if self.C is None else repr(self.C)}


def _chosen_c(kind: str, train: TrainingSet, seed: int) -> tuple[float | None, pd.DataFrame]:
    """The kind's ``C`` by time-ordered cross-validation on the training rows (None for boosting)."""
    if kind not in C_GRIDS:
        return None, pd.DataFrame()
    dates = train.meta["inspected_on"]
    return choose_c(
        lambda c: make_base(kind, seed, c), train.X, train.y, train.w, dates, C_GRIDS[kind], DEFAULT_C[kind]
    )


def _champion_row(champion: Recipe | None, recipes: dict[str, Recipe], columns: Iterable[str]) -> tuple[str, str]:
    """(name to evaluate the champion under, or '', a note in words)."""
    if champion is None:
        return "", "no champion yet"
    same = [n for n, r in recipes.items() if (r.kind, r.features) == (champion.kind, champion.features)]
    if same:
        return "", f"the champion's recipe ({champion.kind}, same features) is the candidate {same[0]}"
    if champion.kind not in MODEL_KINDS:
        return "", f"the champion's kind {champion.kind!r} is no longer built: not re-scored"
    missing = sorted(set(champion.features) - set(columns))
    if missing:
        return "", f"the champion's features {', '.join(missing)} are no longer built: not re-scored"
    return "champion", f"the champion ({champion.kind} on its own {len(champion.features)} features) re-scored"


def retrain(
    data: DataSet | Tables,
    as_of: DateLike,
    *,
    kinds: Iterable[str] = MODEL_KINDS,
    champion: Recipe | None = None,
    eval_quarters: int = 4,
    nonrandom: str = "exclude",
    bands: Iterable[float] = DEFAULT_BANDS,
    budget_share: float = 0.25,
    seed: int = 0,
    replicates: int = 200,
    progress: Callable[[str], object] | None = None,
) -> RetrainingResult:
    """Run the quarterly retraining on a data directory's tables, and choose the champion.

    Every candidate kind (its ``C`` chosen by time-ordered cross-validation on
    the rows before the window, :mod:`riskmodel.regularisation`), and the
    ``champion`` in force when its recipe differs from theirs, is fitted on
    the rows before the evaluation window and scored on the random
    inspections inside it; :func:`riskmodel.selection.select_model` chooses.
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
        say(f"regularisation by time-ordered cross-validation: {kind}")
        c, result.regularisation[kind] = _chosen_c(kind, train, seed)
        result.recipes[kind] = Recipe(kind, tuple(train.X.columns), c)
    name, result.champion_note = _champion_row(champion, result.recipes, train.X.columns)
    if name and champion is not None:
        result.recipes[name] = champion
    for key, recipe in result.recipes.items():
        say(f"out-of-time evaluation: {key}")
        cols = list(recipe.features)
        model = fit_model(recipe.kind, train.X[cols], train.y, train.w, random_state=seed, C=recipe.C)
        p = predict_serious(model, test.X[cols])
        result.evaluations[key] = _evaluation(test.y, p, test.w, bands, replicates, rng, budget_share)
    for key in BASELINES:
        predict = fit_baseline(key, train.X, train.y, train.w)
        result.evaluations[key] = _evaluation(test.y, predict(test.X), test.w, bands, replicates, rng, budget_share)
    result.selection = select_model(
        test.y,
        test.w,
        {k: result.evaluations[k].predictions for k in result.recipes},
        {k: r.kind for k, r in result.recipes.items()},
        baseline=result.evaluations["last_outcome"].predictions,
        budget_share=budget_share,
        replicates=replicates,
        rng=rng,
    )
    for key, recipe in result.recipes.items():
        if key in kinds or key == result.selection.chosen:
            say(f"final fit on all {len(ts)} rows: {key}")
            cols = list(recipe.features)
            result.models[key] = fit_model(recipe.kind, ts.X[cols], ts.y, ts.w, random_state=seed, C=recipe.C)
    return result
