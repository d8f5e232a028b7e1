"""Audits with on-site check-in records (审核计划与签到), last three years.

Each body's auditors work through non-overlapping schedules; the latent risk of
the body raises the chance of every check-in anomaly: a missing sign-in or
sign-out, a sign-in far (> 5 km) from the site or late (> 2 h), a "ghost"
audit booked on top of another one of the same auditor, audits too short for
their scheme, and remote audits. Each anomaly also has a body-level nuisance
propensity, so that no single one reveals the risk by itself. Auditors who
skip audits, and names lent to other bodies, add their own anomalies
(``auditors.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from features.codes import FIELDS

from .auditors import Auditors, Skips, named_auditors, simulate_auditors, skips
from .config import SimConfig
from .ids import make_ids, strings_from_codes
from .risk import LatentRisk
from .volume import (
    FieldTable,
    OrgBlocks,
    body_chunks,
    days_between,
    field_table,
    grouped_cumsum,
    pick_orgs,
    pick_schemes,
)

AUDITS_PER_AUDITOR_YEAR = 60
# Typical audit length in hours per scheme (for an average organisation).
SCHEME_HOURS = {
    "QMS": 16,
    "EMS": 16,
    "OHSMS": 16,
    "FSMS": 20,
    "ISMS": 24,
    "ITSMS": 20,
    "EnMS": 20,
    "IPMS": 16,
    "ORGANIC": 24,
    "PRODUCT": 12,
    "SERVICE": 12,
    "CCC": 12,
    "GREEN": 12,
    "OTHER": 12,
}


# The simulator's own rule, deliberately not imported from features.builders: the
# simulator is the ground truth the feature code is tested against, so a bug in
# the features must not be baked into the truth.
def audit_known_at(audits: pd.DataFrame) -> np.ndarray:
    """When each audit record is complete (and so in the data directory): the
    latest of its planned end, check-in and check-out (a missing time is skipped).

    >>> t = pd.to_datetime(["2026-01-02", "2026-01-05"])
    >>> audits = pd.DataFrame({"planned_end": t, "checkin_at": [t[1], pd.NaT], "checkout_at": [pd.NaT, t[0]]})
    >>> [str(d)[:10] for d in audit_known_at(audits)]
    ['2026-01-05', '2026-01-05']
    """
    latest = np.fmax(audits["planned_end"].to_numpy(), audits["checkin_at"].to_numpy())
    return np.fmax(latest, audits["checkout_at"].to_numpy())


def _counts(cfg: SimConfig, bodies: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    span_days = (cfg.end - cfg.audit_start).days
    years = span_days / 365.25
    live_days = np.clip((cfg.end - pd.DatetimeIndex(bodies["approved_on"])).days, 0, span_days)
    mean = cfg.audits_per_year * years * bodies["_cert_share"].values * live_days / span_days
    return rng.poisson(mean), span_days


def _schedule(
    body_idx: np.ndarray,
    auditor: np.ndarray,
    durations: np.ndarray,
    live_from: np.ndarray,
    span_days: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Start day of each audit (per auditor, in a row with random gaps, never
    overlapping) and the index of the auditor's previous audit (-1 for the first)."""
    order = np.lexsort((rng.uniform(size=len(auditor)), auditor))
    a, d = auditor[order], durations[order].astype(float)
    starts = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    sizes = np.diff(np.r_[starts, len(a)])
    avail = span_days - live_from[body_idx[order]]
    free = np.maximum(avail - np.repeat(np.add.reduceat(d, starts), sizes), 0.0)
    gaps = rng.exponential(1.0, size=len(a))
    gaps *= free / np.repeat(np.add.reduceat(gaps, starts), sizes) * 0.999
    begin = live_from[body_idx[order]] + grouped_cumsum(gaps, starts) + grouped_cumsum(d, starts) - d
    day = np.empty(len(a))
    day[order] = np.floor(begin)
    prev = np.empty(len(a), dtype=np.int64)  # previous audit of the same auditor (or -1)
    prev_sorted = np.r_[-1, order[:-1]]
    prev_sorted[starts] = -1
    prev[order] = prev_sorted
    return day, prev


def simulate_audits(
    cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk, blocks: OrgBlocks
) -> tuple[list[pd.DataFrame], Auditors]:
    """Audits as a list of chunks (contiguous ranges of bodies), each sorted by start; and the auditors' traits."""
    counts, span_days = _counts(cfg, bodies, cfg.rng("audits"))
    per_year = counts / (span_days / 365.25)
    n_auditors = np.maximum(1, np.ceil(per_year / AUDITS_PER_AUDITOR_YEAR)).astype(np.int64)
    first_auditor = np.concatenate([[0], np.cumsum(n_auditors)[:-1]])
    auditors = simulate_auditors(cfg, risk.static, n_auditors, counts, span_days / 365.25)
    chunks, next_id, fields = [], 1, field_table(bodies)
    for lo, hi in body_chunks(counts):
        rng = cfg.rng(f"audits:{lo}")
        body_idx = np.repeat(np.arange(lo, hi), counts[lo:hi])
        auditor = first_auditor[body_idx] + np.floor(rng.uniform(size=len(body_idx)) * n_auditors[body_idx]).astype(
            np.int64
        )
        own = cfg.rng(f"auditors:{lo}")  # the auditors' own stream: the roster's draws are unchanged
        named = named_auditors(auditors, body_idx, auditor, lo, own)
        chunk = _audit_chunk(
            cfg, bodies, fields, risk, blocks, body_idx, (auditor, named), skips(auditors, named, own), span_days, rng
        )
        chunk.insert(0, "audit_id", make_ids("AU", np.arange(next_id, next_id + len(chunk)), 8))
        next_id += len(chunk)
        chunks.append(chunk)
    return chunks, auditors


def _audit_chunk(
    cfg: SimConfig,
    bodies: pd.DataFrame,
    fields: FieldTable,
    risk: LatentRisk,
    blocks: OrgBlocks,
    body_idx: np.ndarray,
    auditors: tuple[np.ndarray, np.ndarray],
    skip: Skips,
    span_days: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One chunk of audits: ``auditors`` is (the roster auditor who is scheduled, the auditor named on the record)."""
    n = len(body_idx)
    auditor, named = auditors
    schemes = pick_schemes(body_idx, bodies, fields, rng)
    base_hours = np.array([SCHEME_HOURS[f] for f in FIELDS], dtype=float)[schemes]
    duration_h = bodies["_h_duration"].values[body_idx]
    # The audit's length is set in two steps, so that it depends on the body's risk at the audit's own
    # date (never on later quarters) and the schedule stays consistent. First the hours booked without
    # the risk term (scheme, client mix, noise) fix the days the auditor's schedule reserves, which
    # places the audit; then the risk at its start shortens (or lengthens) it by exp(-0.15 zc), capped
    # at the reserved days: an audit never runs into the auditor's next one.
    booked = base_hours * np.exp(0.3 * duration_h + rng.normal(0, 0.35, n))
    booked = np.clip(np.round(booked * 2) / 2, 4, 80)
    reserved = np.ceil(booked / 8)

    live_from = np.clip(days_between(cfg.audit_start, bodies["approved_on"].values), 0, None)
    day, prev = _schedule(body_idx, auditor, reserved, live_from, span_days, rng)
    to_date = lambda d: np.datetime64(cfg.audit_start, "ns") + (d * 86400).astype("timedelta64[s]")  # noqa: E731

    # ghost audits: booked on the same days as the auditor's previous audit elsewhere. The ghost is
    # recorded on those (earlier) days, so its chance and everything else about it follow the risk there.
    on_prev = np.nan_to_num(risk.at(body_idx, to_date(day[np.maximum(prev, 0)]), centered=True))
    p_ghost = expit(-5.0 + 0.8 * on_prev + 0.7 * bodies["_h_double"].values[body_idx])
    ghost = (prev >= 0) & ((rng.uniform(size=n) < p_ghost) | skip.ghost)
    day = np.where(ghost, day[np.maximum(prev, 0)], day)
    zc = np.nan_to_num(risk.at(body_idx, to_date(day), centered=True))  # at the audit's recorded start
    hours = np.clip(np.round(booked * np.exp(-0.15 * zc) * skip.hours_factor * 2) / 2, 4, 8 * reserved)
    ndays = np.ceil(hours / 8)
    minute = 8 * 60 + rng.integers(0, 90, size=n)
    planned_start = np.datetime64(cfg.audit_start, "ns") + ((day * 1440 + minute) * 60).astype("timedelta64[s]")
    last_day_hours = np.minimum(hours - 8 * (ndays - 1), 9)
    planned_end = planned_start + (((ndays - 1) * 24 + last_day_hours) * 3600).astype("timedelta64[s]")
    return _with_checkins(cfg, bodies, body_idx, named, schemes, planned_start, planned_end, zc, blocks, skip, rng)


def _with_checkins(cfg, bodies, body_idx, auditor, schemes, planned_start, planned_end, zc, blocks, skip, rng):
    n = len(body_idx)
    h = {k: bodies[f"_h_{k}"].values[body_idx] for k in ("checkin", "checkout", "far", "late", "remote")}
    remote = rng.uniform(size=n) < expit(-2.2 + 0.3 * zc + 0.8 * h["remote"])
    miss_in = (rng.uniform(size=n) < expit(-3.7 + 0.55 * zc + 0.6 * h["checkin"])) | skip.no_checkin
    miss_out = (rng.uniform(size=n) < expit(-3.4 + 0.55 * zc + 0.6 * h["checkout"])) | skip.no_checkout
    late = (rng.uniform(size=n) < expit(-3.3 + 0.45 * zc + 0.6 * h["late"])) | skip.late
    far = ~remote & ((rng.uniform(size=n) < expit(-3.9 + 0.6 * zc + 0.6 * h["far"])) | skip.far)

    minutes = np.where(late, rng.uniform(125, 360, n), np.abs(rng.normal(0, 20, n)))
    checkin = planned_start + (minutes * 60).astype("timedelta64[s]")
    checkout = planned_end + (rng.normal(0, 20, n) * 60).astype("timedelta64[s]")
    # an auditor who checks in after the planned end still checks out after checking in (the data contract's rule)
    checkout = np.maximum(checkout, checkin + np.timedelta64(30 * 60, "s"))
    nat = np.datetime64("NaT", "ns")
    near_km = np.minimum(np.exp(rng.normal(np.log(0.4), 0.8, n)), 4.9)
    distance = np.where(far, rng.uniform(5.5, 400, n), near_km)
    distance = np.where(remote | (rng.uniform(size=n) < 0.02), np.nan, np.round(distance, 2))

    audits = pd.DataFrame(
        {
            "body_id": bodies["body_id"].values[body_idx],
            "auditor_id": make_ids("AD", auditor + 1, 6),
            "org_id": make_ids("O", pick_orgs(body_idx, blocks, cfg.n_organisations, rng), 8),
            "scheme": strings_from_codes(schemes, FIELDS),
            "planned_start": planned_start.astype("datetime64[ns]"),
            "planned_end": planned_end.astype("datetime64[ns]"),
            "checkin_at": np.where(miss_in, nat, checkin.astype("datetime64[ns]")),
            "checkout_at": np.where(miss_out, nat, checkout.astype("datetime64[ns]")),
            "checkin_distance_km": distance,
            "remote": remote,
        }
    )
    return audits.sort_values("planned_start", kind="stable").reset_index(drop=True)
