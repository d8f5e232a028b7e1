"""Auditor indicators (高风险认证审核员) and the body feature they give.

An auditor's indicators as of t use the audits known before t (the check-in
family's rule: a record is known when complete, the latest of its planned
end, check-in and check-out) in the 12 months before t, across every body the
auditor works for. The rates are shrunk toward the rate of all audits of the
same window with the same 20 pseudo-audits as the body features, by the same
functions (``checkins``): an auditor with a handful of audits stays close to
the population.

The score adds up, in log units, how far the auditor stands out:

- missing, late and far check-ins and double bookings: log((k + c) / (E + c)),
  the auditor's anomalies k against E, those expected at the rates of the
  other auditors of the same bodies (shrunk toward the population; a body
  without other audits gives the population rate), c = 20 population rates
  but at least one anomaly. Against the same bodies, so that an auditor does
  not stand out for working at a body where every audit lacks a check-in (the
  body's own features and warnings see that);
- the shrunk short-audit index (a log ratio of hours to the scheme's peers);
- log(bodies): an auditor practises at one body at a time;
- log(audit days per working day) when above one: more than one person can attend.

An auditor is high-risk when the score reaches
:data:`~features.dictionary.AUDITOR_HIGH_RISK_SCORE` (2.3, about log 10: the
anomalies taken together ten times what is expected), a level an auditor
whose audits are like everyone's reaches by chance about once in a thousand
(docs/auditors.md gives the reasons and what the rule finds on the simulator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..dictionary import AUDITOR_HIGH_RISK_SCORE, RATE_PSEUDO_AUDITS, WORKDAYS_PER_YEAR, YEAR
from ..tables import Tables
from ..timeline import EventIndex
from .checkins import (
    AuditLog,
    checkin_flags,
    double_booking_counts,
    population_rate,
    short_audit_sums,
    shrunk_window_rate,
)
from .queries import Queries, pooled_rate, shrunk_rate

RATES = ("missing_checkin_rate", "late_checkin_rate", "far_checkin_rate")
INDICATORS = (
    "audits_12m",
    *RATES,
    "double_booking_rate",
    "short_audit_index",
    "audits_per_day",
    "n_bodies",
)
# The indicators that enter the score (each as its ``<name>_term`` column); audits_12m does not.
SCORED = INDICATORS[1:]
PRIOR_ANOMALIES = 1.0  # the least prior of a ratio's anomalies (see _ratio_term)
DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class _Pairs:
    """The distinct (auditor, body) pairs of the audits, and the audits of each pair and of each body by date.

    ``index`` and ``bodies`` date each audit when complete; ``double_index``
    and ``double_bodies`` when its double booking is known (both records complete).
    """

    auditor: np.ndarray
    body: np.ndarray
    index: EventIndex
    bodies: EventIndex
    double_index: EventIndex
    double_bodies: EventIndex

    @classmethod
    def of(cls, log: AuditLog) -> _Pairs:
        ok = log.body >= 0
        width = np.int64(log.body.max() + 1 if len(log.body) else 1)
        keys, inverse = np.unique(log.auditor[ok] * width + log.body[ok], return_inverse=True)
        of_audit = np.full(len(log.body), -1, dtype=np.int64)
        of_audit[ok] = inverse.ravel()
        return cls(
            auditor=keys // width,
            body=keys % width,
            index=EventIndex(of_audit, log.ended),
            bodies=log.by_body,
            double_index=EventIndex(of_audit, log.double_known),
            double_bodies=log.double_by_body,
        )


def _expand(owner_of_pair: np.ndarray, query_owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (query, pair) with the pair's owner (auditor or body) the query's: query indexes and pairs."""
    order = np.argsort(owner_of_pair, kind="stable")
    owners = owner_of_pair[order]
    lo = np.searchsorted(owners, query_owner, side="left")
    counts = np.searchsorted(owners, query_owner, side="right") - lo
    query = np.repeat(np.arange(len(query_owner)), counts)
    first = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return query, order[first + np.arange(int(counts.sum()))]


def _expected(
    pairs: _Pairs, q: Queries, k: np.ndarray, m: np.ndarray, population: np.ndarray, double: bool = False
) -> np.ndarray:
    """Anomalies expected of each query's auditor at the rates of the other auditors of the same bodies.

    At each of the auditor's bodies b the others' rate is (K_b - k_b + 20 p0) / (M_b - m_b + 20): the
    body's anomalies and counted audits without the auditor's own, shrunk toward the population rate p0
    (a body without other audits gives p0). The expected anomalies sum the auditor's counted audits at
    each body times that rate. ``double``: the anomalies are double bookings, dated when both records
    are complete.
    """
    query, pair = _expand(pairs.auditor, q.body)
    t, body = q.time[query], pairs.body[pair]
    k_pairs, k_bodies = (pairs.double_index, pairs.double_bodies) if double else (pairs.index, pairs.bodies)
    own_k, own_m = k_pairs.window_sum(k, pair, t, YEAR), pairs.index.window_sum(m, pair, t, YEAR)
    others_k = np.maximum(k_bodies.window_sum(k, body, t, YEAR) - own_k, 0.0)
    others_m = np.maximum(pairs.bodies.window_sum(m, body, t, YEAR) - own_m, 0.0)
    others = shrunk_rate(others_k, others_m, population[query], RATE_PSEUDO_AUDITS)
    return np.bincount(query, weights=own_m * others, minlength=len(q.body))


def _ratio_term(own: np.ndarray, expected: np.ndarray, population: np.ndarray) -> np.ndarray:
    """log((k + c) / (E + c)): the auditor's anomalies against those expected, with c = 20 p0 (as the
    rates) but at least :data:`PRIOR_ANOMALIES`, so that a ratio never rests on less than one anomaly."""
    c = np.maximum(RATE_PSEUDO_AUDITS * population, PRIOR_ANOMALIES)
    return np.log((own + c) / (expected + c))


def _anomalies(log: AuditLog, pairs: _Pairs, idx: EventIndex, n: np.ndarray, q: Queries) -> dict[str, np.ndarray]:
    """The shrunk check-in, double-booking and short-audit indicators and their terms."""
    out: dict[str, np.ndarray] = {}
    flags = checkin_flags(log.audits)
    for name in RATES:
        k, m = flags[name]
        population = population_rate(log.pooled, k, m, q)
        out[name] = shrunk_window_rate(idx, log.pooled, k, m, q)
        own = idx.window_sum(k, q.body, q.time, YEAR)
        out[f"{name}_term"] = _ratio_term(own, _expected(pairs, q, k, m, population), population)
    double_k, population = double_booking_counts(log, EventIndex(log.auditor, log.double_known), q)
    out["double_booking_rate"] = shrunk_rate(double_k, n, population, RATE_PSEUDO_AUDITS)
    expected = _expected(pairs, q, log.double.astype(float), np.ones(len(log.double)), population, double=True)
    out["double_booking_rate_term"] = _ratio_term(double_k, expected, population)
    # the peers' mean over all audits of the window is zero, so the population value is 0
    short, m = short_audit_sums(log, log.auditor, idx, q)
    out["short_audit_index"] = shrunk_rate(short, m, np.zeros(len(m)), RATE_PSEUDO_AUDITS)
    out["short_audit_index_term"] = out["short_audit_index"]
    return out


def _workload(log: AuditLog, pairs: _Pairs, idx: EventIndex, q: Queries) -> dict[str, np.ndarray]:
    """Audit days per working day and the number of bodies, and their terms."""
    start, end = log.audits["planned_start"].dt.normalize(), log.audits["planned_end"].dt.normalize()
    days = ((end - start).to_numpy() / DAY + 1).astype(float)  # calendar days the audit is booked on
    per_day = idx.window_sum(days, q.body, q.time, YEAR) / WORKDAYS_PER_YEAR
    query, pair = _expand(pairs.auditor, q.body)
    active = pairs.index.count(pair, q.time[query], YEAR) > 0
    bodies = np.bincount(query, weights=active, minlength=len(q.body))
    return {
        "audits_per_day": per_day,
        "audits_per_day_term": np.log(np.maximum(per_day, 1.0)),
        "n_bodies": bodies,
        "n_bodies_term": np.log(np.maximum(bodies, 1.0)),
    }


def indicators(log: AuditLog, pairs: _Pairs, q: Queries) -> dict[str, np.ndarray]:
    """Indicators, score terms and score of auditor ``q.body[i]`` as of ``q.time[i]``.

    ``q.body`` holds auditors (indexes into ``log.auditor_ids``). Keys: the
    :data:`INDICATORS`, ``<name>_term`` for the :data:`SCORED` ones, ``score``.
    """
    idx = EventIndex(log.auditor, log.ended)
    n = idx.count(q.body, q.time, YEAR)
    out = {"audits_12m": n, **_anomalies(log, pairs, idx, n, q), **_workload(log, pairs, idx, q)}
    out["score"] = np.sum([out[f"{name}_term"] for name in SCORED], axis=0)
    return out


def auditor_indicators(tables: Tables, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """One row per auditor with an audit known in the 12 months before ``as_of``, by ``auditor_id``.

    Columns: ``auditor_id``, the :data:`INDICATORS`, ``<name>_term`` (each
    scored indicator's share of the score, in log units), ``score``,
    ``high_risk`` (score >= :data:`~features.dictionary.AUDITOR_HIGH_RISK_SCORE`)
    and ``bodies`` (the ids of the bodies audited for, ``;``-separated).

    Examples
    --------
    >>> t = pd.Timestamp("2025-03-03 09:00")
    >>> audits = pd.DataFrame({"audit_id": ["A1", "A2"], "body_id": ["B1", "B2"], "auditor_id": ["X", "X"],
    ...     "org_id": ["O1", "O2"], "scheme": ["QMS", "QMS"], "planned_start": [t, t],
    ...     "planned_end": [t + pd.Timedelta(hours=8)] * 2, "checkin_at": [t, pd.NaT],
    ...     "checkout_at": [t + pd.Timedelta(hours=8), pd.NaT], "checkin_distance_km": [0.3, None],
    ...     "remote": [False, False]})
    >>> row = auditor_indicators({"audits": audits}, "2025-06-01").iloc[0]
    >>> row["auditor_id"], int(row["audits_12m"]), int(row["n_bodies"]), row["bodies"]
    ('X', 2, 2, 'B1;B2')
    """
    audits = tables["audits"]
    t = np.datetime64(pd.Timestamp(as_of), "ns")
    body_ids = pd.Index(np.sort(audits["body_id"].unique()))
    log = AuditLog.of(audits, body_ids)
    window = (log.ended < t) & (log.ended >= t - np.timedelta64(YEAR, "D"))
    active = np.unique(log.auditor[window])
    q = Queries(body=active, time=np.full(len(active), t), body_index=log.auditor_ids)
    values = indicators(log, _Pairs.of(log), q)
    table = pd.DataFrame({"auditor_id": pd.Series(log.auditor_ids[active], dtype="str"), **values})
    table["high_risk"] = table["score"] >= AUDITOR_HIGH_RISK_SCORE
    seen = pd.DataFrame({"a": log.auditor[window], "b": body_ids[log.body[window]]}).drop_duplicates()
    bodies = seen.sort_values("b").groupby("a")["b"].agg(";".join)
    table["bodies"] = pd.Series(bodies.reindex(active).to_numpy(), dtype="str")
    return table


def auditor_features(tables: Tables, q: Queries, log: AuditLog | None = None) -> dict[str, np.ndarray]:
    """The auditors family: the share of each body's audits of the 12 months done by high-risk auditors.

    For each (body, date) query: the body's audits known in the window, each
    weighted 1 when its auditor is high-risk on that date (over every body
    the auditor works for), 0 otherwise; 0 for a body without audits.
    ``log``: the audits table prepared for ``q`` (``AuditLog.of``), when already at hand.
    """
    log = log or AuditLog.of(tables["audits"], q.body_index)
    pairs = _Pairs.of(log)
    query, pair = _expand(pairs.body, q.body)
    counts = pairs.index.count(pair, q.time[query], YEAR)
    query, pair, counts = query[counts > 0], pair[counts > 0], counts[counts > 0]
    # each (auditor, date) once: a training panel asks for the same auditors on many dates
    keys = np.stack([pairs.auditor[pair], q.time[query].astype(np.int64)], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    aq = Queries(body=unique[:, 0], time=unique[:, 1].astype("datetime64[ns]"), body_index=log.auditor_ids)
    high = indicators(log, pairs, aq)["score"] >= AUDITOR_HIGH_RISK_SCORE
    flagged = np.bincount(query, weights=counts * high[inverse.ravel()], minlength=len(q.body))
    total = np.bincount(query, weights=counts, minlength=len(q.body))
    return {"high_risk_auditor_share": pooled_rate(flagged, total, 0.0)}
