"""Grades from body risk net of the inspector effect (riskmodel.net_risk, grade_bodies(correction=...))."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

from riskmodel.net_risk import InspectorCorrection, inspector_correction, net_probability


def test_the_shift_is_the_joint_body_part_minus_the_plain_one():
    # two linear body parts on one feature: joint 0.5 + 1.0 x, plain 0.2 + 1.5 x -> shift 0.3 - 0.5 x
    joint = SimpleNamespace(body_logit=lambda X: 0.5 + 1.0 * X["x"].to_numpy())
    plain = SimpleNamespace(body_logit=lambda X: 0.2 + 1.5 * X["x"].to_numpy())
    correction = InspectorCorrection(joint, plain)  # type: ignore[arg-type]
    X = pd.DataFrame({"x": [0.0, 1.0, 2.0]})
    assert correction.shift(X).tolist() == pytest.approx([0.3, -0.2, -0.7])
    p = np.array([0.2, 0.2, 0.2])
    assert correction.net(p, X) == pytest.approx(expit(logit(0.2) + np.array([0.3, -0.2, -0.7])))


def test_a_net_probability_stays_inside_zero_and_one():
    assert net_probability(np.array([0.0, 1.0]), np.array([5.0, -5.0])).tolist() == pytest.approx(
        [expit(logit(1e-6) + 5), expit(logit(1 - 1e-6) - 5)]
    )


def test_with_teams_drawn_at_random_the_shift_is_small_and_the_grades_use_the_net_probability(world_tenth):
    """The simulator draws random teams independently of the body, so accounting for the inspectors
    changes a body's log-odds little (here below 0.25 on average, against a spread of body risk of
    several units); the grades table then holds the net probability and the shift."""
    from features.build import build_features
    from features.dictionary import FEATURE_NAMES
    from riskmodel.grader import grade_bodies
    from riskmodel.models import fit_model, predict_serious
    from riskmodel.training import build_training_set

    tables, as_of = world_tenth.tables(), world_tenth.as_of
    correction = inspector_correction(tables, as_of)
    features = build_features(tables, as_of)
    X = features[list(FEATURE_NAMES)]
    shift = correction.shift(X)
    assert np.abs(shift).mean() < 0.25
    training = build_training_set(tables, as_of)
    model = fit_model("logistic", training.X, training.y, training.w)
    grades = grade_bodies(model, features, tables, with_reasons=False, correction=correction)
    assert grades["p_serious"].to_numpy() == pytest.approx(net_probability(predict_serious(model, X), shift))
    assert grades["inspector_shift"].to_numpy() == pytest.approx(np.round(shift, 4))
    plain = grade_bodies(model, features, tables, with_reasons=False)
    assert "inspector_shift" not in plain
