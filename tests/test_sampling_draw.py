"""The draw entry point: properties (hypothesis), reproducibility, method choice, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sampling import _design_args as design_args
from sampling import (
    designs,
    draw,
    inclusion_probabilities,
    joint_inclusion_probabilities,
    seed_material,
    unit_uniforms,
    working_probabilities,
)

MATERIAL = "c73e2811fa0de8d096a3f554e7e0f82144d74d1733a1d4413bf289061bfda4df"  # docs test vector
VECTOR_IDS = [f"B000{i}" for i in range(1, 9)]
VECTOR_PI = inclusion_probabilities([1, 2, 4, 8, 1, 1, 2, 30], 3)


def test_draw_test_vectors_from_the_docs():
    cps = draw(VECTOR_IDS, VECTOR_PI, MATERIAL, "stage1", method="cps")
    assert [i for i, s in zip(VECTOR_IDS, cps.selected, strict=True) if s] == ["B0002", "B0004", "B0008"]
    sys_ = draw(VECTOR_IDS, VECTOR_PI, MATERIAL, "stage1", method="systematic")
    assert [i for i, s in zip(VECTOR_IDS, sys_.selected, strict=True) if s] == ["B0001", "B0004", "B0008"]
    assert (cps.method, cps.n, sys_.method) == ("cps", 3, "systematic")


def test_cps_draw_re_derived_by_hand():
    # Re-derive the sequential draw from its definition with brute-force polynomials.
    import itertools
    import math

    ids = [i for i, p in zip(VECTOR_IDS, VECTOR_PI, strict=True) if p < 1]
    pt = working_probabilities(VECTOR_PI)[VECTOR_PI < 1]
    w = pt / (1 - pt)
    u = unit_uniforms(MATERIAL, "stage1", sorted(ids))
    order = sorted(range(len(ids)), key=lambda k: ids[k])

    def e(values, j):
        return sum(math.prod(c) for c in itertools.combinations(values, j))

    chosen, left = [], 2
    for pos, k in enumerate(order):
        rest = [w[i] for i in order[pos + 1 :]]
        q = 0.0 if left == 0 else w[k] * e(rest, left - 1) / e([w[k], *rest], left)
        if u[pos] < q:
            chosen.append(ids[k])
            left -= 1
    got = draw(VECTOR_IDS, VECTOR_PI, MATERIAL, "stage1", method="cps").selected
    assert sorted(chosen + ["B0008"]) == [i for i, s in zip(VECTOR_IDS, got, strict=True) if s]


@st.composite
def frames(draw_, min_units=2, max_units=40):
    size = np.array(draw_(st.lists(st.floats(0.05, 50), min_size=min_units, max_size=max_units)))
    n = draw_(st.integers(1, size.size))
    certain = np.array(draw_(st.lists(st.booleans(), min_size=size.size, max_size=size.size)))
    certain &= np.cumsum(certain) <= n // 3
    floor = draw_(st.sampled_from([0.0, 0.01]))
    if floor * size.size + certain.sum() > n:
        floor = 0.0
    ids = [f"X{k:03d}" for k in draw_(st.permutations(range(size.size)))]
    return ids, inclusion_probabilities(size, n, floor=floor, certain=certain), n, certain


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frame=frames(),
    method=st.sampled_from(["cps", "systematic"]),
    seed=st.text(alphabet="abcxyz0189-: 彩票", min_size=1, max_size=12),
)
def test_properties_size_certainties_and_row_order(frame, method, seed):
    ids, pi, n, certain = frame
    material = seed_material("0" * 64, f"s{seed}e")
    res = draw(ids, pi, material, "stage1", method=method)
    assert res.n == n and int(res.selected.sum()) == n
    assert np.all(res.selected[pi == 1.0])
    assert np.all(res.selected[certain])
    assert not np.any(res.selected[pi == 0.0])
    perm = np.random.default_rng(len(ids)).permutation(len(ids))
    again = draw([ids[k] for k in perm], pi[perm], material, "stage1", method=method)
    assert np.array_equal(again.selected, res.selected[perm])


@settings(max_examples=30, deadline=None)
@given(
    size=st.lists(st.floats(1, 5), min_size=30, max_size=60),
    n=st.integers(5, 10),
    method=st.sampled_from(["cps", "systematic"]),
)
def test_different_public_seeds_give_different_draws(size, n, method):
    ids = [f"B{k}" for k in range(len(size))]
    pi = inclusion_probabilities(size, n)
    a = draw(ids, pi, seed_material("0" * 64, "seed one"), "stage1", method=method).selected
    b = draw(ids, pi, seed_material("0" * 64, "seed two"), "stage1", method=method).selected
    assert not np.array_equal(a, b)


def test_same_seed_material_same_selection_and_purpose_separates():
    ids = [f"B{k:04d}" for k in range(300)]
    pi = inclusion_probabilities(np.random.default_rng(2).lognormal(0, 1, 300), 60, floor=0.02)
    first = draw(ids, pi, MATERIAL, "stage1").selected
    assert np.array_equal(first, draw(ids, pi, MATERIAL, "stage1").selected)
    assert not np.array_equal(first, draw(ids, pi, MATERIAL, "stage1:44").selected)


def test_auto_method_switches_at_the_documented_limit(monkeypatch):
    ids = [f"C{k}" for k in range(200)]
    pi = inclusion_probabilities(np.arange(1, 201), 20)
    assert draw(ids, pi, MATERIAL, "stage2").method == "cps"  # 200 * 20 <= CPS_MAX_WORK
    monkeypatch.setattr(design_args, "CPS_MAX_WORK", 200 * 20 - 1)
    assert draw(ids, pi, MATERIAL, "stage2").method == "systematic"


def test_all_certain_and_no_random_part():
    res = draw(["a", "b", "c"], [1.0, 1.0, 0.0], MATERIAL, "stage1")
    assert res.selected.tolist() == [True, True, False]


def test_uniform_ties_in_the_systematic_order_are_broken_by_id():
    u = np.array([0.5, 0.25, 0.5, 0.75])
    order = designs._random_order(["d", "c", "a", "b"], u)
    assert order.tolist() == [1, 2, 0, 3]  # the two 0.5 ties: "a" (2) before "d" (0)


def test_joint_index_returns_the_submatrix():
    pi = inclusion_probabilities([1, 2, 3, 4, 5, 6, 7, 30], 4)
    full = joint_inclusion_probabilities(pi, method="cps")
    idx = np.array([7, 1, 4])
    np.testing.assert_allclose(joint_inclusion_probabilities(pi, method="cps", index=idx), full[np.ix_(idx, idx)])
    mask = np.zeros(8, dtype=bool)
    mask[[1, 4, 7]] = True
    np.testing.assert_allclose(joint_inclusion_probabilities(pi, index=mask), full[np.ix_([1, 4, 7], [1, 4, 7])])
    np.testing.assert_allclose(full[7], pi)  # certainty row
    zero = joint_inclusion_probabilities([0.0, 0.5, 0.5], method="cps")
    assert zero.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, 0.5]]  # n = 1: no pairs


@pytest.mark.parametrize(
    ("ids", "pi", "kwargs", "error", "match"),
    [
        (["a", "b"], [0.5, 1.5], {}, ValueError, "`pi` must lie in \\[0, 1\\]; got 1.5 at position 1"),
        (["a", "b"], [0.5, np.nan], {}, ValueError, "`pi` must lie in \\[0, 1\\]; got nan"),
        (["a", "b"], [0.5, 0.6], {}, ValueError, "`pi` must sum to a positive integer sample size; got 1.1"),
        (["a", "b"], [0.0, 0.0], {}, ValueError, "`pi` must sum to a positive integer sample size; got 0.0"),
        (["a", "b"], [0.9999999, 0.9999996], {}, ValueError, "rescaling its sum 1.9999995 to 2 fails"),
        (["a", "b", "c"], [0.5, 0.5], {}, ValueError, "`pi` must have one value per id \\(3\\); got 2"),
        (["a", "a"], [0.5, 0.5], {}, ValueError, "`ids` must be unique; 'a' occurs more than once"),
        (
            ["a", "b"],
            [0.5, 0.5],
            {"method": "pareto"},
            ValueError,
            "`method` must be one of 'auto', 'cps', 'systematic'; got 'pareto'",
        ),
        (["a", "b"], [0.5, 0.5], {"material": "zz"}, ValueError, "`seed_material` must be 64 lowercase hex digits"),
        (["a", "b"], [0.5, 0.5], {"purpose": "x|y"}, ValueError, "`purpose` must be a non-empty string without '\\|'"),
    ],
)
def test_draw_errors(ids, pi, kwargs, error, match):
    material = kwargs.pop("material", MATERIAL)
    purpose = kwargs.pop("purpose", "stage1")
    with pytest.raises(error, match=match):
        draw(ids, pi, material, purpose, **kwargs)


def test_cps_refused_beyond_the_hard_limit(monkeypatch):
    monkeypatch.setattr(design_args, "_CPS_HARD_LIMIT", 10)
    with pytest.raises(ValueError, match="`method` = 'cps' is too large for this frame \\(N \\* n = 12 > 10\\)"):
        draw([f"u{k}" for k in range(6)], [1 / 3] * 6, MATERIAL, "stage1", method="cps")


@pytest.mark.parametrize(
    ("index", "error", "match"),
    [
        ([0.5], TypeError, "`index` must be a boolean mask or 1-d integer positions"),
        ([0, 9], ValueError, "`index` positions must lie in \\[0, 3\\]"),
        (np.array([True, False]), ValueError, "`index` as a mask must have shape \\(4,\\); got \\(2,\\)"),
    ],
)
def test_joint_errors(index, error, match):
    with pytest.raises(error, match=match):
        joint_inclusion_probabilities([0.5] * 4, index=index)


def test_working_probabilities_error():
    with pytest.raises(ValueError, match="`pi` must sum to a positive integer sample size; got 0.9"):
        working_probabilities([0.4, 0.5])


def test_stratified_draw_uses_one_stream_per_stratum():
    ids = [f"B{k:03d}" for k in range(60)]
    strata = ["11"] * 20 + ["44"] * 40
    pi = np.concatenate([inclusion_probabilities(np.arange(1, 21), 4), inclusion_probabilities(np.arange(1, 41), 7)])
    res = draw(ids, pi, MATERIAL, "stage1", strata=strata)
    assert res.by_stratum == {"11": "cps", "44": "cps"} and res.method == "cps"
    assert res.selected[:20].sum() == 4 and res.selected[20:].sum() == 7
    alone = draw(ids[20:], pi[20:], MATERIAL, "stage1:44")
    assert np.array_equal(alone.selected, res.selected[20:])
    perm = np.random.default_rng(0).permutation(60)
    again = draw([ids[k] for k in perm], pi[perm], MATERIAL, "stage1", strata=[strata[k] for k in perm])
    assert np.array_equal(again.selected, res.selected[perm])


def test_stratified_joint_is_block_diagonal_with_independent_strata():
    pi = np.array([0.5, 0.5, 0.2, 0.8, 0.6, 0.4])
    strata = ["a", "a", "b", "b", "b", "b"]
    joint = joint_inclusion_probabilities(pi, strata=strata)
    np.testing.assert_allclose(joint[:2, 2:], np.outer(pi[:2], pi[2:]))
    np.testing.assert_allclose(joint[2:, 2:], joint_inclusion_probabilities(pi[2:]))
    assert joint[0, 1] == 0.0  # one draw in stratum a
    sub = joint_inclusion_probabilities(pi, strata=strata, index=[4, 0, 3])
    np.testing.assert_allclose(sub, joint[np.ix_([4, 0, 3], [4, 0, 3])])


@pytest.mark.parametrize(
    ("strata", "match"),
    [
        (["a", "a", "b"], "stratum 'b': `pi` must sum to a positive integer sample size; got 0.5"),
        (["a", None, "b"], "`strata` labels must be non-missing and without '\\|'; got None"),
        (["a|x", "a|x", "b"], "without '\\|'; got 'a\\|x'"),
        (["a"], "`strata` must be 1-d with one label per unit \\(3\\)"),
    ],
)
def test_stratified_errors(strata, match):
    with pytest.raises(ValueError, match=match):
        draw(["u1", "u2", "u3"], [0.5, 0.5, 0.5], MATERIAL, "stage1", strata=strata)
    with pytest.raises(ValueError, match=match):
        joint_inclusion_probabilities([0.5, 0.5, 0.5], strata=strata)


def test_probabilities_rounded_to_six_decimals_are_rescaled_to_the_exact_size():
    pi = np.round(inclusion_probabilities(np.arange(1, 31), 7), 6)
    assert abs(pi.sum() - 7) > 1e-12
    res = draw([f"u{k}" for k in range(30)], pi, MATERIAL, "stage1", method="cps")
    assert res.n == 7 and res.selected.sum() == 7
    joint = joint_inclusion_probabilities(pi)
    np.testing.assert_allclose(np.diag(joint), pi, atol=1e-6)
    np.testing.assert_allclose(joint.sum(axis=1), 7 * np.diag(joint), rtol=1e-10)


def test_canonical_order_is_utf8_byte_order():
    from sampling._checks import canonical_order

    ids = ["b", "a\x00", "a", "é", "z", "认证", "Z"]
    expected = sorted(range(len(ids)), key=lambda k: ids[k].encode("utf-8"))
    assert canonical_order(ids).tolist() == expected


def _off_by(pi: np.ndarray, relative: float) -> np.ndarray:
    """``pi`` with its units strictly between 0 and 1 scaled so that the sum is off by ``relative`` x n."""
    out = pi.copy()
    part = (out > 0) & (out < 1)
    n = round(float(out.sum()))
    out[part] *= (n * (1 + relative) - float(out[~part].sum())) / float(out[part].sum())
    return out


PI_30 = inclusion_probabilities(np.arange(1, 31), 7)
IDS_30 = [f"u{k:02d}" for k in range(30)]


@pytest.mark.parametrize("method", ["cps", "systematic"])
def test_a_sum_within_rounding_is_used_as_given(method):
    pi = _off_by(PI_30, 5e-13)  # within 1e-12 n: not rescaled
    res = draw(IDS_30, pi, MATERIAL, "stage1", method=method)
    assert np.array_equal(res.pi, pi) and res.n == 7
    joint = joint_inclusion_probabilities(pi, method=method, index=res.selected)
    assert np.array_equal(np.diag(joint), pi[res.selected])


@pytest.mark.parametrize("method", ["cps", "systematic"])
def test_a_sum_off_beyond_rounding_is_rescaled_and_the_pi_used_is_returned(method):
    from sampling import ht_total

    pi = _off_by(PI_30, 5e-8)  # beyond 1e-12 n, within 1e-6: the 0 < pi < 1 part is rescaled
    res = draw(IDS_30, pi, MATERIAL, "stage1", method=method)
    assert not np.array_equal(res.pi, pi)
    assert res.pi.sum() == pytest.approx(7, abs=1e-12) and res.selected.sum() == 7
    np.testing.assert_allclose(res.pi, pi, rtol=1e-7)
    joint = joint_inclusion_probabilities(pi, method=method, index=res.selected)
    assert np.array_equal(np.diag(joint), res.pi[res.selected])  # the diagonal is exactly the pi used
    y = np.arange(1.0, 8.0)
    ht_total(y, res.pi[res.selected], joint=joint)  # the estimators accept the library's own matrix
    # the stratified paths report and use the same probabilities
    strata = ["a"] * 15 + ["b"] * 15
    pi_s = np.concatenate([_off_by(inclusion_probabilities(np.arange(1, 16), 3), 5e-8), PI_30[15:] * 0 + 4 / 15])
    res_s = draw(IDS_30, pi_s, MATERIAL, "stage1", method=method, strata=strata)
    joint_s = joint_inclusion_probabilities(pi_s, method=method, strata=strata)
    assert np.array_equal(np.diag(joint_s), res_s.pi) and not np.array_equal(res_s.pi, pi_s)
    np.testing.assert_allclose(joint_s[:15, :15].sum(axis=1), 3 * res_s.pi[:15], rtol=1e-10)


def test_a_sum_off_by_more_than_one_in_a_million_is_refused():
    with pytest.raises(ValueError, match="`pi` must sum to a positive integer sample size; got 7.0000"):
        draw(IDS_30, _off_by(PI_30, 2e-6), MATERIAL, "stage1")
