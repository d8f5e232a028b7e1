"""The promotion rule: does the candidate model replace the champion?

The candidate becomes champion if there is no champion yet, or if its metric
is not worse than the champion's by more than ``margin``:
``candidate <= champion + margin`` when lower is better (Brier score, log
loss), ``candidate >= champion - margin`` otherwise (AUC).

A pure function of three numbers: no MLflow, no registry, no I/O, so the rule
can be read and tested on its own. :func:`riskmodel.tracking.register_and_promote`
applies it to the registered versions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["PromotionVerdict", "check_margin", "promotion_rule"]

# A tiny tolerance so that "worse by exactly the margin" is not lost to rounding.
_TOLERANCE = 1e-12


@dataclass(frozen=True)
class PromotionVerdict:
    """Outcome of the promotion rule.

    Attributes
    ----------
    promoted : bool
        True if the candidate becomes champion.
    rule : str
        The rule in words, with its numbers.
    """

    promoted: bool
    rule: str


def check_margin(margin: float) -> float:
    """``margin`` as a float, or ValueError if it is not a finite number >= 0.

    Examples
    --------
    >>> check_margin(0.002)
    0.002
    >>> check_margin(-1)
    Traceback (most recent call last):
    ValueError: `margin` must be a finite number >= 0; got -1.
    """
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
        raise ValueError(f"`margin` must be a finite number >= 0; got {margin!r}.")
    return float(margin)


def promotion_rule(
    candidate_value: float,
    champion_value: float | None,
    *,
    margin: float,
    lower_is_better: bool = True,
    metric: str = "metric",
) -> PromotionVerdict:
    """Whether the candidate is promoted, and the rule in words.

    Parameters
    ----------
    candidate_value : float
        The candidate's out-of-time metric; must be finite.
    champion_value : float or None
        The champion's value of the same metric; None if there is no champion
        (the candidate is then promoted). A NaN champion value never compares
        as worse, so the candidate is not promoted.
    margin : float
        Tolerated degradation, in the metric's units; >= 0.
    lower_is_better : bool, default=True
    metric : str, default="metric"
        Name of the metric, for the words of the rule.

    Returns
    -------
    PromotionVerdict

    Raises
    ------
    ValueError
        If ``candidate_value`` is not a finite number or ``margin`` is not a
        finite number >= 0.

    Examples
    --------
    >>> promotion_rule(0.1015, 0.100, margin=0.002, metric="oot_brier").promoted
    True
    >>> promotion_rule(0.103, 0.100, margin=0.002, metric="oot_brier").rule
    "promote if oot_brier <= champion's oot_brier + margin (lower is better): 0.103 <= 0.1 + 0.002 = 0.102 is false"
    >>> promotion_rule(0.07, None, margin=0.002, metric="oot_brier").rule
    'no champion yet: the first registered candidate becomes champion (oot_brier = 0.07)'
    """
    margin = check_margin(margin)
    if (
        isinstance(candidate_value, bool)
        or not isinstance(candidate_value, (int, float))
        or not math.isfinite(candidate_value)
    ):
        raise ValueError(f"`candidate_value` must be a finite number; got {candidate_value!r}.")
    if champion_value is None:
        return PromotionVerdict(
            True, f"no champion yet: the first registered candidate becomes champion ({metric} = {candidate_value:.6g})"
        )
    worse_by = (candidate_value - champion_value) if lower_is_better else (champion_value - candidate_value)
    promoted = worse_by <= margin + _TOLERANCE
    sign = "+" if lower_is_better else "-"
    op, bound = ("<=", champion_value + margin) if lower_is_better else (">=", champion_value - margin)
    sense = "lower" if lower_is_better else "higher"
    rule = (
        f"promote if {metric} {op} champion's {metric} {sign} margin ({sense} is better): "
        f"{candidate_value:.6g} {op} {champion_value:.6g} {sign} {margin:g} = {bound:.6g} is {str(promoted).lower()}"
    )
    return PromotionVerdict(promoted, rule)
