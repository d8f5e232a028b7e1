"""Monitoring: PSI, grade migration, observed vs predicted, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from riskmodel.monitoring import (
    PSI_EPSILON,
    migration_matrix,
    observed_vs_predicted,
    psi,
    psi_band,
    psi_table,
)


def psi_formula(a, e):
    """The definition, written out: sum((a - e) ln(a / e))."""
    a, e = np.asarray(a, float), np.asarray(e, float)
    return float(np.sum((a - e) * np.log(a / e)))


# ----------------------------------------------------------------------------- PSI
EIGHT = np.arange(1.0, 9.0)  # quartile edges (numpy linear): 2.75, 4.5, 6.25 -> 2 values per bin


def test_psi_of_two_known_histograms():
    # Bins (-inf, 2.75], (2.75, 4.5], (4.5, 6.25], (6.25, inf): expected 2/2/2/2 of 8,
    # actual 3/1/1/5 of 10.
    actual = [1, 1, 1, 3, 5, 7, 7, 8, 8, 8]
    want = psi_formula([0.3, 0.1, 0.1, 0.5], [0.25] * 4)
    assert psi(EIGHT, actual, bins=4) == pytest.approx(want, rel=1e-12)
    # 0.05 ln 1.2 + 2 (-0.15) ln 0.4 + 0.25 ln 2 = 0.00912 + 0.27489 + 0.17329
    assert want == pytest.approx(0.45729, abs=1e-5)


def test_psi_identical_distributions_is_zero():
    x = np.random.default_rng(1).normal(size=1000)
    assert psi(x, x) == 0.0
    assert psi(x, x[::-1].copy()) == 0.0  # order does not matter


def test_psi_empty_bin_uses_epsilon():
    # All of `actual` in the first quartile bin: the three others are floored at eps.
    want = psi_formula([1.0, PSI_EPSILON, PSI_EPSILON, PSI_EPSILON], [0.25] * 4)
    assert psi(EIGHT, [1, 2, 1], bins=4) == pytest.approx(want, rel=1e-12)
    assert psi(EIGHT, [1, 2, 1], bins=4, eps=1e-6) > psi(EIGHT, [1, 2, 1], bins=4)


def test_psi_ties_collapse_into_fewer_bins():
    # A 0/1 flag with 80 % zeros: the deciles are 0 (x8) and 1, so two bins {0}, {1}
    # (the third, (1, inf), is empty in both and contributes exactly 0).
    expected = [0] * 8 + [1] * 2
    actual = [0] * 5 + [1] * 5
    want = psi_formula([0.5, 0.5], [0.8, 0.2])
    assert psi(expected, actual) == pytest.approx(want, rel=1e-12)
    # A constant reference: one edge, the mass either side of it.
    assert psi([3.0] * 5, [3.0] * 7) == 0.0
    assert psi([3.0] * 5, [4.0] * 7) == pytest.approx(psi_formula([PSI_EPSILON, 1.0], [1.0, PSI_EPSILON]))


def test_psi_shifted_normal_matches_population_value():
    # N(0, 1) against N(0.4, 1) cut at the deciles z_i of N(0, 1): the population
    # shares are a_i = Phi(z_i - 0.4) - Phi(z_{i-1} - 0.4) against e_i = 0.1.
    mu = 0.4
    z = stats.norm.ppf(np.arange(0, 11) / 10)
    a = np.diff(stats.norm.cdf(z - mu))
    want = psi_formula(a, np.full(10, 0.1))
    assert 0.10 < want < 0.25  # 0.153: band "watch" (and below the mu^2 = 0.16 of infinitely many bins)
    rng = np.random.default_rng(7)
    got = psi(rng.normal(size=200_000), rng.normal(mu, 1, size=200_000))
    assert got == pytest.approx(want, abs=0.005)
    assert psi_band(got) == "watch"


def test_psi_band_boundaries():
    assert [psi_band(v) for v in (0.0, 0.0999, 0.10, 0.2499, 0.25, 3.0)] == [
        "stable",
        "stable",
        "watch",
        "watch",
        "shift",
        "shift",
    ]
    with pytest.raises(ValueError, match=r"`value` must be a non-negative PSI; got -0.1"):
        psi_band(-0.1)
    with pytest.raises(ValueError, match=r"`value` must be a non-negative PSI; got nan"):
        psi_band(float("nan"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expected": [], "actual": [1.0]}, r"`expected` must contain at least one value; got an empty array"),
        ({"expected": [1.0], "actual": []}, r"`actual` must contain at least one value; got an empty array"),
        (
            {"expected": [[1.0, 2.0]], "actual": [1.0]},
            r"`expected` must be one-dimensional; got an array of shape \(1, 2\)",
        ),
        ({"expected": [1.0, np.nan], "actual": [1.0]}, r"`expected` must be finite; got 1 NaN or infinite value"),
        ({"expected": [1.0], "actual": [np.inf, 2.0]}, r"`actual` must be finite; got 1 NaN"),
        ({"expected": ["a", "b"], "actual": [1.0]}, r"`expected` must be numeric; got dtype <U1"),
        ({"expected": [1.0], "actual": [1.0], "bins": 1}, r"`bins` must be an integer >= 2; got 1"),
        ({"expected": [1.0], "actual": [1.0], "bins": 2.5}, r"`bins` must be an integer >= 2; got 2.5"),
        ({"expected": [1.0], "actual": [1.0], "eps": 0}, r"`eps` must be a number in \(0, 1\); got 0"),
    ],
)
def test_psi_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        psi(**kwargs)


def test_psi_table_bands_and_order():
    rng = np.random.default_rng(3)
    n = 50_000
    base = rng.normal(size=n)
    previous = pd.DataFrame({"score": base, "drift": base, "jump": base})
    current = pd.DataFrame({"score": base, "drift": rng.normal(0.4, 1, n), "jump": rng.normal(2.0, 1, n)})
    out = psi_table(previous, current, ["jump", "score", "drift"])
    assert list(out.columns) == ["column", "psi", "band"]
    assert out["column"].tolist() == ["jump", "score", "drift"]
    assert out["band"].tolist() == ["shift", "stable", "watch"]
    assert out.loc[1, "psi"] == 0.0
    # Default: every column of `previous`.
    assert psi_table(previous, current)["column"].tolist() == ["score", "drift", "jump"]


def test_psi_table_errors():
    prev = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, np.nan]})
    with pytest.raises(ValueError, match=r"`current` lacks column\(s\) \['y'\]"):
        psi_table(prev, prev[["x"]], ["x", "y"])
    with pytest.raises(ValueError, match=r"`previous` lacks column\(s\) \['z'\]"):
        psi_table(prev, prev, ["z"])
    with pytest.raises(ValueError, match=r"`previous` must have at least one row; got an empty frame"):
        psi_table(prev.iloc[:0], prev)
    with pytest.raises(ValueError, match=r"column 'y': `expected` must be finite; got 1 NaN"):
        psi_table(prev, prev)
    with pytest.raises(ValueError, match=r"`columns` must name at least one column; got none"):
        psi_table(prev, prev, [])
    with pytest.raises(TypeError, match=r"`current` must be a pandas DataFrame; got list"):
        psi_table(prev, [1, 2])


# ------------------------------------------------------------------------ migration
def test_migration_matrix_hand_made_example():
    prev = pd.Series({"b1": "A", "b2": "A", "b3": "B", "b4": "C", "b5": "D", "b6": "B"})
    cur = pd.Series({"b1": "A", "b2": "B", "b3": "B", "b4": "D", "b7": "A", "b8": "C"})
    m = migration_matrix(prev, cur)
    assert m.counts.index.tolist() == ["A", "B", "C", "D", "new"]
    assert m.counts.columns.tolist() == ["A", "B", "C", "D", "gone"]
    # b1 A->A, b2 A->B, b3 B->B, b6 B->gone, b4 C->D, b5 D->gone, b7 new->A, b8 new->C.
    want = np.array(
        [
            [1, 1, 0, 0, 0],
            [0, 1, 0, 0, 1],
            [0, 0, 0, 1, 0],
            [0, 0, 0, 0, 1],
            [1, 0, 1, 0, 0],
        ]
    )
    np.testing.assert_array_equal(m.counts.to_numpy(), want)
    np.testing.assert_allclose(m.shares.to_numpy(), want / want.sum(axis=1, keepdims=True))
    assert m.stayed == pytest.approx(2 / 4)  # b1, b3 kept the grade among b1..b4


def test_migration_matrix_order_empty_rows_and_categoricals():
    prev = pd.Series(["A", "B", "A"], index=[10, 11, 12])
    cur = pd.Series(pd.Categorical(["A", "A", "B"], categories=list("ABCD")), index=[12, 10, 11])
    m = migration_matrix(prev, cur)
    # Matched by body_id, not position: 10 A->A, 11 B->B, 12 A->A.
    assert m.counts.loc["A", "A"] == 2 and m.counts.loc["B", "B"] == 1
    assert m.counts.to_numpy().sum() == 3 and m.stayed == 1.0
    assert m.shares.loc["C"].isna().all()  # no body was C: shares undefined
    # A quarter with no grades at all: every body is new.
    only_new = migration_matrix(pd.Series([], dtype=object), cur)
    assert only_new.counts.loc["new", ["A", "B"]].tolist() == [2, 1]


@pytest.mark.parametrize(
    ("prev", "cur", "error", "message"),
    [
        (
            pd.Series(["A", "B"], index=[1, 1]),
            pd.Series(["A"], index=[1]),
            ValueError,
            r"`previous_grades` has duplicate body_id\(s\) \[1\]",
        ),
        (
            pd.Series(["A"], index=[1]),
            pd.Series(["E"], index=[1]),
            ValueError,
            r"`current_grades` must hold grades \['A', 'B', 'C', 'D'\]; got 'E' \(e.g. body_id 1\)",
        ),
        (
            pd.Series([None], index=[7], dtype=object),
            pd.Series(["A"], index=[1]),
            ValueError,
            r"`previous_grades` must hold grades .*; got None \(e.g. body_id 7\)",
        ),
        (
            pd.Series([], dtype=object),
            pd.Series([], dtype=object),
            ValueError,
            r"`previous_grades` and `current_grades` are both empty",
        ),
        (["A"], pd.Series(["A"]), TypeError, r"`previous_grades` must be a pandas Series indexed by body_id; got list"),
    ],
)
def test_migration_matrix_errors(prev, cur, error, message):
    with pytest.raises(error, match=message):
        migration_matrix(prev, cur)


# ---------------------------------------------------------- observed vs predicted
def test_observed_vs_predicted_by_hand():
    grades = pd.Series(["A", "A", "B", "D", "D"], index=[9, 8, 7, 6, 5])  # index is ignored
    predicted = [0.02, 0.04, 0.10, 0.40, 0.60]
    observed = [0, 1, 0, 1, 0]
    weights = [3.0, 1.0, 2.0, 1.0, 1.0]
    out = observed_vs_predicted(grades, predicted, observed, weights)
    assert out["grade"].tolist() == ["A", "B", "C", "D"]
    assert out["n"].tolist() == [2, 1, 0, 2]
    assert out["weight"].tolist() == [4.0, 2.0, 0.0, 2.0]
    # A: (3*0.02 + 1*0.04) / 4 = 0.025 predicted, 1/4 observed.
    np.testing.assert_allclose(out["predicted"].to_numpy(), [0.025, 0.10, np.nan, 0.50])
    np.testing.assert_allclose(out["observed"].to_numpy(), [0.25, 0.0, np.nan, 0.5])
    np.testing.assert_allclose(out["difference"].to_numpy(), [0.225, -0.10, np.nan, 0.0], atol=1e-15)
    unweighted = observed_vs_predicted(grades, predicted, observed)
    assert unweighted.loc[0, "predicted"] == pytest.approx(0.03)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], [], [], None), r"`grades` must contain at least one value; got an empty array"),
        ((["A", "B"], [0.1], [0, 1], None), r"`predicted` must have shape \(2,\) like `grades`; got \(1,\)"),
        ((["A"], [0.1], [0], [1, 2]), r"`weights` must have shape \(1,\) like `grades`; got \(2,\)"),
        ((["A", "X"], [0.1, 0.2], [0, 1], None), r"`grades` must hold \['A', 'B', 'C', 'D'\]; got 'X' at position 1"),
        ((["A"], [1.5], [0], None), r"`predicted` must lie in \[0, 1\]; got 1.5"),
        ((["A"], [0.5], [2], None), r"`observed` must lie in \[0, 1\]; got 2.0"),
        ((["A"], [np.nan], [0], None), r"`predicted` must not contain NaN; got 1 NaN"),
        ((["A"], [0.5], [0], [-1.0]), r"`weights` must be finite and non-negative; got -1.0"),
        ((["A"], [0.5], [0], [0.0]), r"`weights` must not all be zero"),
    ],
)
def test_observed_vs_predicted_errors(args, message):
    with pytest.raises(ValueError, match=message):
        observed_vs_predicted(*args)
