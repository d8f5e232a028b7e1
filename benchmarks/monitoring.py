"""Benchmark of risk monitoring (certrisk monitor) against the simulator's truth.

Run on demand (not a test)::

    .venv/bin/python benchmarks/monitoring.py [--scale 1] [--seeds 5 11 23] [--as-of 2026-07-01]

For each simulated world it runs the warning rules that ship (indicators only:
no model score, so the figures are those of the rules alone) on the data as
of ``--as-of`` and reports, against the truth (the body's true probability of
a serious finding in the quarter of the as-of date):

* how many bodies are warned, and at each level;
* the share of red warnings among the true top decile (the precision of red;
  10 % by chance), and the share of the true top decile warned at all and red;
* the ROC AUC of the warning level (0 none .. 4 red) for the true top decile;
* the same for the quarter before and the transitions between the two
  (new, escalated, persisting, cleared).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certrisk.monitor_job import previous_from_state, run_monitor, state_record  # noqa: E402
from simulator import generate_world  # noqa: E402
from supervision.judgement import level_rank  # noqa: E402
from supervision.rules import load_rules  # noqa: E402


def true_risk(world, as_of: pd.Timestamp) -> pd.Series:
    """Each body's true P(serious) in the quarter holding ``as_of``."""
    risk = world.truth()["risk_quarterly"]
    quarter = risk.loc[risk["quarter_start"] <= as_of, "quarter_start"].max()
    return risk[risk["quarter_start"] == quarter].set_index("body_id")["p_serious"]


def concentration(judged: pd.DataFrame, truth: pd.Series) -> dict:
    """Where the warnings fall against the true top decile of the monitored bodies."""
    level = judged.set_index("body_id")["level"].map(level_rank)
    truth = truth.reindex(level.index).dropna()
    level = level.reindex(truth.index)
    top = truth >= truth.quantile(0.9)
    red = level == 4
    return {
        "bodies": len(level),
        "warned": int((level > 0).sum()),
        **{name: int((level == k).sum()) for k, name in enumerate(("blue", "yellow", "orange", "red"), start=1)},
        "red_in_top_decile": float(top[red].mean()) if red.any() else float("nan"),
        "top_decile_warned": float((level[top] > 0).mean()),
        "top_decile_red": float(red[top].mean()),
        "auc_level": float(roc_auc_score(top, level)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[5, 11, 23])
    parser.add_argument("--as-of", default="2026-07-01")
    args = parser.parse_args()
    rules, as_of = load_rules(), pd.Timestamp(args.as_of)
    before_as_of = as_of - pd.DateOffset(months=3)
    rows = []
    for seed in args.seeds:
        started = time.perf_counter()
        world = generate_world(scale=args.scale, seed=seed)
        first = run_monitor(world.tables(before_as_of), before_as_of, rules)
        previous = previous_from_state(state_record(first))
        second = run_monitor(world.tables(as_of), as_of, rules, previous=previous)
        row = {"seed": seed, **concentration(second.judged, true_risk(world, as_of))}
        row.update(
            {
                f"n_{s}": int((second.warnings["status"] == s).sum())
                for s in ("new", "escalated", "persisting", "cleared")
            }
        )
        row["seconds"] = round(time.perf_counter() - started, 1)
        rows.append(row)
        print(pd.DataFrame([row]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print("\nall worlds:")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(
        f"\nmean share of red warnings in the true top decile: {np.nanmean(table['red_in_top_decile']):.3f} (chance 0.100)"
    )


if __name__ == "__main__":
    main()
