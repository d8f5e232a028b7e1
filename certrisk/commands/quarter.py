"""The quarter's results: estimate, report, demo."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from .common import (
    check_scale,
    command_record,
    load_data,
    out_folder,
    parse_as_of,
    progress_bar,
    read_grades,
    record_writer,
    table_path,
    table_writer,
    write_all,
)

if TYPE_CHECKING:
    pass


def estimate(args: argparse.Namespace) -> int:
    import pandas as pd

    out = table_path(args.out)
    as_of = parse_as_of(args.as_of) if args.as_of else pd.Timestamp.today().normalize()
    since = parse_as_of(args.since, "--since") if args.since else None
    if since is not None and since >= as_of:
        raise UsageError(f"`--since` must be before the as-of date {as_of.date()}; got {args.since!r}.")
    # records on or after the as-of date are allowed (the estimates use those before it), up to today or the
    # as-of date if that is later (a simulated quarter ahead of the calendar)
    data = load_data(args.data, max(as_of, pd.Timestamp.today().normalize()))
    grades = read_grades(args.grades, data) if args.grades else None
    from ..estimate_job import estimate_population
    from ..runinfo import Timer

    notes: list[str] = []
    try:
        table = estimate_population(data.tables, as_of, since=since, grades=grades, draws=args.draws, say=notes.append)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = {"as_of": as_of.date().isoformat(), "since": table["since"].iloc[0], "draws": args.draws}
    record = command_record("estimate", args.data, config, Timer(), {"estimates": out.name})
    write_all({out: table_writer(table), out.with_name(out.stem + ".run.json"): record_writer(record)})
    overall = table[table["scope"] == "overall"]
    hajek = overall.iloc[0]
    print(
        f"population serious rate {hajek['estimate']:.1%} (95 % CI {hajek['ci_low']:.1%} - {hajek['ci_high']:.1%}; "
        f"naive share of the drawn {hajek['naive_rate']:.1%}) from {hajek['n']} random inspections in "
        f"{hajek['n_draws']} draws, {table['since'].iloc[0]} to {as_of.date()}"
    )
    for _, row in overall[overall["estimator"] == "difference"].iterrows():
        ratio = "" if pd.isna(row["width_ratio"]) else f"; interval {row['width_ratio']:.2f} times as wide as Hajek's"
        print(
            f"  model-assisted (difference): {row['estimate']:.1%} (95 % CI {row['ci_low']:.1%} - "
            f"{row['ci_high']:.1%}{ratio})"
        )
    for text in notes:
        print(f"  {text}")
    print(f"  estimates: {out}")
    return 0


def report_command(args: argparse.Namespace) -> int:
    """Run ``certrisk report``: write the report and say where it went (exit 1 on bad arguments)."""
    from ..outputs import writable
    from ..report import write_report

    writable(args.out, "--out")
    try:
        path = write_report(
            args.training_dir,
            draw_folder=args.draw,
            estimates=args.estimates,
            out=args.out,
            lang=args.lang,
            stringency=args.stringency,
            monitor=args.monitor,
        )
    except ValueError as exc:
        print(f"certrisk report: {exc}", file=sys.stderr)
        return 1
    if path.suffix.lower() == ".html":  # one self-contained file, its figures embedded
        n = path.read_text(encoding="utf-8").count('src="data:image/png;base64,')
        print(f"report written to {path} ({n} figures embedded)")
        return 0
    files = path.parent / f"{path.stem}_files"
    n = len(list(files.glob("*.png")))
    print(f"report written to {path} ({n} figures in {files})")
    return 0


def demo(args: argparse.Namespace) -> int:
    check_scale(args.scale)
    out = out_folder(args, "demo-output")
    from ..demo_job import run_demo
    from ..training_job import STEPS

    with progress_bar(STEPS, "retraining") as advance:
        done = run_demo(
            out,
            scale=args.scale,
            seed=args.seed,
            lang=args.lang,
            say=lambda text: print(text, flush=True),
            training_progress=advance,
        )
    print("\nWhere everything went:")
    for label, path in done["places"].items():
        print(f"  {label + ':':34s} {path}")
    print(f"  browse the runs with: mlflow ui --backend-store-uri {done['tracking_uri']}")
    print(
        f"  verify the draw with: certrisk verify {done['draw_folder']} --data {done['data']} "
        f"--commitment {done['commitment']} --seed {done['seed']!r}"
    )
    return 0
