"""Stage-1 draw probabilities from a written, configurable policy.

The size measure of an in-frame, non-certain body is the product of

* its grade's multiplier (default A 1, B 2, C 4, D 8),
* ``newly_approved_multiplier`` if newly approved (default 2),
* ``alert_multiplier`` if under a monitoring alert (default 2),
* ``overdue_multiplier`` if not inspected for ``overdue_years`` years or more,
  or never inspected when ``never_inspected_is_overdue`` (default 1.5 after
  3 years).

Bodies of a grade listed in ``undisturbed_grades`` without events (no alert,
not newly approved) get size 0, hence only the floor ("A without events is
not disturbed", 无事不扰). CCC-designated bodies are certainties
(``ccc_certainty``), counted inside the budget or on top of it
(``ccc_budget``). Bodies whose status is in ``out_of_frame_statuses``
(default suspended, revoked) are out of the frame.

Certificate volume (``certificate_weight`` = w, default 0.3): the size
measure above (the risk size) is mixed with the body's share of the frame's
valid certificates (column ``certs_held``),

    size_k = risk_k + w / (1 - w) * (R / C) * certs_k,

with ``R`` and ``C`` the sums of the risk sizes and of ``certs_held`` over
the in-frame, non-certain, disturbed bodies: a share ``w`` of the total size follows the
certificates, ``1 - w`` the risk. Bodies holding a large share of the
certificates reach probability 1 (a size stratum taken with certainty inside
the budget), the next largest get a probability that grows with their
volume, so the problem-certificate rate is estimated with a variance that
matches its estimator (docs/sampling.md, "Certificate volume"). Undisturbed
bodies stay at the floor. ``w = 0`` is the pure risk design. The probabilities are
``max(floor, min(1, c * size))`` with one ``c`` per stratum (see
:func:`sampling.inclusion.inclusion_probabilities`); every unit gets a
``reason`` explaining its probability in words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._checks import check_positive_int, short
from .inclusion import inclusion_with_scale

__all__ = ["SizePolicy", "assign_probabilities"]

# Mirrors the data contract's body statuses (features.codes.BODY_STATUSES, which sampling may not
# import); tests/test_sampling_package.py pins the two equal.
STATUSES = ("active", "suspended", "revoked", "unreachable")
_REQUIRED = ("body_id", "grade", "ccc_designated", "status", "newly_approved", "alert", "years_since_inspection")
_FLAGS = ("ccc_designated", "newly_approved", "alert")
#: Default share of the size measure that follows certificate volume (docs/sampling.md, "Certificate volume").
DEFAULT_CERTIFICATE_WEIGHT = 0.3


def _default_grades() -> Mapping[str, float]:
    return MappingProxyType({"A": 1.0, "B": 2.0, "C": 4.0, "D": 8.0})


@dataclass(frozen=True)
class SizePolicy:
    """How stage-1 size measures, certainties and the frame are set.

    Parameters
    ----------
    grade_multipliers : mapping of str to float
        Size multiplier of each grade; every grade in the frame needs one.
    newly_approved_multiplier, alert_multiplier : float
        Multipliers for newly approved bodies and for monitoring alerts.
    overdue_years : float
        A body not inspected for at least this many years is overdue.
    overdue_multiplier : float
        Multiplier for overdue bodies.
    never_inspected_is_overdue : bool
        Whether a body never inspected (``years_since_inspection`` NaN) is
        overdue.
    undisturbed_grades : tuple of str
        Grades whose bodies without events (no alert, not newly approved) get
        only the floor, e.g. ``("A",)``. Default none.
    floor : float
        Lowest probability of a drawable body, in [0, 1); default 0.02.
    ccc_certainty : bool
        CCC-designated bodies are drawn with probability 1.
    ccc_budget : {"inside", "on_top"}
        Whether CCC certainties count inside the budget or are added to it.
    out_of_frame_statuses : tuple of str
        Statuses that put a body out of the frame.
    certificate_weight : float
        Share of the size measure that follows the body's certificates
        (``certs_held``), in [0, 1); default 0.3, 0 for the pure risk design.

    Examples
    --------
    >>> SizePolicy(undisturbed_grades=("A",), floor=0.03).floor
    0.03
    """

    grade_multipliers: Mapping[str, float] = field(default_factory=_default_grades)
    newly_approved_multiplier: float = 2.0
    alert_multiplier: float = 2.0
    overdue_years: float = 3.0
    overdue_multiplier: float = 1.5
    never_inspected_is_overdue: bool = True
    undisturbed_grades: tuple[str, ...] = ()
    floor: float = 0.02
    ccc_certainty: bool = True
    ccc_budget: str = "inside"
    out_of_frame_statuses: tuple[str, ...] = ("suspended", "revoked")
    certificate_weight: float = DEFAULT_CERTIFICATE_WEIGHT

    def __post_init__(self) -> None:
        object.__setattr__(self, "grade_multipliers", MappingProxyType(dict(self.grade_multipliers)))
        object.__setattr__(self, "undisturbed_grades", tuple(self.undisturbed_grades))
        object.__setattr__(self, "out_of_frame_statuses", tuple(self.out_of_frame_statuses))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (for a draw manifest); ``SizePolicy(**d)`` restores it."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["grade_multipliers"] = dict(self.grade_multipliers)
        out["undisturbed_grades"] = list(self.undisturbed_grades)
        out["out_of_frame_statuses"] = list(self.out_of_frame_statuses)
        return out


def _check_multiplier(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"`policy.{name}` must be a finite number > 0; got {short(value)}.")


def _check_policy(policy: Any) -> SizePolicy:
    """Validate a :class:`SizePolicy`."""
    if not isinstance(policy, SizePolicy):
        raise TypeError(f"`policy` must be a SizePolicy; got {short(policy)}.")
    if not policy.grade_multipliers:
        raise ValueError("`policy.grade_multipliers` must name at least one grade.")
    for grade, mult in policy.grade_multipliers.items():
        _check_multiplier(mult, f"grade_multipliers[{grade!r}]")
    for name in ("newly_approved_multiplier", "alert_multiplier", "overdue_multiplier"):
        _check_multiplier(getattr(policy, name), name)
    if not (isinstance(policy.overdue_years, int | float) and policy.overdue_years >= 0):
        raise ValueError(f"`policy.overdue_years` must be a number >= 0; got {short(policy.overdue_years)}.")
    if not (isinstance(policy.floor, int | float) and 0 <= policy.floor < 1):
        raise ValueError(f"`policy.floor` must be in [0, 1); got {short(policy.floor)}.")
    weight = policy.certificate_weight
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight < 1:
        raise ValueError(f"`policy.certificate_weight` must be a number in [0, 1); got {short(weight)}.")
    if policy.ccc_budget not in ("inside", "on_top"):
        raise ValueError(f"`policy.ccc_budget` must be 'inside' or 'on_top'; got {short(policy.ccc_budget)}.")
    unknown = set(policy.out_of_frame_statuses) - set(STATUSES)
    if unknown:
        raise ValueError(f"`policy.out_of_frame_statuses` has unknown status {sorted(unknown)[0]!r}.")
    return policy


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def _frame_problems(frame: pd.DataFrame, policy: SizePolicy) -> list[str]:
    """Every problem of the input frame, in words."""
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        return [f"missing column(s): {', '.join(missing)}"]
    problems = []
    ids = frame["body_id"]
    if not all(isinstance(v, str) and v for v in ids):
        problems.append("column 'body_id' must hold non-empty strings")
    elif ids.duplicated().any():
        problems.append(f"column 'body_id' has duplicate {_plain(ids[ids.duplicated()].iloc[0])!r}")
    for col in _FLAGS:
        if not pd.api.types.is_bool_dtype(frame[col]) or frame[col].isna().any():
            problems.append(f"column {col!r} must be boolean without missing values; got dtype {frame[col].dtype}")
    bad_status = ~frame["status"].isin(STATUSES)
    if bad_status.any():
        problems.append(
            f"column 'status' has unknown value {_plain(frame['status'][bad_status].iloc[0])!r} "
            f"(allowed: {', '.join(STATUSES)})"
        )
    in_frame = ~frame["status"].isin(policy.out_of_frame_statuses)
    bad_grade = in_frame & ~frame["grade"].isin(list(policy.grade_multipliers))
    if bad_grade.any():
        row = int(np.flatnonzero(bad_grade.to_numpy())[0])
        problems.append(
            f"column 'grade' has {_plain(frame['grade'].iloc[row])!r} for body "
            f"{_plain(frame['body_id'].iloc[row])!r}, not in policy.grade_multipliers"
        )
    years = pd.to_numeric(frame["years_since_inspection"], errors="coerce")
    bad_years = (years < 0) | (years.isna() & frame["years_since_inspection"].notna())
    if bad_years.any():
        first = frame["years_since_inspection"][bad_years].iloc[0]
        problems.append(f"column 'years_since_inspection' must be >= 0 or empty; got {_plain(first)!r}")
    if policy.certificate_weight > 0:
        problems += _certs_problems(frame, in_frame)
    if "stratum" in frame.columns and frame.loc[in_frame, "stratum"].isna().any():
        problems.append("column 'stratum' has missing values")
    return problems


def _certs_problems(frame: pd.DataFrame, in_frame: pd.Series) -> list[str]:
    """``certs_held`` is needed when the policy gives certificate volume a weight."""
    if "certs_held" not in frame.columns:
        return [
            "missing column 'certs_held' (the policy's certificate_weight is above 0; set it to 0 to draw on risk only)"
        ]
    held = pd.to_numeric(frame["certs_held"], errors="coerce")
    bad = in_frame & (~(held >= 0) | (held != np.floor(held)))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        return [
            f"column 'certs_held' must be a whole number >= 0; got {_plain(frame['certs_held'].iloc[row])!r} "
            f"for body {_plain(frame['body_id'].iloc[row])!r}"
        ]
    return []


def _check_assign_args(frame: Any, budget: Any, policy: Any) -> tuple[SizePolicy, dict[Any, int]]:
    """Validate the arguments of :func:`assign_probabilities`."""
    policy = _check_policy(policy)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"`frame` must be a pandas DataFrame; got {short(frame)}.")
    problems = _frame_problems(frame, policy)
    if problems:
        raise ValueError("`frame` is not a valid draw frame:\n - " + "\n - ".join(problems))
    in_frame = ~frame["status"].isin(policy.out_of_frame_statuses)
    if "stratum" in frame.columns:
        strata = list(dict.fromkeys(frame.loc[in_frame, "stratum"].tolist()))
        if not isinstance(budget, Mapping):
            raise TypeError(f"`budget` must be a mapping stratum -> n when `frame` has strata; got {short(budget)}.")
        missing = [s for s in strata if s not in budget]
        if missing:
            raise ValueError(f"`budget` has no entry for stratum {missing[0]!r}.")
        extra = [s for s in budget if s not in strata]
        if extra:
            raise ValueError(f"`budget` names stratum {extra[0]!r}, which has no body in the frame.")
        return policy, {s: check_positive_int(budget[s], f"budget[{s!r}]") for s in strata}
    if isinstance(budget, Mapping):
        raise TypeError("`budget` must be one integer when `frame` has no 'stratum' column; got a mapping.")
    return policy, {None: check_positive_int(budget, "budget")}


def _risk_sizes(frame: pd.DataFrame, policy: SizePolicy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Risk size measure, overdue flag and undisturbed flag of every body."""
    grade_mult = frame["grade"].map(dict(policy.grade_multipliers)).fillna(0.0).to_numpy(float)
    new = frame["newly_approved"].to_numpy(bool)
    alert = frame["alert"].to_numpy(bool)
    years = pd.to_numeric(frame["years_since_inspection"]).to_numpy(float)
    overdue = np.where(np.isnan(years), policy.never_inspected_is_overdue, years >= policy.overdue_years)
    undisturbed = frame["grade"].isin(policy.undisturbed_grades).to_numpy() & ~new & ~alert
    size = grade_mult * np.where(new, policy.newly_approved_multiplier, 1.0)
    size = size * np.where(alert, policy.alert_multiplier, 1.0)
    size = size * np.where(overdue, policy.overdue_multiplier, 1.0)
    return np.where(undisturbed, 0.0, size), overdue, undisturbed


def certificate_increment(risk: np.ndarray, certs: np.ndarray, drawable: np.ndarray, weight: float) -> float:
    """Size added per certificate: ``w / (1 - w) * R / C`` over the ``drawable`` units (0 when unused).

    >>> certificate_increment(np.array([1.0, 3.0]), np.array([10.0, 30.0]), np.array([True, True]), 0.5)
    0.1
    """
    total_risk, total_certs = float(risk[drawable].sum()), float(certs[drawable].sum())
    if weight == 0 or total_certs == 0:
        return 0.0
    if total_risk == 0:  # no risk size at all: the certificates alone set the sizes
        return 1.0
    return weight / (1.0 - weight) * total_risk / total_certs


def _reason(row: Any, policy: SizePolicy, c: float) -> str:
    """Plain-words explanation of one body's probability."""
    if not row.in_frame:
        return f"out of frame: {row.status}"
    if row.certain:
        where = "inside" if policy.ccc_budget == "inside" else "on top of"
        return f"CCC-designated: certainty (counted {where} the budget)"
    mult = policy.grade_multipliers[row.grade]
    parts = [f"grade {row.grade} x{mult:g}"]
    if row.newly_approved:
        parts.append(f"newly approved x{policy.newly_approved_multiplier:g}")
    if row.alert:
        parts.append(f"monitoring alert x{policy.alert_multiplier:g}")
    if row.overdue:
        never = isinstance(row.years_since_inspection, float) and math.isnan(row.years_since_inspection)
        what = "never inspected" if never else f"not inspected for {policy.overdue_years:g}+ years"
        parts.append(f"{what} x{policy.overdue_multiplier:g}")
    if row.certificate_size > 0:
        parts.append(f"{row.certs_held:g} certificates +{row.certificate_size:.3g}")
    if row.undisturbed:
        parts = [f"grade {row.grade} without events: not disturbed"]
        parts.append(f"floor {policy.floor:g} only" if policy.floor > 0 else "probability 0 (no floor)")
    elif row.pi >= 1.0:
        parts.append(f"size {row.size:g} reaches probability 1")
    elif c * row.size < policy.floor:
        parts.append(f"floor {policy.floor:g} applies")
    else:
        parts.append(f"size {row.size:g} -> pi {row.pi:.4f}")
    return "; ".join(parts)


def assign_probabilities(
    frame: pd.DataFrame, budget: int | Mapping[Any, int], policy: SizePolicy | None = None
) -> pd.DataFrame:
    """Stage-1 size measures, certainties and inclusion probabilities.

    Parameters
    ----------
    frame : DataFrame
        One row per body with columns ``body_id`` (str, unique), ``grade``,
        ``ccc_designated`` (bool), ``status`` (active, suspended, revoked,
        unreachable), ``newly_approved`` (bool), ``alert`` (bool),
        ``years_since_inspection`` (float, NaN = never) and optionally
        ``stratum``.
    budget : int or mapping
        Number of bodies to draw; a mapping stratum -> budget when the frame
        has a ``stratum`` column. With ``policy.ccc_budget == "on_top"`` the
        CCC certainties are added to it.
    policy : SizePolicy, optional
        Default ``SizePolicy()``.

    Returns
    -------
    DataFrame
        The input columns plus ``in_frame``, ``certain``, ``size``, ``pi`` and
        ``reason``, in the input row order. Out-of-frame bodies have size 0
        and pi 0.

    Raises
    ------
    ValueError
        A frame with missing columns, duplicate ids, unknown grades or
        statuses (all problems listed at once), a budget without or with
        unknown strata, or a budget that cannot be met.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "body_id": ["B1", "B2", "B3", "B4"], "grade": ["A", "C", "B", "D"],
    ...     "ccc_designated": [False, False, False, True],
    ...     "status": ["active", "active", "suspended", "active"],
    ...     "newly_approved": [False, True, False, False],
    ...     "alert": [False, False, False, False],
    ...     "years_since_inspection": [1.0, float("nan"), 2.0, 0.5]})
    >>> out = assign_probabilities(frame, 2, SizePolicy(floor=0.05, certificate_weight=0))
    >>> out["pi"].round(3).tolist()
    [0.077, 0.923, 0.0, 1.0]
    >>> out["reason"].tolist()[1]
    'grade C x4; newly approved x2; never inspected x1.5; size 12 -> pi 0.9231'
    >>> frame["certs_held"] = [90, 10, 0, 40]
    >>> out = assign_probabilities(frame, 2, SizePolicy(floor=0.05))
    >>> out["pi"].round(3).tolist()
    [0.324, 0.676, 0.0, 1.0]
    >>> out["reason"].tolist()[0]
    'grade A x1; 90 certificates +5.01; size 6.01429 -> pi 0.3238'
    """
    policy, budgets = _check_assign_args(frame, budget, SizePolicy() if policy is None else policy)
    out = frame.copy()
    in_frame = ~frame["status"].isin(policy.out_of_frame_statuses).to_numpy()
    certain = in_frame & frame["ccc_designated"].to_numpy(bool) & policy.ccc_certainty
    risk, overdue, undisturbed = _risk_sizes(frame, policy)
    drawable = in_frame & ~certain
    risk = np.where(drawable, risk, 0.0)
    certs = frame["certs_held"].to_numpy(float) if policy.certificate_weight > 0 else np.zeros(len(frame))
    per_cert = certificate_increment(risk, certs, drawable & ~undisturbed, policy.certificate_weight)
    certificate_size = np.where(drawable & ~undisturbed, per_cert * certs, 0.0)
    size = risk + certificate_size
    pi = np.zeros(len(frame))
    scale = np.zeros(len(frame))
    labels = frame["stratum"].to_numpy() if "stratum" in frame.columns else np.full(len(frame), None)
    for stratum, n_h in budgets.items():
        rows = np.flatnonzero(in_frame & (labels == stratum if stratum is not None else True))
        if policy.ccc_budget == "on_top":
            n_h += int(certain[rows].sum())
        try:
            pi[rows], scale[rows] = inclusion_with_scale(size[rows], n_h, policy.floor, certain[rows])
        except ValueError as exc:
            where = "" if stratum is None else f"stratum {stratum!r}: "
            raise ValueError(f"{where}{str(exc).replace('`n`', '`budget`')}") from None
    out["in_frame"], out["certain"], out["size"], out["pi"] = in_frame, certain, size, pi
    extra = out.assign(overdue=overdue, undisturbed=undisturbed, certificate_size=certificate_size)
    if "certs_held" not in extra.columns:
        extra["certs_held"] = 0.0
    out["reason"] = [_reason(r, policy, c) for r, c in zip(extra.itertuples(index=False), scale, strict=True)]
    return out
