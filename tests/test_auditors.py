"""High-risk auditors: each indicator and the high-risk rule on hand-made audit tables with answers
worked by hand, the body feature, the ranked list, and the ranking against the simulator's truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from features.build import build_feature_panel
from features.builders.auditors import auditor_indicators
from features.dictionary import AUDITOR_HIGH_RISK_SCORE
from features.loading import empty_table
from simulator import generate_world
from supervision.auditors import auditor_list, auditor_reasons

AS_OF = pd.Timestamp("2026-01-01")
LOG2 = np.log(2.0)


def _audit(i, auditor, body, start, hours, checkin=True, late_h=0.0, km=0.5):
    start = pd.Timestamp(start)
    return {
        "audit_id": f"A{i:03d}",
        "body_id": body,
        "auditor_id": auditor,
        "org_id": f"O{i:03d}",  # a new organisation each time
        "scheme": "QMS",
        "planned_start": start,
        "planned_end": start + pd.Timedelta(hours=hours),
        "checkin_at": start + pd.Timedelta(hours=late_h) if checkin else pd.NaT,
        "checkout_at": start + pd.Timedelta(hours=hours),
        "checkin_distance_km": km if checkin else np.nan,
        "remote": False,
    }


def _audits(rows) -> pd.DataFrame:
    base = empty_table("audits")
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    return pd.concat([base, frame.astype({c: base[c].dtype for c in frame.columns})], ignore_index=True)


def _row(table: pd.DataFrame, auditor: str) -> pd.Series:
    return table.set_index("auditor_id").loc[auditor]


# X: four audits for two bodies with one anomaly each; Y: four clean audits, one over two days.
TWO = _audits(
    [
        _audit(1, "X", "B1", "2025-03-03 09:00", 8, checkin=False),  # no check-in
        _audit(2, "X", "B1", "2025-04-07 09:00", 8, late_h=3),  # 3 h late
        _audit(3, "X", "B2", "2025-05-05 09:00", 4, km=6.0),  # 6 km from the site
        _audit(4, "X", "B2", "2025-05-05 10:00", 8),  # starts while audit 3 runs: double booked
        _audit(5, "Y", "B1", "2025-03-10 09:00", 8),
        _audit(6, "Y", "B1", "2025-03-17 09:00", 8),
        _audit(7, "Y", "B1", "2025-03-24 09:00", 32),  # 24 and 25 March: two calendar days
        _audit(8, "Y", "B1", "2025-03-31 09:00", 8),
    ]
)


def test_each_indicator_by_hand():
    table = auditor_indicators({"audits": TWO}, AS_OF)
    x, y = _row(table, "X"), _row(table, "Y")
    assert (x["audits_12m"], y["audits_12m"]) == (4, 4)
    # missing check-in: population 1/8; shrunk (k + 20 p0) / (n + 20)
    assert x["missing_checkin_rate"] == pytest.approx((1 + 20 / 8) / 24)  # 0.1458
    assert y["missing_checkin_rate"] == pytest.approx((0 + 20 / 8) / 24)  # 0.1042
    # its term, log((k + 2.5) / (E + 2.5)), E at the others' rates of the same bodies. X: at B1 Y's 4 audits
    # without a missing one, (0 + 2.5) / (4 + 20); at B2 no other audit, p0. E = 2 x 2.5/24 + 2/8 = 11/24,
    # (1 + 2.5) / (11/24 + 2.5) = 84/71. Y: at B1 X's 2 audits, 1 missing, (1 + 2.5) / (2 + 20);
    # E = 4 x 3.5/22 = 7/11, 2.5 / (7/11 + 2.5) = 55/69
    assert x["missing_checkin_rate_term"] == pytest.approx(np.log(84 / 71))  # 0.168
    assert y["missing_checkin_rate_term"] == pytest.approx(np.log(55 / 69))  # -0.227
    # late among the 7 checked-in audits (X 3 of them, 1 late); far among the 7 with a distance, alike
    for name in ("late_checkin_rate", "far_checkin_rate"):
        assert x[name] == pytest.approx((1 + 20 / 7) / 23)  # 0.1677
        assert y[name] == pytest.approx((20 / 7) / 24)  # 0.1190
        # X counted once at B1 (others 0 of 4: (20/7)/24 = 5/42) and twice at B2 (no others: 1/7):
        # E = 5/42 + 2/7 = 17/42, (1 + 20/7) / (17/42 + 20/7) = 162/137
        assert x[f"{name}_term"] == pytest.approx(np.log(162 / 137))  # 0.168
    # Y: late, the others at B1 1 of 1: (1 + 20/7)/21 = 9/49, E = 36/49, (20/7) / (36/49 + 20/7) = 35/44;
    # far, the others at B1 0 of 1 (X's far check-in was at B2): 20/147, E = 80/147, ratio 420/500
    assert y["late_checkin_rate_term"] == pytest.approx(np.log(35 / 44))
    assert y["far_checkin_rate_term"] == pytest.approx(np.log(0.84))
    # double booking: audit 4 (another organisation, while 3 runs); population 1/8
    assert x["double_booking_rate"] == pytest.approx((1 + 20 / 8) / 24)
    assert y["double_booking_rate"] == pytest.approx((20 / 8) / 24)
    # X as for missing check-ins: 84/71; Y: the others at B1 0 of 2, 2.5/22, E = 10/22, 2.5 / (5/11 + 2.5) = 11/13
    assert x["double_booking_rate_term"] == pytest.approx(np.log(84 / 71))
    assert y["double_booking_rate_term"] == pytest.approx(np.log(11 / 13))
    # short audits: QMS peers' mean log hours (6 log 8 + log 4 + log 32) / 8 = 25/8 log 2; X's sum of
    # (peer - own) = 4 x 25/8 log 2 - (3 + 3 + 2 + 3) log 2 = 1.5 log 2, shrunk over 4 + 20 audits
    assert x["short_audit_index"] == pytest.approx(1.5 * LOG2 / 24)  # 0.0433
    assert y["short_audit_index"] == pytest.approx(-1.5 * LOG2 / 24)  # the population's sum is zero
    # audit days per working day: X 4 days, Y 1 + 1 + 2 + 1 = 5 days, over 250 working days
    assert (x["audits_per_day"], y["audits_per_day"]) == (pytest.approx(4 / 250), pytest.approx(5 / 250))
    assert x["audits_per_day_term"] == 0.0  # within what one person can attend
    assert (x["n_bodies"], x["bodies"], y["n_bodies"], y["bodies"]) == (2, "B1;B2", 1, "B1")
    assert x["n_bodies_term"] == pytest.approx(LOG2)
    # score: log(84/71) twice (missing, double) + log(162/137) twice (late, far) + 1.5 log 2 / 24 + log 2 = 1.408
    score = 2 * np.log(84 / 71) + 2 * np.log(162 / 137) + 1.5 * LOG2 / 24 + LOG2
    assert x["score"] == pytest.approx(score)
    assert not table["high_risk"].any()


def test_a_record_counts_once_complete_and_within_twelve_months():
    late_checkout = _audit(9, "Y", "B1", "2025-12-31 09:00", 8)
    late_checkout["checkout_at"] = pd.Timestamp("2026-01-02 09:00")  # complete only after the as-of date
    old = _audit(10, "X", "B3", "2024-12-20 09:00", 8, checkin=False)  # complete before the 12 months
    table = auditor_indicators({"audits": _audits([*TWO.to_dict("records"), late_checkout, old])}, AS_OF)
    expected = auditor_indicators({"audits": TWO}, AS_OF)
    pd.testing.assert_frame_equal(table, expected)


def _many(x_bodies: list[str]) -> pd.DataFrame:
    """X: 10 weekly 4 h audits without check-in over ``x_bodies``; nine clean auditors: 10 weekly 8 h audits at B1."""
    mondays = pd.date_range("2025-02-03 09:00", periods=10, freq="7D")
    rows = [_audit(i, "X", x_bodies[i % len(x_bodies)], d, 4, checkin=False) for i, d in enumerate(mondays)]
    for j in range(9):
        rows += [_audit(100 + 10 * j + i, f"Y{j}", "B1", d + pd.Timedelta(days=1), 8) for i, d in enumerate(mondays)]
    return _audits(rows)


def test_the_high_risk_rule_by_hand():
    """Missing check-ins: population 10/100, so c = 20 x 0.1 = 2; X's 10 against E expected at the others'
    rates: at B1 the clean auditors' (0 + 2) / (90 + 20) = 1/55, at a body of X's alone 0.1. Short audits:
    peers' mean log hours (10 log 4 + 90 log 8) / 100 = 2.9 log 2, X's sum 10 x 0.9 log 2, shrunk over 30:
    0.3 log 2. Late, far and double: no anomaly at all, (0 + 1) / (0 + 1), no term.
    One body: E = 10/55, (10 + 2) / (2/11 + 2) = 5.5; score log 5.5 + 0.3 log 2 = 1.913, not high-risk.
    Two bodies (5 audits each): E = 5/55 + 0.5 = 13/22, 12 / (13/22 + 2) = 88/19; + log 2: 2.434, high-risk.
    Three (4, 3, 3): E = 4/55 + 0.6 = 37/55, 12 / (37/55 + 2) = 220/49; + log 3: 2.808."""
    one = _row(auditor_indicators({"audits": _many(["B1"])}, AS_OF), "X")
    assert one["missing_checkin_rate_term"] == pytest.approx(np.log(5.5))
    assert one["short_audit_index_term"] == pytest.approx(0.3 * LOG2)
    assert one[["late_checkin_rate_term", "far_checkin_rate_term", "double_booking_rate_term"]].eq(0).all()
    assert one["score"] == pytest.approx(np.log(5.5) + 0.3 * LOG2)
    assert one["score"] < AUDITOR_HIGH_RISK_SCORE and not one["high_risk"]
    two = _row(auditor_indicators({"audits": _many(["B1", "B2"])}, AS_OF), "X")
    assert two["score"] == pytest.approx(np.log(88 / 19) + 0.3 * LOG2 + LOG2)
    assert two["high_risk"]
    three = _row(auditor_indicators({"audits": _many(["B1", "B2", "B3"])}, AS_OF), "X")
    assert three["missing_checkin_rate_term"] == pytest.approx(np.log(220 / 49))
    assert three["score"] == pytest.approx(np.log(220 / 49) + 0.3 * LOG2 + np.log(3.0))


def _tables(audits: pd.DataFrame) -> dict[str, pd.DataFrame]:
    names = ["bodies", "inspections", "signals", "audits", "certificates", "inspectors", "conflicts"]
    tables = {n: empty_table(n) for n in names}
    ids = ["B1", "B2", "B3", "B4"]
    tables["bodies"] = pd.DataFrame(
        {
            "body_id": pd.Series(ids, dtype="str"),
            "name": pd.Series(ids, dtype="str"),
            "province": pd.Series(["11"] * 4, dtype="str"),
            "approved_on": pd.to_datetime(["2015-01-01"] * 4).as_unit("ns"),
            "ccc_designated": [False] * 4,
            "accredited": [True] * 4,
            "status": pd.Series(["active"] * 4, dtype="str"),
            "fields": pd.Series(["QMS"] * 4, dtype="str"),
        }
    )
    tables["audits"] = audits
    return tables


def test_the_body_feature_is_the_share_of_audits_by_high_risk_auditors():
    # X (high-risk with three bodies) did audits 0, 3, 6, 9 at B1, 1, 4, 7 at B2, 2, 5, 8 at B3; the nine
    # clean auditors 90 audits at B1; B4 has no audit
    tables = _tables(_many(["B1", "B2", "B3"]))
    panel = build_feature_panel(tables, ["B1", "B2", "B3", "B4"], [AS_OF])
    assert panel["high_risk_auditor_share"].tolist() == pytest.approx([4 / 94, 1.0, 1.0, 0.0])
    # a year earlier none of it was known yet; at one body X is not high-risk
    assert build_feature_panel(tables, ["B2"], ["2025-01-01"])["high_risk_auditor_share"].tolist() == [0.0]
    one = build_feature_panel(_tables(_many(["B1"])), ["B1", "B2"], [AS_OF])
    assert one["high_risk_auditor_share"].tolist() == [0.0, 0.0]


def test_the_list_ranks_explains_and_keeps_the_high_risk_by_default():
    audits = _many(["B1", "B2", "B3"])
    ranked = auditor_list({"audits": audits}, AS_OF, high_risk_only=False)
    assert ranked["rank"].tolist() == list(range(1, 11))
    assert ranked["score"].is_monotonic_decreasing
    assert ranked.loc[0, "auditor id"] == "X" and ranked.loc[0, "bodies audited for"] == "B1;B2;B3"
    # the clean auditors tie: by id
    assert ranked["auditor id"].tolist()[1:] == [f"Y{j}" for j in range(9)]
    assert ranked.loc[0, "reasons"] == (
        "no check-in on 40.0% of audits (4.5 x the other auditors of the same bodies); audits for 3 bodies "
        "(B1, B2, B3); "
        "audits 19% shorter than peers of the same scheme"  # 1 - exp(-0.3 log 2) = 1 - 2^-0.3
    )
    assert ranked.loc[1, "reasons"] == "no indicator stands out"
    only = auditor_list({"audits": audits}, AS_OF)
    assert only["auditor id"].tolist() == ["X"]
    zh = auditor_list({"audits": audits}, AS_OF, lang="zh")
    assert list(zh.columns[:5]) == ["排序", "审核员编号", "高风险", "风险分值", "原因"]
    assert zh.loc[0, "原因"].startswith(
        "未签到审核占40.0%（为同机构其他审核员的4.5倍）；为3家认证机构审核（B1, B2, B3）"
    )
    # no audit in the window: an empty list with the same headers
    empty = auditor_list({"audits": audits}, "2024-01-01", lang="zh", high_risk_only=False)
    assert empty.empty and list(empty.columns) == list(zh.columns)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="`lang` must be 'en' or 'zh'; got 'fr'"):
        auditor_list({"audits": TWO}, AS_OF, lang="fr")
    with pytest.raises(ValueError, match="`lang` must be 'en' or 'zh'; got 'de'"):
        auditor_reasons(pd.Series(dtype=float), lang="de")


@pytest.fixture(scope="module")
def ranked_small(world_small):
    ranked = auditor_list(world_small.tables(), world_small.as_of, high_risk_only=False)
    truth = world_small.truth()["auditors"].rename(columns={"body_id": "home_body_id"})
    return ranked.merge(truth, left_on="auditor id", right_on="auditor_id")


def test_the_ranking_finds_the_skippers_of_a_small_world(ranked_small):
    """About 500 auditors, 23 of them skippers. Under chance the AUC has a standard error of
    sqrt((n1 + n0 + 1) / (12 n1 n0)) = 0.062 (Mann-Whitney); 0.81 is 5 of them above 0.5. Measured 0.994."""
    skip = ranked_small["skipper"].to_numpy()
    n1, n0 = skip.sum(), (~skip).sum()
    assert n1 >= 15, n1
    se = np.sqrt((n1 + n0 + 1) / (12 * n1 * n0))
    assert roc_auc_score(skip, ranked_small["score"]) > 0.5 + 5 * se
    # the top 10 hold far more skippers than chance (4.5 %): at least 5 (binomial tail < 1e-4 by chance)
    assert skip[:10].sum() >= 5


def test_simulated_auditors_skip_lend_names_and_work_for_several_bodies(world_small):
    audits, truth = world_small.tables()["audits"], world_small.truth()["auditors"]
    assert set(audits["auditor_id"]) <= set(truth["auditor_id"])
    named = audits.merge(truth.rename(columns={"body_id": "home_body_id"}), on="auditor_id")
    # an auditor lending a name appears in the audits of the second body
    lent = named[named["second_body_id"] != ""]
    assert (lent["body_id"] == lent["second_body_id"]).any()
    assert (audits.groupby("auditor_id")["body_id"].nunique() > 1).sum() >= 5
    # skippers' audits miss check-ins far more often: the others' rate and a 4-sigma binomial margin
    miss = named["checkin_at"].isna()
    others = miss[~named["skipper"]].mean()
    skippers = miss[named["skipper"]]
    assert skippers.mean() > others + 4 * np.sqrt(others * (1 - others) / len(skippers))


def _rows(audits: pd.DataFrame) -> np.ndarray:
    """One hash per audit of everything but its id (ids follow the order of the start times)."""
    return pd.util.hash_pandas_object(audits.drop(columns="audit_id"), index=False).to_numpy()


def test_the_auditors_traits_leave_the_other_audits_as_they_were(world_small, monkeypatch):
    """The traits come from streams of their own. With no skipper and no lent name (the simulator as it
    was before them), every audit named on an auditor who neither skips nor lends is there unchanged;
    only the audits picked for a lent name leave their auditor."""
    import simulator.auditors as traits

    monkeypatch.setattr(traits, "SKIPPER_SHARE", 0.0)
    monkeypatch.setattr(traits, "LEND_PROB", {True: 0.0, False: 0.0})
    before = generate_world(scale=0.02, seed=11).tables()["audits"]
    truth = world_small.truth()["auditors"]
    plain = truth.loc[~truth["skipper"] & (truth["second_body_id"] == ""), "auditor_id"]
    now = world_small.tables()["audits"]
    kept = _rows(now[now["auditor_id"].isin(plain)])
    assert np.isin(kept, _rows(before[before["auditor_id"].isin(plain)])).all()
    assert len(kept) > 0.9 * len(before)
    # the check can fail: the audits of the skippers did change
    skippers = truth.loc[truth["skipper"], "auditor_id"]
    assert not np.isin(_rows(now[now["auditor_id"].isin(skippers)]), _rows(before)).all()


def _alike(n_auditors: int, per: int, rates: tuple[float, float, float, float], seed: int = 3) -> pd.DataFrame:
    """Auditors alike, ten to a body, 8 h audits 5 days apart: no check-in, late and far (of the checked-in)
    and double booked (1 h into the previous audit) at ``rates``."""
    rng = np.random.default_rng(seed)
    n = n_auditors * per
    a, k = np.repeat(np.arange(n_auditors), per), np.tile(np.arange(per), n_auditors)
    start = pd.Timestamp("2025-01-06 09:00") + pd.to_timedelta(5 * k, unit="D")
    double = (k > 0) & (rng.uniform(size=n) < rates[3])
    start = pd.DatetimeIndex(np.where(double, np.roll(start, 1) + pd.Timedelta(hours=1), start))
    missing, late, far = (rng.uniform(size=(3, n)).T < rates[:3]).T
    frame = pd.DataFrame(
        {
            "audit_id": "A" + pd.Series(np.arange(n)).astype(str),
            "body_id": "B" + pd.Series(a // 10).astype(str),
            "auditor_id": "X" + pd.Series(a).astype(str),
            "org_id": "O" + pd.Series(np.arange(n)).astype(str),
            "scheme": "QMS",
            "planned_start": start,
            "planned_end": start + pd.Timedelta(hours=8),
            "checkin_at": pd.Series(start + pd.to_timedelta(3.0 * late, unit="h")).where(~missing),
            "checkout_at": start + pd.Timedelta(hours=8),
            "checkin_distance_km": np.where(missing, np.nan, np.where(far, 6.0, 1.0)),
            "remote": False,
        }
    )
    return _audits(frame)


# the population rates of the simulated national system, and rarer anomalies
@pytest.mark.parametrize("rates", [(0.06, 0.057, 0.043, 0.033), (0.02, 0.02, 0.01, 0.005)])
def test_auditors_alike_are_rarely_high_risk(rates):
    """The threshold 2.3 (about log 10) against chance: 600 auditors of 60 audits whose anomalies all come at
    the same rates. The benchmark's null (20,000 auditors) flags 0.06-0.27 %; here at most 1 % (3 binomial sigma
    above 0.2 % is 0.75 %), where a threshold of log 3 would flag a few per cent."""
    table = auditor_indicators({"audits": _alike(600, 60, rates)}, AS_OF)
    assert len(table) == 600
    assert table["high_risk"].mean() <= 0.01
    assert (table["score"] >= np.log(3.0)).mean() > 0.02
