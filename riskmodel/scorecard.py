"""An interpretable scorecard: monotone binning + WoE + L2 logistic regression,
with points per feature.

Risk points: 500 points are the training population's average odds of a
serious finding; every 20 points (``pdo``) double the odds. A feature's points
are ``factor * coef * WoE`` of the body's bin, so the score is the sum of the
base points and the feature points, and reasons can say how many points each
feature cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .binning import MonotoneBinning


class Scorecard(ClassifierMixin, BaseEstimator):
    """Monotone-binned logistic scorecard.

    Parameters
    ----------
    directions : dict[str, int] or None
        Expected direction per feature (+1 risk rises with the feature, -1 falls,
        0 learn it); missing features default to 0.
    max_bins, min_bin_share : binning settings (see :class:`MonotoneBinning`).
    C : float
        Inverse L2 regularisation strength of the logistic regression.
    pdo : float
        Points to double the odds.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=500), "b": rng.normal(size=500)})
    >>> y = (rng.uniform(size=500) < 1 / (1 + np.exp(-2 * X["a"]))).astype(int)
    >>> sc = Scorecard(directions={"a": 1, "b": 0}).fit(X, y)
    >>> sc.predict_proba(X).shape
    (500, 2)
    """

    def __init__(self, directions=None, max_bins: int = 6, min_bin_share: float = 0.05, C: float = 0.5, pdo: float = 20.0):
        self.directions = directions
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share
        self.C = C
        self.pdo = pdo

    def fit(self, X: pd.DataFrame, y, sample_weight=None):
        if not isinstance(X, pd.DataFrame):
            raise TypeError("`X` must be a pandas DataFrame with feature names.")
        y = np.asarray(y, dtype=int)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        w = w / w.mean()
        directions = self.directions or {}
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.classes_ = np.array([0, 1])
        binners = {
            c: MonotoneBinning(directions.get(c, 0), self.max_bins, self.min_bin_share).fit(X[c], y, w)
            for c in X.columns
        }
        kept = [c for c, b in binners.items() if np.ptp(b.woe_) > 1e-9]
        woe = pd.DataFrame({c: binners[c].transform(X[c]) for c in kept})
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
        return pd.DataFrame({c: self.binners_[c].transform(X[c]) for c in self.features_}, index=X.index)

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        woe = self._woe(X)
        return self.intercept_ + woe.to_numpy() @ np.array([self.coef_[c] for c in self.features_])

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def feature_points(self, X: pd.DataFrame) -> pd.DataFrame:
        """Points each feature adds to each row's score (features not used: 0)."""
        woe = self._woe(X)
        points = pd.DataFrame(0.0, index=X.index, columns=list(self.feature_names_in_))
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
                rows.append({"feature": c, "bin": label, "weight": weight, "woe": woe, "points": self.factor_ * self.coef_[c] * woe})
        return pd.DataFrame(rows)
