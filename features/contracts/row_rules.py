"""Rules that link columns of one row of a table (``findings`` must be 0 when
``outcome`` is none, ...).

Each rule is a :class:`RowRule` in ``ROW_RULES``. The pandera models call
:func:`row_rules_ok` in their ``dataframe_check`` so that ``Model.validate``
enforces the rules too; the loader runs them itself to report them cell by
cell, quoting the other columns of the rule.

Examples
--------
>>> import pandas as pd
>>> rule = next(r for r in ROW_RULES if r.table == "audits")
>>> frame = pd.DataFrame({"planned_start": pd.to_datetime(["2026-01-02"]), "planned_end": pd.to_datetime(["2026-01-01"])})
>>> rule.rule, rule.columns, rule.bad(frame).tolist()
('must not be before planned_start', ('planned_end', 'planned_start'), [True])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .. import codes

__all__ = ["ROW_RULES", "RowRule", "row_rules_ok"]


@dataclass(frozen=True)
class RowRule:
    """A rule that links columns of one row; ``bad(df)`` marks offending rows.

    ``column`` is the column the problem is reported on; ``shows`` are the
    other columns whose values are quoted next to it in the report.
    """

    table: str
    column: str
    rule: str
    bad: Callable[[pd.DataFrame], pd.Series]
    shows: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the rule reads."""
        return (self.column, *self.shows)


def _random(df: pd.DataFrame) -> pd.Series:
    return df["kind"].eq("random").fillna(False).astype(bool)


def _not_random(df: pd.DataFrame) -> pd.Series:
    return df["kind"].isin([k for k in codes.INSPECTION_KINDS if k != "random"])


def _changed_before_approval(df: pd.DataFrame) -> pd.Series:
    """A body's status changed before its approval (never, when the optional column is left out)."""
    if "status_changed_on" not in df:
        return pd.Series(False, index=df.index)
    return df["status_changed_on"] < df["approved_on"]


ROW_RULES: tuple[RowRule, ...] = (
    RowRule(
        "bodies",
        "status_changed_on",
        "must not be before approved_on",
        _changed_before_approval,
        ("approved_on",),
    ),
    RowRule(
        "inspections",
        "inclusion_prob",
        "required when kind = random",
        lambda df: _random(df) & df["inclusion_prob"].isna(),
        ("kind",),
    ),
    RowRule(
        "inspections",
        "inclusion_prob",
        "must be empty unless kind = random",
        lambda df: _not_random(df) & df["inclusion_prob"].notna(),
        ("kind",),
    ),
    RowRule(
        "inspections",
        "draw_id",
        "must be empty unless kind = random",
        lambda df: _not_random(df) & df["draw_id"].notna(),
        ("kind",),
    ),
    RowRule(
        "inspections",
        "findings",
        "must be 0 when outcome = none",
        lambda df: df["outcome"].eq("none").fillna(False).astype(bool) & (df["findings"] != 0),
        ("outcome",),
    ),
    RowRule(
        "inspections",
        "findings",
        "must be > 0 when outcome is not none",
        lambda df: df["outcome"].isin(codes.OUTCOMES[1:]) & (df["findings"] == 0),
        ("outcome",),
    ),
    RowRule(
        "inspections",
        "certs_with_problems",
        "must not exceed certs_checked",
        lambda df: df["certs_with_problems"] > df["certs_checked"],
        ("certs_checked",),
    ),
    RowRule(
        "audits",
        "planned_end",
        "must not be before planned_start",
        lambda df: df["planned_end"] < df["planned_start"],
        ("planned_start",),
    ),
    RowRule(
        "audits",
        "checkout_at",
        "must not be before checkin_at",
        lambda df: df["checkout_at"] < df["checkin_at"],
        ("checkin_at",),
    ),
    RowRule(
        "certificates",
        "expires_on",
        "must be after issued_on",
        lambda df: df["expires_on"] <= df["issued_on"],
        ("issued_on",),
    ),
    RowRule(
        "certificates",
        "status_changed_on",
        "must not be before issued_on",
        lambda df: df["status_changed_on"] < df["issued_on"],
        ("issued_on",),
    ),
)
"""Rules between columns of one row, in the order they are reported."""


def row_rules_ok(table: str, df: pd.DataFrame) -> pd.Series:
    """True for the rows of ``table`` that break none of its row rules."""
    ok = pd.Series(True, index=df.index)
    for rule in ROW_RULES:
        if rule.table == table:
            ok &= ~rule.bad(df).to_numpy(dtype=bool)
    return ok
