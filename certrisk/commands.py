"""Subcommand implementations: argument namespace in, library calls, messages out."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from features import load_data_dir
from features.synthetic import generate_world


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
    as_of = pd.Timestamp(args.as_of) if args.as_of else None
    data = load_data_dir(args.data, as_of=as_of)
    print(data.summary(args.lang))
    return 0


def demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    _check_scale(args.scale)
    _fresh_folder(out)
    print(f"[1/2] generating synthetic national data (scale {args.scale}) ...")
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    print(f"[2/2] validating {out / 'data'} ...")
    data = load_data_dir(out / "data", as_of=world.as_of)
    print(data.summary(args.lang))
    print(f"\ndata directory: {out / 'data'}\nground truth:   {out / 'truth'}")
    return 0
