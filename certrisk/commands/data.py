"""The data subcommands: generate, validate, features, profile."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import Phrase, say
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
    import pandas as pd

    from ..runinfo import Timer


def generate(args: argparse.Namespace) -> int:
    check_scale(args.scale, args.seed)  # before the simulator is loaded: a bad option is refused at once
    out = out_folder(args)
    from simulator import generate_world

    started = time.perf_counter()
    world = generate_world(scale=args.scale, seed=args.seed)
    world.write(out)
    lang = args.lang
    print(say(lang, "commands.generated", scale=args.scale, seed=args.seed, seconds=time.perf_counter() - started))
    print(say(lang, "commands.data_directory", path=out / "data"))
    print(say(lang, "commands.ground_truth", path=out / "truth"))
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
    seconds = sum(timer.timings.values())
    print(
        say(
            args.lang,
            "commands.features_built",
            bodies=len(table),
            features=table.shape[1] - 2,
            as_of=as_of.date(),
            seconds=seconds,
        )
    )
    print(say(args.lang, "commands.features_files", table=out, dictionary=dictionary))
    return 0


def _profile_output(args: argparse.Namespace) -> Path | None:
    """The ``--html`` location of ``profile`` (None: print the profile), the options checked before any data is read."""
    from ..outputs import fresh_folder as empty_folder
    from ..outputs import writable

    if args.body_id and args.draw:
        raise UsageError("errors.profile_both")
    if not args.body_id and not args.draw:
        raise UsageError("errors.profile_neither")
    if args.html is None:
        if args.draw:
            raise UsageError("errors.profile_draw_needs_html")
        if args.grades:
            raise UsageError("errors.profile_grades_need_html")
        return None
    if args.draw:
        return empty_folder(args.html, "--html")
    if not args.html.lower().endswith(".html"):
        raise UsageError("errors.profile_html_suffix", got=args.html)
    return writable(args.html, "--html")


def _print_profile(args: argparse.Namespace, as_of: pd.Timestamp) -> int:
    from features.panorama import panoramic_profile

    from ..messages import format_profile
    from ..runinfo import Timer

    table = _feature_table(args.data, as_of, Timer())
    try:
        view = panoramic_profile(table, args.body_id, lang=args.lang)
    except ValueError as exc:
        raise UsageError.of(exc) from None
    print(format_profile(view, args.body_id, as_of, args.lang))
    return 0


def profile(args: argparse.Namespace) -> int:
    """``certrisk profile``: one body's profile printed, or written as an HTML page; or a page per drawn body."""
    out = _profile_output(args)
    as_of = parse_as_of(args.as_of)
    if out is None:
        return _print_profile(args, as_of)
    from features.build import build_features

    from ..profile_page import Profiler, read_draw, write_profile_page, write_profile_pages

    draw = read_draw(args.draw) if args.draw else None  # a damaged draw folder is refused before the data is read
    data = load_data(args.data)
    grades = read_grades(args.grades, data) if args.grades else None
    profiler = Profiler(data.tables, build_features(data, as_of), grades=grades, lang=args.lang)
    lang = args.lang
    graded = (
        say(lang, "commands.profile_graded", path=args.grades)
        if grades is not None
        else say(lang, "commands.profile_no_grade")
    )
    try:
        for body_id in draw.body_ids if draw else [args.body_id]:
            profiler.check_body(body_id, Phrase("errors.drawn_body", draw_id=draw.draw_id) if draw else "BODY_ID")
    except ValueError as exc:
        raise UsageError.of(exc) from None
    day = as_of.date()
    if draw is None:
        write_profile_page(profiler, args.body_id, out)
        print(say(lang, "commands.profile_page", body=args.body_id, as_of=day, graded=graded, path=out))
    else:
        with progress_bar(len(draw.body_ids), "profile_pages", lang) as advance:
            write_profile_pages(profiler, draw, out, advance)
        print(
            say(
                lang,
                "commands.profile_pages",
                n=len(draw.body_ids),
                draw_id=draw.draw_id,
                as_of=day,
                graded=graded,
                path=out,
            )
        )
        print(say(lang, "commands.profile_index", path=out / "index.html"))
    print(say(lang, "commands.profile_internal"))
    return 0


# --- model ---------------------------------------------------------------------------
