"""The (body, as-of date) pairs features are built for."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Queries:
    """``body[i]`` (row index into the bodies table) as of ``time[i]``."""

    body: np.ndarray
    time: np.ndarray  # datetime64[ns]
    body_index: pd.Index  # body_id -> row of the bodies table

    def groups(self, body_ids: pd.Series) -> np.ndarray:
        """Row index of each event's body (-1 for unknown bodies, ignored)."""
        return self.body_index.get_indexer(body_ids)

    def years_since(self, dates: np.ndarray) -> np.ndarray:
        return (self.time - dates) / DAY / 365.25

    @property
    def everyone(self) -> np.ndarray:
        """Group 0 for every query: population-wide sums over one pooled index."""
        return np.zeros(len(self.body), dtype=np.int64)


def shrunk_rate(k: np.ndarray, n: np.ndarray, population: np.ndarray, pseudo: float) -> np.ndarray:
    """(k + pseudo * population) / (n + pseudo): a rate that one observation cannot make extreme."""
    return (k + pseudo * population) / (n + pseudo)


def pooled_rate(k: np.ndarray, n: np.ndarray, fallback: float = 0.0) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, k / np.where(n > 0, n, 1), fallback)
