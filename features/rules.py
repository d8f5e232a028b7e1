"""Domain rules shared by the feature builders, the draw and the estimates.

Each rule is written once here, with the words that describe it in a draw
manifest. The simulator keeps rules of its own on purpose (it is the ground
truth the engine is tested against, see ``simulator``).

>>> import pandas as pd
>>> newly_approved(pd.Series(pd.to_datetime(["2025-06-01", "2020-01-01"])), pd.Timestamp("2026-01-01")).tolist()
[True, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import CERT_ENDED_EARLY, SERIOUS_OUTCOMES

__all__ = [
    "ALERT_COMPLAINT_SEVERITY",
    "ALERT_KINDS",
    "ALERT_MONTHS",
    "ALERT_RULE",
    "NEW_YEARS",
    "NEWLY_APPROVED_RULE",
    "BODY_STATUS_RULE",
    "alerted_bodies",
    "body_status",
    "certificate_end",
    "is_serious",
    "newly_approved",
    "PROBLEM_SHARE_RULE",
    "prior_problem_share",
    "valid_certificates",
]

NEW_YEARS = 2.0  # a body approved less than this many years ago is newly approved
NEWLY_APPROVED_RULE = f"approved less than {NEW_YEARS:g} years before the as-of date"

ALERT_MONTHS = 6
ALERT_KINDS = ("risk_alert", "referral")
ALERT_COMPLAINT_SEVERITY = 3
ALERT_RULE = (
    f"{' or '.join(ALERT_KINDS)} signal, or complaint of severity {ALERT_COMPLAINT_SEVERITY}, "
    f"in the last {ALERT_MONTHS} months"
)

_DAYS_PER_YEAR = 365.25


def newly_approved(approved_on: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """True for bodies approved less than :data:`NEW_YEARS` years before ``as_of``."""
    years = (pd.Timestamp(as_of) - pd.to_datetime(approved_on)).dt.days / _DAYS_PER_YEAR
    return (years < NEW_YEARS).to_numpy()


def alerted_bodies(signals: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Ids of the bodies under a monitoring alert on ``as_of`` (see :data:`ALERT_RULE`)."""
    as_of = pd.Timestamp(as_of)
    when = signals["observed_on"]
    recent = signals[(when < as_of) & (when >= as_of - pd.DateOffset(months=ALERT_MONTHS))]
    alert = recent["kind"].isin(ALERT_KINDS) | (
        (recent["kind"] == "complaint") & (recent["severity"] >= ALERT_COMPLAINT_SEVERITY)
    )
    return recent.loc[alert, "body_id"]


BODY_STATUS_RULE = (
    "the status as it stood on the as-of date: the recorded status when status_changed_on is before the as-of "
    "date, empty or absent; active when it is on or after it"
)


def body_status(bodies: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each body's status on ``as_of`` (:data:`BODY_STATUS_RULE`), indexed like ``bodies``.

    The table is a snapshot: a change dated on or after ``as_of`` has not
    happened yet on that date, so the body was still active (as a
    certificate's status before its ``status_changed_on`` is taken to be valid).

    >>> bodies = pd.DataFrame({"status": ["revoked", "suspended", "active"],
    ...                        "status_changed_on": pd.to_datetime(["2024-03-01", None, None])})
    >>> body_status(bodies, pd.Timestamp("2024-03-01")).tolist()
    ['active', 'suspended', 'active']
    >>> body_status(bodies, pd.Timestamp("2024-03-02")).tolist()
    ['revoked', 'suspended', 'active']
    """
    status = bodies["status"].astype("str")
    if "status_changed_on" not in bodies:
        return status
    later = (pd.to_datetime(bodies["status_changed_on"]) >= pd.Timestamp(as_of)).to_numpy(dtype=bool)
    return status.mask(later, "active")


def is_serious(outcomes: pd.Series) -> np.ndarray:
    """1.0 where an inspection found a serious problem (major or severe), else 0.0."""
    return outcomes.isin(SERIOUS_OUTCOMES).to_numpy(dtype=float)


def certificate_end(certs: pd.DataFrame) -> np.ndarray:
    """The moment each certificate stops being valid (datetime64 array).

    A certificate is valid from ``issued_on`` until the end of its expiry day,
    or until ``status_changed_on`` when it was suspended or withdrawn. The
    table is a snapshot, so the status before ``status_changed_on`` is taken
    to be valid; a suspended or withdrawn certificate without a change date
    counts as valid until its expiry.
    """
    ended_early = certs["status"].isin(CERT_ENDED_EARLY).to_numpy()
    changed = certs["status_changed_on"].to_numpy(dtype="datetime64[ns]")
    expiry = certs["expires_on"].to_numpy(dtype="datetime64[ns]") + np.timedelta64(1, "s")
    return np.where(ended_early & ~np.isnat(changed), np.minimum(changed, expiry), expiry)


def valid_certificates(certs: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Mask of the certificates valid on ``as_of``: issued before it and not yet ended (:func:`certificate_end`)."""
    moment = np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns")
    issued = certs["issued_on"].to_numpy(dtype="datetime64[ns]") < moment
    return issued & (certificate_end(certs) >= moment)


PROBLEM_SHARE_RULE = (
    "share of problem certificates among the certificates checked by the random inspections before the as-of "
    "date, in the body's grade (all grades together for a grade without any)"
)


def prior_problem_share(inspections: pd.DataFrame, grade: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Each body's predicted problem share per certificate, fixed before a draw (:data:`PROBLEM_SHARE_RULE`).

    ``grade``: body_id -> grade of the bodies to predict for. NaN for every
    body when no earlier random inspection checked a certificate.

    >>> ins = pd.DataFrame({"body_id": ["B1", "B2", "B3"], "kind": "random",
    ...                     "inspected_on": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-09-01"]),
    ...                     "certs_checked": [10, 5, 4], "certs_with_problems": [2, 3, 4]})
    >>> grade = pd.Series({"B1": "A", "B2": "A", "B3": "D", "B4": "D"})
    >>> prior_problem_share(ins, grade, pd.Timestamp("2026-07-01")).round(4).tolist()
    [0.3333, 0.3333, 0.3333, 0.3333]
    >>> prior_problem_share(ins, grade, pd.Timestamp("2026-10-01")).round(4).tolist()
    [0.3333, 0.3333, 1.0, 1.0]
    """
    ins = inspections[
        (inspections["kind"] == "random") & (inspections["inspected_on"] < as_of) & (inspections["certs_checked"] > 0)
    ]
    sums = ins.assign(grade=ins["body_id"].map(grade)).groupby("grade")[["certs_with_problems", "certs_checked"]].sum()
    checked = float(ins["certs_checked"].sum())
    overall = float(ins["certs_with_problems"].sum()) / checked if checked else float("nan")
    share = sums["certs_with_problems"] / sums["certs_checked"]
    return grade.map(share).astype(float).fillna(overall)
