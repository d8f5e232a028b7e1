"""Certificates (证书): a stock issued over the last few years, with fates.

A body's issuance follows its latent risk (bursts of certificates when risk is
high: selling certificates), and risky bodies see more suspensions and
withdrawals. The final fate and its date are hidden columns; the contract view
at any as-of date is computed by :func:`certificate_view`.

A body's issuance in a quarter depends on its risk in that quarter only
(:func:`issuance_counts`), never on its later quarters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from features.codes import FIELDS

from .config import SimConfig
from .ids import make_ids, strings_from_codes
from .risk import LatentRisk
from .status import STOPPED
from .volume import FieldTable, OrgBlocks, add_years, body_chunks, field_table, pick_orgs, pick_schemes

STATUSES = ("valid", "suspended", "withdrawn", "expired")
ISSUE_WINDOW_YEARS = 3.5  # issued over the last 3.5 years; certificates last 3 years
ISSUE_RISK_SLOPE = 0.6  # log-rate of issuance per unit of centred risk
ISSUE_NOISE_SD = 0.25  # quarter-to-quarter noise of the log-weight for a body of average burstiness
BURSTINESS = 0.25  # the body's nuisance _h_burst scales that noise by exp(BURSTINESS * h)


def issuance_counts(cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk, in_window: np.ndarray) -> np.ndarray:
    """Certificates issued by each body in each quarter of the window (bodies x window quarters).

    Each quarter's national issuance (``cfg.n_certificates`` over 3.5 years, the same every
    quarter) is split among the bodies by a multinomial draw, in proportion to
    ``share x exp(0.6 (zc[i, q] - static_i) + noise[i, q])``: the body's share of the stock, its
    risk in that quarter (its static risk, fixed by its traits, taken out, so that it sets the
    timing and not the size of the body's issuance; the newness of a new body raises it) and
    noise whose spread the body's burstiness ``_h_burst`` sets. The normaliser is the quarter's
    national sum, so a quarter's issuance depends on the risk of that quarter only.
    """
    drive = np.nan_to_num(risk.centered[:, in_window] - risk.static[:, None], nan=-np.inf)
    rng = cfg.rng("certificates")
    sd = ISSUE_NOISE_SD * np.exp(BURSTINESS * bodies["_h_burst"].to_numpy())[:, None]
    weights = (
        _issuing_share(bodies, risk, in_window)
        * bodies["_cert_share"].to_numpy()[:, None]
        * np.exp(ISSUE_RISK_SLOPE * drive + sd * rng.normal(size=drive.shape))
    )
    n_quarters = int(in_window.sum())
    n_total = int(round(cfg.n_certificates * n_quarters / 4 / ISSUE_WINDOW_YEARS))
    per_quarter = n_total // n_quarters + (np.arange(n_quarters) < n_total % n_quarters)
    return rng.multinomial(per_quarter, (weights / weights.sum(axis=0)).T).T


def _issuing_share(bodies: pd.DataFrame, risk: LatentRisk, in_window: np.ndarray) -> np.ndarray:
    """Share of each window quarter in which each body may issue: none once it is revoked or suspended."""
    starts = risk.quarter_starts.values
    ends = np.append(starts[1:], (risk.quarter_starts[-1] + pd.DateOffset(months=3)).to_datetime64())
    stop = _stops_on(bodies)[:, None]
    share = (stop - starts[in_window]) / (ends[in_window] - starts[in_window])
    return np.where(np.isnat(stop), 1.0, np.clip(share, 0.0, 1.0))


def _stops_on(bodies: pd.DataFrame) -> np.ndarray:
    """The day each body stops issuing (revoked or suspended), NaT if it never does."""
    changed = bodies["status_changed_on"].to_numpy(dtype="datetime64[ns]")
    return np.where(bodies["status"].isin(STOPPED).to_numpy(), changed, np.datetime64("NaT", "ns"))


def simulate_certificates(
    cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk, blocks: OrgBlocks
) -> list[pd.DataFrame]:
    """The certificate stock as a list of chunks (contiguous ranges of bodies)."""
    window_start = cfg.snapshot - pd.DateOffset(months=int(ISSUE_WINDOW_YEARS * 12))
    in_window = (risk.quarter_starts >= window_start) & (risk.quarter_starts < cfg.end)
    issued = issuance_counts(cfg, bodies, risk, in_window)
    counts = issued.sum(axis=1)
    first_id = np.concatenate([[1], 1 + np.cumsum(counts)])
    fields = field_table(bodies)
    window_q = np.flatnonzero(in_window)
    return [
        _certificate_chunk(cfg, bodies, fields, risk, blocks, issued[lo:hi], window_q, lo, first_id[lo])
        for lo, hi in body_chunks(counts)
    ]


def _certificate_chunk(
    cfg: SimConfig,
    bodies: pd.DataFrame,
    fields: FieldTable,
    risk: LatentRisk,
    blocks: OrgBlocks,
    issued_per_quarter: np.ndarray,
    window_q: np.ndarray,
    lo: int,
    first_id: int,
) -> pd.DataFrame:
    """The certificates of bodies ``lo`` .. ``lo + len(issued_per_quarter)``, by body and quarter of issue."""
    rng = cfg.rng(f"certificates:{lo}")
    b, t = np.nonzero(issued_per_quarter)
    reps = issued_per_quarter[b, t]
    body_idx, q_global = lo + np.repeat(b, reps), window_q[np.repeat(t, reps)]
    n = len(body_idx)
    q_start = risk.quarter_starts.values[q_global]
    # in the quarter a body is revoked or suspended, it issues only before that day
    days_left = (_stops_on(bodies)[body_idx] - q_start) / np.timedelta64(1, "D")
    span = np.where(np.isnan(days_left), 90.0, np.clip(days_left, 0.0, 90.0))
    issued = q_start + (rng.uniform(size=n) * span).astype("timedelta64[D]")
    issued = issued.astype("datetime64[D]").astype("datetime64[ns]")
    expires = add_years(issued, 3) - np.timedelta64(1, "D")

    z_row = risk.centered[body_idx, q_global]
    ends_early = rng.uniform(size=n) < expit(-3.4 + 0.45 * z_row + 0.6 * bodies["_h_withdraw"].values[body_idx])
    life = (np.minimum(expires, np.datetime64(cfg.end, "ns")) - issued) / np.timedelta64(1, "D")
    changed = issued + (rng.uniform(size=n) * np.maximum(life, 1)).astype("timedelta64[D]")
    fate = np.where(rng.uniform(size=n) < 0.4, 1, 2)  # index into STATUSES
    return pd.DataFrame(
        {
            "cert_id": make_ids("C", np.arange(first_id, first_id + n), 9),
            "body_id": bodies["body_id"].values[body_idx],
            "org_id": make_ids("O", pick_orgs(body_idx, blocks, cfg.n_organisations, rng), 8),
            "scheme": strings_from_codes(pick_schemes(body_idx, bodies, fields, rng), FIELDS),
            "issued_on": issued,
            "expires_on": expires,
            "_fate": np.where(ends_early, fate, 0).astype(np.int8),  # index into STATUSES
            "_fate_on": np.where(ends_early, changed, np.datetime64("NaT", "ns")),
        }
    )


def certificate_view(certs: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The contract table as it stood on ``as_of``: issued before it, status then."""
    known = certs[certs["issued_on"].values < np.datetime64(as_of, "ns")]
    as_of64 = np.datetime64(as_of, "ns")
    fate_on = known["_fate_on"].values
    ended = ~np.isnat(fate_on) & (fate_on < as_of64)
    expired = ~ended & (known["expires_on"].values < as_of64)
    status = np.where(ended, known["_fate"].values, np.where(expired, 3, 0))
    changed = np.where(ended, fate_on, np.where(expired, known["expires_on"].values, np.datetime64("NaT", "ns")))
    view = known.drop(columns=["_fate", "_fate_on"]).copy()
    view["status"] = strings_from_codes(status, STATUSES).set_axis(view.index)
    view["status_changed_on"] = changed
    return view.reset_index(drop=True)
