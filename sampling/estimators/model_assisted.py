"""Model-assisted (difference) estimators of rates: the frame's predictions plus the HT sum of the residuals.

The risk model predicts ``p_k`` for every body of the frame, drawn or not. The
difference estimator of a domain's total (Sarndal, Swensson & Wretman 1992,
section 6.3) adds to the population sum of the predictions the
Horvitz-Thompson estimate of the sum of the residuals ``e_k = y_k - p_k``:

    t_d = sum_{U_d} p_k + sum_{s_d} (y_k - p_k) / pi_k,   R_d = t_d / X_d,

summed over independent draws, with ``X_d`` known from the frame (``N_d``
bodies, or their ``sum N_k`` certificates for :func:`difference_two_stage_rate`).
Since the predictions are fixed before the draw, ``E(t_d) = sum_{U_d} y_k``
whatever they are: the estimate stays design-unbiased when the model is
wrong, and its variance, that of the HT total of the residuals, is small when
the model is right. See docs/model-assisted.md.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._checks import short
from .assisted_intervals import gain_capped_jeffreys
from .checks import JOINT_FORMS, as_vector, check_labels, check_length, check_variance, label_codes
from .domains import DomainResult, PooledSample, domain_table, pooled_args, with_joint
from .intervals import interval
from .two_stage import _Certificates, _check_certificates, _second_stage_term
from .variance import certain

__all__ = ["DIFFERENCE_CIS", "TWO_STAGE_DIFFERENCE_CIS", "difference_rate", "difference_two_stage_rate"]

#: Intervals of the difference rate; outside (0, 1) ``"logit"`` falls back to ``"normal"``, ``"jeffreys"`` joins it.
DIFFERENCE_CIS = ("jeffreys", "logit", "normal", "t")
#: Intervals of the two-stage difference rate (a share of certificates, not a count of bodies: no Jeffreys).
TWO_STAGE_DIFFERENCE_CIS = ("logit", "normal", "t")


def difference_rate(
    y: ArrayLike,
    pi: ArrayLike,
    draw_id: ArrayLike,
    prediction: ArrayLike,
    *,
    frame_draw_id: ArrayLike,
    frame_prediction: ArrayLike,
    domain: ArrayLike | None = None,
    frame_domain: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "jeffreys",
    level: float = 0.95,
    joint: ArrayLike | None = None,
) -> pd.DataFrame:
    """Difference (model-assisted) estimate of a rate over one or several independent draws, by domain.

    For each draw q (an independent sample of its quarter's frame ``U_q``)
    and domain d, ``t_qd = sum_{U_qd} p_k + sum_{s_qd} (y_k - p_k) / pi_k``;
    the rate is ``R_d = sum_q t_qd / sum_q N_qd`` with ``N_qd`` the number of
    frame units of the domain in draw q (known). It is design-unbiased for
    any predictions fixed before the draw. Its variance is the Hajek-Deville
    approximation of :func:`pooled_rate` applied to
    ``z_k = 1[k in d] (y_k - p_k) / N_d`` over all sampled units of each
    draw (certainties add none), summed over the draws.

    Parameters
    ----------
    y : array_like of float
        Outcome of each inspection of the sample (0/1 for a rate).
    pi : array_like of float
        Inclusion probability of each inspected body in its draw, in (0, 1].
    draw_id : array_like
        The draw of each sampled row, as in :func:`pooled_rate`.
    prediction : array_like of float
        The model's prediction ``p_k`` for each sampled body: the value it
        has in the frame (any finite number; predicted probabilities for a rate).
    frame_draw_id : array_like
        The draw of each frame row: one row per body of each draw's frame,
        sampled or not. Every draw of ``draw_id`` must have its frame, and
        every frame a sample.
    frame_prediction : array_like of float
        The prediction of each frame row, fixed before the draw.
    domain, frame_domain : array_like, optional
        Domain label (grade, province) of each sampled row and of each frame
        row; both or neither. One output row per domain of the sample.
    strata : array_like, optional
        Stratum of each sampled row within its draw, as in :func:`pooled_rate`.
    variance : {"auto", "deville1", "deville2", "syg", "ht"}, default "auto"
        Without ``joint``: ``"deville1"`` (the default) or ``"deville2"``, the
        Hajek-Deville approximation of :func:`pooled_rate`. With ``joint``:
        ``"syg"`` (Sen-Yates-Grundy, the default) or ``"ht"``.
    ci : {"jeffreys", "logit", "normal", "t"}, default "jeffreys"
        ``"jeffreys"``: the construction of :func:`pooled_rate`'s default
        applied to the random part of the difference estimate (certainties
        known), without its degrees-of-freedom deflation and with its cap at
        the random units raised by the sample's own variance gain over the
        Hajek rate of the domain (docs/model-assisted.md, section 3); outside
        (0, 1), where a wrong model or an unlucky quarter can put the
        estimate, the union of that interval and the normal one.
        ``"logit"``: normal on the logit scale, back-transformed, with
        ``se / (R (1 - R))``; the normal interval outside (0, 1). ``"t"`` takes ``df`` as in
        :func:`pooled_rate`. Korn-Graubard's ``"beta"`` is not offered: its
        effective size assumes a binomial count, which the sum of predictions
        and residuals is not.
    level : float, default 0.95
    joint : array_like of float, shape (n, n), optional
        The joint inclusion probabilities of the sampled units of a single
        draw without strata (``pi`` on the diagonal), e.g.
        ``joint_inclusion_probabilities(frame_pi, index=drawn)``: the
        variance of the residuals' HT total is then the exact
        Sen-Yates-Grundy (or Horvitz-Thompson) form instead of the
        approximation.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`pooled_rate` (:data:`COLUMNS`), one row per
        domain of the sample (sorted), ``estimator`` = ``"difference"``.

    Raises
    ------
    ValueError
        Empty input, lengths that differ, ``pi`` outside (0, 1], a missing
        label or prediction, a draw or a (draw, domain) of the sample absent
        from the frame or with more sampled units than frame units, a frame
        draw without a sample, a draw with a single unit of ``pi < 1``.

    Examples
    --------
    >>> table = difference_rate(
    ...     y=[1, 0, 0, 1], pi=[0.5, 0.4, 0.5, 1.0], draw_id=["Q1"] * 4, prediction=[0.1, 0.3, 0.4, 0.5],
    ...     frame_draw_id=["Q1"] * 6, frame_prediction=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    >>> # (2.1 + (1 - 0.1) / 0.5 + (0 - 0.3) / 0.4 + (0 - 0.4) / 0.5 + (1 - 0.5) / 1.0) / 6
    >>> round(float(table.estimate.iloc[0]), 4), table.estimator.iloc[0], int(table.n.iloc[0])
    (0.475, 'difference', 4)
    """
    sample, pred = _difference_args(y, pi, draw_id, prediction, domain, strata, variance, ci, level, "y", joint)
    frame = _frame_args(sample, draw_id, domain, frame_draw_id, frame_prediction, frame_domain)
    results = [_domain_estimate(sample, frame, sample.y, pred, d, label) for d, label in enumerate(sample.dom_values)]
    table = _table(results, sample, ci)
    return gain_capped_jeffreys(table, results, sample, frame.size) if ci == "jeffreys" else table


def difference_two_stage_rate(
    problems: ArrayLike,
    checked: ArrayLike,
    held: ArrayLike,
    pi: ArrayLike,
    draw_id: ArrayLike,
    prediction: ArrayLike,
    *,
    frame_draw_id: ArrayLike,
    frame_prediction: ArrayLike,
    frame_held: ArrayLike,
    domain: ArrayLike | None = None,
    frame_domain: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    variance: str = "auto",
    ci: str = "logit",
    level: float = 0.95,
    joint: ArrayLike | None = None,
) -> pd.DataFrame:
    """Difference estimate of the problem-certificate rate from a two-stage sample.

    The prediction of body k's problem count is its predicted problem share
    ``q_k`` times its certificates ``N_k``; the estimate is

        R_d = [sum_{U_d} q_k N_k + sum_{s_d} (N_k problems_k / m_k - q_k N_k) / pi_k] / sum_{U_d} N_k,

    over all draws, with the certificate total of the frame known. Variance:
    the first-stage term of :func:`difference_rate` applied to
    ``u_k = (N_k problems_k / m_k - q_k N_k) / X_d``, ``X_d = sum_{U_d} N_k``,
    plus the second-stage term of :func:`two_stage_rate`
    (``sum_k v2_k / (pi_k X_d^2)``), which no prediction reduces.

    Parameters
    ----------
    problems, checked, held : array_like of int
        As in :func:`two_stage_rate`, per inspected body.
    pi, draw_id : array_like
        As in :func:`difference_rate`.
    prediction : array_like of float
        The body's predicted share of problem certificates ``q_k``, as in the frame.
    frame_draw_id, frame_prediction : array_like
        The draw and ``q_k`` of every frame body.
    frame_held : array_like of int
        The certificates ``N_k`` of every frame body (the draw's stage-2 frame).
    domain, frame_domain, strata, variance, ci, level, joint
        As in :func:`difference_rate` (with ``joint`` the first-stage term is exact).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, ``estimator`` = ``"difference_two_stage"``,
        ``variance`` e.g. ``"deville1 + stage 2"``. A domain whose frame
        bodies hold no certificate gets NaN.

    Examples
    --------
    >>> table = difference_two_stage_rate(
    ...     problems=[1, 0, 3, 2], checked=[10, 5, 20, 5], held=[120, 5, 400, 30], pi=[0.5, 0.2, 1.0, 0.25],
    ...     draw_id=["Q1"] * 4, prediction=[0.05, 0.1, 0.1, 0.2], frame_draw_id=["Q1"] * 5,
    ...     frame_prediction=[0.05, 0.1, 0.1, 0.2, 0.1], frame_held=[120, 5, 400, 30, 50])
    >>> # (57.5 + (12 - 6) / 0.5 + (0 - 0.5) / 0.2 + (60 - 40) / 1.0 + (12 - 6) / 0.25) / 605
    >>> round(float(table.estimate.iloc[0]), 4)
    0.1835
    """
    pr, m, big_n = _check_certificates(problems, checked, held)
    sample, share = _difference_args(
        pr, pi, draw_id, prediction, domain, strata, variance, ci, level, "problems", joint, TWO_STAGE_DIFFERENCE_CIS
    )
    frame = _frame_args(sample, draw_id, domain, frame_draw_id, frame_prediction, frame_domain, frame_held)
    certs = _Certificates.of(pr, m, big_n)
    results = []
    for d, label in enumerate(sample.dom_values):
        res = _domain_estimate(sample, frame, certs.y_hat, share * big_n, d, label)
        if math.isfinite(res.estimate):
            inside = sample.dom_codes == d
            extra = _second_stage_term(certs, sample.pi, inside, res.estimate, frame.size[label])
            res = res._replace(variance=res.variance + extra)
        results.append(res)
    return _table(results, sample, ci, name="difference_two_stage", suffix=" + stage 2")


@dataclass(frozen=True)
class _Frame:
    """Per domain of the sample: the frame's sum of predictions and its known size ``X_d`` (units or certificates)."""

    predicted: dict[Any, float]
    size: dict[Any, float]


def _difference_args(
    y: Any,
    pi: Any,
    draw_id: Any,
    prediction: Any,
    domain: Any,
    strata: Any,
    variance: Any,
    ci: Any,
    level: Any,
    first: str,
    joint: Any,
    allowed: tuple[str, ...] = DIFFERENCE_CIS,
) -> tuple[PooledSample, np.ndarray]:
    """The checked sample (as for :func:`pooled_rate`, with `joint` its exact variances) and its predictions."""
    if ci not in allowed:
        raise ValueError(f"`ci` must be one of {', '.join(map(repr, allowed))}; got {short(ci)}.")
    if joint is None and variance in JOINT_FORMS:
        check_variance(variance, False)  # its sentence: the exact forms need `joint`
    approximation = variance if joint is None else "auto"  # the joint forms are checked by `with_joint`
    sample = with_joint(pooled_args(y, pi, draw_id, domain, strata, approximation, ci, level, first), joint, variance)
    pred = as_vector(prediction, "prediction")
    check_length(pred, "prediction", sample.y.shape[0], first)
    return sample, pred


def _frame_args(
    sample: PooledSample,
    draw_id: Any,
    domain: Any,
    frame_draw_id: Any,
    frame_prediction: Any,
    frame_domain: Any,
    frame_held: Any = None,
) -> _Frame:
    """Check the frame against the sample; its prediction and size totals per domain of the sample."""
    pred = as_vector(frame_prediction, "frame_prediction")
    n = pred.shape[0]
    draws = check_labels(frame_draw_id, "frame_draw_id", n, "frame_prediction")
    if (domain is None) != (frame_domain is None):
        given, missing = ("domain", "frame_domain") if frame_domain is None else ("frame_domain", "domain")
        raise ValueError(f"`{missing}` must be given with `{given}` (each domain's size is counted in the frame).")
    doms = _labels_or_all(frame_domain, "frame_domain", n, "frame_prediction")
    size = np.ones(n) if frame_held is None else _frame_counts(frame_held, n)
    m = sample.y.shape[0]
    # already checked by pooled_args: only the labels themselves are wanted here
    sample_draws, sample_doms = check_labels(draw_id, "draw_id", m, "y"), _labels_or_all(domain, "domain", m, "y")
    _check_draws(sample_draws, sample_doms, draws, doms, with_domain=domain is not None)
    if frame_held is not None:
        pred = pred * size  # predicted problem share x certificates: the predicted problem count
    codes, values = label_codes(doms)
    pred_sum = np.bincount(codes, weights=pred, minlength=len(values))
    size_sum = np.bincount(codes, weights=size, minlength=len(values))
    where = {v: i for i, v in enumerate(values)}
    return _Frame(
        {v: float(pred_sum[where[v]]) for v in sample.dom_values},
        {v: float(size_sum[where[v]]) for v in sample.dom_values},
    )


def _labels_or_all(labels: Any, name: str, n: int, first: str) -> np.ndarray:
    """The checked labels, or ``"all"`` for every row when there are none."""
    return np.full(n, "all", dtype=object) if labels is None else check_labels(labels, name, n, first)


def _frame_counts(frame_held: Any, n: int) -> np.ndarray:
    """Certificates of each frame body: whole numbers >= 0."""
    arr = as_vector(frame_held, "frame_held")
    check_length(arr, "frame_held", n, "frame_prediction")
    bad = (arr < 0) | (arr != np.round(arr))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`frame_held` must be whole numbers >= 0; got {float(arr[k])!r} at position {k}.")
    return arr


def _check_draws(
    sample_draws: np.ndarray,
    sample_doms: np.ndarray,
    frame_draws: np.ndarray,
    frame_doms: np.ndarray,
    *,
    with_domain: bool,
) -> None:
    """Every frame draw has a sample; every sampled draw, and (draw, domain), has at least as many frame units."""
    sampled, framed = set(sample_draws.tolist()), set(frame_draws.tolist())
    for q in dict.fromkeys(frame_draws.tolist()):
        if q not in sampled:
            raise ValueError(f"draw {q!r} of `frame_draw_id` has no sampled unit in `draw_id`.")
    for q in dict.fromkeys(sample_draws.tolist()):
        if q not in framed:
            raise ValueError(f"draw {q!r} of `draw_id` has no frame: no row of `frame_draw_id` is {q!r}.")
    frame_count = Counter(zip(frame_draws.tolist(), frame_doms.tolist(), strict=True))
    sample_count = Counter(zip(sample_draws.tolist(), sample_doms.tolist(), strict=True))
    for (q, d), count in sample_count.items():
        where = f" in domain {d!r}" if with_domain else ""
        have = frame_count.get((q, d), 0)
        if have == 0:
            raise ValueError(f"domain {d!r} of draw {q!r} has sampled units but none in the frame (`frame_domain`).")
        if count > have:
            raise ValueError(f"draw {q!r}{where} has {count} sampled units but only {have} in its frame.")


def _domain_estimate(
    sample: PooledSample, frame: _Frame, y: np.ndarray, pred: np.ndarray, d: int, label: Any
) -> DomainResult:
    """Difference estimate of domain `d` and its variance from the residuals of all units of every draw."""
    inside = sample.dom_codes == d
    count, n_draws, df = int(inside.sum()), sample.n_draws(inside), sample.df(inside)
    n_random = int(np.count_nonzero(inside & ~certain(sample.pi)))
    x_d = frame.size[label]
    if x_d == 0:
        return DomainResult(label, math.nan, math.nan, count, n_draws, df, n_random=n_random)
    resid = y - pred
    est = (frame.predicted[label] + float(np.sum(resid[inside] / sample.pi[inside]))) / x_d
    z = np.where(inside, resid / x_d, 0.0)
    return DomainResult(label, est, sample.variance(z), count, n_draws, df, n_random=n_random)


def _table(
    results: list[DomainResult], sample: PooledSample, ci: str, name: str = "difference", suffix: str = ""
) -> pd.DataFrame:
    """The table of :data:`COLUMNS`, the logit interval replaced by the normal one outside (0, 1).

    For ``"jeffreys"`` the logit interval stands in until :func:`.assisted_intervals.gain_capped_jeffreys`
    replaces it in every published row (a census of the domain keeps its point).
    """
    table = domain_table(results, name, sample.form + suffix, ci if ci != "jeffreys" else "logit", sample.level)
    table["ci"] = f"{ci} {sample.level:.0%}"
    if ci == "logit":
        for row in range(len(table)):
            est, se = float(table.at[row, "estimate"]), float(table.at[row, "se"])
            if math.isfinite(est) and not 0 < est < 1:  # NaN: suppressed, or no certificates
                low, high = interval(est, se, 0, math.nan, "normal", sample.level)
                table.loc[row, ["ci_low", "ci_high"]] = [low, high]
    return table
