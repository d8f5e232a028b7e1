"""Inspector teams: rules (hypothesis), exactness of the repair, uniformity, re-derivation, errors."""

from __future__ import annotations

import doctest
import hashlib
import itertools
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import sampling.teams
from sampling import TeamAssignmentError, assign_teams, seed_material, unit_uniforms
from sampling.teams import TEAM_COLUMNS
from sampling.teams.uniform import uniform_team as _uniform_team

SEED = seed_material("0" * 64, "teams test")
CCC_CODES = {"CCC", "PRODUCT"}


# -- helpers: frames and an independent statement of every rule --------------------------------


def make_bodies(rows):
    """rows: (body_id, province, fields, ccc, batch[, name])."""
    out = []
    for r in rows:
        body_id, province, fields, ccc, batch = r[:5]
        name = r[5] if len(r) > 5 else f"机构{body_id}"
        out.append(dict(body_id=body_id, name=name, province=province, fields=fields, ccc_designated=ccc, batch=batch))
    return pd.DataFrame(out, columns=["body_id", "name", "province", "fields", "ccc_designated", "batch"])


def make_inspectors(rows):
    """rows: (inspector_id, unit, province, expertise, active, max_assignments)."""
    return pd.DataFrame(rows, columns=["inspector_id", "unit", "province", "expertise", "active", "max_assignments"])


def make_conflicts(pairs):
    return pd.DataFrame([(i, b, "former employee") for i, b in pairs], columns=["inspector_id", "body_id", "reason"])


def _codes(text):
    return {c.strip() for c in text.split(";") if c.strip()}


def _squash(text):
    return "".join(text.split())


def eligible(body, insp, conflicts) -> bool:
    """The eligibility rule of docs/teams.md, written independently of sampling.teams."""
    if not insp["active"] or (insp["inspector_id"], body["body_id"]) in conflicts:
        return False
    if _squash(insp["unit"]) in {_squash(body["name"]), _squash(body["body_id"])}:
        return False
    if body["batch"] == "national":
        return insp["province"] == "00"
    return insp["province"] in {body["province"], "00"}


def team_ok(body, members, k) -> bool:
    """Team rules without capacity: size, distinct, a field expert, a CCC/PRODUCT expert for CCC bodies."""
    if len(members) != k or len({m["inspector_id"] for m in members}) != k:
        return False
    if not any(_codes(m["expertise"]) & _codes(body["fields"]) for m in members):
        return False
    return not body["ccc_designated"] or any(_codes(m["expertise"]) & CCC_CODES for m in members)


def assert_rules(out, bodies, inspectors, conflicts, k):
    """Every rule of the spec, checked on an output of assign_teams."""
    conf = set() if conflicts is None else set(zip(conflicts["inspector_id"], conflicts["body_id"], strict=True))
    by_id = {r["inspector_id"]: r for r in inspectors.to_dict("records")}
    assert list(out.columns) == TEAM_COLUMNS
    assert out["body_id"].tolist() == sorted(bodies["body_id"].tolist())
    used = Counter()
    for body, row in zip(bodies.sort_values("body_id").to_dict("records"), out.to_dict("records"), strict=True):
        ids = row["inspector_ids"].split(";")
        assert ids == sorted(ids) and row["team_size"] == k
        members = [by_id[i] for i in ids]
        assert team_ok(body, members, k), (body, ids)
        for m in members:
            assert eligible(body, m, conf), (body["body_id"], m["inspector_id"])
        assert row["units"] == ";".join(sorted({m["unit"] for m in members}))
        used.update(ids)
    for i, n in used.items():
        assert n <= by_id[i]["max_assignments"], (i, n)


def brute_force_feasible(bodies, inspectors, conflicts, k) -> bool:
    """Is there any assignment at all? Depth-first over all teams (tiny instances only)."""
    conf = set() if conflicts is None else set(zip(conflicts["inspector_id"], conflicts["body_id"], strict=True))
    insp = inspectors.to_dict("records")
    cap = {r["inspector_id"]: r["max_assignments"] for r in insp}
    options = []
    for body in bodies.to_dict("records"):
        pool = [r for r in insp if eligible(body, r, conf)]
        options.append(
            [tuple(r["inspector_id"] for r in t) for t in itertools.combinations(pool, k) if team_ok(body, list(t), k)]
        )

    dead = set()  # (body index, capacities) from which no completion exists

    def search(j):
        if j == len(options):
            return True
        state = (j, tuple(sorted(cap.items())))
        if state in dead:
            return False
        for team in options[j]:
            if all(cap[i] > 0 for i in team):
                for i in team:
                    cap[i] -= 1
                found = search(j + 1)
                for i in team:
                    cap[i] += 1
                if found:
                    return True
        dead.add(state)
        return False

    return search(0)


# -- hypothesis: random small directories -----------------------------------------------------

FIELD_CODES = ["QMS", "EMS", "CCC", "PRODUCT"]
UNITS = ["SAMR", "广东局", "北京局", "机构 B1", "B2"]  # "机构 B1" is body B1's name with a space


@st.composite
def directories(draw, tight=False):
    """Random small directories; ``tight``: capacities of 1 and more bodies, so capacity binds."""
    n_b = draw(st.integers(2, 4) if tight else st.integers(1, 3))
    n_i = draw(st.integers(5, 9) if tight else st.integers(4, 9))
    k = 2 if tight else draw(st.sampled_from([2, 2, 2, 3]))
    subset = st.lists(st.sampled_from(FIELD_CODES), min_size=1, max_size=2, unique=True).map(";".join)
    bodies = make_bodies(
        [
            (
                f"B{j + 1}",
                draw(st.sampled_from(["11", "44"])),
                draw(subset),
                draw(st.booleans()),
                draw(st.sampled_from(["provincial", "provincial", "national"])),
                f"机构B{j + 1}",
            )
            for j in range(n_b)
        ]
    )
    inspectors = make_inspectors(
        [
            (
                f"I{j + 1}",
                draw(st.sampled_from(UNITS)),
                draw(st.sampled_from(["00", "00", "00", "11", "44"])),
                draw(subset),
                draw(st.sampled_from([True] * 9 + [False])),
                1 if tight else draw(st.integers(1, 3)),
            )
            for j in range(n_i)
        ]
    )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(list(inspectors["inspector_id"])), st.sampled_from(list(bodies["body_id"]))),
            max_size=3,
            unique=True,
        )
    )
    return bodies, inspectors, make_conflicts(pairs), k


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(directories(), directories(tight=True)), st.randoms(use_true_random=False))
def test_teams_obey_every_rule_and_fail_only_when_no_assignment_exists(directory, rnd):
    # Exactness both ways: assign_teams returns iff a brute-force search finds an assignment
    # (so the repair never gives up on a feasible directory and never invents one).
    bodies, inspectors, conflicts, k = directory
    feasible = brute_force_feasible(bodies, inspectors, conflicts, k)
    if not feasible:
        with pytest.raises(TeamAssignmentError, match=r"no feasible inspector team"):
            assign_teams(bodies, inspectors, conflicts, SEED, team_size=k)
        return
    out = assign_teams(bodies, inspectors, conflicts, SEED, team_size=k)
    assert_rules(out, bodies, inspectors, conflicts, k)
    # same seed material, rows of every input shuffled: identical (the identity is one of the shuffles, so
    # this also says that the same call gives the same teams)
    perm = lambda f: f.iloc[rnd.sample(range(len(f)), len(f))].reset_index(drop=True)  # noqa: E731
    shuffled = assign_teams(perm(bodies), perm(inspectors), perm(conflicts), SEED, team_size=k)
    pd.testing.assert_frame_equal(shuffled, out)


def slack_directory(n_bodies=12, n_per_province=12, cap=5):
    rng = np.random.default_rng(3)  # fixed layout, not part of any draw
    provinces = ["11", "44", "31"]
    bodies = make_bodies(
        [
            (
                f"CB{j:03d}",
                provinces[j % 3],
                "QMS;EMS" if j % 4 else "QMS;PRODUCT;CCC",
                j % 4 == 0,
                "national" if j % 6 == 0 else "provincial",
            )
            for j in range(n_bodies)
        ]
    )
    rows = []
    for p in ["00", *provinces]:
        for j in range(n_per_province):
            expertise = ";".join(rng.choice(["QMS", "EMS", "CCC", "PRODUCT", "ISMS"], size=2, replace=False))
            rows.append((f"I{p}{j:02d}", f"unit {p}", p, expertise, True, cap))
    return bodies, make_inspectors(rows)


def test_different_seed_material_gives_different_teams():
    bodies, inspectors = slack_directory()
    a = assign_teams(bodies, inspectors, None, SEED)
    b = assign_teams(bodies, inspectors, None, seed_material("0" * 64, "another lottery"))
    assert_rules(a, bodies, inspectors, None, 2)
    assert_rules(b, bodies, inspectors, None, 2)
    assert (a["inspector_ids"] != b["inspector_ids"]).sum() >= len(bodies) // 2
    assert set(a["method"]) == {"uniform"} and set(a["round"]) == {0}


def test_purpose_prefix_changes_the_streams():
    bodies, inspectors = slack_directory()
    a = assign_teams(bodies, inspectors, None, SEED)
    b = assign_teams(bodies, inspectors, None, SEED, purpose_prefix="team_q2")
    assert (a["inspector_ids"] != b["inspector_ids"]).any()


# -- uniformity -----------------------------------------------------------------------------


def _one_body(n_eligible, experts, ccc=False, ccc_experts=()):
    bodies = make_bodies([("B1", "44", "QMS", ccc, "provincial")])
    rows = []
    for j in range(n_eligible):
        exp = ["QMS"] if j in experts else ["EMS"]
        exp += ["CCC"] if j in ccc_experts else []
        rows.append((f"I{j}", "广东局", "44", ";".join(exp), True, 1))
    return bodies, make_inspectors(rows)


def test_unconstrained_body_each_inspector_and_each_pair_equally_often():
    # 8 eligible, all field experts, team of 2: each inspector with probability 2/8, each of the
    # 28 pairs with probability 1/28. Fixed seed strings, so the test is deterministic.
    # Each p-value limit of 0.001 is a false-alarm rate of 0.001 per statistic at any n (chi-square law; 50
    # expected per pair). With n = 1,400 an inspector in 3 teams in 8 instead of 2 is caught with power about 1
    # (noncentrality 100 on 7 df, the 2,800 places counted as multinomial), and a single pair twice as likely as
    # each other one with power 0.86.
    bodies, inspectors = _one_body(8, experts=range(8))
    n = 1400
    pairs, singles = Counter(), Counter()
    for j in range(n):
        out = assign_teams(bodies, inspectors, None, seed_material("0" * 64, f"gof {j}"))
        team = out["inspector_ids"].iat[0]
        pairs[team] += 1
        singles.update(team.split(";"))
    assert len(pairs) == 28
    p_pairs = stats.chisquare([pairs[p] for p in sorted(pairs)]).pvalue  # multinomial, 27 df
    # Each draw counts 2 inspectors, so these counts are not multinomial; Pearson's statistic is
    # then conservative (mean 6 instead of 7 under uniformity).
    p_single = stats.chisquare([singles[f"I{j}"] for j in range(8)]).pvalue
    assert p_pairs > 0.001 and p_single > 0.001, (p_pairs, p_single)


def _team_frequencies(keys_purpose, n, x, c, need):
    counts = Counter()
    ids = [f"I{j}" for j in range(len(x))]
    for j in range(n):
        material = seed_material("0" * 64, f"makeup {j}")
        keys = unit_uniforms(material, keys_purpose, ids)
        u_mix = float(unit_uniforms(material, "team-mix", ["B1"])[0])
        team = _uniform_team(keys, np.asarray(x), np.asarray(c), np.ones(len(x), bool), need, u_mix)
        counts[tuple(team.tolist())] += 1
    return counts


def test_every_feasible_team_is_equally_likely_when_experts_are_scarce():
    # 4 eligible, 2 field experts, team of 2: the 5 teams with an expert are equally likely.
    # Taking "the expert with the smallest key, then the smallest remaining key" would give the
    # expert pair 1/6 and each other team 5/24; 8,000 draws tell the two apart: noncentrality
    # 8,000 x 0.00694 = 56 on 4 df, power 0.9997 at the limit p > 0.001 (a false alarm 1 time in 1,000).
    n = 8_000
    counts = _team_frequencies("team:B1", n, [True, True, False, False], [True] * 4, 2)
    assert sorted(counts) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)]
    assert stats.chisquare(list(counts.values())).pvalue > 0.001


def test_every_feasible_team_is_equally_likely_for_a_ccc_body_with_crossing_experts():
    # classes: 0 both, 1 field only, 2 CCC only, 3 neither (x2); team of 3 must cover both rules.
    x = [True, True, False, False, False]
    c = [True, False, True, False, False]
    feasible = [t for t in itertools.combinations(range(5), 3) if any(x[i] for i in t) and any(c[i] for i in t)]
    counts = _team_frequencies("team:B1", 10_000, x, c, 3)
    assert sorted(counts) == feasible
    assert stats.chisquare([counts[t] for t in feasible]).pvalue > 0.001


def test_the_public_function_is_uniform_over_feasible_teams_too():
    # The wiring of the draw above into assign_teams. Limit p > 0.001: a false alarm 1 time in 1,000 (chi-square,
    # 4 df, 80 expected per team); with 400 draws one team at 0.30 instead of 0.20 is caught with power 0.85.
    bodies, inspectors = _one_body(4, experts={0, 1})
    counts = Counter(
        assign_teams(bodies, inspectors, None, seed_material("0" * 64, f"pub {j}"))["inspector_ids"].iat[0]
        for j in range(400)
    )
    assert set(counts) == {"I0;I1", "I0;I2", "I0;I3", "I1;I2", "I1;I3"}
    assert stats.chisquare(list(counts.values())).pvalue > 0.001


# -- repair when capacity binds -------------------------------------------------------------------


def _tight():
    # P1 (provincial, 11) has one field expert, n1 (national); it is drawn first (most
    # constrained). N1 (national batch) needs two of the three national inspectors, one of them
    # an expert (n1 or n2). Every capacity is 1, so the only assignment is P1 = {n1, p1},
    # N1 = {n2, n3}; a plain sequential pass picks P1's second member among n2, n3, p1 and gets
    # stuck 2 times in 3.
    bodies = make_bodies([("P1", "11", "ISMS", False, "provincial"), ("N1", "11", "QMS", False, "national")])
    inspectors = make_inspectors(
        [
            ("n1", "SAMR", "00", "ISMS;QMS", True, 1),
            ("n2", "SAMR", "00", "QMS", True, 1),
            ("n3", "SAMR", "00", "EMS", True, 1),
            ("p1", "北京局", "11", "EMS", True, 1),
        ]
    )
    return bodies, inspectors


def test_repair_finds_the_assignment_a_sequential_pass_misses():
    bodies, inspectors = _tight()
    methods = Counter()
    for j in range(30):
        out = assign_teams(bodies, inspectors, None, seed_material("0" * 64, f"tight {j}"))
        assert_rules(out, bodies, inspectors, None, 2)
        assert out["inspector_ids"].tolist() == ["n2;n3", "n1;p1"]
        methods.update(out["method"])
    assert methods["lookahead"] > 0 and methods["uniform"] > 0


def test_repaired_draw_is_reproducible_and_row_order_free():
    bodies, inspectors = _tight()
    # a larger tight frame: 6 provincial bodies sharing 3 local and 5 national inspectors
    bodies = make_bodies(
        [(f"B{j}", "11", "QMS" if j % 2 else "EMS", j == 0, "national" if j < 2 else "provincial") for j in range(6)]
    )
    inspectors = make_inspectors(
        [(f"n{j}", "SAMR", "00", ["QMS", "EMS", "QMS;CCC", "EMS;PRODUCT", "ISMS"][j], True, 2) for j in range(5)]
        + [(f"p{j}", "北京局", "11", ["QMS", "EMS", "ISMS"][j], True, 1) for j in range(3)]
    )
    seen = Counter()
    for j in range(40):
        material = seed_material("0" * 64, f"repair {j}")
        out = assign_teams(bodies, inspectors, None, material)
        assert_rules(out, bodies, inspectors, None, 2)
        back = assign_teams(bodies.iloc[::-1], inspectors.iloc[::-1], None, material)
        pd.testing.assert_frame_equal(back, out)
        seen.update(out["method"])
    assert seen["uniform"] < 40 * 6  # the repair ran at least once


def binding_example():
    """docs/teams.md, "When capacity binds": B1 (ISMS) first; B2 (national) needs 2 of n1..n3."""
    bodies = make_bodies([("B1", "11", "ISMS", False, "provincial"), ("B2", "11", "QMS", False, "national")])
    inspectors = make_inspectors(
        [
            ("n1", "SAMR", "00", "ISMS;QMS", True, 1),
            ("n2", "SAMR", "00", "QMS", True, 1),
            ("n3", "SAMR", "00", "QMS", True, 1),
            ("p1", "北京局", "11", "ISMS", True, 1),
            ("p2", "北京局", "11", "EMS", True, 1),
        ]
    )
    return bodies, inspectors


def test_when_capacity_binds_each_team_is_uniform_among_those_that_keep_the_rest_feasible():
    # B1's 7 feasible teams: 5 leave B2 a team ({n1,p1}, {n1,p2}, {n2,p1}, {n3,p1}, {p1,p2}),
    # {n1,n2} and {n1,n3} do not. B1 must be uniform over the 5 (1/5 each), B2 then uniform.
    # Limit p > 0.001: a false alarm 1 time in 1,000 (chi-square, 4 df, 80 expected per team). With 400
    # draws one team at 0.30 instead of 0.20 is caught with power 0.85; drawing B2 first (which gives
    # {p1,p2} 4/9) or taking B1 uniform over all 7 and moving the 2 dead ends to one team (3/7) with
    # power > 0.9999.
    bodies, inspectors = binding_example()
    counts = Counter()
    for j in range(400):
        out = assign_teams(bodies, inspectors, None, seed_material("0" * 64, f"bind {j}"))
        assert_rules(out, bodies, inspectors, None, 2)
        counts[out["inspector_ids"].iat[0]] += 1
    assert sorted(counts) == ["n1;p1", "n1;p2", "n2;p1", "n3;p1", "p1;p2"]
    assert stats.chisquare(list(counts.values())).pvalue > 0.001


def test_constructive_fallback_when_rejection_rounds_run_out():
    # P1 (ISMS) is drawn first: only n1..n3 know ISMS. The 19 national-batch bodies need 38 of
    # the 39 national inspectors, so P1 may take one national (an ISMS expert) and p1: 3 of its
    # 114 feasible teams. Rejection (16 rounds) usually fails and the team is constructed.
    bodies = make_bodies(
        [("P1", "11", "ISMS", False, "provincial")] + [(f"N{j:02d}", "11", "QMS", False, "national") for j in range(19)]
    )
    inspectors = make_inspectors(
        [(f"n{j:02d}", "SAMR", "00", "ISMS;QMS" if j < 3 else "QMS", True, 1) for j in range(39)]
        + [("p1", "北京局", "11", "EMS", True, 1)]
    )
    methods = Counter()
    for j in range(4):
        out = assign_teams(bodies, inspectors, None, seed_material("0" * 64, f"fallback {j}"))
        assert_rules(out, bodies, inspectors, None, 2)
        p1 = out.set_index("body_id").loc["P1"]
        assert p1["inspector_ids"].endswith(";p1") and p1["draw_order"] == 1
        methods[p1["method"]] += 1
    assert methods["constructed"] >= 1, methods


# -- infeasible cases: one message naming every body and rule --------------------------------------


def test_no_ccc_expert_names_the_body_and_the_rule():
    bodies = make_bodies([("CB00012", "44", "QMS;CCC", True, "provincial")])
    inspectors = make_inspectors([("I1", "u", "44", "QMS", True, 3), ("I2", "u", "00", "EMS", True, 3)])
    with pytest.raises(
        TeamAssignmentError,
        match=(
            r"body CB00012 \(province 44, provincial batch, CCC-designated\): no eligible inspector with CCC or "
            r"PRODUCT expertise \[pool province 44 or national \(00\): 2 inspector\(s\)"
        ),
    ):
        assign_teams(bodies, inspectors, None, SEED)


def test_all_eligible_inspectors_conflicted():
    bodies = make_bodies([("B1", "44", "QMS", False, "provincial")])
    inspectors = make_inspectors([(f"I{j}", "u", "44", "QMS", True, 3) for j in range(3)])
    conflicts = make_conflicts([("I0", "B1"), ("I1", "B1"), ("I2", "B1")])
    with pytest.raises(
        TeamAssignmentError,
        match=(
            r"body B1 \(province 44, provincial batch\): only 0 eligible inspector\(s\), a team needs 2; no eligible "
            r"inspector with expertise in its fields \(QMS\) .*3 with a conflict, 0 employed by the body itself"
        ),
    ):
        assign_teams(bodies, inspectors, conflicts, SEED)


def test_capacity_exhausted_names_bodies_slots_and_supply():
    bodies = make_bodies([(f"B{j}", "44", "QMS", False, "provincial") for j in range(3)])
    inspectors = make_inspectors([("I1", "u", "44", "QMS", True, 1), ("I2", "u", "44", "QMS", True, 2)])
    with pytest.raises(
        TeamAssignmentError,
        match=(
            r"not enough capacity: 3 bodies \(province 44: 3\) need 6 inspector slot\(s\) \(3 for field experts\), "
            r"but the inspectors eligible for them can fill at most 3 within max_assignments "
            r"\(2 inspector\(s\) with 3 assignment\(s\) left\); bodies: B0, B1, B2"
        ),
    ):
        assign_teams(bodies, inspectors, None, SEED)


def test_capacity_of_field_experts_alone_can_bind():
    # enough inspectors, but the only QMS expert can serve one body
    bodies = make_bodies([("B1", "44", "QMS", False, "provincial"), ("B2", "44", "QMS", False, "provincial")])
    inspectors = make_inspectors(
        [("E", "u", "44", "QMS", True, 1)] + [(f"O{j}", "u", "44", "EMS", True, 5) for j in range(3)]
    )
    with pytest.raises(
        TeamAssignmentError,
        match=r"2 bodies \(province 44: 2\) need 2 inspector slot\(s\) "
        r"\(2 for field experts\).*at most 1 ",
    ):
        assign_teams(bodies, inspectors, None, SEED)


def test_crossing_ccc_rules_infeasible_by_capacity():
    # B1's eligible: a (field + CCC), q (field only), p (CCC only), d (neither). B2 needs a (its
    # only CCC-field expert), B3 needs p; capacities 1 leave B1 q and d: no CCC expert. Dropping
    # the CCC rule it would fit, so the message is about the CCC rule.
    bodies = make_bodies(
        [
            ("B1", "44", "QMS", True, "provincial"),
            ("B2", "44", "CCC", False, "provincial"),
            ("B3", "44", "PRODUCT", False, "provincial"),
        ]
    )
    inspectors = make_inspectors(
        [
            ("a", "u", "44", "QMS;CCC", True, 1),
            ("q", "u", "44", "QMS", True, 1),
            ("p", "u", "44", "PRODUCT", True, 1),
            ("d", "u", "44", "EMS", True, 1),
            ("f1", "u", "44", "EMS", True, 1),
            ("f2", "u", "44", "EMS", True, 1),
        ]
    )
    assert not brute_force_feasible(bodies, inspectors, None, 2)
    with pytest.raises(
        TeamAssignmentError,
        match=r"not enough capacity for the CCC rule: the CCC-designated "
        r"bodies B1 cannot each get a field expert and a CCC or PRODUCT",
    ):
        assign_teams(bodies, inspectors, None, SEED)
    # one more CCC expert makes it feasible, and the crossing case is solved exactly
    more = pd.concat([inspectors, make_inspectors([("p2", "u", "44", "PRODUCT", True, 1)])], ignore_index=True)
    out = assign_teams(bodies, more, None, SEED)
    assert_rules(out, bodies, more, None, 2)


def test_every_infeasible_body_is_reported_at_once_with_capacity():
    bodies = make_bodies(
        [
            ("A1", "44", "QMS;CCC", True, "provincial"),  # no CCC expert
            ("A2", "11", "QMS", False, "provincial"),  # nobody in 11 or national
            ("A3", "44", "QMS", False, "provincial"),  # feasible alone ...
            ("A4", "44", "QMS", False, "provincial"),  # ... but A3 and A4 share 3 assignments
        ]
    )
    inspectors = make_inspectors([("I1", "u", "44", "QMS", True, 2), ("I2", "u", "44", "QMS", True, 1)])
    with pytest.raises(TeamAssignmentError, match=r"no feasible inspector teams \(3 problems\)") as info:
        assign_teams(bodies, inspectors, None, SEED)
    text = str(info.value)
    assert "body A1 (province 44, provincial batch, CCC-designated): no eligible inspector with CCC" in text
    assert "body A2 (province 11, provincial batch): only 0 eligible inspector(s)" in text
    assert "not enough capacity: 2 bodies (province 44: 2) need 4 inspector slot(s)" in text


def test_national_batch_uses_national_inspectors_only():
    bodies = make_bodies([("N1", "44", "QMS", False, "national")])
    inspectors = make_inspectors(
        [("I1", "u", "44", "QMS", True, 3), ("I2", "u", "44", "QMS", True, 3), ("S1", "SAMR", "00", "QMS", True, 3)]
    )
    with pytest.raises(
        TeamAssignmentError,
        match=r"body N1 \(province 44, national batch\): only 1 eligible "
        r"inspector\(s\), a team needs 2 \[pool national \(00\): 1 ",
    ):
        assign_teams(bodies, inspectors, None, SEED)
    inspectors.loc[0, "province"] = "00"
    assert assign_teams(bodies, inspectors, None, SEED)["inspector_ids"].iat[0] == "I1;S1"


def test_own_unit_inactive_and_other_province_are_excluded():
    bodies = make_bodies([("B1", "44", "QMS", False, "provincial", "华南 认证中心")])
    inspectors = make_inspectors(
        [
            ("I1", "华南认证中心", "44", "QMS", True, 3),  # employed by the body (spaces ignored)
            ("I2", " B1 ", "00", "QMS", True, 3),  # unit is the body_id
            ("I3", "广东局", "44", "QMS", False, 3),  # inactive
            ("I4", "北京局", "11", "QMS", True, 3),  # other province
            ("I5", "广东局", "44", "QMS", True, 3),
        ]
    )
    with pytest.raises(
        TeamAssignmentError,
        match=r"only 1 eligible inspector\(s\).*\[pool province 44 or "
        r"national \(00\): 4 inspector\(s\), 1 inactive, 0 with a "
        r"conflict, 2 employed by the body itself, 1 eligible\]",
    ):
        assign_teams(bodies, inspectors, None, SEED)


def test_conflicts_with_other_bodies_or_unknown_inspectors_are_ignored():
    bodies, inspectors = _one_body(3, experts={0, 1, 2})
    base = assign_teams(bodies, inspectors, None, SEED)
    noise = make_conflicts([("I9", "B1"), ("I0", "B7")])
    pd.testing.assert_frame_equal(assign_teams(bodies, inspectors, noise, SEED), base)
    member = base["inspector_ids"].iat[0].split(";")[0]
    out = assign_teams(bodies, inspectors, make_conflicts([(member, "B1")]), SEED)
    assert member not in out["inspector_ids"].iat[0].split(";")


def test_body_without_fields_is_infeasible():
    bodies = make_bodies([("B1", "44", "", False, "provincial")])
    inspectors = make_inspectors([(f"I{j}", "u", "44", "QMS", True, 3) for j in range(3)])
    with pytest.raises(TeamAssignmentError, match=r"body B1 .*it lists no fields"):
        assign_teams(bodies, inspectors, None, SEED)


# -- input validation -------------------------------------------------------------------------------


def _valid():
    bodies = make_bodies([("B1", "44", "QMS", False, "provincial")])
    inspectors = make_inspectors([(f"I{j}", "u", "44", "QMS", True, 3) for j in range(3)])
    return bodies, inspectors


@pytest.mark.parametrize(
    ("team_size", "exc", "match"),
    [
        (1, ValueError, r"`team_size` must be an integer >= 2; got 1\."),
        (2.5, ValueError, r"`team_size` must be an integer >= 2; got 2\.5\."),
        ("2", TypeError, r"`team_size` must be an integer >= 2; got '2'\."),
        (True, TypeError, r"`team_size` must be an integer >= 2; got True\."),
    ],
)
def test_team_size_is_checked(team_size, exc, match):
    bodies, inspectors = _valid()
    with pytest.raises(exc, match=match):
        assign_teams(bodies, inspectors, None, SEED, team_size=team_size)


def test_seed_material_and_prefix_are_checked():
    bodies, inspectors = _valid()
    with pytest.raises(ValueError, match=r"`seed_material` must be 64 lowercase hex digits; got 'abc'"):
        assign_teams(bodies, inspectors, None, "abc")
    with pytest.raises(
        ValueError,
        match=r"`purpose_prefix` must be a non-empty string of letters, digits and "
        r"'_'; got 'team:x'",
    ):
        assign_teams(bodies, inspectors, None, SEED, purpose_prefix="team:x")


def test_frames_must_be_dataframes():
    bodies, inspectors = _valid()
    with pytest.raises(TypeError, match=r"`bodies` must be a pandas DataFrame; got \['B1'\]"):
        assign_teams(["B1"], inspectors, None, SEED)
    with pytest.raises(TypeError, match=r"`conflicts` must be a pandas DataFrame; got 3"):
        assign_teams(bodies, inspectors, 3, SEED)


def test_missing_columns_are_all_reported():
    bodies, inspectors = _valid()
    with pytest.raises(
        ValueError,
        match=(
            r"invalid input for assign_teams \(3 problems\):\n- `bodies` lacks column\(s\) 'batch'\.\n"
            r"- `inspectors` lacks column\(s\) 'active', 'max_assignments'\.\n- `conflicts` lacks column\(s\) 'body_id'"
        ),
    ):
        assign_teams(
            bodies.drop(columns="batch"),
            inspectors.drop(columns=["active", "max_assignments"]),
            pd.DataFrame({"inspector_id": ["I1"]}),
            SEED,
        )


@pytest.mark.parametrize(
    ("frame", "column", "value", "match"),
    [
        (
            "bodies",
            "batch",
            "regional",
            r"`bodies` column 'batch' must be 'national' or 'provincial'; got 'regional' "
            r"at data row 1 \(body 'B1'\)",
        ),
        (
            "bodies",
            "ccc_designated",
            "yes",
            r"`bodies` column 'ccc_designated' must be true/false; got 'yes' at data row 1 "
            r"\(body 'B1'\)",
        ),
        (
            "bodies",
            "body_id",
            "B|1",
            r"`bodies` column 'body_id' must be non-empty, without tab, CR, LF or '\|'; "
            r"got 'B\|1' at data row 1",
        ),
        ("bodies", "fields", None, r"`bodies` column 'fields' must hold strings; got None at data row 1 \(body 'B1'\)"),
        ("bodies", "name", " ", r"`bodies` column 'name' must be non-empty; got ' ' at data row 1"),
        (
            "inspectors",
            "max_assignments",
            0,
            r"`inspectors` column 'max_assignments' must be an integer >= 1; got 0 "
            r"at data row 1 \(inspector 'I0'\)",
        ),
        ("inspectors", "max_assignments", 1.5, r"must be an integer >= 1; got 1\.5"),
        ("inspectors", "active", np.nan, r"`inspectors` column 'active' must be true/false; got nan"),
        ("inspectors", "unit", np.nan, r"`inspectors` column 'unit' must hold strings; got nan"),
        ("inspectors", "inspector_id", "", r"`inspectors` column 'inspector_id' must be non-empty"),
        (
            "inspectors",
            "inspector_id",
            "I;0",
            r"`inspectors` column 'inspector_id' must be non-empty, without tab, CR, "
            r"LF or ';'; got 'I;0' at data row 1 \(1 bad value\(s\)\)",
        ),
        (
            "inspectors",
            "inspector_id",
            None,
            r"^invalid input for assign_teams: `inspectors` column 'inspector_id' must "
            r"hold strings; got None at data row 1 \(1 bad value\(s\)\)\.$",
        ),
    ],
)
def test_bad_values_are_named(frame, column, value, match):
    bodies, inspectors = _valid()
    target = bodies if frame == "bodies" else inspectors
    target[column] = target[column].astype(object)
    target.loc[0, column] = value
    with pytest.raises(ValueError, match=match):
        assign_teams(bodies, inspectors, None, SEED)


def test_duplicate_ids_are_refused():
    bodies, inspectors = _valid()
    bodies = pd.concat([bodies, bodies], ignore_index=True)
    inspectors.loc[1, "inspector_id"] = "I0"
    with pytest.raises(
        ValueError,
        match=r"\(2 problems\):\n- `bodies` column 'body_id' must be unique; \['B1'\] "
        r"occur more than once\.\n- `inspectors` column 'inspector_id' must be "
        r"unique; \['I0'\]",
    ):
        assign_teams(bodies, inspectors, None, SEED)


def test_empty_inspector_directory_names_the_body():
    bodies, inspectors = _valid()
    with pytest.raises(
        TeamAssignmentError,
        match=r"body B1 .*only 0 eligible inspector\(s\).*\[pool province 44 "
        r"or national \(00\): 0 inspector\(s\)",
    ):
        assign_teams(bodies, inspectors.iloc[:0], None, SEED)


def test_no_bodies_gives_an_empty_table():
    bodies, inspectors = _valid()
    out = assign_teams(bodies.iloc[:0], inspectors, None, SEED)
    assert list(out.columns) == TEAM_COLUMNS and len(out) == 0


def test_docstring_example_runs():
    result = doctest.testmod(sampling.teams, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# -- the documented test vector and an independent re-derivation ---------------------------------------

VECTOR_MATERIAL = "c73e2811fa0de8d096a3f554e7e0f82144d74d1733a1d4413bf289061bfda4df"  # docs/sampling.md


def vector_frames():
    """The example of docs/teams.md ("Test vector")."""
    bodies = make_bodies(
        [
            ("CB001", "44", "QMS;PRODUCT;CCC", True, "provincial", "华南认证有限公司"),
            ("CB002", "44", "QMS;EMS", False, "provincial", "广州质量认证中心"),
        ]
    )
    inspectors = make_inspectors(
        [
            ("I01", "国家市场监管总局", "00", "QMS", True, 2),
            ("I02", "国家市场监管总局", "00", "CCC;PRODUCT", True, 1),
            ("I03", "广东省市场监管局", "44", "EMS", True, 2),
            ("I04", "广东省市场监管局", "44", "QMS;EMS", True, 2),
            ("I05", "广东省质量检验研究院", "44", "PRODUCT", True, 1),
            ("I06", "华南认证有限公司", "44", "QMS;CCC", True, 2),
            ("I07", "广东省市场监管局", "44", "ISMS", False, 2),
            ("I08", "北京市市场监管局", "11", "QMS", True, 2),
        ]
    )
    return bodies, inspectors, make_conflicts([("I04", "CB001")])


def test_documented_test_vector():
    bodies, inspectors, conflicts = vector_frames()
    out = assign_teams(bodies, inspectors, conflicts, VECTOR_MATERIAL)
    assert_rules(out, bodies, inspectors, conflicts, 2)
    # values published in docs/teams.md
    assert out[["body_id", "inspector_ids", "draw_order", "n_eligible"]].values.tolist() == [
        ["CB001", "I01;I02", 1, 4],
        ["CB002", "I03;I05", 2, 6],
    ]
    assert out["keys"].tolist() == ["0.20222553224371398;0.5635739902239886", "0.09235782123295067;0.43764996723599714"]


def _reference_uniform(material: str, purpose: str, unit: str) -> float:
    digest = hashlib.sha256(f"{material}|{purpose}|{unit}".encode()).digest()
    return (2 * (int.from_bytes(digest[:8], "big") >> 12) + 1) / 2**53


def rederive(bodies, inspectors, conflicts, material, k=2, prefix="team"):
    """An auditor's re-derivation from docs/teams.md (sequential pass), hashlib and integers only."""
    conf = set(zip(conflicts["inspector_id"], conflicts["body_id"], strict=True))
    insp = sorted(inspectors.to_dict("records"), key=lambda r: r["inspector_id"])
    cap = {r["inspector_id"]: r["max_assignments"] if r["active"] else 0 for r in insp}
    info = {}
    for body in bodies.to_dict("records"):
        pool = [r for r in insp if eligible(body, r, conf)]
        field = [bool(_codes(r["expertise"]) & _codes(body["fields"])) for r in pool]
        ccc = [bool(_codes(r["expertise"]) & CCC_CODES) or not body["ccc_designated"] for r in pool]
        scarce = min(sum(field), sum(ccc))
        order_u = _reference_uniform(material, f"{prefix}-order", body["body_id"])
        info[body["body_id"]] = (scarce, len(pool), order_u, body["body_id"]), pool, field, ccc
    teams = {}
    for rank, pool, field, ccc in sorted(info.values()):
        body_id = rank[3]
        avail = [j for j, r in enumerate(pool) if cap[r["inspector_id"]] > 0]
        cls = {j: (0 if field[j] and ccc[j] else 1 if field[j] else 2 if ccc[j] else 3) for j in avail}
        groups = [[j for j in avail if cls[j] == c] for c in range(4)]
        makeups = []
        for mk in itertools.product(range(k + 1), repeat=4):
            if sum(mk) == k and mk[0] + mk[1] >= 1 and mk[0] + mk[2] >= 1:
                makeups.append((mk, math.prod(math.comb(len(g), n) for g, n in zip(groups, mk, strict=True))))
        total = sum(n for _, n in makeups)
        u = _reference_uniform(material, f"{prefix}-mix", body_id)
        t = math.floor(u * total)  # u * total is exact enough: total is small here
        for mk, n in makeups:  # noqa: B007 - the make-up found is used after the loop
            if t < n:
                break
            t -= n
        team = []
        for g, n in zip(groups, mk, strict=True):
            keyed = sorted(
                g,
                key=lambda j: (
                    _reference_uniform(material, f"{prefix}:{body_id}", pool[j]["inspector_id"]),
                    pool[j]["inspector_id"],
                ),
            )
            team += [pool[j]["inspector_id"] for j in keyed[:n]]
        for i in team:
            cap[i] -= 1
        teams[body_id] = ";".join(sorted(team))
    return teams


def test_auditor_rederivation_matches_on_the_test_vector():
    bodies, inspectors, conflicts = vector_frames()
    out = assign_teams(bodies, inspectors, conflicts, VECTOR_MATERIAL)
    assert dict(zip(out["body_id"], out["inspector_ids"], strict=True)) == rederive(
        bodies, inspectors, conflicts, VECTOR_MATERIAL
    )


# -- the project's synthetic directory ------------------------------------------------------------------


def drawn_quarter(world, share=0.35, seed=0):
    tables = world.tables()
    bodies = tables["bodies"]
    active = bodies[bodies["status"] == "active"].sort_values("body_id")
    rng = np.random.default_rng(seed)  # test fixture only: which bodies count as drawn
    drawn = active.iloc[np.sort(rng.choice(len(active), size=round(share * len(active)), replace=False))].copy()
    drawn["batch"] = np.where(drawn["ccc_designated"], "national", "provincial")
    return drawn, tables["inspectors"], tables["conflicts"]


def test_synthetic_directory_quarter_draw(world_tenth):
    # a third of the 10 % system's active bodies: 42, one of them CCC-designated (national batch)
    bodies, inspectors, conflicts = drawn_quarter(world_tenth)
    assert len(bodies) > 40 and bodies["ccc_designated"].any()
    out = assign_teams(bodies, inspectors, conflicts, SEED)
    assert_rules(out, bodies, inspectors, conflicts, 2)
    shuffled = assign_teams(
        bodies.sample(frac=1, random_state=1),
        inspectors.sample(frac=1, random_state=2),
        conflicts.sample(frac=1, random_state=3),
        SEED,
    )
    pd.testing.assert_frame_equal(shuffled, out)
    assert set(out["method"]) == {"uniform"}
    # teams of 3 fit as well (the national inspectors run short: the repair staffs them)
    three = assign_teams(bodies, inspectors, conflicts, SEED, team_size=3)
    assert_rules(three, bodies, inspectors, conflicts, 3)
    assert "lookahead" in set(three["method"])


def test_auditor_rederivation_matches_on_the_synthetic_directory(world_tenth):
    # With spare national capacity the sequential pass never gets stuck, so the auditor's
    # sequential re-derivation (docs/teams.md) must give every team exactly.
    bodies, inspectors, conflicts = drawn_quarter(world_tenth)
    inspectors = inspectors.assign(max_assignments=inspectors["max_assignments"] + 5 * (inspectors["province"] == "00"))
    out = assign_teams(bodies, inspectors, conflicts, SEED)
    assert set(out["method"]) == {"uniform"}
    assert dict(zip(out["body_id"], out["inspector_ids"], strict=True)) == rederive(bodies, inspectors, conflicts, SEED)


def test_a_bad_value_is_named_by_its_data_row_counted_from_one():
    """Position 2 of the frame is data row 3, as the problem reports of the data contract count rows."""
    bodies, inspectors = _valid()  # inspectors I0, I1, I2
    inspectors["max_assignments"] = inspectors["max_assignments"].astype(object)
    inspectors.loc[inspectors.index[2], "max_assignments"] = 0
    with pytest.raises(ValueError, match=r"got 0 at data row 3 \(inspector 'I2'\) \(1 bad value\(s\)\)"):
        assign_teams(bodies, inspectors, None, SEED)
