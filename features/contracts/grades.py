"""The grades file as a pandera model: what ``commit``, ``draw``, ``plan`` and
``estimate --grades`` accept as the 风险分类 of the bodies.

A grades file is written by ``certrisk grade`` (every column below) or by
hand (``body_id`` and ``grade`` suffice). Its rules:

- ``body_id`` and ``grade`` are required and never empty;
- one row per body: a body on two rows is refused, even with the same grade;
- ``grade`` is one of A, B, C, D (as is ``model_grade``);
- ``p_serious`` is a probability in [0, 1] (empty allowed);
- every ``body_id`` exists in the data set's ``bodies.body_id`` (checked by
  :func:`features.loading.load_grades`, which has the bodies).

Other columns are allowed and kept as they are (a hand-made file may carry
notes). Like the input tables the model validates the canonical in-memory
form: text as pandas strings, ``as_of`` as ``datetime64[ns]``, numbers as
``float64``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"body_id": pd.Series(["CB1", "CB2"], dtype="str"), "grade": pd.Series(["A", "E"], dtype="str")})
>>> GradesModel.validate(frame)  # doctest: +ELLIPSIS
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

__all__ = ["GRADES_TABLE", "GRADE_RULE", "ONE_ROW_PER_BODY_RULE", "GradesModel"]

GRADES_TABLE = "grades"
"""The name the grades file goes by in the problem report."""
GRADE_RULE = "must be one of " + ", ".join(codes.GRADES)
ONE_ROW_PER_BODY_RULE = "must appear on one row only (one grade per body)"


def _field(kind: str, description: str, *, nullable: bool = False, unique_rule: str = "", **checks: Any) -> Any:
    """A pandera ``Field`` that records the column's kind (as the input tables' fields do)."""
    meta = {"kind": kind, "not_after_as_of": False, "unique_rule": unique_rule}
    return pa.Field(description=description, nullable=nullable, metadata=meta, **checks)


class GradesModel(pa.DataFrameModel):
    """风险分类结果: one row per certification body with its grade A-D."""

    body_id: Series[str] = _field(
        "str",
        "Certification body (认证机构编号); one row per body; must exist in bodies.body_id.",
        unique=True,
        unique_rule=ONE_ROW_PER_BODY_RULE,
    )
    grade: Series[str] = _field(
        "str",
        "Risk grade after overrides (风险分类): A, B, C or D.",
        isin=codes.GRADES,
    )
    as_of: Series[pd.Timestamp] | None = _field("date", "As-of date of the grading (基准日).", nullable=True)
    p_serious: Series[float] | None = _field(
        "float",
        "Calibrated probability of a serious finding (较严重问题概率), in [0, 1].",
        nullable=True,
        in_range={"min_value": 0, "max_value": 1},
    )
    score: Series[float] | None = _field("float", "Scorecard points (评分).", nullable=True)
    model_grade: Series[str] | None = _field(
        "str",
        "Grade of the model before overrides (模型分类): A, B, C or D.",
        nullable=True,
        isin=codes.GRADES,
    )
    override: Series[str] | None = _field(
        "str", "Override rule that set the grade (调整规则); empty if none.", nullable=True
    )
    reasons: Series[str] | None = _field("str", "Main reasons for the grade, readable (主要原因).", nullable=True)
    model_version: Series[str] | None = _field("str", "Model name and version (模型版本).", nullable=True)

    class Config:
        name = GRADES_TABLE
        strict = False
        coerce = False
