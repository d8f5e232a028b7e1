"""Randomised systematic pi-ps: exact first order, SRS for equal pi, Hartley-Rao vs truth."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from sampling import _systematic, draw, inclusion_probabilities, joint_inclusion_probabilities, seed_material
from sampling._systematic import hartley_rao_joint, systematic_select


def _fixed_order_joint(pi: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """Exact joint probabilities of systematic sampling in a fixed order.

    The start u0 ~ U(0, 1); the selected set only changes where u0 crosses a
    fractional part of a cumulated sum, so integrate piecewise.
    """
    cum = np.concatenate(([0.0], np.cumsum(pi[list(order)])))
    breaks = np.unique(np.concatenate(([0.0, 1.0], cum % 1.0)))
    joint = np.zeros((pi.size, pi.size))
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        u = 0.5 * (lo + hi)
        hits = np.floor(cum[1:] - u) - np.floor(cum[:-1] - u)
        chosen = np.array(order)[hits > 0]
        joint[np.ix_(chosen, chosen)] += hi - lo
    return joint


def _random_order_joint(pi: np.ndarray) -> np.ndarray:
    """Exact joint probabilities of randomised systematic sampling (all N! orders)."""
    orders = list(itertools.permutations(range(pi.size)))
    return sum(_fixed_order_joint(pi, o) for o in orders) / len(orders)


PI_7 = np.array([0.1, 0.2, 0.3, 0.4, 0.9, 0.6, 0.5])


def test_exact_first_order_for_any_order():
    for order in [(0, 1, 2, 3, 4, 5, 6), (6, 5, 4, 3, 2, 1, 0), (3, 0, 6, 1, 5, 2, 4)]:
        joint = _fixed_order_joint(PI_7, order)
        np.testing.assert_allclose(np.diag(joint), PI_7, atol=1e-12)


def test_equal_probabilities_give_simple_random_sampling():
    pi = np.full(7, 3 / 7)
    exact = _random_order_joint(pi)
    srs = 3 * 2 / (7 * 6)  # n(n-1) / (N(N-1))
    off = ~np.eye(7, dtype=bool)
    np.testing.assert_allclose(exact[off], srs, rtol=1e-12)
    hr = hartley_rao_joint(pi, np.arange(7), np.arange(7))
    np.testing.assert_allclose(hr[off], srs, rtol=1e-15)
    api = joint_inclusion_probabilities(pi, method="systematic")
    np.testing.assert_allclose(api[off], srs, rtol=1e-15)
    np.testing.assert_allclose(np.diag(api), pi)


def test_random_order_joint_probabilities_are_positive_and_hartley_rao_is_close():
    exact = _random_order_joint(PI_7)
    off = ~np.eye(7, dtype=bool)
    assert exact[off].min() > 0
    hr = joint_inclusion_probabilities(PI_7, method="systematic")
    assert hr[off].min() > 0
    # An approximation (Deville's below 1,000 units): on this tiny frame (N = 7) it is off by
    # at most 0.021 (Hartley-Rao: 0.035, measured); on N = 30 it agrees with Monte Carlo (test below).
    assert np.abs(hr - exact).max() < 0.04
    np.testing.assert_allclose(hr.sum(axis=1), 3 * PI_7, rtol=0.05)


def test_systematic_select_takes_the_units_hit_by_the_points():
    pi = np.array([0.5, 0.5, 0.5, 0.5])
    order = np.array([3, 2, 1, 0])
    # cumulated along the order: 0.5, 1.0, 1.5, 2.0; points 0.25 and 1.25 hit units 3 and 1
    assert systematic_select(pi, order, 0.25).tolist() == [False, True, False, True]
    # points 0.75 and 1.75 hit units 2 and 0
    assert systematic_select(pi, order, 0.75).tolist() == [True, False, True, False]


def test_start_uniform_and_order_come_from_the_seed_material():
    ids = [f"U{i}" for i in range(40)]
    pi = inclusion_probabilities(np.arange(1, 41), 8)
    a = draw(ids, pi, "1" * 64, "stage2", method="systematic").selected
    b = draw(ids, pi, "1" * 64, "stage2", method="systematic").selected
    c = draw(ids, pi, "2" * 64, "stage2", method="systematic").selected
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


MC_IDS = [f"U{i:02d}" for i in range(30)]
MC_PI = inclusion_probabilities(np.random.default_rng(5).lognormal(0, 0.8, 30), 6)


@pytest.fixture(scope="module")
def systematic_draws() -> np.ndarray:
    reps = 20000
    out = np.empty((reps, 30), dtype=bool)
    for r in range(reps):
        material = seed_material("7" * 64, f"sys-{r}")
        out[r] = draw(MC_IDS, MC_PI, material, "stage2", method="systematic").selected
    return out


@pytest.mark.slow
def test_monte_carlo_first_order_and_size(systematic_draws):
    reps = systematic_draws.shape[0]
    assert np.all(systematic_draws.sum(axis=1) == 6)
    z = (systematic_draws.mean(axis=0) - MC_PI) / np.sqrt(MC_PI * (1 - MC_PI) / reps)
    assert np.abs(z).max() < stats.norm.ppf(1 - 0.001 / (2 * 30))


@pytest.mark.slow
def test_monte_carlo_joint_frequencies_agree_with_hartley_rao(systematic_draws):
    reps = systematic_draws.shape[0]
    s = systematic_draws.astype(float)
    freq = s.T @ s / reps
    hr = joint_inclusion_probabilities(MC_PI, method="systematic")
    off = np.triu(np.ones((30, 30), dtype=bool), 1)
    z = (freq[off] - hr[off]) / np.sqrt(hr[off] * (1 - hr[off]) / reps)
    assert np.abs(z).max() < stats.norm.ppf(1 - 0.001 / (2 * off.sum()))  # 435 pairs, Bonferroni
    assert abs(z.mean()) < 0.2  # no systematic bias of the approximation at this size


# A small skewed frame (58 units, two certainties, pi up to 0.98) on which Hartley-Rao is rough:
# its rows miss (n - 1) pi_k by 0.068 and 2 of its 1,540 pairs lie more than 4 standard errors
# from 20,000 draws; Deville's approximation, used below HARTLEY_RAO_MIN_UNITS units, is not.
SKEWED_IDS = [f"S{i:02d}" for i in range(58)]
SKEWED_PI = inclusion_probabilities(np.random.default_rng(3).lognormal(0, 1.2, 58), 10)
ROW_SUM_TOLERANCE = 1e-12  # documented: Deville's rows sum to (n - 1) pi_k up to rounding


def _row_sum_gap(joint: np.ndarray, pi: np.ndarray) -> float:
    n = round(float(pi.sum()))
    return float(np.abs(joint.sum(axis=1) - np.diag(joint) - (n - 1) * pi).max())


@pytest.mark.parametrize(
    "pi",
    [
        SKEWED_PI,
        PI_7,
        inclusion_probabilities(np.random.default_rng(8).lognormal(0, 1.5, 12), 4, floor=0.02),
        inclusion_probabilities(np.random.default_rng(9).lognormal(0, 1.0, 400), 60, certain=np.arange(400) < 5),
        np.array([0.9964550810505143, 0.3277521433520928, 0.6757927755973929]),  # no Deville fixed point
    ],
)
def test_small_frames_rows_sum_to_n_minus_one_times_pi(pi):
    joint = joint_inclusion_probabilities(pi, method="systematic")
    assert _row_sum_gap(joint, pi) < ROW_SUM_TOLERANCE * pi.sum()
    off = ~np.eye(pi.size, dtype=bool)
    assert joint[off].min() > 0 and np.all(joint <= np.minimum.outer(pi, pi) + 1e-15)
    np.testing.assert_array_equal(np.diag(joint), pi)


def test_hartley_rao_is_rough_on_the_small_skewed_frame():
    part = SKEWED_PI < 1
    p = SKEWED_PI[part]
    hr = hartley_rao_joint(p, np.arange(p.size), np.arange(p.size))
    np.fill_diagonal(hr, p)
    assert _row_sum_gap(hr, p) > 0.05


def test_three_units_without_a_deville_fixed_point_get_the_exact_values():
    pi = np.array([0.9964550810505143, 0.3277521433520928, 0.6757927755973929])
    assert _systematic.deville_coefficients(pi) is None
    joint = joint_inclusion_probabilities(pi, method="systematic")
    # n = 2 of 3: both k and l are drawn exactly when the third unit m is not, so pi_kl = 1 - pi_m
    expected = 1 - pi
    np.testing.assert_allclose([joint[1, 2], joint[0, 2], joint[0, 1]], expected, rtol=1e-12)


def test_hartley_rao_from_the_documented_size(monkeypatch):
    pi = inclusion_probabilities(np.random.default_rng(1).lognormal(0, 1, 40), 6)
    assert pi.max() < 1
    every = np.arange(40)
    deville = joint_inclusion_probabilities(pi, method="systematic")
    np.testing.assert_allclose(deville[0, 1:], _systematic.deville_joint(pi, every, every)[0, 1:], rtol=1e-15)
    monkeypatch.setattr(_systematic, "HARTLEY_RAO_MIN_UNITS", 40)
    hr = joint_inclusion_probabilities(pi, method="systematic")
    np.testing.assert_allclose(hr[0, 1:], hartley_rao_joint(pi, every, every)[0, 1:], rtol=1e-15)
    assert np.abs(hr - deville).max() > 1e-4


@pytest.mark.slow
def test_monte_carlo_joint_frequencies_on_a_small_skewed_frame():
    reps = 20000
    draws = np.empty((reps, SKEWED_PI.size), dtype=bool)
    for r in range(reps):
        material = seed_material("5" * 64, f"small-{r}")
        draws[r] = draw(SKEWED_IDS, SKEWED_PI, material, "stage2", method="systematic").selected
    s = draws.astype(float)
    freq = s.T @ s / reps
    joint = joint_inclusion_probabilities(SKEWED_PI, method="systematic")
    part = SKEWED_PI < 1
    off = np.triu(np.outer(part, part), 1)
    z = (freq[off] - joint[off]) / np.sqrt(joint[off] * (1 - joint[off]) / reps)
    assert np.abs(z).max() < stats.norm.ppf(1 - 0.001 / (2 * off.sum()))  # 1,540 pairs, Bonferroni (4.97)
    assert abs(z.mean()) < 0.15
