"""Does the auditor ranking find the auditors who skip audits? (docs/auditors.md)

On simulated worlds: the ranked list of ``supervision.auditors.auditor_list``
(every auditor with an audit in the 12 months before the snapshot) against the
simulator's truth (``world.truth()["auditors"]``: the skippers and their chance
to skip each audit). Per seed:

- AUC of the score for the skippers, and precision among the top 20 and 100
  (chance: the skippers' share);
- the high-risk rule: auditors flagged, the share of them who skip
  (precision), the share of skippers flagged (recall), the share of the
  others flagged;
- Spearman correlation of the score with the chance to skip, among skippers;
- the body feature ``high_risk_auditor_share`` against the true share of each
  body's audits of the 12 months named on a skipper (Pearson r).

    python benchmarks/auditors.py [--scale 1] [--seeds 20240101 7]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from features import build_features
from simulator import generate_world
from supervision.auditors import LABELS, auditor_list


def ranking(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> pd.DataFrame:
    """The full ranked list, with the column names of the code (not the headers)."""
    ranked = auditor_list(tables, as_of, lang="en", high_risk_only=False)
    return ranked.rename(columns={en: name for name, (en, _) in LABELS.items()})


def true_body_share(tables: dict[str, pd.DataFrame], truth: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Share of each body's audits of the 12 months (completed records) named on a skipper."""
    a = tables["audits"]
    done = a[["planned_end", "checkin_at", "checkout_at"]].max(axis=1)
    a = a[done >= as_of - pd.Timedelta(days=365)]
    skipper = a["auditor_id"].map(truth.set_index("auditor_id")["skipper"]).astype(float)
    return skipper.groupby(a["body_id"]).mean()


def measure(scale: float, seed: int) -> dict[str, float]:
    started = time.perf_counter()
    world = generate_world(scale=scale, seed=seed)
    tables, as_of = world.tables(), world.as_of
    truth = world.truth()["auditors"]
    ranked = ranking(tables, as_of).merge(truth, on="auditor_id", how="left", validate="one_to_one")
    skip = ranked["skipper"].to_numpy(dtype=bool)
    flagged = ranked["high_risk"].to_numpy(dtype=bool)
    features = build_features(tables, as_of).set_index("body_id")
    share = true_body_share(tables, truth, as_of).reindex(features.index).fillna(0.0)
    return {
        "auditors": len(ranked),
        "skippers": skip.mean(),
        "auc": roc_auc_score(skip, ranked["score"]),
        "precision@20": skip[:20].mean(),
        "precision@100": skip[:100].mean(),
        "flagged": flagged.sum(),
        "rule precision": skip[flagged].mean() if flagged.any() else np.nan,
        "rule recall": flagged[skip].mean(),
        "others flagged": flagged[~skip].mean(),
        "spearman (skippers)": spearmanr(ranked.loc[skip, "score"], ranked.loc[skip, "skip_prob"])[0],
        "body feature r": np.corrcoef(features["high_risk_auditor_share"], share)[0, 1],
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[20240101, 7])
    args = parser.parse_args()
    rows = {seed: measure(args.scale, seed) for seed in args.seeds}
    table = pd.DataFrame(rows).T
    table.index.name = f"seed (scale {args.scale:g})"
    with pd.option_context("display.float_format", "{:.3f}".format, "display.width", 200):
        print(table.to_string())


if __name__ == "__main__":
    main()
