"""Benchmark of grades net of the inspector effect (riskmodel.net_risk) against the simulator's truth.

Run on demand (not a test)::

    .venv/bin/python benchmarks/net_risk.py [--scale 1] [--seed 5] [--stringency-sd 0.35]

It simulates a national system, fits the scorecard (the engine's champion kind)
on the random inspections before the snapshot, and compares, against each
body's true P(serious) in the snapshot's quarter:

* the Spearman correlation and the AUC for the true top decile of the
  champion's probability and of the net one;
* the size of the shift (mean absolute change of the log-odds) and the share
  of bodies whose model grade changes.

``--stringency-sd 1`` gives inspectors who differ strongly: a sensitivity case (the default 0.35 is within what
the San Francisco data allow, docs/synthetic.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import simulator.inspectors  # noqa: E402
from features.build import build_features  # noqa: E402
from features.dictionary import FEATURE_NAMES  # noqa: E402
from riskmodel.grading import model_grades  # noqa: E402
from riskmodel.models import fit_model, predict_serious  # noqa: E402
from riskmodel.net_risk import inspector_correction  # noqa: E402
from riskmodel.training import build_training_set  # noqa: E402
from simulator import generate_world  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--stringency-sd", type=float, default=simulator.inspectors.STRINGENCY_SD)
    args = parser.parse_args()
    simulator.inspectors.STRINGENCY_SD = args.stringency_sd
    started = time.perf_counter()
    world = generate_world(scale=args.scale, seed=args.seed)
    tables, as_of = world.tables(), world.as_of
    training = build_training_set(tables, as_of)
    model = fit_model("scorecard", training.X, training.y, training.w)
    features = build_features(tables, as_of)
    X = features[list(FEATURE_NAMES)]
    p = predict_serious(model, X)
    correction = inspector_correction(tables, as_of)
    shift = correction.shift(X)
    net = correction.net(p, X)
    risk = world.truth()["risk_quarterly"]
    quarter = risk.loc[risk["quarter_start"] <= as_of, "quarter_start"].max()
    truth = risk[risk["quarter_start"] == quarter].set_index("body_id")["p_serious"].reindex(features["body_id"])
    keep = truth.notna().to_numpy()
    top = (truth >= truth.quantile(0.9)).to_numpy()[keep]
    rows = []
    for name, q in (("champion", p), ("net of inspectors", net)):
        rows.append(
            {
                "probability": name,
                "spearman": spearmanr(q[keep], truth.to_numpy()[keep]).statistic,
                "auc_top_decile": roc_auc_score(top, q[keep]),
                "mean": float(np.mean(q)),
            }
        )
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    changed = (np.asarray(model_grades(p)) != np.asarray(model_grades(net))).mean()
    print(
        f"\nmean |shift| {np.abs(shift).mean():.4f} on the log-odds (max {np.abs(shift).max():.3f}); model grade changed for {changed:.1%} of {len(p)} bodies"
    )
    print(
        f"random inspections {len(training)}; inspector prior SD chosen {correction.joint.sigma:.3f} (truth {args.stringency_sd}); {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
