"""Risk indicators judged against their thresholds (风险指标): which bodies cross which line.

A percentile threshold compares a body with its peers: the bodies of the same
main field (the first field listed in ``bodies.fields``) and size class (the
feature ``log_valid_certs`` cut at equal-count quantiles). A peer group of fewer
than ``min_peers`` bodies falls back to the size class alone, then to every
body, so that a percentile is never taken over a handful of bodies. A body
crosses a percentile threshold when its value is above that percentile of its
peers (``numpy.quantile``, linear interpolation) and above 0: a rate of zero
never warns, even where most peers are at zero. An absolute threshold is
crossed at or above its value. A missing value never crosses a threshold.

>>> import pandas as pd
>>> from supervision.rules import IndicatorRule
>>> values = pd.Series([0.0, 0.1, 0.2, 0.3, 0.9])
>>> peers = Peers.of(pd.Series(["QMS"] * 5), pd.Series([1.0] * 5), classes=1, min_peers=3)
>>> crossed(values, peers, IndicatorRule("percentile", 75, 2))[0].tolist()  # 75th percentile = 0.3
[False, False, False, False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalogue import INDICATORS
from .rules import IndicatorRule, Rules

HIT_COLUMNS = ["body_id", "indicator", "risk_point", "value", "threshold", "basis", "points", "min_level"]
SIZE_FEATURE = "log_valid_certs"


def main_field(fields: pd.Series) -> pd.Series:
    """The first field a body is approved for (``QMS;EMS`` -> ``QMS``); empty when none is listed."""
    return fields.fillna("").astype(str).str.split(";").str[0].str.strip()


def size_class(size: pd.Series, classes: int) -> pd.Series:
    """Equal-count size classes 1 .. ``classes`` (1 the smallest); a tie at a cut goes to the class above.

    >>> size_class(pd.Series([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]), 3).tolist()
    [1, 1, 2, 2, 3, 3]
    """
    x = size.fillna(0.0).to_numpy(dtype=float)
    edges = np.quantile(x, [j / classes for j in range(1, classes)]) if len(x) else np.array([])
    return pd.Series(np.searchsorted(edges, x, side="right") + 1, index=size.index)


def peer_groups(field: pd.Series, klass: pd.Series, min_peers: int) -> pd.Series:
    """Each body's peer group as ``FIELD/CLASS``, ``*/CLASS`` (every body of the size class) or ``*/*`` (every body).

    The group is the narrowest of the three that holds at least ``min_peers`` bodies.

    >>> peer_groups(pd.Series(["QMS", "QMS", "EMS", "EMS"]), pd.Series([1, 1, 1, 2]), 2).tolist()
    ['QMS/1', 'QMS/1', '*/1', '*/*']
    """
    both = field.astype(str) + "/" + klass.astype(str)
    alone = "*/" + klass.astype(str)
    group = alone.where(alone.map(alone.value_counts()) >= min_peers, "*/*")
    return both.where(both.map(both.value_counts()) >= min_peers, group)


@dataclass(frozen=True)
class Peers:
    """Each body's main field, size class and peer group (aligned with the features)."""

    field: pd.Series
    klass: pd.Series
    group: pd.Series

    @classmethod
    def of(cls, fields: pd.Series, size: pd.Series, classes: int, min_peers: int) -> Peers:
        field, klass = main_field(fields), size_class(size, classes)
        return cls(field, klass, peer_groups(field, klass, min_peers))

    def pool(self, key: str) -> pd.Series:
        """The bodies whose values make the percentile of group ``key`` (a boolean mask)."""
        field, klass = key.split("/")
        in_class = self.klass.astype(str) == klass if klass != "*" else pd.Series(True, index=self.group.index)
        return in_class & (self.field.astype(str) == field) if field != "*" else in_class


def peer_words(group: str, classes: int, lang: str) -> str:
    """A peer group in words: ``peer_words("QMS/2", 3, "en")`` -> ``'peers (QMS, size class 2 of 3)'``.

    >>> peer_words("*/*", 3, "zh")
    '全部机构'
    """
    field, klass = group.split("/")
    if lang == "zh":
        size = f"规模第{klass}档（共{classes}档）"
        return (
            "全部机构" if klass == "*" else f"同类机构（{field}，{size}）" if field != "*" else f"同规模机构（{size}）"
        )
    size = f"size class {klass} of {classes}"
    return "every body" if klass == "*" else f"peers ({field}, {size})" if field != "*" else f"peers ({size})"


def crossed(values: pd.Series, peers: Peers, rule: IndicatorRule) -> tuple[pd.Series, pd.Series]:
    """Which values cross ``rule`` (bool) and the threshold each was held against."""
    if rule.threshold == "absolute":
        threshold = pd.Series(rule.value, index=values.index)
        return (values >= rule.value).fillna(False).astype(bool), threshold
    q = rule.value / 100.0
    by_group = {}
    for key in peers.group.unique():
        pool = values[peers.pool(key)].dropna()
        by_group[key] = float(np.quantile(pool, q)) if len(pool) else np.nan
    threshold = peers.group.map(by_group).astype(float)
    hit = (values > threshold) & (values > 0)
    return hit.fillna(False).astype(bool), threshold


def indicator_hits(features: pd.DataFrame, fields: pd.Series, rules: Rules) -> pd.DataFrame:
    """Every (body, indicator) whose threshold is crossed, with the value, the threshold and its basis.

    ``features`` holds ``body_id``, :data:`SIZE_FEATURE` and the indicators of
    ``rules``; ``fields`` is ``bodies.fields`` aligned with it (same index).
    """
    peers = Peers.of(fields, features[SIZE_FEATURE], rules.size_classes, rules.min_peers)
    parts = []
    for name, rule in rules.indicators.items():
        values = pd.to_numeric(features[name], errors="coerce").astype(float)
        hit, threshold = crossed(values, peers, rule)
        if not hit.any():
            continue
        basis = peers.group[hit] if rule.threshold == "percentile" else pd.Series("absolute", index=hit[hit].index)
        parts.append(
            pd.DataFrame(
                {
                    "body_id": features.loc[hit, "body_id"].to_numpy(),
                    "indicator": name,
                    "risk_point": INDICATORS[name].risk_point,
                    "value": values[hit].to_numpy(),
                    "threshold": threshold[hit].to_numpy(),
                    "basis": basis.to_numpy(),
                    "points": rule.points,
                    "min_level": rule.min_level or "",
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=HIT_COLUMNS)
