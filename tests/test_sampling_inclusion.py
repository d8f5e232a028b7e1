"""Inclusion probabilities: R's sampling::inclusionprobabilities, floor, certainties, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling import inclusion_probabilities, stratified_inclusion_probabilities

# Reference numbers: R 4.x, package sampling 2.9, printed with sprintf("%.17g").
R_CASES = [
    # inclusionprobabilities(c(1, 2, 3, 4, 5, 10, 20, 50, 0.5, 7), 5): two units reach 1
    (
        [1, 2, 3, 4, 5, 10, 20, 50, 0.5, 7],
        5,
        [
            0.092307692307692313,
            0.18461538461538463,
            0.27692307692307688,
            0.36923076923076925,
            0.46153846153846145,
            0.92307692307692291,
            1,
            1,
            0.046153846153846156,
            0.64615384615384608,
        ],
    ),
    # inclusionprobabilities(c(120000, 80000, 3000, 1500, 900, 400, 200, 150, 90, 60, 30, 10), 6):
    # heavy tail, four certainties found in successive rounds
    (
        [120000, 80000, 3000, 1500, 900, 400, 200, 150, 90, 60, 30, 10],
        6,
        [
            1,
            1,
            1,
            1,
            0.97826086956521718,
            0.43478260869565222,
            0.21739130434782611,
            0.16304347826086954,
            0.097826086956521757,
            0.065217391304347838,
            0.032608695652173919,
            0.010869565217391306,
        ],
    ),
    # inclusionprobabilities(c(0, 3, 1, 0, 9, 27, 2), 3): zero sizes stay 0
    ([0, 3, 1, 0, 9, 27, 2], 3, [0, 0.5, 0.16666666666666669, 0, 1, 1, 0.33333333333333337]),
    # inclusionprobabilities(c(8, 8, 4, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 16, 2, 4), 7): grade-like ties
    (
        [8, 8, 4, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 16, 2, 4],
        7,
        [1, 1, 4 / 7, 4 / 7, 4 / 7, 2 / 7, 2 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1, 2 / 7, 4 / 7],
    ),
]


@pytest.mark.parametrize(("size", "n", "expected"), R_CASES)
def test_matches_r_inclusionprobabilities(size, n, expected):
    got = inclusion_probabilities(size, n)
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-16)
    assert got.sum() == pytest.approx(n, abs=1e-12)


def test_matches_r_on_a_lognormal_frame():
    # set.seed(1); a5 <- round(exp(rnorm(30)), 3); inclusionprobabilities(a5, 9)  (first 12 values)
    a5 = [
        0.534,
        1.202,
        0.434,
        4.93,
        1.39,
        0.44,
        1.628,
        2.092,
        1.779,
        0.737,
        4.535,
        1.477,
        0.537,
        0.109,
        3.08,
        0.956,
        0.984,
        2.57,
        2.273,
        1.811,
        2.507,
        2.186,
        1.077,
        0.137,
        1.859,
        0.945,
        0.856,
        0.23,
        0.62,
        1.519,
    ]
    expected12 = [
        0.10577981247523882,
        0.23810362283752257,
        0.085970858828190347,
        0.97658141479948934,
        0.2753444556939737,
        0.087159396047013254,
        0.32248976537394902,
        0.41440331029625393,
        0.35240128538099219,
        0.14599198837874719,
        0.89833604789364796,
        0.29257824536690585,
    ]
    got = inclusion_probabilities(a5, 9)
    np.testing.assert_allclose(got[:12], expected12, rtol=1e-14)


def test_certain_units_get_one_and_count_inside_the_budget():
    size = np.array([5.0, 1.0, 1.0, 2.0, 0.0])
    certain = np.array([False, True, False, False, True])
    pi = inclusion_probabilities(size, 3, certain=certain)
    assert pi[1] == 1.0 and pi[4] == 1.0
    # The one remaining draw is spread over sizes 5, 1, 2 (R: inclusionprobabilities(c(5, 1, 2), 1)).
    np.testing.assert_allclose(pi[[0, 2, 3]], [0.625, 0.125, 0.25], rtol=1e-15)


def test_certainties_by_size_and_by_flag_together():
    # R: inclusionprobabilities(c(100, 3, 1, 1, 5), 3) on the non-flagged units, budget 3 = 4 - 1 flag
    size = [100, 3, 1, 7, 1, 5]
    certain = [False, False, False, True, False, False]
    pi = inclusion_probabilities(size, 4, certain=certain)
    np.testing.assert_allclose(pi, [1, 0.6, 0.2, 1, 0.2, 1.0], rtol=1e-15)


def test_floor_binds_and_the_sum_is_exact():
    size = np.array([0.0, 0.1, 1, 1, 2, 4, 8, 50])
    pi = inclusion_probabilities(size, 4, floor=0.1)
    # By hand: 50 and 8 reach 1; the floor takes 0 and 0.1; 4 - 2 - 0.2 = 1.8 = c * (1 + 1 + 2 + 4)
    # -> c = 0.225 (check: 8 c = 1.8 >= 1, 0.1 c < 0.1).
    np.testing.assert_allclose(pi, [0.1, 0.1, 0.225, 0.225, 0.45, 0.9, 1.0, 1.0], rtol=1e-14)
    assert pi.sum() == pytest.approx(4, abs=1e-13)


def test_floor_interacting_with_caps_solved_exactly():
    # Raising the floor pushes c down, which releases a cap: values checked against the definition.
    rng = np.random.default_rng(7)
    size = rng.lognormal(0, 2, 400)
    for floor in (0.0, 0.01, 0.05, 0.07):
        pi = inclusion_probabilities(size, 30, floor=floor)
        assert pi.sum() == pytest.approx(30, abs=1e-11)
        assert pi.min() >= floor
        free = (pi > floor) & (pi < 1)
        c = pi[free] / size[free]
        np.testing.assert_allclose(c, c[0], rtol=1e-12)
        np.testing.assert_allclose(pi, np.clip(c[0] * size, floor, 1), rtol=1e-12)


def test_floor_exactly_filling_the_budget():
    pi = inclusion_probabilities([1.0, 2.0, 3.0, 4.0], 2, floor=0.5)
    np.testing.assert_allclose(pi, [0.5, 0.5, 0.5, 0.5])


def test_zero_sizes_without_floor_are_out_and_with_floor_get_it():
    assert inclusion_probabilities([0.0, 1.0, 3.0], 1).tolist() == [0.0, 0.25, 0.75]
    pi = inclusion_probabilities([0.0, 1.0, 3.0], 1, floor=0.2)
    np.testing.assert_allclose(pi, [0.2, 0.2, 0.6])


def test_all_units_to_one():
    assert inclusion_probabilities([1.0, 2.0, 3.0], 3).tolist() == [1.0, 1.0, 1.0]


@settings(max_examples=150, deadline=None)
@given(
    size=st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), min_size=2, max_size=60),
    n_frac=st.floats(0.01, 1.0),
    floor=st.sampled_from([0.0, 0.001, 0.02, 0.1]),
    n_cert=st.integers(0, 3),
)
def test_properties_sum_bounds_floor_monotone(size, n_frac, floor, n_cert):
    size = np.array(size)
    certain = np.zeros(size.size, dtype=bool)
    certain[: min(n_cert, size.size)] = True
    free = ~certain
    capacity = int(certain.sum() + (size[free] > 0).sum())
    lowest = certain.sum() + floor * free.sum()
    n = max(int(np.ceil(lowest)), int(round(n_frac * capacity)))
    if n < 1 or n > capacity:
        return
    pi = inclusion_probabilities(size, n, floor=floor, certain=certain)
    assert pi.sum() == pytest.approx(n, abs=1e-9)
    assert np.all(pi[certain] == 1.0)
    assert np.all((pi >= 0) & (pi <= 1))
    assert np.all(pi[free] >= floor)
    pos = free & (size > 0)
    if floor > 0 or n > certain.sum():
        assert np.all(pi[pos] > 0)
    # Larger size never gets a smaller probability.
    order = np.argsort(size[free], kind="stable")
    assert np.all(np.diff(pi[free][order]) >= -1e-12)


def test_stratified_budgets_apply_per_stratum():
    size = [1, 1, 2, 1, 3, 5]
    strata = ["a", "a", "a", "b", "b", "c"]
    pi = stratified_inclusion_probabilities(size, strata, {"a": 2, "b": 1, "c": 1})
    np.testing.assert_allclose(pi, [0.5, 0.5, 1.0, 0.25, 0.75, 1.0])


def test_stratified_with_floor_and_certainty():
    pi = stratified_inclusion_probabilities(
        [1, 9, 0, 4, 4], [1, 1, 1, 2, 2], {1: 2, 2: 1}, floor=0.1, certain=[False, False, True, False, False]
    )
    np.testing.assert_allclose(pi, [0.1, 0.9, 1.0, 0.5, 0.5])


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (
            ([1, 2, 3], 4),
            {},
            ValueError,
            r"`n` must be a positive integer not larger than the frame \(3 units, "
            r"of which 3 with positive size and 0 certain\) can carry: at most 3 \(3 with positive size \+ 0 certain\); "
            r"got 4\.",
        ),
        (
            ([0, 2, 3], 3),
            {},
            ValueError,
            r"of which 2 with positive size and 0 certain\) can carry: at most 2 \(2 with positive size \+ 0 certain; "
            r"units of size 0 \(1\) get probability 0 without a `floor`\); got 3",
        ),
        (([1, 2, 3], 0), {}, ValueError, "`n` must be an integer >= 1; got 0"),
        (([1, 2, 3], 1.5), {}, ValueError, "`n` must be an integer >= 1; got 1.5"),
        (([1, 2, 3], True), {}, TypeError, "`n` must be an integer >= 1; got True"),
        (([1, 2, 3], "2"), {}, TypeError, "`n` must be an integer >= 1; got '2'"),
        (([1, -2, 3], 1), {}, ValueError, "`size` must be finite and non-negative; got -2.0 at position 1"),
        (([1, np.nan, 3], 1), {}, ValueError, "`size` must be finite and non-negative; got nan at position 1"),
        (([1, np.inf], 1), {}, ValueError, "`size` must be finite and non-negative; got inf"),
        (([1e-250, 2], 1), {}, ValueError, "`size` spans too wide a range: the smallest positive size 1e-250"),
        (([[1, 2]], 1), {}, ValueError, "`size` must be 1-d; got an array of shape \\(1, 2\\)"),
        (([], 1), {}, ValueError, "`size` must not be empty"),
        ((["a", "b"], 1), {}, TypeError, "`size` must be a 1-d array of numbers"),
        (([1, 2, 3], 1), {"floor": 1.0}, ValueError, "`floor` must be in \\[0, 1\\); got 1.0"),
        (([1, 2, 3], 1), {"floor": -0.1}, ValueError, "`floor` must be in \\[0, 1\\); got -0.1"),
        (([1, 2, 3], 1), {"floor": "0.1"}, TypeError, "`floor` must be a number in \\[0, 1\\); got '0.1'"),
        (
            ([1] * 100, 1),
            {"floor": 0.02},
            ValueError,
            "`floor` = 0.02 is too high for the budget: 100 non-certain units x 0.02 = 2 exceeds `n` - certainties = 1",
        ),
        (([1, 2, 3], 1), {"certain": [True, True, False]}, ValueError, "`certain` marks 2 units, more than `n` = 1"),
        (([1, 2, 3], 1), {"certain": [1, 0, 0]}, TypeError, "`certain` must be a boolean mask; got dtype int"),
        (([1, 2, 3], 1), {"certain": [True]}, ValueError, "`certain` must be a 1-d boolean mask of length 3"),
    ],
)
def test_errors_name_the_parameter_and_value(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        inclusion_probabilities(*args, **kwargs)


@pytest.mark.parametrize(
    ("strata", "budgets", "error", "match"),
    [
        (["a", "b"], {"a": 1}, ValueError, "`budgets` has no entry for stratum 'b'"),
        (["a", "a"], {"a": 1, "z": 1}, ValueError, "`budgets` names stratum 'z', which has no units"),
        (["a", "a"], [1], TypeError, "`budgets` must be a mapping stratum -> budget"),
        (["a"], {"a": 1}, ValueError, "`strata` must be 1-d with one label per unit \\(2\\)"),
        (["a", None], {"a": 1}, ValueError, "`strata` must not contain missing labels"),
        (["a", "a"], {"a": 0}, ValueError, "`budgets\\['a'\\]` must be an integer >= 1; got 0"),
        (["a", "a"], {"a": 3}, ValueError, "stratum 'a': `n` must be a positive integer not larger than the frame"),
    ],
)
def test_stratified_errors(strata, budgets, error, match):
    with pytest.raises(error, match=match):
        stratified_inclusion_probabilities([1.0, 2.0], strata, budgets)


def test_budget_above_the_units_with_positive_size_names_the_real_limit():
    # 7 units, one of size 0: without a floor only 6 can be drawn, so n = 7 is refused naming 6.
    with pytest.raises(
        ValueError, match=r"\(7 units, of which 6 with positive size and 0 certain\) can carry: at most 6 "
    ):
        inclusion_probabilities([1, 2, 3, 4, 5, 6, 0], 7)
    assert inclusion_probabilities([1, 2, 3, 4, 5, 6, 0], 6).tolist() == [1.0] * 6 + [0.0]
    # certainties count; a floor lets zero-size units carry floor x their number
    with pytest.raises(
        ValueError, match=r"can carry: at most 3 \(1 with positive size \+ 2 certain; units of size 0 \(2\)"
    ):
        inclusion_probabilities([0, 0, 5, 1, 1], 4, certain=[False, False, False, True, True])
    with pytest.raises(
        ValueError, match=r"at most 4 \(3 with positive size \+ 0 certain \+ `floor` 0.5 x 2 of size 0\); got 5"
    ):
        inclusion_probabilities([1, 1, 1, 0, 0], 5, floor=0.5)
