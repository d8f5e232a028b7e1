"""Certificate activity: size, growth and bursts of issuance, suspensions,
withdrawals and expiries. The table is a snapshot, so a certificate's status
before its status_changed_on is taken to be valid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codes import CERT_ENDED_EARLY
from ..dictionary import YEAR
from ..rules import certificate_end
from ..tables import Tables
from ..timeline import EventIndex
from .queries import Queries

QUARTER = 91


def _valid_on(certs: pd.DataFrame, groups: np.ndarray, q: Queries) -> np.ndarray:
    """Certificates of each query's body valid at its time: issued before it, not yet ended."""
    issued = EventIndex(groups, certs["issued_on"].to_numpy())
    ended = EventIndex(groups, certificate_end(certs))
    return issued.count(q.body, q.time) - ended.count(q.body, q.time)


def certificate_features(tables: Tables, q: Queries) -> dict[str, np.ndarray]:
    """Certificate features of every query (see the certificates family of the feature dictionary)."""
    certs = tables["certificates"]
    groups = q.groups(certs["body_id"])
    valid = _valid_on(certs, groups, q)
    issued = EventIndex(groups, certs["issued_on"].to_numpy())
    g, t = q.body, q.time
    quarters = np.stack([issued.count(g, t - np.timedelta64(k * QUARTER, "D"), QUARTER) for k in range(8)])
    last_year, year_before = quarters[:4].sum(axis=0), quarters[4:].sum(axis=0)
    status = certs["status"].to_numpy()
    changed = EventIndex(groups, certs["status_changed_on"].to_numpy())
    ended_early = certs["status"].isin(CERT_ENDED_EARLY).to_numpy()  # these ended before their expiry
    expired = EventIndex(np.where(ended_early, -1, groups), certs["expires_on"].to_numpy())
    suspended = changed.window_sum(status == "suspended", g, t, YEAR)
    withdrawn = changed.window_sum(status == "withdrawn", g, t, YEAR)
    expiries = expired.count(g, t, YEAR)
    exposure = valid + suspended + withdrawn + expiries + 1  # the stock these could happen to
    return {
        "log_valid_certs": np.log1p(valid),
        "issuance_growth": np.log((last_year + 5) / (year_before + 5)),
        "issuance_burst": quarters[:4].max(axis=0) / (quarters.mean(axis=0) + 1),
        "suspension_rate_12m": suspended / exposure,
        "withdrawal_rate_12m": withdrawn / exposure,
        "expiry_churn_12m": expiries / exposure,
    }
