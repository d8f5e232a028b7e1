"""Features as of t use only records dated before t: the full snapshot and the
snapshot as it stood on t give identical features, and adding or changing any
record dated on or after t changes nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from features.build import FEATURE_SCHEMA, build_feature_panel, build_features
from features.dictionary import FEATURE_NAMES, feature_dictionary


@pytest.fixture(scope="module")
def world(world_small):
    return world_small


@pytest.mark.parametrize("months_back", [1, 7, 20])
def test_full_snapshot_equals_the_snapshot_as_it_stood(world, months_back):
    t = world.as_of - pd.DateOffset(months=months_back)
    now = build_features(world.tables(), t)
    then = build_features(world.tables(t), t)
    pdt.assert_frame_equal(now, then)


def _future_junk(tables: dict[str, pd.DataFrame], t: pd.Timestamp, rng) -> dict[str, pd.DataFrame]:
    """Copies of random rows moved to dates on or after t, with fresh ids and scrambled values."""
    out = {}
    late = lambda n: t + pd.to_timedelta(rng.integers(0, 400, n), unit="D")  # noqa: E731
    for name, frame in tables.items():
        extra = frame.sample(n=min(len(frame), 50), random_state=1, replace=False).copy()
        if name == "inspections":
            extra["inspected_on"] = late(len(extra))
            extra["outcome"] = "severe"
            extra["findings"] = 5
        elif name == "signals":
            extra["observed_on"] = late(len(extra))
            extra["severity"] = 3
        elif name == "audits":
            extra["planned_start"] = late(len(extra))
            extra["planned_end"] = extra["planned_start"] + pd.Timedelta(hours=1)
            extra["checkin_at"] = pd.NaT
            extra["checkout_at"] = pd.NaT
            extra["checkin_distance_km"] = 99.0
        elif name == "certificates":
            extra["issued_on"] = late(len(extra))
            extra["expires_on"] = extra["issued_on"] + pd.Timedelta(days=30)
            extra["status"] = "withdrawn"
            extra["status_changed_on"] = extra["issued_on"] + pd.Timedelta(days=1)
        else:
            out[name] = frame
            continue
        id_col = frame.columns[0]
        extra[id_col] = [f"LATE{i}" for i in range(len(extra))]
        out[name] = pd.concat([frame, extra], ignore_index=True)
    return out


def test_records_dated_on_or_after_t_change_nothing(world):
    t = world.as_of - pd.DateOffset(months=5)
    tables = world.tables(t)
    before = build_features(tables, t)
    after = build_features(_future_junk(tables, t, np.random.default_rng(0)), t)
    pdt.assert_frame_equal(before, after)
    # ...while the same junk dated just before t does change them (the test can fail)
    early = build_features(_future_junk(tables, t - pd.Timedelta(days=400), np.random.default_rng(0)), t)
    assert not early[list(FEATURE_NAMES)].equals(before[list(FEATURE_NAMES)])


def test_panel_equals_one_date_at_a_time(world):
    bodies = world.tables()["bodies"]["body_id"].iloc[:6].tolist()
    dates = pd.to_datetime(["2024-03-01", "2025-07-15", "2026-09-30"])
    ids = [b for b in bodies for _ in dates]
    when = [d for _ in bodies for d in dates]
    panel = build_feature_panel(world.tables(), ids, when).set_index(["body_id", "as_of"])
    for d in dates:
        single = build_feature_panel(world.tables(), bodies, [d]).set_index(["body_id", "as_of"])
        pdt.assert_frame_equal(panel.loc[single.index], single)


def test_output_is_validated_and_documented(world):
    table = build_features(world.tables(), world.as_of)
    FEATURE_SCHEMA.validate(table)
    assert list(table.columns) == ["body_id", "as_of", *FEATURE_NAMES]
    dictionary = feature_dictionary()
    assert dictionary["name"].tolist() == list(FEATURE_NAMES)
    assert dictionary[["label_en", "label_zh", "definition", "window"]].map(len).gt(0).all().all()
    assert table[list(FEATURE_NAMES)].notna().all().all()


def test_unknown_body_is_refused(world):
    with pytest.raises(ValueError, match="`body_ids` must exist in bodies; unknown: \\['NOPE'\\]"):
        build_feature_panel(world.tables(), ["NOPE"], ["2026-01-01"])


def test_far_future_signals_do_not_move_decayed_sums(world):
    """Regression: a decayed sum once shared one running sum with exp(+age) weights
    for events after the as-of date, so a signal 20 years later changed it."""
    t = world.as_of - pd.DateOffset(months=3)
    tables = world.tables(t)
    before = build_features(tables, t)
    far = tables["signals"].iloc[:5].copy()
    far["signal_id"] = [f"FAR{i}" for i in range(5)]
    far["observed_on"] = t + pd.DateOffset(years=20)
    moved = dict(tables, signals=pd.concat([tables["signals"], far], ignore_index=True))
    after = build_features(moved, t)
    np.testing.assert_array_equal(before["signals_decayed"].to_numpy(), after["signals_decayed"].to_numpy())
