"""Monitoring signals: counts by kind in windows, decayed severity, active flags."""

from __future__ import annotations

import numpy as np

from ..dictionary import SIGNAL_DECAY_DAYS, THREE_YEARS, YEAR
from ..tables import Tables
from ..timeline import EventIndex
from .queries import Queries

COUNTS = {  # feature: (signal kind, window days)
    "complaints_12m": ("complaint", YEAR),
    "risk_alerts_12m": ("risk_alert", YEAR),
    "penalties_3y": ("penalty", THREE_YEARS),
    "media_12m": ("media", YEAR),
    "referrals_12m": ("referral", YEAR),
}
FLAGS = {
    "blacklisted_3y": ("blacklist", THREE_YEARS),
    "unreachable_12m": ("unreachable", YEAR),
    "accreditation_suspended_12m": ("accreditation_suspended", YEAR),
}


def signal_features(tables: Tables, q: Queries) -> dict[str, np.ndarray]:
    """Monitoring-signal features of every query (see the signals family of the feature dictionary)."""
    s = tables["signals"]
    idx = EventIndex(q.groups(s["body_id"]), s["observed_on"].to_numpy())
    kind = s["kind"].to_numpy()
    severity = s["severity"].to_numpy(dtype=float)
    g, t = q.body, q.time
    out = {name: idx.window_sum(kind == k, g, t, days) for name, (k, days) in COUNTS.items()}
    out["signals_decayed"] = idx.decayed_sum(severity, g, t, SIGNAL_DECAY_DAYS, THREE_YEARS)
    out["high_severity_12m"] = idx.window_sum(severity >= 3, g, t, YEAR)
    out.update({name: (idx.window_sum(kind == k, g, t, days) > 0).astype(float) for name, (k, days) in FLAGS.items()})
    return out
