"""The calibrated risk models: a plain penalised logistic, the scorecard and monotone gradient boosting.

The plain logistic regression on the standardised features is the simplest
candidate and the baseline of the model choice (:mod:`riskmodel.selection`).
All three are wrapped in ``CalibratedClassifierCV(ensemble=False)``: the model is
fitted on all training rows, and a calibrator (Platt by default) is fitted on
its out-of-fold predictions, so grade bands read from calibrated probabilities.
Sample weights (1 / inclusion_prob) reach both the model and the calibrator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold

from features.dictionary import FEATURES

from .logistic import StandardisedLogistic
from .scorecard import Scorecard

MODEL_KINDS = ("logistic", "scorecard", "boosting")
#: The kinds' default inverse penalty ``C`` (the scorecard's is its own default).
DEFAULT_C = {"logistic": 0.1, "scorecard": 0.5}
DIRECTIONS = {f.name: f.direction for f in FEATURES}


def make_base(kind: str, random_state: int = 0, C: float | None = None) -> Any:
    """The unfitted, uncalibrated estimator of ``kind``; ``C`` the inverse penalty (logistic, scorecard)."""
    if kind not in MODEL_KINDS:
        raise ValueError(f"`kind` must be one of {', '.join(MODEL_KINDS)}; got {kind!r}.")
    if kind == "logistic":
        return StandardisedLogistic(C=DEFAULT_C["logistic"] if C is None else C)
    if kind == "scorecard":
        return Scorecard(directions=DIRECTIONS, C=DEFAULT_C["scorecard"] if C is None else C)
    return HistGradientBoostingClassifier(
        learning_rate=0.08,
        max_iter=150,
        max_leaf_nodes=15,
        min_samples_leaf=30,
        l2_regularization=1.0,
        monotonic_cst={name: d for name, d in DIRECTIONS.items() if d != 0},
        random_state=random_state,
    )


#: Folds of the calibration (stratified): a model is fitted only on rows with at least this many of each outcome.
CALIBRATION_FOLDS = 5


def make_model(
    kind: str, random_state: int = 0, calibration: str = "sigmoid", C: float | None = None
) -> CalibratedClassifierCV:
    """An unfitted calibrated model of ``kind`` (one of :data:`MODEL_KINDS`)."""
    base = make_base(kind, random_state, C)
    if calibration not in ("sigmoid", "isotonic"):
        raise ValueError(f"`calibration` must be 'sigmoid' or 'isotonic'; got {calibration!r}.")
    folds = StratifiedKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=random_state)
    return CalibratedClassifierCV(base, method=calibration, cv=folds, ensemble=False)


def fit_model(
    kind: str,
    X: pd.DataFrame,
    y: ArrayLike,
    w: ArrayLike,
    random_state: int = 0,
    calibration: str = "sigmoid",
    C: float | None = None,
) -> CalibratedClassifierCV:
    """Fit a calibrated model of ``kind`` with sample weights ``w`` (``C``: the inverse penalty, if it has one).

    Examples
    --------
    >>> from features.dictionary import FEATURE_NAMES
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame(rng.uniform(size=(400, len(FEATURE_NAMES))), columns=list(FEATURE_NAMES))
    >>> y = (rng.uniform(size=400) < 0.05 + 0.4 * X[FEATURE_NAMES[0]]).astype(int)
    >>> model = fit_model("scorecard", X, y, np.ones(400))
    >>> predict_serious(model, X).shape
    (400,)
    """
    if len(np.unique(y)) < 2:
        raise ValueError("training rows must contain both serious and non-serious outcomes; got one class only.")
    return make_model(kind, random_state, calibration, C).fit(X, y, sample_weight=w)


def base_estimator(model: CalibratedClassifierCV) -> Any:
    """The fitted scorecard or booster inside a calibrated model."""
    return model.calibrated_classifiers_[0].estimator


def predict_serious(model: Any, X: pd.DataFrame) -> np.ndarray:
    """Calibrated P(serious | inspected in the coming quarter)."""
    return model.predict_proba(X)[:, 1]
