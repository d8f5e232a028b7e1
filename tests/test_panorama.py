"""The panoramic profile: percentiles, abnormal flags in the risky direction, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from features.build import build_features
from features.dictionary import SPECS
from features.panorama import panoramic_profile


@pytest.fixture(scope="module")
def table(world_small):
    return build_features(world_small.tables(), world_small.as_of)


def test_one_row_per_feature_with_percentiles(table):
    body = table["body_id"].iloc[0]
    profile = panoramic_profile(table, body)
    assert len(profile) == len(SPECS)
    assert profile["percentile"].between(0, 100).all()
    row = profile.set_index("feature").loc["age_years"]
    ages = table["age_years"].to_numpy()
    own = table.loc[table["body_id"] == body, "age_years"].iloc[0]
    expected = 100 * ((ages < own).sum() + 0.5 * (ages == own).sum()) / len(ages)  # mid-rank, by hand
    assert row["percentile"] == pytest.approx(round(expected, 1))


def test_the_extreme_body_is_flagged_and_an_ordinary_one_is_not(table):
    t = table.copy()
    t.loc[0, "missing_checkout_rate"] = 0.9  # far beyond every peer
    flagged = panoramic_profile(t, t.loc[0, "body_id"]).set_index("feature")
    assert flagged.loc["missing_checkout_rate", "abnormal"]
    assert "audits without sign-out: 90.0%" in flagged.loc["missing_checkout_rate", "note"]
    assert "higher than 9" in flagged.loc["missing_checkout_rate", "note"]
    t.loc[0, "missing_checkout_rate"] = t["missing_checkout_rate"].median()
    assert not panoramic_profile(t, t.loc[0, "body_id"]).set_index("feature").loc["missing_checkout_rate", "abnormal"]


def test_low_values_flagged_only_where_low_means_risk(table):
    t = table.copy()
    t.loc[1, "age_years"] = 0.01  # brand new: age has direction -1
    t.loc[1, "audits_12m"] = 0  # no direction: never flagged
    prof = panoramic_profile(t, t.loc[1, "body_id"]).set_index("feature")
    assert prof.loc["age_years", "abnormal"] and "lower than" in prof.loc["age_years", "note"]
    assert not prof.loc["audits_12m", "abnormal"]
    # abnormal rows come first
    full = panoramic_profile(t, t.loc[1, "body_id"])
    assert full["abnormal"].to_numpy().tolist() == sorted(full["abnormal"].to_numpy().tolist(), reverse=True)


def test_chinese_labels(table):
    t = table.copy()
    t.loc[0, "far_checkin_rate"] = 0.8
    prof = panoramic_profile(t, t.loc[0, "body_id"], lang="zh").set_index("feature")
    assert prof.loc["far_checkin_rate", "label"] == "签到距离超5公里比例"
    assert "同行中位数" in prof.loc["far_checkin_rate", "note"]


def test_errors(table):
    with pytest.raises(ValueError, match="`lang` must be 'en' or 'zh'; got 'fr'"):
        panoramic_profile(table, table["body_id"].iloc[0], lang="fr")
    with pytest.raises(ValueError, match="body 'NOPE' is not in the feature table"):
        panoramic_profile(table, "NOPE")
    two_dates = pd.concat([table, table.assign(as_of=table["as_of"] - pd.Timedelta(days=1))])
    with pytest.raises(ValueError, match="`features` must hold one as-of date"):
        panoramic_profile(two_dates, table["body_id"].iloc[0])
