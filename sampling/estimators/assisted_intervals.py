"""The interval of the difference rate: the random part's Jeffreys interval, its cap raised by the model's gain.

docs/model-assisted.md, section 3. The difference estimate of a domain splits
as the Hajek rate does (:class:`.intervals.RandomPart`): the certainties'
outcomes are known, only the random units' part is uncertain. Its Jeffreys
interval is capped at the random units times the sample's own variance gain
over the domain's Hajek rate, so that the cap binds when the Hajek rate's
does and keeps what the model buys.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .domains import DomainResult, PooledSample
from .intervals import RandomPart, df_factor, interval, jeffreys
from .pooled import hajek_domain
from .variance import certain

__all__ = ["gain_capped_jeffreys", "jeffreys_limits"]


def gain_capped_jeffreys(
    table: pd.DataFrame, results: list[DomainResult], sample: PooledSample, sizes: dict[Any, float]
) -> pd.DataFrame:
    """The ``"jeffreys"`` interval of every published domain (docs/model-assisted.md, section 3).

    The certainties' outcomes are known: ``R = Y_c / N_d + (N_r / N_d) R_r`` with ``N_r`` the domain's frame
    units of ``pi < 1``. The random part ``R_r`` (clipped to [0, 1]) at the standard error ``se N_d / N_r``
    gets Jeffreys limits at its effective size, capped at the random units times
    ``max(1, V_hajek / V_difference)``, the sample's own variance gain over the domain's Hajek rate: the
    difference estimate keeps what the model buys, and a quarter that misses the rare positives of
    floor-weighted bodies (a low estimate with a small standard error) is trusted only as far as its random
    units, times the gain the model shows in the same sample, can say (a gain of 1 at a zero standard error). Unlike :func:`pooled_rate`'s default, the effective size is not deflated for the degrees of
    freedom: that deflation makes up for the Hajek rate's linearised variance, too small in small domains
    because it is centred on the estimate, while the difference estimator's residuals are centred on
    predictions fixed in advance. The limits are mapped back and widened to reach the estimate. An estimate
    outside (0, 1) (a quarter whose drawn bodies were predicted higher than they turned out, or a wrong model)
    is impossible as a value but unbiased as an estimator: its interval is the union of that one and the
    normal interval.
    """
    cert = certain(sample.pi)
    for row, res in enumerate(results):
        est, se = float(table.at[row, "estimate"]), float(table.at[row, "se"])
        x_d = sizes[res.label]
        if x_d == 0 or not (math.isfinite(est) and math.isfinite(se)):
            continue  # suppressed, or no estimate
        inside = sample.dom_codes == row
        part = RandomPart(
            float(np.sum(sample.y[inside & cert])) / x_d,
            1.0 - float(np.count_nonzero(inside & cert)) / x_d,
            int(res.n_random or 0),
        )
        if part.n_random == 0 or part.share <= 0:
            continue  # a census of the domain: the point
        hajek = hajek_domain(sample, row, res.label).variance
        gain = max(1.0, hajek / se**2) if se > 0 and hajek > 0 else 1.0
        table.loc[row, ["ci_low", "ci_high"]] = list(jeffreys_limits(est, se, part, math.inf, gain, sample.level))
    return table


def jeffreys_limits(
    est: float, se: float, part: RandomPart, df: float, gain: float, level: float
) -> tuple[float, float]:
    """The random part's Jeffreys limits at its effective size deflated by ``(z / t_df)^2`` (none at ``df`` = inf),
    capped at ``gain`` times the random units; widened to reach the estimate, and to the normal interval outside (0, 1).

    The engine passes ``df = inf``; ``benchmarks/assisted_variants.py`` measures the deflated variant with it.
    """
    alpha = 1.0 - level
    p = min(max((est - part.known) / part.share, 0.0), 1.0)
    se_r = se / part.share
    n_eff = p * (1 - p) / se_r**2 if se_r > 0 and 0 < p < 1 else float(part.n_random)
    low, high = jeffreys(p, min(n_eff * df_factor(df, alpha), part.n_random * gain), alpha)
    low, high = min(part.known + part.share * low, est), max(part.known + part.share * high, est)
    if not 0 < est < 1:
        normal = interval(est, se, 0, math.nan, "normal", level)
        low, high = min(low, normal[0]), max(high, normal[1])
    return low, high
