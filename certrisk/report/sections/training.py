"""The training section: the model, its performance, calibration, lift, grades, stability and grade migration.

Built from a training run folder (``run.json`` and its tables). Each figure is
redrawn from its table in the report's language with :mod:`riskmodel.figures`;
when the table is missing the run's own PNG is copied, and when both are
missing the report says so. The grades part shows the current grade
distribution (:mod:`..current_grades`), then how the grades' predicted and
observed serious rates compare out of time; the model choice's rule is given
in the report's language (:mod:`..rule_words`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from features.codes import GRADES
from riskmodel.figures import calibration_figure, grade_distribution_figure, lift_figure, migration_figure, psi_figure

from ..cells import _num, _pct, _with_ci
from ..current_grades import CurrentGrades
from ..document import _Doc
from ..figures import _Figures
from ..inputs import TRAINING_FILES, _read_csv, _read_json
from ..rule_words import duplicate_note, rule_in
from ..text import code_name


@dataclass
class _Run:
    """The training run folder and its tables, with the figure writer and the language of the report."""

    folder: Path
    tables: dict[str, pd.DataFrame]
    figs: _Figures
    lang: str
    t: dict[str, str]

    def figure(self, doc: _Doc, table: str, name: str, draw: Callable[[pd.DataFrame], Figure], alt: str) -> None:
        """Redraw a figure from its table in the report's language; else copy the run's PNG."""
        if table in self.tables:
            doc.image(self.figs.save(draw(self.tables[table]), name), alt)
        elif (self.folder / f"{name}.png").is_file():
            doc.image(self.figs.copy(self.folder / f"{name}.png", name), alt)
        else:
            doc.para(self.t["missing"].format(what=f"{table}.csv / {name}.png"))

    def model_name(self, model: str) -> str:
        return code_name("model", model, self.lang)


def read_training(training: Path) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The run's record (``run.json``, ``{}`` when absent) and the tables of :data:`TRAINING_FILES` it holds."""
    record = _read_json(training / "run.json", "training_dir")
    tables = {
        n: _read_csv(training / f"{n}.csv", "training_dir") for n in TRAINING_FILES if (training / f"{n}.csv").is_file()
    }
    return record, tables


def _training_section(
    doc: _Doc,
    figs: _Figures,
    training: Path,
    lang: str,
    t: dict[str, str],
    labels: dict[str, str],
    current: CurrentGrades | None = None,
) -> dict[str, Any]:
    """Add the training run's sections to ``doc``; return the run's config (its ``as_of`` titles the report)."""
    record, tables = read_training(training)
    config, outputs = record.get("config", {}), record.get("outputs", {})
    run = _Run(training, tables, figs, lang, t)
    _model(doc, run, config, outputs)
    _performance(doc, run)
    _grades(doc, run, current)
    _stability(doc, run, labels)
    _migration(doc, run)
    return config


def _model(doc: _Doc, run: _Run, config: dict[str, Any], outputs: dict[str, Any]) -> None:
    """MLflow run, model proposed, promotion decision, training rows and rate, start of the evaluation window."""
    t = run.t
    promotion = outputs.get("decision") or outputs.get("promotion") or {}  # "promotion": runs before the model choice
    doc.heading(2, t["model_head"])
    items = []
    if outputs.get("run_id"):
        items.append(f"{t['run_id']}{t['sep']}`{outputs['run_id']}`")
    if config.get("candidate"):
        items.append(f"{t['candidate']}{t['sep']}{run.model_name(config['candidate'])}")
    if promotion:
        verdict = t["promoted"] if promotion.get("promoted") else t["not_promoted"]
        number = promotion.get("champion_version", promotion.get("version"))
        version = (
            (f" ({t['version']} {number})" if run.lang == "en" else f"（{t['version']} {number}）")
            if number is not None
            else ""
        )
        items.append(f"{verdict}{version}")
        items.append(f"{t['promotion']}{t['sep']}{rule_in(run.lang, str(promotion.get('rule', '')))}")
        if duplicate_note(run.lang, promotion):
            items.append(duplicate_note(run.lang, promotion))
    if config.get("rows") is not None:
        items.append(f"{t['rows']}{t['sep']}{int(config['rows']):,}")
    if config.get("weighted_serious_rate") is not None:
        items.append(f"{t['weighted_rate']}{t['sep']}{_pct(config['weighted_serious_rate'])}")
    if config.get("eval_start"):
        items.append(f"{t['eval_start']}{t['sep']}{config['eval_start']}")
    doc.bullets(items)


def _performance(doc: _Doc, run: _Run) -> None:
    """The comparison table of the models and baselines, then the calibration and lift figures."""
    t = run.t
    doc.heading(2, t["performance"])
    doc.para(t["performance_note"])
    if "comparison" in run.tables:
        rows = [
            {
                t["model"]: run.model_name(r.get("model", "")),
                t["auc"]: _with_ci(r, "auc", _num),
                t["brier"]: _with_ci(r, "brier", _num),
                t["captured"]: _with_ci(r, "captured_at_budget", _pct),
                t["lift"]: _with_ci(r, "top_decile_lift", lambda v: _num(v, 2)),
            }
            for r in run.tables["comparison"].to_dict("records")
        ]
        doc.table(pd.DataFrame(rows))
    else:
        doc.para(t["missing"].format(what="comparison.csv"))
    _figure_part(doc, run, "calibration", t["calibration"], t["calibration_note"], calibration_figure)
    _figure_part(doc, run, "lift", t["lift_head"], "", lift_figure)


def _figure_part(doc: _Doc, run: _Run, name: str, heading: str, note: str, draw: Callable[..., Figure]) -> None:
    """A sub-heading, its note if any, and the figure ``draw`` makes from the table ``name``."""
    doc.heading(3, heading)
    if note:
        doc.para(note)
    run.figure(doc, name, name, lambda tb: draw(tb, lang=run.lang), heading)


def _grades(doc: _Doc, run: _Run, current: CurrentGrades | None) -> None:
    """The current grade distribution (figure and table), then each grade's predicted and observed serious rate."""
    t = run.t
    doc.heading(2, t["grades"])
    if current is None:
        doc.para(t["no_current_grades"])
    else:
        doc.para(t["grades_note"].format(total=f"{current.total:,}", source=t[f"grades_from_{current.source}"]))
        shares = current.shares[[g for g in current.counts.index if g in GRADES]]
        doc.image(run.figs.save(grade_distribution_figure(shares, lang=run.lang), "grade_distribution"), t["grades"])
        doc.table(
            pd.DataFrame(
                {
                    t["grade"]: current.counts.index,
                    t["bodies"]: current.counts.map(lambda n: f"{n:,}").to_numpy(),
                    t["share"]: current.shares.map(_pct).to_numpy(),
                }
            )
        )
    if "by_grade" in run.tables:
        bg = run.tables["by_grade"]
        rates = [c for c in ("predicted", "observed") if c in bg]
        if rates:
            doc.heading(3, t["grades_check"])
            doc.para(t["grades_check_note"])
            doc.table(pd.DataFrame({t["grade"]: bg["grade"], **{t[c]: bg[c].map(_pct) for c in rates}}))


def _stability(doc: _Doc, run: _Run, labels: dict[str, str]) -> None:
    """The PSI figure and the features in the watch and shift bands (named by ``labels``)."""
    t = run.t
    doc.heading(2, t["stability"])
    doc.para(t["psi_note"])
    run.figure(doc, "psi", "psi", lambda tb: psi_figure(tb, lang=run.lang), "PSI")
    if "psi" not in run.tables:
        return
    psi = run.tables["psi"]
    flagged = psi[psi["band"].isin(["watch", "shift"])].sort_values("psi", ascending=False)
    if flagged.empty:
        doc.para(t["psi_none"])
        return
    doc.para(t["psi_flagged"] + (":" if run.lang == "en" else "："))
    doc.table(
        pd.DataFrame(
            {
                t["feature"]: flagged["column"].map(lambda c: labels.get(c, t["score"] if c == "score" else c)),
                "PSI": flagged["psi"].map(_num),
                t["band"]: flagged["band"].map(lambda b: code_name("band", b, run.lang)),
            }
        )
    )


def _migration_counts(table: pd.DataFrame) -> pd.DataFrame:
    """The migration table with its first column (the previous grade) as a text index."""
    counts = table.set_index(table.columns[0])
    counts.index = counts.index.astype(str)
    return counts


def _migration(doc: _Doc, run: _Run) -> None:
    """The grade migration figure and the share of bodies that kept their grade."""
    t = run.t
    doc.heading(3, t["migration"])
    run.figure(
        doc, "migration", "migration", lambda tb: migration_figure(_migration_counts(tb), lang=run.lang), t["migration"]
    )
    if "migration" in run.tables:
        counts = _migration_counts(run.tables["migration"])
        both = counts.reindex(index=list(GRADES), columns=list(GRADES)).fillna(0).to_numpy(float)
        if both.sum() > 0:
            doc.para(t["stayed"].format(share=_pct(np.trace(both) / both.sum())))
