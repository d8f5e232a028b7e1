"""The shared domain rules of features.rules, at their edges, and the features that use them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from minimal_data import AS_OF, minimal_frames

from features.build import build_features
from features.rules import (
    ALERT_MONTHS,
    NEW_YEARS,
    alerted_bodies,
    certificate_end,
    is_serious,
    newly_approved,
    valid_certificates,
)

DAY = pd.Timedelta(days=1)


def _dates(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts))).astype("datetime64[ns]")


# ------------------------------------------------------- valid certificates

CERTS = pd.DataFrame(
    [  # (case, issued_on, expires_on, status, status_changed_on, valid on 2026-10-01)
        ("valid", "2025-01-01", "2027-01-01", "valid", None, True),
        ("expired the day before", "2023-01-01", "2026-09-30", "expired", "2026-09-30", False),
        ("expires on the as-of day", "2023-10-02", "2026-10-01", "valid", None, True),
        ("suspended before the as-of day", "2024-01-01", "2027-01-01", "suspended", "2026-06-01", False),
        ("suspended on the as-of day", "2024-01-01", "2027-01-01", "suspended", "2026-10-01", True),
        ("suspended after the as-of day", "2024-01-01", "2027-01-01", "suspended", "2026-11-01", True),
        ("withdrawn before the as-of day", "2024-01-01", "2027-01-01", "withdrawn", "2025-02-17", False),
        ("withdrawn without a date", "2024-01-01", "2027-01-01", "withdrawn", None, True),
        ("suspended without a date, expired", "2020-01-01", "2023-01-01", "suspended", None, False),
        ("issued on the as-of day", "2026-10-01", "2029-09-30", "valid", None, False),
        ("issued the day before", "2026-09-30", "2029-09-29", "valid", None, True),
        ("issued after the as-of day", "2026-12-01", "2029-11-30", "valid", None, False),
    ],
    columns=["case", "issued_on", "expires_on", "status", "status_changed_on", "expected"],
)


def _certs() -> pd.DataFrame:
    certs = CERTS.copy()
    for column in ("issued_on", "expires_on", "status_changed_on"):
        certs[column] = _dates(*certs[column])
    return certs


@pytest.mark.parametrize("row", range(len(CERTS)), ids=list(CERTS["case"]))
def test_valid_certificates_by_case(row):
    valid = valid_certificates(_certs(), pd.Timestamp(AS_OF))
    assert valid[row] == CERTS["expected"][row]


def test_valid_certificates_is_a_mask_over_the_table():
    valid = valid_certificates(_certs(), pd.Timestamp(AS_OF))
    assert valid.dtype == bool and valid.tolist() == CERTS["expected"].tolist()


def test_certificate_end():
    end = certificate_end(_certs())
    by_case = dict(zip(CERTS["case"], pd.to_datetime(end)))
    assert by_case["valid"] == pd.Timestamp("2027-01-01 00:00:01")  # through the expiry day
    assert by_case["suspended before the as-of day"] == pd.Timestamp("2026-06-01")
    assert by_case["withdrawn without a date"] == pd.Timestamp("2027-01-01 00:00:01")


# ------------------------------------------------------------------- alerts


def _signals(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["body_id", "observed_on", "kind", "severity"])
    frame["observed_on"] = _dates(*frame["observed_on"])
    return frame


def test_alert_window_starts_exactly_six_months_before():
    as_of = pd.Timestamp(AS_OF)
    start = as_of - pd.DateOffset(months=ALERT_MONTHS)
    signals = _signals(
        [
            ("ON_EDGE", f"{start:%Y-%m-%d}", "risk_alert", 1),
            ("BEFORE_EDGE", f"{start - DAY:%Y-%m-%d}", "risk_alert", 1),
        ]
    )
    assert set(alerted_bodies(signals, as_of)) == {"ON_EDGE"}
    assert f"{start:%Y-%m-%d}" == "2026-04-01"


def test_alert_on_the_as_of_day_is_not_yet_counted():
    as_of = pd.Timestamp(AS_OF)
    signals = _signals(
        [
            ("TODAY", f"{as_of:%Y-%m-%d}", "referral", 1),
            ("YESTERDAY", f"{as_of - DAY:%Y-%m-%d}", "referral", 1),
        ]
    )
    assert set(alerted_bodies(signals, as_of)) == {"YESTERDAY"}


def test_only_complaints_of_severity_three_and_alert_kinds_alert():
    as_of = pd.Timestamp(AS_OF)
    signals = _signals(
        [
            ("COMPLAINT_2", "2026-09-01", "complaint", 2),
            ("COMPLAINT_3", "2026-09-01", "complaint", 3),
            ("PENALTY_3", "2026-09-01", "penalty", 3),
            ("MEDIA_3", "2026-09-01", "media", 3),
            ("RISK_ALERT_1", "2026-09-01", "risk_alert", 1),
        ]
    )
    assert set(alerted_bodies(signals, as_of)) == {"COMPLAINT_3", "RISK_ALERT_1"}


# -------------------------------------------------------- newly approved


def test_newly_approved_just_under_and_just_over_two_years():
    as_of = pd.Timestamp("2026-01-01")
    days = int(NEW_YEARS * 365.25)  # 730: just under two years of 365.25 days
    approved = pd.Series([as_of - days * DAY, as_of - (days + 1) * DAY, as_of - DAY])
    assert newly_approved(approved, as_of).tolist() == [True, False, True]


def test_newly_approved_feature_follows_the_rule():
    frames = minimal_frames()
    seen = []
    for as_of in pd.to_datetime(["2023-06-01", "2024-06-01", "2025-05-05", "2025-05-06", AS_OF]):
        table = build_features(frames, as_of)
        bodies = frames["bodies"].set_index("body_id").loc[table["body_id"]]
        expected = newly_approved(bodies["approved_on"], as_of)
        assert (table["newly_approved"].to_numpy() == 1.0).tolist() == expected.tolist()
        seen.extend(expected)
    assert any(seen) and not all(seen)


# ---------------------------------------------------------------- serious


def test_is_serious():
    outcomes = pd.Series(["none", "general", "major", "severe"])
    assert is_serious(outcomes).tolist() == [0.0, 0.0, 1.0, 1.0]


# ---------------------------------------------- the feature and the draw agree


@pytest.mark.parametrize("as_of", ["2024-06-01", "2025-03-01", "2026-05-01", AS_OF])
def test_valid_certificate_feature_counts_the_valid_certificates(as_of):
    frames = minimal_frames()
    as_of = pd.Timestamp(as_of)
    certs = frames["certificates"]
    table = build_features(frames, as_of)
    counted = np.expm1(table.set_index("body_id")["log_valid_certs"]).round().astype(int)
    valid = certs.loc[valid_certificates(certs, as_of), "body_id"].value_counts()
    expected = valid.reindex(counted.index, fill_value=0).astype(int)
    assert valid.sum() > 0
    pd.testing.assert_series_equal(counted, expected, check_names=False)
