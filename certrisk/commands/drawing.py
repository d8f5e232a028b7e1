"""The draw subcommands: commit, draw, verify, plan, and publish (the public results of a draw)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import say
from ..errors import UsageError
from .common import load_data, parse_as_of, progress_bar, read_grades, writable_folder, write_all

if TYPE_CHECKING:
    import pandas as pd

    from ..draw import DrawConfig


def _policy_config(args: argparse.Namespace, grades: pd.DataFrame) -> DrawConfig:
    """The as-of date, budget and size policy of commit, draw and plan (cli ``_add_policy_inputs``), checked."""
    from sampling import SizePolicy

    from ..draw import DrawConfig

    if args.as_of:
        as_of = parse_as_of(args.as_of)
    elif "as_of" in grades and grades["as_of"].nunique() == 1:
        as_of = parse_as_of(str(grades["as_of"].iloc[0])[:10])
    else:
        raise UsageError("errors.as_of_needed")
    if args.budget < 1:
        raise UsageError("errors.positive_integer", option="--budget", got=args.budget)
    if not 0 <= args.floor < 1:
        raise UsageError("errors.share_below_one", option="--floor", got=args.floor)
    weight = {} if args.certificate_weight is None else {"certificate_weight": args.certificate_weight}
    if weight and not 0 <= args.certificate_weight < 1:
        raise UsageError("errors.share_below_one", option="--certificate-weight", got=args.certificate_weight)
    policy = SizePolicy(
        floor=args.floor,
        ccc_budget="on_top" if args.ccc_on_top else "inside",
        undisturbed_grades=("A",) if args.undisturbed_a else (),
        **weight,
    )
    return DrawConfig(as_of=as_of, budget=args.budget, public_seed="", policy=policy, lang=args.lang)


def _check_team_size(args: argparse.Namespace) -> None:
    """``--team-size`` of commit and draw, checked before any data is read."""
    if args.team_size < 2:
        raise UsageError("errors.team_size", got=args.team_size)


def _draw_config(args: argparse.Namespace, grades: pd.DataFrame, seed: str = "") -> DrawConfig:
    import dataclasses

    from ..draw.config import check_draw_id

    if args.draw_id is not None:
        check_draw_id(args.draw_id)  # before any work
    config = _policy_config(args, grades)
    return dataclasses.replace(config, public_seed=seed, draw_id=args.draw_id, team_size=args.team_size)


def commit(args: argparse.Namespace) -> int:
    writable_folder(args.out)
    _check_team_size(args)
    data = load_data(args.data)
    grades = read_grades(args.grades, data)
    from ..draw import commit_frame
    from ..draw.commitment import commitment_hash

    config = _draw_config(args, grades)
    record = commit_frame(data.tables, grades, config, Path(args.out))
    frame = record["frame"]
    lang = args.lang
    print(
        say(
            lang,
            "commands.committed",
            draw_id=record["draw_id"],
            bodies=frame["bodies_in_frame"],
            drawable=frame["drawable"],
        )
    )
    print(say(lang, "commands.publish_commitment", hash=commitment_hash(record)))
    print(say(lang, "commands.commitment_record", path=Path(args.out) / (record["draw_id"] + ".commitment.json")))
    print(say(lang, "commands.then_draw", out=args.out))
    return 0


def draw(args: argparse.Namespace) -> int:
    if not args.seed.strip():
        raise UsageError("errors.seed_empty")
    if args.seed != args.seed.strip() or any(ord(ch) < 32 for ch in args.seed):  # the rule of sampling.seed_material
        raise UsageError("errors.seed_spaces", got=args.seed[:80])
    writable_folder(args.out)
    _check_team_size(args)
    data = load_data(args.data)
    grades = read_grades(args.grades, data)
    from ..draw import make_draw
    from ..messages import draw_summary

    config = _draw_config(args, grades, args.seed)
    effects = None
    if args.stringency:
        from ..stringency_job import read_effects

        effects = read_effects(args.stringency)
    folder, outputs = make_draw(
        data.tables, grades, config, Path(args.out), uncommitted=args.uncommitted, stringency=effects
    )
    print(draw_summary(outputs, folder, args.data, config.public_seed, args.lang))
    return 0


def verify(args: argparse.Namespace) -> int:
    from ..draw import verify_draw

    folder = Path(args.draw_folder)
    problems = verify_draw(
        folder, load_data(args.data).tables, commitment_sha256=args.commitment, public_seed=args.seed
    )
    if problems:
        print(say(args.lang, "commands.not_verified", draw_id=problems.draw_id, n=len(problems)), file=sys.stderr)
        for p in problems:
            print(f"  - {p.in_language(args.lang)}", file=sys.stderr)
        return 1
    print(say(args.lang, "commands.verified", draw_id=problems.draw_id))
    return 0


def publish(args: argparse.Namespace) -> int:
    """The public results of a draw's inspections (检查结果公示): FILE.csv, FILE.xlsx and a run record."""
    import pandas as pd

    from ..outputs import writable
    from ..publish_output import output_paths

    today = pd.Timestamp.today().normalize()
    on = parse_as_of(args.on, "--on") if args.on else today
    csv_path, xlsx_path = output_paths(args.out)
    run_path = csv_path.with_name(csv_path.stem + ".run.json")
    writable(args.out, "--out", beside=[xlsx_path, csv_path, run_path])  # the one named, as written, first
    from ..publish_job import (
        DEADLINE_WORKING_DAYS,
        check_against_data,
        labelled,
        public_results,
        read_drawn,
        read_holidays,
    )

    holidays = read_holidays(args.holidays) if args.holidays else []
    drawn = read_drawn(args.draw_folder)
    data = load_data(args.data, max(on, today))  # a result dated after --on is not yet published: pending
    check_against_data(drawn, data.tables)
    lang = args.lang or drawn.lang
    results = public_results(drawn, data.tables, on, lang, holidays)
    from .. import __version__
    from ..publish_output import about, csv_writer, xlsx_writer
    from ..runinfo import Timer
    from .common import command_record, record_writer

    table = labelled(results.table, lang)
    config = {"draw": args.draw_folder, "draw_id": drawn.draw_id, "commitment": drawn.commitment}
    config |= {"on": on.date().isoformat(), "lang": lang, "holidays": [d.isoformat() for d in holidays]}
    outputs = {"results": csv_path.name, "xlsx": xlsx_path.name}
    writers = {
        csv_path: csv_writer(table),
        xlsx_path: xlsx_writer(table, about(results, lang, __version__)),
        run_path: record_writer(command_record("publish", args.data, config, Timer(), outputs)),
    }
    write_all(writers)
    counts = {"bodies": results.bodies, "results": results.results, "late": results.late, "pending": results.pending}
    print(say(lang, "commands.published", draw_id=drawn.draw_id, on=on.date(), days=DEADLINE_WORKING_DAYS, **counts))
    print(say(lang, "commands.written", paths=", ".join(str(path) for path in writers)))
    return 0


# --- planning ------------------------------------------------------------------------
def _positive(value: int, option: str) -> int:
    if value < 1:
        raise UsageError("errors.positive_integer", option=option, got=value)
    return value


def plan(args: argparse.Namespace) -> int:
    reps, frontier_reps = _positive(args.reps, "--reps"), _positive(args.frontier_reps, "--frontier-reps")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError("errors.out_not_folder", path=out)
    if args.out:
        writable_folder(args.out)
    data = load_data(args.data)
    grades = read_grades(args.grades, data)
    from ..plan_job import DEFAULT_STEEPNESS, check_plan_grades, frontier, plan_quarter_from_data
    from ..plan_output import frontier_summary, plan_summary, plan_writers

    grades = check_plan_grades(grades)
    config = _policy_config(args, grades)
    tables = data.tables
    result = plan_quarter_from_data(tables, grades, config, reps)
    print(plan_summary(result, config, args.lang))
    curve = None
    if args.frontier:
        with progress_bar(len(DEFAULT_STEEPNESS), "frontier", args.lang) as advance:
            curve = frontier(tables, grades, config, reps=frontier_reps, progress=advance)
        print(frontier_summary(curve, args.lang))
    if out is not None:
        writers = plan_writers(out, result, curve, args.lang)
        write_all(writers)
        print(say(args.lang, "commands.written", paths=", ".join(str(path) for path in writers)))
    return 0


# --- estimates and report ------------------------------------------------------------
