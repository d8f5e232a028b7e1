"""Precision planning before the draw: the quarter as the draw would see it, its plan, the yield-precision frontier.

:func:`planning_quarter` builds the frame exactly as ``certrisk commit`` and
``certrisk draw`` build it (:func:`certrisk.draw.frame.build_frame`: the
config's size policy and budget) and keeps the bodies that can be drawn
(``pi > 0``), with the model's view of them: the grades file's ``p_serious``
as the predicted serious probability, the prior problem share of the body's
grade (:func:`features.rules.prior_problem_share`) as the predicted share of
problem certificates, the stage-2 sizes of the config, and the grade and the
province as domains. :func:`plan_quarter_from_data` hands it to
:func:`sampling.planning.plan_quarter` (replicated quarters under the model)
and adds each estimate's expected reliability flag; :func:`frontier` does so
for a range of the grade multipliers' steepness.

Planning is not a public draw: its randomness is fixed (:data:`PLAN_SEED_MATERIAL`
for the replicated draws, :data:`PLAN_RNG_SEED` for the replicated outcomes),
so the same data, grades and settings give the same plan, and every policy of
a frontier meets the same random numbers. Nothing here prints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from features.rules import prior_problem_share
from features.tables import Tables
from sampling.estimators.reliability import MAX_CV, MIN_RANDOM_RELIABLE
from sampling.planning import Plan, plan_quarter
from sampling.replication import Quarter
from sampling.stage2 import stage2_sample_sizes

from .catalogue import Foreign, Phrase
from .draw import DrawConfig, DrawError
from .draw.frame import build_frame

__all__ = [
    "DEFAULT_STEEPNESS",
    "PLAN_RNG_SEED",
    "PLAN_SEED_MATERIAL",
    "FLAG_REASONS",
    "PlanError",
    "check_plan_grades",
    "expected_flag",
    "flag_reason",
    "frontier",
    "plan_quarter_from_data",
    "planning_quarter",
    "steeper",
]

#: Seed material of the replicated draws: the SHA-256 of ``certrisk plan v1`` (replicate r uses purpose "rep r").
PLAN_SEED_MATERIAL = hashlib.sha256(b"certrisk plan v1").hexdigest()
#: Seed of the ``numpy.random.Generator`` that draws the replicated outcomes.
PLAN_RNG_SEED = 2026
#: Steepness values of the frontier: grade multipliers ``m_g ** t`` (0 equal sizes per grade, 1 the policy).
DEFAULT_STEEPNESS = (0.0, 0.5, 1.0, 1.5, 2.0)
#: Below this share of the quarters that draw a domain with an interval, the domain is expected suppressed.
MIN_PUBLISHED = 0.5


class PlanError(DrawError):
    """A plan that cannot be made as asked (reported in words)."""


def check_plan_grades(grades: pd.DataFrame) -> pd.DataFrame:
    """``grades`` if it can feed a plan (it has the model's ``p_serious``), else :class:`PlanError`."""
    if "p_serious" not in grades.columns:
        raise PlanError("draw_errors.no_p_serious")
    return grades


def _checked_prediction(frame: pd.DataFrame) -> np.ndarray:
    """The frame's ``prediction`` (the grades' ``p_serious``), refused unless a probability for every body."""
    p = frame["prediction"].to_numpy(dtype=float)
    bad = ~((p >= 0) & (p <= 1))  # NaN fails both comparisons
    if bad.any():
        ids = frame.loc[bad, "body_id"].tolist()
        listed = f"{', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''}"
        raise PlanError("draw_errors.p_serious_values", n=len(ids), ids=listed)
    return p


def _share_prediction(tables: Tables, frame: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """The prior problem share of each body's grade, refused when no earlier random inspection checked any."""
    share = prior_problem_share(tables["inspections"], frame.set_index("body_id")["grade"], as_of)
    if share.isna().any():
        raise PlanError("draw_errors.no_prior_share", as_of=as_of.date())
    return share.to_numpy(dtype=float)


def planning_quarter(tables: Tables, grades: pd.DataFrame, config: DrawConfig) -> Quarter:
    """The drawable bodies of the frame the draw would build, with the model's predictions as their truth.

    ``p`` equals ``prediction`` and ``q`` equals ``share_prediction``: the
    quarter of a world in which the model is right.
    """
    frame = build_frame(tables, check_plan_grades(grades), config)
    frame = frame[frame["in_frame"] & (frame["pi"] > 0)].reset_index(drop=True)
    p = _checked_prediction(frame)
    share = _share_prediction(tables, frame, config.as_of)
    held = frame["certs_held"].to_numpy(dtype=np.int64)
    return Quarter(
        ids=frame["body_id"].tolist(),
        pi=frame["pi"].to_numpy(dtype=float),
        p=p,
        q=share,
        certs_held=held,
        checked=stage2_sample_sizes(frame["grade"].to_numpy(), held, config.stage2),
        domains={"grade": frame["grade"].to_numpy(dtype=object), "province": frame["province"].to_numpy(dtype=object)},
        prediction=p,
        share_prediction=share,
    )


def _predicted_values(quarter: Quarter, table: pd.DataFrame) -> np.ndarray:
    """The model's value of every estimate of ``table``: the mean prediction of its domain, the problem share, the total."""
    out = np.full(len(table), np.nan)
    for i, (scope, domain) in enumerate(zip(table["scope"], table["domain"], strict=True)):
        if scope == "overall":
            out[i] = quarter.p.mean()
        elif scope == "total":
            out[i] = quarter.p.sum()
        elif scope == "certificates":
            out[i] = float(np.sum(quarter.certs_held * quarter.q) / max(quarter.certs_held.sum(), 1))
        elif scope in quarter.domains:
            out[i] = quarter.p[quarter.domains[scope] == domain].mean()
    return out


#: The reason of each expected flag, by rule, in both languages (``value``: the number the rule tested).
FLAG_REASONS = {
    "en": {
        "published": "published in {value:.0%} of the quarters that draw it",
        "few": "median {value:g} random inspections, fewer than " + str(MIN_RANDOM_RELIABLE),
        "cv": f"coefficient of variation about {{value:.2f}}, above {MAX_CV:.2f}",
        "ok": "coefficient of variation about {value:.2f}",
    },
    "zh": {
        "published": "抽中该组的季度中仅 {value:.0%} 可公布",
        "few": "随机抽查中位数 {value:g} 家，少于 " + str(MIN_RANDOM_RELIABLE) + " 家",
        "cv": f"变异系数约 {{value:.2f}}，高于 {MAX_CV:.2f}",
        "ok": "变异系数约 {value:.2f}",
    },
}


def expected_flag(n_random: float, published: float, half_width: float, value: float) -> tuple[str, str, float]:
    """The flag an estimate is expected to carry, the rule that set it and the number it tested.

    The rule of :mod:`sampling.estimators.reliability`, predicted: suppressed
    when fewer than :data:`MIN_PUBLISHED` of the quarters that draw the
    domain publish it; unstable below ``MIN_RANDOM_RELIABLE`` median random
    inspections, or when the coefficient of variation, taken as
    ``half_width / 1.96 / value``, exceeds ``MAX_CV``.

    >>> flag, rule, cv = expected_flag(25, 1.0, 0.05, 0.2)
    >>> flag, rule, round(cv, 3)
    ('reliable', 'ok', 0.128)
    >>> expected_flag(6, 0.9, 0.1, 0.2)[:2]
    ('unstable', 'few')
    """
    if not published >= MIN_PUBLISHED:
        return "suppressed", "published", published
    if n_random < MIN_RANDOM_RELIABLE:
        return "unstable", "few", n_random
    cv = half_width / 1.96 / value if value > 0 else float("inf")
    return ("unstable", "cv", cv) if cv > MAX_CV else ("reliable", "ok", cv)


def flag_reason(row: pd.Series, lang: str = "en") -> str:
    """The reason of a plan row's expected flag, in words."""
    _, rule, value = expected_flag(row["n_random"], row["published"], row["half_width"], row["predicted_value"])
    return FLAG_REASONS[lang][rule].format(value=value)


def _with_flags(quarter: Quarter, plan: Plan) -> Plan:
    table = plan.table.copy()
    table["predicted_value"] = _predicted_values(quarter, table)
    table["expected_flag"] = [
        expected_flag(r["n_random"], r["published"], r["half_width"], r["predicted_value"])[0]
        for _, r in table.iterrows()
    ]
    table["flag_reason"] = [flag_reason(r) for _, r in table.iterrows()]
    return replace(plan, table=table)


def _check_reps(reps: int) -> int:
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise PlanError("errors.positive_integer", option="--reps", got=repr(reps))
    return reps


def plan_quarter_from_data(tables: Tables, grades: pd.DataFrame, config: DrawConfig, reps: int = 200) -> Plan:
    """The plan of the draw ``config`` would make: yield and precision predicted over ``reps`` replicated quarters.

    The table of :func:`sampling.planning.plan_quarter` gains
    ``predicted_value`` (the model's value of the estimate), ``expected_flag``
    (reliable, unstable, suppressed) and ``flag_reason``: suppressed when
    fewer than half of the quarters that draw the domain publish it,
    unstable below ``MIN_RANDOM_RELIABLE`` median random inspections or when
    ``half_width / 1.96 / predicted_value`` exceeds ``MAX_CV``.
    """
    quarter = planning_quarter(tables, grades, config)
    try:  # a census (every body certain) has intervals of width 0: their ratios are 0 / 0
        with np.errstate(invalid="ignore", divide="ignore"):
            plan = plan_quarter(quarter, _check_reps(reps), PLAN_SEED_MATERIAL, np.random.default_rng(PLAN_RNG_SEED))
    except ValueError as exc:
        if isinstance(exc, PlanError):
            raise
        raise PlanError("draw_errors.design_unplannable", budget=config.budget, reason=Foreign(str(exc))) from None
    return _with_flags(quarter, plan)


def steeper(config: DrawConfig, t: float) -> DrawConfig:
    """``config`` with the grade multipliers raised to the power ``t`` (0: equal sizes per grade; 1: unchanged)."""
    grades = {g: float(m) ** t for g, m in config.policy.grade_multipliers.items()}
    return replace(config, policy=replace(config.policy, grade_multipliers=grades))


def _frontier_row(t: float, config: DrawConfig, plan: Plan) -> dict[str, object]:
    multipliers = config.policy.grade_multipliers
    return {
        "steepness": t,
        "grade_multipliers": ", ".join(f"{g} {m:.3g}" for g, m in multipliers.items()),
        "expected_serious": plan.expected_serious,
        "hajek_half_width": plan.half_width(),
        "difference_half_width": plan.half_width(estimator="difference"),
        "certificates_half_width": plan.half_width("certificates", "all", "two_stage_ratio"),
        "grade_A_half_width": plan.half_width("grade", "A"),
        "grade_D_half_width": plan.half_width("grade", "D"),
    }


def frontier(
    tables: Tables,
    grades: pd.DataFrame,
    config: DrawConfig,
    steepness: tuple[float, ...] = DEFAULT_STEEPNESS,
    reps: int = 100,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Yield and precision of the policy made flatter or steeper: one row per steepness ``t``.

    For each ``t`` the grade multipliers become ``m_g ** t`` (the rest of the
    policy and the budget unchanged) and the draw is planned. Columns:
    ``steepness``, ``grade_multipliers``, ``expected_serious`` (the yield),
    the predicted (median) half-widths of the overall rate (Hajek and
    difference), of the problem-certificate rate (two-stage) and of grades A
    and D (Hajek; NaN when a grade is never published). ``progress`` is
    called after each steepness.
    """
    if not steepness or not all(isinstance(t, int | float) and np.isfinite(t) and t >= 0 for t in steepness):
        raise PlanError("draw_errors.steepness", got=list(steepness))
    rows = []
    for t in steepness:
        steep = steeper(config, float(t))
        rows.append(_frontier_row(float(t), steep, plan_quarter_from_data(tables, grades, steep, reps)))
        if progress is not None:
            progress(Phrase("progress.steepness", t=t))
    return pd.DataFrame(rows)
