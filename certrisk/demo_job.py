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

from . import catalogue
from .demo_monitor import monitor_two_quarters
from .draw import DrawConfig, DrawOutputs, commit_frame, make_draw
from .draw.commitment import commitment_hash
from .estimate_job import estimate_population
from .messages import draw_summary, format_profile
from .report.rule_words import rule_in
from .tables import write_outputs, write_table
from .terminal import fit
from .training_job import run_training

Say = Callable[[str], None]

STEPS = tuple(catalogue.words("en", "commands")[f"demo_step{k}"] for k in range(1, 10))  # said in the language asked
DEMO_SEED = "demo public seed: 2026-10-08 lottery 03 11 17 29 36"
PUBLISH_AFTER_DAYS = 45  # the demo's inspections fall 7-86 days after the as-of date
BUDGET_SHARE = 0.06  # bodies drawn per quarter: about a quarter of all bodies a year
COMPARISON_COLUMNS = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]


def _step(say: Say, k: int, lang: str, more: str = "") -> None:
    say(
        catalogue.say(
            lang,
            "commands.demo_step_line",
            k=k,
            n=len(STEPS),
            text=catalogue.say(lang, f"commands.demo_step{k}") + more,
        )
    )


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
    say(catalogue.say(lang, "commands.demo_most_abnormal", body=body))
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
    _step(say, 1, lang, catalogue.say(lang, "commands.demo_scale", scale=scale, seed=seed))
    world = generate_world(scale=scale, seed=seed, future_quarters=1)
    world.write(out)
    as_of = world.as_of
    _step(say, 2, lang)
    data = load_data_dir(out / "data", as_of=as_of)
    say(data.summary(lang))
    _step(say, 3, lang, catalogue.say(lang, "commands.demo_as_of", as_of=as_of.date()))
    table = _features(data, as_of, out, lang, say)
    _step(say, 4, lang)
    uri = f"sqlite:///{(out / 'mlflow.db').resolve()}"
    job = run_training(
        data, out / "data", as_of, out_dir=out / "training", tracking_uri=uri, lang=lang, progress=training_progress
    )
    say(job["result"].comparison()[COMPARISON_COLUMNS].round(3).to_string())
    say(f"  {rule_in(lang, job['decision'].rule)}")
    _step(say, 5, lang)
    grades = _grades(table, data, uri, out, lang, say)
    folder, outputs, promised = _draw(data, grades, as_of, out, lang, say)
    next_data = _simulate_quarter(world, outputs, as_of, out, lang, say)
    results = _publish(folder, next_data, as_of, out, lang, say)
    _estimate(next_data, as_of + pd.DateOffset(months=3), grades, out, lang, say)
    _step(say, 9, lang)
    warnings = monitor_two_quarters(world, data, as_of, grades, out, lang, say)
    where = {
        "data": out / "data",
        "truth": out / "truth",
        "features": out / "features.parquet",
        "training": out / "training",
        "mlflow": out / "mlflow.db",
        "grades": out / "grades.csv",
        "draw": folder,
        "next": next_data,
        "public": results,
        "estimates": out / "estimates.csv",
        "warnings": warnings,
    }
    places = {catalogue.say(lang, f"commands.place_{key}"): path for key, path in where.items()}
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
    _step(say, 6, lang)
    config = DrawConfig(as_of=as_of, budget=demo_budget(data.bodies, as_of), public_seed=DEMO_SEED, lang=lang)
    record = commit_frame(data.tables, grades, config, out / "draws")
    say(catalogue.say(lang, "commands.demo_committed", hash=commitment_hash(record)))
    say(catalogue.say(lang, "commands.demo_seed", seed=DEMO_SEED))
    folder, outputs = make_draw(data.tables, grades, config, out / "draws")
    say("  " + draw_summary(outputs, folder, out / "data", DEMO_SEED, lang).replace("\n", "\n  "))
    return folder, outputs, commitment_hash(record)


def _simulate_quarter(
    world: SyntheticWorld, outputs: DrawOutputs, as_of: pd.Timestamp, out: Path, lang: str, say: Say
) -> Path:
    _step(say, 7, lang)
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
    say(catalogue.say(lang, "commands.demo_inspected", n=len(done), serious=int(serious.sum()), share=serious.mean()))
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
    counts = {"results": results.results, "bodies": results.bodies, "late": results.late, "pending": results.pending}
    say(catalogue.say(lang, "commands.demo_published", on=on.date(), **counts))
    return path


def _estimate(next_data: Path, as_of: pd.Timestamp, grades: pd.DataFrame, out: Path, lang: str, say: Say) -> None:
    _step(say, 8, lang)
    tables = load_data_dir(next_data, as_of=as_of).tables  # the simulated snapshot is dated after the quarter
    table = estimate_population(tables, as_of, grades=grades, lang=lang)
    write_outputs({out / name: lambda p: write_table(table, p) for name in ("estimates.csv", "estimates.xlsx")})
    view = table[table["scope"].isin(["overall", "grade", "certificates"])]
    for _, r in view.iterrows():
        flag = "" if r["reliability"] == "reliable" else "  " + catalogue.say(lang, f"commands.flag_{r['reliability']}")
        interval = {"estimate": r["estimate"], "low": r["ci_low"], "high": r["ci_high"]}
        shown = catalogue.say(lang, "commands.domain_all") if r["domain"] == "all" else str(r["domain"])
        scope, domain = fit(catalogue.say(lang, f"commands.scope_{r['scope']}"), 12), fit(shown, 8, right=True)
        say(
            catalogue.say(
                lang,
                "commands.demo_estimate_row",
                scope=scope,
                domain=domain,
                **interval,
                naive=r["naive_rate"],
                n=r["n"],
                flag=flag,
            )
        )
    say(catalogue.say(lang, "commands.demo_estimate_note"))
