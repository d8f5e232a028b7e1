"""The reliability flag of a domain estimate: reliable, unstable or suppressed, with the reason in words.

The rule (docs/estimation.md, section 7), applied in this order:

1. fewer than :data:`MIN_RANDOM_PUBLISHED` random inspections (units with
   pi < 1): **suppressed**, estimate, standard error and interval NaN;
   certainties alone say nothing of the domain's other bodies, and with two
   random units the variance rests on one degree of freedom and the interval
   at zero positives spans most of [0, 1];
2. no estimate (a two-stage domain without certificates): **suppressed**;
3. fewer than :data:`MIN_RANDOM_RELIABLE` random inspections: **unstable**;
4. an estimate of 0 (no positive among the random inspections and the
   certainties): **unstable**, the coefficient of variation is undefined and
   only the upper limit says anything;
5. an estimate outside [0, 1] (a model-assisted rate whose predictions are
   far from the outcomes, or an unlucky quarter): **unstable**, impossible as
   a value though unbiased as an estimator;
6. a standard error of 0 (every random outcome alike, e.g. all serious):
   **unstable**, a zero variance estimate says nothing of the precision;
7. a coefficient of variation ``se / |estimate|`` above :data:`MAX_CV`: **unstable**;
8. otherwise **reliable**.
"""

from __future__ import annotations

import math
from typing import NamedTuple

__all__ = ["MAX_CV", "MIN_RANDOM_PUBLISHED", "MIN_RANDOM_RELIABLE", "Reliability", "reliability"]

#: Below this many random inspections a domain is suppressed. Two random units give a variance on one
#: degree of freedom and a 95 % upper limit of 0.84 at zero positives: nothing worth publishing.
MIN_RANDOM_PUBLISHED = 3
#: Below this many random inspections an estimate is unstable: the variance estimate's own coefficient of
#: variation exceeds ~45 % (sqrt(2 / (n - 1)) at n = 10), and t_(n-1) exceeds the normal quantile by 15 %.
MIN_RANDOM_RELIABLE = 10
#: Above this coefficient of variation an estimate is unstable; the 30 % relative standard error of the
#: NCHS data presentation standards (Parker et al. 2017), where the 95 % interval spans +-60 % of the estimate.
MAX_CV = 0.30


class Reliability(NamedTuple):
    """The flag of one estimate: ``label`` (reliable, unstable, suppressed), ``reason`` in words, ``cv``."""

    label: str
    reason: str
    cv: float


def coefficient_of_variation(estimate: float, se: float) -> float:
    """``se / |estimate|``; NaN when the estimate is 0 or not finite."""
    if not math.isfinite(estimate) or estimate == 0 or not math.isfinite(se):
        return math.nan
    return se / abs(estimate)


def reliability(estimate: float, se: float, n_random: int) -> Reliability:
    """The flag of an estimate from `n_random` random inspections (the rule of the module docstring)."""
    cv = coefficient_of_variation(estimate, se)
    if n_random < MIN_RANDOM_PUBLISHED:
        return Reliability("suppressed", f"fewer than {MIN_RANDOM_PUBLISHED} random inspections ({n_random})", math.nan)
    if not math.isfinite(estimate):
        return Reliability("suppressed", "no estimate (the domain's bodies hold nothing to count)", math.nan)
    if n_random < MIN_RANDOM_RELIABLE:
        return Reliability("unstable", f"fewer than {MIN_RANDOM_RELIABLE} random inspections ({n_random})", cv)
    if estimate == 0:
        return Reliability("unstable", "estimate 0: no coefficient of variation, only the upper limit informs", cv)
    if not 0 <= estimate <= 1:
        return Reliability("unstable", f"estimate {estimate:.2f} outside [0, 1]: impossible for a rate", cv)
    if se == 0:
        return Reliability("unstable", "standard error 0: every random outcome alike, the precision is unknown", cv)
    if cv > MAX_CV:
        return Reliability("unstable", f"coefficient of variation {cv:.2f} above {MAX_CV:.2f}", cv)
    return Reliability("reliable", f"{n_random} random inspections, coefficient of variation {cv:.2f}", cv)
