"""Difference (model-assisted) estimators: hand-worked numbers, their limits, errors, and a simulation.

The simulation draws 300 real CPS samples (`sampling.draw`, seed material "rep <r>") from one fixed
population and checks that the estimate is design-unbiased with deliberately wrong predictions
(shuffled, constant) and narrower than the Hajek rate with good ones (docs/model-assisted.md).
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

import sampling.estimators.model_assisted as ma_module
from sampling import (
    draw,
    ht_total,
    inclusion_probabilities,
    joint_inclusion_probabilities,
    pooled_rate,
    seed_material,
)
from sampling.estimators import COLUMNS
from sampling.estimators.model_assisted import difference_rate, difference_two_stage_rate

Z95 = 1.959963984540054  # scipy.special.ndtri(0.975)

# -- a tiny example worked by hand ----------------------------------------------------------------
#
# Two draws, two domains, three random units (pi < 1) in each domain (fewer would be suppressed).
# Frame of Q1: six units, predictions 0.1 .. 0.6, domains A A B B B A; its sample: units 0, 2, 3, 4
# (y = 1, 0, 0, 1; pi = 0.5, 0.4, 0.5, 1.0, unit 4 a certainty).
# Frame of Q2: five units, predictions 0.2 0.2 0.7 0.9 0.1, domains A B B A A; its sample: units 0, 2, 4
# (y = 0, 1, 0; pi = 0.5, 0.8, 0.25).
#
# Residual HT terms (y - p) / pi: Q1: 0.9/0.5 = 1.8, -0.3/0.4 = -0.75, -0.4/0.5 = -0.8, 0.5/1 = 0.5;
#                                 Q2: -0.2/0.5 = -0.4, 0.3/0.8 = 0.375, -0.1/0.25 = -0.4.
# all: (sum p = 2.1 + 2.1 = 4.2) + 0.325 = 4.525 over N = 11 -> 0.411364
# A:   (0.1 + 0.2 + 0.6 + 0.2 + 0.9 + 0.1 = 2.1) + 1.8 - 0.4 - 0.4 = 3.1 over N_A = 6 -> 0.516667
# B:   (0.3 + 0.4 + 0.5 + 0.2 + 0.7 = 2.1) - 0.75 - 0.8 + 0.5 + 0.375 = 1.425 over N_B = 5 -> 0.285
#
# Variance, deville1 per draw over its units of pi < 1: n / (n - 1) sum c (e - A)^2, c = 1 - pi,
# e = z / pi, z = 1[k in d] (y - p) / N_d, A = sum c e / sum c; the certainty adds nothing; draws add.
# all: Q1 e = 0.163636, -0.068182, -0.072727 -> 0.0282141; Q2 e = -0.036364, 0.034091, -0.036364 -> 0.0012838
# A:   Q1 e = 0.3, 0, 0 -> 0.0464062;                   Q2 e = -0.066667, 0, -0.066667 -> 0.0011494
# B:   Q1 e = 0, -0.15, -0.16 -> 0.0123563;             Q2 e = 0, 0.075, 0 -> 0.0014547

TINY = {
    "y": [1, 0, 0, 1, 0, 1, 0],
    "pi": [0.5, 0.4, 0.5, 1.0, 0.5, 0.8, 0.25],
    "draw_id": ["Q1"] * 4 + ["Q2"] * 3,
    "prediction": [0.1, 0.3, 0.4, 0.5, 0.2, 0.7, 0.1],
}
TINY_FRAME = {
    "frame_draw_id": ["Q1"] * 6 + ["Q2"] * 5,
    "frame_prediction": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.2, 0.2, 0.7, 0.9, 0.1],
}
TINY_DOMAIN = ["A", "B", "B", "B", "A", "B", "A"]
TINY_FRAME_DOMAIN = list("AABBBA") + list("ABBAA")


def _deville1(e, pi):
    e, c = np.asarray(e), 1 - np.asarray(pi)
    centre = (c * e).sum() / c.sum()
    return len(e) / (len(e) - 1) * (c * (e - centre) ** 2).sum()


def test_tiny_example_by_hand():
    table = difference_rate(**TINY, **TINY_FRAME, domain=TINY_DOMAIN, frame_domain=TINY_FRAME_DOMAIN)
    overall = difference_rate(**TINY, **TINY_FRAME).iloc[0]
    assert list(table.columns) == COLUMNS and table.domain.tolist() == ["A", "B"]
    assert overall.estimate == pytest.approx(4.525 / 11, rel=1e-14)
    assert table.estimate.tolist() == pytest.approx([3.1 / 6, 1.425 / 5], rel=1e-14)
    pi1, pi2 = [0.5, 0.4, 0.5], [0.5, 0.8, 0.25]
    r1, r2 = np.array([0.9, -0.3, -0.4]), np.array([-0.2, 0.3, -0.1])
    v_all = _deville1(r1 / 11 / pi1, pi1) + _deville1(r2 / 11 / pi2, pi2)
    v_a = _deville1(r1 * [1, 0, 0] / 6 / pi1, pi1) + _deville1(r2 * [1, 0, 1] / 6 / pi2, pi2)
    v_b = _deville1(r1 * [0, 1, 1] / 5 / pi1, pi1) + _deville1(r2 * [0, 1, 0] / 5 / pi2, pi2)
    assert (v_all, v_a, v_b) == pytest.approx(
        (0.0282141 + 0.0012838, 0.0464062 + 0.0011494, 0.0123563 + 0.0014547), abs=1e-7
    )
    assert overall.se == pytest.approx(math.sqrt(v_all), rel=1e-13)
    assert table.se.tolist() == pytest.approx([math.sqrt(v_a), math.sqrt(v_b)], rel=1e-13)
    # The default interval: the random part's Jeffreys interval. The certainty (unit 4 of Q1, y = 1) is known:
    # R = 1/11 + (10/11) R_r, R_r = (4.525 - 1) / 10 = 0.3525, se of R_r = se * 11 / 10. Effective size
    # R_r (1 - R_r) / se_r^2 (not deflated for the degrees of freedom, unlike the Hajek rate's), at most the
    # 6 random units times the variance gain over the Hajek rate.
    # Hajek rate: sum y / pi = 2 + 1 + 1.25 = 4.25 over N_hat = (2 + 2.5 + 2 + 1) + (2 + 1.25 + 4) = 14.75;
    # its linearised values z = (y - R_H) / N_hat over the random units of each draw.
    from scipy import stats

    r_h = 4.25 / 14.75
    v_hajek = _deville1((np.array([1, 0, 0]) - r_h) / 14.75 / pi1, pi1) + _deville1(
        (np.array([0, 1, 0]) - r_h) / 14.75 / pi2, pi2
    )
    gain = max(1.0, v_hajek / v_all)
    r_r, se_r = 0.3525, overall.se * 11 / 10
    n_eff = min(r_r * (1 - r_r) / se_r**2, 6 * gain)
    low, high = stats.beta.ppf([0.025, 0.975], n_eff * r_r + 0.5, n_eff - n_eff * r_r + 0.5)
    assert (overall.ci_low, overall.ci_high) == pytest.approx((1 / 11 + 10 / 11 * low, 1 / 11 + 10 / 11 * high))
    assert overall.ci == "jeffreys 95%"
    assert table.n.tolist() == [3, 4] and table.n_random.tolist() == [3, 3] and table.n_draws.tolist() == [2, 2]
    assert (overall.estimator, overall.variance) == ("difference", "deville1")


def test_the_domain_intervals_by_hand():
    """Each domain's interval from its own random part: A has no certainty, B holds the certainty of Q1 (y = 1)."""
    from scipy import stats

    table = difference_rate(**TINY, **TINY_FRAME, domain=TINY_DOMAIN, frame_domain=TINY_FRAME_DOMAIN)
    pi1, pi2 = np.array([0.5, 0.4, 0.5]), np.array([0.5, 0.8, 0.25])  # the random units of Q1 and Q2
    # Hajek rates of the domains: A: (1/0.5) / (2 + 2 + 4) = 0.25; B: (1 + 1/0.8) / (2.5 + 2 + 1 + 1.25) = 1/3;
    # linearised values z = 1[k in d] (y - R_d) / N_hat_d over the random units of each draw
    v_hajek = {
        "A": _deville1(np.array([0.75, 0, 0]) / 8 / pi1, pi1) + _deville1(np.array([-0.25, 0, -0.25]) / 8 / pi2, pi2),
        "B": _deville1(np.array([0, -1 / 3, -1 / 3]) / 6.75 / pi1, pi1)
        + _deville1(np.array([0, 2 / 3, 0]) / 6.75 / pi2, pi2),
    }
    known = {"A": 0.0, "B": 1 / 5}  # B: the certainty's positive over N_B = 5; A has none
    share = {"A": 1.0, "B": 4 / 5}
    for row in table.itertuples():
        r_r = (row.estimate - known[row.domain]) / share[row.domain]
        se_r = row.se / share[row.domain]
        gain = max(1.0, v_hajek[row.domain] / row.se**2)
        used = min(r_r * (1 - r_r) / se_r**2, 3 * gain)  # 3 random units in each domain
        low, high = stats.beta.ppf([0.025, 0.975], used * r_r + 0.5, used * (1 - r_r) + 0.5)
        expected = (known[row.domain] + share[row.domain] * low, known[row.domain] + share[row.domain] * high)
        assert (row.ci_low, row.ci_high) == pytest.approx(expected, rel=1e-12), row.domain


def test_the_cap_rises_with_the_variance_the_model_removes():
    """Better predictions of the tiny sample: the difference variance falls below the Hajek one, and the cap on the
    effective size is the 6 random units times that gain (it binds here: the uncapped size is about 13)."""
    pred = [0.6, 0.3, 0.2, 0.7, 0.2, 0.6, 0.2]
    frame_prediction = [0.6, 0.3, 0.3, 0.2, 0.7, 0.4] + [0.2, 0.3, 0.6, 0.5, 0.2]  # the sampled units as in TINY
    got = difference_rate(**{**TINY, "prediction": pred}, **{**TINY_FRAME, "frame_prediction": frame_prediction})
    got = got.iloc[0]
    hajek = pooled_rate(TINY["y"], TINY["pi"], TINY["draw_id"]).iloc[0]  # the same sample's Hajek rate
    gain = (hajek.se / got.se) ** 2
    r_r, se_r = (got.estimate - 1 / 11) / (10 / 11), got.se / (10 / 11)  # the certainty (y = 1) known
    assert gain > 1 and 6 * gain < r_r * (1 - r_r) / se_r**2
    from scipy import stats

    low, high = stats.beta.ppf([0.025, 0.975], 6 * gain * r_r + 0.5, 6 * gain * (1 - r_r) + 0.5)
    assert (got.ci_low, got.ci_high) == pytest.approx((1 / 11 + 10 / 11 * low, 1 / 11 + 10 / 11 * high), rel=1e-12)


def test_logit_interval_by_hand_with_enough_random_positives():
    # the tiny sample twice over (two more draws with the same units): 4 random positives; three times: 6
    rep = 3
    big = {k: v * rep for k, v in TINY.items()}
    big["draw_id"] = [f"{d}{i}" for i in range(rep) for d in TINY["draw_id"]]
    frame = {
        "frame_draw_id": [f"{d}{i}" for i in range(rep) for d in TINY_FRAME["frame_draw_id"]],
        "frame_prediction": TINY_FRAME["frame_prediction"] * rep,
    }
    got = difference_rate(**big, **frame, ci="logit").iloc[0]
    r = 4.525 / 11  # the same rate: every draw repeats it
    assert got.estimate == pytest.approx(r, rel=1e-13) and got.ci == "logit 95%"
    # logit interval: expit(logit(R) +- z se / (R (1 - R)))
    half = Z95 * got.se / (r * (1 - r))
    assert (got.ci_low, got.ci_high) == pytest.approx((expit(logit(r) - half), expit(logit(r) + half)), rel=1e-12)


def test_normal_and_t_intervals_and_the_fallbacks_outside_zero_one():
    normal = difference_rate(**TINY, **TINY_FRAME, ci="normal").iloc[0]
    r = 4.525 / 11
    assert (normal.ci_low, normal.ci_high) == pytest.approx((r - Z95 * normal.se, r + Z95 * normal.se), rel=1e-12)
    t = difference_rate(**TINY, **TINY_FRAME, ci="t").iloc[0]
    # df = units with pi < 1 (6) minus the draws (2); R: qt(0.975, 4) = 2.776445105197799
    assert t.ci_high - t.estimate == pytest.approx(2.776445105197799 * t.se, rel=1e-12)
    # a wrong model can put the estimate above 1: 0.9 + (0.1/0.1 + 0.1/0.2 + 0.1/0.2) / 6 = 1.2333
    high = difference_rate(
        [1, 1, 1], [0.1, 0.2, 0.2], ["Q"] * 3, [0.9] * 3, frame_draw_id=["Q"] * 6, frame_prediction=[0.9] * 6
    ).iloc[0]
    assert high.estimate == pytest.approx(0.9 + 2.0 / 6, rel=1e-14)
    normal = (high.estimate - Z95 * high.se, high.estimate + Z95 * high.se)
    logit_fallback = difference_rate(
        [1, 1, 1],
        [0.1, 0.2, 0.2],
        ["Q"] * 3,
        [0.9] * 3,
        frame_draw_id=["Q"] * 6,
        frame_prediction=[0.9] * 6,
        ci="logit",
    ).iloc[0]
    assert high.se > 0 and (logit_fallback.ci_low, logit_fallback.ci_high) == pytest.approx(normal, rel=1e-12)
    # the default: the union of the normal interval and the random part's Jeffreys interval at its clipped rate 1.
    # No certainty; 3 random units all positive: effective size 3; the Hajek rate 1 has no variance, so no
    # gain; lower limit qbeta(0.025, n + 1/2, 1/2)
    from scipy import stats

    used = 3.0
    assert high.ci == "jeffreys 95%"
    limits = (stats.beta.ppf(0.025, used + 0.5, 0.5), normal[1])
    assert (high.ci_low, high.ci_high) == pytest.approx(limits, rel=1e-9)  # n - x is 0 up to rounding
    # a quarter without random positives whose drawn bodies were predicted high: the estimate falls below 0
    # ((0.5 * 3 + 0.03 - 0.5 / 0.1 - 0.5 / 0.2 - 0.5 / 0.2) / 6 = -1.4117); its upper limit is what the 3 random
    # units with no positive allow (Jeffreys at 0 of 3: qbeta(0.975, 1/2, 3 + 1/2); the Hajek rate 0 has no
    # variance, so no gain), not the normal interval's, which would stay below 0
    low = difference_rate(
        [0, 0, 0], [0.1, 0.2, 0.2], ["Q"] * 3, [0.5] * 3, frame_draw_id=["Q"] * 6,
        frame_prediction=[0.5, 0.5, 0.5, 0.01, 0.01, 0.01],
    ).iloc[0]  # fmt: skip
    assert low.estimate == pytest.approx((1.53 - 10) / 6, rel=1e-12)
    assert low.estimate + Z95 * low.se < 0 < low.ci_high
    assert low.ci_low == pytest.approx(low.estimate - Z95 * low.se, rel=1e-12)
    assert low.ci_high == pytest.approx(stats.beta.ppf(0.975, 0.5, 3.5), rel=1e-12)


def test_zero_prediction_is_the_ht_rate_over_the_known_size():
    rng = np.random.default_rng(5)
    y, pi = (rng.random(12) < 0.3).astype(float), rng.uniform(0.1, 0.9, 12)
    y[0] = 1.0
    one = difference_rate(y, pi, ["Q"] * 12, np.zeros(12), frame_draw_id=["Q"] * 40, frame_prediction=np.zeros(40))
    ht = ht_total(y, pi)
    assert one.estimate.iloc[0] == pytest.approx(ht.estimate / 40, rel=1e-14)
    assert one.se.iloc[0] == pytest.approx(ht.se / 40, rel=1e-13)
    # two draws: the HT totals and their variances add, over N_1 + N_2
    q = ["Q1"] * 6 + ["Q2"] * 6
    two = difference_rate(
        y, pi, q, np.zeros(12), frame_draw_id=["Q1"] * 15 + ["Q2"] * 25, frame_prediction=np.zeros(40)
    )
    h1, h2 = ht_total(y[:6], pi[:6]), ht_total(y[6:], pi[6:])
    assert two.estimate.iloc[0] == pytest.approx((h1.estimate + h2.estimate) / 40, rel=1e-14)
    assert two.se.iloc[0] == pytest.approx(math.hypot(h1.se, h2.se) / 40, rel=1e-13)


def test_with_the_joint_probabilities_the_variance_is_the_exact_form_of_ht_total():
    """Zero predictions: the difference rate is the HT total over the known size, so its exact (Sen-Yates-Grundy or
    Horvitz-Thompson) variance from `joint` is ht_total's with the same matrix (checked against R survey), over N^2."""
    frame_pi = inclusion_probabilities(np.linspace(1.0, 12.0, 12), 5)
    drawn = np.array([1, 4, 7, 10, 11])  # unit 11 is a certainty
    joint = joint_inclusion_probabilities(frame_pi, index=drawn)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    args = (y, frame_pi[drawn], ["Q"] * 5, np.zeros(5))
    frame = {"frame_draw_id": ["Q"] * 12, "frame_prediction": np.zeros(12)}
    for form in ("syg", "ht"):
        got = difference_rate(*args, **frame, joint=joint, variance=form).iloc[0]
        ht = ht_total(y, frame_pi[drawn], joint=joint, variance=form)
        assert got.estimate == pytest.approx(ht.estimate / 12, rel=1e-14) and got.variance == form
        assert got.se == pytest.approx(ht.se / 12, rel=1e-12)
    assert difference_rate(*args, **frame, joint=joint).iloc[0].variance == "syg"  # the default with `joint`
    # two stages: the exact first-stage term, the same second-stage term as without `joint`
    checked, held = [3, 2, 4, 2, 5], [10, 6, 9, 4, 12]
    problems = [1, 0, 2, 0, 3]
    two = {"frame_draw_id": ["Q"] * 12, "frame_prediction": np.zeros(12)}
    two["frame_held"] = [8, 10, 8, 8, 6, 8, 8, 9, 8, 8, 4, 12]  # the drawn units hold 10, 6, 9, 4, 12
    ts = (problems, checked, held, frame_pi[drawn], ["Q"] * 5, np.zeros(5))
    exact = difference_two_stage_rate(*ts, **two, joint=joint).iloc[0]
    approx_ = difference_two_stage_rate(*ts, **two).iloc[0]
    y_hat = np.array(held) * np.array(problems) / np.array(checked)
    x = sum(two["frame_held"])
    stage2 = approx_.se**2 - ht_total(y_hat, frame_pi[drawn]).se ** 2 / x**2
    assert exact.se**2 == pytest.approx(ht_total(y_hat, frame_pi[drawn], joint=joint).se ** 2 / x**2 + stage2)
    assert exact.variance == "syg + stage 2"


def test_the_joint_probabilities_are_for_one_draw_and_the_exact_forms():
    frame = {"frame_draw_id": ["Q1"] * 6 + ["Q2"] * 5, "frame_prediction": TINY_FRAME["frame_prediction"]}
    with pytest.raises(ValueError, match=r"`joint` holds the joint inclusion probabilities of one draw's .* 2 draws"):
        difference_rate(**TINY, **frame, joint=np.eye(7))
    one = {"y": [1, 0, 1], "pi": [0.5, 0.5, 0.5], "draw_id": ["Q"] * 3, "prediction": [0.2] * 3}
    frame = {"frame_draw_id": ["Q"] * 6, "frame_prediction": [0.2] * 6}
    joint = np.full((3, 3), 0.2) + np.diag([0.3] * 3)
    with pytest.raises(ValueError, match=r"`variance` = 'deville1' is an approximation without joint"):
        difference_rate(**one, **frame, joint=joint, variance="deville1")
    with pytest.raises(ValueError, match=r"`joint` must have shape \(3, 3\)"):
        difference_rate(**one, **frame, joint=np.eye(2))
    with pytest.raises(
        ValueError, match=r"`variance` = 'syg' needs the joint inclusion probabilities `joint`; got None"
    ):
        difference_rate(**one, **frame, variance="syg")
    with pytest.raises(
        ValueError, match=r"`variance` = 'ht' needs the joint inclusion probabilities `joint`; got None"
    ):
        difference_two_stage_rate([1, 0], [2, 2], [5, 5], [0.5, 0.5], ["Q"] * 2, [0.1] * 2, frame_draw_id=["Q"] * 3,
                                  frame_prediction=[0.1] * 3, frame_held=[5, 5, 5], variance="ht")  # fmt: skip


def test_perfect_predictions_have_no_variance_and_certainties_add_none():
    y = [1, 0, 1, 0]
    table = difference_rate(
        y, [0.5, 0.5, 1.0, 0.25], ["Q"] * 4, y, frame_draw_id=["Q"] * 8, frame_prediction=[1, 0, 1, 0, 1, 1, 0, 0]
    )
    assert table.estimate.iloc[0] == pytest.approx(0.5) and table.se.iloc[0] == 0.0
    # a zero standard error: the interval is not the point it would give, but the random part's Jeffreys
    # interval at its 3 units (the effective size at a zero standard error is the random units)
    assert table.ci_low.iloc[0] < 0.5 < table.ci_high.iloc[0] and table.ci.iloc[0].startswith("jeffreys")
    normal = difference_rate(
        y,
        [0.5, 0.5, 1.0, 0.25],
        ["Q"] * 4,
        y,
        frame_draw_id=["Q"] * 8,
        frame_prediction=[1, 0, 1, 0, 1, 1, 0, 0],
        ci="normal",
    )
    assert (normal.ci_low.iloc[0], normal.ci_high.iloc[0]) == (0.5, 0.5)
    # the certainty's residual changes the estimate, not the variance
    pi, pred, frame = [0.5, 0.5, 0.4, 1.0], [0.2] * 4, {"frame_draw_id": ["Q"] * 8, "frame_prediction": [0.2] * 8}
    a = difference_rate([1, 0, 0, 1], pi, ["Q"] * 4, pred, **frame)
    b = difference_rate([1, 0, 0, 0], pi, ["Q"] * 4, pred, **frame)
    assert a.estimate.iloc[0] - b.estimate.iloc[0] == pytest.approx(1 / 8) and a.se.iloc[0] == b.se.iloc[0]


def test_strata_split_the_variance_like_separate_draws():
    y, pi, pred = [1, 0, 0, 1], [0.5, 0.25, 0.4, 0.6], [0.3, 0.1, 0.2, 0.5]
    frame_pred = [0.3, 0.1, 0.2, 0.2, 0.2, 0.5, 0.4, 0.1]
    by_stratum = difference_rate(
        y, pi, ["Q"] * 4, pred, strata=list("aabb"), frame_draw_id=["Q"] * 8, frame_prediction=frame_pred
    )
    as_draws = difference_rate(
        y, pi, ["Qa", "Qa", "Qb", "Qb"], pred, frame_draw_id=["Qa"] * 4 + ["Qb"] * 4, frame_prediction=frame_pred
    )
    assert by_stratum.estimate.iloc[0] == pytest.approx(as_draws.estimate.iloc[0], rel=1e-14)
    assert by_stratum.se.iloc[0] == pytest.approx(as_draws.se.iloc[0], rel=1e-14)


TS_SAMPLE = {
    "problems": [1, 0, 3, 2],
    "checked": [10, 5, 20, 5],
    "held": [120, 5, 400, 30],
    "pi": [0.5, 0.2, 1.0, 0.25],
}
TS_FRAME = {"frame_draw_id": ["Q1"] * 5, "frame_held": [120, 5, 400, 30, 50]}
# second stage, as in two_stage_rate: v2 = N^2 (1 - m/N) s^2 / m, s^2 = p (1 - p) m / (m - 1), over pi;
# body 1: 132 / 0.5, body 2 a census (0), body 3: 1020 / 1 (a certainty), body 4: 900 (5/6) 0.3 / 5 = 45, / 0.25
TS_V2 = 132 / 0.5 + 1020 / 1.0 + 45 / 0.25


def test_two_stage_by_hand():
    # the docstring example: shares q = 0.05, 0.1, 0.1, 0.2 (sample) and 0.1 (the undrawn fifth body)
    # predicted problems q N: 6, 0.5, 40, 6, 5 (sum 57.5); estimated problems N problems / m: 12, 0, 60, 12
    # R = (57.5 + (12 - 6)/0.5 + (0 - 0.5)/0.2 + (60 - 40)/1 + (12 - 6)/0.25) / 605 = 111 / 605
    shares = [0.05, 0.1, 0.1, 0.2]
    row = difference_two_stage_rate(
        **TS_SAMPLE, draw_id=["Q1"] * 4, prediction=shares, frame_prediction=[*shares, 0.1], **TS_FRAME
    ).iloc[0]
    assert row.estimate == pytest.approx(111 / 605, rel=1e-14)
    assert 45 == pytest.approx(30**2 * (1 - 5 / 30) * (0.4 * 0.6 * 5 / 4) / 5, rel=1e-14)
    # first stage: bodies 1, 2, 4 (pi < 1), u = (12 - 6, 0 - 0.5, 12 - 6) / 605, e = u / pi
    pi = [0.5, 0.2, 0.25]
    v1 = _deville1(np.array([6.0, -0.5, 6.0]) / 605 / pi, pi)
    assert row.se == pytest.approx(math.sqrt(v1 + TS_V2 / 605**2), rel=1e-13)
    assert (row.estimator, row.variance, row.n, row.n_random) == ("difference_two_stage", "deville1 + stage 2", 4, 3)


def test_two_stage_with_zero_shares_is_the_ht_total_over_the_known_certificates():
    # no prediction: sum (N problems / m) / pi over the frame's 605 certificates (the fifth body is not drawn)
    row = difference_two_stage_rate(
        **TS_SAMPLE, draw_id=["Q1"] * 4, prediction=[0.0] * 4, frame_prediction=[0.0] * 5, **TS_FRAME
    ).iloc[0]
    assert row.estimate == pytest.approx((12 / 0.5 + 60 + 12 / 0.25) / 605, rel=1e-14)
    first = ht_total([12.0, 0.0, 60.0, 12.0], TS_SAMPLE["pi"]).se
    assert row.se == pytest.approx(math.sqrt(first**2 + TS_V2) / 605, rel=1e-13)
    empty = difference_two_stage_rate(
        [0, 0, 0, 1], [0, 0, 0, 3], [0, 0, 0, 9], [0.5] * 4, ["Q"] * 4, [0.1] * 4, domain=list("xxxy"),
        frame_draw_id=["Q"] * 5, frame_prediction=[0.1] * 5, frame_held=[0, 0, 0, 9, 5], frame_domain=list("xxxyy"),
    )  # fmt: skip
    assert math.isnan(empty.estimate.iloc[0]) and empty.n.tolist() == [3, 1]
    assert empty.reliability_reason.iloc[0].startswith("no estimate")


# -- errors -------------------------------------------------------------------------------------

GOOD = {**TINY, **TINY_FRAME}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"y": [], "pi": [], "draw_id": [], "prediction": []}, r"`y` must not be empty"),
        ({"pi": [0.5, 0.4, 1.0, 0.5]}, r"`pi` and `y` must have the same length; got 4 and 7"),
        ({"pi": [0.5, 0.0, 0.5, 1.0, 0.5, 0.8, 0.25]}, r"`pi` must lie in \(0, 1\]; got 0.0 at position 1"),
        ({"pi": [0.5, 1.5, 0.5, 1.0, 0.5, 0.8, 0.25]}, r"`pi` must lie in \(0, 1\]; got 1.5 at position 1"),
        ({"y": [1, 0, 2, 1, 0, 1, 0]}, r"`y` must be in \[0, 1\] for `ci` = 'jeffreys'; got 2.0 at position 2"),
        ({"prediction": [0.1, 0.3, 0.5]}, r"`prediction` and `y` must have the same length; got 3 and 7"),
        ({"prediction": [0.1, np.nan, 0.4, 0.5, 0.2, 0.7, 0.1]}, r"`prediction` must be finite; got nan at position 1"),
        ({"frame_prediction": []}, r"`frame_prediction` must not be empty"),
        ({"frame_prediction": [0.1] * 10 + [np.inf]}, r"`frame_prediction` must be finite; got inf at position 10"),
        (
            {"frame_draw_id": ["Q1"] * 6},
            r"`frame_draw_id` and `frame_prediction` must have the same length; got 6 and 11",
        ),
        (
            {"frame_draw_id": ["Q1"] * 10 + [None]},
            r"`frame_draw_id` must not have missing labels; got None at position 10",
        ),
        ({"draw_id": ["Q1"] * 4 + ["Q3"] * 3}, r"draw 'Q2' of `frame_draw_id` has no sampled unit in `draw_id`"),
        ({"frame_draw_id": ["Q1"] * 6 + ["Q3"] * 5}, r"draw 'Q3' of `frame_draw_id` has no sampled unit"),
        (
            {"frame_draw_id": ["Q1"] * 11},
            r"draw 'Q2' of `draw_id` has no frame: no row of `frame_draw_id` is 'Q2'",
        ),
        ({"frame_draw_id": ["Q1"] * 9 + ["Q2"] * 2}, r"draw 'Q2' has 3 sampled units but only 2 in its frame"),
        ({"domain": TINY_DOMAIN}, r"`frame_domain` must be given with `domain`"),
        ({"frame_domain": TINY_FRAME_DOMAIN}, r"`domain` must be given with `frame_domain`"),
        (
            {"domain": ["A", "B", "C", "B", "A", "B", "A"], "frame_domain": TINY_FRAME_DOMAIN},
            r"domain 'C' of draw 'Q1' has sampled units but none in the frame \(`frame_domain`\)",
        ),
        (
            {"domain": TINY_DOMAIN, "frame_domain": list("AABBBA") + list("ABBBB")},
            r"draw 'Q2' in domain 'A' has 2 sampled units but only 1 in its frame",
        ),
        (
            {"domain": TINY_DOMAIN, "frame_domain": TINY_FRAME_DOMAIN[:9]},
            r"`frame_domain` and `frame_prediction` must have the same length; got 9 and 11",
        ),
        ({"ci": "beta"}, r"`ci` must be one of 'jeffreys', 'logit', 'normal', 't'; got 'beta'"),
        ({"variance": "syg"}, r"`variance` = 'syg' needs the joint inclusion probabilities `joint`; got None"),
        ({"variance": "exact"}, r"`variance` must be 'auto', 'deville1' or 'deville2' .*; got 'exact'"),
        ({"level": 95}, r"`level` must be a number strictly between 0 and 1; got 95"),
        ({"pi": [0.5, 0.4, 0.5, 1.0, 1.0, 0.8, 1.0]}, r"draw 'Q2' has a single unit with pi < 1; .*\(got n = 1\)"),
        (
            {"domain": ["A", None, "B", "B", "A", "B", "A"], "frame_domain": TINY_FRAME_DOMAIN},
            r"`domain` must not have",
        ),
    ],
)
def test_difference_rate_errors(change, match):
    with pytest.raises(ValueError, match=match):
        difference_rate(**{**GOOD, **change})


def test_difference_type_errors_name_the_parameter():
    with pytest.raises(TypeError, match=r"`draw_id` must be a sequence of labels, one per unit; got 'Q1'"):
        difference_rate(**{**GOOD, "draw_id": "Q1"})
    with pytest.raises(TypeError, match=r"`frame_draw_id` must be a sequence of labels, one per unit; got 'Q1'"):
        difference_rate(**{**GOOD, "frame_draw_id": "Q1"})
    with pytest.raises(TypeError, match=r"`prediction` must be a 1-d array of numbers; got \['a'"):
        difference_rate(**{**GOOD, "prediction": ["a"] * 7})


TWO_STAGE = {
    "problems": [1, 0],
    "checked": [2, 2],
    "held": [5, 5],
    "pi": [0.5, 0.5],
    "draw_id": ["Q", "Q"],
    "prediction": [0.1, 0.1],
    "frame_draw_id": ["Q"] * 3,
    "frame_prediction": [0.1] * 3,
    "frame_held": [5, 5, 7],
}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"frame_held": [5, -1, 7]}, r"`frame_held` must be whole numbers >= 0; got -1.0 at position 1"),
        ({"frame_held": [5, 5, 7.5]}, r"`frame_held` must be whole numbers >= 0; got 7.5 at position 2"),
        ({"frame_held": [5, 5]}, r"`frame_held` and `frame_prediction` must have the same length; got 2 and 3"),
        ({"problems": [3, 0]}, r"`problems` must not exceed `checked`; got problems=3, checked=2"),
        ({"prediction": [0.1]}, r"`prediction` and `problems` must have the same length; got 1 and 2"),
        ({"ci": "beta"}, r"`ci` must be one of 'logit', 'normal', 't'; got 'beta'"),
        ({"ci": "jeffreys"}, r"`ci` must be one of 'logit', 'normal', 't'; got 'jeffreys'"),  # not a count of bodies
        ({"frame_draw_id": ["Q", "Q", "R"]}, r"draw 'R' of `frame_draw_id` has no sampled unit in `draw_id`"),
    ],
)
def test_difference_two_stage_errors(change, match):
    with pytest.raises(ValueError, match=match):
        difference_two_stage_rate(**{**TWO_STAGE, **change})


def test_docstring_examples():
    result = doctest.testmod(ma_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# -- simulation: design-unbiased whatever the model, narrower when it is good ------------------------
#
# One fixed population (numpy.random.default_rng(2025)): N = 500 bodies with a risk
# p_k = expit(-1.5 + 1.5 z_k), z_k ~ N(0, 1) (rate about 25 %), outcomes y_k ~ Bernoulli(p_k) drawn
# once; pi proportional to p with the policy floor 0.02, n = 125; 300 CPS draws with seed material
# seed_material("0" * 64, f"rep {r}"). Certificates: N_k = 1 + Poisson(20), of which
# Binomial(N_k, 0.02 + 0.2 p_k) have problems; m_k = min(N_k, 10) checked (hypergeometric count).
# Predictions: good (expit(logit p_k + N(0, 0.2))), shuffled good ones, and the constant 0.5.

N_POP, N_SAMPLE, REPS = 500, 125, 300


@pytest.fixture(scope="module")
def replicates():
    rng = np.random.default_rng(2025)
    z = rng.normal(size=N_POP)
    p = expit(-1.5 + 1.5 * z)
    y = (rng.random(N_POP) < p).astype(float)
    pi = inclusion_probabilities(p, N_SAMPLE, floor=0.02)
    good = expit(logit(p) + rng.normal(0.0, 0.2, N_POP))
    predictions = {"good": good, "shuffled": rng.permutation(good), "constant": np.full(N_POP, 0.5)}
    held = 1 + rng.poisson(20, N_POP)
    bad = rng.binomial(held, 0.02 + 0.2 * p)
    ids = [f"B{k:05d}" for k in range(N_POP)]
    rows = []
    for r in range(REPS):
        s = draw(ids, pi, seed_material("0" * 64, f"rep {r}"), "stage1").selected
        q = ["q"] * int(s.sum())
        hajek = pooled_rate(y[s], pi[s], q).iloc[0]
        rows.append(("hajek", hajek.estimate, hajek.ci_low, hajek.ci_high))
        for name, pred in predictions.items():
            row = difference_rate(y[s], pi[s], q, pred[s], frame_draw_id=["q"] * N_POP, frame_prediction=pred).iloc[0]
            rows.append((name, row.estimate, row.ci_low, row.ci_high))
        m = np.minimum(held[s], 10)
        found = np.random.default_rng([2025, r]).hypergeometric(bad[s], held[s] - bad[s], m)
        share = predictions["shuffled"]
        row = difference_two_stage_rate(
            found, m, held[s], pi[s], q, share[s], frame_draw_id=["q"] * N_POP, frame_prediction=share, frame_held=held
        ).iloc[0]
        rows.append(("two_stage_shuffled", row.estimate, row.ci_low, row.ci_high))
    table = pd.DataFrame(rows, columns=["model", "estimate", "ci_low", "ci_high"])
    truth = {name: y.mean() for name in ("hajek", *predictions)} | {"two_stage_shuffled": bad.sum() / held.sum()}
    table["error"] = table.estimate - table.model.map(truth)
    table["covered"] = (table.ci_low <= table.model.map(truth)) & (table.model.map(truth) <= table.ci_high)
    table["width"] = table.ci_high - table.ci_low
    return table


@pytest.mark.slow
@pytest.mark.parametrize("model", ["shuffled", "constant", "good", "two_stage_shuffled"])
def test_simulation_design_unbiased_whatever_the_model(replicates, model):
    error = replicates.loc[replicates.model == model, "error"]
    assert len(error) == REPS
    mc_se = error.std() / math.sqrt(REPS)
    assert abs(error.mean()) <= 3 * mc_se, (model, error.mean(), mc_se)


@pytest.mark.slow
def test_simulation_narrower_than_hajek_with_a_good_model(replicates):
    good = replicates[replicates.model == "good"].reset_index(drop=True)
    hajek = replicates[replicates.model == "hajek"].reset_index(drop=True)
    ratio = float((good.width / hajek.width).median())
    assert ratio < 0.8, ratio  # 0.66 on this population
    # coverage of the default 95 % interval within 3 binomial standard errors: 0.95 +- 0.038 at 300 draws
    limit = 3 * math.sqrt(0.95 * 0.05 / REPS)
    assert abs(good.covered.mean() - 0.95) <= limit, good.covered.mean()
