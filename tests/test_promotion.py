"""The promotion rule on its own: numbers in, a decision and its words out, no MLflow."""

from __future__ import annotations

import pytest

from riskmodel.tracking.promotion import PromotionVerdict, check_margin, promotion_rule


def test_first_candidate_is_promoted():
    verdict = promotion_rule(0.25, None, margin=0.002, metric="oot_brier")
    assert verdict == PromotionVerdict(
        True, "no champion yet: the first registered candidate becomes champion (oot_brier = 0.25)"
    )


@pytest.mark.parametrize(
    ("candidate", "promoted"),
    [
        (0.095, True),  # better than the champion
        (0.100, True),  # equal
        (0.102, True),  # worse by exactly the margin
        (0.1021, False),  # worse by more than the margin
        (0.103, False),
    ],
)
def test_lower_is_better(candidate, promoted):
    verdict = promotion_rule(candidate, 0.100, margin=0.002, lower_is_better=True, metric="oot_brier")
    assert verdict.promoted is promoted
    assert verdict.rule.startswith("promote if oot_brier <= champion's oot_brier + margin (lower is better): ")
    assert verdict.rule.endswith(f"{candidate:.6g} <= 0.1 + 0.002 = 0.102 is {str(promoted).lower()}")


@pytest.mark.parametrize(
    ("candidate", "promoted"),
    [(0.71, True), (0.70, True), (0.698, True), (0.6979, False), (0.60, False)],
)
def test_higher_is_better(candidate, promoted):
    verdict = promotion_rule(candidate, 0.70, margin=0.002, lower_is_better=False, metric="oot_auc")
    assert verdict.promoted is promoted
    assert verdict.rule.endswith(f"{candidate:.6g} >= 0.7 - 0.002 = 0.698 is {str(promoted).lower()}")
    assert "(higher is better)" in verdict.rule


def test_zero_margin_promotes_only_equal_or_better():
    assert promotion_rule(0.1, 0.1, margin=0).promoted
    assert not promotion_rule(0.1001, 0.1, margin=0).promoted


def test_nan_champion_value_never_promotes():
    assert not promotion_rule(0.1, float("nan"), margin=0.002).promoted


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "0.1", None, True])
def test_non_finite_or_non_numeric_candidate_is_refused(value):
    with pytest.raises(ValueError, match=r"`candidate_value` must be a finite number; got "):
        promotion_rule(value, 0.1, margin=0.002)


@pytest.mark.parametrize("margin", [-0.01, float("nan"), float("inf"), "0.002", True])
def test_bad_margin_is_refused(margin):
    with pytest.raises(ValueError, match=r"`margin` must be a finite number >= 0; got "):
        promotion_rule(0.1, 0.1, margin=margin)
    with pytest.raises(ValueError, match=r"`margin` must be a finite number >= 0"):
        check_margin(margin)
