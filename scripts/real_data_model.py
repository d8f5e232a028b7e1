"""The engine's risk models on the public Boston and San Francisco inspection
data, out of time, against the last-outcome baseline (docs/real-data.md).

Training rows: routine inspections (mapped to kind ``random``, weighted by
1 / inclusion_prob) before the cut date, features as of each inspection date;
evaluation: routine inspections on and after the cut date. Both calibrated
models of the engine (scorecard, boosting) and the baselines.

    python scripts/real_data_model.py
"""

from __future__ import annotations

import pandas as pd

from features.adapters import latest_date, load_boston, load_sf
from riskmodel import build_training_set, fit_model, predict_serious
from riskmodel.baselines import fit_baseline
from riskmodel.evaluation import evaluate

CUTS = {"boston": ("2013-01-01", load_boston), "sf": ("2017-01-01", load_sf)}


def main() -> None:
    rows = []
    for name, (cut, load) in CUTS.items():
        tables = load()
        ts = build_training_set(tables, latest_date(tables) + pd.Timedelta(days=1))
        train, test = ts.before(cut), ts.on_or_after(cut)
        scores = {
            kind: predict_serious(fit_model(kind, train.X, train.y, train.w), test.X)
            for kind in ("scorecard", "boosting")
        }
        for base in ("last_outcome", "points_rule", "equal_probability"):
            scores[base] = fit_baseline(base, train.X, train.y, train.w)(test.X)
        for model, s in scores.items():
            m = evaluate(test.y, s, test.w, replicates=200, rng=0)
            rows.append(
                {
                    "data": name,
                    "model": model,
                    "train": len(train),
                    "test": len(test),
                    "auc": m.loc["auc", "value"],
                    "auc_ci": f"{m.loc['auc', 'low']:.3f}-{m.loc['auc', 'high']:.3f}",
                    "top_decile_lift": m.loc["top_decile_lift", "value"],
                    "brier": m.loc["brier", "value"],
                }
            )
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
