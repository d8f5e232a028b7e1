"""Quarterly monitoring of the risk model: stability, grade migration, calibration.

Three checks run each quarter against the previous one (engine spec §3):

- :func:`psi` and :func:`psi_table`: population stability index of the score
  and of every feature, banded ``stable`` (< 0.10), ``watch`` (0.10 to 0.25)
  and ``shift`` (>= 0.25);
- :func:`migration_matrix`: how bodies moved between grades A..D, with the
  bodies that appeared (``new``) or disappeared (``gone``);
- :func:`observed_vs_predicted`: per grade, the weighted mean predicted
  serious rate against the observed rate on the new outcomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from features.codes import GRADES

__all__ = [
    "GRADES",
    "PSI_BANDS",
    "PSI_EPSILON",
    "MigrationMatrix",
    "migration_matrix",
    "observed_vs_predicted",
    "psi",
    "psi_band",
    "psi_table",
]

NEW = "new"
GONE = "gone"

#: Upper bounds of the PSI bands: ``stable`` below 0.10, ``watch`` below 0.25,
#: ``shift`` from 0.25 on (the usual credit-scoring rule of thumb).
PSI_BANDS: tuple[tuple[str, float], ...] = (("stable", 0.10), ("watch", 0.25), ("shift", np.inf))

#: Floor on a bin's proportion so that an empty bin gives a finite term:
#: ``max(p, PSI_EPSILON)`` replaces ``p`` in both the difference and the log.
PSI_EPSILON = 1e-4


# --------------------------------------------------------------------------- PSI
def _check_sample(x: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be one-dimensional; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"`{name}` must contain at least one value; got an empty array.")
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be numeric; got dtype {arr.dtype}.") from None
    n_bad = int(np.sum(~np.isfinite(arr)))
    if n_bad:
        raise ValueError(f"`{name}` must be finite; got {n_bad} NaN or infinite value(s).")
    return arr


def _check_psi_args(expected: ArrayLike, actual: ArrayLike, bins: object, eps: object) -> tuple[np.ndarray, np.ndarray]:
    e = _check_sample(expected, "expected")
    a = _check_sample(actual, "actual")
    if isinstance(bins, (bool, np.bool_)) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"`bins` must be an integer >= 2; got {bins!r}.")
    if not (isinstance(eps, (int, float)) and 0 < eps < 1):
        raise ValueError(f"`eps` must be a number in (0, 1); got {eps!r}.")
    return e, a


def _bin_shares(expected: np.ndarray, actual: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Shares of ``expected`` and ``actual`` in bins cut at the expected quantiles."""
    inner = np.quantile(expected, np.arange(1, bins) / bins)
    edges = np.unique(inner)  # ties: repeated quantiles collapse into one edge
    # Right-closed bins (-inf, e1], (e1, e2], ..., (ek, inf).
    k = len(edges) + 1
    e_counts = np.bincount(np.searchsorted(edges, expected, side="left"), minlength=k)
    a_counts = np.bincount(np.searchsorted(edges, actual, side="left"), minlength=k)
    return e_counts / expected.size, a_counts / actual.size


def psi(expected: ArrayLike, actual: ArrayLike, bins: int = 10, *, eps: float = PSI_EPSILON) -> float:
    """Population stability index of ``actual`` against ``expected``.

    .. math:: \\mathrm{PSI} = \\sum_i (a_i - e_i) \\ln(a_i / e_i)

    where :math:`e_i` and :math:`a_i` are the shares of the two samples in
    bin :math:`i`. The bins are cut at the ``bins``-quantiles of ``expected``
    (the previous quarter), so each holds about ``1 / bins`` of it.

    Parameters
    ----------
    expected : array-like of shape (n,)
        Reference sample (previous quarter). Finite numbers.
    actual : array-like of shape (m,)
        Sample to compare (current quarter). Finite numbers.
    bins : int, default=10
        Number of quantile bins. Ties: equal quantiles (a point mass, e.g. a
        0/1 flag with 80 % zeros) collapse into one edge, so fewer bins are
        used; bins are right-closed, ``(e[i-1], e[i]]``.
    eps : float, default=1e-4
        Floor on each share: a bin that is empty in one sample uses ``eps``
        instead of 0 so that the log stays finite. A bin empty in both samples
        contributes exactly 0; a bin empty in one sample contributes about
        ``p ln(p / eps)``, a large term, which is what a new value deserves.

    Returns
    -------
    float
        Non-negative; 0 for identical distributions. Bands: see :func:`psi_band`.

    Raises
    ------
    ValueError
        If a sample is empty, not one-dimensional or holds NaN or infinite
        values, or if ``bins`` or ``eps`` is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(100.0)
    >>> psi(x, x)
    0.0
    >>> round(psi(x, x + 10), 3)  # first decile empties: (1e-4 - 0.1) ln(1e-4 / 0.1) dominates
    0.759
    """
    e, a = _check_psi_args(expected, actual, bins, eps)
    pe, pa = _bin_shares(e, a, int(bins))
    pe = np.maximum(pe, eps)
    pa = np.maximum(pa, eps)
    return float(np.sum((pa - pe) * np.log(pa / pe)))


def psi_band(value: float) -> str:
    """The band of a PSI value: ``"stable"`` (< 0.10), ``"watch"`` (< 0.25) or ``"shift"``.

    Examples
    --------
    >>> psi_band(0.05), psi_band(0.10), psi_band(0.3)
    ('stable', 'watch', 'shift')
    """
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"`value` must be a non-negative PSI; got {value!r}.")
    return next(name for name, upper in PSI_BANDS if v < upper)


def psi_table(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    bins: int = 10,
) -> pd.DataFrame:
    """PSI of each column of ``current`` against ``previous``, with its band.

    Parameters
    ----------
    previous, current : pandas.DataFrame
        Last quarter's and this quarter's frames (e.g. the scores and the
        features, one row per body).
    columns : sequence of str, optional
        Columns to compare; by default every column of ``previous``.
    bins : int, default=10
        Number of quantile bins, see :func:`psi`.

    Returns
    -------
    pandas.DataFrame
        One row per column, in the order given: ``column``, ``psi``, ``band``.

    Raises
    ------
    ValueError
        If a frame is empty, a column is missing from either frame, or a column
        holds non-numeric, NaN or infinite values (the message names it).

    Examples
    --------
    >>> import pandas as pd
    >>> prev = pd.DataFrame({"score": [0.1, 0.2, 0.3, 0.4]})
    >>> psi_table(prev, prev, bins=2)
      column  psi    band
    0  score  0.0  stable
    """
    for name, frame in (("previous", previous), ("current", current)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"`{name}` must be a pandas DataFrame; got {type(frame).__name__}.")
        if len(frame) == 0:
            raise ValueError(f"`{name}` must have at least one row; got an empty frame.")
    cols = list(previous.columns) if columns is None else list(columns)
    if not cols:
        raise ValueError("`columns` must name at least one column; got none.")
    for name, frame in (("previous", previous), ("current", current)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"`{name}` lacks column(s) {missing} listed in `columns`.")
    rows = []
    for col in cols:
        try:
            value = psi(previous[col].to_numpy(), current[col].to_numpy(), bins=bins)
        except ValueError as exc:
            raise ValueError(f"column {col!r}: {exc}") from None
        rows.append((col, value, psi_band(value)))
    return pd.DataFrame(rows, columns=["column", "psi", "band"])


# --------------------------------------------------------------------- migration
@dataclass(frozen=True)
class MigrationMatrix:
    """Grade migration between two quarters.

    Attributes
    ----------
    counts : pandas.DataFrame
        Number of bodies; rows are the previous grade (A..D, then ``new`` for
        bodies graded only this quarter), columns the current grade (A..D,
        then ``gone`` for bodies graded only last quarter).
    shares : pandas.DataFrame
        ``counts`` divided by its row totals (NaN for a row with no body).
    """

    counts: pd.DataFrame
    shares: pd.DataFrame

    @property
    def stayed(self) -> float:
        """Share of the bodies graded in both quarters that kept their grade."""
        both = self.counts.loc[list(GRADES), list(GRADES)].to_numpy()
        total = both.sum()
        return float(np.trace(both) / total) if total else float("nan")


def _plain(value: object) -> object:
    """A numpy scalar as the Python scalar it holds (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_grades(grades: object, name: str) -> pd.Series:
    if not isinstance(grades, pd.Series):
        raise TypeError(f"`{name}` must be a pandas Series indexed by body_id; got {type(grades).__name__}.")
    dup = grades.index[grades.index.duplicated()].unique()
    if len(dup):
        raise ValueError(f"`{name}` has duplicate body_id(s) {list(dup[:5])}; each body must appear once.")
    values = grades.astype(object)
    bad = values[~values.isin(GRADES)]
    if len(bad):
        shown = list(pd.unique(bad.map(repr)))[:5]
        raise ValueError(
            f"`{name}` must hold grades {list(GRADES)}; got {', '.join(shown)} (e.g. body_id {_plain(bad.index[0])!r})."
        )
    return values.astype(str)


def migration_matrix(previous_grades: pd.Series, current_grades: pd.Series) -> MigrationMatrix:
    """Count how bodies moved between grades from one quarter to the next.

    Parameters
    ----------
    previous_grades, current_grades : pandas.Series
        Grade (``"A"`` .. ``"D"``) of each body, indexed by ``body_id``.
        Bodies are matched by index; a body in only one of the two quarters
        counts in row ``new`` or column ``gone``.

    Returns
    -------
    MigrationMatrix
        ``counts`` and row ``shares``, rows A, B, C, D, new and columns
        A, B, C, D, gone (the ``new``/``gone`` cell is always 0).

    Raises
    ------
    ValueError
        If both series are empty, an index holds a duplicate body_id or a
        value is not one of A..D.

    Examples
    --------
    >>> import pandas as pd
    >>> prev = pd.Series({"b1": "A", "b2": "B", "b3": "D"})
    >>> cur = pd.Series({"b1": "A", "b2": "C", "b4": "A"})
    >>> m = migration_matrix(prev, cur)
    >>> m.counts.loc[["A", "B", "D", "new"], ["A", "C", "gone"]].to_numpy().tolist()
    [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]
    >>> m.stayed  # of the 2 bodies graded in both quarters, 1 kept its grade
    0.5
    """
    prev = _check_grades(previous_grades, "previous_grades")
    cur = _check_grades(current_grades, "current_grades")
    if len(prev) == 0 and len(cur) == 0:
        raise ValueError("`previous_grades` and `current_grades` are both empty; nothing to compare.")
    ids = prev.index.union(cur.index, sort=False)
    rows = prev.reindex(ids).fillna(NEW)
    cols = cur.reindex(ids).fillna(GONE)
    row_labels = [*GRADES, NEW]
    col_labels = [*GRADES, GONE]
    counts = (
        pd.crosstab(
            pd.Categorical(rows, categories=row_labels), pd.Categorical(cols, categories=col_labels), dropna=False
        )
        .reindex(index=row_labels, columns=col_labels, fill_value=0)
        .astype("int64")
    )
    counts.index.name = "previous"
    counts.columns.name = "current"
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0)
    return MigrationMatrix(counts=counts, shares=shares)


# ------------------------------------------------------------ observed vs predicted
def observed_vs_predicted(
    grades: pd.Series | ArrayLike, predicted: ArrayLike, observed: ArrayLike, weights: ArrayLike | None = None
) -> pd.DataFrame:
    """Weighted mean predicted and observed serious rate per grade.

    Parameters
    ----------
    grades : pandas.Series or array-like of shape (n,)
        Grade A..D of each inspected body (row-aligned with the arrays, not
        matched by index).
    predicted : array-like of shape (n,)
        Calibrated probability of a serious outcome, in [0, 1].
    observed : array-like of shape (n,)
        Outcome: 1 serious, 0 not (or a rate in [0, 1]).
    weights : array-like of shape (n,), optional
        Survey weights, e.g. ``1 / inclusion_prob``; non-negative. Default 1.

    Returns
    -------
    pandas.DataFrame
        Rows A..D (a grade without rows has weight 0 and NaN rates), columns
        ``grade``, ``n``, ``weight``, ``predicted``, ``observed`` and
        ``difference`` (observed minus predicted).

    Raises
    ------
    ValueError
        If the inputs are empty or of different lengths, a grade is not A..D,
        a rate is outside [0, 1] or NaN, or a weight is negative, NaN or all
        weights are zero.

    Examples
    --------
    >>> out = observed_vs_predicted(["A", "A", "D"], [0.1, 0.1, 0.5], [0, 1, 1], [1, 3, 2])
    >>> out[["grade", "weight", "predicted", "observed"]].iloc[[0, 3]]
      grade  weight  predicted  observed
    0     A     4.0        0.1      0.75
    3     D     2.0        0.5      1.00
    """
    g = pd.Series(np.asarray(grades, dtype=object))
    n = len(g)
    if n == 0:
        raise ValueError("`grades` must contain at least one value; got an empty array.")
    arrays = {}
    for name, values in (("predicted", predicted), ("observed", observed), ("weights", weights)):
        if values is None:
            arrays[name] = np.ones(n)
            continue
        arr = np.asarray(values, dtype=float)
        if arr.shape != (n,):
            raise ValueError(f"`{name}` must have shape ({n},) like `grades`; got {arr.shape}.")
        if np.isnan(arr).any():
            raise ValueError(f"`{name}` must not contain NaN; got {int(np.isnan(arr).sum())} NaN value(s).")
        arrays[name] = arr
    bad = g[~g.isin(GRADES)]
    if len(bad):
        raise ValueError(f"`grades` must hold {list(GRADES)}; got {bad.iloc[0]!r} at position {bad.index[0]}.")
    for name in ("predicted", "observed"):
        arr = arrays[name]
        out = (arr < 0) | (arr > 1)
        if out.any():
            raise ValueError(f"`{name}` must lie in [0, 1]; got {float(arr[out][0])!r}.")
    w = arrays["weights"]
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"`weights` must be finite and non-negative; got {float(w[(w < 0) | ~np.isfinite(w)][0])!r}.")
    if w.sum() == 0:
        raise ValueError("`weights` must not all be zero.")
    frame = pd.DataFrame(
        {
            "grade": g,
            "w": w,
            "wp": w * arrays["predicted"],
            "wo": w * arrays["observed"],
        }
    )
    agg = frame.groupby("grade").agg(n=("w", "size"), weight=("w", "sum"), wp=("wp", "sum"), wo=("wo", "sum"))
    agg = agg.reindex(list(GRADES)).fillna({"n": 0, "weight": 0.0, "wp": 0.0, "wo": 0.0})
    with np.errstate(invalid="ignore", divide="ignore"):
        pred = np.where(agg["weight"] > 0, agg["wp"] / agg["weight"], np.nan)
        obs = np.where(agg["weight"] > 0, agg["wo"] / agg["weight"], np.nan)
    return pd.DataFrame(
        {
            "grade": list(GRADES),
            "n": agg["n"].astype("int64").to_numpy(),
            "weight": agg["weight"].to_numpy(dtype=float),
            "predicted": pred,
            "observed": obs,
            "difference": obs - pred,
        }
    )
