"""The data subcommands: generate, validate, features, profile."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from ..errors import UsageError
from .common import (
    check_scale,
    command_record,
    fresh_folder,
    load_data,
    parse_as_of,
    record_writer,
    table_path,
    table_writer,
    write_all,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..runinfo import Timer


def generate(args: argparse.Namespace) -> int:
    check_scale(args.scale)  # before the simulator is loaded: a bad option is refused at once
    out = fresh_folder(args.out)
    from simulator import generate_world

    started = time.perf_counter()
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    print(f"synthetic data (scale {args.scale}, seed {args.seed}) in {time.perf_counter() - started:.1f} s")
    print(f"  data directory: {out / 'data'}")
    print(f"  ground truth:   {out / 'truth'} (for evaluation only; the engine never reads it)")
    return 0


def validate(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of) if args.as_of else None
    print(load_data(args.data, as_of).summary(args.lang))
    return 0


def _feature_table(data_dir: str, as_of: pd.Timestamp, timer: Timer) -> pd.DataFrame:
    from features.build import build_features

    with timer.step("load"):
        data = load_data(data_dir)  # records after the as-of date are allowed: features ignore them
    with timer.step("features"):
        return build_features(data, as_of)


def features(args: argparse.Namespace) -> int:
    from features.dictionary import feature_dictionary

    from ..runinfo import Timer

    out = table_path(args.out, (".dictionary.csv", ".run.json"))
    as_of, timer = parse_as_of(args.as_of), Timer()
    table = _feature_table(args.data, as_of, timer)
    dictionary = out.with_name(out.stem + ".dictionary.csv")
    record = command_record(
        "features",
        args.data,
        {"as_of": as_of.date().isoformat()},
        timer,
        {"features": out.name, "dictionary": dictionary.name},
    )
    write_all(
        {
            out: table_writer(table),
            dictionary: table_writer(feature_dictionary()),
            out.with_name(out.stem + ".run.json"): record_writer(record),
        }
    )
    print(
        f"{len(table):,} bodies x {table.shape[1] - 2} features as of {as_of.date()} in {sum(timer.timings.values()):.1f} s"
    )
    print(f"  features:   {out}\n  dictionary: {dictionary}")
    return 0


def profile(args: argparse.Namespace) -> int:
    from features.panorama import panoramic_profile

    from ..messages import format_profile
    from ..runinfo import Timer

    as_of = parse_as_of(args.as_of)
    table = _feature_table(args.data, as_of, Timer())
    try:
        view = panoramic_profile(table, args.body_id, lang=args.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(format_profile(view, args.body_id, as_of, args.lang))
    return 0


# --- model ---------------------------------------------------------------------------
