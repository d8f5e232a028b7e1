"""Risk monitoring and early warning as of a date (``certrisk monitor``): the five steps on one data set.

:func:`run_monitor` builds the point-in-time features, judges every body
against the rules (:mod:`supervision`), sets the judgement against the
previous quarter's output and the dispositions recorded since, and returns the
quarter's warnings with the special-check lists. :func:`read_previous` reads a
previous output folder back (its ``monitor.json``: the warnings' state, the
model's probabilities and each body's last response). Writing is
:mod:`certrisk.monitor_output`'s.

Bodies revoked by the as-of date are not monitored (they no longer certify);
suspended and unreachable ones are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import UsageError

if TYPE_CHECKING:
    from features.build import Data
    from supervision.rules import Rules

MONITOR_RECORD = "monitor.json"
MONITOR_FORMAT = 1


@dataclass(frozen=True)
class Previous:
    """What a previous monitor output hands to the next quarter."""

    as_of: pd.Timestamp
    warnings: pd.DataFrame
    p_serious: dict[str, float] = field(default_factory=dict)
    last_response: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Monitor:
    """One quarter's monitoring: every body's judgement, the warnings, the dispositions and the special lists."""

    as_of: pd.Timestamp
    rules: Rules
    judged: pd.DataFrame
    warnings: pd.DataFrame
    dispositions: pd.DataFrame
    special: dict[str, pd.DataFrame]
    last_response: dict[str, str]
    previous_as_of: pd.Timestamp | None
    auditors: pd.DataFrame | None = None
    """The high-risk auditors (:func:`supervision.auditors.auditor_list`, headers in the run's language), when
    the data have audits. Internal only: auditors are people."""


def read_previous(folder: str | Path, as_of: pd.Timestamp) -> Previous:
    """The state a previous ``certrisk monitor`` output folder recorded; refused in words when it is not one."""
    path = Path(folder) / MONITOR_RECORD
    if not Path(folder).is_dir():
        raise UsageError("errors.previous_missing", folder=folder)
    try:
        previous = previous_from_state(json.loads(path.read_text(encoding="utf-8"))["state"])
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError("errors.previous_unreadable", folder=folder, record=MONITOR_RECORD) from None
    if previous.as_of >= as_of:
        raise UsageError(
            "errors.previous_not_before", folder=folder, previous=previous.as_of.date(), as_of=as_of.date()
        )
    return previous


def previous_from_state(state: dict[str, Any]) -> Previous:
    """A :func:`state_record` read back (dates parsed, empty texts as ``""``)."""
    from supervision.cycle import STATE_COLUMNS

    warnings = pd.DataFrame(state["warnings"], columns=STATE_COLUMNS)
    for column in ("raised_on", "response_on", "deadline"):
        warnings[column] = pd.to_datetime(warnings[column])
    warnings = warnings.fillna({"handled_level": "", "response": ""})
    return Previous(pd.Timestamp(state["as_of"]), warnings, state.get("p_serious", {}), state.get("last_response", {}))


def run_monitor(
    data: Data,
    as_of: pd.Timestamp,
    rules: Rules,
    *,
    p_serious: pd.Series | None = None,
    previous: Previous | None = None,
    dispositions: pd.DataFrame | None = None,
    lang: str = "en",
) -> Monitor:
    """Judge every monitored body as of ``as_of`` and carry the warnings forward.

    ``p_serious``: the model's probability per body (indexed by ``body_id``),
    e.g. a grades file's; without it the score adds no points.
    ``dispositions``: a checked dispositions table (:func:`features.loading.load_dispositions`).
    """
    from features.build import build_features
    from features.rules import body_status
    from supervision import special_checks
    from supervision.auditors import auditor_list
    from supervision.catalogue import STATUS_INDICATORS
    from supervision.cycle import STATE_COLUMNS, advance, closed_warnings
    from supervision.indicators import indicator_hits
    from supervision.judgement import judge

    tables = data.tables if hasattr(data, "tables") else data  # a DataSet or its tables
    bodies = tables["bodies"]
    status = pd.Series(body_status(bodies, as_of).to_numpy(), index=bodies["body_id"])
    features = build_features(data, as_of)
    features = features[features["body_id"].map(status).ne("revoked").to_numpy()].reset_index(drop=True)
    for name, value in STATUS_INDICATORS.items():
        features[name] = (features["body_id"].map(status) == value).astype(float)
    fields = features["body_id"].map(bodies.set_index("body_id")["fields"])
    hits = indicator_hits(features, fields, rules)
    p_now = features["body_id"].map(p_serious) if p_serious is not None else pd.Series(np.nan, index=features.index)
    p_before = features["body_id"].map(previous.p_serious if previous else {})
    judged = judge(features["body_id"], hits, p_now.astype(float), p_before.astype(float), rules, lang)
    empty = pd.DataFrame(columns=STATE_COLUMNS)
    before = previous.warnings if previous is not None else empty
    done = dispositions if dispositions is not None else pd.DataFrame(columns=["warning_id", "closed"])
    last = dict(previous.last_response) if previous is not None else {}
    warnings = advance(judged, before, closed_warnings(done), last, as_of, rules)
    fresh = warnings[(warnings["response_on"] == as_of) & (warnings["response"] != "")]
    last.update(dict(zip(fresh["body_id"], fresh["response"])))
    special = {
        "unreachable": special_checks.unreachable(features["body_id"].map(status), features, lang),
        "alerts": special_checks.alerts(features, lang),
        "high_risk_fields": special_checks.high_risk_fields(bodies[bodies["body_id"].isin(features["body_id"])], lang),
    }
    audits = tables.get("audits")
    auditors = auditor_list(tables, as_of, lang) if audits is not None and len(audits) else None
    return Monitor(as_of, rules, judged, warnings, done, special, last, previous.as_of if previous else None, auditors)


def state_record(monitor: Monitor) -> dict[str, Any]:
    """What the next quarter reads back (:func:`read_previous`): the warnings, probabilities and last responses."""
    warnings = monitor.warnings.drop(columns=["overdue"]).copy()
    for column in ("raised_on", "response_on", "deadline"):
        warnings[column] = pd.to_datetime(warnings[column]).dt.date.astype(str)
    p = monitor.judged.set_index("body_id")["p_serious"].dropna()
    return {
        "format": MONITOR_FORMAT,
        "as_of": monitor.as_of.date().isoformat(),
        "warnings": warnings.to_dict(orient="records"),
        "p_serious": {k: float(v) for k, v in p.items()},
        "last_response": monitor.last_response,
    }
