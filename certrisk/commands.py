"""Subcommand implementations: argument namespace in, library calls, messages out."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from features import load_data_dir
from features.build import build_features
from features.dictionary import feature_dictionary
from features.panorama import panoramic_profile
from simulator import generate_world

from .checks import UsageError, check_scale, fresh_folder, parse_as_of
from .messages import draw_summary, format_profile
from .outputs import check_table_path, commit_files, write_table
from .runinfo import Timer, input_hashes, run_record, write_json


def generate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    check_scale(args.scale)
    fresh_folder(out)
    started = time.perf_counter()
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    print(f"synthetic data (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - started:.1f} s")
    print(f"  data directory: {out / 'data'}")
    print(f"  ground truth:   {out / 'truth'} (for evaluation only; the engine never reads it)")
    return 0


def validate(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of) if args.as_of else None
    data = load_data_dir(args.data, as_of=as_of)
    print(data.summary(args.lang))
    return 0


def _feature_table(data_dir: str, as_of: pd.Timestamp, timer: Timer) -> pd.DataFrame:
    with timer.step("load"):
        data = load_data_dir(data_dir)  # records after the as-of date are allowed: features ignore them
    with timer.step("features"):
        return build_features(data, as_of)


def features(args: argparse.Namespace) -> int:
    out = check_table_path(args.out)
    as_of, timer = parse_as_of(args.as_of), Timer()
    table = _feature_table(args.data, as_of, timer)
    dictionary = out.with_name(out.stem + ".dictionary.csv")
    record = run_record(
        "features", {"data": input_hashes(Path(args.data))}, {"as_of": as_of.date().isoformat()}, timer,
        {"features": out.name, "dictionary": dictionary.name},
    )
    commit_files({
        out: lambda p: write_table(table, p),
        dictionary: lambda p: write_table(feature_dictionary(), p),
        out.with_name(out.stem + ".run.json"): lambda p: write_json(p, record),
    })
    print(f"{len(table):,} bodies x {table.shape[1] - 2} features as of {as_of.date()} in {sum(timer.timings.values()):.1f} s")
    print(f"  features:   {out}\n  dictionary: {dictionary}")
    return 0


def profile(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    table = _feature_table(args.data, as_of, Timer())
    try:
        view = panoramic_profile(table, args.body_id, lang=args.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(format_profile(view, args.body_id, as_of, args.lang))
    return 0


def _print_comparison(result) -> None:
    table = result.comparison()
    cols = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
    print(table[cols].round(3).to_string())


def train(args: argparse.Namespace) -> int:
    from .training_job import run_training

    as_of = parse_as_of(args.as_of)
    if args.out and Path(args.out).exists():
        raise UsageError(f"run folder {args.out} already exists; choose a new one.")
    print(f"quarterly retraining as of {as_of.date()}")
    data = load_data_dir(args.data)
    job = run_training(data, Path(args.data), as_of, out_dir=Path(args.out) if args.out else None,
                       tracking_uri=args.tracking_uri, margin=args.margin, seed=args.seed, lang=args.lang)
    print("\nout-of-time evaluation (weighted by 1 / inclusion probability; 95 % bootstrap intervals):")
    _print_comparison(job["result"])
    d = job["decision"]
    verdict = "promoted to champion" if d.promoted else "kept as challenger"
    print(f"\nmodel {d.model_name} version {d.version} ({d.candidate}) {verdict}: {d.rule}")
    print(f"run folder: {job['out_dir']}   MLflow run: {job['run'].run_id}")
    return 0


def grade(args: argparse.Namespace) -> int:
    from riskmodel.grader import grade_bodies
    from riskmodel.tracking import load_model, model_version_info

    out = check_table_path(args.out)
    as_of, timer = parse_as_of(args.as_of), Timer()
    try:
        info = model_version_info(args.alias, tracking_uri=args.tracking_uri)
        model = load_model(args.alias, tracking_uri=args.tracking_uri)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    data = load_data_dir(args.data)
    with timer.step("features"):
        table = build_features(data, as_of)
    with timer.step("grade"):
        grades = grade_bodies(model, table, data.tables, model_version=f"{info.model_name}/{info.version}", lang=args.lang)
    record = run_record("grade", {"data": input_hashes(Path(args.data))},
                        {"as_of": as_of.date().isoformat(), "alias": args.alias, "model": f"{info.model_name}/{info.version}",
                         "model_run_id": info.run_id}, timer, {"grades": out.name})
    commit_files({out: lambda p: write_table(grades, p), out.with_name(out.stem + ".run.json"): lambda p: write_json(p, record)})
    shares = grades["grade"].value_counts().reindex(list("ABCD"), fill_value=0)
    print(f"{len(grades):,} bodies graded by {info.model_name} version {info.version} (@{args.alias}) as of {as_of.date()}")
    print("  " + "  ".join(f"{g}: {n}" for g, n in shares.items()) + f"   overrides: {(grades['override'] != '').sum()}")
    print(f"  grades: {out}")
    return 0


def _read_table(path: str) -> pd.DataFrame:
    file = Path(path)
    if not file.exists():
        raise UsageError(f"file {path} does not exist.")
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(file)
    if suffix == ".xlsx":
        return pd.read_excel(file, dtype=str)
    return pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _draw_config(args: argparse.Namespace, grades: pd.DataFrame, seed: str = ""):
    from sampling import SizePolicy

    from .draw_job import DrawConfig

    if args.as_of:
        as_of = parse_as_of(args.as_of)
    elif "as_of" in grades and grades["as_of"].nunique() == 1:
        as_of = parse_as_of(str(grades["as_of"].iloc[0])[:10])
    else:
        raise UsageError("give `--as-of`: the grades file does not hold one as-of date.")
    if args.budget < 1:
        raise UsageError(f"`--budget` must be a positive integer; got {args.budget}.")
    if not 0 <= args.floor < 1:
        raise UsageError(f"`--floor` must be in [0, 1); got {args.floor}.")
    policy = SizePolicy(floor=args.floor, ccc_budget="on_top" if args.ccc_on_top else "inside",
                        undisturbed_grades=("A",) if args.undisturbed_a else ())
    return DrawConfig(as_of=as_of, budget=args.budget, public_seed=seed, policy=policy, lang=args.lang,
                      draw_id=args.draw_id, team_size=args.team_size)


def commit(args: argparse.Namespace) -> int:
    from .draw_job import commit_frame

    grades = _read_table(args.grades)
    config = _draw_config(args, grades)
    record = commit_frame(load_data_dir(args.data).tables, grades, config, Path(args.out))
    print(f"draw {record['draw_id']}: frame of {record['bodies_in_frame']} bodies committed.")
    print(f"publish this frame commitment BEFORE the public seed is known:\n  SHA-256 {record['frame_sha256']}")
    print(f"then run `certrisk draw ... --seed <public seed> --out {args.out}`")
    return 0


def draw_command(args: argparse.Namespace) -> int:
    from .draw_job import make_draw

    if not args.seed.strip():
        raise UsageError("`--seed` must be the public seed string (e.g. a lottery result); got an empty string.")
    grades = _read_table(args.grades)
    config = _draw_config(args, grades, args.seed)
    folder, outputs = make_draw(load_data_dir(args.data).tables, grades, config, Path(args.data), Path(args.out))
    print(draw_summary(outputs, folder, args.data))
    return 0


def verify(args: argparse.Namespace) -> int:
    from .draw_job import verify_draw

    folder = Path(args.draw_folder)
    data = load_data_dir(args.data)
    problems = verify_draw(folder, data.tables, Path(args.data))
    if problems:
        print(f"draw {folder.name} does NOT verify: {len(problems)} difference(s)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"draw {folder.name} verified: the frame, the seed and every output re-derive identically.")
    return 0


def estimate(args: argparse.Namespace) -> int:
    from .estimate_job import estimate_population

    out = check_table_path(args.out)
    as_of = parse_as_of(args.as_of) if args.as_of else pd.Timestamp.today().normalize()
    since = parse_as_of(args.since) if args.since else None
    grades = _read_table(args.grades) if args.grades else None
    data = load_data_dir(args.data, as_of=as_of)
    try:
        table = estimate_population(data.tables, as_of, since=since, grades=grades)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    record = run_record("estimate", {"data": input_hashes(Path(args.data))},
                        {"as_of": as_of.date().isoformat(), "since": table["since"].iloc[0]}, Timer(), {"estimates": out.name})
    commit_files({out: lambda p: write_table(table, p), out.with_name(out.stem + ".run.json"): lambda p: write_json(p, record)})
    overall = table[table["scope"] == "overall"].iloc[0]
    print(f"population serious rate {overall['estimate']:.1%} (95 % CI {overall['ci_low']:.1%} - {overall['ci_high']:.1%}; "
          f"naive share of the drawn {overall['naive_rate']:.1%}) from {overall['n']} random inspections in "
          f"{overall['n_draws']} draws, {table['since'].iloc[0]} to {as_of.date()}")
    print(f"  estimates: {out}")
    return 0


def demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args)
