"""Conditional Poisson sampling: vs R sampling, vs exact enumeration, Monte Carlo fit."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from sampling import (
    _cps,
    draw,
    inclusion_probabilities,
    joint_inclusion_probabilities,
    seed_material,
    working_probabilities,
)

# -- references from R (package sampling 2.9, sprintf("%.17g")) -----------------------

# pik <- inclusionprobabilities(c(1, 2, 3, 3, 5, 8, 9, 12, 15, 16), 4)
PIK_A = np.array([1, 2, 3, 3, 5, 8, 9, 12, 15, 16]) * 4 / 74
# UPMEpiktildefrompik(pik, eps = 1e-13)   (R's default eps = 1e-6 is too coarse to compare)
PT_A = [
    0.066659176974341219,
    0.12857379050545453,
    0.18642089172394413,
    0.18642089172394413,
    0.29224618777627115,
    0.43408791568713295,
    0.47899160628728882,
    0.61802691640568419,
    0.77494939821452513,
    0.83362322470141725,
]
# first two rows of UPMEpik2frompikw(pik, w) with w = pt / (1 - pt) from the line above
J_A_ROWS = [
    [
        0.054054054054054057,
        0.0033403104905980223,
        0.005098722436361564,
        0.005098722436361564,
        0.0088355346677250826,
        0.015206640879682721,
        0.017631077595162969,
        0.026595838328694194,
        0.038025838027573956,
        0.042329477300002187,
    ],
    [
        0.0033403104905980223,
        0.10810810810810811,
        0.010362127874471163,
        0.010362127874471163,
        0.017949178342543372,
        0.030866795902564963,
        0.035774970993321713,
        0.053870269634205728,
        0.076650964065370836,
        0.085147579146777591,
    ],
]
# pikb with two tied pairs (0.6, 0.6) and (0.5, 0.5); UPMEpiktildefrompik(pikb, eps = 1e-13)
PIK_B = np.array([0.1, 0.2, 0.25, 0.3, 0.45, 0.5, 0.6, 0.6, 0.7, 0.8, 0.5])
PT_B = [
    0.11529620880683986,
    0.22006118449142184,
    0.26935229160558516,
    0.31700702438321271,
    0.45331485352928585,
    0.49764564108483922,
    0.58683017971555784,
    0.58683017971555795,
    0.67906816493871558,
    0.77694863064414466,
    0.49764564108483922,
]
# pikc with a certainty: UPmaxentropypi2(pikc), R defaults (eps = 1e-6 inside), first row
PIK_C = np.array([1, 2, 3, 3, 5, 8, 9, 12, 15, 40]) / 58 * 3
PIK_C[-1] = 1.0
J_C_ROW1 = [
    0.051724137931034482,
    0.0028295235674163921,
    0.0043244864388586619,
    0.0043244864388586497,
    0.0075146730852963814,
    0.012999991706569153,
    0.015105354344049629,
    0.023032883180991209,
    0.033316887692184577,
    0.051724137931034482,
]


def _enumerate(w: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and joint probabilities of P(s) ~ prod w, by listing every sample."""
    size = w.size
    first, joint, total = np.zeros(size), np.zeros((size, size)), 0.0
    for s in itertools.combinations(range(size), n):
        p = float(np.prod(w[list(s)]))
        total += p
        idx = np.array(s)
        first[idx] += p
        joint[np.ix_(idx, idx)] += p
    return first / total, joint / total


def _odds(pt: np.ndarray) -> np.ndarray:
    return pt / (1 - pt)


def test_working_probabilities_match_r():
    np.testing.assert_allclose(working_probabilities(PIK_A), PT_A, rtol=1e-12)
    np.testing.assert_allclose(working_probabilities(PIK_B), PT_B, rtol=1e-12)


def test_working_probabilities_match_r_on_30_units_with_certainties():
    # set.seed(1); a5 <- round(exp(rnorm(30)), 3); pik5 <- inclusionprobabilities(a5, 9)
    # UPMEpiktildefrompik(pik5[pik5 < 1], eps = 1e-13): first 8 values (no unit of a5 reaches 1)
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
    expected8 = [
        0.11033385607472539,
        0.24175046058244934,
        0.090083986970478772,
        0.97346014976804018,
        0.27777870038639474,
        0.091303918792268776,
        0.3229674219744787,
        0.41019232169066522,
    ]
    pt = working_probabilities(inclusion_probabilities(a5, 9))
    np.testing.assert_allclose(pt[:8], expected8, rtol=1e-12)
    assert pt.sum() == pytest.approx(9, abs=1e-12)


def test_joint_probabilities_match_r_upmepik2frompikw():
    joint = joint_inclusion_probabilities(PIK_A, method="cps")
    np.testing.assert_allclose(joint[:2], J_A_ROWS, rtol=1e-11)


def test_joint_probabilities_with_ties_match_r():
    # R: UPMEpik2frompikw(pikb, w)[6, ] with w from UPMEpiktildefrompik(pikb, eps = 1e-13);
    # R fills the tied pair (6, 11) from the row sum.
    row6 = [
        0.03940668072613087,
        0.080524259231969528,
        0.1018240915903801,
        0.12368126659353708,
        0.19315289081425649,
        0.5,
        0.26945313251692032,
        0.26945313251692066,
        0.32393550104920527,
        0.38077405629661898,
        0.21779498866406044,
    ]
    joint = joint_inclusion_probabilities(PIK_B, method="cps")
    np.testing.assert_allclose(joint[5], row6, rtol=1e-10)
    assert joint[5, 10] == joint[10, 5]


def test_joint_with_a_certainty_matches_r_defaults_to_their_accuracy():
    # R's UPmaxentropypi2 stops its working-probability iteration at eps = 1e-6,
    # so only ~6 digits of its output are meaningful.
    joint = joint_inclusion_probabilities(PIK_C, method="cps")
    np.testing.assert_allclose(joint[0], J_C_ROW1, rtol=2e-5)
    np.testing.assert_array_equal(joint[-1], PIK_C)  # certainty: pi_kl = pi_l


_NEAR = [0.3, 0.3 + 1e-9, 0.3 + 1e-6, 0.3 + 1e-4, 0.9, 0.85]
FRAMES = [
    ([0.1, 0.2, 0.3, 0.4, 0.9, 0.6, 0.5], 3),
    ([0.2, 0.2, 0.2, 0.6, 0.6, 0.9, 0.3], 3),  # ties
    ([*_NEAR, 3 - sum(_NEAR)], 3),  # near ties: relative gaps 3e-9, 3e-6, 3e-4
    ([1e-4, 0.9999, 0.5, 0.5, 0.75, 0.25], 3),  # extremes
    ([0.9, 0.95, 0.8, 0.85, 0.7, 0.99, 0.81], 6),  # n = N - 1
    ([0.1, 0.2, 0.3, 0.15, 0.25], 1),  # n = 1
    (list(inclusion_probabilities(np.arange(1, 9), 4)), 4),  # N = 8
]


@pytest.mark.parametrize(("pi", "n"), FRAMES)
def test_against_exact_enumeration(pi, n):
    pi = np.array(pi)
    pt = working_probabilities(pi)
    first, joint = _enumerate(_odds(pt), n)
    np.testing.assert_allclose(first, pi, rtol=1e-11, atol=1e-15)
    ours = joint_inclusion_probabilities(pi, method="cps")
    np.testing.assert_allclose(ours, joint, rtol=1e-9, atol=1e-15)


def test_suffix_table_matches_brute_force_symmetric_polynomials():
    w = np.array([0.3, 1.7, 0.05, 2.2, 0.9, 1.0])
    table = _cps.suffix_log_table(np.log(w), 4)
    for k in range(w.size + 1):
        for j in range(5):
            e = sum(math.prod(c) for c in itertools.combinations(w[k:], j))
            assert math.exp(table[j, k]) == pytest.approx(e, rel=1e-13, abs=0) if e else table[j, k] == -np.inf


def test_sequential_method_has_the_conditional_poisson_distribution():
    # Exact law of the sequential procedure (product of its conditional probabilities),
    # compared with prod(w) / e_n for every sample.
    w = np.array([0.3, 1.7, 0.05, 2.2, 0.9, 1.0, 0.4])
    n = 3
    log_w = np.log(w)
    table = _cps.suffix_log_table(log_w, n)
    total = sum(math.prod(c) for c in itertools.combinations(w, n))
    for s in itertools.combinations(range(w.size), n):
        p, left = 1.0, n
        for k in range(w.size):
            if left == 0:
                q = 0.0
            elif left >= w.size - k:
                q = 1.0
            else:
                q = 1 / (1 + math.exp(table[left, k + 1] - log_w[k] - table[left - 1, k + 1]))
            p *= q if k in s else 1 - q
            left -= k in s
        assert p == pytest.approx(math.prod(w[list(s)]) / total, rel=1e-12)


def test_sequential_select_uses_the_uniforms_in_order():
    log_w = np.log(np.array([1.0, 1.0, 1.0, 1.0]))
    # Equal odds, n = 2: the first unit is taken with probability 1/2.
    assert _cps.sequential_select(log_w, 2, np.array([0.49, 0.9, 0.9, 0.9])).tolist() == [True, False, False, True]
    assert _cps.sequential_select(log_w, 2, np.array([0.51, 0.1, 0.9, 0.9])).tolist() == [False, True, False, True]


@pytest.mark.parametrize("kind", ["grades", "lognormal"])
def test_joint_probabilities_of_a_stage1_frame_are_consistent(kind):
    rng = np.random.default_rng(11)
    if kind == "grades":
        size = rng.choice([1, 2, 4, 8], 400, p=[0.6, 0.25, 0.1, 0.05]) * rng.choice([1, 2], 400, p=[0.9, 0.1])
    else:
        size = rng.lognormal(0, 1, 400)
    pi = inclusion_probabilities(size, 90, floor=0.02)
    joint = joint_inclusion_probabilities(pi, method="cps")
    n = 90
    # Fixed size: each row sums to n * pi_k (diagonal included); symmetric; 0 < pi_kl <= min.
    np.testing.assert_allclose(joint.sum(axis=1), n * pi, rtol=1e-10)
    np.testing.assert_array_equal(joint, joint.T)
    off = ~np.eye(pi.size, dtype=bool)
    assert joint[off].min() > 0
    assert np.all(joint <= np.minimum.outer(pi, pi) + 1e-15)
    # The design's own first-order probabilities equal the targets.
    part = pi < 1
    values, inverse, counts = np.unique(pi[part], return_inverse=True, return_counts=True)
    n_part = int(round(pi[part].sum()))
    log_w, got = _cps.solve_log_odds(values, counts, n_part)
    np.testing.assert_allclose(_cps.Tables(log_w, counts, n_part).first_order(), values, atol=1e-12)


def test_extreme_probabilities_converge():
    pi = np.array([0.999999, 1e-6, 0.5, 0.5, 0.25, 0.75])
    pt = working_probabilities(pi)
    first, _ = _enumerate(_odds(pt), 3)
    np.testing.assert_allclose(first, pi, rtol=1e-9)


# -- Monte Carlo goodness of fit over public seeds -------------------------------------

MC_IDS = [f"B{i:02d}" for i in range(10)]
MC_PI = inclusion_probabilities([1, 2, 2, 3, 4, 5, 6, 8, 9, 10], 4)
MC_FRAME = "5" * 64


def _draws(method: str, reps: int) -> np.ndarray:
    out = np.empty((reps, len(MC_IDS)), dtype=bool)
    for r in range(reps):
        material = seed_material(MC_FRAME, f"mc-{r}")
        out[r] = draw(MC_IDS, MC_PI, material, "stage1", method=method).selected
    return out


@pytest.fixture(scope="module")
def cps_draws() -> np.ndarray:
    return _draws("cps", 3000)


def _z(count: np.ndarray, p: np.ndarray, reps: int) -> np.ndarray:
    return (count - reps * p) / np.sqrt(reps * p * (1 - p))


@pytest.mark.slow
def test_monte_carlo_first_order_frequencies_match_pi(cps_draws):
    reps = cps_draws.shape[0]
    assert np.all(cps_draws.sum(axis=1) == 4)
    z = _z(cps_draws.sum(axis=0), MC_PI, reps)
    bound = stats.norm.ppf(1 - 0.001 / (2 * MC_PI.size))  # Bonferroni, family level 0.001
    assert np.abs(z).max() < bound


@pytest.mark.slow
def test_monte_carlo_joint_frequencies_match_exact_joint(cps_draws):
    reps = cps_draws.shape[0]
    joint = joint_inclusion_probabilities(MC_PI, method="cps")
    pairs = [(0, 1), (2, 3), (0, 9), (4, 8), (7, 9)]
    counts = np.array([np.sum(cps_draws[:, a] & cps_draws[:, b]) for a, b in pairs])
    p = np.array([joint[a, b] for a, b in pairs])
    assert np.abs(_z(counts, p, reps)).max() < stats.norm.ppf(1 - 0.001 / (2 * len(pairs)))


@pytest.mark.slow
def test_monte_carlo_sample_distribution_is_maximum_entropy(cps_draws):
    # Chi-square over all 210 samples, P(s) ~ prod w; cells with expected < 5 pooled.
    reps = cps_draws.shape[0]
    w = _odds(working_probabilities(MC_PI))
    samples = list(itertools.combinations(range(10), 4))
    prob = np.array([np.prod(w[list(s)]) for s in samples])
    prob /= prob.sum()
    index = {s: k for k, s in enumerate(samples)}
    observed = np.bincount([index[tuple(np.flatnonzero(row))] for row in cps_draws], minlength=len(samples))
    expected = reps * prob
    small = expected < 5
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    assert stats.chisquare(obs, exp).pvalue > 0.001


def test_unit_level_first_order_matches_the_group_tables():
    rng = np.random.default_rng(4)
    pi = inclusion_probabilities(rng.lognormal(0, 1, 500), 120)
    pi = pi[pi < 1]
    n = int(round(pi.sum()))
    values, inverse, counts = np.unique(pi, return_inverse=True, return_counts=True)
    log_w, _ = _cps.solve_log_odds(values, counts, n)
    slow = _cps.Tables(log_w, counts, n).first_order()[inverse]
    fast = _cps.first_order_units(log_w[inverse], n)
    np.testing.assert_allclose(fast, slow, rtol=1e-11)


def test_recentre_handles_saturated_odds():
    log_w = np.array([-800.0, 0.0, 700.0])
    out = _cps._recentre(log_w, np.array([1, 1, 1]), 1)
    from scipy.special import expit

    p = expit(out)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
