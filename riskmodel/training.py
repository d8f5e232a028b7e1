"""Training sets: one row per past inspection, features as of its date.

Label: serious = outcome major or severe. Rows from random draws are weighted
by 1 / inclusion_prob, so the model learns the population, not the past
policy's choices. Targeted and complaint inspections were chosen on purpose:
by default they are excluded (``nonrandom="exclude"``); with
``nonrandom="weight_one"`` they are kept with weight 1, i.e. each counts as
one body, never as the many bodies a random row stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from features.build import build_feature_panel
from features.dictionary import FEATURE_NAMES
from features.rules import is_serious

if TYPE_CHECKING:
    from features.loading import DataSet, DateLike
    from features.tables import Tables

NONRANDOM_RULES = ("exclude", "weight_one")


@dataclass(frozen=True)
class TrainingSet:
    """Features ``X``, label ``y``, weights ``w`` and ``meta`` (ids, dates, kind), row-aligned."""

    X: pd.DataFrame
    y: np.ndarray
    w: np.ndarray
    meta: pd.DataFrame
    nonrandom: str

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, mask: ArrayLike) -> TrainingSet:
        """The rows where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        return TrainingSet(
            self.X[mask].reset_index(drop=True),
            self.y[mask],
            self.w[mask],
            self.meta[mask].reset_index(drop=True),
            self.nonrandom,
        )

    def before(self, date: DateLike) -> TrainingSet:
        """The rows of inspections before ``date``."""
        return self.subset(self.meta["inspected_on"].to_numpy() < np.datetime64(pd.Timestamp(date), "ns"))

    def on_or_after(self, date: DateLike) -> TrainingSet:
        """The rows of inspections on or after ``date``."""
        return self.subset(self.meta["inspected_on"].to_numpy() >= np.datetime64(pd.Timestamp(date), "ns"))

    def summary(self) -> dict[str, Any]:
        """Counts and the weighted serious rate, for a run's parameters."""
        kinds = self.meta["kind"].value_counts().to_dict()
        return {
            "rows": len(self),
            "serious": int(self.y.sum()),
            "weighted_serious_rate": float(np.average(self.y, weights=self.w)) if len(self) else float("nan"),
            "nonrandom_rule": self.nonrandom,
            **{f"rows_{k}": int(v) for k, v in kinds.items()},
        }


def _check(nonrandom: str) -> None:
    if nonrandom not in NONRANDOM_RULES:
        raise ValueError(f"`nonrandom` must be one of {', '.join(NONRANDOM_RULES)}; got {nonrandom!r}.")


def build_training_set(
    data: DataSet | Tables, as_of: DateLike, *, since: DateLike | None = None, nonrandom: str = "exclude"
) -> TrainingSet:
    """Past inspections before ``as_of`` (and on or after ``since``) with their features.

    Examples
    --------
    >>> ts = build_training_set(load_data_dir("data"), "2026-10-01")  # doctest: +SKIP
    >>> set(ts.meta["kind"]) == {"random"}  # doctest: +SKIP
    True
    >>> build_training_set({}, "2026-10-01", nonrandom="all")
    Traceback (most recent call last):
    ValueError: `nonrandom` must be one of exclude, weight_one; got 'all'.
    """
    _check(nonrandom)
    tables = data.tables if hasattr(data, "tables") else data
    ins = tables["inspections"]
    keep = ins["inspected_on"] < pd.Timestamp(as_of)
    if since is not None:
        keep &= ins["inspected_on"] >= pd.Timestamp(since)
    if nonrandom == "exclude":
        keep &= ins["kind"] == "random"
    rows = ins[keep].sort_values(["inspected_on", "inspection_id"], kind="stable").reset_index(drop=True)
    X = build_feature_panel(tables, rows["body_id"], rows["inspected_on"])[list(FEATURE_NAMES)]
    random = (rows["kind"] == "random").to_numpy()
    w = np.where(random, 1.0 / rows["inclusion_prob"].fillna(1.0).to_numpy(), 1.0)
    meta = rows[["inspection_id", "body_id", "inspected_on", "kind", "inclusion_prob"]].copy()
    meta["quarter"] = rows["inspected_on"].dt.to_period("Q").astype(str)
    return TrainingSet(X, is_serious(rows["outcome"]).astype(int), w, meta, nonrandom)
