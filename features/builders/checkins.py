"""Audit check-in anomalies over the last 12 months.

An audit is dated when its record is complete: the latest of its planned end,
check-in and check-out. A double booking is dated when both overlapping audits
are complete, so adding a later record never changes a feature as of an
earlier date. What every audit builder needs of the table (those dates, the
auditors, the double bookings) is computed once, in an :class:`AuditLog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..codes import FIELDS
from ..dictionary import FAR_KM, LATE_HOURS, RATE_PSEUDO_AUDITS, YEAR
from ..tables import Tables
from ..timeline import EventIndex
from .queries import Queries, pooled_rate, shrunk_rate

HOUR = np.timedelta64(1, "h")


def audit_known_at(audits: pd.DataFrame) -> np.ndarray:
    """When each audit record is complete: latest of planned end, check-in, check-out."""
    return np.fmax(
        np.fmax(audits["planned_end"].to_numpy(), audits["checkin_at"].to_numpy()), audits["checkout_at"].to_numpy()
    )


def double_bookings(
    audits: pd.DataFrame, known: np.ndarray, auditor_codes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per audit: booked while the same auditor's earlier audit at another
    organisation was still running; and the date both records were complete.

    ``auditor_codes``: the auditors as integers (any coding), when already at hand.
    """
    if auditor_codes is None:
        auditor_codes = pd.factorize(audits["auditor_id"])[0]  # integers sort far faster than strings
    org_codes = pd.factorize(audits["org_id"])[0]
    start_all = audits["planned_start"].to_numpy()
    order = np.lexsort((start_all, auditor_codes))
    auditor, org, start = auditor_codes[order], org_codes[order], start_all[order]
    same = np.r_[False, auditor[1:] == auditor[:-1]]
    running_end = pd.Series(audits["planned_end"].to_numpy()[order]).groupby(auditor).cummax().to_numpy()
    running_known = pd.Series(known[order]).groupby(auditor).cummax().to_numpy()
    nat = np.datetime64("NaT", "ns")
    prev_end, prev_known = np.r_[nat, running_end[:-1]], np.r_[nat, running_known[:-1]]
    other_org = np.r_[False, org[1:] != org[:-1]]
    flag = same & other_org & (start < prev_end)
    flagged_known = np.where(flag, np.fmax(known[order], prev_known), known[order])
    out_flag, out_known = np.empty(len(order), bool), np.empty(len(order), "datetime64[ns]")
    out_flag[order], out_known[order] = flag, flagged_known
    return out_flag, out_known


@dataclass(frozen=True)
class AuditLog:
    """The audits table with what the audit builders share, computed once (see :meth:`of`)."""

    audits: pd.DataFrame
    body: np.ndarray  # row of each audit's body in the body index (-1: unknown body, ignored)
    ended: np.ndarray  # when each record is complete
    pooled: EventIndex  # every complete audit in one group (population sums)
    auditor: np.ndarray  # each audit's auditor, as an index into auditor_ids
    auditor_ids: pd.Index  # sorted
    double: np.ndarray  # double booked (see double_bookings)
    double_known: np.ndarray  # when the double booking is known (both records complete)
    scheme: np.ndarray  # index into codes.FIELDS (-1: unknown scheme)
    log_hours: np.ndarray  # log of the planned hours (at least a quarter of an hour)

    @classmethod
    def of(cls, audits: pd.DataFrame, body_index: pd.Index) -> AuditLog:
        """Prepare ``audits``; ``body_index`` maps body_id to the row the queries name."""
        ended = audit_known_at(audits)
        auditor, ids = pd.factorize(audits["auditor_id"], sort=True)
        double, known = double_bookings(audits, ended, auditor)
        return cls(
            audits=audits,
            body=body_index.get_indexer(audits["body_id"]),
            ended=ended,
            pooled=EventIndex(np.zeros(len(audits), dtype=np.int64), ended),
            auditor=auditor.astype(np.int64),
            auditor_ids=pd.Index(ids),
            double=double,
            double_known=known,
            scheme=pd.Index(FIELDS).get_indexer(audits["scheme"]),
            log_hours=np.log(np.maximum((audits["planned_end"] - audits["planned_start"]).to_numpy() / HOUR, 0.25)),
        )

    # Indexes more than one builder searches, each sorted once, when first asked for.
    @cached_property
    def by_body(self) -> EventIndex:
        """Each audit under its body, dated when complete."""
        return EventIndex(self.body, self.ended)

    @cached_property
    def double_by_body(self) -> EventIndex:
        """Each audit under its body, dated when its double booking is known."""
        return EventIndex(self.body, self.double_known)

    @cached_property
    def double_pooled(self) -> EventIndex:
        """Every audit in one group, dated when its double booking is known."""
        return EventIndex(np.zeros(len(self.body), dtype=np.int64), self.double_known)

    @cached_property
    def by_scheme(self) -> EventIndex:
        """Each audit under its scheme, dated when complete."""
        return EventIndex(self.scheme, self.ended)


def checkin_flags(audits: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per audit, (anomaly, counted) of each check-in rate: a rate is anomalies over audits counted.

    Late check-ins are counted among audits with a check-in, far ones among
    audits with a known distance (remote audits have none).
    """
    has_in = audits["checkin_at"].notna().to_numpy()
    dist = audits["checkin_distance_km"].to_numpy(dtype=float)
    late = has_in & ((audits["checkin_at"] - audits["planned_start"]).to_numpy() > LATE_HOURS * HOUR)
    one = np.ones(len(audits))
    return {
        "missing_checkin_rate": (~has_in, one),
        "missing_checkout_rate": (audits["checkout_at"].isna().to_numpy(), one),
        "far_checkin_rate": (np.nan_to_num(dist) > FAR_KM, ~np.isnan(dist)),
        "late_checkin_rate": (late, has_in),
        "remote_share": (audits["remote"].to_numpy(dtype=float), one),
    }


def population_rate(
    pooled: EventIndex, k: npt.ArrayLike, n: npt.ArrayLike, q: Queries, days: float = YEAR
) -> np.ndarray:
    """The rate over all audits in each query's window (``pooled``: every audit in group 0)."""
    return pooled_rate(pooled.window_sum(k, q.everyone, q.time, days), pooled.window_sum(n, q.everyone, q.time, days))


def shrunk_window_rate(
    idx: EventIndex, pooled: EventIndex, k: npt.ArrayLike, n: npt.ArrayLike, q: Queries, days: float = YEAR
) -> np.ndarray:
    """The group's rate in the window, shrunk toward the population rate of the same window.

    A group is what ``idx`` is indexed by: a body for the body features, an
    auditor for the auditor indicators (``features.builders.auditors``).
    """
    return shrunk_rate(
        idx.window_sum(k, q.body, q.time, days),
        idx.window_sum(n, q.body, q.time, days),
        population_rate(pooled, k, n, q, days),
        RATE_PSEUDO_AUDITS,
    )


def double_booking_counts(log: AuditLog, d_idx: EventIndex, q: Queries) -> tuple[np.ndarray, np.ndarray]:
    """Double-booked audits of each query's group in the window, and the population's double-booking rate.

    ``d_idx``: the audits under their group (body or auditor), dated when the
    double booking is known (both records complete); the rate's denominator
    is every audit complete in the window.
    """
    population = pooled_rate(
        log.double_pooled.window_sum(log.double, q.everyone, q.time, YEAR), log.pooled.count(q.everyone, q.time, YEAR)
    )
    return d_idx.window_sum(log.double, q.body, q.time, YEAR), population


def short_audit_sums(log: AuditLog, groups: np.ndarray, idx: EventIndex, q: Queries) -> tuple[np.ndarray, np.ndarray]:
    """Sum over the group's audits of log(peer mean hours of the scheme / hours), and their number.

    One pass for all schemes: the peers' mean log hours per (scheme, query) and
    the group's audit count per (scheme, query) come from two indexes queried
    with every scheme at once. Over all audits of the window the sum is zero
    (each scheme's log hours sum to their mean times their number).
    """
    log_h, scheme, ended = log.log_hours, log.scheme, log.ended
    n_s, n_q = len(FIELDS), len(q.body)
    s_all = np.repeat(np.arange(n_s), n_q)
    t_all = np.tile(q.time, n_s)
    per_scheme = log.by_scheme
    peer = pooled_rate(per_scheme.window_sum(log_h, s_all, t_all, YEAR), per_scheme.count(s_all, t_all, YEAR))
    by_body_scheme = EventIndex(np.where((groups >= 0) & (scheme >= 0), groups * n_s + scheme, -1), ended)
    counts = by_body_scheme.count(np.tile(q.body, n_s) * n_s + s_all, t_all, YEAR)
    peer_total = (counts * peer).reshape(n_s, n_q).sum(axis=0)
    known_scheme = scheme >= 0
    n = idx.window_sum(known_scheme, q.body, q.time, YEAR)
    own = idx.window_sum(np.where(known_scheme, log_h, 0.0), q.body, q.time, YEAR)
    return peer_total - own, n


def checkin_features(tables: Tables, q: Queries, log: AuditLog | None = None) -> dict[str, np.ndarray]:
    """Audit check-in features of every query (see the checkins family of the feature dictionary).

    ``log``: the audits table prepared for ``q`` (:meth:`AuditLog.of`), when already at hand.
    """
    au = tables["audits"]
    log = log or AuditLog.of(au, q.body_index)
    groups, idx = log.body, log.by_body
    n = idx.count(q.body, q.time, YEAR)
    double_k, pop_double = double_booking_counts(log, log.double_by_body, q)
    rates = {name: shrunk_window_rate(idx, log.pooled, k, m, q) for name, (k, m) in checkin_flags(au).items()}
    return {
        "audits_12m": n,
        **rates,
        "double_booking_rate": shrunk_rate(double_k, n, pop_double, RATE_PSEUDO_AUDITS),
        "short_audit_index": pooled_rate(*short_audit_sums(log, groups, idx, q), 0.0),
    }
