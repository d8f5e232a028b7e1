"""The demo job: a whole quarter on embedded synthetic data, from generation to estimates.

Every step reports through ``say(text)``; the command line prints it. The
job returns where everything went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from features import load_data_dir
from features.build import build_features
from features.codes import GRADES
from features.dictionary import feature_dictionary
from features.loading import DataSet
from features.panorama import panoramic_profile
from features.rules import body_status, is_serious
from riskmodel.grader import grade_bodies
from riskmodel.tracking import load_model, model_version_info
from sampling import SizePolicy
from simulator import generate_world
from simulator.world import SyntheticWorld

from .demo_monitor import monitor_two_quarters
from .draw import DrawConfig, DrawOutputs, commit_frame, make_draw
from .draw.commitment import commitment_hash
from .estimate_job import estimate_population
from .messages import draw_summary, format_profile
from .tables import write_outputs, write_table
from .training_job import run_training

Say = Callable[[str], None]

STEPS = (
    "generate synthetic national data",
    "validate the data directory",
    "build features",
    "retrain and evaluate the risk models (MLflow)",
    "grade every body A-D",
    "commit the frame, then draw bodies, certificates and inspector teams",
    "simulate the quarter's inspections",
    "estimate the population's true rates",
    "monitor risk over two quarters: warnings, responses, special checks",
)
DEMO_SEED = "demo public seed: 2026-10-08 lottery 03 11 17 29 36"
PUBLISH_AFTER_DAYS = 45  # the demo's inspections fall 7-86 days after the as-of date
BUDGET_SHARE = 0.06  # bodies drawn per quarter: about a quarter of all bodies a year
COMPARISON_COLUMNS = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]


def _step(say: Say, k: int, text: str) -> None:
    say(f"\n[{k}/{len(STEPS)}] {text} ...")


def _features(data: DataSet, as_of: pd.Timestamp, out: Path, lang: str, say: Say) -> pd.DataFrame:
    table = build_features(data, as_of)
    write_outputs(
        {
            out / "features.parquet": lambda p: write_table(table, p),
            out / "features.dictionary.csv": lambda p: write_table(feature_dictionary(), p),
        }
    )
    flagged = {b: panoramic_profile(table, b, lang)["abnormal"].sum() for b in table["body_id"]}
    body = max(flagged, key=lambda b: flagged[b])
    say(format_profile(panoramic_profile(table, body, lang), body, as_of, lang).split("\n\n")[1])
    say(f"  (the body with the most abnormal values: {body}; see `certrisk profile`)")
    return table


def _grades(table: pd.DataFrame, data: DataSet, uri: str, out: Path, lang: str, say: Say) -> pd.DataFrame:
    info = model_version_info(tracking_uri=uri)
    grades = grade_bodies(
        load_model(tracking_uri=uri), table, data.tables, model_version=f"{info.model_name}/{info.version}", lang=lang
    )
    write_outputs({out / name: lambda p: write_table(grades, p) for name in ("grades.csv", "grades.xlsx")})
    counts = grades["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    say("  " + "  ".join(f"{g}: {n}" for g, n in counts.items()))
    return grades


def run_demo(
    out: Path,
    *,
    scale: float = 1.0,
    seed: int = 20240101,
    lang: str = "en",
    say: Say,
    training_progress: Say | None = None,
) -> dict[str, Any]:
    """Run the quarter into the folder ``out``; returns {what: where} and the MLflow URI."""
    _step(say, 1, f"{STEPS[0]} (scale {scale}, seed {seed})")
    world = generate_world(scale=scale, seed=seed, future_quarters=1)
    world.write(out)
    as_of = world.as_of
    _step(say, 2, STEPS[1])
    data = load_data_dir(out / "data", as_of=as_of)
    say(data.summary(lang))
    _step(say, 3, f"{STEPS[2]} as of {as_of.date()}")
    table = _features(data, as_of, out, lang, say)
    _step(say, 4, STEPS[3])
    uri = f"sqlite:///{(out / 'mlflow.db').resolve()}"
    job = run_training(
        data, out / "data", as_of, out_dir=out / "training", tracking_uri=uri, lang=lang, progress=training_progress
    )
    say(job["result"].comparison()[COMPARISON_COLUMNS].round(3).to_string())
    say(f"  {job['decision'].rule}")
    _step(say, 5, STEPS[4])
    grades = _grades(table, data, uri, out, lang, say)
    folder, outputs, promised = _draw(data, grades, as_of, out, lang, say)
    next_data = _simulate_quarter(world, outputs, as_of, out, say)
    results = _publish(folder, next_data, as_of, out, lang, say)
    _estimate(next_data, as_of + pd.DateOffset(months=3), grades, out, say)
    _step(say, 9, STEPS[8])
    warnings = monitor_two_quarters(world, data, as_of, grades, out, lang, say)
    places = {
        "data directory": out / "data",
        "ground truth (evaluation only)": out / "truth",
        "features": out / "features.parquet",
        "training run (figures, tables)": out / "training",
        "MLflow tracking store": out / "mlflow.db",
        "grades (also .xlsx)": out / "grades.csv",
        "draw folder": folder,
        "data after the quarter": next_data,
        "public results of the draw (also .xlsx)": results,
        "estimates (also .xlsx)": out / "estimates.csv",
        "warnings, counts, special checks (internal)": warnings,
    }
    return {
        "places": places,
        "tracking_uri": uri,
        "draw_folder": folder,
        "data": out / "data",
        "commitment": promised,
        "seed": DEMO_SEED,
    }


def demo_budget(bodies: pd.DataFrame, as_of: pd.Timestamp) -> int:
    """The demo's budget: about 6 % of the drawable bodies, with room for the certainties and every floor."""
    live = bodies[~body_status(bodies, as_of).isin(SizePolicy().out_of_frame_statuses)]
    floor_room = int(np.ceil(0.02 * len(live))) + 1  # tiny demo systems: room for every body's floor besides CCC
    return max(round(BUDGET_SHARE * len(live)), int(live["ccc_designated"].sum()) + floor_room)


def _draw(
    data: DataSet, grades: pd.DataFrame, as_of: pd.Timestamp, out: Path, lang: str, say: Say
) -> tuple[Path, DrawOutputs, str]:
    _step(say, 6, STEPS[5])
    config = DrawConfig(as_of=as_of, budget=demo_budget(data.bodies, as_of), public_seed=DEMO_SEED, lang=lang)
    record = commit_frame(data.tables, grades, config, out / "draws")
    say(f"  frame committed: commitment {commitment_hash(record)} (published before the seed)")
    say(f"  public seed announced afterwards: {DEMO_SEED!r}")
    folder, outputs = make_draw(data.tables, grades, config, out / "draws")
    say("  " + draw_summary(outputs, folder, out / "data", DEMO_SEED).replace("\n", "\n  "))
    return folder, outputs, commitment_hash(record)


def _simulate_quarter(world: SyntheticWorld, outputs: DrawOutputs, as_of: pd.Timestamp, out: Path, say: Say) -> Path:
    _step(say, 7, STEPS[6])
    frame = outputs.tables["frame.csv"]
    drawn = frame[frame["selected"]].sort_values("body_id")
    teams = outputs.teams.set_index("body_id")["inspector_ids"]
    dates = as_of + pd.to_timedelta(np.arange(len(drawn)) % 80 + 7, unit="D")
    listed = outputs.tables["certificates.csv"].groupby("body_id").size().reindex(drawn["body_id"], fill_value=0)
    done = world.inspect(
        drawn["body_id"].tolist(),
        dates,
        kind="random",
        inclusion_prob=drawn["pi"].to_numpy(),
        draw_id=outputs.draw_id,
        teams=teams.reindex(drawn["body_id"]).fillna("").tolist(),
        certs_listed=listed.tolist(),
    )
    world.simulate_background(as_of)
    serious = is_serious(done["outcome"])
    say(f"  {len(done)} drawn bodies inspected: {int(serious.sum())} serious ({serious.mean():.1%} of inspections)")
    next_data: Path = world.write_data(out / "data-next-quarter", as_of + pd.DateOffset(months=3))
    return next_data


def _publish(folder: Path, next_data: Path, as_of: pd.Timestamp, out: Path, lang: str, say: Say) -> Path:
    """The draw's public results (检查结果公示) in the middle of the quarter (``certrisk publish``).

    Published :data:`PUBLISH_AFTER_DAYS` days after the as-of date, the list shows all three states: results
    on time, results past the 20-working-day deadline, and drawn bodies not inspected yet (pending).
    """
    from . import __version__
    from .publish_job import check_against_data, labelled, public_results, read_drawn
    from .publish_output import about, csv_writer, xlsx_writer

    drawn = read_drawn(folder)
    on = as_of + pd.Timedelta(days=PUBLISH_AFTER_DAYS)
    # the snapshot is dated at the quarter's end: read it as of then; results after `on` are pending
    tables = load_data_dir(next_data, as_of=as_of + pd.DateOffset(months=3)).tables
    check_against_data(drawn, tables)
    results = public_results(drawn, tables, on, lang)
    table = labelled(results.table, lang)
    path = out / "public_results.csv"
    write_outputs(
        {path: csv_writer(table), path.with_suffix(".xlsx"): xlsx_writer(table, about(results, lang, __version__))}
    )
    say(
        f"  public results on {on.date()}: {results.results} result(s) of {results.bodies} drawn bodies, "
        f"{results.late} published after the 20-working-day deadline, {results.pending} pending"
    )
    return path


def _estimate(next_data: Path, as_of: pd.Timestamp, grades: pd.DataFrame, out: Path, say: Say) -> None:
    _step(say, 8, STEPS[7])
    tables = load_data_dir(next_data, as_of=as_of).tables  # the simulated snapshot is dated after the quarter
    table = estimate_population(tables, as_of, grades=grades)
    write_outputs({out / name: lambda p: write_table(table, p) for name in ("estimates.csv", "estimates.xlsx")})
    view = table[table["scope"].isin(["overall", "grade", "certificates"])]
    for _, r in view.iterrows():
        say(
            f"  {r['scope']:12s} {r['domain']:>8s}: {r['estimate']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}]"
            f"  (naive {r['naive_rate']:.3f}, n={r['n']}){'' if r['reliability'] == 'reliable' else '  ' + r['reliability']}"
        )
    say("  estimates weight each random inspection by 1 / inclusion probability; the naive shares overstate risk.")
