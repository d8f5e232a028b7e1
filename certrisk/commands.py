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
from features.synthetic import generate_world

from .outputs import check_table_path, commit_files, write_table
from .runinfo import Timer, input_hashes, run_record, write_json


class UsageError(ValueError):
    """A command-line argument that cannot be used (reported in one sentence)."""


def _check_scale(scale: float) -> None:
    if not 0.001 <= scale <= 10:
        raise UsageError(f"`--scale` must be between 0.001 and 10; got {scale}.")


def _fresh_folder(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise UsageError(f"output folder {path} exists and is not empty; choose a new one.")


def generate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    _check_scale(args.scale)
    _fresh_folder(out)
    started = time.perf_counter()
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    print(f"synthetic data (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - started:.1f} s")
    print(f"  data directory: {out / 'data'}")
    print(f"  ground truth:   {out / 'truth'} (for evaluation only; the engine never reads it)")
    return 0


def validate(args: argparse.Namespace) -> int:
    as_of = _as_of(args.as_of) if args.as_of else None
    data = load_data_dir(args.data, as_of=as_of)
    print(data.summary(args.lang))
    return 0


def _as_of(text: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(text)
        if pd.isna(stamp):
            raise ValueError(text)
        return stamp.normalize()
    except ValueError:
        raise UsageError(f"`--as-of` must be a date YYYY-MM-DD; got {text!r}.") from None


def _feature_table(data_dir: str, as_of: pd.Timestamp, timer: Timer) -> pd.DataFrame:
    with timer.step("load"):
        data = load_data_dir(data_dir)  # records after the as-of date are allowed: features ignore them
    with timer.step("features"):
        return build_features(data, as_of)


def features(args: argparse.Namespace) -> int:
    out = check_table_path(args.out)
    as_of, timer = _as_of(args.as_of), Timer()
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
    as_of = _as_of(args.as_of)
    table = _feature_table(args.data, as_of, Timer())
    try:
        view = panoramic_profile(table, args.body_id, lang=args.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(format_profile(view, args.body_id, as_of, args.lang))
    return 0


def format_profile(view: pd.DataFrame, body_id: str, as_of: pd.Timestamp, lang: str) -> str:
    zh = lang == "zh"
    head = f"{'机构' if zh else 'Body'} {body_id}, {'截至' if zh else 'as of'} {as_of.date()}"
    flagged = view[view["abnormal"]]
    lines = [head, "", "异常提示（从这里开始检查）：" if zh else "Where to start (abnormal values):"]
    lines += [f"  - {note}" for note in flagged["note"]] or ["  （无）" if zh else "  (none)"]
    lines += ["", view[["family", "label", "value", "peer_median", "percentile"]].to_string(index=False)]
    return "\n".join(lines)


def _print_comparison(result) -> None:
    table = result.comparison()
    cols = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
    print(table[cols].round(3).to_string())


def train(args: argparse.Namespace) -> int:
    from .training_job import run_training

    as_of = _as_of(args.as_of)
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
    as_of, timer = _as_of(args.as_of), Timer()
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
        as_of = _as_of(args.as_of)
    elif "as_of" in grades and grades["as_of"].nunique() == 1:
        as_of = _as_of(str(grades["as_of"].iloc[0])[:10])
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
    from .draw_job import build_frame, commitment, default_draw_id

    grades = _read_table(args.grades)
    config = _draw_config(args, grades)
    data = load_data_dir(args.data)
    frame = build_frame(data.tables, grades, config)
    digest = commitment(frame)
    draw_id = default_draw_id(config, digest)
    out = Path(args.out)
    record = {"draw_id": draw_id, "frame_sha256": digest, "as_of": config.as_of.date().isoformat(),
              "budget": config.budget, "bodies_in_frame": int(frame["in_frame"].sum())}
    target = out / f"{draw_id}.commitment.json"
    if target.exists():
        raise UsageError(f"draw {draw_id} was already committed: {target}.")
    commit_files({target: lambda p: write_json(p, record)})
    print(f"draw {draw_id}: frame of {record['bodies_in_frame']} bodies committed.")
    print(f"publish this frame commitment BEFORE the public seed is known:\n  SHA-256 {digest}")
    print(f"then run `certrisk draw ... --seed <public seed> --out {out}`")
    return 0


def draw_command(args: argparse.Namespace) -> int:
    import json as _json

    from .draw_job import DrawError, manifest_for, run_draw, write_draw

    if not args.seed.strip():
        raise UsageError("`--seed` must be the public seed string (e.g. a lottery result); got an empty string.")
    grades = _read_table(args.grades)
    config = _draw_config(args, grades, args.seed)
    data = load_data_dir(args.data)
    outputs = run_draw(data.tables, grades, config)
    out = Path(args.out)
    committed_file = out / f"{outputs.draw_id}.commitment.json"
    committed = committed_file.exists()
    if committed:
        promised = _json.loads(committed_file.read_text(encoding="utf-8"))["frame_sha256"]
        if promised != outputs.frame_sha256:
            raise DrawError(f"the frame changed since it was committed ({promised[:16]}... then, "
                            f"{outputs.frame_sha256[:16]}... now); the draw was not made.")
    folder = write_draw(out, outputs, manifest_for(outputs, config, Path(args.data), committed))
    listing = outputs.tables["draw_list.csv"]
    certs = outputs.tables["certificates.csv"]
    print(f"draw {outputs.draw_id}: {len(listing)} bodies drawn ({outputs.stage1_method}), {len(certs)} certificates to check")
    print(f"  frame SHA-256 {outputs.frame_sha256}{' (committed before the seed)' if committed else ''}")
    print(f"  draw folder: {folder}\n  verify with: certrisk verify {folder} --data {args.data}")
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


def demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args, _check_scale, _fresh_folder, format_profile)
