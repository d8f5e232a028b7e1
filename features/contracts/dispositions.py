"""The dispositions table (风险处置记录) as a pandera model: what was done about each warning.

``certrisk monitor --dispositions FILE`` reads it. One row per action taken on
a warning of a previous monitor output: the warning, its body, the date, the
action (a rung of the 三书一函 ladder, a special check, or other), the unit and
person who took it, and whether it closed the warning. Its rules:

- every column but ``note`` is required and never empty;
- ``disposition_id`` is unique; ``action`` is one of
  :data:`features.codes.DISPOSITION_ACTIONS`;
- ``disposed_on`` is not after the as-of date of the monitor run;
- ``body_id`` exists in the data set's bodies, ``warning_id`` is a warning of
  the previous output, and of that body (checked by
  :func:`features.loading.load_dispositions`, which has both).

>>> import pandas as pd
>>> frame = pd.DataFrame({"disposition_id": pd.Series(["D1"], dtype="str"), "action": pd.Series(["fine"], dtype="str")})
>>> DispositionsModel.validate(frame)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pandera.errors.SchemaError: ...
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .. import codes

__all__ = ["DISPOSITIONS_TABLE", "DispositionsModel"]

DISPOSITIONS_TABLE = "dispositions"
"""The name the dispositions table goes by in the problem report."""


def _field(kind: str, description: str, *, nullable: bool = False, not_after_as_of: bool = False, **checks: Any) -> Any:
    meta = {"kind": kind, "not_after_as_of": not_after_as_of, "unique_rule": ""}
    return pa.Field(description=description, nullable=nullable, metadata=meta, **checks)


class DispositionsModel(pa.DataFrameModel):
    """风险处置记录: one row per action taken on a warning."""

    disposition_id: Series[str] = _field("str", "Identifier of the record (处置记录编号); unique.", unique=True)
    warning_id: Series[str] = _field(
        "str", "Warning acted on (预警编号), as in the previous monitor output's warnings list."
    )
    body_id: Series[str] = _field("str", "Body of the warning (认证机构编号); must exist in bodies.body_id.")
    disposed_on: Series[pd.Timestamp] = _field(
        "date", "Date of the action (处置日期); not after the as-of date.", not_after_as_of=True
    )
    action: Series[str] = _field(
        "str",
        "Action taken (处置措施): " + ", ".join(codes.DISPOSITION_ACTIONS) + ".",
        isin=codes.DISPOSITION_ACTIONS,
    )
    unit: Series[str] = _field("str", "Unit that took it (处置单位).")
    person: Series[str] = _field("str", "Person responsible (责任人).")
    closed: Series[bool] = _field("bool", "Whether the action closed the warning (是否办结).")
    note: Series[str] | None = _field("str", "Free note (备注).", nullable=True)

    class Config:
        name = DISPOSITIONS_TABLE
        strict = False
        coerce = False
