"""An interpretable scorecard: monotone binning + WoE + L2 logistic regression,
with points per feature.

Risk points: 500 points are the training population's average odds of a
serious finding; every 20 points (``pdo``) double the odds. A feature's points
are ``factor * coef * WoE`` of the body's bin, so the score is the sum of the
base points and the feature points, and reasons can say how many points each
feature cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils import Tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .binning import MonotoneBinning

__all__ = ["Scorecard"]


def _require_frame(X: object) -> pd.DataFrame:
    """``X`` if it is a DataFrame with at least one column, else a TypeError or ValueError saying why."""
    if not isinstance(X, pd.DataFrame):
        hint = " (sparse input is not supported)" if sparse.issparse(X) else ""
        raise TypeError(f"`X` must be a pandas DataFrame with feature names; got {type(X).__name__}{hint}.")
    if X.shape[1] == 0:  # said as scikit-learn says it (a frame without columns has no dtype to convert)
        raise ValueError(
            f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of 1 is required by Scorecard."
        )
    return X


def _check_binary(classes: np.ndarray, y: np.ndarray, w: np.ndarray) -> None:
    """Two classes, each with a positive total weight (else no log-odds to learn)."""
    if len(classes) != 2:
        raise ValueError(f"Only binary classification is supported by Scorecard; `y` holds {len(classes)} class(es).")
    empty = [classes.tolist()[k] for k in range(2) if np.sum(w[y == k]) <= 0]
    if empty:
        raise ValueError(f"Each class of `y` needs a positive total `sample_weight`; class {empty[0]!r} has none.")


class Scorecard(ClassifierMixin, BaseEstimator):
    """Monotone-binned logistic scorecard.

    A binary classifier of a pandas DataFrame: each feature is binned and
    scored under its own name, so ``X`` must be a DataFrame (a numpy array is
    refused with a TypeError). Features are taken by name when predicting, so
    the columns may come in another order or with extra columns.

    Parameters
    ----------
    directions : dict[str, int] or None, default=None
        Expected direction per feature (+1 risk rises with the feature, -1 falls,
        0 learn it); missing features default to 0.
    max_bins, min_bin_share : binning settings (see :class:`MonotoneBinning`).
    C : float, default=0.5
        Inverse L2 regularisation strength of the logistic regression.
    pdo : float, default=20.0
        Points to double the odds.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; the second is the "serious" class.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        The columns of ``X`` at fit (when they are strings).
    features_ : list of str
        Features kept in the model (a feature whose WoE is constant, or whose
        coefficient would reverse its monotone WoE, is dropped).
    binners_ : dict of str to MonotoneBinning
    coef_ : dict of str to float
        Logistic coefficient of each kept feature's WoE.
    intercept_, base_rate_, factor_, base_points_ : float
        Logistic intercept, weighted serious rate, points per unit of log-odds
        (``pdo / ln 2``) and the points of a body at the intercept.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=500), "b": rng.normal(size=500)})
    >>> y = (rng.uniform(size=500) < 1 / (1 + np.exp(-2 * X["a"]))).astype(int)
    >>> sc = Scorecard(directions={"a": 1, "b": 0}).fit(X, y)
    >>> sc.predict_proba(X).shape
    (500, 2)
    """

    def __init__(
        self,
        *,
        directions: Mapping[str, int] | None = None,
        max_bins: int = 6,
        min_bin_share: float = 0.05,
        C: float = 0.5,
        pdo: float = 20.0,
    ) -> None:
        self.directions = directions
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share
        self.C = C
        self.pdo = pdo

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _names(self) -> list[str]:
        """Name of each input column: its DataFrame name, or x0, x1, ... when the names are not strings."""
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{i}" for i in range(self.n_features_in_)]

    def fit(self, X: pd.DataFrame, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Bin every feature, fit the logistic regression on the WoE, derive the points."""
        values, labels = validate_data(self, _require_frame(X), y, dtype=np.float64)
        check_classification_targets(labels)
        self.classes_, y = np.unique(labels, return_inverse=True)
        w = _check_sample_weight(sample_weight, values)
        _check_binary(self.classes_, y, w)
        w = w / w.mean()
        directions = self.directions or {}
        names = self._names()
        binners = {
            c: MonotoneBinning(
                direction=directions.get(c, 0), max_bins=self.max_bins, min_bin_share=self.min_bin_share
            ).fit(values[:, j], y, w)
            for j, c in enumerate(names)
        }
        kept = [c for c, b in binners.items() if np.ptp(b.woe_) > 1e-9]
        woe = pd.DataFrame({c: binners[c].transform(values[:, names.index(c)]) for c in kept})
        while True:  # a negative coefficient would reverse a monotone WoE: drop and refit
            lr = LogisticRegression(C=self.C, max_iter=2000).fit(woe[kept], y, sample_weight=w)
            negative = [c for c, b in zip(kept, lr.coef_[0]) if b <= 0]
            if not negative or len(kept) == len(negative):
                break
            kept = [c for c in kept if c not in negative]
        self.binners_ = {c: binners[c] for c in kept}
        self.features_ = kept
        self.coef_ = dict(zip(kept, lr.coef_[0]))
        self.intercept_ = float(lr.intercept_[0])
        self.base_rate_ = float(np.average(y, weights=w))
        self.factor_ = self.pdo / np.log(2)
        self.base_points_ = 500 + self.factor_ * (self.intercept_ - np.log(self.base_rate_ / (1 - self.base_rate_)))
        return self

    def _woe(self, X: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self, "coef_")
        X = _require_frame(X)
        fitted = list(getattr(self, "feature_names_in_", []))
        if fitted and list(X.columns) != fitted and set(fitted) <= set(X.columns):
            X = X[fitted]  # features are taken by name: other column orders and extra columns are fine
        values = validate_data(self, X, reset=False, dtype=np.float64)
        names = self._names()
        return pd.DataFrame(
            {c: self.binners_[c].transform(values[:, names.index(c)]) for c in self.features_}, index=X.index
        )

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Log-odds of the serious class."""
        woe = self._woe(X)
        return self.intercept_ + woe.to_numpy() @ np.array([self.coef_[c] for c in self.features_])

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probabilities of the two classes, shape (n, 2)."""
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The serious class where its probability is at least 0.5, else the other."""
        serious = self.predict_proba(X)[:, 1] >= 0.5
        return self.classes_[serious.astype(int)]

    def feature_points(self, X: pd.DataFrame) -> pd.DataFrame:
        """Points each feature adds to each row's score (features not used: 0)."""
        woe = self._woe(X)
        points = pd.DataFrame(0.0, index=X.index, columns=self._names())
        for c in self.features_:
            points[c] = self.factor_ * self.coef_[c] * woe[c]
        return points

    def points(self, X: pd.DataFrame) -> np.ndarray:
        """Risk points: base points plus the features' points (higher = riskier)."""
        return self.base_points_ + self.feature_points(X).sum(axis=1).to_numpy()

    def points_table(self) -> pd.DataFrame:
        """Every used feature's bins with their WoE and points."""
        check_is_fitted(self, "coef_")
        rows = []
        for c in self.features_:
            b = self.binners_[c]
            for label, woe, weight in zip(b.bin_labels(), b.woe_, b.bin_weight_):
                rows.append(
                    {
                        "feature": c,
                        "bin": label,
                        "weight": weight,
                        "woe": woe,
                        "points": self.factor_ * self.coef_[c] * woe,
                    }
                )
        return pd.DataFrame(rows)
