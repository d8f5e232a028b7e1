"""Estimators for completed inspections: R comparisons, hand-worked numbers, errors, simulation.

Reference numbers come from R 4.x with `survey` 4.1.1 and `sampling` 2.9; the
call that produced each is in a comment next to it. No test runs R.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit

import sampling
import sampling.estimators as est_module
from sampling import (
    draw,
    hajek_mean,
    ht_total,
    inclusion_probabilities,
    joint_inclusion_probabilities,
    pooled_rate,
    seed_material,
    two_stage_rate,
)
from sampling.estimators import COLUMNS, Estimate
from sampling.estimators.intervals import RandomPart, korn_graubard

# -- the small example shared with R ------------------------------------------------------
#
# R:
#   library(sampling); library(survey); options(digits = 17)
#   size <- c(1.1, 2.3, 3.2, 4.7, 5.1, 6.8, 7.4, 9.6, 12.5, 14.2, 18.9, 40.0)
#   pik <- inclusionprobabilities(size, 5)
#   s <- c(2, 5, 8, 11, 12)                     # the sample (unit 12 is a certainty)
#   J0 <- UPmaxentropypi2(pik)[s, s]             # R's joint matrix (working probabilities at eps = 1e-6)
#   part <- pik > 0 & pik < 1                    # the same matrix with working probabilities at eps = 1e-14:
#   pikt <- UPMEpiktildefrompik(pik[part], eps = 1e-14); w <- pikt / (1 - pikt)
#   M <- matrix(0, 12, 12); M[part, part] <- UPMEpik2frompikw(pik[part], w)
#   M[, pik == 1] <- pik; for (k in which(pik == 1)) M[k, ] <- pik
#   J <- M[s, s]
#   d <- data.frame(y = c(3, 0, 7, 5, 12), b = c(0, 1, 0, 1, 1), pi = pik[s])
#   des <- svydesign(ids = ~1, probs = ~pi, data = d, pps = ppsmat(J), variance = "HT")   # or "YG"
#   svytotal(~y, des); svymean(~y, des); svymean(~b, des); attr(svyciprop(~b, des, method = "beta"), "ci")

SIZE = [1.1, 2.3, 3.2, 4.7, 5.1, 6.8, 7.4, 9.6, 12.5, 14.2, 18.9, 40.0]
SAMPLE = [1, 4, 7, 10, 11]  # R's s - 1
Y = np.array([3.0, 0.0, 7.0, 5.0, 12.0])
B = np.array([0.0, 1.0, 0.0, 1.0, 1.0])

# R: print(pik, digits = 17)
R_PIK = np.array(
    [
        0.05128205128205128,
        0.10722610722610722,
        0.14918414918414916,
        0.21911421911421911,
        0.23776223776223776,
        0.31701631701631700,
        0.34498834498834496,
        0.44755244755244755,
        0.58275058275058267,
        0.66200466200466190,
        0.88111888111888104,
        1.0,
    ]
)
# R: print(UPmaxentropypi2(pik)[s, s], digits = 17)
R_J_DEFAULT = np.array(
    [
        [0.107226107226107217, 0.016546203138215379, 0.034197216668053469, 0.08836898017138288, 0.10722610722610722],
        [0.016546203138215379, 0.237762237762237760, 0.078852898031794905, 0.19812903888281502, 0.23776223776223776],
        [0.034197216668053469, 0.078852898031794905, 0.447552447552447552, 0.38009561239565787, 0.44755244755244755],
        [0.088368980171382880, 0.198129038882815023, 0.380095612395657867, 0.88111888111888104, 0.88111888111888104],
        [0.107226107226107217, 0.237762237762237760, 0.447552447552447552, 0.88111888111888104, 1.0],
    ]
)
# R: print(J, digits = 17)   (eps = 1e-14)
R_J = np.array(
    [
        [0.107226107226107217, 0.016546203613025678, 0.034197215381084584, 0.08836898001256660, 0.10722610722610722],
        [0.016546203613025678, 0.237762237762237760, 0.078852893116775916, 0.19812903840688673, 0.23776223776223776],
        [0.034197215381084584, 0.078852893116775916, 0.447552447552447552, 0.38009561288578375, 0.44755244755244755],
        [0.088368980012566600, 0.198129038406886726, 0.380095612885783751, 0.88111888111888104, 0.88111888111888104],
        [0.107226107226107217, 0.237762237762237760, 0.447552447552447552, 0.88111888111888104, 1.0],
    ]
)
# R: coef and SE of svytotal(~y), svymean(~y), svymean(~b); CI of svyciprop(~b, method = "beta")
R_SURVEY = {
    "ht": {
        "total": (61.293489044168396, 21.359678892965924),
        "mean": (3.4239753020022743, 0.89181831119198496),
        "mean_b": (0.35420977274855719, 0.27944100015985129),
        "beta_b": (0.010071685387871055, 0.917647086455261607),
    },
    "syg": {  # variance = "YG"
        "total": (61.293489044168396, 24.70177690353486),
        "mean": (3.4239753020022743, 0.98440323177371103),
        "mean_b": (0.35420977274855719, 0.29495582936647546),
        "beta_b": (0.0069796803742186338, 0.9329856457212182264),
    },
}


@pytest.fixture(scope="module")
def small_example():
    pi = inclusion_probabilities(SIZE, 5)
    joint = joint_inclusion_probabilities(pi, index=SAMPLE)
    return pi, pi[SAMPLE], joint


def test_small_example_probabilities_match_r(small_example):
    pi, _, joint = small_example
    np.testing.assert_allclose(pi, R_PIK, rtol=0, atol=1e-14)
    np.testing.assert_allclose(joint, R_J, rtol=0, atol=1e-12)
    # R's default fixed point stops at eps = 1e-6: agreement to ~6 digits only.
    np.testing.assert_allclose(joint, R_J_DEFAULT, rtol=0, atol=1e-8)
    assert np.abs(joint - R_J_DEFAULT).max() > 1e-11  # the two R matrices really differ


@pytest.mark.parametrize("form", ["ht", "syg"])
def test_joint_variance_matches_r_survey(small_example, form):
    _, pi_s, joint = small_example
    ref = R_SURVEY[form]
    total = ht_total(Y, pi_s, joint=joint, variance=form)
    mean = hajek_mean(Y, pi_s, joint=joint, variance=form)
    rate = hajek_mean(B, pi_s, joint=joint, variance=form, ci="beta")
    for got, (value, se) in ((total, ref["total"]), (mean, ref["mean"]), (rate, ref["mean_b"])):
        assert got.variance == form
        assert got.estimate == pytest.approx(value, rel=1e-12)
        assert got.se == pytest.approx(se, rel=1e-8)
    # R's svyciprop counts the certainty (unit 12) in the effective size: the plain Korn-Graubard interval
    # over all five units is R's; hajek_mean's leaves the certainty out (test below)
    plain = korn_graubard(rate.estimate, rate.se, RandomPart.none(5), 0.05)
    assert plain == pytest.approx(ref["beta_b"], rel=1e-8)


@pytest.mark.parametrize("form", ["ht", "syg"])
def test_beta_interval_with_a_certainty_by_hand(small_example, form):
    _, pi_s, joint = small_example
    rate = hajek_mean(B, pi_s, joint=joint, variance=form, ci="beta")
    # b = 0, 1, 0, 1, 1; unit 5 (pi = 1, b = 1) is a certainty: known, no variance.
    #   N_hat = sum 1 / pi;  known = 1 / N_hat;  share = (N_hat - 1) / N_hat
    #   R_r = (1 / pi_2 + 1 / pi_4) / (N_hat - 1)   (the four random units' Hajek rate), R = known + share R_r
    #   se_r = se / share;  n_eff = R_r (1 - R_r) / se_r^2;  x = n_eff R_r
    #   interval = known + share [qbeta(0.025, x, n_eff - x + 1), qbeta(0.975, x + 1, n_eff - x)]
    n_hat = float(np.sum(1 / pi_s))
    known, share = 1 / n_hat, (n_hat - 1) / n_hat
    r_r = (1 / pi_s[1] + 1 / pi_s[3]) / (n_hat - 1)
    assert known + share * r_r == pytest.approx(rate.estimate, rel=1e-14)
    n_eff = r_r * (1 - r_r) / (rate.se / share) ** 2
    x = n_eff * r_r
    low, high = stats.beta.ppf(0.025, x, n_eff - x + 1), stats.beta.ppf(0.975, x + 1, n_eff - x)
    assert (rate.ci_low, rate.ci_high) == pytest.approx((known + share * low, known + share * high), rel=1e-12)
    # narrower than R's, which counts the certainty, and never below the certainty's known positive
    assert (
        rate.ci_low >= known and rate.ci_high - rate.ci_low < R_SURVEY[form]["beta_b"][1] - R_SURVEY[form]["beta_b"][0]
    )


def test_beta_interval_without_certainties_is_r_korn_graubard():
    y, pi = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0], [0.5, 0.25, 0.5, 0.9, 0.25, 0.5]
    got = hajek_mean(y, pi, ci="beta")
    assert (got.ci_low, got.ci_high) == pytest.approx(
        korn_graubard(got.estimate, got.se, RandomPart.none(6), 0.05), rel=1e-15
    )


def test_joint_default_form_is_syg_and_r_default_matrix_is_close(small_example):
    _, pi_s, joint = small_example
    assert ht_total(Y, pi_s, joint=joint).variance == "syg"
    assert ht_total(Y, pi_s, joint=joint).se == pytest.approx(R_SURVEY["syg"]["total"][1], rel=1e-8)
    # with R's default-precision matrix the SE moves in the 7th digit only
    assert ht_total(Y, pi_s, joint=R_J_DEFAULT).se == pytest.approx(R_SURVEY["syg"]["total"][1], rel=1e-6)


# -- the high-entropy approximation without joint probabilities ------------------------------
#
# No approximation of R survey matches Deville's: pps = HR() and pps = "brewer" use
# Hartley-Rao's and Brewer's joint-probability approximations. The first form
# ("deville1", factor n / (n - 1)) is checked by hand; the second ("deville2",
# factor 1 / (1 - sum a_k^2)) is R's sampling::varest.


def test_deville1_total_by_hand():
    y = np.array([2.0, 0.0, 5.0, 1.0, 7.0])
    pi = np.array([0.2, 0.4, 0.5, 0.8, 1.0])  # the last unit is a certainty: no variance
    # units with pi < 1: e = y / pi = 10, 0, 10, 1.25; weights c = 1 - pi = 0.8, 0.6, 0.5, 0.2
    a = (0.8 * 10 + 0.6 * 0 + 0.5 * 10 + 0.2 * 1.25) / (0.8 + 0.6 + 0.5 + 0.2)  # 13.25 / 2.1
    v = 4 / 3 * (0.8 * (10 - a) ** 2 + 0.6 * (0 - a) ** 2 + 0.5 * (10 - a) ** 2 + 0.2 * (1.25 - a) ** 2)
    assert a == pytest.approx(6.309523809523809, rel=1e-15)
    assert v == pytest.approx(15695 / 252, rel=1e-14)  # exact: fractions.Fraction arithmetic
    got = ht_total(y, pi)
    assert got.estimate == pytest.approx(10 + 0 + 10 + 1.25 + 7, rel=1e-15)
    assert got.se == pytest.approx(math.sqrt(v), rel=1e-13)
    assert (got.n, got.variance, got.estimator, got.df) == (5, "deville1", "ht_total", 3.0)
    z = 1.959963984540054  # R: qnorm(0.975)
    assert (got.ci_low, got.ci_high) == pytest.approx((28.25 - z * got.se, 28.25 + z * got.se))


def test_deville1_hajek_mean_by_hand():
    y = np.array([2.0, 0.0, 5.0, 1.0, 7.0])
    pi = np.array([0.2, 0.4, 0.5, 0.8, 1.0])
    n_hat = 5 + 2.5 + 2 + 1.25 + 1  # 11.75
    r = (10 + 0 + 10 + 1.25 + 7) / n_hat  # 28.25 / 11.75
    z = (y[:4] - r) / n_hat  # the certainty's z adds nothing
    e = z / pi[:4]
    c = 1 - pi[:4]
    a = (c * e).sum() / c.sum()
    v = 4 / 3 * (c * (e - a) ** 2).sum()
    got = hajek_mean(y, pi)
    assert got.estimate == pytest.approx(2.404255319148936, rel=1e-14)
    assert got.se == pytest.approx(math.sqrt(v), rel=1e-13)
    assert got.se == pytest.approx(0.5798235791164934, rel=1e-12)  # exact: fractions.Fraction arithmetic


def test_deville2_matches_r_varest(small_example):
    _, pi_s, _ = small_example
    # R: varest(c(3, 0, 7, 5, 12), pik = pik[s])
    assert ht_total(Y, pi_s, variance="deville2").se ** 2 == pytest.approx(484.13096901949586, rel=1e-12)
    # R: R <- sum(y / pi) / sum(1 / pi); z <- (y - R) / sum(1 / pi); varest(z, pik = pi)
    assert hajek_mean(Y, pi_s, variance="deville2").se ** 2 == pytest.approx(0.75346530927973654, rel=1e-12)


def test_deville_forms_agree_when_probabilities_are_equal():
    y = [1.0, 4.0, 2.0, 0.0, 3.0]
    pi = [0.25] * 5
    assert ht_total(y, pi).se == pytest.approx(ht_total(y, pi, variance="deville2").se, rel=1e-14)
    # equal pi: the formula is simple random sampling with replacement-free factor (1 - f) and n / (n - 1)
    yy = np.array(y) / 0.25
    assert ht_total(y, pi).se ** 2 == pytest.approx(0.75 * 5 / 4 * ((yy - yy.mean()) ** 2).sum(), rel=1e-14)


def test_certainties_add_no_variance_and_a_census_has_none():
    y, pi = [1.0, 0.0, 3.0, 2.0], [0.3, 0.6, 0.5, 0.6]
    base = ht_total(y, pi)
    more = ht_total(y + [50.0, 7.0], pi + [1.0, 1.0])
    assert more.estimate == pytest.approx(base.estimate + 57.0)
    assert more.se == pytest.approx(base.se, rel=1e-14)
    census = hajek_mean([1.0, 0.0, 1.0], [1.0, 1.0, 1.0], ci="t")
    assert census.se == 0.0
    assert (census.estimate, census.ci_low, census.ci_high) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


# -- confidence intervals ----------------------------------------------------------------------


def test_t_interval_uses_units_below_one_minus_one_df():
    y, pi = [2.0, 0.0, 5.0, 1.0, 7.0], [0.2, 0.4, 0.5, 0.8, 1.0]
    got = ht_total(y, pi, ci="t", level=0.95)
    # R: qt(0.975, 3)
    assert got.df == 3.0
    assert got.ci_high - got.estimate == pytest.approx(3.1824463052837078 * got.se, rel=1e-12)


def test_log_interval_by_hand():
    got = ht_total([2.0, 0.0, 5.0, 1.0, 7.0], [0.2, 0.4, 0.5, 0.8, 1.0], ci="log")
    factor = math.exp(1.959963984540054 * got.se / got.estimate)  # R: qnorm(0.975)
    assert (got.ci_low, got.ci_high) == pytest.approx((got.estimate / factor, got.estimate * factor), rel=1e-12)
    assert got.ci_low > 0 and got.ci_high - got.estimate > got.estimate - got.ci_low


def test_logit_interval_by_hand():
    y, pi = [1.0, 0.0, 1.0, 0.0, 0.0], [0.5, 0.25, 0.5, 1.0, 0.25]
    got = hajek_mean(y, pi, ci="logit", level=0.9)
    p, se = got.estimate, got.se
    half = 1.6448536269514715 * se / (p * (1 - p))  # R: qnorm(0.95)
    lo, hi = expit(math.log(p / (1 - p)) - half), expit(math.log(p / (1 - p)) + half)
    assert (got.ci_low, got.ci_high) == pytest.approx((lo, hi), rel=1e-12)
    assert got.ci == "logit" and got.level == 0.9


def test_beta_interval_at_zero_is_clopper_pearson_with_the_random_units():
    got = hajek_mean([0.0] * 5, [0.1, 0.2, 0.3, 0.4, 0.5], ci="beta")
    # Clopper-Pearson for 0 of 5: upper = 1 - 0.025^(1/5)   (R: binom.test(0, 5)$conf.int)
    assert (got.ci_low, got.ci_high) == pytest.approx((0.0, 0.52182375010498139), rel=1e-12)
    # with a certainty (pi = 1, found nothing): 0 of the 4 random units, scaled by their weight share
    # share = (10 + 5 + 10/3 + 2.5) / (10 + 5 + 10/3 + 2.5 + 1) = 20.8333 / 21.8333; upper = share (1 - 0.025^(1/4))
    got = hajek_mean([0.0] * 5, [0.1, 0.2, 0.3, 0.4, 1.0], ci="beta")
    share = (10 + 5 + 10 / 3 + 2.5) / (10 + 5 + 10 / 3 + 2.5 + 1)
    assert (got.ci_low, got.ci_high) == pytest.approx((0.0, share * (1 - 0.025**0.25)), rel=1e-12)
    assert hajek_mean([0.0] * 5, [0.1, 0.2, 0.3, 0.4, 1.0], ci="logit").ci_high == 0.0  # degenerate, documented


def test_beta_interval_stays_inside_what_the_certainties_allow():
    # three certainties all positive, five random units none: the rate is at least 3 / N_hat
    y, pi = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.1, 0.1, 0.2, 0.2, 0.5]
    got = hajek_mean(y, pi, ci="beta")
    n_hat = 3 + 10 + 10 + 5 + 5 + 2
    assert got.estimate == pytest.approx(3 / n_hat)
    assert got.ci_low == pytest.approx(3 / n_hat, rel=1e-14)
    assert got.ci_high == pytest.approx(3 / n_hat + 32 / n_hat * (1 - 0.025**0.2), rel=1e-12)
    # a census (every unit a certainty): no sampling error
    census = hajek_mean([1.0, 0.0, 0.0], [1.0, 1.0, 1.0], ci="beta")
    assert (census.ci_low, census.ci_high) == (1 / 3, 1 / 3)


def test_ht_total_beta_is_the_implied_rate_interval_scaled():
    y, pi = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0], [0.5, 0.25, 0.5, 1.0, 0.25, 0.5]
    total = ht_total(y, pi, ci="beta")
    n_hat = 2 + 4 + 2 + 1 + 4 + 2
    # the implied rate t / N_hat = the Hajek rate, with standard error se(t) / N_hat; certainty (y = 0) known
    part = RandomPart(0.0, 14 / 15, 5)
    low, high = korn_graubard(total.estimate / n_hat, total.se / n_hat, part, 0.05)
    assert total.estimate == 6.0 and total.ci == "beta"
    assert (total.ci_low, total.ci_high) == pytest.approx((n_hat * low, n_hat * high), rel=1e-14)


def test_ht_total_jeffreys_is_the_rate_tables_interval_of_the_implied_rate_scaled():
    y, pi = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0], [0.5, 0.25, 0.5, 1.0, 0.25, 0.5]
    total = ht_total(y, pi, ci="jeffreys")
    n_hat, share = 15.0, 14 / 15  # the certainty (y = 0) known; 5 random units hold 14 of the 15 weights
    p = (total.estimate / n_hat) / share  # the random part's rate
    n_eff = p * (1 - p) / (total.se / n_hat / share) ** 2
    # deflated at df = 5 random units - 1 (Korn-Graubard's (z / t_4)^2), capped at the 5 random units
    used = min(n_eff * (1.959963984540054 / 2.7764451051977987) ** 2, 5.0)  # R: qnorm(0.975), qt(0.975, 4)
    x = used * p  # Jeffreys limits: qbeta(c(0.025, 0.975), x + 0.5, used - x + 0.5)
    low, high = stats.beta.ppf([0.025, 0.975], x + 0.5, used - x + 0.5)
    assert total.ci == "jeffreys" and total.df == 4
    assert (total.ci_low, total.ci_high) == pytest.approx((n_hat * share * low, n_hat * share * high), rel=1e-12)
    assert ht_total([0.0, 0.0, 1.0], [0.5, 0.5, 1.0], ci="jeffreys").ci_low == pytest.approx(1.0)  # the certainty


# -- pooled draws and domains ------------------------------------------------------------------

# R (sampling::varest, summed over the two draws):
#   y2 <- c(1, 0, 0, 1, 0,  0, 1, 0, 1, 0, 0); p2 <- c(0.5, 0.2, 0.3, 1, 0.6,  0.4, 0.8, 0.1, 0.25, 0.9, 0.55)
#   h <- rep(1:2, c(5, 6)); d <- c("A", "B", "A", "B", "A",  "A", "B", "A", "A", "B", "B")
#   ind <- as.numeric(d == dom); Nd <- sum(ind / p2); Rd <- sum(ind * y2 / p2) / Nd; z <- ind * (y2 - Rd) / Nd
#   sqrt(varest(z[h == 1], pik = p2[h == 1]) + varest(z[h == 2], pik = p2[h == 2]))
Y2 = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0]
P2 = [0.5, 0.2, 0.3, 1.0, 0.6, 0.4, 0.8, 0.1, 0.25, 0.9, 0.55]
H2 = ["2025Q1"] * 5 + ["2025Q2"] * 6
D2 = ["A", "B", "A", "B", "A", "A", "B", "A", "A", "B", "B"]
R_POOLED = {"A": (0.25531914893617019, 0.18350932658912661), "B": (0.22103696353262217, 0.10910104686748731)}


def test_pooled_domains_match_r_varest():
    table = pooled_rate(Y2, P2, H2, domain=D2, variance="deville2")
    assert list(table.columns) == COLUMNS
    assert table.domain.tolist() == ["A", "B"]
    for row in table.itertuples():
        assert row.estimate == pytest.approx(R_POOLED[row.domain][0], rel=1e-13)
        assert row.se == pytest.approx(R_POOLED[row.domain][1], rel=1e-12)
    assert table.n.tolist() == [6, 5] and table.n_draws.tolist() == [2, 2]
    assert set(table.estimator) == {"pooled_hajek_ratio"} and set(table.ci) == {
        "jeffreys 95%"
    }  # the default interval (section 3)


def test_pooled_t_degrees_of_freedom_per_domain():
    table = pooled_rate(Y2, P2, H2, domain=D2, ci="t").set_index("domain")
    # A: 3 units with pi < 1 in each draw -> df = 2 + 2; B: 1 (+ a certainty) and 3 -> df = 0 + 2
    # R: qt(0.975, c(4, 2))
    for dom, q in (("A", 2.7764451051977934), ("B", 4.3026527297494619)):
        row = table.loc[dom]
        assert row.ci_high - row.estimate == pytest.approx(q * row.se, rel=1e-12)


def test_pooled_single_draw_equals_hajek_mean():
    y, pi = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0], [0.5, 0.25, 0.5, 1.0, 0.25, 0.5]
    for variance in ("deville1", "deville2"):
        one = hajek_mean(y, pi, variance=variance, ci="beta")
        row = pooled_rate(y, pi, ["d"] * 6, variance=variance, ci="beta").iloc[0]
        assert row.domain == "all" and row.n == 6 and row.n_draws == 1
        assert (row.estimate, row.se, row.ci_low, row.ci_high) == pytest.approx(
            (one.estimate, one.se, one.ci_low, one.ci_high), rel=1e-13
        )


def test_pooled_domain_uses_all_units_of_each_draw():
    # a domain's variance depends on the other units of its draw (random domain size):
    # dropping the non-domain rows changes it
    full = pooled_rate(Y2, P2, H2, domain=D2).set_index("domain").loc["A"]
    keep = np.array(D2) == "A"
    alone = pooled_rate(np.array(Y2)[keep], np.array(P2)[keep], np.array(H2)[keep]).iloc[0]
    assert full.estimate == pytest.approx(alone.estimate, rel=1e-14)
    assert abs(full.se - alone.se) > 1e-3


def test_pooled_is_invariant_to_row_order_and_strata_split_the_variance():
    rng = np.random.default_rng(3)
    order = rng.permutation(len(Y2))
    a = pooled_rate(Y2, P2, H2, domain=D2)
    b = pooled_rate(np.array(Y2)[order], np.array(P2)[order], np.array(H2)[order], domain=np.array(D2)[order])
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-13)
    strata = ["s1", "s1", "s2", "s2", "s2", "s1", "s1", "s1", "s2", "s2", "s2"]
    by_stratum = pooled_rate(Y2, P2, H2, strata=strata).iloc[0]
    as_draws = pooled_rate(Y2, P2, [f"{h}|{s}" for h, s in zip(H2, strata)]).iloc[0]
    assert by_stratum.se == pytest.approx(as_draws.se, rel=1e-14)
    assert (by_stratum.n_draws, as_draws.n_draws) == (2, 4)


# -- two stages ----------------------------------------------------------------------------------


def test_two_stage_by_hand():
    problems, checked, held = [1, 0, 3, 0], [10, 5, 20, 5], [120, 5, 400, 30]
    pi = [0.5, 0.2, 1.0, 0.25]
    x_hat = 120 / 0.5 + 5 / 0.2 + 400 / 1.0 + 30 / 0.25  # 785
    r = (120 * 1 / 10 / 0.5 + 0 + 400 * 3 / 20 / 1.0 + 0) / x_hat  # 84 / 785
    # first stage, units with pi < 1 (bodies 1, 2, 4): u = (N p - R N) / X_hat, e = u / pi, c = 1 - pi
    u = np.array([12 - r * 120, 0 - r * 5, 0 - r * 30]) / x_hat
    e, c = u / np.array([0.5, 0.2, 0.25]), np.array([0.5, 0.8, 0.75])
    v1 = 3 / 2 * (c * (e - (c * e).sum() / c.sum()) ** 2).sum()
    # second stage: v2 = N^2 (1 - m/N) s^2 / m, s^2 = p (1 - p) m / (m - 1)
    v2_body1 = 120**2 * (1 - 10 / 120) * (0.1 * 0.9 * 10 / 9) / 10  # 132
    v2_body3 = 400**2 * (1 - 20 / 400) * (0.15 * 0.85 * 20 / 19) / 20  # 1020 (a certainty)
    assert (v2_body1, v2_body3) == pytest.approx((132.0, 1020.0), rel=1e-13)
    v2 = (v2_body1 / 0.5 + v2_body3 / 1.0) / x_hat**2  # body 2 is a census, body 4 found none
    with_2 = two_stage_rate(problems, checked, held, pi, ["Q1"] * 4).iloc[0]
    only_1 = two_stage_rate(problems, checked, held, pi, ["Q1"] * 4, second_stage=False).iloc[0]
    assert with_2.estimate == pytest.approx(84 / 785, rel=1e-14)
    assert with_2.se == pytest.approx(math.sqrt(v1 + v2), rel=1e-13)
    assert only_1.se == pytest.approx(math.sqrt(v1), rel=1e-13)
    assert (with_2.estimator, with_2.variance, only_1.variance) == (
        "two_stage_ratio",
        "deville1 + stage 2",
        "deville1 (ultimate cluster)",
    )


def test_two_stage_census_within_bodies_is_a_ratio_and_empty_domain_is_nan():
    problems, held, pi = [2, 0, 5, 1], [10, 4, 30, 8], [0.5, 0.2, 0.6, 0.7]
    a = two_stage_rate(problems, held, held, pi, ["Q1"] * 4).iloc[0]
    b = two_stage_rate(problems, held, held, pi, ["Q1"] * 4, second_stage=False).iloc[0]
    assert a.estimate == pytest.approx((2 / 0.5 + 5 / 0.6 + 1 / 0.7) / (10 / 0.5 + 4 / 0.2 + 30 / 0.6 + 8 / 0.7))
    assert a.se == b.se
    table = two_stage_rate([0, 1, 0], [0, 3, 2], [0, 9, 5], [0.3, 0.5, 0.4], ["Q"] * 3, domain=["x", "y", "y"])
    assert math.isnan(table.estimate.iloc[0]) and table.n.tolist() == [1, 2]


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": [], "pi": []}, r"`y` must not be empty"),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5, 0.5]}, r"`pi` and `y` must have the same length; got 3 and 2"),
        ({"y": [1.0, 2.0, 3.0], "pi": [0.5, 0.0, 0.5]}, r"`pi` must lie in \(0, 1\]; got 0.0 at position 1"),
        ({"y": [1.0, 2.0, 3.0], "pi": [0.5, 1.2, 0.5]}, r"`pi` must lie in \(0, 1\]; got 1.2 at position 1"),
        ({"y": [1.0, np.nan], "pi": [0.5, 0.5]}, r"`y` must be finite; got nan at position 1"),
        ({"y": [[1.0, 2.0]], "pi": [0.5, 0.5]}, r"`y` must be 1-d; got an array of shape \(1, 2\)"),
        ({"y": [1.0, 2.0, 3.0], "pi": [0.5, 1.0, 1.0]}, r"single unit with pi < 1; .*\(got n = 1\)"),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5], "variance": "exact"}, r"`variance` must be one of .*; got 'exact'"),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5], "variance": "syg"}, r"`variance` = 'syg' needs .* `joint`; got None"),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5], "ci": "wilson"}, r"`ci` must be one of .*; got 'wilson'"),
        (
            {"y": [1.0, 2.0], "pi": [0.5, 0.5], "ci": "logit"},
            r"`ci` = 'logit' is for rates .* 'log', 'beta' or 'jeffreys'",
        ),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5], "ci": "beta"}, r"`y` must be in \[0, 1\] for `ci` = 'beta'; got 2.0"),
        ({"y": [1.0, -2.0], "pi": [0.5, 0.5], "ci": "log"}, r"`y` must be >= 0 for `ci` = 'log'; got -2.0 at"),
        ({"y": [1.0, 2.0], "pi": [0.5, 0.5], "level": 95}, r"`level` must be .* between 0 and 1; got 95"),
    ],
)
def test_ht_total_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ht_total(**kwargs)


def test_type_errors_name_the_parameter():
    with pytest.raises(TypeError, match=r"`y` must be a 1-d array of numbers; got \['a', 'b'\]"):
        ht_total(["a", "b"], [0.5, 0.5])
    with pytest.raises(TypeError, match=r"`draw_id` must be a sequence of labels, one per unit; got 'Q1'"):
        pooled_rate([1, 0], [0.5, 0.5], "Q1")
    with pytest.raises(TypeError, match=r"`second_stage` must be True or False; got 'yes'"):
        two_stage_rate([0, 0], [2, 2], [5, 5], [0.5, 0.5], ["Q", "Q"], second_stage="yes")


def test_joint_errors(small_example):
    _, pi_s, joint = small_example
    with pytest.raises(ValueError, match=r"`joint` must have shape \(5, 5\), one row .*; got \(4, 4\)"):
        ht_total(Y, pi_s, joint=joint[:4, :4])
    bad = joint.copy()
    bad[0, 1] = 0.0
    with pytest.raises(ValueError, match=r"`joint` must have entries in \(0, 1\] .*; got 0.0 at \(0, 1\)"):
        ht_total(Y, pi_s, joint=bad)
    bad = joint.copy()
    bad[0, 1] += 0.001
    with pytest.raises(ValueError, match=r"`joint` must be symmetric; got .* at \(0, 1\)"):
        ht_total(Y, pi_s, joint=bad)
    bad = joint.copy()
    bad[2, 2] = 0.5
    with pytest.raises(ValueError, match=r"`joint` must have `pi` on its diagonal; got 0.5 at \(2, 2\)"):
        ht_total(Y, pi_s, joint=bad)
    with pytest.raises(ValueError, match=r"`variance` = 'deville1' is an approximation without joint"):
        ht_total(Y, pi_s, joint=joint, variance="deville1")


def test_rate_errors():
    with pytest.raises(ValueError, match=r"`y` must be in \[0, 1\] for `ci` = 'logit'; got 3.0 at position 2"):
        hajek_mean([0.0, 1.0, 3.0], [0.5, 0.5, 0.5], ci="logit")
    with pytest.raises(ValueError, match=r"draw 'Q2' has a single unit with pi < 1; .* \(got n = 1\)"):
        pooled_rate([1, 0, 1, 0], [0.5, 0.5, 1.0, 0.3], ["Q1", "Q1", "Q2", "Q2"])
    with pytest.raises(ValueError, match=r"`domain` must not have missing labels; got None at position 1"):
        pooled_rate([1, 0, 1], [0.5, 0.5, 0.5], ["Q"] * 3, domain=["A", None, "B"])
    with pytest.raises(ValueError, match=r"`draw_id` and `y` must have the same length; got 2 and 3"):
        pooled_rate([1, 0, 1], [0.5, 0.5, 0.5], ["Q"] * 2)
    with pytest.raises(ValueError, match=r"`variance` must be 'auto', 'deville1' or 'deville2' .*; got 'syg'"):
        pooled_rate([1, 0, 1], [0.5, 0.5, 0.5], ["Q"] * 3, variance="syg")


@pytest.mark.parametrize(
    ("problems", "checked", "held", "match"),
    [
        ([1, 4], [2, 3], [5, 5], r"`problems` must not exceed `checked`; got problems=4, checked=3, held=5 at .* 1"),
        ([1, 0], [2, 6], [5, 5], r"`checked` must not exceed `held`; got problems=0, checked=6, held=5 at position 1"),
        ([0, 0], [2, 0], [5, 5], r"`checked` must be >= 1 where the body holds certificates .* at position 1"),
        ([0, -1], [2, 2], [5, 5], r"`problems` must be whole numbers >= 0; got -1.0 at position 1"),
        ([0, 1], [2, 2.5], [5, 5], r"`checked` must be whole numbers >= 0; got 2.5 at position 1"),
        ([0, 1], [2, 2], [5], r"`held` and `problems` must have the same length; got 1 and 2"),
    ],
)
def test_two_stage_errors(problems, checked, held, match):
    with pytest.raises(ValueError, match=match):
        two_stage_rate(problems, checked, held, [0.5, 0.5], ["Q", "Q"])


# -- package ------------------------------------------------------------------------------------


def test_docstring_examples_and_exports():
    result = doctest.testmod(est_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
    assert {"Estimate", "ht_total", "hajek_mean", "pooled_rate", "two_stage_rate"} <= set(sampling.__all__)
    assert isinstance(ht_total([1.0, 2.0], [0.5, 0.5]), Estimate)
    assert ht_total([1.0, 2.0], [0.5, 0.5]).to_dict()["estimator"] == "ht_total"


# -- simulation: bias, variance and coverage over replicated draws ---------------------------------
#
# A fixed synthetic population; each replicate is a real `sampling.draw` (conditional Poisson,
# seed material "rep <r>"), so the estimators are checked against the design they serve.
# Four quarters: each has its own outcomes and probabilities (sizes move a little), replicate r
# draws from quarter r % 4, and replicates 4j .. 4j + 3 form the j-th pooled replicate.

SCENARIO = {"N": 500, "n": 125, "reps": 800, "sigma": 0.6, "intercept": -1.2}


def simulate(N=500, n=125, reps=800, sigma=0.6, intercept=-1.2, slope=0.8, seed=2025, domains="province"):
    """Replicated draws on a synthetic population; one summary row per (estimator, domain, ci).

    Population: sizes lognormal(0, sigma); y_k ~ Bernoulli(expit(intercept + slope log size_k));
    province "11" or "44" at random; N_k = 1 + Poisson(30 size_k) certificates of which
    Binomial(N_k, expit(-2.5 + 0.6 log size_k)) have problems. pi proportional to size for n
    units with the policy floor 0.02 (the largest units become certainties). Second stage:
    simple random sample of m_k = min(N_k, 10) certificates (hypergeometric count).
    ``domains="grade"``: domains are the quarter's quartiles of pi ("A" lowest .. "D"),
    small domains with rare outcomes (docs/estimation.md, section 6).
    """
    quarters = 4
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, sigma, N)
    ids = [f"B{k:05d}" for k in range(N)]
    province = rng.choice(np.array(["11", "44"]), N)
    p = expit(intercept + slope * np.log(size))
    pis = [inclusion_probabilities(size * rng.lognormal(0.0, 0.3, N), n, floor=0.02) for _ in range(quarters)]
    ys = [(rng.random(N) < p).astype(float) for _ in range(quarters)]
    grades = [np.array(list("ABCD"))[np.searchsorted(np.quantile(x, [0.25, 0.5, 0.75]), x)] for x in pis]
    held = 1 + rng.poisson(30 * size)
    bad = rng.binomial(held, expit(-2.5 + 0.6 * np.log(size)))
    material = {r: seed_material(sampling.frame_digest(ids), f"rep {r}") for r in range(reps)}
    cert_truth = bad.sum() / held.sum()
    rows = []

    def add(name, dom, ci, value, se, low, high, truth):
        rows.append((name, dom, ci, value, se, low <= truth <= high, value - truth))

    samples = []
    for r in range(reps):
        q = r % quarters
        s = draw(ids, pis[q], material[r], "stage1").selected
        y, pi = ys[q][s], pis[q][s]
        samples.append((q, y, pi))
        labels = province if domains == "province" else grades[q]
        for ci in ("normal", "log"):
            e = ht_total(y, pi, ci=ci)
            add("ht_total", "all", ci, e.estimate, e.se, e.ci_low, e.ci_high, ys[q].sum())
        for ci in ("normal", "beta"):
            e = hajek_mean(y, pi, ci=ci)
            add("hajek_mean", "all", ci, e.estimate, e.se, e.ci_low, e.ci_high, ys[q].mean())
            for row in pooled_rate(y, pi, [f"q{q}"] * len(y), domain=labels[s], ci=ci).itertuples():
                truth = ys[q][labels == row.domain].mean()
                add("domain", row.domain, ci, row.estimate, row.se, row.ci_low, row.ci_high, truth)
        m = np.minimum(held[s], 10)
        found = np.random.default_rng([seed, r]).hypergeometric(bad[s], held[s] - bad[s], m)
        for second, ci in ((True, "normal"), (True, "beta"), (False, "normal")):
            row = two_stage_rate(found, m, held[s], pi, [f"q{q}"] * len(y), second_stage=second, ci=ci).iloc[0]
            name = "two_stage" if second else "two_stage_ultimate_cluster"
            add(name, "all", ci, row.estimate, row.se, row.ci_low, row.ci_high, cert_truth)
    pooled_truth = np.mean([y.sum() for y in ys]) / N
    for j in range(reps // quarters):
        part = samples[quarters * j : quarters * (j + 1)]
        y = np.concatenate([t[1] for t in part])
        pi = np.concatenate([t[2] for t in part])
        draw_id = np.concatenate([[f"q{t[0]}"] * len(t[1]) for t in part])
        for ci in ("normal", "beta"):
            row = pooled_rate(y, pi, draw_id, ci=ci).iloc[0]
            add("pooled_4_draws", "all", ci, row.estimate, row.se, row.ci_low, row.ci_high, pooled_truth)
    data = pd.DataFrame(rows, columns=["estimator", "domain", "ci", "estimate", "se", "covered", "error"])
    out = data.groupby(["estimator", "domain", "ci"]).agg(
        reps=("error", "size"),
        bias=("error", "mean"),
        sd=("error", "std"),
        mean_var=("se", lambda v: float(np.mean(np.square(v)))),
        coverage=("covered", "mean"),
    )
    out["mc_se"] = out["sd"] / np.sqrt(out["reps"])
    out["se_ratio"] = np.sqrt(out["mean_var"]) / out["sd"]
    return out.drop(columns="mean_var")


@pytest.fixture(scope="module")
def simulation():
    return simulate(**SCENARIO)


@pytest.mark.slow
def test_simulation_unbiased_right_variance_and_coverage(simulation):
    table = simulation
    report = "\n" + table.to_string()
    assert len(table) == 13, report
    assert (table.loc["pooled_4_draws", "reps"] == SCENARIO["reps"] // 4).all() and SCENARIO["reps"] // 4 >= 200
    # unbiased: the mean error within 3 Monte Carlo standard errors of zero, for every estimator
    assert (table["bias"].abs() <= 3 * table["mc_se"]).all(), report
    # the variance estimators are right: sqrt(mean estimated variance) / sd of the estimates
    right = table.drop(index="two_stage_ultimate_cluster", level="estimator")
    assert right["se_ratio"].between(0.9, 1.1).all(), report
    # ... and without the second-stage term the variance is too small (certainties hold many certificates)
    assert table.loc[("two_stage_ultimate_cluster", "all", "normal"), "se_ratio"] < 0.9, report
    assert table.loc[("two_stage_ultimate_cluster", "all", "normal"), "coverage"] < 0.93, report
    # 95 % intervals with the recommended method cover 93-97 % of the time
    recommended = [
        ("ht_total", "all", "log"),
        ("hajek_mean", "all", "beta"),
        ("domain", "11", "beta"),
        ("domain", "44", "beta"),
        ("pooled_4_draws", "all", "beta"),
        ("two_stage", "all", "beta"),
    ]
    for key in recommended:
        assert 0.93 <= table.loc[key, "coverage"] <= 0.97, f"{key}{report}"


# -- reliability flags ---------------------------------------------------------------------------------


def test_reliability_rule_at_its_edges():
    from sampling.estimators.reliability import MAX_CV, MIN_RANDOM_PUBLISHED, MIN_RANDOM_RELIABLE, reliability

    assert (MIN_RANDOM_PUBLISHED, MIN_RANDOM_RELIABLE, MAX_CV) == (3, 10, 0.30)
    assert reliability(0.2, 0.01, 2) == (
        "suppressed",
        "fewer than 3 random inspections (2)",
        pytest.approx(math.nan, nan_ok=True),
    )
    assert reliability(0.2, 0.01, 3)[:2] == ("unstable", "fewer than 10 random inspections (3)")
    assert reliability(0.2, 0.01, 9).label == "unstable"
    assert reliability(0.2, 0.06, 10)[:2] == ("reliable", "10 random inspections, coefficient of variation 0.30")
    assert reliability(0.2, 0.0602, 10)[:2] == ("unstable", "coefficient of variation 0.30 above 0.30")
    assert reliability(0.2, 0.09, 40)[:2] == ("unstable", "coefficient of variation 0.45 above 0.30")
    zero = reliability(0.0, 0.0, 40)
    assert zero.label == "unstable" and math.isnan(zero.cv) and zero.reason.startswith("estimate 0")
    assert reliability(math.nan, math.nan, 5).label == "suppressed"
    # every random outcome alike (all serious): the zero standard error is no sign of precision
    # a model-assisted rate can fall outside [0, 1]: impossible as a value, never reliable (its cv uses |estimate|)
    assert reliability(-0.2, 0.05, 40)[:2] == ("unstable", "estimate -0.20 outside [0, 1]: impossible for a rate")
    assert reliability(1.05, 0.05, 40).label == "unstable" and reliability(-0.2, 0.05, 40).cv == pytest.approx(0.25)
    assert reliability(1.0, 0.0, 40)[:2] == (
        "unstable",
        "standard error 0: every random outcome alike, the precision is unknown",
    )


def test_domain_table_flags_and_suppresses():
    # domain S: two random units and a certainty -> suppressed; U: 5 random -> unstable; R: 12 random -> reliable
    rng = np.random.default_rng(5)
    dom = np.array(["S"] * 3 + ["U"] * 5 + ["R"] * 12)
    pi = np.concatenate([[1.0, 0.4, 0.3], rng.uniform(0.1, 0.9, 17)])
    y = np.tile([1.0, 0.0], 10)
    table = pooled_rate(y, pi, ["Q"] * 20, domain=dom).set_index("domain")
    assert list(table.columns) == COLUMNS[1:] and COLUMNS[-4:] == [
        "n_random",
        "cv",
        "reliability",
        "reliability_reason",
    ]
    assert table.n_random.to_dict() == {"R": 12, "S": 2, "U": 5}
    s = table.loc["S"]
    assert s.reliability == "suppressed" and s.reliability_reason == "fewer than 3 random inspections (2)"
    assert np.isnan([s.estimate, s.se, s.ci_low, s.ci_high, s.cv]).all() and s.n == 3
    assert table.loc["U", "reliability_reason"] == "fewer than 10 random inspections (5)"
    r = table.loc["R"]
    assert r.cv == pytest.approx(r.se / r.estimate) and r.reliability == ("reliable" if r.cv <= 0.3 else "unstable")


def test_jeffreys_interval_caps_the_effective_size_by_hand():
    # 20 random units of equal pi 0.1 except one of pi 0.9, the only positive: the Hajek rate is
    # (1 / 0.9) / (19 / 0.1 + 1 / 0.9) = 0.005814; its variance is tiny, so Korn-Graubard's effective size
    # p (1 - p) / se^2 is far above the 20 units. "jeffreys" caps it at 20: x = 20 p = 0.11628 positives and
    # the limits are the Beta(x + 1/2, 20 - x + 1/2) quantiles (scipy.stats.beta.ppf, computed here by hand).
    from scipy import stats

    y = np.r_[np.zeros(19), 1.0]
    pi = np.r_[np.full(19, 0.1), 0.9]
    beta = hajek_mean(y, pi, ci="beta")
    capped = hajek_mean(y, pi, ci="jeffreys")
    p = (1 / 0.9) / (19 / 0.1 + 1 / 0.9)
    assert capped.estimate == pytest.approx(p, rel=1e-12)
    n_eff_kg = p * (1 - p) / beta.se**2
    assert n_eff_kg > 100
    x = 20 * p
    assert capped.ci_low == pytest.approx(stats.beta.ppf(0.025, x + 0.5, 20 - x + 0.5), rel=1e-10)
    assert capped.ci_high == pytest.approx(stats.beta.ppf(0.975, x + 0.5, 20 - x + 0.5), rel=1e-10)
    assert capped.ci_high > 5 * beta.ci_high  # the uncapped upper limit is the one that missed in simulation


def test_jeffreys_interval_at_zero_positives_and_in_a_census():
    from scipy import stats

    zero = hajek_mean(np.zeros(15), np.full(15, 0.2), ci="jeffreys")
    assert zero.ci_low == 0.0
    # no positive: the effective size is the 15 random units, deflated by (z / t_14)^2 for the variance's
    # 14 degrees of freedom (R: qnorm(0.975) = 1.959963984540054, qt(0.975, 14) = 2.1447866879169273)
    n_eff = 15 * (1.959963984540054 / 2.1447866879169273) ** 2
    assert zero.ci_high == pytest.approx(stats.beta.ppf(0.975, 0.5, n_eff + 0.5), rel=1e-12)
    census = hajek_mean(np.r_[1.0, 0.0, 0.0], np.ones(3), ci="jeffreys")
    assert (census.ci_low, census.ci_high) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
