"""riskmodel's estimators follow scikit-learn's conventions (sklearn.utils.estimator_checks).

``Scorecard`` takes a pandas DataFrame (its features are named: directions,
points and reasons are per feature), while the checks feed numpy arrays. The
checks therefore run on ``ScorecardOnArrays``, which only wraps a 2-D array in
a DataFrame with integer column labels (read by scikit-learn as "no feature
names", as for an array) and leaves every other input, and all the logic, to
``Scorecard``.

``MonotoneBinning`` bins one feature given as a one-dimensional array, like
``sklearn.isotonic.IsotonicRegression``; it says so in its tags, so
``check_estimator`` skips its data checks, and the checks that do not need
two-dimensional data run one by one below, with one-feature versions of the
data checks.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator,
    check_estimator_cloneable,
    check_estimator_repr,
    check_estimator_tags_renamed,
    check_get_params_invariance,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
    check_valid_tag_types,
    parametrize_with_checks,
)

from riskmodel.binning import MonotoneBinning
from riskmodel.scorecard import Scorecard


def framed(X):
    """A 2-D array-like as a DataFrame with integer column labels; DataFrames, sparse and 1-D input unchanged."""
    if isinstance(X, pd.DataFrame) or sparse.issparse(X):
        return X
    array = np.asarray(X)
    return pd.DataFrame(array) if array.ndim == 2 else X


class ScorecardOnArrays(Scorecard):
    """Scorecard with numpy arrays framed as DataFrames, so that the checks reach its logic."""

    def fit(self, X, y, sample_weight=None):
        return super().fit(framed(X), y, sample_weight=sample_weight)

    def decision_function(self, X):
        return super().decision_function(framed(X))

    def predict_proba(self, X):
        return super().predict_proba(framed(X))

    def predict(self, X):
        return super().predict(framed(X))


SCORECARD_EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "the bin cut points are unweighted quantiles of each feature, so repeating a row is not the same as "
        "giving it weight 2; weights (1 / inclusion probability) enter the bin rates and the logistic fit only"
    ),
    "check_fit1d": "a 1-D array is not a DataFrame: refused with TypeError, not the ValueError the check expects",
    "check_fit2d_predict1d": "a 1-D array is not a DataFrame: refused with TypeError, not the ValueError the check expects",
}


@parametrize_with_checks([ScorecardOnArrays()], expected_failed_checks=lambda est: SCORECARD_EXPECTED_FAILURES)
def test_scorecard_passes_the_sklearn_checks(estimator, check):
    check(estimator)


# ------------------------------------------------------------------ Scorecard and DataFrames
@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400), "c": rng.uniform(size=400)})
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(1 - 2 * X["a"] + X["b"]))).astype(int)
    return X, y


def test_scorecard_keeps_the_feature_names_and_takes_features_by_name(frame):
    X, y = frame
    card = Scorecard(directions={"a": 1, "b": -1}).fit(X, y)
    assert card.feature_names_in_.tolist() == ["a", "b", "c"] and card.n_features_in_ == 3
    assert card.classes_.tolist() == [0, 1]
    reordered = X[["c", "a", "b"]].assign(extra=1.0)
    np.testing.assert_array_equal(card.predict_proba(reordered), card.predict_proba(X))
    assert card.feature_points(X).columns.tolist() == ["a", "b", "c"]
    with pytest.raises(ValueError, match="The feature names should match those that were passed during fit"):
        card.predict_proba(X[["a", "b"]])
    with pytest.raises(TypeError, match="`X` must be a pandas DataFrame with feature names; got ndarray"):
        card.predict_proba(X.to_numpy())


def test_scorecard_refuses_bad_targets_and_weights(frame):
    X, y = frame
    with pytest.raises(ValueError, match="Only binary classification is supported by Scorecard"):
        Scorecard().fit(X, np.arange(len(X)) % 3)
    with pytest.raises(ValueError, match="class 1 has none"):
        Scorecard().fit(X, y, sample_weight=np.where(y == 1, 0.0, 1.0))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Scorecard().fit(X.assign(a=np.nan), y)


def test_scorecard_keyword_only_parameters_are_stored_unchanged():
    directions = {"a": 1}
    card = Scorecard(directions=directions, max_bins=4, min_bin_share=0.1, C=2.0, pdo=40.0)
    assert card.get_params() == {"directions": directions, "max_bins": 4, "min_bin_share": 0.1, "C": 2.0, "pdo": 40.0}
    assert card.directions is directions
    with pytest.raises(TypeError):
        Scorecard({"a": 1})  # positional arguments are refused


# ------------------------------------------------------------------------ MonotoneBinning
def test_monotone_binning_declares_one_feature_input():
    with pytest.warns(SkipTestWarning, match="requires input"):
        check_estimator(MonotoneBinning())


@pytest.mark.parametrize(
    "check",
    [
        check_estimator_cloneable,
        check_estimator_repr,
        check_estimator_tags_renamed,
        check_valid_tag_types,
        check_no_attributes_set_in_init,
        check_do_not_raise_errors_in_init_or_set_params,
        check_mixin_order,
        check_parameters_default_constructible,
        check_get_params_invariance,
        check_set_params,
    ],
)
def test_monotone_binning_passes_the_checks_without_data(check):
    check("MonotoneBinning", MonotoneBinning())


@pytest.fixture(scope="module")
def one_feature():
    rng = np.random.default_rng(1)
    x = rng.normal(size=500)
    y = (rng.uniform(size=500) < 1 / (1 + np.exp(1.5 - x))).astype(int)
    return x, y


def test_monotone_binning_fit_transform_like_a_sklearn_estimator(one_feature):
    x, y = one_feature
    est = MonotoneBinning(direction=0, max_bins=5)
    params = est.get_params()
    with pytest.raises(NotFittedError):
        est.transform(x)
    assert est.fit(x, y) is est
    assert est.get_params() == params  # fit does not change the parameters
    first = est.transform(x)
    np.testing.assert_array_equal(clone(est).fit(x, y).transform(x), first)  # idempotent
    np.testing.assert_array_equal(est.fit(x, y, sample_weight=np.ones(len(x))).transform(x), first)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(est)).transform(x), first)
    np.testing.assert_array_equal(est.fit_transform(x, y), first)
    order = np.random.default_rng(2).permutation(len(x))
    np.testing.assert_array_equal(est.transform(x[order]), first[order])
    assert est.direction_ == 1 and np.all(np.diff(est.woe_) >= 0)


@pytest.mark.parametrize(
    ("x", "y", "w", "message"),
    [
        (np.zeros((10, 2)), np.zeros(10), None, r"bins one feature: `x` must be one-dimensional; got shape \(10, 2\)"),
        (np.r_[np.nan, np.ones(9)], np.zeros(10), None, "Input x contains NaN"),
        (np.ones(10), np.zeros(9), None, "inconsistent numbers of samples"),
        (np.ones(10), np.zeros(10), np.ones(3), r"sample_weight.shape == \(3,\), expected \(10,\)"),
        (np.array([], dtype=float), np.array([]), None, r"0 sample\(s\)"),
    ],
)
def test_monotone_binning_validates_its_input(x, y, w, message):
    with pytest.raises(ValueError, match=message):
        MonotoneBinning().fit(x, y, sample_weight=w)
