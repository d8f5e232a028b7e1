"""The demo's warning cycle: two quarters of risk monitoring with the bureaus' dispositions in between.

The quarter before the demo's as-of date is monitored first (indicators only:
the demo grades bodies at its as-of date); the simulator then plays the
bureaus acting on those warnings (:func:`simulator.dispositions.simulate_dispositions`),
and the as-of quarter is monitored against the first, with the dispositions
read through the data contract and the model's probabilities of the grades.
Both output folders and the dispositions table go under ``out/monitor``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from features.loading import DataSet, load_dispositions
from simulator.dispositions import simulate_dispositions
from simulator.world import SyntheticWorld
from supervision.cycle import RAISED
from supervision.rules import load_rules

from . import catalogue
from .monitor_job import Monitor, read_previous, run_monitor
from .monitor_output import monitor_files, monitor_writers
from .runinfo import Timer, input_hashes, run_record
from .tables import write_outputs, write_table

Say = Callable[[str], None]


def _write(monitor: Monitor, bodies: pd.DataFrame, data_dir: Path, folder: Path, lang: str) -> None:
    config = {"as_of": monitor.as_of.date().isoformat(), "rules_version": monitor.rules.version, "lang": lang}
    record = run_record("monitor", {"data": input_hashes(data_dir)}, config, Timer(), {"files": monitor_files(monitor)})
    write_outputs(monitor_writers(folder, monitor, bodies, record, lang))


def monitor_two_quarters(
    world: SyntheticWorld, data: DataSet, as_of: pd.Timestamp, grades: pd.DataFrame, out: Path, lang: str, say: Say
) -> Path:
    """Monitor the quarter before ``as_of`` and ``as_of`` itself; returns the as-of quarter's folder."""
    rules, before = load_rules(), as_of - pd.DateOffset(months=3)
    folder = out / "monitor"
    first = run_monitor(world.tables(before), before, rules, lang=lang)
    first_dir = folder / f"{before.date()}"
    _write(first, data.bodies, out / "data", first_dir, lang)
    raised = first.warnings[first.warnings["status"].isin(RAISED)]
    risk = world.truth()["risk_quarterly"]
    latent = risk[risk["quarter_start"] == risk.loc[risk["quarter_start"] <= before, "quarter_start"].max()]
    done = simulate_dispositions(
        raised, dict(zip(latent["body_id"], latent["p_serious"])), as_of, world.cfg.rng("dispositions")
    )
    write_outputs({folder / "dispositions.csv": lambda p: write_table(done, p)})
    previous = read_previous(first_dir, as_of)
    handled = load_dispositions(folder / "dispositions.csv", data.bodies, previous.warnings, as_of)
    p = grades.set_index("body_id")["p_serious"]
    second = run_monitor(data, as_of, rules, p_serious=p, previous=previous, dispositions=handled, lang=lang)
    second_dir = folder / f"{as_of.date()}"
    _write(second, data.bodies, out / "data", second_dir, lang)
    status = second.warnings["status"].value_counts()
    levels = second.warnings.loc[second.warnings["status"].isin(RAISED), "level"].value_counts()
    closed = int(done["closed"].sum())
    say(
        catalogue.say(
            lang, "commands.demo_monitor_first", date=before.date(), raised=len(raised), n=len(done), closed=closed
        )
    )
    statuses = {s: int(status.get(s, 0)) for s in ("new", "escalated", "persisting", "handled", "cleared")}
    overdue = int(second.warnings["overdue"].sum())
    say(catalogue.say(lang, "commands.demo_monitor_second", date=as_of.date(), **statuses, overdue=overdue))
    say(
        catalogue.say(
            lang,
            "commands.demo_monitor_levels",
            **{lv: int(levels.get(lv, 0)) for lv in ("red", "orange", "yellow", "blue")},
        )
    )
    return second_dir
