"""The quarter's results: estimate, report, demo."""

from __future__ import annotations

import argparse
import sys

from ..catalogue import say
from ..errors import UsageError, said_in
from ..terminal import fit
from .common import (
    check_scale,
    command_record,
    load_data,
    out_folder,
    parse_as_of,
    progress_bar,
    read_grades,
    record_writer,
    step_words,
    table_path,
    table_writer,
    write_all,
)


def estimate(args: argparse.Namespace) -> int:
    import pandas as pd

    out = table_path(args.out)
    as_of = parse_as_of(args.as_of) if args.as_of else pd.Timestamp.today().normalize()
    since = parse_as_of(args.since, "--since") if args.since else None
    if since is not None and since >= as_of:
        raise UsageError("errors.since_after", as_of=as_of.date(), got=args.since)
    # records on or after the as-of date are allowed (the estimates use those before it), up to today or the
    # as-of date if that is later (a simulated quarter ahead of the calendar)
    data = load_data(args.data, max(as_of, pd.Timestamp.today().normalize()))
    grades = read_grades(args.grades, data) if args.grades else None
    from ..estimate_job import estimate_population
    from ..runinfo import Timer

    notes: list[str] = []
    try:
        table = estimate_population(
            data.tables, as_of, since=since, grades=grades, draws=args.draws, say=notes.append, lang=args.lang
        )
    except ValueError as exc:
        raise UsageError.of(exc) from None
    config = {"as_of": as_of.date().isoformat(), "since": table["since"].iloc[0], "draws": args.draws}
    record = command_record("estimate", args.data, config, Timer(), {"estimates": out.name})
    write_all({out: table_writer(table), out.with_name(out.stem + ".run.json"): record_writer(record)})
    overall = table[table["scope"] == "overall"]
    hajek = overall.iloc[0]
    lang = args.lang
    interval = {"rate": hajek["estimate"], "low": hajek["ci_low"], "high": hajek["ci_high"]}
    window = {"since": table["since"].iloc[0], "as_of": as_of.date()}
    print(
        say(
            lang,
            "commands.estimated",
            **interval,
            naive=hajek["naive_rate"],
            n=hajek["n"],
            draws=hajek["n_draws"],
            **window,
        )
    )
    for _, row in overall[overall["estimator"] == "difference"].iterrows():
        ratio = "" if pd.isna(row["width_ratio"]) else say(lang, "commands.width_ratio", ratio=row["width_ratio"])
        print(
            say(
                lang,
                "commands.estimated_assisted",
                rate=row["estimate"],
                low=row["ci_low"],
                high=row["ci_high"],
                ratio=ratio,
            )
        )
    for note in notes:
        print(f"  {step_words(lang, note)}")
    print(say(lang, "commands.estimates_file", path=out))
    return 0


#: The parameters of :func:`certrisk.report.write_report` as ``certrisk report`` names them: the library's messages
#: name its parameters (``training_dir``), the command's name what the user typed (``TRAINING_DIR``, ``--draw``).
REPORT_OPTIONS = {
    "training_dir": "TRAINING_DIR",
    "draw_folder": "--draw",
    "estimates": "--estimates",
    "stringency": "--stringency",
    "monitor": "--monitor",
    "out": "--out",
    "lang": "--lang",
}


def as_typed(message: str) -> str:
    """A message of the report library with its parameter names replaced by the command's own.

    >>> as_typed("`draw_folder` must be an existing draw folder; got 'x'.")
    "`--draw` must be an existing draw folder; got 'x'."
    """
    for name, option in REPORT_OPTIONS.items():
        message = message.replace(f"`{name}`", f"`{option}`")
    return message


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
        print(
            say(args.lang, "cli.failed", command="report", message=as_typed(said_in(args.lang, exc))), file=sys.stderr
        )
        return 1
    if path.suffix.lower() == ".html":  # one self-contained file, its figures embedded
        n = path.read_text(encoding="utf-8").count('src="data:image/png;base64,')
        print(say(args.lang, "commands.report_embedded", path=path, figures=n))
        return 0
    files = path.parent / f"{path.stem}_files"
    n = len(list(files.glob("*.png")))
    print(say(args.lang, "commands.report_written", path=path, figures=n, folder=files))
    return 0


def demo(args: argparse.Namespace) -> int:
    check_scale(args.scale, args.seed)
    out = out_folder(args, "demo-output")
    from ..demo_job import run_demo
    from ..training_job import STEPS

    with progress_bar(STEPS, "retraining", args.lang) as advance:
        done = run_demo(
            out,
            scale=args.scale,
            seed=args.seed,
            lang=args.lang,
            say=lambda text: print(text, flush=True),
            training_progress=advance,
        )
    print(say(args.lang, "commands.demo_places"))
    for label, path in done["places"].items():
        print(f"  {fit(label + ':', 44)} {path}")
    print(say(args.lang, "commands.demo_mlflow", uri=done["tracking_uri"]))
    command = (
        f"certrisk verify {done['draw_folder']} --data {done['data']} --commitment {done['commitment']} "
        f"--seed {done['seed']!r}"
    )
    print(say(args.lang, "commands.demo_verify", command=command))
    return 0
