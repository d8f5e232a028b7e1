"""What the bureaus did about the engine's warnings: a simulated dispositions table (风险处置记录).

The simulator does not know the engine's warning rules; it is handed the
warnings a monitor run raised (``warning_id``, ``body_id``, ``response``,
``raised_on``, ``deadline``) and plays the bureaus: most warnings are acted on
with the recommended response, some late, a few never; an action closes the
warning more often when the body's latent risk is low (a risky body's
rectification fails more often). Only actions dated before ``as_of`` are
returned, so the table is what was known on that day.

>>> import numpy as np, pandas as pd
>>> warnings = pd.DataFrame({"warning_id": ["W-B1-20260701"], "body_id": ["B1"], "response": ["reminder_letter"],
...                          "raised_on": [pd.Timestamp("2026-07-01")], "deadline": [pd.Timestamp("2026-07-31")]})
>>> table = simulate_dispositions(warnings, {"B1": 0.02}, pd.Timestamp("2026-10-01"), np.random.default_rng(1))
>>> list(table.columns)
['disposition_id', 'warning_id', 'body_id', 'disposed_on', 'action', 'unit', 'person', 'closed']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.codes import DISPOSITION_ACTIONS

ACTED_SHARE = 0.85  # warnings acted on at all
LATE_SHARE = 0.2  # of those, acted on after the deadline
COLUMNS = ["disposition_id", "warning_id", "body_id", "disposed_on", "action", "unit", "person", "closed"]
UNITS = ("省局认证监管处", "市局认证监管科", "区县局执法大队")
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")


def simulate_dispositions(
    warnings: pd.DataFrame, p_serious: dict[str, float], as_of: pd.Timestamp, rng: np.random.Generator
) -> pd.DataFrame:
    """One disposition per acted-on warning, dated before ``as_of`` (``p_serious``: the body's latent risk)."""
    n = len(warnings)
    acted = rng.uniform(size=n) < ACTED_SHARE
    late = rng.uniform(size=n) < LATE_SHARE
    raised = pd.to_datetime(warnings["raised_on"]).to_numpy()
    span = (pd.to_datetime(warnings["deadline"]).to_numpy() - raised) / np.timedelta64(1, "D")
    days = np.where(late, span + rng.integers(1, 45, size=n), rng.uniform(0.1, 1.0, size=n) * span).astype(int)
    on = pd.DatetimeIndex(raised) + pd.to_timedelta(days, unit="D")
    risk = warnings["body_id"].map(p_serious).fillna(0.1).to_numpy(dtype=float)
    closed = rng.uniform(size=n) < np.clip(0.9 - 2.0 * risk, 0.2, 0.9)
    action = warnings["response"].where(warnings["response"].isin(DISPOSITION_ACTIONS), "other")
    keep = acted & np.asarray(on < as_of)
    table = pd.DataFrame(
        {
            "disposition_id": [f"D{as_of:%Y%m%d}-{k:05d}" for k in range(1, int(keep.sum()) + 1)],
            "warning_id": warnings["warning_id"].to_numpy()[keep],
            "body_id": warnings["body_id"].to_numpy()[keep],
            "disposed_on": on[keep].normalize(),
            "action": action.to_numpy()[keep],
            "unit": rng.choice(UNITS, size=int(keep.sum())),
            "person": rng.choice(PEOPLE, size=int(keep.sum())),
            "closed": closed[keep],
        }
    )
    return table.astype({c: "str" for c in ("disposition_id", "warning_id", "body_id", "action", "unit", "person")})[
        COLUMNS
    ]
