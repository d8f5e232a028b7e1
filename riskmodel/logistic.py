"""The plain penalised logistic regression on the standardised features: the simplest candidate.

Each feature is centred and scaled by its weighted mean and standard
deviation on the training rows (a constant feature is only centred), then an
L2-penalised logistic regression with strength ``1 / C`` is fitted with the
sample weights (1 / inclusion_prob). No binning, no monotone constraints, no
interactions: the baseline the scorecard and boosting must beat beyond the
noise (:mod:`riskmodel.selection`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

__all__ = ["StandardisedLogistic"]


class StandardisedLogistic(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression on weighted-standardised features of a DataFrame.

    Parameters
    ----------
    C : float, default 0.1
        Inverse penalty strength (scikit-learn's ``C``).

    Attributes
    ----------
    classes_, feature_names_in_, mean_, scale_, coef_ (per standardised feature), intercept_

    Examples
    --------
    >>> X = pd.DataFrame({"a": [0.0, 1, 2, 3, 4, 5], "b": [1.0, 1, 1, 1, 1, 1]})
    >>> model = StandardisedLogistic(C=10).fit(X, [0, 0, 0, 1, 1, 1])
    >>> bool(model.coef_[0] > 0), float(model.scale_[1])
    (True, 1.0)
    """

    def __init__(self, C: float = 0.1) -> None:
        self.C = C

    def fit(self, X: pd.DataFrame, y: ArrayLike, sample_weight: ArrayLike | None = None) -> StandardisedLogistic:
        """Standardise with the weighted moments, then fit the penalised logistic regression."""
        values = np.asarray(X, dtype=float)
        w = np.ones(len(values)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object) if hasattr(X, "columns") else None
        self.mean_ = np.average(values, axis=0, weights=w)
        sd = np.sqrt(np.average((values - self.mean_) ** 2, axis=0, weights=w))
        self.scale_ = np.where(sd > 0, sd, 1.0)
        self._logistic = LogisticRegression(C=self.C, max_iter=2000).fit(self._standard(values), y, sample_weight=w)
        self.classes_ = self._logistic.classes_
        self.coef_ = self._logistic.coef_[0]
        self.intercept_ = float(self._logistic.intercept_[0])
        return self

    def _standard(self, values: np.ndarray) -> np.ndarray:
        return (values - self.mean_) / self.scale_

    def predict_proba(self, X: pd.DataFrame) -> Any:
        """Probabilities of the two classes (the second: serious)."""
        check_is_fitted(self, "coef_")
        return self._logistic.predict_proba(self._standard(np.asarray(X, dtype=float)))

    def predict(self, X: pd.DataFrame) -> Any:
        """The more probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
