"""Monitoring signals (监测信号) caused by the latent risk.

Per body, kind and quarter a Poisson count whose log-rate grows with the
latent risk and (for complaints and media) with the body's size, plus a
body-level nuisance per kind. Rates are normalised so that the national yearly
volume per kind matches ``SimConfig.signals_per_year``. Penalties and
blacklistings also follow inspection outcomes (see ``history``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit

from .config import SimConfig
from .risk import Dates, LatentRisk

# kind: (risk slope, size slope)
RATE_SHAPE = {
    "complaint": (0.6, 0.4),
    "risk_alert": (0.8, 0.2),
    "media": (0.45, 0.3),
    "referral": (0.7, 0.3),
    "penalty": (1.0, 0.1),
    "accreditation_suspended": (1.0, 0.0),
}
SIGNAL_COLUMNS = ["signal_id", "body_id", "observed_on", "kind", "severity"]


def severity(zc: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """1 (low) .. 3 (high), higher for riskier bodies."""
    return 1 + rng.binomial(2, expit(-0.8 + 0.5 * zc))


def signal_rows(
    body_idx: np.ndarray,
    dates: Dates,
    kinds: Sequence[str],
    zc: np.ndarray,
    bodies: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Signal rows without ids (ids are given once all signals are known)."""
    return pd.DataFrame(
        {
            "body_id": bodies["body_id"].values[body_idx],
            "observed_on": pd.DatetimeIndex(dates).normalize().as_unit("ns"),
            "kind": pd.Series(kinds, dtype="str"),
            "severity": severity(np.nan_to_num(zc), rng).astype(np.int64),
        }
    )


def simulate_signals(cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk) -> pd.DataFrame:
    rng = cfg.rng("signals")
    zc = risk.centered
    alive = ~np.isnan(zc)
    size = np.log1p(bodies["_cert_share"].values * cfg.n_certificates / 1000)[:, None]
    history = risk.quarter_starts < cfg.snapshot
    parts = []
    for kind, (risk_slope, size_slope) in RATE_SHAPE.items():
        nuisance = rng.normal(0.0, 0.5, size=(len(bodies), 1))
        shape = np.where(alive, np.exp(risk_slope * np.nan_to_num(zc) + size_slope * size + nuisance), 0.0)
        per_quarter = cfg.signals_per_year[kind] * cfg.body_factor / 4
        rate = shape * per_quarter / shape[:, history].sum(axis=0).mean()
        counts = rng.poisson(rate)
        b, q = np.nonzero(counts)
        reps = counts[b, q]
        b, q = np.repeat(b, reps), np.repeat(q, reps)
        dates = risk.quarter_starts.values[q] + (rng.uniform(size=len(b)) * 91).astype("timedelta64[D]")
        parts.append(signal_rows(b, dates, [kind] * len(b), zc[b, q], bodies, rng))
    return pd.concat(parts, ignore_index=True)


def unreachable_signals(cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk) -> pd.DataFrame:
    """One high-severity ``unreachable`` signal for each body that became unreachable, on the day it did."""
    rng = cfg.rng("unreachable")
    idx = np.flatnonzero(bodies["status"].to_numpy() == "unreachable")
    dates = bodies["status_changed_on"].to_numpy(dtype="datetime64[ns]")[idx]
    rows = signal_rows(idx, dates, ["unreachable"] * len(idx), risk.at(idx, dates, centered=True), bodies, rng)
    rows["severity"] = 3
    return rows
