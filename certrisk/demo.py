"""`certrisk demo`: a whole quarter on embedded synthetic data, then where everything went."""

from __future__ import annotations

import argparse
from pathlib import Path

from features import load_data_dir
from features.build import build_features
from features.dictionary import feature_dictionary
from features.panorama import panoramic_profile
from features.synthetic import generate_world
from riskmodel.grader import grade_bodies
from riskmodel.tracking import load_model, model_version_info

from .outputs import commit_files, write_table
from .training_job import run_training

STEPS = ("generate synthetic national data", "validate the data directory", "build features",
         "retrain and evaluate the risk models (MLflow)", "grade every body A-D")


def _step(k: int, text: str) -> None:
    print(f"\n[{k}/{len(STEPS)}] {text} ...", flush=True)


def run_demo(args: argparse.Namespace, check_scale, fresh_folder, format_profile) -> int:
    out = Path(args.out)
    check_scale(args.scale)
    fresh_folder(out)
    _step(1, f"{STEPS[0]} (scale {args.scale}, seed {args.seed})")
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    as_of = world.as_of
    _step(2, STEPS[1])
    data = load_data_dir(out / "data", as_of=as_of)
    print(data.summary(args.lang))
    _step(3, f"{STEPS[2]} as of {as_of.date()}")
    table = build_features(data, as_of)
    commit_files({
        out / "features.parquet": lambda p: write_table(table, p),
        out / "features.dictionary.csv": lambda p: write_table(feature_dictionary(), p),
    })
    flagged = {b: panoramic_profile(table, b, args.lang)["abnormal"].sum() for b in table["body_id"]}
    body = max(flagged, key=flagged.get)
    print(format_profile(panoramic_profile(table, body, args.lang), body, as_of, args.lang).split("\n\n")[1])
    print(f"  (the body with the most abnormal values: {body}; see `certrisk profile`)")
    _step(4, STEPS[3])
    uri = f"sqlite:///{(out / 'mlflow.db').resolve()}"
    job = run_training(data, out / "data", as_of, out_dir=out / "training", tracking_uri=uri, lang=args.lang,
                       say=lambda m: print(m, flush=True))
    cols = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
    print(job["result"].comparison()[cols].round(3).to_string())
    print(f"  {job['decision'].rule}")
    _step(5, STEPS[4])
    info = model_version_info(tracking_uri=uri)
    grades = grade_bodies(load_model(tracking_uri=uri), table, data.tables,
                          model_version=f"{info.model_name}/{info.version}", lang=args.lang)
    commit_files({out / "grades.csv": lambda p: write_table(grades, p)})
    print("  " + "  ".join(f"{g}: {n}" for g, n in grades["grade"].value_counts().reindex(list("ABCD"), fill_value=0).items()))
    print("\nWhere everything went:")
    for label, path in (
        ("data directory", out / "data"), ("ground truth (evaluation only)", out / "truth"),
        ("features", out / "features.parquet"), ("training run (figures, tables)", out / "training"),
        ("MLflow tracking store", out / "mlflow.db"), ("grades", out / "grades.csv"),
    ):
        print(f"  {label + ':':34s} {path}")
    print(f"  browse the runs with: mlflow ui --backend-store-uri {uri}")
    return 0
