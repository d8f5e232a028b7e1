"""Design-based estimators for completed inspections (engine section 6).

Each drawn body ``k`` comes with its inclusion probability ``pi_k`` (from the
draw that selected it) and an outcome ``y_k`` (e.g. 1 if the inspection found
a serious problem). The estimators are:

* :func:`ht_total`: Horvitz-Thompson total ``sum_s y_k / pi_k``.
* :func:`hajek_mean`: Hajek mean ``sum_s (y_k / pi_k) / sum_s (1 / pi_k)``,
  a ratio, linearised as ``z_k = (y_k - R) / N_hat``.
* :func:`pooled_rate`: the Hajek ratio over several independent draws
  (quarters), overall or by domain (grade, province), one row per domain.
* :func:`two_stage_rate`: the rate of problem certificates when ``m_k`` of the
  ``N_k`` certificates of each drawn body were checked.

Variances. With the joint inclusion probabilities of the sampled units
(``joint``, e.g. from :func:`sampling.joint_inclusion_probabilities`) the
Sen-Yates-Grundy (fixed size) or Horvitz-Thompson form is used; these agree
with R ``survey`` (``pps = ppsmat(J)``) to rounding. Without them (the usual
case: only the sample's ``pi`` are recorded) the high-entropy approximation of
Hajek (1964) and Deville (1999) for fixed-size maximum-entropy designs, as
evaluated by Matei & Tille (2005):

    V = f * sum_k (1 - pi_k) (e_k - A)^2,   e_k = y_k / pi_k,
    A = sum_k (1 - pi_k) e_k / sum_k (1 - pi_k),

over the units with ``pi_k < 1`` (certainties add no variance), with
``f = n / (n - 1)`` (``"deville1"``, the default) or
``f = 1 / (1 - sum_k a_k^2)``, ``a_k = (1 - pi_k) / sum_l (1 - pi_l)``
(``"deville2"``, R's ``sampling::varest``), ``n`` the number of sampled units
with ``pi < 1``. Independent draws add their variances. See
``docs/estimation.md`` for the formulas, the interval choice and the
simulation that checks bias and coverage.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats
from scipy.special import expit, logit, ndtri

from .._checks import as_float_vector, short

__all__ = ["Estimate", "ht_total", "hajek_mean", "pooled_rate", "two_stage_rate"]

#: A probability at or above ``1 - _CERTAIN_TOL`` is a certainty (adds no variance).
_CERTAIN_TOL = 1e-9
_VARIANCES = ("auto", "syg", "ht", "deville1", "deville2")
_JOINT_FORMS = ("syg", "ht")
_CIS = ("normal", "t", "log", "logit", "beta")
_TOTAL_CIS = ("normal", "t", "log")
#: Columns of the tables returned by :func:`pooled_rate` and :func:`two_stage_rate`.
COLUMNS = ["domain", "estimate", "se", "ci_low", "ci_high", "n", "n_draws", "estimator", "variance", "ci"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate.
    se : float
        Estimated standard error (square root of the variance estimate).
    ci_low, ci_high : float
        Confidence interval at ``level``.
    n : int
        Number of sampled units used.
    estimator : str
        ``"ht_total"``, ``"hajek_mean"``, ...
    variance : str
        Variance method: ``"syg"`` or ``"ht"`` (with the joint inclusion
        probabilities), ``"deville1"`` or ``"deville2"`` (high-entropy
        approximation from the first-order probabilities only).
    ci : str
        Interval method: ``"normal"``, ``"t"``, ``"logit"`` or ``"beta"``.
    level : float
        Confidence level, e.g. 0.95.
    df : float
        Degrees of freedom of the variance estimate (units with ``pi < 1``
        minus the number of independent draws); used by ``ci="t"``.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    estimator: str
    variance: str
    ci: str
    level: float
    df: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (e.g. for a table row or JSON)."""
        return asdict(self)


# -- input checks -------------------------------------------------------------------


def _as_vector(x: Any, name: str) -> np.ndarray:
    """1-d finite float64 array, non-empty."""
    arr = as_float_vector(x, name, allow_empty=True)
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty (no sampled units).")
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`{name}` must be finite; got {float(arr[k])!r} at position {k}.")
    return arr


def _check_length(arr: np.ndarray, name: str, n: int, first: str) -> None:
    if arr.shape[0] != n:
        raise ValueError(f"`{name}` and `{first}` must have the same length; got {arr.shape[0]} and {n}.")


def _check_pi(pi: Any, n: int, first: str) -> np.ndarray:
    """Inclusion probabilities in (0, 1], one per unit."""
    arr = _as_vector(pi, "pi")
    _check_length(arr, "pi", n, first)
    bad = (arr <= 0) | (arr > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`pi` must lie in (0, 1]; got {float(arr[k])!r} at position {k}.")
    return arr


def _check_labels(x: Any, name: str, n: int, first: str) -> np.ndarray:
    """Labels (draw ids, domains, strata), one per unit, none missing."""
    if isinstance(x, str | bytes):
        raise TypeError(f"`{name}` must be a sequence of labels, one per unit; got {short(x)}.")
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be 1-d; got an array of shape {arr.shape}.")
    _check_length(arr, name, n, first)
    missing = pd.isna(arr)
    if missing.any():
        k = int(np.flatnonzero(missing)[0])
        raise ValueError(f"`{name}` must not have missing labels; got {arr[k]!r} at position {k}.")
    return arr


def _codes(labels: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the unique labels (sorted when they can be)."""
    values = list(pd.unique(labels))
    try:
        values = sorted(values)
    except TypeError:
        pass
    lookup = {v: i for i, v in enumerate(values)}
    return np.fromiter((lookup[v] for v in labels.tolist()), dtype=np.intp, count=labels.shape[0]), values


def _check_variance(variance: Any, has_joint: bool) -> str:
    if variance not in _VARIANCES:
        raise ValueError(f"`variance` must be one of {', '.join(map(repr, _VARIANCES))}; got {short(variance)}.")
    if variance == "auto":
        return "syg" if has_joint else "deville1"
    if variance in _JOINT_FORMS and not has_joint:
        raise ValueError(f"`variance` = {variance!r} needs the joint inclusion probabilities `joint`; got None.")
    if variance not in _JOINT_FORMS and has_joint:
        raise ValueError(
            f"`variance` = {variance!r} is an approximation without joint probabilities; "
            "pass `joint=None` or `variance='syg'` / `'ht'`."
        )
    return str(variance)


def _check_ci(ci: Any, level: Any, *, rate: bool, values: np.ndarray | None = None, name: str = "y") -> float:
    allowed = _CIS if rate else _TOTAL_CIS
    if ci not in _CIS:
        raise ValueError(f"`ci` must be one of {', '.join(map(repr, allowed))}; got {short(ci)}.")
    if ci not in allowed:
        raise ValueError(f"`ci` = {ci!r} is for rates in [0, 1]; a total takes 'normal', 't' or 'log'.")
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating) or not 0 < level < 1:
        raise ValueError(f"`level` must be a number strictly between 0 and 1; got {short(level)}.")
    if values is not None and ci in ("logit", "beta", "log"):
        bad = (values < 0) if ci == "log" else (values < 0) | (values > 1)
        what = ">= 0" if ci == "log" else "in [0, 1]"
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"`{name}` must be {what} for `ci` = {ci!r}; got {float(values[k])!r} at position {k} "
                f"(use `ci` = 'normal' or 't')."
            )
    return float(level)


def _check_joint(joint: Any, pi: np.ndarray) -> np.ndarray:
    """Joint inclusion probabilities of the sampled units: (n, n), symmetric, pi on the diagonal."""
    try:
        mat = np.array(joint, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise TypeError(f"`joint` must be a square matrix of numbers; got {short(joint)}.") from None
    n = pi.shape[0]
    if mat.shape != (n, n):
        raise ValueError(f"`joint` must have shape ({n}, {n}), one row and column per unit; got {mat.shape}.")
    if not np.isfinite(mat).all() or (mat <= 0).any() or (mat > 1 + 1e-12).any():
        row, col = np.argwhere(~np.isfinite(mat) | (mat <= 0) | (mat > 1 + 1e-12))[0]
        raise ValueError(
            f"`joint` must have entries in (0, 1] (all joint probabilities positive); "
            f"got {float(mat[row, col])!r} at ({row}, {col})."
        )
    if not np.allclose(mat, mat.T, rtol=0, atol=1e-12):
        row, col = np.unravel_index(int(np.argmax(np.abs(mat - mat.T))), mat.shape)
        raise ValueError(
            f"`joint` must be symmetric; got {float(mat[row, col])!r} at ({row}, {col}) "
            f"and {float(mat[col, row])!r} at ({col}, {row})."
        )
    diag = np.diag(mat)
    if not np.allclose(diag, pi, rtol=0, atol=1e-9):
        k = int(np.argmax(np.abs(diag - pi)))
        raise ValueError(
            f"`joint` must have `pi` on its diagonal; got {float(diag[k])!r} at ({k}, {k}) "
            f"where pi = {float(pi[k])!r}."
        )
    return mat


# -- variances ----------------------------------------------------------------------


def _certain(pi: np.ndarray) -> np.ndarray:
    return pi >= 1.0 - _CERTAIN_TOL


def _check_variance_groups(pi: np.ndarray, codes: np.ndarray, groups: list[Any], what: str) -> None:
    """Refuse a group with exactly one unit of pi < 1: its variance cannot be estimated."""
    counts = np.bincount(codes, weights=~_certain(pi), minlength=len(groups))
    single = np.flatnonzero(counts == 1)
    if single.size:
        g = groups[int(single[0])]
        label = "the sample has" if what == "" else f"{what} {g!r} has"
        raise ValueError(
            f"{label} a single unit with pi < 1; a variance needs n >= 2 such units (got n = 1). "
            "Merge it with another draw or stratum."
        )


def _deville(z: np.ndarray, pi: np.ndarray, codes: np.ndarray, n_groups: int, kind: str) -> float:
    """Sum over independent groups of the Hajek-Deville approximation for ``sum z / pi``."""
    cert = _certain(pi)
    c = np.where(cert, 0.0, 1.0 - pi)
    e = z / pi
    m = np.bincount(codes, weights=~cert, minlength=n_groups)
    csum = np.bincount(codes, weights=c, minlength=n_groups)
    ok = m >= 2
    safe = np.where(ok, csum, 1.0)
    a_mean = np.bincount(codes, weights=c * e, minlength=n_groups) / safe
    ss = np.bincount(codes, weights=c * (e - a_mean[codes]) ** 2, minlength=n_groups)
    if kind == "deville1":
        factor = np.where(ok, m / np.where(ok, m - 1.0, 1.0), 0.0)
    else:
        a2 = np.bincount(codes, weights=c**2, minlength=n_groups) / safe**2
        factor = np.where(ok, 1.0 / np.where(ok, 1.0 - a2, 1.0), 0.0)
    return float(np.sum(factor * ss))


def _joint_variance(z: np.ndarray, pi: np.ndarray, joint: np.ndarray, form: str) -> float:
    """Horvitz-Thompson or Sen-Yates-Grundy variance estimate of ``sum z / pi``."""
    e = z / pi
    delta = 1.0 - np.outer(pi, pi) / joint  # (pi_kl - pi_k pi_l) / pi_kl
    if form == "ht":
        return float(e @ delta @ e)
    diff2 = (e[:, None] - e[None, :]) ** 2
    return float(-0.5 * np.sum(delta * diff2))


def _df(pi: np.ndarray, codes: np.ndarray, n_groups: int, used: np.ndarray) -> float:
    """Units with pi < 1 among ``used`` minus the number of groups that have any."""
    m = np.bincount(codes[used], weights=~_certain(pi[used]), minlength=n_groups)
    return float(np.sum(np.maximum(m - 1, 0)))


# -- intervals ----------------------------------------------------------------------


def _interval(est: float, se: float, n: int, df: float, ci: str, level: float) -> tuple[float, float]:
    """Confidence interval of the given kind (see docs/estimation.md, section 5)."""
    alpha = 1.0 - level
    if not math.isfinite(est):
        return math.nan, math.nan
    if ci == "normal" or (ci == "t" and df < 1):
        half = float(ndtri(1 - alpha / 2)) * se
        return est - half, est + half
    if ci == "t":
        half = float(stats.t.ppf(1 - alpha / 2, df)) * se
        return est - half, est + half
    if ci == "log":
        if se == 0 or est <= 0:
            return est, est
        factor = math.exp(float(ndtri(1 - alpha / 2)) * se / est)
        return est / factor, est * factor
    if ci == "logit":
        if se == 0 or est <= 0 or est >= 1:
            return est, est
        half = float(ndtri(1 - alpha / 2)) * se / (est * (1 - est))
        centre = float(logit(est))
        return float(expit(centre - half)), float(expit(centre + half))
    # "beta": Korn & Graubard (1998), as R survey::svyciprop(method = "beta")
    p = min(max(est, 0.0), 1.0)
    n_eff = p * (1 - p) / se**2 if se > 0 and 0 < p < 1 else float(n)
    x = n_eff * p
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, x, n_eff - x + 1))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, x + 1, n_eff - x))
    return low, high


# -- one sample ---------------------------------------------------------------------


def _one_sample_args(
    y: Any, pi: Any, joint: Any, variance: Any, ci: Any, level: Any, *, rate: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, float]:
    """Validate the arguments of :func:`ht_total` and :func:`hajek_mean`."""
    yy = _as_vector(y, "y")
    pp = _check_pi(pi, yy.shape[0], "y")
    form = _check_variance(variance, joint is not None)
    lvl = _check_ci(ci, level, rate=rate, values=yy)
    jj = None if joint is None else _check_joint(joint, pp)
    if jj is None:
        codes = np.zeros(yy.shape[0], dtype=np.intp)
        _check_variance_groups(pp, codes, [0], "")
    return yy, pp, jj, form, lvl


def _one_sample_variance(z: np.ndarray, pi: np.ndarray, joint: np.ndarray | None, form: str) -> float:
    if joint is not None:
        return _joint_variance(z, pi, joint, form)
    return _deville(z, pi, np.zeros(z.shape[0], dtype=np.intp), 1, form)


def _finish(est: float, var: float, pi: np.ndarray, name: str, form: str, ci: str, level: float) -> Estimate:
    se = math.sqrt(max(var, 0.0))
    n = int(pi.shape[0])
    df = _df(pi, np.zeros(n, dtype=np.intp), 1, np.ones(n, dtype=bool))
    low, high = _interval(est, se, n, df, ci, level)
    return Estimate(est, se, low, high, n, name, form, ci, level, df)


def ht_total(
    y: ArrayLike,
    pi: ArrayLike,
    *,
    joint: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "normal",
    level: float = 0.95,
) -> Estimate:
    """Horvitz-Thompson estimate of a population total, with its variance.

    Parameters
    ----------
    y : array_like of float
        Values of the sampled units (e.g. 1 for a serious finding, else 0).
    pi : array_like of float
        Their inclusion probabilities, in (0, 1] (1 = certainty).
    joint : array_like of float, shape (n, n), optional
        Joint inclusion probabilities of the sampled units (``pi`` on the
        diagonal), e.g. ``joint_inclusion_probabilities(frame_pi, index=drawn)``.
    variance : {"auto", "syg", "ht", "deville1", "deville2"}, default "auto"
        With ``joint``: ``"syg"`` (Sen-Yates-Grundy, fixed-size designs; the
        default) or ``"ht"`` (Horvitz-Thompson form). Without: ``"deville1"``
        (default, factor ``n / (n - 1)``) or ``"deville2"`` (factor
        ``1 / (1 - sum a_k^2)``), the high-entropy approximation for
        fixed-size maximum-entropy (conditional Poisson) designs.
    ci : {"normal", "t", "log"}, default "normal"
        Interval: ``estimate +- z se``; a Student t quantile with
        ``df`` = (units with ``pi < 1``) - 1 degrees of freedom; or, for
        ``y >= 0`` (counts), ``estimate * exp(+- z se / estimate)``, which
        follows the right skew of totals of rare events (see
        docs/estimation.md, section 6).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Estimate
        ``sum y_k / pi_k`` with its standard error and interval.

    Raises
    ------
    ValueError
        Empty input, lengths that differ, ``pi`` outside (0, 1], a single
        unit with ``pi < 1`` (no variance without ``joint``), a bad ``joint``.

    Examples
    --------
    >>> est = ht_total([1.0, 0.0, 1.0, 3.0], [0.5, 0.25, 0.5, 1.0])
    >>> est.estimate, round(est.se, 4), est.variance, est.n
    (7.0, 1.6036, 'deville1', 4)
    """
    yy, pp, jj, form, lvl = _one_sample_args(y, pi, joint, variance, ci, level, rate=False)
    est = float(np.sum(yy / pp))
    return _finish(est, _one_sample_variance(yy, pp, jj, form), pp, "ht_total", form, ci, lvl)


def hajek_mean(
    y: ArrayLike,
    pi: ArrayLike,
    *,
    joint: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "normal",
    level: float = 0.95,
) -> Estimate:
    """Hajek estimate of a population mean or rate, with its linearised variance.

    ``R = sum(y_k / pi_k) / N_hat`` with ``N_hat = sum(1 / pi_k)``; its
    variance is that of the total of ``z_k = (y_k - R) / N_hat`` (Taylor
    linearisation), computed as in :func:`ht_total`.

    Parameters
    ----------
    y : array_like of float
        Values of the sampled units (0/1 for a rate).
    pi : array_like of float
        Their inclusion probabilities, in (0, 1].
    joint : array_like of float, shape (n, n), optional
        Joint inclusion probabilities of the sampled units; see :func:`ht_total`.
    variance : {"auto", "syg", "ht", "deville1", "deville2"}, default "auto"
        As in :func:`ht_total`.
    ci : {"normal", "t", "log", "logit", "beta"}, default "normal"
        ``"normal"``, ``"t"`` and ``"log"`` as in :func:`ht_total`;
        ``"logit"``: normal interval on the logit scale, back-transformed
        (degenerate at an estimate of 0 or 1); ``"beta"``: Korn-Graubard
        (Clopper-Pearson with the effective sample size
        ``R (1 - R) / se^2``; ``n`` when ``R`` is 0 or 1), as R
        ``survey::svyciprop(method = "beta")``, the recommended interval
        for rates (docs/estimation.md, section 6). Both need ``y`` in [0, 1].
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Estimate

    Examples
    --------
    >>> est = hajek_mean([1, 0, 1, 0, 0], [0.5, 0.25, 0.5, 1.0, 0.25])
    >>> round(est.estimate, 4), round(est.se, 4)
    (0.3077, 0.1799)
    >>> hajek_mean([1, 0, 1, 0, 0], [0.5, 0.25, 0.5, 1.0, 0.25], ci="beta").ci_low > 0
    True
    """
    yy, pp, jj, form, lvl = _one_sample_args(y, pi, joint, variance, ci, level, rate=True)
    n_hat = float(np.sum(1.0 / pp))
    est = float(np.sum(yy / pp)) / n_hat
    z = (yy - est) / n_hat
    return _finish(est, _one_sample_variance(z, pp, jj, form), pp, "hajek_mean", form, ci, lvl)


# -- several draws, domains ------------------------------------------------------------


def _pooled_args(
    y: Any, pi: Any, draw_id: Any, domain: Any, strata: Any, variance: Any, ci: Any, level: Any, first: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Any], np.ndarray, list[Any], np.ndarray, str, float]:
    """Validate the arguments shared by :func:`pooled_rate` and :func:`two_stage_rate`."""
    yy = _as_vector(y, first)
    n = yy.shape[0]
    pp = _check_pi(pi, n, first)
    draws = _check_labels(draw_id, "draw_id", n, first)
    doms = np.full(n, "all", dtype=object) if domain is None else _check_labels(domain, "domain", n, first)
    if strata is None:
        keys = draws
        what = "draw"
    else:
        st = _check_labels(strata, "strata", n, first)
        keys = np.empty(n, dtype=object)
        keys[:] = list(zip(draws.tolist(), st.tolist(), strict=True))
        what = "draw and stratum"
    if variance not in ("auto", "deville1", "deville2"):
        raise ValueError(
            f"`variance` must be 'auto', 'deville1' or 'deville2' (no joint probabilities across draws); "
            f"got {short(variance)}."
        )
    form = "deville1" if variance == "auto" else str(variance)
    lvl = _check_ci(ci, level, rate=True, values=yy if first == "y" else None, name=first)
    codes, groups = _codes(keys)
    _check_variance_groups(pp, codes, groups, what)
    dom_codes, dom_values = _codes(doms)
    draw_codes, _ = _codes(draws)
    return yy, pp, codes, groups, dom_codes, dom_values, draw_codes, form, lvl


def _rows(
    results: list[tuple[Any, float, float, int, int, float]], name: str, variance: str, ci: str, level: float
) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for label, est, var, n, n_draws, df in results:
        se = math.sqrt(max(var, 0.0)) if math.isfinite(var) else math.nan
        low, high = _interval(est, se, n, df, ci, level)
        for key, value in zip(COLUMNS[:7], (label, est, se, low, high, n, n_draws), strict=True):
            cols[key].append(value)
    k = len(results)
    data = {
        "domain": np.array(cols["domain"] + [None], dtype=object)[:k],
        **{c: np.array(cols[c], dtype=np.float64) for c in ("estimate", "se", "ci_low", "ci_high")},
        "n": np.array(cols["n"], dtype=np.int64),
        "n_draws": np.array(cols["n_draws"], dtype=np.int64),
        "estimator": np.full(k, name, dtype=object),
        "variance": np.full(k, variance, dtype=object),
        "ci": np.full(k, f"{ci} {level:.0%}", dtype=object),
    }
    return pd.DataFrame(data, columns=COLUMNS)


def pooled_rate(
    y: ArrayLike,
    pi: ArrayLike,
    draw_id: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "beta",
    level: float = 0.95,
) -> pd.DataFrame:
    """Hajek rate over several independent draws, overall or by domain.

    Each draw (quarter) is an independent sample of the population at its
    time, so the draws are treated as strata: the estimate is
    ``R_d = sum_{k in d} (y_k / pi_k) / sum_{k in d} (1 / pi_k)`` over all
    draws, and its variance is the sum over draws of the high-entropy
    approximation (see :func:`ht_total`) applied to the linearised values
    ``z_k = 1[k in d] (y_k - R_d) / N_hat_d``, computed on **all** units of
    each draw (so that the randomness of the domain's sample size is counted).

    Parameters
    ----------
    y : array_like of float
        Outcome of each inspection (0/1 for a rate).
    pi : array_like of float
        Inclusion probability of each inspected body in the draw that chose
        it, in (0, 1].
    draw_id : array_like
        The draw of each row; rows of one draw must be all the units that
        draw selected (and were inspected).
    domain : array_like, optional
        Domain label of each row (grade, province): one row of output per
        domain. Default: one row, domain ``"all"``.
    strata : array_like, optional
        Stratum label within a draw, when a draw was stratified (each
        stratum drawn independently with its own budget); the variance is
        then summed over (draw, stratum).
    variance : {"auto", "deville1", "deville2"}, default "auto" (= "deville1")
    ci : {"beta", "normal", "t", "log", "logit"}, default "beta"
        See :func:`hajek_mean`. The default, Korn-Graubard's interval, is the
        one that keeps 93-97 % coverage in the simulation, also for small
        domains and rare outcomes where the normal interval falls to 50-90 %;
        it needs ``y`` in [0, 1] (pass ``ci="normal"`` for means of other
        values). ``df`` (for ``"t"``) is, for each domain, its units with
        ``pi < 1`` minus the number of (draw, stratum) groups they fall in.
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per domain (sorted) with columns ``domain, estimate, se,
        ci_low, ci_high, n`` (inspections used), ``n_draws`` (draws with at
        least one of them), ``estimator`` (``"pooled_hajek_ratio"``),
        ``variance``, ``ci`` (e.g. ``"normal 95%"``).

    Raises
    ------
    ValueError
        Empty input, lengths that differ, ``pi`` outside (0, 1], a missing
        label, a draw (or stratum) with a single unit of ``pi < 1``.

    Examples
    --------
    >>> y = [1, 0, 0, 1, 0, 0, 1, 0]
    >>> pi = [0.5, 0.2, 0.2, 1.0, 0.4, 0.4, 0.8, 0.1]
    >>> q = ["2025Q1"] * 4 + ["2025Q2"] * 4
    >>> g = ["D", "A", "A", "D", "B", "A", "A", "D"]
    >>> table = pooled_rate(y, pi, q, domain=g)
    >>> table[["domain", "n", "n_draws"]].values.tolist()
    [['A', 4, 2], ['B', 1, 1], ['D', 3, 2]]
    >>> round(float(table.estimate.iloc[2]), 4)  # (1/0.5 + 1/1 + 0/0.1) / (1/0.5 + 1/1 + 1/0.1)
    0.2308
    """
    yy, pp, codes, groups, dom_codes, dom_values, draw_codes, form, lvl = _pooled_args(
        y, pi, draw_id, domain, strata, variance, ci, level, "y"
    )
    results = []
    for d, label in enumerate(dom_values):
        inside = dom_codes == d
        n_hat = float(np.sum(1.0 / pp[inside]))
        est = float(np.sum(yy[inside] / pp[inside])) / n_hat
        z = np.where(inside, (yy - est) / n_hat, 0.0)
        var = _deville(z, pp, codes, len(groups), form)
        df = _df(pp, codes, len(groups), inside)
        results.append((label, est, var, int(inside.sum()), len(np.unique(draw_codes[inside])), df))
    return _rows(results, "pooled_hajek_ratio", form, ci, lvl)


def _check_counts(x: Any, name: str, n: int) -> np.ndarray:
    arr = _as_vector(x, name)
    _check_length(arr, name, n, "problems")
    bad = (arr < 0) | (arr != np.round(arr))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`{name}` must be whole numbers >= 0; got {float(arr[k])!r} at position {k}.")
    return arr


def two_stage_rate(
    problems: ArrayLike,
    checked: ArrayLike,
    held: ArrayLike,
    pi: ArrayLike,
    draw_id: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    second_stage: bool = True,
    variance: str = "auto",
    ci: str = "beta",
    level: float = 0.95,
) -> pd.DataFrame:
    """Rate of problem certificates among all certificates, from a two-stage sample.

    Stage 1 draws bodies with probabilities ``pi_k``; stage 2 checks ``m_k``
    of the ``N_k`` certificates of body ``k`` by simple random sampling and
    finds ``problems_k`` with problems. The estimate is

        R = sum_k (1/pi_k) (N_k/m_k) problems_k / sum_k (1/pi_k) N_k,

    summed over all draws (and over the domain's bodies with ``domain``).

    Variance: the first-stage (ultimate-cluster) term is the high-entropy
    approximation of :func:`pooled_rate` applied to the linearised estimated
    body totals ``u_k = (N_k problems_k / m_k - R N_k) / X_hat``,
    ``X_hat = sum_k N_k / pi_k``. Because that approximation carries the
    finite-population factor ``(1 - pi_k)``, it captures only the part
    ``(1 - pi_k)`` of each body's second-stage variance (none for a certainty);
    with ``second_stage=True`` (default) the missing part is added:
    ``sum_k v2_k / (pi_k X_hat^2)``, with
    ``v2_k = N_k^2 (1 - m_k/N_k) s_k^2 / m_k`` and
    ``s_k^2 = p_k (1 - p_k) m_k / (m_k - 1)`` (``R (1 - R)`` when
    ``m_k = 1``), the unbiased two-stage form of Sarndal, Swensson & Wretman
    (1992, result 4.3.1). ``second_stage=False`` gives the pure
    ultimate-cluster approximation, which underestimates when bodies with
    large ``pi`` (certainties) hold most certificates (see
    docs/estimation.md for the simulation).

    Parameters
    ----------
    problems : array_like of int
        Certificates with problems found in each inspected body (``certs_with_problems``).
    checked : array_like of int
        Certificates checked in it, ``m_k`` (``certs_checked``), at least 1
        when the body holds any.
    held : array_like of int
        Certificates the body holds, ``N_k`` (the stage-2 frame), ``>= checked``.
    pi : array_like of float
        Stage-1 inclusion probability of the body, in (0, 1].
    draw_id : array_like
        The draw of each row, as in :func:`pooled_rate`.
    domain, strata : array_like, optional
        As in :func:`pooled_rate`.
    second_stage : bool, default True
        Add the second-stage variance term (see above).
    variance : {"auto", "deville1", "deville2"}, default "auto" (= "deville1")
    ci : {"beta", "normal", "t", "log", "logit"}, default "beta"
        As in :func:`pooled_rate`.
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`pooled_rate`, with ``estimator`` =
        ``"two_stage_ratio"``; ``n`` counts the inspected bodies. A domain
        whose bodies hold no certificate gets NaN.

    Examples
    --------
    >>> table = two_stage_rate(
    ...     problems=[1, 0, 3, 0], checked=[10, 5, 20, 5], held=[120, 5, 400, 30],
    ...     pi=[0.5, 0.2, 1.0, 0.25], draw_id=["Q1"] * 4)
    >>> round(float(table.estimate.iloc[0]), 4), int(table.n.iloc[0])
    (0.107, 4)
    """
    pr = _as_vector(problems, "problems")
    n = pr.shape[0]
    pr = _check_counts(pr, "problems", n)
    m = _check_counts(checked, "checked", n)
    big_n = _check_counts(held, "held", n)
    for bad, text in (
        (pr > m, "`problems` must not exceed `checked`"),
        (m > big_n, "`checked` must not exceed `held`"),
        ((m == 0) & (big_n > 0), "`checked` must be >= 1 where the body holds certificates (`held` > 0)"),
    ):
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{text}; got problems={pr[k]:g}, checked={m[k]:g}, held={big_n[k]:g} at position {k}."
            )
    if not isinstance(second_stage, bool | np.bool_):
        raise TypeError(f"`second_stage` must be True or False; got {short(second_stage)}.")
    _, pp, codes, groups, dom_codes, dom_values, draw_codes, form, lvl = _pooled_args(
        pr, pi, draw_id, domain, strata, variance, ci, level, "problems"
    )
    safe_m = np.where(m > 0, m, 1.0)
    y_hat = np.where(big_n > 0, big_n * pr / safe_m, 0.0)
    p_k = pr / safe_m
    results = []
    for d, label in enumerate(dom_values):
        inside = dom_codes == d
        x_hat = float(np.sum(big_n[inside] / pp[inside]))
        count, n_draws = int(inside.sum()), len(np.unique(draw_codes[inside]))
        df = _df(pp, codes, len(groups), inside)
        if x_hat == 0:
            results.append((label, math.nan, math.nan, count, n_draws, df))
            continue
        est = float(np.sum(y_hat[inside] / pp[inside])) / x_hat
        u = np.where(inside, (y_hat - est * big_n) / x_hat, 0.0)
        var = _deville(u, pp, codes, len(groups), form)
        if second_stage:
            s2 = np.where(m >= 2, p_k * (1 - p_k) * m / np.where(m >= 2, m - 1.0, 1.0), est * (1 - est))
            v2 = np.where(big_n > 0, big_n**2 * (1 - m / np.where(big_n > 0, big_n, 1.0)) * s2 / safe_m, 0.0)
            var += float(np.sum(v2[inside] / pp[inside])) / x_hat**2
        results.append((label, est, var, count, n_draws, df))
    label = f"{form} + stage 2" if second_stage else f"{form} (ultimate cluster)"
    return _rows(results, "two_stage_ratio", label, ci, lvl)
