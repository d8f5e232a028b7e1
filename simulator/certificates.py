"""Certificates (证书): a stock issued over the last few years, with fates.

A body's issuance follows its latent risk (bursts of certificates when risk is
high: selling certificates), and risky bodies see more suspensions and
withdrawals. The final fate and its date are hidden columns; the contract view
at any as-of date is computed by :func:`certificate_view`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from features.codes import FIELDS

from .config import SimConfig
from .ids import make_ids, strings_from_codes
from .risk import LatentRisk
from .volume import FieldTable, OrgBlocks, add_years, body_chunks, field_table, pick_orgs, pick_schemes, sample_quarters

STATUSES = ("valid", "suspended", "withdrawn", "expired")
ISSUE_WINDOW_YEARS = 3.5  # issued over the last 3.5 years; certificates last 3 years


def simulate_certificates(
    cfg: SimConfig, bodies: pd.DataFrame, risk: LatentRisk, blocks: OrgBlocks
) -> list[pd.DataFrame]:
    """The certificate stock as a list of chunks (contiguous ranges of bodies)."""
    window_start = cfg.snapshot - pd.DateOffset(months=int(ISSUE_WINDOW_YEARS * 12))
    in_window = (risk.quarter_starts >= window_start) & (risk.quarter_starts < cfg.end)
    n_total = int(round(cfg.n_certificates * in_window.sum() / 4 / ISSUE_WINDOW_YEARS))
    counts = cfg.rng("certificates").multinomial(n_total, bodies["_cert_share"].values)
    first_id = np.concatenate([[1], 1 + np.cumsum(counts)])
    fields = field_table(bodies)
    return [
        _certificate_chunk(cfg, bodies, fields, risk, blocks, counts, in_window, lo, hi, first_id[lo])
        for lo, hi in body_chunks(counts)
    ]


def _certificate_chunk(
    cfg: SimConfig,
    bodies: pd.DataFrame,
    fields: FieldTable,
    risk: LatentRisk,
    blocks: OrgBlocks,
    counts: np.ndarray,
    in_window: np.ndarray,
    lo: int,
    hi: int,
    first_id: int,
) -> pd.DataFrame:
    rng = cfg.rng(f"certificates:{lo}")
    body_idx = np.repeat(np.arange(lo, hi), counts[lo:hi])
    n = len(body_idx)
    zc = risk.centered[:, in_window]
    burst = rng.normal(0.0, 0.25, size=zc.shape) + 0.2 * bodies["_h_burst"].values[:, None]
    weights = np.exp(0.6 * zc + burst) * ~np.isnan(zc)
    q_global = np.flatnonzero(in_window)[sample_quarters(body_idx, weights, rng)]
    issued = risk.quarter_starts.values[q_global] + (rng.uniform(size=n) * 90).astype("timedelta64[D]")
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
