"""Stage-1 size policy and reasons; stage-2 sample sizes and certificate draw."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sampling import SizePolicy, assign_probabilities, draw_certificates, stage2_sample_sizes

MATERIAL = "c73e2811fa0de8d096a3f554e7e0f82144d74d1733a1d4413bf289061bfda4df"


def _frame(**overrides) -> pd.DataFrame:
    base = {
        "body_id": ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"],
        "grade": ["A", "A", "B", "C", "D", "B", "A", "C"],
        "ccc_designated": [False, False, False, False, False, True, False, False],
        "status": ["active", "active", "active", "unreachable", "active", "active", "suspended", "revoked"],
        "newly_approved": [False, True, False, False, False, False, False, False],
        "alert": [False, False, True, False, False, False, False, False],
        "years_since_inspection": [1.0, math.nan, 4.0, 0.5, 2.0, 1.0, 1.0, 1.0],
        "certs_held": [0] * 8,  # no certificates: the certificate term adds nothing (tested on its own below)
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_sizes_multipliers_and_frame():
    out = assign_probabilities(_frame(), 3, SizePolicy(floor=0.0))
    # B1: A 1; B2: A 1 x new 2 x never 1.5 = 3; B3: B 2 x alert 2 x overdue 1.5 = 6; B4: C 4;
    # B5: D 8; B6 CCC certainty; B7, B8 out of frame (suspended, revoked).
    assert out["size"].tolist() == [1.0, 3.0, 6.0, 4.0, 8.0, 0.0, 0.0, 0.0]
    assert out["in_frame"].tolist() == [True] * 6 + [False, False]
    assert out["certain"].tolist() == [False] * 5 + [True, False, False]
    # Budget 3 inside: 2 left for sizes 1, 3, 6, 4, 8 (sum 22) -> c = 1/11.
    np.testing.assert_allclose(out["pi"], [1 / 11, 3 / 11, 6 / 11, 4 / 11, 8 / 11, 1, 0, 0], rtol=1e-14)


def test_reasons_explain_each_probability():
    out = assign_probabilities(_frame(), 3, SizePolicy(floor=0.1))
    reasons = dict(zip(out["body_id"], out["reason"], strict=True))
    assert reasons["B1"] == "grade A x1; floor 0.1 applies"
    # B1 is floored (0.1 taken), 1.9 left for sizes 3, 6, 4, 8: c = 1.9 / 21
    assert reasons["B2"] == "grade A x1; newly approved x2; never inspected x1.5; size 3 -> pi 0.2714"
    assert reasons["B3"] == "grade B x2; monitoring alert x2; not inspected for 3+ years x1.5; size 6 -> pi 0.5429"
    assert reasons["B6"] == "CCC-designated: certainty (counted inside the budget)"
    assert reasons["B7"] == "out of frame: suspended"
    assert reasons["B8"] == "out of frame: revoked"
    assert out.loc[0, "pi"] == 0.1


def test_size_reaching_one_is_explained():
    out = assign_probabilities(_frame(), 5, SizePolicy(floor=0.0))
    assert out.loc[4, "pi"] == 1.0
    assert out.loc[4, "reason"] == "grade D x8; size 8 reaches probability 1"


def test_undisturbed_grade_a_gets_only_the_floor():
    policy = SizePolicy(undisturbed_grades=("A",), floor=0.05)
    out = assign_probabilities(_frame(), 3, policy)
    assert out.loc[0, "pi"] == 0.05 and out.loc[0, "size"] == 0.0
    assert out.loc[0, "reason"] == "grade A without events: not disturbed; floor 0.05 only"
    # B2 is A but newly approved: an event, so it keeps its size.
    assert out.loc[1, "size"] == 3.0
    assert out["pi"].sum() == pytest.approx(3, abs=1e-12)


def test_undisturbed_without_floor_is_probability_zero():
    out = assign_probabilities(_frame(), 3, SizePolicy(undisturbed_grades=("A",), floor=0.0))
    assert out.loc[0, "pi"] == 0.0
    assert out.loc[0, "reason"].endswith("probability 0 (no floor)")


def test_ccc_on_top_of_the_budget():
    inside = assign_probabilities(_frame(), 3, SizePolicy(floor=0.0))
    on_top = assign_probabilities(_frame(), 3, SizePolicy(floor=0.0, ccc_budget="on_top"))
    assert on_top["pi"].sum() == pytest.approx(4, abs=1e-12)
    assert inside["pi"].sum() == pytest.approx(3, abs=1e-12)
    assert on_top.loc[5, "reason"] == "CCC-designated: certainty (counted on top of the budget)"


def test_ccc_certainty_can_be_switched_off():
    out = assign_probabilities(_frame(), 3, SizePolicy(floor=0.0, ccc_certainty=False))
    assert not out["certain"].any()
    assert out.loc[5, "size"] == 2.0


def test_overdue_options():
    policy = SizePolicy(floor=0.0, overdue_years=1.0, overdue_multiplier=3.0, never_inspected_is_overdue=False)
    out = assign_probabilities(_frame(), 3, policy)
    # B1 1 year -> overdue x3; B2 never -> not overdue; B4 0.5 year -> not.
    assert out["size"].tolist()[:5] == [3.0, 2.0, 12.0, 4.0, 24.0]


def test_strata_get_their_own_budgets_and_row_order_is_kept():
    frame = _frame(stratum=["00", "00", "44", "44", "44", "00", "44", "00"])
    out = assign_probabilities(frame, {"00": 2, "44": 1}, SizePolicy(floor=0.0))
    assert out["body_id"].tolist() == frame["body_id"].tolist()
    assert out.loc[out["stratum"] == "00", "pi"].sum() == pytest.approx(2)
    assert out.loc[out["stratum"] == "44", "pi"].sum() == pytest.approx(1)
    # stratum 44: sizes 6, 4, 8 share one draw
    np.testing.assert_allclose(out.loc[[2, 3, 4], "pi"], [6 / 18, 4 / 18, 8 / 18])


def test_policy_round_trips_through_json():
    import json

    policy = SizePolicy(undisturbed_grades=("A",), ccc_budget="on_top", floor=0.03)
    text = json.dumps(policy.to_dict(), sort_keys=True)
    assert SizePolicy(**json.loads(text)) == policy


def test_policy_is_frozen_and_copies_its_mapping():
    grades = {"A": 1.0, "B": 3.0}
    policy = SizePolicy(grade_multipliers=grades)
    grades["B"] = 99.0
    assert policy.grade_multipliers["B"] == 3.0
    with pytest.raises(AttributeError):
        policy.floor = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("frame", "budget", "policy", "error", "match"),
    [
        (_frame().drop(columns=["alert", "grade"]), 3, None, ValueError, "missing column\\(s\\): grade, alert"),
        (_frame(body_id=["B1"] * 8), 3, None, ValueError, "column 'body_id' has duplicate 'B1'"),
        (
            _frame(alert=[0] * 8),
            3,
            None,
            ValueError,
            "column 'alert' must be boolean without missing values; got dtype int64",
        ),
        (_frame(status=["active"] * 7 + ["closed"]), 3, None, ValueError, "column 'status' has unknown value 'closed'"),
        (_frame(grade=["A"] * 7 + ["E"]), 3, None, ValueError, None),  # E is out of frame (revoked): fine
        (_frame(grade=["E"] + ["A"] * 7), 3, None, ValueError, "column 'grade' has 'E' for body 'B1'"),
        (
            _frame(years_since_inspection=[-1.0] + [1.0] * 7),
            3,
            None,
            ValueError,
            "column 'years_since_inspection' must be >= 0 or empty; got -1.0",
        ),
        (_frame(), 30, None, ValueError, "`budget` must be a positive integer not larger than the frame \\(6 units"),
        (_frame(), 0, None, ValueError, "`budget` must be an integer >= 1; got 0"),
        (_frame(), {"x": 1}, None, TypeError, "`budget` must be one integer when `frame` has no 'stratum' column"),
        (_frame(stratum=["a"] * 8), 3, None, TypeError, "`budget` must be a mapping stratum -> n"),
        (_frame(stratum=["a"] * 4 + ["b"] * 4), {"a": 1}, None, ValueError, "`budget` has no entry for stratum 'b'"),
        (_frame(stratum=["a"] * 8), {"a": 1, "z": 2}, None, ValueError, "`budget` names stratum 'z'"),
        (_frame(stratum=["a"] * 4 + ["b"] * 4), {"a": 1, "b": 9}, None, ValueError, "stratum 'b': `budget` must be"),
        ("frame", 3, None, TypeError, "`frame` must be a pandas DataFrame"),
        (_frame(), 3, "policy", TypeError, "`policy` must be a SizePolicy"),
        (_frame(), 3, SizePolicy(floor=1.5), ValueError, "`policy.floor` must be in \\[0, 1\\); got 1.5"),
        (
            _frame(),
            3,
            SizePolicy(alert_multiplier=0),
            ValueError,
            "`policy.alert_multiplier` must be a finite number > 0",
        ),
        (
            _frame(),
            3,
            SizePolicy(grade_multipliers={"A": -1}),
            ValueError,
            "`policy.grade_multipliers\\['A'\\]` must be a finite number > 0; got -1",
        ),
        (_frame(), 3, SizePolicy(ccc_budget="extra"), ValueError, "`policy.ccc_budget` must be 'inside' or 'on_top'"),
        (_frame(), 3, SizePolicy(out_of_frame_statuses=("gone",)), ValueError, "unknown status 'gone'"),
        (_frame(), 3, SizePolicy(overdue_years=-1), ValueError, "`policy.overdue_years` must be a number >= 0"),
        (_frame(), 3, SizePolicy(grade_multipliers={}), ValueError, "must name at least one grade"),
        (_frame(), 1, SizePolicy(floor=0.3), ValueError, "`floor` = 0.3 is too high for the budget"),
    ],
)
def test_assign_errors(frame, budget, policy, error, match):
    if match is None:  # a valid case in the table: must not raise
        assign_probabilities(frame, budget, policy)
        return
    with pytest.raises(error, match=match):
        assign_probabilities(frame, budget, policy)


def test_certificate_weight_by_hand():
    # Drawable, non-certain bodies B1..B5 (B6 is CCC, B7/B8 out of frame). Risk sizes 1, 3, 6, 4, 8: R = 22.
    # Certificates 100, 0, 0, 0, 10: C = 110. w = 0.5 -> increment w / (1 - w) * R / C = 0.2 per certificate:
    # sizes 21, 3, 6, 4, 10 (sum 44, half of it from certificates as w asks). Budget 3 inside: 2 left,
    # c = 2 / 44 -> B1 21/22, B2 3/22, B3 6/22, B4 4/22, B5 10/22.
    frame = _frame(certs_held=[100, 0, 0, 0, 10, 500, 999, 999])
    out = assign_probabilities(frame, 3, SizePolicy(floor=0.0, certificate_weight=0.5))
    np.testing.assert_allclose(out["size"], [21, 3, 6, 4, 10, 0, 0, 0], rtol=1e-14)
    np.testing.assert_allclose(out["pi"], [21 / 22, 3 / 22, 6 / 22, 4 / 22, 10 / 22, 1, 0, 0], rtol=1e-13)
    assert out["reason"][0] == "grade A x1; 100 certificates +20; size 21 -> pi 0.9545"
    assert "certificates" not in out["reason"][1]  # no certificate, no certificate term


def test_certificate_weight_takes_the_largest_holders_with_certainty():
    # 200 bodies of one grade; body 0 holds half of all certificates: with w = 0.3 its size alone is
    # 0.3 x 0.5 = 15 % of the total, so at budget 10 it reaches 1 and the others share the rest.
    n = 200
    certs = np.full(n, 10)
    certs[0] = 10 * (n - 1)
    frame = pd.DataFrame(
        {
            "body_id": [f"B{i:03d}" for i in range(n)],
            "grade": "B",
            "ccc_designated": False,
            "status": "active",
            "newly_approved": False,
            "alert": False,
            "years_since_inspection": 1.0,
            "certs_held": certs,
        }
    )
    out = assign_probabilities(frame, 10, SizePolicy())
    assert out["pi"][0] == 1.0
    assert "reaches probability 1" in out["reason"][0]
    np.testing.assert_allclose(out["pi"][1:], 9 / (n - 1), rtol=1e-12)
    risk_only = assign_probabilities(frame, 10, SizePolicy(certificate_weight=0))
    np.testing.assert_allclose(risk_only["pi"], 10 / n, rtol=1e-12)


def test_certificate_weight_leaves_undisturbed_bodies_at_the_floor():
    frame = _frame(certs_held=[1000, 0, 0, 0, 10, 0, 0, 0])
    out = assign_probabilities(frame, 3, SizePolicy(floor=0.05, undisturbed_grades=("A",)))
    assert out["pi"][0] == 0.05 and out["size"][0] == 0.0  # B1: grade A without events, however many certificates


@pytest.mark.parametrize(
    ("frame", "policy", "match"),
    [
        (
            _frame().drop(columns="certs_held"),
            SizePolicy(),
            "missing column 'certs_held' \\(the policy's certificate_weight",
        ),
        (
            _frame(certs_held=[-1] + [0] * 7),
            SizePolicy(),
            "'certs_held' must be a whole number >= 0; got -1 for body 'B1'",
        ),
        (_frame(certs_held=[0, 2.5] + [0] * 6), SizePolicy(), "whole number >= 0; got 2.5 for body 'B2'"),
        (_frame(certs_held=[0, None] + [0] * 6), SizePolicy(), "whole number >= 0; got nan for body 'B2'"),
        (
            _frame(),
            SizePolicy(certificate_weight=1.0),
            "`policy.certificate_weight` must be a number in \\[0, 1\\); got 1.0",
        ),
        (
            _frame(),
            SizePolicy(certificate_weight=True),
            "`policy.certificate_weight` must be a number in \\[0, 1\\); got True",
        ),
    ],
)
def test_certificate_weight_errors(frame, policy, match):
    with pytest.raises(ValueError, match=match):
        assign_probabilities(frame, 3, policy)


def test_risk_only_policy_needs_no_certificate_column():
    out = assign_probabilities(_frame().drop(columns="certs_held"), 3, SizePolicy(certificate_weight=0))
    assert out["pi"].sum() == pytest.approx(3)


def test_nullable_boolean_columns_are_accepted():
    frame = _frame(alert=pd.array([False, False, True, False, False, False, False, False], dtype="boolean"))
    out = assign_probabilities(frame, 3, SizePolicy(floor=0.0))
    assert out.loc[2, "size"] == 6.0


def test_all_frame_problems_are_reported_at_once():
    bad = _frame(alert=[0] * 8, status=["active"] * 7 + ["closed"], body_id=["B1"] * 8)
    with pytest.raises(ValueError) as info:
        assign_probabilities(bad, 3)
    text = str(info.value)
    assert "duplicate 'B1'" in text and "'alert' must be boolean" in text and "unknown value 'closed'" in text


# -- stage 2 ---------------------------------------------------------------------


def test_stage2_sample_sizes_by_grade_capped():
    assert stage2_sample_sizes(["A", "B", "C", "D", "D"], [100, 100, 100, 100, 7]).tolist() == [5, 10, 20, 40, 7]
    assert stage2_sample_sizes(["A", "D"], [3, 3], per_grade={"A": 1, "D": 3}).tolist() == [1, 3]


@pytest.mark.parametrize(
    ("grades", "n_certs", "per_grade", "error", "match"),
    [
        (["A", "E"], [1, 2], None, ValueError, "`grades` has 'E', which `per_grade` does not name"),
        (["A"], [1, 2], None, ValueError, "`grades` and `n_certs` must be 1-d of the same length"),
        (["A"], [-1], None, ValueError, "`n_certs` must be integers >= 0; got \\[-1\\]"),
        (["A"], [1.5], None, ValueError, "`n_certs` must be integers >= 0"),
        (["A"], [1], [5], TypeError, "`per_grade` must be a mapping"),
        (["A"], [1], {"A": -2}, ValueError, "`per_grade\\['A'\\]` must be an integer >= 0; got -2"),
    ],
)
def test_stage2_sizes_errors(grades, n_certs, per_grade, error, match):
    with pytest.raises(error, match=match):
        stage2_sample_sizes(grades, n_certs, per_grade)


def _certificates() -> pd.DataFrame:
    ids = [f"C{k:05d}" for k in range(130)]
    return pd.DataFrame({"cert_id": ids, "body_id": ["B1"] * 100 + ["B2"] * 25 + ["B3"] * 5})


def test_draw_certificates_sizes_and_probabilities():
    out = draw_certificates(_certificates(), {"B1": 20, "B2": 5, "B3": 5}, MATERIAL, {"B1": 0.5, "B2": 0.2, "B3": 1.0})
    assert out.groupby("body_id").size().to_dict() == {"B1": 20, "B2": 5, "B3": 5}
    first = out.groupby("body_id").first()
    assert first["pi_conditional"].to_dict() == {"B1": 0.2, "B2": 0.2, "B3": 1.0}
    np.testing.assert_allclose(first["pi_overall"].to_numpy(), [0.1, 0.04, 1.0])
    assert out["cert_id"].is_unique
    # Reproducible, and independent of the row order of the certificate table.
    shuffled = _certificates().sample(frac=1, random_state=1)
    again = draw_certificates(shuffled, {"B1": 20, "B2": 5, "B3": 5}, MATERIAL, {"B1": 0.5, "B2": 0.2, "B3": 1.0})
    pd.testing.assert_frame_equal(out, again)


def test_draw_certificates_is_simple_random_sampling():
    # Each certificate of a 10-certificate body drawn with frequency m/N = 0.3 over public seeds. The 2,000
    # replications are 200 public seeds x 10 such bodies per call (each body has its own stream "stage2:<body>",
    # so the 10 draws of a call are as independent as those of 10 seeds); certificate k of every body counts as
    # certificate k.
    from scipy import stats

    from sampling import seed_material

    n_bodies, seeds = 10, 200
    reps = n_bodies * seeds
    body = np.repeat([f"B{b}" for b in range(n_bodies)], 10)
    certs = pd.DataFrame({"cert_id": [f"{b}C{k}" for b, k in zip(body, np.tile(range(10), n_bodies))], "body_id": body})
    sizes = dict.fromkeys(body, 3)
    out = pd.concat(
        [draw_certificates(certs, sizes, seed_material("9" * 64, f"s2-{r}")).assign(seed=r) for r in range(seeds)]
    )
    assert (out.groupby(["seed", "body_id"]).size() == 3).all() and len(out) == 3 * reps
    out["cert"] = "C" + out["cert_id"].str.split("C").str[1]
    counts = out["cert"].value_counts().reindex([f"C{k}" for k in range(10)], fill_value=0)
    pairs = (out["cert"].isin(["C0", "C1"]).groupby([out["seed"], out["body_id"]]).sum() == 2).sum()
    z = (counts - reps * 0.3) / math.sqrt(reps * 0.3 * 0.7)
    assert z.abs().max() < stats.norm.ppf(1 - 0.001 / 20)
    p2 = 3 * 2 / (10 * 9)  # SRSWOR joint probability
    assert abs(pairs - reps * p2) / math.sqrt(reps * p2 * (1 - p2)) < 3.3


def test_draw_certificates_without_stage1_probabilities_and_empty():
    out = draw_certificates(_certificates(), {"B3": 2}, MATERIAL)
    assert list(out.columns) == ["body_id", "cert_id", "pi_conditional"]
    empty = draw_certificates(_certificates(), {"B3": 0}, MATERIAL)
    assert empty.empty and list(empty.columns) == ["body_id", "cert_id", "pi_conditional"]


@pytest.mark.parametrize(
    ("certs", "sizes", "body_pi", "error", "match"),
    [
        ("x", {"B1": 1}, None, TypeError, "`certificates` must be a DataFrame with columns 'cert_id' and 'body_id'"),
        (
            pd.DataFrame({"cert_id": ["a", "a"], "body_id": ["B1", "B1"]}),
            {"B1": 1},
            None,
            ValueError,
            "`certificates` has duplicate cert_id 'a'",
        ),
        (_certificates(), [1], None, TypeError, "`sample_sizes` must be a mapping"),
        (
            _certificates(),
            {"B3": 6},
            None,
            ValueError,
            "`sample_sizes\\['B3'\\]` must be an integer between 0 and the body's 5 certificates; got 6",
        ),
        (_certificates(), {"B9": 1}, None, ValueError, "between 0 and the body's 0 certificates"),
        (_certificates(), {"B1": 1}, [0.5], TypeError, "`body_pi` must be a mapping"),
        (_certificates(), {"B1": 1}, {"B1": 0.0}, ValueError, "`body_pi\\['B1'\\]` must be in \\(0, 1\\]; got 0.0"),
    ],
)
def test_draw_certificates_errors(certs, sizes, body_pi, error, match):
    with pytest.raises(error, match=match):
        draw_certificates(certs, sizes, MATERIAL, body_pi)
