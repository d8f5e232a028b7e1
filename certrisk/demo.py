"""`certrisk demo`: a whole quarter on embedded synthetic data, then where everything went."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from features import load_data_dir
from features.build import build_features
from features.dictionary import feature_dictionary
from features.panorama import panoramic_profile
from riskmodel.grader import grade_bodies
from riskmodel.tracking import load_model, model_version_info
from simulator import generate_world

from .draw_job import DrawConfig, commit_frame, make_draw
from .estimate_job import estimate_population
from .checks import check_scale, fresh_folder
from .messages import draw_summary, format_profile
from .outputs import commit_files, write_table
from .training_job import run_training

STEPS = ("generate synthetic national data", "validate the data directory", "build features",
         "retrain and evaluate the risk models (MLflow)", "grade every body A-D",
         "commit the frame, then draw bodies, certificates and inspector teams",
         "simulate the quarter's inspections", "estimate the population's true rates")
DEMO_SEED = "demo public seed: 2026-10-08 lottery 03 11 17 29 36"
BUDGET_SHARE = 0.06  # bodies drawn per quarter: about a quarter of all bodies a year


def _step(k: int, text: str) -> None:
    print(f"\n[{k}/{len(STEPS)}] {text} ...", flush=True)


def run_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    check_scale(args.scale)
    fresh_folder(out)
    _step(1, f"{STEPS[0]} (scale {args.scale}, seed {args.seed})")
    world = generate_world(scale=args.scale, seed=args.seed, future_quarters=1)
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
    job = run_training(data, out / "data", as_of, out_dir=out / "training", tracking_uri=uri, lang=args.lang)
    cols = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
    print(job["result"].comparison()[cols].round(3).to_string())
    print(f"  {job['decision'].rule}")
    _step(5, STEPS[4])
    info = model_version_info(tracking_uri=uri)
    grades = grade_bodies(load_model(tracking_uri=uri), table, data.tables,
                          model_version=f"{info.model_name}/{info.version}", lang=args.lang)
    commit_files({out / "grades.csv": lambda p: write_table(grades, p)})
    print("  " + "  ".join(f"{g}: {n}" for g, n in grades["grade"].value_counts().reindex(list("ABCD"), fill_value=0).items()))
    folder, outputs = _draw(data, grades, as_of, out, args.lang)
    next_data = _simulate_quarter(world, outputs, as_of, out)
    _estimate(next_data, as_of + pd.DateOffset(months=3), grades, out)
    print("\nWhere everything went:")
    for label, path in (
        ("data directory", out / "data"), ("ground truth (evaluation only)", out / "truth"),
        ("features", out / "features.parquet"), ("training run (figures, tables)", out / "training"),
        ("MLflow tracking store", out / "mlflow.db"), ("grades", out / "grades.csv"),
        ("draw folder", folder), ("data after the quarter", next_data), ("estimates", out / "estimates.csv"),
    ):
        print(f"  {label + ':':34s} {path}")
    print(f"  browse the runs with: mlflow ui --backend-store-uri {uri}")
    print(f"  verify the draw with: certrisk verify {folder} --data {out / 'data'}")
    return 0


def _draw(data, grades, as_of, out: Path, lang: str):
    _step(6, STEPS[5])
    live = data.bodies[~data.bodies["status"].isin(["suspended", "revoked"])]
    floor_room = int(np.ceil(0.02 * len(live))) + 1  # tiny demo systems: room for every body's floor besides CCC
    budget = max(round(BUDGET_SHARE * len(live)), int(live["ccc_designated"].sum()) + floor_room)
    config = DrawConfig(as_of=as_of, budget=budget, public_seed=DEMO_SEED, lang=lang)
    record = commit_frame(data.tables, grades, config, out / "draws")
    print(f"  frame committed: SHA-256 {record['frame_sha256']} (published before the seed)")
    print(f"  public seed announced afterwards: {DEMO_SEED!r}")
    folder, outputs = make_draw(data.tables, grades, config, out / "data", out / "draws")
    print("  " + draw_summary(outputs, folder, out / "data").replace("\n", "\n  "))
    return folder, outputs


def _simulate_quarter(world, outputs, as_of, out: Path) -> Path:
    _step(7, STEPS[6])
    frame = outputs.tables["frame.csv"]
    drawn = frame[frame["selected"]].sort_values("body_id")
    teams = outputs.teams.set_index("body_id")["inspector_ids"]
    dates = as_of + pd.to_timedelta(np.arange(len(drawn)) % 80 + 7, unit="D")
    done = world.inspect(drawn["body_id"].tolist(), dates, kind="random", inclusion_prob=drawn["pi"].to_numpy(),
                         draw_id=outputs.draw_id, teams=teams.reindex(drawn["body_id"]).fillna("").tolist())
    world.simulate_background(as_of)
    serious = done["outcome"].isin(["major", "severe"])
    print(f"  {len(done)} drawn bodies inspected: {serious.sum()} serious ({serious.mean():.1%} of inspections)")
    return world.write_data(out / "data-next-quarter", as_of + pd.DateOffset(months=3))


def _estimate(next_data: Path, as_of, grades, out: Path) -> None:
    _step(8, STEPS[7])
    tables = load_data_dir(next_data, as_of=as_of).tables  # the simulated snapshot is dated after the quarter
    table = estimate_population(tables, as_of, grades=grades)
    commit_files({out / "estimates.csv": lambda p: write_table(table, p)})
    view = table[table["scope"].isin(["overall", "grade", "certificates"])]
    for _, r in view.iterrows():
        print(f"  {r['scope']:12s} {r['domain']:>8s}: {r['estimate']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}]"
              f"  (naive {r['naive_rate']:.3f}, n={r['n']}){'  unstable' if r['note'] else ''}")
    print("  estimates weight each random inspection by 1 / inclusion probability; the naive shares overstate risk.")
