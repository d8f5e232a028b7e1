"""The quarterly retraining job: retrain, monitor, plot, log to MLflow, promote.

Everything of one run goes into a run folder (figures as PNG, tables as CSV,
run.json) and into one MLflow run. Every candidate (plain logistic,
scorecard, boosting) is registered; ``champion`` points at the one the model
choice keeps (:mod:`riskmodel.selection`: captured share at the budget and
AUC, a more complex model only when better beyond the paired-bootstrap
noise, calibration as a gate), ``challenger`` at the best other one. The
champion in force is re-fitted by its own recipe and re-scored on the same
window when its recipe differs from the candidates'.

The run logs each input table as an MLflow dataset with its canonical
digest (:mod:`certrisk.training_inputs`); every version is tagged with the
retraining's as-of date, data digest and settings, and a second retraining
with the same ones registers nothing new (the decision's ``note`` says so).
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
from riskmodel.quarterly import Recipe, RetrainingResult, retrain
from riskmodel.tracking import champion_recipe, log_training_run, register_selection

from .catalogue import Phrase
from .draw.digests import input_digests
from .runinfo import Timer, input_hashes, run_record, write_json
from .training_inputs import input_tables, retraining_identity


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


STEPS = 12  # training set, 3 C searches, 3 out-of-time fits, 3 final fits, monitoring, tracking
#: Figures of each candidate kept with its registered version and in the run (``<candidate>.<figure>``).
FIGURES = ("auc", "captured_at_budget", "brier")


def champion_in_force(tracking_uri: str | None) -> Recipe | None:
    """How the registered champion was made (its kind, features and C), or None."""
    tags = champion_recipe(tracking_uri=tracking_uri)
    if tags is None or not tags["kind"]:
        return None
    features = tuple(tags["features"].split(",")) if tags["features"] else tuple(FEATURE_NAMES)
    return Recipe(tags["kind"], features, float(tags["C"]) if tags["C"] else None)


def _choice_tables(result: RetrainingResult) -> dict[str, pd.DataFrame]:
    """The model choice and the regularisation searches, as tables of the run."""
    assert result.selection is not None
    searches = [t.assign(kind=k) for k, t in result.regularisation.items() if not t.empty]
    return {
        "selection": result.selection.table,
        "regularisation": pd.concat(searches, ignore_index=True) if searches else pd.DataFrame(),
    }


def run_training(
    data: DataSet,
    data_dir: Path,
    as_of: pd.Timestamp,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    budget_share: float = 0.25,
    seed: int = 0,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the whole quarterly retraining; returns the models, the decision, the run and the run record.

    ``progress(message)`` is called at each of the :data:`STEPS` steps. The
    run folder is ``out_dir`` or ``runs/train-<as_of>-<run id>``; it is
    written whole into a temporary folder first and renamed into place.
    """
    return _run(
        data, data_dir, as_of, out_dir, tracking_uri, budget_share, seed, lang, progress or (lambda message: None)
    )


def _run(
    data: DataSet,
    data_dir: Path,
    as_of: pd.Timestamp,
    out_dir: Path | None,
    tracking_uri: str | None,
    budget_share: float,
    seed: int,
    lang: str,
    say: Callable[[str], None],
) -> dict[str, Any]:
    timer = Timer()
    with timer.step("retrain"):
        result = retrain(
            data, as_of, champion=champion_in_force(tracking_uri), budget_share=budget_share, seed=seed, progress=say
        )
    assert result.selection is not None
    candidate = result.selection.chosen
    say(Phrase("progress.monitoring", candidate=candidate))
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
        **_choice_tables(result),
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
        "challenger": result.selection.challenger or "",
        "budget_share": budget_share,
        "champion_in_force": result.champion_note,
        **{f"{k}.C": "" if r.C is None else r.C for k, r in result.recipes.items()},
        "bands": ",".join(map(str, DEFAULT_BANDS)),
        "seed": seed,
        **result.training.summary(),
    }
    say(Phrase("progress.tracking"))
    with timer.step("tracking"):
        digests = input_digests(data.tables)
        retraining = retraining_identity(as_of, digests, {"budget_share": budget_share, "seed": seed})
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
            datasets=input_tables(data.tables, data_dir, result, digests),
            tags={f"certrisk.{k}": v for k, v in retraining.tags().items()},
        )
        decision = register_selection(
            tracking_uri=tracking_uri,
            run=run,
            chosen=candidate,
            challenger=result.selection.challenger,
            recipes={k: r.tags() for k, r in result.recipes.items() if k in result.models},
            figures={
                k: {f"oot_{f}": float(result.evaluations[k].metrics.loc[f, "value"]) for f in FIGURES}
                for k in result.models
            },
            rule=result.selection.rule,
            retraining=retraining,
        )
    out_dir = out_dir or Path("runs") / f"train-{as_of.date()}-{run.run_id[:8]}"
    outputs = {"run_id": run.run_id, "decision": decision.to_dict(), "model_choice": result.selection.to_dict()}
    inputs = {"data": hashes, "table_digests": digests, "data_digest": retraining.data_digest}
    summary = run_record("train", inputs, params, timer, outputs)
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
