"""One builder per feature family; each maps (tables, queries) -> {name: array}.

The check-in and auditor families share one pass over the audits table (its
dates, auditors and double bookings, :class:`~features.builders.checkins.AuditLog`).
"""

from __future__ import annotations

import numpy as np

from ..tables import Tables
from .auditors import auditor_features
from .certificates import certificate_features
from .checkins import AuditLog, checkin_features
from .history import history_features
from .profile import profile_features
from .queries import Queries
from .signals import signal_features


def audit_features(tables: Tables, q: Queries) -> dict[str, np.ndarray]:
    """The checkins and auditors families, from one preparation of the audits table."""
    log = AuditLog.of(tables["audits"], q.body_index)
    return {**checkin_features(tables, q, log), **auditor_features(tables, q, log)}


BUILDERS = (
    profile_features,
    history_features,
    signal_features,
    audit_features,
    certificate_features,
)

__all__ = ["BUILDERS"]
