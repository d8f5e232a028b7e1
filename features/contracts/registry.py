"""The tables of the contract and the lookups the loader reads off their models:
columns in order, the kind of each column and its in-memory dtype, nullable
columns, dates that must not be after the as-of date, references between tables.

The lookups also hold the grades file (``"grades"``, :mod:`~features.contracts.grades`)
and the dispositions table (``"dispositions"``, :mod:`~features.contracts.dispositions`),
which the loader reads with the same stages; ``TABLES`` names the seven input
tables of a data directory only.
"""

from __future__ import annotations

import pandera.pandas as pa

from .dispositions import DISPOSITIONS_TABLE, DispositionsModel
from .grades import GRADES_TABLE, GradesModel
from .models import (
    AuditsModel,
    BodiesModel,
    CertificatesModel,
    ConflictsModel,
    InspectionsModel,
    InspectorsModel,
    SignalsModel,
)

__all__ = [
    "CANONICAL_DTYPES",
    "CONTRACT_MODELS",
    "COLUMNS",
    "COLUMN_KINDS",
    "KINDS",
    "MODELS",
    "NOT_AFTER_AS_OF",
    "NULLABLE",
    "REFERENCES",
    "REQUIRED_TABLES",
    "TABLES",
    "TABLE_LABELS_ZH",
]

KINDS = ("str", "date", "datetime", "int", "float", "bool")
CANONICAL_DTYPES: dict[str, str] = {
    "str": "str",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
}
"""In-memory dtype of each column kind (pandas 3 names)."""

MODELS: dict[str, type[pa.DataFrameModel]] = {
    "bodies": BodiesModel,
    "inspections": InspectionsModel,
    "signals": SignalsModel,
    "audits": AuditsModel,
    "certificates": CertificatesModel,
    "inspectors": InspectorsModel,
    "conflicts": ConflictsModel,
}
TABLES: tuple[str, ...] = tuple(MODELS)
"""Names of the input tables, in the order they are read and reported."""
CONTRACT_MODELS: dict[str, type[pa.DataFrameModel]] = {
    **MODELS,
    GRADES_TABLE: GradesModel,
    DISPOSITIONS_TABLE: DispositionsModel,
}
"""Every model the loader validates with: the input tables, the grades file and the dispositions table."""
TABLE_LABELS_ZH: dict[str, str] = {
    "bodies": "认证机构名录",
    "inspections": "检查记录",
    "signals": "监测信号",
    "audits": "审核计划与签到",
    "certificates": "证书",
    "inspectors": "执法检查人员名录",
    "conflicts": "回避关系",
}
"""Chinese name of each table."""
REQUIRED_TABLES: tuple[str, ...] = ("bodies", "inspections")
"""Tables that must be present (inspectors are needed only for team assignment)."""


def _columns(table: str) -> dict[str, pa.Column]:
    return CONTRACT_MODELS[table].to_schema().columns


COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(_columns(t)) for t in CONTRACT_MODELS}
"""Columns of each table (and of the grades file), in contract order."""
COLUMN_KINDS: dict[str, dict[str, str]] = {
    t: {c: col.metadata["kind"] for c, col in _columns(t).items()} for t in CONTRACT_MODELS
}
"""Kind of each column: str, date, datetime, int, float or bool."""
NULLABLE: dict[str, tuple[str, ...]] = {
    t: tuple(c for c, col in _columns(t).items() if col.nullable) for t in CONTRACT_MODELS
}
"""Columns that may be empty."""
NOT_AFTER_AS_OF: dict[str, tuple[str, ...]] = {
    t: tuple(c for c, col in _columns(t).items() if col.metadata["not_after_as_of"]) for t in CONTRACT_MODELS
}
"""Dated columns that must not be after the as-of date (plans and expiry dates may be)."""
REFERENCES: tuple[tuple[str, str, str, str], ...] = tuple(
    (t, "body_id", "bodies", "body_id") for t in TABLES if t != "bodies" and "body_id" in COLUMNS[t]
) + (("conflicts", "inspector_id", "inspectors", "inspector_id"),)
"""(table, column, referenced table, referenced column): values must exist there."""
