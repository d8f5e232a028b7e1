"""Settings of the synthetic national system, derived from one ``scale`` knob.

Scale 1 is the national system of 2024: ~1,250 bodies, ~4.2 M certificates,
~1.1 M certified organisations, ~1.5 M audits a year, ~600 inspectors.
Counts scale linearly; a few floors keep tiny scales usable in tests.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SimConfig:
    """Every number the simulator uses. Build it with :meth:`from_scale`.

    Examples
    --------
    >>> cfg = SimConfig.from_scale(0.02, seed=7)
    >>> cfg.n_bodies
    40
    """

    seed: int = 20240101
    scale: float = 1.0
    snapshot: pd.Timestamp = pd.Timestamp("2026-10-01")  # as-of date of the data directory
    n_bodies: int = 1250
    n_ccc: int = 25
    n_certificates: int = 4_200_000
    n_organisations: int = 1_100_000
    audits_per_year: int = 1_500_000
    n_inspectors: int = 600
    approval_years: int = 20
    approval_growth: float = 0.065  # yearly growth of approvals: ~8 % of bodies are new each year
    history_years: int = 8  # inspection history and signals
    audit_years: int = 3  # audits with check-ins
    future_quarters: int = 0  # extra quarters of observables for closed-loop runs
    equal_prob_serious_rate: float = 0.175  # mean true P(serious) over bodies and quarters
    past_random_share_per_quarter: float = 0.06  # past policy: ~24 % of bodies a year
    signals_per_year: dict[str, float] = field(
        default_factory=lambda: {
            "complaint": 1500.0,
            "risk_alert": 420.0,
            "media": 300.0,
            "referral": 160.0,
            "penalty": 70.0,
            "accreditation_suspended": 18.0,
        }
    )

    @classmethod
    def from_scale(cls, scale: float = 1.0, seed: int = 20240101, **overrides: Any) -> SimConfig:
        """Scale every count of the national system by ``scale``."""
        if not 0.001 <= scale <= 10:
            raise ValueError(f"`scale` must be between 0.001 and 10; got {scale}.")
        base = cls()
        scaled: dict[str, Any] = dict(
            seed=int(seed),
            scale=float(scale),
            n_bodies=max(40, round(base.n_bodies * scale)),
            n_ccc=max(2, round(base.n_ccc * scale)),
            n_certificates=max(20_000, round(base.n_certificates * scale)),
            n_organisations=max(6_000, round(base.n_organisations * scale)),
            audits_per_year=max(8_000, round(base.audits_per_year * scale)),
            n_inspectors=max(60, round(base.n_inspectors * scale)),
        )
        scaled.update(overrides)
        return cls(**scaled)

    @property
    def body_factor(self) -> float:
        """Bodies relative to the national system (volumes of signals follow it)."""
        return self.n_bodies / 1250.0

    def rng(self, purpose: str) -> np.random.Generator:
        """An independent generator per purpose, from the one root seed (NEP 19)."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(purpose.encode()),)))

    # --- the time axis -------------------------------------------------------------
    @property
    def history_start(self) -> pd.Timestamp:
        return self.snapshot - pd.DateOffset(years=self.history_years)

    @property
    def audit_start(self) -> pd.Timestamp:
        return self.snapshot - pd.DateOffset(years=self.audit_years)

    @property
    def end(self) -> pd.Timestamp:
        """End (exclusive) of all simulated observables."""
        return self.snapshot + pd.DateOffset(months=3 * self.future_quarters)

    @property
    def quarter_starts(self) -> pd.DatetimeIndex:
        """Starts of the simulated quarters, from the history start to the end."""
        return pd.date_range(self.history_start, self.end, freq="QS", inclusive="left")
