"""The registry of certification bodies (认证机构名录) and their fixed traits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.codes import FIELDS, PROVINCES

from .config import SimConfig
from .ids import make_ids

# Most bodies sit in a few provinces (Beijing above all); Zipf-like weights in this order.
PROVINCE_ORDER = [
    "11",
    "44",
    "31",
    "32",
    "33",
    "37",
    "51",
    "42",
    "12",
    "35",
    "41",
    "34",
    "43",
    "21",
    "61",
    "50",
    "13",
    "36",
    "53",
    "14",
    "22",
    "23",
    "45",
    "52",
    "62",
    "15",
    "65",
    "46",
    "64",
    "63",
    "54",
]
# How often a body is approved for each field (a body holds 1..6 fields).
FIELD_POPULARITY = {
    "QMS": 0.85,
    "EMS": 0.6,
    "OHSMS": 0.55,
    "FSMS": 0.15,
    "ISMS": 0.18,
    "ITSMS": 0.12,
    "EnMS": 0.12,
    "IPMS": 0.08,
    "ORGANIC": 0.08,
    "PRODUCT": 0.2,
    "SERVICE": 0.25,
    "CCC": 0.0,
    "GREEN": 0.1,
    "OTHER": 0.1,
}
# Latent-risk effect of holding a field (logit scale): the action plan's high-risk fields.
FIELD_RISK = {"ORGANIC": 0.35, "IPMS": 0.3, "EnMS": 0.2, "ITSMS": 0.15, "QMS": 0.1}


def _provinces(cfg: SimConfig, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(PROVINCE_ORDER) + 1) ** 1.1
    codes = np.array(PROVINCE_ORDER)
    # every province gets at least one body when there are enough bodies
    fixed = codes if cfg.n_bodies >= 3 * len(codes) else codes[:0]
    rest = rng.choice(codes, size=cfg.n_bodies - len(fixed), p=weights / weights.sum())
    return rng.permutation(np.concatenate([fixed, rest]))


def _approval_dates(cfg: SimConfig, rng: np.random.Generator) -> pd.DatetimeIndex:
    """Exponential growth of approvals over ``approval_years`` (about 8 % new a year)."""
    span = cfg.approval_years + cfg.future_quarters / 4
    g = cfg.approval_growth
    u = rng.uniform(size=cfg.n_bodies)
    # inverse CDF of a density proportional to exp(g * t) on [0, span]
    t = np.log1p(u * np.expm1(g * span)) / g
    start = cfg.snapshot - pd.DateOffset(years=cfg.approval_years)
    return pd.DatetimeIndex(start + pd.to_timedelta(np.floor(t * 365.25), unit="D")).as_unit("ns")


def _fields(n: int, ccc: np.ndarray, rng: np.random.Generator) -> tuple[pd.Series, np.ndarray]:
    names = [f for f in FIELDS if f != "CCC"]
    probs = np.array([FIELD_POPULARITY[f] for f in names])
    has = rng.uniform(size=(n, len(names))) < probs
    none = ~has.any(axis=1)
    has[none, 0] = True  # at least QMS
    product = names.index("PRODUCT")
    has[ccc, product] = True
    codes = np.array(names)
    text = [";".join(codes[row]) for row in has]
    text = [t + ";CCC" if c else t for t, c in zip(text, ccc)]
    risk = has @ np.array([FIELD_RISK.get(f, 0.0) for f in names])
    return pd.Series(text, dtype="str"), risk


def _certificate_weights(
    cfg: SimConfig, ccc: np.ndarray, age_years: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Heavy-tailed share of the certificate stock: most bodies < 2k, a few > 100k."""
    log_size = rng.normal(0.0, 2.0, size=cfg.n_bodies)
    log_size += 1.5 * ccc + 0.6 * np.log1p(np.clip(age_years, 0, None)) - 1.2 * (age_years < 1)
    w = np.exp(log_size)
    return w / w.sum()


def simulate_bodies(cfg: SimConfig) -> pd.DataFrame:
    """Bodies with their contract columns plus hidden traits (prefixed ``_``).

    Hidden columns: ``_field_risk``, ``_cert_share``, ``_body_effect`` and the
    nuisance propensities ``_h_*`` that make each observable noisy on its own.
    """
    rng = cfg.rng("bodies")
    n = cfg.n_bodies
    approved = _approval_dates(cfg, rng)
    order = np.argsort(approved.values, kind="stable")  # ids follow approval order
    approved = approved[order]
    ccc = np.zeros(n, dtype=bool)
    old = np.flatnonzero(approved < cfg.snapshot - pd.DateOffset(years=5))
    ccc[rng.choice(old if len(old) >= cfg.n_ccc else np.arange(n), size=cfg.n_ccc, replace=False)] = True
    fields, field_risk = _fields(n, ccc, rng)
    age = (cfg.snapshot - approved).days.values / 365.25
    provinces = _provinces(cfg, rng)
    ids = make_ids("CB", np.arange(1, n + 1), 5)
    bodies = pd.DataFrame(
        {
            "body_id": ids,
            "name": pd.Series([f"{PROVINCES[p]}认证机构{i:05d}" for i, p in enumerate(provinces, 1)], dtype="str"),
            "province": pd.Series(provinces, dtype="str"),
            "approved_on": approved,
            "ccc_designated": ccc,
            "accredited": rng.uniform(size=n) < np.where(age > 2, 0.8, 0.35),
            "status": pd.Series(["active"] * n, dtype="str"),
            "fields": fields,
        }
    )
    bodies["_field_risk"] = field_risk
    bodies["_cert_share"] = _certificate_weights(cfg, ccc, age, rng)
    bodies["_body_effect"] = rng.standard_t(df=5, size=n) * 0.75
    for name in ("checkin", "checkout", "far", "late", "double", "duration", "remote", "withdraw", "burst"):
        bodies[f"_h_{name}"] = rng.normal(0.0, 1.0, size=n)
    return bodies
