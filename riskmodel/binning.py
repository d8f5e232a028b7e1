"""Monotone binning of one feature with weight-of-evidence (WoE) values.

Quantile cut points, small bins merged into their neighbours, then adjacent
bins pooled until the weighted serious rate moves in the declared direction
(pool-adjacent-violators). WoE is the logit of the smoothed bin rate minus the
logit of the overall rate, so positive WoE means riskier than average.
"""

from __future__ import annotations

from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Tags
from sklearn.utils.validation import _check_sample_weight, check_array, check_consistent_length, check_is_fitted

__all__ = ["MonotoneBinning"]


def _bin_stats(codes: np.ndarray, y: np.ndarray, w: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    weight = np.bincount(codes, weights=w, minlength=n_bins)
    events = np.bincount(codes, weights=w * y, minlength=n_bins)
    return weight, events


def _merge(edges: np.ndarray, k: int) -> np.ndarray:
    """Merge bin k with bin k + 1 (drop the edge between them)."""
    return np.delete(edges, k)


def _one_feature(x: ArrayLike, name: str) -> np.ndarray:
    """``x`` as a finite float array of one dimension (one feature)."""
    arr = check_array(x, ensure_2d=False, dtype=np.float64, input_name=name)
    if arr.ndim != 1:
        raise ValueError(f"MonotoneBinning bins one feature: `{name}` must be one-dimensional; got shape {arr.shape}.")
    return arr


class MonotoneBinning(TransformerMixin, BaseEstimator):
    """Bins of one feature whose serious rate is monotone in ``direction``.

    Like :class:`sklearn.isotonic.IsotonicRegression`, it takes one feature as
    a one-dimensional array (the scorecard bins each feature on its own).

    Parameters
    ----------
    direction : {1, -1, 0}, default=1
        +1: rate must not fall as the feature grows; -1: must not rise; 0: the
        direction of the weighted correlation in the training data.
    max_bins : int, default=6
    min_bin_share : float, default=0.05
        Bins holding less than this share of the weight are merged.

    Attributes
    ----------
    edges_ : ndarray
        Inner cut points; bin ``k`` holds ``edges_[k-1] <= x < edges_[k]``.
    woe_ : ndarray
        Weight of evidence of each bin, monotone in ``direction_``.
    direction_ : {1, -1}
        The direction used (learned if ``direction`` is 0).
    bin_weight_, bin_rate_ : ndarray
        Training weight and smoothed serious rate of each bin.

    Examples
    --------
    >>> x = np.arange(100.0); y = (x > 60).astype(int)
    >>> b = MonotoneBinning(direction=1).fit(x, y)
    >>> bool(np.all(np.diff(b.woe_) >= 0))
    True
    """

    def __init__(self, *, direction: int = 1, max_bins: int = 6, min_bin_share: float = 0.05) -> None:
        self.direction = direction
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.target_tags.required = True
        return tags

    def fit(self, x: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Cut ``x`` into monotone bins of the serious rate ``y`` (0/1), weighted by ``sample_weight``."""
        x, y = _one_feature(x, "x"), _one_feature(y, "y")
        check_consistent_length(x, y)
        w = _check_sample_weight(sample_weight, x)
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

    def _merge_small(self, x: np.ndarray, w: np.ndarray, edges: np.ndarray) -> np.ndarray:
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
    def _pool_violators(x: np.ndarray, y: np.ndarray, w: np.ndarray, edges: np.ndarray, direction: int) -> np.ndarray:
        while len(edges):
            weight, events = _bin_stats(np.searchsorted(edges, x, side="right"), y, w, len(edges) + 1)
            rate = direction * events / np.maximum(weight, 1e-12)
            bad = np.flatnonzero(np.diff(rate) < 0)
            if not len(bad):
                break
            edges = _merge(edges, bad[0])
        return edges

    def transform(self, x: ArrayLike) -> np.ndarray:
        """The WoE of each value's bin."""
        check_is_fitted(self, "woe_")
        return self.woe_[np.searchsorted(self.edges_, _one_feature(x, "x"), side="right")]

    def bin_labels(self) -> list[str]:
        """Readable intervals, e.g. '< 0.05', '0.05 .. 0.12', '>= 0.12'."""
        check_is_fitted(self, "woe_")
        e = [f"{v:.4g}" for v in self.edges_]
        if not e:
            return ["all"]
        return [f"< {e[0]}"] + [f"{a} .. {b}" for a, b in zip(e[:-1], e[1:])] + [f">= {e[-1]}"]
