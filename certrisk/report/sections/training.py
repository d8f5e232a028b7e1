"""The training section: summary, model performance, calibration, lift, grades, stability and grade migration.

Built from a training run folder (``run.json`` and its tables). Each figure is
redrawn from its table in the report's language with :mod:`riskmodel.figures`;
when the table is missing the run's own PNG is copied, and when both are
missing the report says so.
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
from ..document import _Doc
from ..figures import _Figures
from ..inputs import TRAINING_FILES, _read_csv, _read_json
from ..text import BANDS_ZH, MODELS_ZH


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
        return MODELS_ZH.get(model, model) if self.lang == "zh" else model


def _training_section(
    doc: _Doc, figs: _Figures, training: Path, lang: str, t: dict[str, str], labels: dict[str, str]
) -> dict[str, Any]:
    """Add the training run's sections to ``doc``; return the run's config (its ``as_of`` titles the report)."""
    record = _read_json(training / "run.json", "training_dir")
    config, outputs = record.get("config", {}), record.get("outputs", {})
    tables = {
        n: _read_csv(training / f"{n}.csv", "training_dir") for n in TRAINING_FILES if (training / f"{n}.csv").is_file()
    }
    run = _Run(training, tables, figs, lang, t)
    _summary(doc, run, config, outputs)
    _performance(doc, run)
    _grades(doc, run)
    _stability(doc, run, labels)
    _migration(doc, run)
    return config


def _summary(doc: _Doc, run: _Run, config: dict[str, Any], outputs: dict[str, Any]) -> None:
    """MLflow run, model proposed, promotion decision, training rows and rate, start of the evaluation window."""
    t = run.t
    promotion = outputs.get("decision") or outputs.get("promotion") or {}  # "promotion": runs before the model choice
    doc.heading(2, t["summary"])
    items = []
    if outputs.get("run_id"):
        items.append(f"{t['run_id']}{t['sep']}`{outputs['run_id']}`")
    if config.get("candidate"):
        items.append(f"{t['candidate']}{t['sep']}{run.model_name(config['candidate'])}")
    if promotion:
        verdict = t["promoted"] if promotion.get("promoted") else t["not_promoted"]
        number = promotion.get("champion_version", promotion.get("version"))
        version = f" ({t['version']} {number})" if number is not None else ""
        items.append(f"{verdict}{version}; {t['promotion']}{t['sep']}{promotion.get('rule', '')}")
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


def _grades(doc: _Doc, run: _Run) -> None:
    """The grade distribution figure and the share, predicted and observed rate per grade."""
    t = run.t
    doc.heading(2, t["grades"])
    doc.para(t["grades_note"])
    run.figure(
        doc, "by_grade", "grade_distribution", lambda tb: grade_distribution_figure(tb, lang=run.lang), t["grades"]
    )
    if "by_grade" in run.tables:
        bg = run.tables["by_grade"]
        doc.table(
            pd.DataFrame(
                {
                    t["grade"]: bg["grade"],
                    t["share"]: bg["share"].map(_pct),
                    **({t["predicted"]: bg["predicted"].map(_pct)} if "predicted" in bg else {}),
                    **({t["observed"]: bg["observed"].map(_pct)} if "observed" in bg else {}),
                }
            )
        )


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
    doc.para(t["psi_flagged"] + ":")
    doc.table(
        pd.DataFrame(
            {
                t["feature"]: flagged["column"].map(lambda c: labels.get(c, c)),
                "PSI": flagged["psi"].map(_num),
                t["band"]: flagged["band"].map(lambda b: BANDS_ZH.get(b, b) if run.lang == "zh" else b),
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
