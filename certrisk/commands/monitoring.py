"""The monitoring subcommand: monitor (risk monitoring and early warning, 风险监测预警)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import LIST_SEP, Foreign, Joined, Phrase, say
from ..errors import UsageError
from .common import command_record, load_data, parse_as_of, read_grades, writable_folder, write_all

if TYPE_CHECKING:
    from ..monitor_job import Monitor


def monitor(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)  # the options first: a mistake is refused before the libraries load
    out = writable_folder(args.out)
    from features.loading import load_dispositions
    from supervision.catalogue import CATALOGUE_VERSION
    from supervision.rules import RulesError, load_rules

    from ..monitor_job import read_previous, run_monitor
    from ..monitor_output import monitor_files, monitor_writers
    from ..runinfo import Timer

    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        problems = Joined(
            [
                Phrase("errors.rules_problem", key=key, rule=Foreign(rule), value=value)
                for key, rule, value in exc.problems
            ],
            LIST_SEP,
        )
        raise UsageError("errors.rules_file", path=exc.path, problems=problems) from None
    previous = read_previous(args.previous, as_of) if args.previous else None
    if args.dispositions and previous is None:
        raise UsageError("errors.dispositions_need_previous")
    data = load_data(args.data)
    bodies = data.tables["bodies"]
    p = read_grades(args.grades, data).set_index("body_id")["p_serious"] if args.grades else None
    if p is not None and p.isna().all():
        raise UsageError("errors.grades_without_p", path=args.grades)
    handled = None
    if args.dispositions and previous is not None:
        handled = load_dispositions(args.dispositions, bodies, previous.warnings, as_of)
    timer = Timer()
    with timer.step("monitor"):
        result = run_monitor(data, as_of, rules, p_serious=p, previous=previous, dispositions=handled, lang=args.lang)
    config = {
        "as_of": as_of.date().isoformat(),
        "previous_as_of": previous.as_of.date().isoformat() if previous else None,
        "catalogue": CATALOGUE_VERSION,
        "rules_version": rules.version,
        "rules_sha256": rules.sha256,
        "score": "p_serious of " + args.grades if args.grades else "none (no --grades)",
        "lang": args.lang,
    }
    record = command_record("monitor", args.data, config, timer, {"files": monitor_files(result)})
    write_all(monitor_writers(out, result, bodies, record, args.lang))
    _summary(result, out, args.lang)
    return 0


def _summary(result: Monitor, out: Path, lang: str) -> None:
    from supervision.cycle import RAISED

    w = result.warnings
    raised = w[w["status"].isin(RAISED)]
    by_level = raised["level"].value_counts()
    by_status = w["status"].value_counts()
    print(say(lang, "commands.monitor_head", as_of=result.as_of.date(), raised=len(raised)))
    print(
        say(
            lang,
            "commands.monitor_levels",
            **{lv: int(by_level.get(lv, 0)) for lv in ("red", "orange", "yellow", "blue")},
        )
    )
    statuses = ("new", "escalated", "persisting", "handled", "cleared")
    print(say(lang, "commands.monitor_statuses", **{s: int(by_status.get(s, 0)) for s in statuses}))
    print(say(lang, "commands.monitor_overdue", overdue=int(w["overdue"].sum())))
    print(
        say(
            lang, "commands.monitor_special", lists="  ".join(f"{name}: {len(t)}" for name, t in result.special.items())
        )
    )
    print(say(lang, "commands.written", paths=out))
