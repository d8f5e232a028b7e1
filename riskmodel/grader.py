"""Grade every body: calibrated probability, points, model grade, overrides, reasons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from features.dictionary import FEATURE_NAMES
from features.tables import Tables

from .grading import DEFAULT_BANDS, apply_overrides, model_grades, triggered_rules
from .models import base_estimator, predict_serious
from .net_risk import net_probability
from .reasons import contributions, reason_texts
from .scorecard import Scorecard

if TYPE_CHECKING:
    from .net_risk import InspectorCorrection

GRADE_COLUMNS = [
    "body_id",
    "as_of",
    "p_serious",
    "score",
    "model_grade",
    "grade",
    "override",
    "reasons",
    "model_version",
]


def grade_bodies(
    model: Any,
    features: pd.DataFrame,
    tables: Tables,
    *,
    bands: Iterable[float] = DEFAULT_BANDS,
    model_version: str = "",
    lang: str = "en",
    with_reasons: bool = True,
    correction: InspectorCorrection | None = None,
) -> pd.DataFrame:
    """The grades table of the data contract, one row per body of ``features``.

    ``features`` is a feature table for one as-of date; ``tables`` the data
    directory's tables (for the override rules). ``with_reasons=False`` skips
    the explanations (for monitoring, where only grades are needed).
    ``correction`` (:func:`riskmodel.net_risk.inspector_correction`) grades by the
    body risk net of the inspector effect: ``p_serious`` is then the net
    probability, and the column ``inspector_shift`` holds the change of each
    body's log-odds.
    """
    if features["as_of"].nunique() != 1:
        raise ValueError("`features` must hold exactly one as-of date.")
    as_of = pd.Timestamp(features["as_of"].iloc[0])
    X = features[list(FEATURE_NAMES)].reset_index(drop=True)
    p = predict_serious(model, X)
    if correction is not None:
        shift = correction.shift(X)
        p = net_probability(p, shift)
    base = base_estimator(model)
    score = base.points(X) if isinstance(base, Scorecard) else np.full(len(X), np.nan)
    first = model_grades(p, bands)
    final, override = apply_overrides(first, triggered_rules(tables, features["body_id"], as_of))
    reasons = reason_texts(X, contributions(lambda Z: predict_serious(model, Z), X), lang=lang) if with_reasons else ""
    table = pd.DataFrame(
        {
            "body_id": features["body_id"].to_numpy(),
            "as_of": as_of,
            "p_serious": p,
            "score": np.round(score, 1),
            "model_grade": first,
            "grade": final,
            "override": override,
            "reasons": reasons,
            "model_version": model_version,
        }
    )[GRADE_COLUMNS]
    return table.assign(inspector_shift=np.round(shift, 4)) if correction is not None else table
