"""Risk model: monotone points, grades monotone in probability, overrides only
raise, reasons name real features, reproducible retraining, and inverse-probability
weighting fixing a biased past policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from features.build import build_features
from features.dictionary import FEATURE_NAMES, SPECS
from riskmodel.baselines import baseline_score
from riskmodel.binning import MonotoneBinning
from riskmodel.grader import grade_bodies
from riskmodel.grading import GRADES, RULES, apply_overrides, model_grades
from riskmodel.models import base_estimator, fit_model, make_model
from riskmodel.quarterly import retrain
from riskmodel.scorecard import Scorecard
from riskmodel.training import build_training_set


@pytest.fixture(scope="module")
def trained(world_medium):
    tables = world_medium.tables()
    ts = build_training_set(tables, world_medium.as_of)
    return tables, ts, fit_model("scorecard", ts.X, ts.y, ts.w, random_state=0)


# --- training set ---------------------------------------------------------------------
def test_training_rows_are_random_inspections_weighted_by_inverse_probability(world_medium, trained):
    tables, ts, _ = trained
    ins = tables["inspections"].set_index("inspection_id").loc[ts.meta["inspection_id"]]
    assert (ins["kind"] == "random").all()
    np.testing.assert_allclose(ts.w, 1 / ins["inclusion_prob"].to_numpy())
    assert ts.y.tolist() == ins["outcome"].isin(["major", "severe"]).astype(int).tolist()
    kept = build_training_set(tables, world_medium.as_of, nonrandom="weight_one")
    assert set(kept.meta["kind"]) == {"random", "targeted", "complaint"}
    assert (kept.w[kept.meta["kind"].to_numpy() != "random"] == 1).all()
    with pytest.raises(ValueError, match="`nonrandom` must be one of exclude, weight_one; got 'all'"):
        build_training_set(tables, world_medium.as_of, nonrandom="all")


# --- scorecard ------------------------------------------------------------------------
def test_scorecard_points_are_monotone_where_declared(trained):
    _, ts, model = trained
    card = base_estimator(model)
    assert isinstance(card, Scorecard) and len(card.features_) >= 5
    for name in card.features_:
        direction = SPECS[name].direction
        grid = pd.DataFrame({c: np.repeat(ts.X[c].median(), 200) for c in ts.X.columns})
        grid[name] = np.linspace(ts.X[name].min(), ts.X[name].max(), 200)
        points = card.feature_points(grid)[name].to_numpy()
        if direction > 0:
            assert np.all(np.diff(points) >= -1e-9), name
        elif direction < 0:
            assert np.all(np.diff(points) <= 1e-9), name


def test_scorecard_points_add_up_to_its_log_odds(trained):
    _, ts, model = trained
    card = base_estimator(model)
    logodds = card.decision_function(ts.X)
    base_logit = np.log(card.base_rate_ / (1 - card.base_rate_))
    np.testing.assert_allclose(card.points(ts.X), 500 + card.factor_ * (logodds - base_logit), rtol=1e-10)


def test_binning_pools_violators_and_rejects_bad_direction():
    x = np.arange(1000.0)
    y = ((x // 100) % 2).astype(int)  # zig-zag rate: must be pooled into a monotone one
    b = MonotoneBinning(direction=1, max_bins=10).fit(x, y)
    assert np.all(np.diff(b.woe_) >= 0)
    with pytest.raises(ValueError, match="`direction` must be 1, -1 or 0; got 2"):
        MonotoneBinning(direction=2).fit(x, y)
    with pytest.raises(TypeError, match="`X` must be a pandas DataFrame"):
        Scorecard().fit(np.zeros((5, 2)), [0, 1, 0, 1, 0])


def test_model_argument_errors(trained):
    _, ts, _ = trained
    with pytest.raises(ValueError, match="`kind` must be one of logistic, scorecard, boosting; got 'forest'"):
        make_model("forest")
    with pytest.raises(ValueError, match="`calibration` must be 'sigmoid' or 'isotonic'; got 'beta'"):
        make_model("scorecard", calibration="beta")
    with pytest.raises(ValueError, match="both serious and non-serious"):
        fit_model("scorecard", ts.X.iloc[:20], np.zeros(20, int), np.ones(20))
    with pytest.raises(ValueError, match="`name` must be one of"):
        baseline_score("coin", ts.X)


# --- grades ---------------------------------------------------------------------------
@given(st.lists(st.floats(0, 1), min_size=2, max_size=50))
def test_grade_is_monotone_in_probability(p):
    p = np.sort(np.array(p))
    ranks = [GRADES.index(g) for g in model_grades(p)]
    assert ranks == sorted(ranks)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(GRADES), *[st.booleans()] * len(RULES)), min_size=1, max_size=30))
def test_no_override_lowers_a_grade(rows):
    grades = np.array([r[0] for r in rows])
    rules = pd.DataFrame([r[1:] for r in rows], columns=list(RULES))
    final, names = apply_overrides(grades, rules)
    for g, f, n, hit in zip(grades, final, names, rules.to_numpy()):
        assert GRADES.index(f) >= GRADES.index(g)
        floors = [GRADES.index(RULES[r]) for r, h in zip(RULES, hit) if h]
        assert GRADES.index(f) == max([GRADES.index(g), *floors])
        assert (n != "") == (f != g)  # a rule is recorded exactly when it raised the grade


def test_bands_are_checked():
    with pytest.raises(
        ValueError, match="`bands` must be three increasing probabilities in \\(0, 1\\); got \\(0.3, 0.2, 0.5\\)"
    ):
        model_grades([0.1], bands=(0.3, 0.2, 0.5))


def test_grades_table_with_reasons_naming_real_features(world_medium, trained):
    tables, _, model = trained
    features = build_features(tables, world_medium.as_of)
    grades = grade_bodies(model, features, tables, model_version="3")
    assert len(grades) == len(features) and set(grades["grade"]) <= set(GRADES)
    assert (grades["model_version"] == "3").all()
    labels = [SPECS[n].label_en for n in FEATURE_NAMES]
    with_reasons = grades[grades["reasons"] != ""]
    assert len(with_reasons) > 0.5 * len(grades)
    for text in with_reasons["reasons"]:
        for part in text.split("; "):
            assert any(part.startswith(label + ": ") for label in labels), part
            assert "(peers " in part
    # overrides: revoked bodies are D and say so
    revoked = tables["bodies"].loc[tables["bodies"]["status"] == "revoked", "body_id"]
    assert (grades.set_index("body_id").loc[revoked, "grade"] == "D").all()
    # the riskiest grade is riskier in truth
    risk = world_medium.truth()["risk_quarterly"]
    p = risk[risk["quarter_start"] == risk["quarter_start"].max()].set_index("body_id")["p_serious"]
    truth = grades.assign(p=p.reindex(grades["body_id"]).to_numpy()).groupby("model_grade")["p"].mean()
    assert truth.is_monotonic_increasing, truth


# --- retraining -----------------------------------------------------------------------
def test_retraining_is_reproducible_and_beats_equal_probability(world_medium):
    tables = world_medium.tables()
    first = retrain(tables, world_medium.as_of, kinds=("scorecard",), eval_quarters=8, replicates=30, seed=3)
    second = retrain(tables, world_medium.as_of, kinds=("scorecard",), eval_quarters=8, replicates=30, seed=3)
    pd.testing.assert_frame_equal(first.comparison(), second.comparison())
    table = first.comparison()
    assert table.loc["scorecard", "auc"] > 0.6
    assert table.loc["equal_probability", "auc"] == pytest.approx(0.5)
    assert table.loc["equal_probability", "top_decile_lift"] == pytest.approx(1.0)
    assert table.loc["scorecard", "top_decile_lift"] > 1.3
    by_grade = first.evaluations["scorecard"].by_grade
    assert by_grade["share"].sum() == pytest.approx(1.0)


def test_retraining_refuses_a_too_short_history(world_medium):
    tables = world_medium.tables()
    with pytest.raises(ValueError, match="not enough history for out-of-time evaluation"):
        retrain(tables, pd.Timestamp("2019-01-01"), kinds=("scorecard",), replicates=5)


# --- inverse-probability weighting ----------------------------------------------------
def test_weighting_by_inverse_inclusion_probability_restores_population_calibration():
    """Past policy over-sampled bodies of one kind (pi 0.8 vs 0.05) whose risk the
    features only partly show: unweighted, the model learns the sample's risk;
    weighted by 1 / pi, it is calibrated on the population."""
    rng = np.random.default_rng(42)
    n = 60_000
    kind = rng.uniform(size=n) < 0.2
    x = rng.normal(size=n)
    hint = kind + rng.normal(0, 1.5, n)  # a noisy view of the kind
    p_true = expit(-2.2 + 0.8 * x + 1.6 * kind)
    pi = np.where(kind, 0.8, 0.05)
    drawn = rng.uniform(size=n) < pi
    y = (rng.uniform(size=n) < p_true).astype(int)
    X = pd.DataFrame({"x": x, "hint": hint})
    s = drawn
    weighted = fit_model("scorecard", X[s], y[s], 1 / pi[s])
    unweighted = fit_model("scorecard", X[s], y[s], np.ones(s.sum()))
    population = pd.DataFrame({"x": x, "hint": hint})
    gap_w = abs(weighted.predict_proba(population)[:, 1].mean() - p_true.mean())
    gap_u = abs(unweighted.predict_proba(population)[:, 1].mean() - p_true.mean())
    brier_w = np.mean((weighted.predict_proba(population)[:, 1] - p_true) ** 2)
    brier_u = np.mean((unweighted.predict_proba(population)[:, 1] - p_true) ** 2)
    assert gap_w < 0.01 < gap_u
    assert brier_w < brier_u
