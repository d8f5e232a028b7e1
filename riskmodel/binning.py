"""Monotone binning of one feature with weight-of-evidence (WoE) values.

Quantile cut points, small bins merged into their neighbours, then adjacent
bins pooled until the weighted serious rate moves in the declared direction
(pool-adjacent-violators). WoE is the logit of the smoothed bin rate minus the
logit of the overall rate, so positive WoE means riskier than average.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


def _bin_stats(codes: np.ndarray, y: np.ndarray, w: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    weight = np.bincount(codes, weights=w, minlength=n_bins)
    events = np.bincount(codes, weights=w * y, minlength=n_bins)
    return weight, events


def _merge(edges: np.ndarray, k: int) -> np.ndarray:
    """Merge bin k with bin k + 1 (drop the edge between them)."""
    return np.delete(edges, k)


class MonotoneBinning(TransformerMixin, BaseEstimator):
    """Bins of one feature whose serious rate is monotone in ``direction``.

    Parameters
    ----------
    direction : {1, -1, 0}
        +1: rate must not fall as the feature grows; -1: must not rise; 0: the
        direction of the weighted correlation in the training data.
    max_bins : int
    min_bin_share : float
        Bins holding less than this share of the weight are merged.

    Examples
    --------
    >>> x = np.arange(100.0); y = (x > 60).astype(int)
    >>> b = MonotoneBinning(direction=1).fit(x, y)
    >>> bool(np.all(np.diff(b.woe_) >= 0))
    True
    """

    def __init__(self, direction: int = 1, max_bins: int = 6, min_bin_share: float = 0.05):
        self.direction = direction
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share

    def fit(self, x, y, sample_weight=None):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        w = np.ones_like(x) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if self.direction not in (1, -1, 0):
            raise ValueError(f"`direction` must be 1, -1 or 0; got {self.direction!r}.")
        direction = self.direction or (1 if np.cov(x, y, aweights=w)[0, 1] >= 0 else -1)
        edges = np.unique(np.quantile(x, np.linspace(0, 1, self.max_bins + 1)[1:-1]))
        edges = edges[edges > x.min()] if len(edges) else edges
        edges = self._merge_small(x, w, edges)
        edges = self._pool_violators(x, y, w, edges, direction)
        weight, events = _bin_stats(np.searchsorted(edges, x, side="right"), y, w, len(edges) + 1)
        overall = events.sum() / weight.sum()
        prior = 2.0 * w.mean()  # about two rows of pseudo-evidence at the overall rate
        rate = (events + prior * overall) / (weight + prior)
        woe = np.log(rate / (1 - rate)) - np.log(overall / (1 - overall))
        self.woe_ = np.maximum.accumulate(woe) if direction > 0 else np.minimum.accumulate(woe)
        self.edges_, self.direction_, self.bin_weight_, self.bin_rate_ = edges, direction, weight, rate
        return self

    def _merge_small(self, x, w, edges):
        while len(edges):
            weight, _ = _bin_stats(np.searchsorted(edges, x, side="right"), np.zeros_like(x), w, len(edges) + 1)
            share = weight / weight.sum()
            k = int(np.argmin(share))
            if share[k] >= self.min_bin_share:
                break
            neighbour = k - 1 if k == len(edges) or (k > 0 and share[k - 1] < share[k + 1]) else k
            edges = _merge(edges, neighbour)
        return edges

    @staticmethod
    def _pool_violators(x, y, w, edges, direction):
        while len(edges):
            weight, events = _bin_stats(np.searchsorted(edges, x, side="right"), y, w, len(edges) + 1)
            rate = direction * events / np.maximum(weight, 1e-12)
            bad = np.flatnonzero(np.diff(rate) < 0)
            if not len(bad):
                break
            edges = _merge(edges, bad[0])
        return edges

    def transform(self, x) -> np.ndarray:
        check_is_fitted(self, "woe_")
        return self.woe_[np.searchsorted(self.edges_, np.asarray(x, dtype=float), side="right")]

    def bin_labels(self) -> list[str]:
        """Readable intervals, e.g. '< 0.05', '0.05 .. 0.12', '>= 0.12'."""
        check_is_fitted(self, "woe_")
        e = [f"{v:.4g}" for v in self.edges_]
        if not e:
            return ["all"]
        return [f"< {e[0]}"] + [f"{a} .. {b}" for a, b in zip(e[:-1], e[1:])] + [f">= {e[-1]}"]
