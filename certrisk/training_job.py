"""The quarterly retraining job: retrain, monitor, plot, log to MLflow, promote.

Everything of one run goes into a run folder (figures as PNG, tables as CSV,
run.json) and into one MLflow run; the better of the two models on the
out-of-time Brier score is registered as ``challenger`` and promoted to
``champion`` when it is not worse than the current champion by the margin.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from features.atomic import atomic_path
from features.build import build_features
from features.codes import GRADES
from features.dictionary import FEATURE_NAMES
from features.loading import DataSet
from riskmodel.figures import (
    calibration_figure,
    grade_distribution_figure,
    lift_figure,
    migration_figure,
    psi_figure,
    save_figure,
)
from riskmodel.grader import grade_bodies
from riskmodel.grading import DEFAULT_BANDS
from riskmodel.models import predict_serious
from riskmodel.monitoring import migration_matrix, psi_table
from riskmodel.quarterly import retrain
from riskmodel.tracking import log_training_run, register_and_promote

from .runinfo import Timer, input_hashes, run_record, write_json


def _monitoring(model: Any, data: DataSet, as_of: pd.Timestamp) -> dict[str, Any]:
    """PSI of score and features, and grade migration, against the previous quarter."""
    previous = as_of - pd.DateOffset(months=3)
    now, before = build_features(data, as_of), build_features(data, previous)
    frame = lambda f: f.set_index("body_id")[list(FEATURE_NAMES)].assign(
        score=predict_serious(model, f[list(FEATURE_NAMES)])
    )  # noqa: E731
    grades_now = grade_bodies(model, now, data.tables, with_reasons=False).set_index("body_id")["grade"]
    grades_before = grade_bodies(model, before, data.tables, with_reasons=False).set_index("body_id")["grade"]
    return {
        "psi": psi_table(frame(before), frame(now), ["score", *FEATURE_NAMES]),
        "migration": migration_matrix(grades_before, grades_now),
        "grade_shares": grades_now.value_counts(normalize=True).reindex(list(GRADES), fill_value=0.0),
    }


STEPS = 7  # training set, 2 out-of-time fits, 2 final fits, monitoring, tracking


def run_training(
    data: DataSet,
    data_dir: Path,
    as_of: pd.Timestamp,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    margin: float = 0.002,
    seed: int = 0,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the whole quarterly retraining; returns the models, the decision, the run and the run record.

    ``progress(message)`` is called at each of the :data:`STEPS` steps. The
    run folder is ``out_dir`` or ``runs/train-<as_of>-<run id>``; it is
    written whole into a temporary folder first and renamed into place.
    """
    return _run(data, data_dir, as_of, out_dir, tracking_uri, margin, seed, lang, progress or (lambda message: None))


def _run(
    data: DataSet,
    data_dir: Path,
    as_of: pd.Timestamp,
    out_dir: Path | None,
    tracking_uri: str | None,
    margin: float,
    seed: int,
    lang: str,
    say: Callable[[str], None],
) -> dict[str, Any]:
    timer = Timer()
    with timer.step("retrain"):
        result = retrain(data, as_of, seed=seed, progress=say)
    briers = {k: result.evaluations[k].metrics.loc["brier", "value"] for k in result.models}
    candidate = min(briers, key=lambda name: briers[name])
    say(f"monitoring against the previous quarter (candidate: {candidate})")
    with timer.step("monitoring"):
        mon = _monitoring(result.models[candidate], data, as_of)
    best = result.evaluations[candidate]
    figures = {
        "calibration": calibration_figure(best.calibration, lang),
        "lift": lift_figure(best.lift, lang),
        "grade_distribution": grade_distribution_figure(mon["grade_shares"], lang),
        "psi": psi_figure(mon["psi"], lang),
        "migration": migration_figure(mon["migration"], lang),
    }
    tables = {
        "comparison": result.comparison().reset_index(names="model"),
        "calibration": best.calibration,
        "lift": best.lift,
        "by_grade": best.by_grade,
        "psi": mon["psi"],
        "migration": mon["migration"].counts.reset_index(names="from"),
    }
    metrics = {
        f"{name}_{k}": float(v) for name, ev in result.evaluations.items() for k, v in ev.metrics["value"].items()
    }
    metrics.update({f"oot_{k}": float(v) for k, v in best.metrics["value"].items()})
    hashes = input_hashes(data_dir)
    params = {
        "as_of": as_of.date().isoformat(),
        "eval_start": result.eval_start.date().isoformat(),
        "candidate": candidate,
        "bands": ",".join(map(str, DEFAULT_BANDS)),
        "seed": seed,
        **result.training.summary(),
    }
    say("logging to MLflow and deciding the promotion")
    with timer.step("tracking"):
        run = log_training_run(
            tracking_uri=tracking_uri,
            run_name=f"retrain-{as_of.date()}",
            params=params,
            data_hashes=hashes,
            metrics=metrics,
            figures=figures,
            tables=tables,
            models=result.models,
            input_example=result.training.X.head(5),
        )
        decision = register_and_promote(
            tracking_uri=tracking_uri,
            run=run,
            candidate=candidate,
            candidate_metrics={"oot_brier": briers[candidate]},
            margin=margin,
        )
    out_dir = out_dir or Path("runs") / f"train-{as_of.date()}-{run.run_id[:8]}"
    summary = run_record("train", {"data": hashes}, params, timer, {"run_id": run.run_id, "promotion": vars(decision)})
    with atomic_path(out_dir) as tmp:
        tmp.mkdir()
        for name, fig in figures.items():
            save_figure(fig, tmp / f"{name}.png")
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
        write_json(tmp / "run.json", summary)
    return {
        "result": result,
        "candidate": candidate,
        "decision": decision,
        "run": run,
        "summary": summary,
        "out_dir": out_dir,
    }
