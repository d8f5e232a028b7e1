"""Profile: age, newness, CCC, accreditation, fields."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codes import HIGH_RISK_FIELDS
from ..rules import NEW_YEARS
from ..tables import Tables
from .queries import Queries


def _has_field(fields: pd.Series, code: str) -> np.ndarray:
    return fields.str.split(";").map(lambda f: code in f).to_numpy(dtype=float)


def profile_features(tables: Tables, q: Queries) -> dict[str, np.ndarray]:
    """Profile features of every query (see the profile family of the feature dictionary)."""
    b = tables["bodies"]
    fields = b["fields"].fillna("")
    split = fields.str.split(";")
    age = q.years_since(b["approved_on"].to_numpy()[q.body])
    return {
        "age_years": age,
        "newly_approved": (age < NEW_YEARS).astype(float),
        "ccc_designated": b["ccc_designated"].to_numpy(dtype=float)[q.body],
        "accredited": b["accredited"].to_numpy(dtype=float)[q.body],
        "n_fields": split.map(lambda f: len([x for x in f if x])).to_numpy(dtype=float)[q.body],
        "high_risk_fields": split.map(lambda f: len(set(f) & set(HIGH_RISK_FIELDS))).to_numpy(dtype=float)[q.body],
        "field_organic": _has_field(fields, "ORGANIC")[q.body],
        "field_ipms": _has_field(fields, "IPMS")[q.body],
        "field_enms": _has_field(fields, "EnMS")[q.body],
    }
