"""Scoring planned inspections: the champion's body-only probability and the team-conditional one.

A planned-inspections file lists ``body_id``, ``inspected_on`` (YYYY-MM-DD)
and ``inspector_ids`` (``;``-separated; may be empty when the team is not
known yet), as CSV (UTF-8), XLSX or Parquet. :func:`read_planned` reads and
checks it against the data set's bodies, reporting every problem at once in
the data contract's problem report (table, column, row, value, rule).
:func:`score_planned` adds, for each row,

- ``p_serious_body``: the champion's calibrated P(serious) from the body's
  features as of the earlier of ``inspected_on`` and the as-of date (what is
  known when the inspection is planned);
- ``team_effect``: the mean stringency of the team's members, from the
  inspections before the as-of date (:mod:`riskmodel.stringency`; an
  inspector without an estimate counts as 0, and is named in
  ``unknown_inspectors``);
- ``p_serious_team``: the body-only log-odds plus the team effect.

Scoring inspections that took place before the as-of date uses their own
outcomes in the team effects; for an out-of-time check, take an as-of date
before them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from features.loading import DataSet
    from riskmodel.stringency import StringencyFit

PLANNED_TABLE = "planned inspections"
PLANNED_SUBJECT = "planned inspections file"
PLANNED_COLUMNS = ("body_id", "inspected_on", "inspector_ids")
SCORE_COLUMNS = [
    "body_id",
    "inspected_on",
    "inspector_ids",
    "as_of",
    "p_serious_body",
    "team_effect",
    "p_serious_team",
    "unknown_inspectors",
    "model_version",
]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IDS = re.compile(r"^[^;\s]+(?:;[^;\s]+)*$")  # features.contracts ID_LIST_PATTERN: ;-separated ids without spaces


def _dates(values: pd.Series) -> pd.Series:
    """Dates from text YYYY-MM-DD (or dates as stored by Parquet); NaT where the cell is not such a date."""
    if pd.api.types.is_datetime64_any_dtype(values):
        from features.loading.parse import local_naive

        stamps = local_naive(pd.to_datetime(values))  # a moment with its zone: the day it is in China, as in the data
        return stamps.where(stamps == stamps.dt.normalize())
    text = values.astype(str).str.strip()
    good = text.str.match(DATE.pattern)
    return pd.to_datetime(text.where(good), format="%Y-%m-%d", errors="coerce")


def read_planned(path: str | Path, bodies: pd.DataFrame) -> pd.DataFrame:
    """The planned inspections of ``path`` with ``inspected_on`` as dates; DataContractError naming every problem."""
    from features.loading.read import read_file
    from features.loading.state import TableState
    from features.problems import concat_problems, rule_problems, table_problem
    from features.report import DataContractError

    file = Path(path)
    table = TableState(PLANNED_TABLE)
    raw = read_file(file, table)
    problems = list(table.problems)
    if raw is not None:
        missing = [c for c in PLANNED_COLUMNS if c not in raw.columns]
        problems += [table_problem(PLANNED_TABLE, "missing column", column=c) for c in missing]
        if not missing and len(raw) == 0:
            problems.append(table_problem(PLANNED_TABLE, "table has no rows (at least one is required)"))
    if problems or raw is None:
        raise DataContractError(concat_problems(problems), file, subject=PLANNED_SUBJECT)
    frame = raw.reset_index(drop=True)
    rows = np.arange(1, len(frame) + 1)
    body = frame["body_id"].astype(str).str.strip().where(frame["body_id"].notna(), "")
    dates = _dates(frame["inspected_on"])
    teams = frame["inspector_ids"].astype(str).str.strip().where(frame["inspector_ids"].notna(), "")
    checks = [
        ("body_id", "must not be empty", body == ""),
        ("body_id", "must exist in bodies.body_id", (body != "") & ~body.isin(bodies["body_id"])),
        ("inspected_on", "must be a date YYYY-MM-DD", dates.isna()),
        ("inspector_ids", "must be ;-separated ids without spaces", (teams != "") & ~teams.str.match(IDS.pattern)),
    ]
    problems += rule_problems(PLANNED_TABLE, checks, rows, frame)
    if problems:
        raise DataContractError(concat_problems(problems), file, subject=PLANNED_SUBJECT)
    return pd.DataFrame({"body_id": body, "inspected_on": dates.dt.normalize(), "inspector_ids": teams})


def score_planned(
    planned: pd.DataFrame,
    data: DataSet,
    as_of: pd.Timestamp,
    model: Any,
    fit: StringencyFit,
    model_version: str = "",
) -> pd.DataFrame:
    """``planned`` with the champion's body-only and team-conditional probabilities (module docstring)."""
    from features.build import build_feature_panel
    from features.dictionary import FEATURE_NAMES
    from riskmodel.models import predict_serious
    from riskmodel.stringency import team_conditional

    when = planned["inspected_on"].where(planned["inspected_on"] < as_of, as_of)
    panel = build_feature_panel(data.tables, planned["body_id"], when).reset_index(drop=True)
    names = [str(c) for c in getattr(model, "feature_names_in_", FEATURE_NAMES)]
    p_body = predict_serious(model, panel[names])
    effect = fit.team_effect(planned["inspector_ids"])
    return pd.DataFrame(
        {
            "body_id": planned["body_id"].to_numpy(),
            "inspected_on": planned["inspected_on"].dt.date.astype(str).to_numpy(),
            "inspector_ids": planned["inspector_ids"].to_numpy(),
            "as_of": as_of.date().isoformat(),
            "p_serious_body": p_body,
            "team_effect": effect,
            "p_serious_team": team_conditional(p_body, planned["inspector_ids"], fit),
            "unknown_inspectors": fit.unknown_members(planned["inspector_ids"]),
            "model_version": model_version,
        }
    )[SCORE_COLUMNS]
