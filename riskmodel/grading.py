"""A-D grades: bands on the calibrated probability, then rule overrides that can
only raise a grade, each recorded by name.

Default bands (P(serious) upper limits of A, B, C): 0.18, 0.30, 0.55; they keep
the observed serious rate strictly increasing from A to D and the shares near
observed practice (A 50-70 %, D 2-8 %) on the synthetic national data.

Overrides (direct triggers, as in the accreditation body's grading):
- ``revoked``, ``unreachable`` (status on the as-of date, or an unreachable signal in 12 months),
  ``blacklist`` (a blacklist signal in 3 years): grade D;
- ``penalty_12m`` (administrative penalty in 12 months), ``severe_12m``
  (a severe inspection outcome in 12 months): at least C.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from features.codes import GRADES
from features.rules import body_status

if TYPE_CHECKING:
    from features.loading import DateLike
    from features.tables import Tables

__all__ = ["DEFAULT_BANDS", "GRADES", "RULES", "apply_overrides", "check_bands", "model_grades", "triggered_rules"]

DEFAULT_BANDS = (0.18, 0.30, 0.55)
RULES = {  # rule: minimum grade
    "revoked": "D",
    "unreachable": "D",
    "blacklist": "D",
    "penalty_12m": "C",
    "severe_12m": "C",
}


def check_bands(bands: Iterable[float]) -> tuple[float, float, float]:
    """``bands`` as three floats, or ValueError if they are not increasing probabilities in (0, 1)."""
    values = tuple(float(b) for b in bands)
    if len(values) != 3 or not (0 < values[0] < values[1] < values[2] < 1):
        raise ValueError(f"`bands` must be three increasing probabilities in (0, 1); got {values}.")
    return values[0], values[1], values[2]


def model_grades(p: ArrayLike, bands: Iterable[float] = DEFAULT_BANDS) -> np.ndarray:
    """Grade from calibrated probability: A below bands[0], ..., D from bands[2] up.

    >>> model_grades([0.05, 0.2, 0.9]).tolist()
    ['A', 'B', 'D']
    """
    limits = check_bands(bands)
    return np.array(GRADES)[np.searchsorted(np.asarray(limits), np.asarray(p, float), side="right")]


def _recent(frame: pd.DataFrame, date_col: str, as_of: pd.Timestamp, months: int) -> pd.DataFrame:
    dates = frame[date_col]
    return frame[(dates < as_of) & (dates >= as_of - pd.DateOffset(months=months))]


def triggered_rules(tables: Tables, body_ids: ArrayLike, as_of: DateLike) -> pd.DataFrame:
    """One boolean column per override rule, indexed by body_id."""
    as_of = pd.Timestamp(as_of)
    bodies = tables["bodies"].set_index("body_id")
    signals, ins = tables["signals"], tables["inspections"]
    ids = pd.Index(body_ids)
    status = body_status(bodies, as_of).reindex(ids)  # as it stood on the as-of date
    kinds = lambda kind, months: set(_recent(signals[signals["kind"] == kind], "observed_on", as_of, months)["body_id"])  # noqa: E731
    severe = set(_recent(ins[ins["outcome"] == "severe"], "inspected_on", as_of, 12)["body_id"])
    return pd.DataFrame(
        {
            "revoked": (status == "revoked").to_numpy(),
            "unreachable": ((status == "unreachable").to_numpy() | ids.isin(kinds("unreachable", 12))),
            "blacklist": ids.isin(kinds("blacklist", 36)),
            "penalty_12m": ids.isin(kinds("penalty", 12)),
            "severe_12m": ids.isin(severe),
        },
        index=ids,
    )


def apply_overrides(model_grade: Iterable[str], rules: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Final grades (never below the model grade) and the names of the rules that raised them."""
    rank = {g: i for i, g in enumerate(GRADES)}
    final = np.array([rank[g] for g in model_grade])
    names: list[list[str]] = [[] for _ in final]
    for rule, floor in RULES.items():
        hit = rules[rule].to_numpy()
        raise_ = hit & (final < rank[floor])
        final = np.where(hit, np.maximum(final, rank[floor]), final)
        for i in np.flatnonzero(raise_):
            names[i].append(rule)
    return np.array(GRADES)[final], np.array([";".join(n) for n in names], dtype=object)
