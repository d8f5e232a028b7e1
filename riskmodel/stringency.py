"""Inspector stringency: who finds more or less than expected, estimated jointly with body risk.

What an inspection finds depends on the body and on who inspects it. Each
inspector ``j`` has a stringency ``b_j`` on the log-odds scale, a random effect
``b_j ~ N(0, sigma^2)``; a team acts through the mean of its members' effects.
For the inspection of body ``i`` by team ``T``::

    logit P(serious) = alpha + x_i' beta + (1 / |T|) sum_{j in T} b_j

with ``x_i`` the body's point-in-time features on the inspection date
(:func:`riskmodel.training.build_training_set`), standardised and capped at
+-4 standard deviations, under a light ridge (a N(0, 0.5^2) prior per standard
deviation), ``alpha`` free, and the
inspector columns ``1 / |T|`` for the members under the Gaussian prior: a
penalised logistic regression whose penalty on the inspector columns only is
the random-effect precision ``1 / sigma^2``. ``sigma`` is chosen by the
Laplace approximation of the marginal likelihood (:mod:`riskmodel._penalised`),
and each interval is the estimate +- 1.96 standard deviations from the inverse
penalised Hessian (the Laplace approximation of the posterior).

A serious finding is rare, so the serious outcome alone says little about one
inspector. The same inspector also decides whether a lesser (general) problem is
recorded and which checked certificates have problems: ``evidence`` adds these
outcomes as further rows, each with its own intercept and feature
coefficients, sharing the inspector effects (the assumption: an inspector who
finds more finds more of every kind, by the same log-odds). Certificate checks
are counted with the quasi-likelihood weight ``1 / dispersion`` (Pearson's,
from the fit without inspectors), since certificates of one inspection share
the body's unexplained risk.

Only random inspections are used by default (``kinds="random"``): their teams
were drawn at random, independently of the body, so the body's features are the
only adjustment needed. ``kinds="all"`` adds targeted and complaint inspections
with an intercept per kind, which is right only if their teams were not chosen
for the body either. Rows are not weighted by 1 / inclusion probability: the
selection depends on the body's past record, which the features hold, never on
the team, so the conditional likelihood is unbiased and its Hessian honest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike
from scipy.special import expit, logit

from features.codes import LANGUAGES
from features.rules import is_serious

from ._penalised import Block, Design, Mode, choose_sigma, fit_mode, sigma_interval, stack_blocks
from .training import TrainingSet, build_training_set

if TYPE_CHECKING:
    from features.loading import DataSet, DateLike
    from features.tables import Tables

KINDS = ("random", "all")
EVIDENCE = ("general", "certificates")  # outcomes that share the inspector effects with the serious one
BODY_PRECISION = 4.0  # ridge on the standardised feature coefficients: N(0, 0.5^2) per standard deviation
FREE = 1e-6  # intercepts (overall and per kind) are in effect unpenalised
CAP = 4.0  # standardised features are capped at +-4 SD
Z95 = 1.959963984540054
WORDS = {
    "more": ("finds more than expected", "发现问题多于预期"),
    "less": ("finds less than expected", "发现问题少于预期"),
    "in_line": ("in line with expectations", "与预期一致"),
    "none": ("no inspections in the data", "尚无检查记录"),
}
TABLE_COLUMNS = [
    "inspector_id",
    "unit",
    "province",
    "stringency",
    "ci_low",
    "ci_high",
    "odds_ratio",
    "n_inspections",
    "assessment",
    "assessment_en",
    "assessment_zh",
]


def team_members(inspector_ids: Iterable[object]) -> list[list[str]]:
    """The members of each team from ``;``-separated ids (blanks dropped, each member once, order kept).

    >>> team_members(["I0001;I0002", "", None, " I0003 ; I0003"])
    [['I0001', 'I0002'], [], [], ['I0003']]
    """
    teams = []
    for text in inspector_ids:
        ids = [] if not isinstance(text, str) else [part.strip() for part in text.split(";")]
        teams.append(list(dict.fromkeys(i for i in ids if i)))
    return teams


def team_matrix(teams: Sequence[Sequence[str]], ids: Sequence[str]) -> sp.csr_matrix:
    """Rows of ``1 / team size`` in the columns of the members (members not in ``ids`` count in the size only)."""
    position = {inspector: k for k, inspector in enumerate(ids)}
    rows, cols, vals = [], [], []
    for r, team in enumerate(teams):
        for inspector in team:
            if inspector in position:
                rows.append(r)
                cols.append(position[inspector])
                vals.append(1.0 / len(team))
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(teams), len(ids)))


@dataclass(frozen=True)
class StringencyFit:
    """Inspector effects and the body-risk part of the joint fit (``effects`` indexed by inspector id)."""

    effects: pd.Series
    sd: pd.Series
    n_inspections: pd.Series
    sigma: float
    features: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray
    intercept: float
    coef: np.ndarray
    kinds: str
    evidence: tuple[str, ...]
    dispersion: dict[str, float]
    rows: int
    inspectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    sigma_ci: tuple[float, float] = (float("nan"), float("nan"))  # 95 % profile interval, when asked for

    def team_effect(self, inspector_ids: Iterable[object]) -> np.ndarray:
        """The mean effect of each team's members (an inspector the fit does not know counts as 0)."""
        return team_effect(inspector_ids, self.effects)

    def unknown_members(self, inspector_ids: Iterable[object]) -> list[str]:
        """The members of each team the fit has no estimate for, ``;``-joined."""
        return [";".join(i for i in t if i not in self.effects.index) for t in team_members(inspector_ids)]

    def body_logit(self, X: pd.DataFrame) -> np.ndarray:
        """The log-odds of a serious finding by an average team (net of the inspector effect), random kind."""
        Z = _standardised(X[list(self.features)].to_numpy(dtype=float), self.center, self.scale)
        return np.asarray(self.intercept + Z @ self.coef)

    def body_probability(self, X: pd.DataFrame) -> np.ndarray:
        """P(serious) by an average team: the body risk net of the inspector effect."""
        return np.asarray(expit(self.body_logit(X)))

    def team_probability(self, X: pd.DataFrame, inspector_ids: Iterable[object]) -> np.ndarray:
        """P(serious) by the given teams, from the fit's own body part."""
        return np.asarray(expit(self.body_logit(X) + self.team_effect(inspector_ids)))

    def table(self, lang: str = "en") -> pd.DataFrame:
        """The inspector table: :func:`stringency_table`."""
        return stringency_table(self, lang)

    def summary(self) -> dict[str, Any]:
        """The fit's settings and sizes, for a run record."""
        ci = {"sigma_ci": [round(v, 4) for v in self.sigma_ci]} if np.isfinite(self.sigma_ci).all() else {}
        return {
            "sigma": round(self.sigma, 4),
            **ci,
            "kinds": self.kinds,
            "evidence": list(self.evidence),
            "dispersion": {k: round(v, 3) for k, v in self.dispersion.items()},
            "inspections": self.rows,
            "inspectors_estimated": len(self.effects),
            "prior": "inspector effects N(0, sigma^2), sigma by the Laplace marginal likelihood",
        }


def team_effect(inspector_ids: Iterable[object], effects: Mapping[str, float] | pd.Series) -> np.ndarray:
    """The mean of each team's members' effects; a member without an effect counts as 0 (an average inspector).

    >>> team_effect(["I1;I2", "I1;I9", ""], {"I1": 0.4, "I2": -0.2}).round(3).tolist()
    [0.1, 0.2, 0.0]
    """
    return np.array(
        [float(np.mean([float(effects.get(i, 0.0)) for i in t])) if t else 0.0 for t in team_members(inspector_ids)]
    )


def team_conditional(
    p_body: ArrayLike, inspector_ids: Iterable[object], effects: StringencyFit | Mapping[str, float] | pd.Series
) -> np.ndarray:
    """P(serious | body, team): the body-only log-odds plus the mean effect of the team's members.

    ``p_body`` is any body-only probability (e.g. the champion's);
    ``effects`` a fit or its effects by inspector id. Unknown inspectors count
    as 0, so a team of strangers keeps ``p_body``.

    >>> team_conditional([0.5, 0.5, 0.5], ["I1", "I1;I2", "I9"], {"I1": np.log(2), "I2": 0.0}).round(4).tolist()
    [0.6667, 0.5858, 0.5]
    """
    p = np.clip(np.asarray(p_body, dtype=float), 1e-12, 1 - 1e-12)
    known = effects.effects if isinstance(effects, StringencyFit) else effects
    return np.asarray(expit(logit(p) + team_effect(inspector_ids, known)))


def _check(kinds: str, evidence: Iterable[str], sigma: float | None) -> tuple[str, ...]:
    if kinds not in KINDS:
        raise ValueError(f"`kinds` must be one of {', '.join(KINDS)}; got {kinds!r}.")
    chosen = tuple(evidence)
    unknown = [e for e in chosen if e not in EVIDENCE]
    if unknown:
        raise ValueError(f"`evidence` must be among {', '.join(EVIDENCE)}; got {', '.join(map(repr, unknown))}.")
    if sigma is not None and not 0 < sigma <= 10:
        raise ValueError(f"`sigma` must be a prior SD in (0, 10] on the log-odds scale; got {sigma}.")
    return chosen


def _rows(training: TrainingSet, inspections: pd.DataFrame) -> pd.DataFrame:
    """The training rows' teams, outcomes and certificate checks (by inspection id)."""
    needed = ["inspection_id", "inspector_ids", "outcome", "certs_checked", "certs_with_problems"]
    missing = [c for c in needed if c not in inspections.columns]
    if missing:
        raise ValueError(f"`inspections` must have columns {', '.join(needed)}; it lacks {', '.join(missing)}.")
    rows = training.meta[["inspection_id", "kind"]].merge(inspections[needed], on="inspection_id", how="left")
    if rows["outcome"].isna().any():
        raise ValueError("every training row must be an inspection of `inspections`; some inspection ids are not.")
    return rows


def _standardised(X: np.ndarray, center: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Features in standard deviations from the training mean, capped at +-CAP (a count far in the tail is not
    allowed to push the log-odds without bound)."""
    return np.clip((X - center) / scale, -CAP, CAP)


def _fixed_part(X: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Intercept, standardised features and one intercept per non-random kind."""
    extra = [(kinds == k).astype(float)[:, None] for k in sorted(set(kinds) - {"random"})]
    return np.hstack([np.ones((len(X), 1)), X, *extra])


def _blocks(rows: pd.DataFrame, fixed: np.ndarray, Z: sp.csr_matrix, evidence: tuple[str, ...]) -> list[Block]:
    """One block of rows per outcome (an evidence outcome that never varies is left out)."""
    serious = is_serious(rows["outcome"])
    blocks = [Block("serious", fixed, Z, np.ones(len(rows)), serious)]
    if not blocks[0].varies:
        raise ValueError("the inspections must contain both serious and non-serious outcomes; got one class only.")
    if "general" in evidence:
        keep = serious == 0
        general = (rows["outcome"].to_numpy() == "general").astype(float)
        blocks.append(Block("general", fixed[keep], Z[keep], np.ones(int(keep.sum())), general[keep]))
    if "certificates" in evidence:
        checked = rows["certs_checked"].to_numpy(dtype=float)
        problems = rows["certs_with_problems"].to_numpy(dtype=float)
        keep = checked > 0
        blocks.append(Block("certificates", fixed[keep], Z[keep], checked[keep], problems[keep]))
    return [b for b in blocks if b.name == "serious" or (b.varies and len(b.trials) > fixed.shape[1])]


def fit_stringency(
    training: TrainingSet,
    inspections: pd.DataFrame,
    inspectors: pd.DataFrame | None = None,
    *,
    evidence: Iterable[str] = EVIDENCE,
    sigma: float | None = None,
    interval: bool = False,
) -> StringencyFit:
    """Fit inspector effects jointly with body risk on ``training``'s rows (see the module's docstring).

    ``inspections`` supplies each row's team (``inspector_ids``), outcome and
    certificate checks; ``inspectors`` (optional) adds their unit and province
    and the inspectors without inspections to the table. ``sigma`` fixes the
    prior SD instead of choosing it by marginal likelihood; ``interval`` adds
    the 95 % interval of the chosen one (``sigma_ci``: where the Laplace
    marginal likelihood is within 1.92 of its top; a few more fits).
    """
    evidence = _check(KINDS[0], evidence, sigma)
    if len(training) == 0:
        raise ValueError("no inspections to estimate stringency from: the training set is empty.")
    rows = _rows(training, inspections)
    X = training.X.to_numpy(dtype=float)
    center, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    fixed = _fixed_part(_standardised(X, center, scale), rows["kind"].to_numpy())
    teams = team_members(rows["inspector_ids"])
    ids = sorted({i for t in teams for i in t})
    Z = team_matrix(teams, ids)
    precision = np.full(fixed.shape[1], FREE)
    precision[1 : 1 + X.shape[1]] = BODY_PRECISION
    design, dispersion = stack_blocks(_blocks(rows, fixed, Z, evidence), precision)
    if sigma is None:
        sigma, mode = choose_sigma(design)
    else:
        mode = fit_mode(design, 1.0 / sigma**2)
    fit = _result(mode, design, training, rows, ids, Z, sigma, dispersion, center, scale, inspectors)
    return replace(fit, sigma_ci=sigma_interval(design, sigma, mode)) if interval else fit


def _result(
    mode: Mode,
    design: Design,
    training: TrainingSet,
    rows: pd.DataFrame,
    ids: list[str],
    Z: sp.csr_matrix,
    sigma: float,
    dispersion: dict[str, float],
    center: np.ndarray,
    scale: np.ndarray,
    inspectors: pd.DataFrame | None,
) -> StringencyFit:
    sd = np.sqrt(np.clip(np.diag(mode.covariance())[design.n_fixed :], 0.0, None))
    n_features = training.X.shape[1]
    kinds = "random" if set(rows["kind"]) <= {"random"} else "all"
    return StringencyFit(
        effects=pd.Series(mode.b, index=pd.Index(ids, name="inspector_id"), dtype=float),
        sd=pd.Series(sd, index=pd.Index(ids, name="inspector_id"), dtype=float),
        n_inspections=pd.Series(np.asarray((Z > 0).sum(axis=0)).ravel(), index=pd.Index(ids, name="inspector_id")),
        sigma=float(sigma),
        features=tuple(training.X.columns),
        center=center,
        scale=scale,
        intercept=float(mode.beta[0]),
        coef=np.asarray(mode.beta[1 : 1 + n_features]),
        kinds=kinds,
        evidence=tuple(b for b in dispersion if b != "serious"),
        dispersion=dispersion,
        rows=len(rows),
        inspectors=pd.DataFrame() if inspectors is None else inspectors,
    )


def estimate_stringency(
    data: DataSet | Tables,
    as_of: DateLike,
    *,
    kinds: str = "random",
    evidence: Iterable[str] = EVIDENCE,
    sigma: float | None = None,
) -> StringencyFit:
    """Inspector stringency from the inspections before ``as_of`` (random ones only by default).

    >>> estimate_stringency({}, "2026-10-01", kinds="targeted")
    Traceback (most recent call last):
    ValueError: `kinds` must be one of random, all; got 'targeted'.
    """
    _check(kinds, evidence, sigma)
    tables = data.tables if hasattr(data, "tables") else data
    training = build_training_set(tables, as_of, nonrandom="exclude" if kinds == "random" else "weight_one")
    return fit_stringency(training, tables["inspections"], tables.get("inspectors"), evidence=evidence, sigma=sigma)


def _assessment(low: float, high: float, n: int) -> str:
    if n == 0:
        return "none"
    return "more" if low > 0 else "less" if high < 0 else "in_line"


def stringency_table(fit: StringencyFit, lang: str = "en") -> pd.DataFrame:
    """One row per inspector: stringency (log-odds), 95 % interval, odds ratio, inspections, assessment in words.

    Inspectors of ``fit.inspectors`` without inspections appear with 0 and the
    prior interval. ``assessment`` is in ``lang``; ``assessment_en`` and
    ``assessment_zh`` hold both. Sorted from the most to the least stringent.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    known = fit.inspectors["inspector_id"].astype(str).tolist() if "inspector_id" in fit.inspectors else []
    ids = pd.Index(list(dict.fromkeys([*fit.effects.index, *known])), name="inspector_id")
    b = fit.effects.reindex(ids, fill_value=0.0).to_numpy()
    sd = fit.sd.reindex(ids, fill_value=fit.sigma).to_numpy()
    n = fit.n_inspections.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    info = fit.inspectors.drop_duplicates("inspector_id").set_index("inspector_id") if known else pd.DataFrame()
    words = [_assessment(lo, hi, k) for lo, hi, k in zip(b - Z95 * sd, b + Z95 * sd, n)]
    table = pd.DataFrame(
        {
            "inspector_id": ids,
            "unit": info["unit"].reindex(ids).fillna("").to_numpy() if "unit" in info else "",
            "province": info["province"].reindex(ids).fillna("").to_numpy() if "province" in info else "",
            "stringency": b.round(4),
            "ci_low": (b - Z95 * sd).round(4),
            "ci_high": (b + Z95 * sd).round(4),
            "odds_ratio": np.exp(b).round(3),
            "n_inspections": n,
            "assessment": [WORDS[w][LANGUAGES.index(lang)] for w in words],
            "assessment_en": [WORDS[w][0] for w in words],
            "assessment_zh": [WORDS[w][1] for w in words],
        }
    )
    order = np.lexsort((table["inspector_id"].to_numpy(), -table["stringency"].to_numpy()))
    return table.iloc[order].reset_index(drop=True)[TABLE_COLUMNS]
