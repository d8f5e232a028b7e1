"""Replicated single-quarter draws: what the estimates of one design do, before or after the fact.

One replicate is one quarter: fresh outcomes for every body of the frame
(serious ``y_k ~ Bernoulli(p_k)``; ``D_k ~ Binomial(N_k, q_k)`` problem
certificates among its ``N_k``), one stage-1 draw of the real design
(:func:`sampling.draw`, seed material and purpose ``"rep <r>"``), the listed
``m_k`` certificates of every drawn body checked (the problems found are
hypergeometric: simple random sampling of ``m_k`` of the ``N_k``), and every
published estimate computed as ``certrisk estimate`` computes it. The truth
of a replicate is its finite-population value: the serious share of the
frame's bodies, the problem share of the frame's certificates.

The same engine serves two uses:

* **coverage** (``benchmarks/coverage.py``, the tests): ``p`` and ``q`` are
  the simulator's true probabilities, the model's predictions only assist;
* **planning** (:mod:`sampling.planning`): ``p`` and ``q`` are the model's
  predictions, so the replicates show what the design should deliver if the
  model is right.

Randomness: outcomes from the ``numpy.random.Generator`` passed in, draws
from the SHA-256 derivation; nothing global.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .designs import draw
from .estimators import difference_rate, difference_two_stage_rate, ht_total, pooled_rate, two_stage_rate

__all__ = ["Quarter", "replicate_estimates", "summarise_replicates"]

_ROW_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "reliability", "n_random"]


@dataclass(frozen=True)
class Quarter:
    """One quarter's frame as numbers: the drawable bodies (``pi > 0``), certainties included.

    ``pi`` the design's inclusion probabilities (summing to the budget);
    ``p`` and ``q`` the serious and per-certificate problem probabilities the
    outcomes are drawn from; ``certs_held`` and ``checked`` each body's
    certificates and the number its stage 2 lists if drawn; ``domains``
    scope -> label of each body (e.g. ``{"grade": ..., "province": ...}``);
    ``prediction`` and ``share_prediction`` the model's values fixed before
    the draw (for the difference estimators; None to skip them).
    """

    ids: list[str]
    pi: np.ndarray
    p: np.ndarray
    q: np.ndarray
    certs_held: np.ndarray
    checked: np.ndarray
    domains: Mapping[str, np.ndarray] = field(default_factory=dict)
    prediction: np.ndarray | None = None
    share_prediction: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("pi", "p", "q", "certs_held", "checked"):
            if np.shape(getattr(self, name)) != (n,):
                raise ValueError(
                    f"`{name}` must hold one value per body ({n}); got shape {np.shape(getattr(self, name))}."
                )
        if not (np.all(self.pi > 0) and np.all(self.pi <= 1)):
            raise ValueError(
                "`pi` must be in (0, 1] for every body of the quarter (leave out bodies that cannot be drawn)."
            )
        if np.any(self.checked > self.certs_held) or np.any(self.checked < 0):
            raise ValueError("`checked` must be between 0 and `certs_held` for every body.")
        for scope, labels in self.domains.items():
            if np.shape(labels) != (n,):
                raise ValueError(f"`domains[{scope!r}]` must hold one label per body ({n}).")


def _outcomes(quarter: Quarter, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Fresh serious outcomes and problem-certificate counts for every body of the frame."""
    y = (rng.random(len(quarter.ids)) < quarter.p).astype(float)
    problems = rng.binomial(quarter.certs_held.astype(np.int64), quarter.q)
    return y, problems


def _found(quarter: Quarter, problems: np.ndarray, drawn: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Problems among the ``checked`` certificates of each drawn body (simple random sampling inside it)."""
    held = quarter.certs_held[drawn].astype(np.int64)
    bad = problems[drawn]
    m = quarter.checked[drawn].astype(np.int64)
    out = np.zeros(len(held), dtype=np.int64)
    some = m > 0
    out[some] = rng.hypergeometric(bad[some], held[some] - bad[some], m[some])
    return out


def _rate_rows(scope: str, table: pd.DataFrame, truth: pd.Series) -> pd.DataFrame:
    rows = table[["domain", "estimator", *_ROW_COLUMNS]].copy()
    rows.insert(0, "scope", scope)
    rows["truth"] = rows["domain"].map(truth).to_numpy(dtype=float)
    return rows


def _truth(values: np.ndarray, labels: np.ndarray | None, weights: np.ndarray | None = None) -> pd.Series:
    """The finite-population value: ``sum(values) / sum(weights)`` per label (``"all"`` without labels)."""
    w = np.ones(len(values)) if weights is None else weights
    if labels is None:
        return pd.Series({"all": float(values.sum() / w.sum())})
    keys, codes = np.unique(labels.astype(str), return_inverse=True)
    return pd.Series(np.bincount(codes, values) / np.bincount(codes, w), index=keys)


def _serious_rows(quarter: Quarter, y: np.ndarray, s: np.ndarray) -> list[pd.DataFrame]:
    """Hajek (and difference) rates overall and in every domain scope."""
    draws = np.zeros(len(s), dtype=np.int64)
    pi = quarter.pi[s]
    parts = []
    for scope, labels in [("overall", None), *quarter.domains.items()]:
        dom = None if labels is None else labels[s]
        truth = _truth(y, labels)
        hajek = pooled_rate(y[s], pi, draws, domain=dom)
        parts.append(_rate_rows(scope, hajek.assign(domain=hajek["domain"] if dom is not None else "all"), truth))
        if quarter.prediction is not None:
            diff = difference_rate(
                y[s],
                pi,
                draws,
                quarter.prediction[s],
                frame_draw_id=np.zeros(len(y), dtype=np.int64),
                frame_prediction=quarter.prediction,
                domain=dom,
                frame_domain=labels,
            )
            parts.append(_rate_rows(scope, diff.assign(domain=diff["domain"] if dom is not None else "all"), truth))
    return parts


def _certificate_rows(quarter: Quarter, problems: np.ndarray, s: np.ndarray, found: np.ndarray) -> list[pd.DataFrame]:
    """The two-stage problem-certificate rate (and its difference form), drawn bodies that checked any."""
    used = quarter.checked[s] > 0
    if used.sum() < 2:
        return []
    idx = s[used]
    truth = pd.Series({"all": problems.sum() / quarter.certs_held.sum()})
    args = (
        found[used],
        quarter.checked[idx],
        quarter.certs_held[idx],
        quarter.pi[idx],
        np.zeros(len(idx), dtype=np.int64),
    )
    parts = [_rate_rows("certificates", two_stage_rate(*args).assign(domain="all"), truth)]
    if quarter.share_prediction is not None:
        diff = difference_two_stage_rate(
            *args,
            quarter.share_prediction[idx],
            frame_draw_id=np.zeros(len(quarter.ids), dtype=np.int64),
            frame_prediction=quarter.share_prediction,
            frame_held=quarter.certs_held,
        )
        parts.append(_rate_rows("certificates", diff.assign(domain="all"), truth))
    return parts


def _total_row(y: np.ndarray, pi: np.ndarray, s: np.ndarray) -> pd.DataFrame:
    est = ht_total(y[s], pi[s], ci="jeffreys")
    return pd.DataFrame(
        [
            {
                "scope": "total",
                "domain": "all",
                "estimator": "horvitz_thompson",
                "estimate": est.estimate,
                "se": est.se,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
                "reliability": "reliable",
                "n_random": int((pi[s] < 1).sum()),
                "truth": float(y.sum()),
            }
        ]
    )


def replicate_estimates(quarter: Quarter, reps: int, seed_material: str, rng: np.random.Generator) -> pd.DataFrame:
    """Every published estimate over ``reps`` replicated quarters, one row per replicate and estimate.

    Columns: ``rep``, ``scope`` (overall, each domain scope, total,
    certificates), ``domain``, ``estimator``, ``estimate``, ``ci_low``,
    ``ci_high``, ``reliability``, ``n_random``, ``truth``, ``serious_found``
    (serious outcomes among the drawn bodies: the realised yield).
    """
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise ValueError(f"`reps` must be a positive integer; got {reps!r}.")
    tables = []
    for r in range(reps):
        y, problems = _outcomes(quarter, rng)
        s = np.flatnonzero(draw(quarter.ids, quarter.pi, seed_material, f"rep {r}").selected)
        found = _found(quarter, problems, s, rng)
        parts = (
            _serious_rows(quarter, y, s)
            + _certificate_rows(quarter, problems, s, found)
            + [_total_row(y, quarter.pi, s)]
        )
        table = pd.concat(parts, ignore_index=True)
        table.insert(0, "rep", r)
        table["serious_found"] = int(y[s].sum())
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def summarise_replicates(rows: pd.DataFrame) -> pd.DataFrame:
    """Bias, 95 % coverage and widths of every (scope, domain, estimator), with Monte Carlo standard errors.

    Coverage and the misses below the truth (``below``: the upper limit
    under it) are among the replicates that publish an interval; ``published``
    is their share (a suppressed domain publishes nothing). ``half_width``
    is the median of ``(ci_high - ci_low) / 2``; ``se_ratio`` the root of the mean
    estimated variance over the errors' standard deviation (below 1: the
    standard error is too small on average); ``width_vs_hajek`` the median
    over replicates of the width divided by the Hajek (or two-stage) width of
    the same replicate and domain.
    """
    published = rows["ci_low"].notna()
    data = rows.assign(
        error=rows["estimate"] - rows["truth"],
        covered=((rows["ci_low"] <= rows["truth"]) & (rows["truth"] <= rows["ci_high"])).astype(float).where(published),
        below=(rows["ci_high"] < rows["truth"]).astype(float).where(published),
        width=rows["ci_high"] - rows["ci_low"],
    )
    base = data[data["estimator"].isin(["pooled_hajek_ratio", "two_stage_ratio", "horvitz_thompson"])]
    ref = base.set_index(["rep", "scope", "domain"])["width"]
    data["ratio"] = (
        data["width"].to_numpy() / ref.reindex(pd.MultiIndex.from_frame(data[["rep", "scope", "domain"]])).to_numpy()
    )
    groups = data.groupby(["scope", "domain", "estimator"], sort=False)
    out = groups.agg(
        reps=("rep", "size"),
        truth=("truth", "mean"),
        bias=("error", "mean"),
        sd=("error", "std"),
        coverage=("covered", "mean"),
        below=("below", "mean"),
        published=("estimate", lambda v: float(v.notna().mean())),
        half_width=("width", lambda v: float(np.nanmedian(v)) / 2 if v.notna().any() else np.nan),
        width_vs_hajek=("ratio", lambda v: float(np.nanmedian(v)) if v.notna().any() else np.nan),
        n_random=("n_random", "median"),
        rms_se=("se", lambda v: float(np.sqrt(np.nanmean(np.square(v)))) if v.notna().any() else np.nan),
    ).reset_index()
    out["se_ratio"] = out["rms_se"] / out["sd"]  # below 1: the standard error is too small on average
    n_pub = out["reps"] * out["published"]
    out["bias_mcse"] = out["sd"] / np.sqrt(n_pub.clip(lower=1))
    out["coverage_mcse"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / n_pub.clip(lower=1))
    return out
