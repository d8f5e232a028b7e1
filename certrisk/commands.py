"""Subcommand implementations: argument namespace in, library calls, messages out.

With :mod:`certrisk.cli` this is the only code that reads arguments or
prints; the workflow itself lives in the jobs (:mod:`certrisk.draw`,
:mod:`certrisk.training_job`, :mod:`certrisk.estimate_job`,
:mod:`certrisk.demo_job`, :mod:`certrisk.report`). Every library is imported
inside the command that needs it, so ``certrisk --help`` imports none and
``certrisk validate`` never loads MLflow or matplotlib.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from features.loading import DataSet

    from .draw import DrawConfig
    from .runinfo import Timer

COMPARISON_COLUMNS = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
SELECTION_COLUMNS = ["candidate", "capture", "auc", "capture_gain_low", "capture_gain_high", "auc_gain_low"]
SELECTION_COLUMNS += ["auc_gain_high", "eligible", "chosen"]


# --- argument values ---------------------------------------------------------------
def check_scale(scale: float) -> None:
    if not 0.001 <= scale <= 10:
        raise UsageError(f"`--scale` must be between 0.001 and 10; got {scale}.")


def fresh_folder(path: str | Path) -> Path:
    """An output folder that can be written and is empty (a killed run's temporaries removed first)."""
    from .outputs import fresh_folder as checked

    return checked(str(path))


def writable_folder(text: str, option: str = "--out") -> Path:
    """An output folder (existing or to be made) that can be written, else refused naming ``option``."""
    from .outputs import writable

    return writable(text, option, folder=True)


def parse_as_of(text: str, option: str = "--as-of") -> pd.Timestamp:
    """The date of ``option``, strictly ISO ``YYYY-MM-DD`` (``01/10/2026``, ``2026`` or ``2026-1-5`` are refused)."""
    import datetime
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UsageError(f"`{option}` must be a date YYYY-MM-DD; got {text!r}.")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"`{option}` must be a date YYYY-MM-DD that exists; got {text!r}.") from None
    if not datetime.date(1678, 1, 1) <= day <= datetime.date(2261, 12, 31):
        raise UsageError(f"`{option}` must be a date between 1678-01-01 and 2261-12-31; got {text!r}.")
    import pandas as pd  # once the date is good: a bad one is refused without loading pandas

    return pd.Timestamp(day)


@contextlib.contextmanager
def progress_bar(total: int, desc: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr, shown from the first step to the last; yields the callback that advances it."""
    from tqdm import tqdm

    bars: list[Any] = []

    def advance(message: str) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc=desc, unit="step", file=sys.stderr, leave=False))
        bar = bars[0]
        bar.set_description(message[:60])
        bar.update(1)
        if bar.n >= total:
            bar.close()

    try:
        yield advance
    finally:
        for bar in bars:
            bar.close()


def _load(data_dir: str, as_of: pd.Timestamp | None = None) -> DataSet:
    from features import load_data_dir

    return load_data_dir(data_dir, as_of=as_of)


def _grades(path: str, data: DataSet) -> pd.DataFrame:
    """The grades file, checked by its model and against the data set's bodies (a DataContractError if not)."""
    from features import load_grades

    return load_grades(path, data.tables["bodies"])


def _write(writers: dict[Path, Callable[[Path], None]]) -> None:
    from .tables import write_outputs

    write_outputs(writers)


def _table_writer(frame: pd.DataFrame) -> Callable[[Path], None]:
    from .tables import write_table

    return lambda path: write_table(frame, path)


def _record_writer(record: dict[str, Any]) -> Callable[[Path], None]:
    from .runinfo import write_json

    return lambda path: write_json(path, record)


def _run_record(
    command: str, data_dir: str, config: dict[str, Any], timer: Timer, outputs: dict[str, Any]
) -> dict[str, Any]:
    from .runinfo import input_hashes, run_record

    return run_record(command, {"data": input_hashes(Path(data_dir))}, config, timer, outputs)


def _table_path(path: str, beside: tuple[str, ...] = (".run.json",)) -> Path:
    """``--out`` FILE of a table, checked: its format, and that it and the files ``beside`` it can be written."""
    from .outputs import writable
    from .tables import check_table_path

    out = check_table_path(path)
    return writable(path, "--out", beside=[out.with_name(out.stem + suffix) for suffix in beside])


# --- data ----------------------------------------------------------------------------
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
    print(_load(args.data, as_of).summary(args.lang))
    return 0


def _feature_table(data_dir: str, as_of: pd.Timestamp, timer: Timer) -> pd.DataFrame:
    from features.build import build_features

    with timer.step("load"):
        data = _load(data_dir)  # records after the as-of date are allowed: features ignore them
    with timer.step("features"):
        return build_features(data, as_of)


def features(args: argparse.Namespace) -> int:
    from features.dictionary import feature_dictionary

    from .runinfo import Timer

    out = _table_path(args.out, (".dictionary.csv", ".run.json"))
    as_of, timer = parse_as_of(args.as_of), Timer()
    table = _feature_table(args.data, as_of, timer)
    dictionary = out.with_name(out.stem + ".dictionary.csv")
    record = _run_record(
        "features",
        args.data,
        {"as_of": as_of.date().isoformat()},
        timer,
        {"features": out.name, "dictionary": dictionary.name},
    )
    _write(
        {
            out: _table_writer(table),
            dictionary: _table_writer(feature_dictionary()),
            out.with_name(out.stem + ".run.json"): _record_writer(record),
        }
    )
    print(
        f"{len(table):,} bodies x {table.shape[1] - 2} features as of {as_of.date()} in {sum(timer.timings.values()):.1f} s"
    )
    print(f"  features:   {out}\n  dictionary: {dictionary}")
    return 0


def profile(args: argparse.Namespace) -> int:
    from features.panorama import panoramic_profile

    from .messages import format_profile
    from .runinfo import Timer

    as_of = parse_as_of(args.as_of)
    table = _feature_table(args.data, as_of, Timer())
    try:
        view = panoramic_profile(table, args.body_id, lang=args.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(format_profile(view, args.body_id, as_of, args.lang))
    return 0


# --- model ---------------------------------------------------------------------------
def _ready_store(tracking_uri: str | None) -> str:
    """The tracking store made ready before any work: its folder writable, built whole or repaired, else refused."""
    from riskmodel.tracking import StoreError, prepare_store
    from riskmodel.tracking.store import resolve_uri, sqlite_path

    from .outputs import writable

    uri = resolve_uri(tracking_uri)
    db = sqlite_path(uri)
    if db is not None:
        option = "--tracking-uri" if tracking_uri else "the default tracking store"
        writable(tracking_uri or uri, option, path=db)
    try:
        return prepare_store(uri)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def train(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)  # the options first: a mistake is refused before the model libraries load
    if args.out and Path(args.out).exists():
        raise UsageError(f"run folder {args.out} already exists; choose a new one.")
    writable_folder(args.out or "runs", "--out" if args.out else "the folder of run folders")
    from riskmodel.quarterly import NotEnoughHistory, check_history

    from .training_job import STEPS, run_training

    print(f"quarterly retraining as of {as_of.date()}")
    data = _load(args.data)
    try:
        check_history(data, as_of)
    except NotEnoughHistory as exc:
        raise UsageError(f"{exc} Nothing was trained or written.") from None
    _ready_store(args.tracking_uri)  # a broken store is reported before the retraining, not after it
    with progress_bar(STEPS, "retraining") as advance:
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
    print("\nout-of-time evaluation (weighted by 1 / inclusion probability; 95 % bootstrap intervals):")
    print(job["result"].comparison()[COMPARISON_COLUMNS].round(3).to_string())
    d = job["decision"]
    print("\nmodel choice (every candidate on the same rows; gains over the chosen one, paired 95 % intervals):")
    print(job["result"].selection.table[SELECTION_COLUMNS].round(3).to_string(index=False))
    challenger = f", challenger version {d.challenger_version} ({d.challenger})" if d.challenger else ""
    print(f"\nmodel {d.model_name}: champion version {d.champion_version} ({d.chosen}){challenger}.\n{d.rule}")
    print(f"run folder: {job['out_dir']}   MLflow run: {job['run'].run_id}")
    return 0


def grade(args: argparse.Namespace) -> int:
    out = _table_path(args.out)  # the options first: a mistake is refused before the model libraries load
    as_of = parse_as_of(args.as_of)
    from features.build import build_features
    from features.codes import GRADES
    from riskmodel.grader import grade_bodies
    from riskmodel.tracking import StoreError, load_model, model_version_info

    from .runinfo import Timer

    timer = Timer()
    try:
        info = model_version_info(args.alias, tracking_uri=args.tracking_uri)
        model = load_model(args.alias, tracking_uri=args.tracking_uri)
    except (LookupError, StoreError) as exc:
        raise UsageError(str(exc)) from None
    data = _load(args.data)
    with timer.step("features"):
        table = build_features(data, as_of)
    with timer.step("grade"):
        grades = grade_bodies(
            model, table, data.tables, model_version=f"{info.model_name}/{info.version}", lang=args.lang
        )
    record = _run_record(
        "grade",
        args.data,
        {
            "as_of": as_of.date().isoformat(),
            "alias": args.alias,
            "model": f"{info.model_name}/{info.version}",
            "model_run_id": info.run_id,
        },
        timer,
        {"grades": out.name},
    )
    _write({out: _table_writer(grades), out.with_name(out.stem + ".run.json"): _record_writer(record)})
    shares = grades["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    print(
        f"{len(grades):,} bodies graded by {info.model_name} version {info.version} (@{args.alias}) as of {as_of.date()}"
    )
    print(
        "  " + "  ".join(f"{g}: {n}" for g, n in shares.items()) + f"   overrides: {(grades['override'] != '').sum()}"
    )
    print(f"  grades: {out}")
    return 0


# --- inspector stringency --------------------------------------------------------------
def _stringency_fit(data: DataSet, as_of: pd.Timestamp, kinds: str) -> Any:
    """The inspector effects as of ``as_of``; a data set they cannot be estimated from is refused in words."""
    from riskmodel.stringency import estimate_stringency

    try:
        return estimate_stringency(data, as_of, kinds=kinds)
    except ValueError as exc:
        raise UsageError(f"inspector stringency cannot be estimated as of {as_of.date()}: {exc}") from None


def stringency(args: argparse.Namespace) -> int:
    from .runinfo import Timer
    from .stringency_job import STRINGENCY_FILES, counts, inspector_table, stringency_writers

    out, as_of, timer = writable_folder(args.out), parse_as_of(args.as_of), Timer()
    data = _load(args.data)
    with timer.step("stringency"):
        fit = _stringency_fit(data, as_of, args.kinds)
        table, _ = inspector_table(data, as_of, fit=fit, lang=args.lang)
    config = {"as_of": as_of.date().isoformat(), "lang": args.lang, **fit.summary()}
    record = _run_record("stringency", args.data, config, timer, {"table": STRINGENCY_FILES[0]})
    writers = stringency_writers(out, table, record)
    _write(writers)
    n = counts(table)
    print(
        f"stringency of {len(fit.effects):,} inspectors from {fit.rows:,} inspections before {as_of.date()} "
        f"({'random only' if fit.kinds == 'random' else 'every kind, adjusted for kind'}; prior SD {fit.sigma:.2f} "
        "on the log-odds)"
    )
    print(
        f"  finds more than expected: {n['more']}   less: {n['less']}   in line: {n['in_line']}   "
        f"no inspections: {n['none']}"
    )
    print("written: " + ", ".join(str(path) for path in writers))
    return 0


def score(args: argparse.Namespace) -> int:
    from riskmodel.tracking import StoreError, load_model, model_version_info

    from .runinfo import Timer
    from .score_job import read_planned, score_planned

    out, as_of, timer = _table_path(args.out), parse_as_of(args.as_of), Timer()
    data = _load(args.data)
    planned = read_planned(args.inspections, data.tables["bodies"])
    try:
        info = model_version_info(args.alias, tracking_uri=args.tracking_uri)
        model = load_model(args.alias, tracking_uri=args.tracking_uri)
    except (LookupError, StoreError) as exc:
        raise UsageError(str(exc)) from None
    with timer.step("stringency"):
        fit = _stringency_fit(data, as_of, args.kinds)
    with timer.step("score"):
        version = f"{info.model_name}/{info.version}"
        table = score_planned(planned, data, as_of, model, fit, version)
    config = {"as_of": as_of.date().isoformat(), "alias": args.alias, "model": version, "model_run_id": info.run_id}
    record = _run_record("score", args.data, {**config, "stringency": fit.summary()}, timer, {"scores": out.name})
    _write({out: _table_writer(table), out.with_name(out.stem + ".run.json"): _record_writer(record)})
    unknown = int((table["unknown_inspectors"] != "").sum())
    print(
        f"{len(table):,} planned inspections scored by {info.model_name} version {info.version} (@{args.alias}) "
        f"and the stringency of {len(fit.effects):,} inspectors as of {as_of.date()}"
    )
    print(
        f"  mean P(serious): {table['p_serious_body'].mean():.3f} by the body alone, "
        f"{table['p_serious_team'].mean():.3f} with the team; {unknown} team(s) with inspectors of no estimate (0)"
    )
    print(f"  scores: {out}")
    return 0


# --- draw ----------------------------------------------------------------------------
def _policy_config(args: argparse.Namespace, grades: pd.DataFrame) -> DrawConfig:
    """The as-of date, budget and size policy of commit, draw and plan (cli ``_add_policy_inputs``), checked."""
    from sampling import SizePolicy

    from .draw import DrawConfig

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
    weight = {} if args.certificate_weight is None else {"certificate_weight": args.certificate_weight}
    if weight and not 0 <= args.certificate_weight < 1:
        raise UsageError(f"`--certificate-weight` must be in [0, 1); got {args.certificate_weight}.")
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
        raise UsageError(
            f"`--team-size` must be an integer >= 2 (a team has at least two inspectors); got {args.team_size}."
        )


def _draw_config(args: argparse.Namespace, grades: pd.DataFrame, seed: str = "") -> DrawConfig:
    import dataclasses

    from .draw.config import check_draw_id

    if args.draw_id is not None:
        check_draw_id(args.draw_id)  # before any work
    config = _policy_config(args, grades)
    return dataclasses.replace(config, public_seed=seed, draw_id=args.draw_id, team_size=args.team_size)


def commit(args: argparse.Namespace) -> int:
    writable_folder(args.out)
    _check_team_size(args)
    data = _load(args.data)
    grades = _grades(args.grades, data)
    from .draw import commit_frame
    from .draw.commitment import commitment_hash

    config = _draw_config(args, grades)
    record = commit_frame(data.tables, grades, config, Path(args.out))
    frame = record["frame"]
    print(
        f"draw {record['draw_id']}: frame of {frame['bodies_in_frame']} bodies committed "
        f"({frame['drawable']} can be drawn, each with a feasible inspector team)."
    )
    print(f"publish this commitment BEFORE the public seed is known:\n  {commitment_hash(record)}")
    print(f"  (record: {Path(args.out) / (record['draw_id'] + '.commitment.json')})")
    print(f"then run `certrisk draw ... --seed <public seed> --out {args.out}`")
    return 0


def draw(args: argparse.Namespace) -> int:
    if not args.seed.strip():
        raise UsageError("`--seed` must be the public seed string (e.g. a lottery result); got an empty string.")
    writable_folder(args.out)
    _check_team_size(args)
    data = _load(args.data)
    grades = _grades(args.grades, data)
    from .draw import make_draw
    from .messages import draw_summary

    config = _draw_config(args, grades, args.seed)
    effects = None
    if args.stringency:
        from .stringency_job import read_effects

        effects = read_effects(args.stringency)
    folder, outputs = make_draw(
        data.tables, grades, config, Path(args.out), uncommitted=args.uncommitted, stringency=effects
    )
    print(draw_summary(outputs, folder, args.data, config.public_seed))
    return 0


def verify(args: argparse.Namespace) -> int:
    from .draw import verify_draw

    folder = Path(args.draw_folder)
    problems = verify_draw(folder, _load(args.data).tables, commitment_sha256=args.commitment, public_seed=args.seed)
    if problems:
        print(f"draw {folder.name} does NOT verify: {len(problems)} difference(s)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(
        f"draw {folder.name} verified against the published commitment and seed: the frame, the settings, "
        "the inputs and every output re-derive identically."
    )
    return 0


# --- planning ------------------------------------------------------------------------
def _positive(value: int, option: str) -> int:
    if value < 1:
        raise UsageError(f"`{option}` must be a positive integer; got {value}.")
    return value


def plan(args: argparse.Namespace) -> int:
    reps, frontier_reps = _positive(args.reps, "--reps"), _positive(args.frontier_reps, "--frontier-reps")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"`--out` must be a folder; {out} is a file.")
    if args.out:
        writable_folder(args.out)
    data = _load(args.data)
    grades = _grades(args.grades, data)
    from .plan_job import DEFAULT_STEEPNESS, check_plan_grades, frontier, plan_quarter_from_data
    from .plan_output import frontier_summary, plan_summary, plan_writers

    grades = check_plan_grades(grades)
    config = _policy_config(args, grades)
    tables = data.tables
    result = plan_quarter_from_data(tables, grades, config, reps)
    print(plan_summary(result, config, args.lang))
    curve = None
    if args.frontier:
        with progress_bar(len(DEFAULT_STEEPNESS), "frontier") as advance:
            curve = frontier(tables, grades, config, reps=frontier_reps, progress=advance)
        print(frontier_summary(curve, args.lang))
    if out is not None:
        writers = plan_writers(out, result, curve, args.lang)
        _write(writers)
        print("written: " + ", ".join(str(path) for path in writers))
    return 0


# --- estimates and report ------------------------------------------------------------
def estimate(args: argparse.Namespace) -> int:
    import pandas as pd

    out = _table_path(args.out)
    as_of = parse_as_of(args.as_of) if args.as_of else pd.Timestamp.today().normalize()
    since = parse_as_of(args.since, "--since") if args.since else None
    if since is not None and since >= as_of:
        raise UsageError(f"`--since` must be before the as-of date {as_of.date()}; got {args.since!r}.")
    data = _load(args.data)  # records on or after the as-of date are allowed: the estimates use those before it
    grades = _grades(args.grades, data) if args.grades else None
    from .estimate_job import estimate_population
    from .runinfo import Timer

    notes: list[str] = []
    try:
        table = estimate_population(data.tables, as_of, since=since, grades=grades, draws=args.draws, say=notes.append)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = {"as_of": as_of.date().isoformat(), "since": table["since"].iloc[0], "draws": args.draws}
    record = _run_record("estimate", args.data, config, Timer(), {"estimates": out.name})
    _write({out: _table_writer(table), out.with_name(out.stem + ".run.json"): _record_writer(record)})
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
    from .outputs import writable
    from .report import write_report

    writable(args.out, "--out")
    try:
        path = write_report(
            args.training_dir,
            draw_folder=args.draw,
            estimates=args.estimates,
            out=args.out,
            lang=args.lang,
            stringency=args.stringency,
        )
    except ValueError as exc:
        print(f"certrisk report: {exc}", file=sys.stderr)
        return 1
    files = path.parent / f"{path.stem}_files"
    n = len(list(files.glob("*.png")))
    print(f"report written to {path} ({n} figures in {files})")
    return 0


def demo(args: argparse.Namespace) -> int:
    check_scale(args.scale)
    out = fresh_folder(args.out)
    from .demo_job import run_demo
    from .training_job import STEPS

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
