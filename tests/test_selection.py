"""The model-choice rule (riskmodel.selection): simplest first, a complex model only beyond the noise.

Predictions are simulated here with known truth, so which candidate must win is known: a candidate that
sees the risk beats one that sees noise (shuffled features), and two that see the same risk are tied
within the noise, where the simpler one must be kept.
"""

from __future__ import annotations

import numpy as np
import pytest

from riskmodel.selection import MAX_DECILE_GAP, select_model

KINDS = {"logistic": "logistic", "scorecard": "scorecard", "boosting": "boosting"}


def _world(seed: int, n: int = 2000):
    rng = np.random.default_rng(seed)
    risk = rng.uniform(size=n)
    p = 0.02 + 0.35 * risk**2
    y = (rng.uniform(size=n) < p).astype(int)
    return rng, p, y


def _shuffled(rng, p):
    return rng.permutation(p)


def test_a_better_complex_model_is_chosen_and_a_shuffled_one_never():
    chosen = []
    for seed in range(8):
        rng, p, y = _world(seed)
        preds = {"logistic": _shuffled(rng, p), "scorecard": _shuffled(rng, p), "boosting": p}
        sel = select_model(y, np.ones(len(y)), preds, KINDS, replicates=150, rng=seed)
        chosen.append(sel.chosen)
        assert sel.table.set_index("candidate").loc["boosting", "capture_gain"] == 0.0
    assert chosen == ["boosting"] * 8


def test_a_shuffled_complex_model_is_never_promoted_over_a_simpler_good_one():
    for seed in range(8):
        rng, p, y = _world(100 + seed)
        preds = {"logistic": p, "boosting": _shuffled(rng, p)}
        sel = select_model(y, np.ones(len(y)), preds, KINDS, replicates=150, rng=seed)
        assert sel.chosen == "logistic"  # shuffled: not calibrated by deciles, or not better beyond the noise


def test_ties_within_the_noise_keep_the_simpler_model():
    # both see the same risk through independent small errors: neither is better beyond the noise
    kept = []
    for seed in range(8):
        rng, p, y = _world(200 + seed)
        a, b = (np.clip(p * np.exp(rng.normal(0, 0.05, len(p))), 0, 1) for _ in range(2))
        sel = select_model(y, np.ones(len(y)), {"scorecard": a, "boosting": b}, KINDS, replicates=150, rng=1)
        kept.append(sel.chosen)
        assert sel.challenger == "boosting" or sel.chosen == "boosting"
    # the simpler is kept unless the bootstrap says otherwise: at 95 % that is at most a rare exception
    assert kept.count("scorecard") >= 7


def test_calibration_gate_excludes_a_miscalibrated_candidate_in_words():
    rng, p, y = _world(7)
    preds = {"logistic": np.clip(3 * p, 0, 1), "scorecard": p}
    sel = select_model(y, np.ones(len(y)), preds, KINDS, replicates=100, rng=0)
    row = sel.table.set_index("candidate").loc["logistic"]
    assert not row.eligible and "observed / predicted 0.32 outside" in row.gate and row.decile_gap > MAX_DECILE_GAP
    assert sel.chosen == "scorecard" and sel.challenger is None
    assert "logistic not eligible: decile calibration gap" in sel.rule


def test_a_calibrated_model_passes_the_gate_on_a_small_window():
    # the gate allows for chance: true probabilities on 150 rows pass in (nearly) every window
    passed = 0
    for seed in range(20):
        rng, p, y = _world(300 + seed, n=150)
        sel = select_model(y, rng.uniform(1, 30, 150), {"logistic": p}, KINDS, replicates=20, rng=0)
        passed += bool(sel.table["gate"].iloc[0] == "")
    assert passed >= 18, passed


def test_gate_waived_when_no_candidate_passes():
    rng, p, y = _world(8)
    preds = {"logistic": np.clip(3 * p, 0, 1), "scorecard": np.clip(4 * p, 0, 1)}
    sel = select_model(y, np.ones(len(y)), preds, KINDS, replicates=100, rng=0)
    assert sel.table["eligible"].all() and "the gate is waived" in sel.rule


def test_a_candidate_ranking_worse_than_the_last_outcome_baseline_is_not_eligible():
    rng, p, y = _world(9)
    preds = {"logistic": _shuffled(rng, p), "scorecard": p}
    sel = select_model(y, np.ones(len(y)), preds, KINDS, baseline=p, replicates=150, rng=0)
    row = sel.table.set_index("candidate").loc["logistic"]
    assert not row.eligible and "below the last_outcome baseline" in row.gate
    assert sel.chosen == "scorecard"


def test_weighted_auc_average_precision_and_brier_match_scikit_learn():
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    from riskmodel.evaluation import metric_values, weighted_auc, weighted_average_precision

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    p = np.round(rng.uniform(size=500), 2)  # ties
    w = rng.uniform(0.5, 20, 500)
    assert weighted_auc(y, p, w) == pytest.approx(roc_auc_score(y, p, sample_weight=w), rel=1e-12)
    assert weighted_average_precision(y, p, w) == pytest.approx(
        average_precision_score(y, p, sample_weight=w), rel=1e-12
    )
    assert metric_values(y, p, w)["brier"] == pytest.approx(brier_score_loss(y, p, sample_weight=w), rel=1e-12)
    assert np.isnan(weighted_auc(np.zeros(5), p[:5], w[:5])) and np.isnan(
        weighted_average_precision(np.ones(5), p[:5], w[:5])
    )


def test_calibration_figures_by_hand():
    # 10 rows, one per decile; predicted 0.1 everywhere, observed 1 in the last row only:
    # every decile's gap is |y - 0.1|: nine of 0.1 and one of 0.9 -> mean 0.18; observed / predicted = 0.1 / 0.1
    y = np.r_[np.zeros(9), 1]
    sel = select_model(y, np.ones(10), {"logistic": np.full(10, 0.1)}, KINDS, replicates=20, rng=0)
    row = sel.table.iloc[0]
    assert row.decile_gap == pytest.approx(0.18) and row.observed_over_predicted == pytest.approx(1.0)
    assert sel.to_dict()["chosen"] == "logistic" and sel.to_dict()["candidates"][0]["kind"] == "logistic"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ({"y": []}, "must hold serious and non-serious"),
        ({"y": [0, 0, 0, 0]}, "must hold serious and non-serious"),
        ({"predictions": {}}, "no candidate to choose from"),
        ({"predictions": {"logistic": [0.1, 0.2]}}, "candidate 'logistic' has 2 predictions for 4 evaluation rows"),
        ({"predictions": {"odd": [0.1, 0.2, 0.3, 0.4]}}, "candidate 'odd' has no kind"),
        ({"budget_share": 0}, r"`budget_share` must be a number in \(0, 1\]; got 0"),
    ],
)
def test_errors(args, match):
    call = {"y": [0, 1, 0, 1], "w": None, "predictions": {"logistic": [0.1, 0.6, 0.2, 0.7]}, **args}
    call["w"] = np.ones(len(call["y"]))
    with pytest.raises(ValueError, match=match):
        select_model(call["y"], call["w"], call["predictions"], KINDS, budget_share=call.get("budget_share", 0.25))


def test_the_champion_in_force_is_rescored_by_its_own_recipe_only_when_it_differs():
    from features.dictionary import FEATURE_NAMES
    from riskmodel.quarterly import Recipe, _champion_row

    recipes = {k: Recipe(k, tuple(FEATURE_NAMES), 0.1) for k in ("logistic", "scorecard", "boosting")}
    columns = list(FEATURE_NAMES)
    assert _champion_row(None, recipes, columns) == ("", "no champion yet")
    same = _champion_row(Recipe("scorecard", tuple(FEATURE_NAMES), 2.0), recipes, columns)
    assert same == ("", "the champion's recipe (scorecard, same features) is the candidate scorecard")
    own = _champion_row(Recipe("boosting", tuple(FEATURE_NAMES[:3])), recipes, columns)
    assert own == ("champion", "the champion (boosting on its own 3 features) re-scored")
    gone = _champion_row(Recipe("boosting", ("retired_feature",)), recipes, columns)
    assert gone == ("", "the champion's features retired_feature are no longer built: not re-scored")
    odd = _champion_row(Recipe("forest", ("a",)), recipes, columns)
    assert odd == ("", "the champion's kind 'forest' is no longer built: not re-scored")
    assert Recipe("logistic", ("a", "b"), 0.3).tags() == {"kind": "logistic", "features": "a,b", "C": "0.3"}


def test_time_ordered_folds_never_validate_on_earlier_rows():
    import pandas as pd

    from riskmodel.regularisation import time_ordered_folds

    rng = np.random.default_rng(0)
    dates = pd.Series(pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, 1200), unit="D"))
    y = (rng.uniform(size=1200) < 0.2).astype(int)
    folds = time_ordered_folds(dates, y)
    assert len(folds) == 3
    for fit, val in folds:
        assert dates.iloc[fit].max() < dates.iloc[val].min()  # expanding window: fitted only on the past
        assert dates.iloc[val].dt.to_period("Q").nunique() == 1
    assert [len(f) for f, _ in folds] == sorted(len(f) for f, _ in folds)
