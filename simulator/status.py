"""The status of each body over time (机构状态): active until, perhaps, one change.

Each quarter, a body approved at least a year before it and still active
leaves ``active`` for good with a small probability that grows with its latent
risk in that quarter: revoked, suspended or unreachable. The change falls on a
day of that quarter. Over the eight years of history about 3-4 % of the bodies
leave, so the snapshot holds about as many non-active bodies as before status
had a history; in the dated view of an earlier date, a body whose change comes
later is still active (:func:`status_on`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from .config import SimConfig
from .risk import LatentRisk

# Logit of leaving "active" in one quarter for each status: (intercept, slope on the centred risk).
EXIT_HAZARD = {"revoked": (-8.6, 1.1), "suspended": (-8.4, 1.0), "unreachable": (-8.6, 1.0)}
MIN_YEARS = 1  # a body approved less than a year before a quarter does not change status in it
# Statuses under which a body issues no certificate and is not drawn by the past regulator.
STOPPED = ("revoked", "suspended")


def simulate_status(cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk) -> pd.DataFrame:
    """Each body's last status and the day it took it (``NaT`` for bodies always active).

    Returns a frame with columns ``status`` and ``status_changed_on``, one row per body (in order).
    """
    rng = cfg.rng("status")
    zc = np.nan_to_num(risk.centered, nan=-np.inf)
    starts = risk.quarter_starts.values
    year_on = (pd.DatetimeIndex(bodies["approved_on"]) + pd.DateOffset(years=MIN_YEARS)).values
    eligible = starts[None, :] >= year_on[:, None]
    hazards = np.stack([expit(a + b * zc) for a, b in EXIT_HAZARD.values()], axis=-1) * eligible[..., None]
    cumulative = np.cumsum(hazards, axis=-1)
    u = rng.uniform(size=zc.shape)
    leaves = u < cumulative[..., -1]
    left = leaves.any(axis=1)
    quarter = np.argmax(leaves, axis=1)
    rows = np.arange(len(bodies))
    kind = np.argmax(u[rows, quarter][:, None] < cumulative[rows, quarter], axis=1)
    length = np.diff(np.append(starts, np.datetime64(cfg.end, "ns"))) / np.timedelta64(1, "D")
    days = np.floor(rng.uniform(size=len(bodies)) * length[quarter]).astype("timedelta64[D]")
    changed = starts[quarter] + days
    names = np.array(list(EXIT_HAZARD))
    return pd.DataFrame(
        {
            "status": pd.Series(np.where(left, names[kind], "active"), dtype="str"),
            "status_changed_on": pd.DatetimeIndex(np.where(left, changed, np.datetime64("NaT", "ns"))).as_unit("ns"),
        }
    )


def status_on(bodies: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """``bodies`` as they stood on ``as_of``: a change on or after that day has not happened yet.

    The simulator's own rule (the engine's is ``features.rules.body_status``; they are tested to agree).

    >>> b = pd.DataFrame({"status": ["revoked", "active"], "status_changed_on": pd.to_datetime(["2024-05-01", None])})
    >>> status_on(b, pd.Timestamp("2024-05-01"))["status"].tolist()
    ['active', 'active']
    >>> status_on(b, pd.Timestamp("2024-05-02"))["status"].tolist()
    ['revoked', 'active']
    """
    later = (bodies["status_changed_on"] >= as_of).to_numpy()
    if not later.any():
        return bodies
    out = bodies.copy()
    out.loc[later, "status"] = "active"
    out.loc[later, "status_changed_on"] = pd.NaT
    return out


def stopped_before(bodies: pd.DataFrame, on: pd.Timestamp) -> np.ndarray:
    """Mask of the bodies revoked or suspended before ``on`` (they neither issue nor are drawn)."""
    changed = bodies["status_changed_on"].to_numpy(dtype="datetime64[ns]")
    return bodies["status"].isin(STOPPED).to_numpy() & (changed < pd.Timestamp(on).to_datetime64())
