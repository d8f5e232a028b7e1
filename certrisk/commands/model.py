"""The model subcommands: train, grade, stringency, score."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalogue import Foreign, Phrase, say
from ..errors import UsageError
from .common import (
    COMPARISON_COLUMNS,
    SELECTION_COLUMNS,
    command_record,
    load_data,
    parse_as_of,
    progress_bar,
    record_writer,
    table_path,
    table_writer,
    writable_folder,
    write_all,
)

if TYPE_CHECKING:
    import pandas as pd

    from features.loading import DataSet


def _store_location(tracking_uri: str | None) -> str:
    """The tracking store's URI, its folder checked writable (nothing is created yet), else refused."""
    from riskmodel.tracking.store import resolve_uri, sqlite_path

    from ..outputs import writable

    uri = resolve_uri(tracking_uri)
    db = sqlite_path(uri)
    if db is not None:
        option = "--tracking-uri" if tracking_uri else Phrase("errors.what_tracking_store")
        writable(tracking_uri or uri, option, path=db)
    return uri


def _ready_store(tracking_uri: str | None) -> str:
    """The tracking store made ready before any work: its folder writable, built whole or repaired, else refused."""
    from riskmodel.tracking import StoreError, prepare_store

    uri = _store_location(tracking_uri)
    try:
        return prepare_store(uri)
    except StoreError as exc:
        raise UsageError.of(exc) from None


def _check_model_options(args: argparse.Namespace) -> None:
    """``--tracking-uri`` and ``--alias`` (where the command has them), refused in words when empty."""
    if args.tracking_uri is not None and not args.tracking_uri.strip():
        raise UsageError("errors.tracking_uri", got=args.tracking_uri)
    from riskmodel.tracking.uris import is_supported_uri

    if args.tracking_uri is not None and not is_supported_uri(args.tracking_uri):
        raise UsageError("errors.tracking_uri_kind", got=args.tracking_uri)
    alias = getattr(args, "alias", "champion")
    if not alias.strip():
        raise UsageError("errors.alias_empty", got=alias)


def train(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)  # the options first: a mistake is refused before the model libraries load
    _check_model_options(args)
    if not 0 < args.budget_share < 1:
        raise UsageError("errors.budget_share", got=args.budget_share)
    if args.out and Path(args.out).exists():
        raise UsageError("errors.run_folder_exists", folder=args.out)
    writable_folder(args.out or "runs", "--out" if args.out else Phrase("errors.what_run_folders"))
    from riskmodel.quarterly import NotEnoughHistory, check_history

    from ..training_job import STEPS, run_training

    _store_location(args.tracking_uri)  # every output location before the data is read
    print(say(args.lang, "commands.train_head", as_of=as_of.date()))
    data = load_data(args.data)
    try:
        check_history(data, as_of)
    except NotEnoughHistory as exc:
        raise UsageError("errors.not_enough_history", reason=Foreign(str(exc))) from None
    _ready_store(args.tracking_uri)  # a broken store is reported before the retraining, not after it
    with progress_bar(STEPS, "retraining", args.lang) as advance:
        job = run_training(
            data,
            Path(args.data),
            as_of,
            out_dir=Path(args.out) if args.out else None,
            tracking_uri=args.tracking_uri,
            budget_share=args.budget_share,
            seed=args.seed,
            lang=args.lang,
            progress=advance,
        )
    _train_summary(job, args.lang)
    return 0


def _train_summary(job: dict[str, Any], lang: str) -> None:
    """The evaluation, the model choice and the champion (or that this retraining was registered before)."""
    import dataclasses

    from ..report.rule_words import duplicate_note, rule_in

    print(say(lang, "commands.train_evaluation"))
    print(job["result"].comparison()[COMPARISON_COLUMNS].round(3).to_string())
    d = job["decision"]
    print(say(lang, "commands.train_choice"))
    print(job["result"].selection.table[SELECTION_COLUMNS].round(3).to_string(index=False))
    rule = rule_in(lang, d.rule)
    if d.registered:
        challenger = (
            say(lang, "commands.train_challenger", version=d.challenger_version, name=d.challenger)
            if d.challenger
            else ""
        )
        champion = say(
            lang,
            "commands.train_champion",
            model=d.model_name,
            version=d.champion_version,
            chosen=d.chosen,
            challenger=challenger,
        )
        print(f"{champion}\n{rule}")
    else:  # the same as-of date, data and settings were registered before
        print(f"\n{rule}\n{duplicate_note(lang, dataclasses.asdict(d))}")
    print(say(lang, "commands.train_places", folder=job["out_dir"], run=job["run"].run_id))


def _inspector_correction(data: DataSet, as_of: pd.Timestamp, kinds: str) -> Any:
    """The correction of the grades for the inspector effect; a data set it cannot be estimated from is refused."""
    from riskmodel.net_risk import inspector_correction

    try:
        return inspector_correction(data, as_of, kinds=kinds)
    except ValueError as exc:
        raise UsageError("errors.net_of_inspectors", as_of=as_of.date(), reason=Foreign(str(exc))) from None


def grade(args: argparse.Namespace) -> int:
    out = table_path(args.out)  # the options first: a mistake is refused before the model libraries load
    as_of = parse_as_of(args.as_of)
    _check_model_options(args)
    from features.build import build_features
    from features.codes import GRADES
    from riskmodel.grader import grade_bodies
    from riskmodel.tracking import StoreError, load_model, model_version_info

    from ..runinfo import Timer

    timer = Timer()
    try:
        info = model_version_info(args.alias, tracking_uri=args.tracking_uri)
        model = load_model(args.alias, tracking_uri=args.tracking_uri)
    except (LookupError, StoreError) as exc:
        raise UsageError.of(exc) from None
    data = load_data(args.data)
    with timer.step("features"):
        table = build_features(data, as_of)
    correction = _inspector_correction(data, as_of, args.kinds) if args.net_of_inspectors else None
    with timer.step("grade"):
        grades = grade_bodies(
            model,
            table,
            data.tables,
            model_version=f"{info.model_name}/{info.version}",
            lang=args.lang,
            correction=correction,
        )
    record = command_record(
        "grade",
        args.data,
        {
            "as_of": as_of.date().isoformat(),
            "alias": args.alias,
            "model": f"{info.model_name}/{info.version}",
            "model_run_id": info.run_id,
            "net_of_inspectors": correction.summary() if correction is not None else False,
        },
        timer,
        {"grades": out.name},
    )
    write_all({out: table_writer(grades), out.with_name(out.stem + ".run.json"): record_writer(record)})
    shares = grades["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    lang = args.lang
    print(
        say(
            lang,
            "commands.graded",
            bodies=len(grades),
            model=info.model_name,
            version=info.version,
            alias=args.alias,
            as_of=as_of.date(),
        )
    )
    counts = "  ".join(f"{g}: {n}" for g, n in shares.items())
    print(say(lang, "commands.grade_counts", counts=counts, overrides=int((grades["override"] != "").sum())))
    print(say(lang, "commands.grades_file", path=out))
    return 0


# --- inspector stringency --------------------------------------------------------------
def _stringency_fit(data: DataSet, as_of: pd.Timestamp, kinds: str) -> Any:
    """The inspector effects as of ``as_of``; a data set they cannot be estimated from is refused in words."""
    from riskmodel.stringency import estimate_stringency

    try:
        return estimate_stringency(data, as_of, kinds=kinds)
    except ValueError as exc:
        raise UsageError("errors.stringency_fit", as_of=as_of.date(), reason=Foreign(str(exc))) from None


def stringency(args: argparse.Namespace) -> int:
    from ..runinfo import Timer
    from ..stringency_job import STRINGENCY_FILES, counts, inspector_table, stringency_writers

    out, as_of, timer = writable_folder(args.out), parse_as_of(args.as_of), Timer()
    data = load_data(args.data)
    with timer.step("stringency"):
        fit = _stringency_fit(data, as_of, args.kinds)
        table, _ = inspector_table(data, as_of, fit=fit, lang=args.lang)
    config = {"as_of": as_of.date().isoformat(), "lang": args.lang, **fit.summary()}
    record = command_record("stringency", args.data, config, timer, {"table": STRINGENCY_FILES[0]})
    writers = stringency_writers(out, table, record)
    write_all(writers)
    n = counts(table)
    lang = args.lang
    kinds = say(lang, "commands.kinds_random" if fit.kinds == "random" else "kinds_all")
    print(
        say(
            lang,
            "commands.stringency_head",
            inspectors=len(fit.effects),
            rows=fit.rows,
            as_of=as_of.date(),
            kinds=kinds,
            sigma=fit.sigma,
        )
    )
    print(say(lang, "commands.stringency_counts", more=n["more"], less=n["less"], in_line=n["in_line"], none=n["none"]))
    print(say(lang, "commands.written", paths=", ".join(str(path) for path in writers)))
    return 0


def score(args: argparse.Namespace) -> int:
    from riskmodel.tracking import StoreError, load_model, model_version_info

    from ..runinfo import Timer
    from ..score_job import read_planned, score_planned

    out, as_of, timer = table_path(args.out), parse_as_of(args.as_of), Timer()
    _check_model_options(args)
    data = load_data(args.data)
    planned = read_planned(args.inspections, data.tables["bodies"])
    try:
        info = model_version_info(args.alias, tracking_uri=args.tracking_uri)
        model = load_model(args.alias, tracking_uri=args.tracking_uri)
    except (LookupError, StoreError) as exc:
        raise UsageError.of(exc) from None
    with timer.step("stringency"):
        fit = _stringency_fit(data, as_of, args.kinds)
    with timer.step("score"):
        version = f"{info.model_name}/{info.version}"
        table = score_planned(planned, data, as_of, model, fit, version)
    config = {"as_of": as_of.date().isoformat(), "alias": args.alias, "model": version, "model_run_id": info.run_id}
    record = command_record("score", args.data, {**config, "stringency": fit.summary()}, timer, {"scores": out.name})
    write_all({out: table_writer(table), out.with_name(out.stem + ".run.json"): record_writer(record)})
    unknown = int((table["unknown_inspectors"] != "").sum())
    lang = args.lang
    print(
        say(
            lang,
            "commands.scored",
            rows=len(table),
            model=info.model_name,
            version=info.version,
            alias=args.alias,
            inspectors=len(fit.effects),
            as_of=as_of.date(),
        )
    )
    means = {"body": table["p_serious_body"].mean(), "team": table["p_serious_team"].mean()}
    print(say(lang, "commands.score_means", **means, unknown=unknown))
    print(say(lang, "commands.scores_file", path=out))
    return 0


# --- draw ----------------------------------------------------------------------------
