"""Each feature family on small hand-made tables with answers worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.build import build_feature_panel
from features.dictionary import RATE_PSEUDO_AUDITS, SERIOUS_PSEUDO_INSPECTIONS
from features.loading import empty_table

AS_OF = pd.Timestamp("2026-01-01")
T = pd.Timestamp


def _tables(**frames) -> dict[str, pd.DataFrame]:
    names = ["bodies", "inspections", "signals", "audits", "certificates", "inspectors", "conflicts"]
    tables = {n: empty_table(n) for n in names}
    tables["bodies"] = pd.DataFrame(
        {
            "body_id": pd.Series(["B1", "B2"], dtype="str"),
            "name": pd.Series(["one", "two"], dtype="str"),
            "province": pd.Series(["11", "44"], dtype="str"),
            "approved_on": pd.to_datetime(["2025-07-01", "2010-01-01"]).as_unit("ns"),
            "ccc_designated": [False, True],
            "accredited": [False, True],
            "status": pd.Series(["active", "active"], dtype="str"),
            "fields": pd.Series(["QMS;ORGANIC", "PRODUCT;CCC"], dtype="str"),
        }
    )
    for name, frame in frames.items():
        base = empty_table(name)
        tables[name] = pd.concat([base, frame.astype({c: base[c].dtype for c in frame.columns})], ignore_index=True)
    return tables


def _audit(auditor, org, start, hours, checkin=True, checkout=True, km=0.5, late_h=0.0, body="B1", scheme="QMS"):
    start = T(start)
    return {
        "audit_id": f"A{auditor}{org}{start:%m%d%H}",
        "body_id": body,
        "auditor_id": auditor,
        "org_id": org,
        "scheme": scheme,
        "planned_start": start,
        "planned_end": start + pd.Timedelta(hours=hours),
        "checkin_at": start + pd.Timedelta(hours=late_h) if checkin else pd.NaT,
        "checkout_at": start + pd.Timedelta(hours=hours) if checkout else pd.NaT,
        "checkin_distance_km": km,
        "remote": False,
    }


def _features(tables, body="B1"):
    return build_feature_panel(tables, [body], [AS_OF]).iloc[0]


def test_profile_of_a_new_organic_body():
    f = _features(_tables())
    assert f["age_years"] == pytest.approx(184 / 365.25)  # 2025-07-01 .. 2026-01-01
    assert f["newly_approved"] == 1 and f["ccc_designated"] == 0
    assert f["high_risk_fields"] == 2 and f["field_organic"] == 1 and f["n_fields"] == 2


def test_double_booking_needs_overlap_and_another_organisation():
    audits = pd.DataFrame(
        [
            _audit("X", "O1", "2025-06-02 09:00", 16),
            _audit("X", "O2", "2025-06-02 13:00", 4),  # overlaps O1: double booked
            _audit("X", "O2", "2025-06-10 09:00", 8),
            _audit("X", "O2", "2025-06-10 10:00", 2),  # overlaps, same organisation: not double
            _audit("Y", "O3", "2025-06-02 09:00", 8, body="B2"),
        ]
    )
    f = _features(_tables(audits=pd.DataFrame(audits)))
    # 1 of B1's 4 audits is double booked; population: 1 of 5 audits
    expected = (1 + RATE_PSEUDO_AUDITS * 1 / 5) / (4 + RATE_PSEUDO_AUDITS)
    assert f["double_booking_rate"] == pytest.approx(expected)
    assert f["audits_12m"] == 4


def test_missing_far_and_late_checkins():
    audits = pd.DataFrame(
        [
            _audit("X", "O1", "2025-03-03 09:00", 8, checkin=False),
            _audit("X", "O2", "2025-04-03 09:00", 8, km=6.0),
            _audit("X", "O3", "2025-05-03 09:00", 8, late_h=3.0),
            _audit("X", "O4", "2025-06-03 09:00", 8, checkout=False, km=np.nan),
            _audit("Y", "O5", "2025-06-03 09:00", 8, body="B2"),
        ]
    )
    f = _features(_tables(audits=audits))
    shrink = lambda k, n, pk, pn: (k + RATE_PSEUDO_AUDITS * pk / pn) / (n + RATE_PSEUDO_AUDITS)  # noqa: E731
    assert f["missing_checkin_rate"] == pytest.approx(shrink(1, 4, 1, 5))
    assert f["missing_checkout_rate"] == pytest.approx(shrink(1, 4, 1, 5))
    assert f["far_checkin_rate"] == pytest.approx(shrink(1, 3, 1, 4))  # unknown distance left out
    assert f["late_checkin_rate"] == pytest.approx(shrink(1, 3, 1, 4))  # missing check-in left out


def test_audits_shorter_than_peers_of_the_scheme():
    audits = pd.DataFrame(
        [
            _audit("X", "O1", "2025-03-03 09:00", 4),
            _audit("Y", "O2", "2025-03-03 09:00", 16, body="B2"),
        ]
    )
    f = _features(_tables(audits=audits))
    peer = (np.log(4) + np.log(16)) / 2  # mean log hours of QMS audits
    assert f["short_audit_index"] == pytest.approx(peer - np.log(4))  # log(8/4) > 0: shorter than peers


def test_inspection_history_shrinks_toward_the_population_rate():
    ins = pd.DataFrame(
        {
            "inspection_id": ["I1", "I2", "I3"],
            "body_id": ["B1", "B2", "B2"],
            "inspected_on": pd.to_datetime(["2025-09-01", "2024-05-01", "2025-02-01"]),
            "kind": ["random", "random", "complaint"],
            "inclusion_prob": [0.5, 0.25, np.nan],
            "draw_id": ["D1", "D0", pd.NA],
            "inspector_ids": ["I1;I2", "I3;I4", "I1;I3"],
            "outcome": ["severe", "none", "major"],
            "findings": [4, 0, 2],
            "certs_checked": [10, 10, 5],
            "certs_with_problems": [4, 0, 1],
        }
    )
    f = _features(_tables(inspections=ins))
    # population rate from random inspections, weighted by 1/pi: (2*1 + 4*0) / (2 + 4)
    p0 = 2 / 6
    assert f["serious_rate_eb"] == pytest.approx(
        (1 + SERIOUS_PSEUDO_INSPECTIONS * p0) / (1 + SERIOUS_PSEUDO_INSPECTIONS)
    )
    assert f["last_outcome_level"] == 3 and f["serious_count_3y"] == 1
    assert f["years_uninspected"] == pytest.approx(122 / 365.25)
    r0 = (2 * 4 + 4 * 0) / (2 * 10 + 4 * 10)
    assert f["problem_cert_rate_eb"] == pytest.approx((4 + 20 * r0) / (10 + 20))
    g = _features(_tables(inspections=ins), body="B2")
    assert g["complaint_inspections_3y"] == 1 and g["n_inspections"] == 2


def test_signals_windows_decay_and_flags():
    sig = pd.DataFrame(
        {
            "signal_id": ["S1", "S2", "S3", "S4"],
            "body_id": ["B1", "B1", "B1", "B1"],
            "observed_on": pd.to_datetime(["2025-12-02", "2024-06-01", "2025-07-05", "2022-01-01"]),
            "kind": ["complaint", "complaint", "blacklist", "unreachable"],
            "severity": [2, 3, 3, 3],
        }
    )
    f = _features(_tables(signals=sig))
    assert f["complaints_12m"] == 1  # the 2024 complaint is outside the window
    assert f["blacklisted_3y"] == 1 and f["unreachable_12m"] == 0
    decayed = 2 * np.exp(-30 / 180) + 3 * np.exp(-579 / 180) + 3 * np.exp(-180 / 180)
    assert f["signals_decayed"] == pytest.approx(decayed)
    assert f["high_severity_12m"] == 1


def test_certificate_stock_and_rates():
    certs = pd.DataFrame(
        {
            "cert_id": ["C1", "C2", "C3", "C4"],
            "body_id": ["B1"] * 4,
            "org_id": ["O1", "O2", "O3", "O4"],
            "scheme": ["QMS"] * 4,
            "issued_on": pd.to_datetime(["2025-08-01", "2025-08-01", "2025-09-01", "2022-09-01"]),
            "expires_on": pd.to_datetime(["2028-07-31", "2028-07-31", "2028-08-31", "2025-08-31"]),
            "status": ["valid", "withdrawn", "suspended", "expired"],
            "status_changed_on": pd.to_datetime([None, "2025-10-01", "2026-02-01", "2025-08-31"]),
        }
    )
    f = _features(_tables(certificates=certs))
    # valid on 2026-01-01: C1 and C3 (suspended only later); C2 withdrawn, C4 expired
    assert f["log_valid_certs"] == pytest.approx(np.log1p(2))
    exposure = 2 + 1 + 1 + 1  # valid + withdrawn + expired in 12 months + 1
    assert f["withdrawal_rate_12m"] == pytest.approx(1 / exposure)
    assert f["suspension_rate_12m"] == 0  # suspension after the as-of date is not known yet
    assert f["expiry_churn_12m"] == pytest.approx(1 / exposure)
    assert f["issuance_growth"] == pytest.approx(np.log((3 + 5) / (0 + 5)))
