"""Out-of-time quality of the risk models on synthetic data, against observed
outcomes and against the ground truth, beside the oracle and the baselines
(the table in docs/riskmodel.md).

    python scripts/model_report.py [--scale 1] [--seed 5]

Rows: random inspections of the last four quarters before the snapshot,
weighted by 1 / inclusion_prob (the population of bodies). Columns:
- auc_observed: weighted ROC AUC for the observed serious outcome;
- auc_truth: the same, expected over the true outcome probabilities (each row
  counts as serious with weight p_true and as not serious with 1 - p_true);
- brier_truth: weighted mean of (predicted - p_true)^2;
- mean_predicted vs mean_true: calibration in the large;
- captured / lift: share of serious outcomes in the top 25 % and top-decile lift.
The oracle scores each inspection by its true probability.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from riskmodel.baselines import BASELINES, fit_baseline
from riskmodel.evaluation import metric_values
from riskmodel.models import fit_model, predict_serious
from riskmodel.training import build_training_set
from simulator import generate_world


def auc_truth(p_true, score, w) -> float:
    y = np.r_[np.ones(len(score)), np.zeros(len(score))]
    return float(roc_auc_score(y, np.r_[score, score], sample_weight=np.r_[w * p_true, w * (1 - p_true)]))


def markdown(table: pd.DataFrame) -> str:
    head = "| | " + " | ".join(table.columns) + " |"
    rule = "|---" * (len(table.columns) + 1) + "|"
    rows = [
        "| " + str(i) + " | " + " | ".join(f"{v:g}" for v in r) + " |" for i, r in zip(table.index, table.to_numpy())
    ]
    return "\n".join([head, rule, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    world = generate_world(scale=args.scale, seed=args.seed)
    tables = world.tables()
    eval_start = (world.as_of - pd.DateOffset(months=12)).to_period("Q").start_time
    ts = build_training_set(tables, world.as_of)
    train, test = ts.before(eval_start), ts.on_or_after(eval_start)
    p_true = (
        world.truth()["inspections"].set_index("inspection_id").loc[test.meta["inspection_id"], "p_serious"].to_numpy()
    )
    scores = {
        kind: predict_serious(fit_model(kind, train.X, train.y, train.w), test.X) for kind in ("scorecard", "boosting")
    }
    scores.update({name: fit_baseline(name, train.X, train.y, train.w)(test.X) for name in BASELINES})
    scores["oracle (true p)"] = p_true
    rows = {}
    for name, s in scores.items():
        m = metric_values(test.y, s, test.w)
        rows[name] = {
            "auc_observed": m["auc"],
            "auc_truth": auc_truth(p_true, s, test.w),
            "brier_observed": m["brier"],
            "brier_truth": float(np.average((s - p_true) ** 2, weights=test.w)),
            "mean_predicted": float(np.average(s, weights=test.w)),
            "mean_true": float(np.average(p_true, weights=test.w)),
            "captured_25pct": m["captured_at_budget"],
            "top_decile_lift": m["top_decile_lift"],
        }
    table = pd.DataFrame(rows).T.round(3)
    print(
        f"scale {args.scale}, seed {args.seed}: {len(train)} training rows before {eval_start.date()}, "
        f"{len(test)} evaluation rows (random inspections) after"
    )
    print(markdown(table))


if __name__ == "__main__":
    main()
