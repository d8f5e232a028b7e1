"""The engine's model choice on public real inspection data, through its own data-contract path.

For each real data set (Boston, San Francisco; ``../shared/data/real``), the
adapter writes a data directory (features.adapters.write_data_dir); the data
directory is loaded and validated as any other (``load_data_dir``); the
quarterly retraining runs on it exactly as ``certrisk train`` runs it
(``run_training``: every candidate and the baselines on one out-of-time
window, the champion chosen by riskmodel.selection, a fresh MLflow store);
then ``certrisk grade`` grades every body with the champion. The as-of date
puts the evaluation window on the data's last full year.

Printed per data set: each candidate and baseline with out-of-time AUC,
captured share at a 25 % budget, Brier score and the decile calibration gap,
each with its 95 % bootstrap interval; the decision (chosen, challenger, the
rule in words); and the two checks of issue 14: the champion's AUC is not
below the best candidate's beyond the paired-bootstrap noise, and not below
the last-outcome baseline's.

    python benchmarks/real_data.py [--data boston sf] [--replicates 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from certrisk.training_job import run_training
from features.adapters import latest_date, load_boston, load_sf, write_data_dir
from features.build import build_features
from features.loading import load_data_dir
from riskmodel.grader import grade_bodies
from riskmodel.tracking import load_model

LOADERS = {"boston": load_boston, "sf": load_sf}


def as_of_for(tables: dict) -> pd.Timestamp:
    """The first day of the quarter after the data's last inspection: the window is the last four quarters."""
    return (latest_date(tables) + pd.Timedelta(days=1)).to_period("Q").end_time.normalize() + pd.Timedelta(days=1)


def run_one(name: str, work: Path) -> dict:
    """Adapter -> data directory -> load -> train -> grade; the tables and the decision."""
    tables = LOADERS[name]()
    data_dir = write_data_dir(tables, work / name / "data")
    as_of = as_of_for(tables)
    data = load_data_dir(data_dir, as_of=as_of)
    uri = f"sqlite:///{(work / name / 'mlflow.db').resolve()}"
    job = run_training(data, data_dir, as_of, out_dir=work / name / "run", tracking_uri=uri)
    grades = grade_bodies(load_model(tracking_uri=uri), build_features(data, as_of), data.tables, with_reasons=False)
    return {"job": job, "as_of": as_of, "graded": len(grades)}


def _interval(row: pd.Series, key: str) -> str:
    return f"{row[key]:.3f} [{row[f'{key}_low']:.3f}, {row[f'{key}_high']:.3f}]"


def report(name: str, out: dict) -> None:
    job = out["job"]
    result, selection = job["result"], job["result"].selection
    comparison = result.comparison()
    rows = []
    for model in comparison.index:
        row = comparison.loc[model]
        rows.append(
            {
                "model": model,
                "auc": _interval(row, "auc"),
                "captured_25pct": _interval(row, "captured_at_budget"),
                "brier": _interval(row, "brier"),
            }
        )
    print(
        f"\n## {name}: as of {out['as_of'].date()}, evaluation from {result.eval_start.date()}, "
        f"{int(result.training.summary()['rows'])} training rows; {out['graded']} bodies graded by the champion"
    )
    print(pd.DataFrame(rows).to_string(index=False))
    cols = ["candidate", "decile_gap", "observed_over_predicted", "eligible", "auc_gain_low", "auc_gain_high", "chosen"]
    print(selection.table[cols].round(3).to_string(index=False))
    print(f"rule: {selection.rule}")
    table = selection.table.set_index("candidate")
    best_auc = table["auc"].idxmax()
    gain = table.loc[best_auc, ["auc_gain_low", "auc_gain_high"]]
    within = not gain["auc_gain_low"] > 0
    base = comparison.loc["last_outcome", "auc"]
    champion_auc = table.loc[selection.chosen, "auc"]
    print(
        f"check: champion {selection.chosen} AUC {champion_auc:.3f}; best candidate {best_auc} "
        f"{table.loc[best_auc, 'auc']:.3f} (paired gain over the champion [{gain['auc_gain_low']:+.3f}, "
        f"{gain['auc_gain_high']:+.3f}]: {'within' if within else 'BEYOND'} the noise); "
        f"last outcome {base:.3f}: champion {'not below' if champion_auc >= base else 'BELOW'} it"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs="+", default=list(LOADERS), choices=list(LOADERS))
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    np.seterr(all="ignore")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.data:
            start = time.perf_counter()
            report(name, run_one(name, Path(tmp)))
            print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
