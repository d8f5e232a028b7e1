"""Certificate activity: size, growth and bursts of issuance, suspensions,
withdrawals and expiries. The table is a snapshot, so a certificate's status
before its status_changed_on is taken to be valid."""

from __future__ import annotations

import numpy as np

from ..dictionary import YEAR
from ..timeline import EventIndex
from .queries import Queries

QUARTER = 91


def _valid_on(certs, groups, q: Queries) -> np.ndarray:
    ended_early = certs["status"].isin(["suspended", "withdrawn"]).to_numpy()
    changed = certs["status_changed_on"].to_numpy()
    expiry = certs["expires_on"].to_numpy() + np.timedelta64(1, "s")  # ended once expires_on is past
    end = np.where(ended_early & ~np.isnat(changed), np.minimum(changed, expiry), expiry)
    issued = EventIndex(groups, certs["issued_on"].to_numpy())
    ended = EventIndex(groups, end)
    return issued.count(q.body, q.time) - ended.count(q.body, q.time)


def certificate_features(tables, q: Queries) -> dict[str, np.ndarray]:
    certs = tables["certificates"]
    groups = q.groups(certs["body_id"])
    valid = _valid_on(certs, groups, q)
    issued = EventIndex(groups, certs["issued_on"].to_numpy())
    g, t = q.body, q.time
    quarters = np.stack([
        issued.count(g, t - np.timedelta64(k * QUARTER, "D"), QUARTER) for k in range(8)
    ])
    last_year, year_before = quarters[:4].sum(axis=0), quarters[4:].sum(axis=0)
    status = certs["status"].to_numpy()
    changed = EventIndex(groups, certs["status_changed_on"].to_numpy())
    expired = EventIndex(np.where(status == "suspended", -1, np.where(status == "withdrawn", -1, groups)), certs["expires_on"].to_numpy())
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
