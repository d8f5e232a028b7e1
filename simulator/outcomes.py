"""What an inspection finds: a function of the body's latent risk at the
inspection date and of the team's stringency (the mean of its members').

Shares for a typical year (SAMR 2024: 153 bodies, 12 fake certification,
16 fairly serious, 28 general) are matched by the default coefficients.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

PROBLEM_CERT_INTERCEPT = -2.0  # logit of a checked certificate having a problem, average body


def problem_certificate_prob(zc: np.ndarray, stringency: np.ndarray | float = 0.0) -> np.ndarray:
    """True probability that one checked certificate has a problem."""
    return expit(PROBLEM_CERT_INTERCEPT + 0.8 * zc + stringency)


def draw_outcomes(
    z: np.ndarray,
    zc: np.ndarray,
    stringency: np.ndarray,
    certs_held: np.ndarray,
    rng: np.random.Generator,
    listed: np.ndarray | None = None,
) -> pd.DataFrame:
    """Outcome, findings and stage-2 certificate checks for each inspection.

    ``z`` is the latent logit (P(serious) = sigmoid(z + stringency)), ``zc`` the
    same without the base, ``certs_held`` the body's certificate count.
    ``listed``: the number of certificates the draw's stage 2 listed for each
    body; the inspection checks exactly those (past practice sets its own
    number when it is None).
    """
    n = len(z)
    serious = rng.uniform(size=n) < expit(z + stringency)
    severe = serious & (rng.uniform(size=n) < expit(-1.0 + 0.5 * zc))
    general = ~serious & (rng.uniform(size=n) < expit(-1.3 + 0.6 * zc + stringency))
    outcome = np.select([severe, serious, general], ["severe", "major", "general"], "none")
    findings = np.select(
        [severe, serious, general],
        [3 + rng.poisson(2.0, n), 2 + rng.poisson(1.2, n), 1 + rng.poisson(0.7, n)],
        0,
    )
    checked = np.clip(np.round(3 + 4 * np.log10(1 + certs_held)), 3, 40).astype(np.int64) + rng.poisson(2, n)
    if listed is not None:  # drawn after the past-practice number, so the random stream stays the same
        checked = np.asarray(listed, dtype=np.int64)
    with_problems = rng.binomial(checked, problem_certificate_prob(zc, stringency))
    return pd.DataFrame(
        {
            "outcome": pd.Series(outcome, dtype="str"),
            "findings": findings.astype(np.int64),
            "certs_checked": checked.astype(np.int64),
            "certs_with_problems": with_problems.astype(np.int64),
        }
    )
