"""Assemble the feature table for one as-of date or for many (body, date) pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .builders import BUILDERS
from .builders.queries import Queries
from .dictionary import FEATURE_NAMES, FEATURES
from .tables import Tables

if TYPE_CHECKING:  # the loader (and pyarrow) is not needed to build features
    from .loading import DataSet, DateLike

    Data: TypeAlias = DataSet | Tables
    Dates: TypeAlias = DateLike | Sequence[DateLike] | np.ndarray | pd.DatetimeIndex

_CHECKS = {
    "rate": [pa.Check.in_range(0, 1)],
    "flag": [pa.Check.isin([0.0, 1.0])],
    "count": [pa.Check.ge(0)],
    "real": [],
}
FEATURE_SCHEMA = pa.DataFrameSchema(
    {
        "body_id": pa.Column(str, nullable=False, description="certification body"),
        "as_of": pa.Column("datetime64[ns]", nullable=False, description="features use records dated before this"),
        **{
            f.name: pa.Column(float, checks=_CHECKS[f.kind], nullable=False, description=f"{f.label_en} / {f.label_zh}")
            for f in FEATURES
        },
    },
    strict=True,
    ordered=True,
)


def _tables(data: Data) -> Tables:
    return data.tables if hasattr(data, "tables") else data


def build_feature_panel(data: Data, body_ids: Sequence[str] | np.ndarray | pd.Series, as_of: Dates) -> pd.DataFrame:
    """Features of ``body_ids[i]`` as of ``as_of[i]``, for many pairs at once.

    Uses only records dated strictly before each pair's date (point in time).

    Parameters
    ----------
    data : DataSet or mapping of table name -> DataFrame (the canonical form)
    body_ids : sequence of str
    as_of : sequence of dates (or one date for all)

    Examples
    --------
    >>> from features.contracts import TABLES
    >>> from features.loading import empty_table
    >>> tables = {name: empty_table(name) for name in TABLES}  # two bodies, no other record
    >>> tables["bodies"] = pd.DataFrame({
    ...     "body_id": ["CB1", "CB2"], "approved_on": pd.to_datetime(["2020-01-01", "2025-06-01"]),
    ...     "fields": ["QMS;ORGANIC", "EMS"], "ccc_designated": [False, True], "accredited": [True, True]})
    >>> panel = build_feature_panel(tables, ["CB1", "CB1"], ["2025-01-01", "2026-01-01"])
    >>> panel["age_years"].round(2).tolist()
    [5.0, 6.0]
    """
    tables = _tables(data)
    index = pd.Index(tables["bodies"]["body_id"])
    body = index.get_indexer(pd.Index(body_ids))
    if (body < 0).any():
        unknown = pd.Index(body_ids)[body < 0].unique()[:5].tolist()
        raise ValueError(f"`body_ids` must exist in bodies; unknown: {unknown}.")
    times = pd.DatetimeIndex(np.broadcast_to(pd.DatetimeIndex(np.atleast_1d(np.asarray(as_of))).values, len(body)))
    q = Queries(body=body, time=times.as_unit("ns").values, body_index=index)
    columns: dict[str, np.ndarray] = {}
    for build in BUILDERS:
        columns.update(build(tables, q))
    frame = pd.DataFrame({"body_id": pd.Series(np.asarray(body_ids), dtype="str"), "as_of": q.time})
    frame = pd.concat([frame, pd.DataFrame({n: np.asarray(columns[n], dtype=float) for n in FEATURE_NAMES})], axis=1)
    return FEATURE_SCHEMA.validate(frame, lazy=True)


def build_features(data: Data, as_of: DateLike) -> pd.DataFrame:
    """Features of every body approved before ``as_of`` (one row each).

    Examples
    --------
    >>> from features.contracts import TABLES
    >>> from features.loading import empty_table
    >>> tables = {name: empty_table(name) for name in TABLES}  # two bodies, no other record
    >>> tables["bodies"] = pd.DataFrame({
    ...     "body_id": ["CB1", "CB2"], "approved_on": pd.to_datetime(["2020-01-01", "2025-06-01"]),
    ...     "fields": ["QMS;ORGANIC", "EMS"], "ccc_designated": [False, True], "accredited": [True, True]})
    >>> build_features(tables, "2026-01-01")[["body_id", "newly_approved", "high_risk_fields"]]
      body_id  newly_approved  high_risk_fields
    0     CB1             0.0               2.0
    1     CB2             1.0               0.0
    >>> len(build_features(tables, "2025-01-01"))  # CB2 was approved after this date
    1
    """
    bodies = _tables(data)["bodies"]
    as_of = pd.Timestamp(as_of)
    ids = bodies.loc[bodies["approved_on"] < as_of, "body_id"].to_numpy()
    return build_feature_panel(data, ids, [as_of])
