"""Warnings across quarters (风险预警): new, escalated, persisting, handled or cleared.

The quarter's judgement (:func:`supervision.judgement.judge`) is set against the
previous quarter's warnings and the dispositions recorded since:

- a body warned now and not before: **new** (a new warning id);
- warned before and now at a higher level: **escalated** (same warning, a new
  response at least one rung up the ladder, a new deadline);
- warned before at the same or a lower level: **persisting** (its response and
  deadline carried); **overdue** when the deadline has passed and no
  disposition closed it;
- a warning closed by a disposition is **handled**: it is not raised again
  unless the body's level rises above the level it was handled at, which opens
  a new warning (escalated);
- warned before and not now: **cleared**.

Only new, escalated and persisting warnings are raised (counted, handled by
someone); handled and cleared rows are kept in the list so nothing is dropped
silently.
"""

from __future__ import annotations

import pandas as pd

from .handling import recommend
from .judgement import level_rank
from .rules import Rules

STATUSES = ("new", "escalated", "persisting", "handled", "cleared")
RAISED = ("new", "escalated", "persisting")
STATE_COLUMNS = [
    "warning_id",
    "body_id",
    "level",
    "status",
    "raised_on",
    "response",
    "response_on",
    "deadline",
    "handled_level",
]
STATUS_NAMES = {
    "en": {s: s for s in STATUSES},
    "zh": {"new": "新增", "escalated": "升级", "persisting": "持续", "handled": "已处置", "cleared": "解除"},
}


def warning_id(body_id: str, as_of: pd.Timestamp) -> str:
    """``W-<body>-<YYYYMMDD>``: the body and the as-of date of the quarter the warning was raised."""
    return f"W-{body_id}-{as_of:%Y%m%d}"


def closed_warnings(dispositions: pd.DataFrame) -> set[str]:
    """The warnings a disposition has closed."""
    return set(dispositions.loc[dispositions["closed"].astype(bool), "warning_id"])


def advance(
    judged: pd.DataFrame,
    previous: pd.DataFrame,
    closed: set[str],
    last_response: dict[str, str],
    as_of: pd.Timestamp,
    rules: Rules,
) -> pd.DataFrame:
    """This quarter's warnings (:data:`STATE_COLUMNS` plus ``overdue``), one row per body warned now or before.

    ``judged`` is the judgement of every body; ``previous`` the previous
    quarter's state rows (:data:`STATE_COLUMNS`, cleared rows ignored);
    ``closed`` the warning ids closed by a disposition; ``last_response`` each
    body's last response ever recommended.
    """
    judged = judged.set_index("body_id")
    before = previous[previous["status"] != "cleared"].set_index("body_id")
    warned = judged.index[judged["level"] != ""]
    rows = []
    for body in sorted(set(warned) | set(before.index)):
        now = judged.loc[body] if body in judged.index else None
        earlier = before.loc[body] if body in before.index else None
        rows.append(_step(body, now, earlier, closed, last_response.get(body, ""), as_of, rules))
    return pd.DataFrame(rows, columns=[*STATE_COLUMNS, "overdue"]).astype({"overdue": bool})


def _step(
    body: str,
    now: pd.Series | None,
    before: pd.Series | None,
    closed: set[str],
    last_response: str,
    as_of: pd.Timestamp,
    rules: Rules,
) -> dict:
    """One body's warning this quarter (``now``: its judgement; ``before``: its previous warning)."""
    level = "" if now is None else str(now["level"])
    if before is None:
        return _opened(body, now, "new", last_response, as_of, rules)
    kept = {**before.to_dict(), "body_id": body, "overdue": False}
    handled = before["handled_level"] or (before["level"] if before["warning_id"] in closed else "")
    if level == "":
        return {**kept, "status": "cleared"}
    if handled and level_rank(level) <= level_rank(handled):
        return {**kept, "level": level, "status": "handled", "handled_level": handled}
    if handled:  # risen above the level it was handled at: a new warning
        return _opened(body, now, "escalated", before["response"] or last_response, as_of, rules)
    if level_rank(level) > level_rank(before["level"]):
        opened = _opened(body, now, "escalated", before["response"] or last_response, as_of, rules)
        return {**opened, "warning_id": before["warning_id"], "raised_on": before["raised_on"]}
    overdue = pd.Timestamp(before["deadline"]) < as_of
    return {**kept, "level": level, "status": "persisting", "overdue": bool(overdue)}


def _opened(body: str, now: pd.Series, status: str, previous: str, as_of: pd.Timestamp, rules: Rules) -> dict:
    """A warning with a fresh response (by level, risk points and the body's last response) and deadline."""
    response = recommend(str(now["level"]), str(now["risk_points"]), previous)
    return {
        "warning_id": warning_id(body, as_of),
        "body_id": body,
        "level": now["level"],
        "status": status,
        "raised_on": as_of,
        "response": response,
        "response_on": as_of,
        "deadline": as_of + pd.Timedelta(days=rules.deadlines[response]),
        "handled_level": "",
        "overdue": False,
    }
