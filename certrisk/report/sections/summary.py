"""The summary page, first in the report: what was drawn, what was found, what changed.

- **Drawn** (from the draw folder): bodies drawn out of the frame, by batch,
  with the certainties and the expected number; the certificates to check;
  the inspection teams and the inspectors drawn.
- **Found** (from the estimates): the population's serious rate and the share
  of problem certificates with their 95 % intervals and reliability, and how
  many estimates are unstable or suppressed.
- **Changed** (from the training run, the current grades and the monitor
  folder): the model decision, the current grades, the grade migration, the
  stability of the score, the warnings raised.

A part whose input was not given says so. Every word in both languages, in the catalogue
(:mod:`certrisk.catalogue.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import GRADES

from ...catalogue import words
from ..cells import _num, _pct
from ..current_grades import CurrentGrades
from ..document import _Doc
from ..inputs import _about, _read_csv, _read_json
from ..reliability import flags, note
from ..rule_words import duplicate_note
from ..text import code_name
from .draw import _committed, _normalise_frame, _read_frame


@dataclass(frozen=True)
class SummaryInputs:
    """What the summary reads: the training run (its record and tables), the grades, and the optional inputs."""

    record: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    grades: CurrentGrades | None
    draw: Path | None
    estimates: pd.DataFrame | None
    monitor: dict[str, Any] | None
    shown: dict[str, object]  # the arguments as given, for the messages of a table that cannot be used


def _summary_section(doc: _Doc, inputs: SummaryInputs, lang: str) -> None:
    """Add the summary page: the three parts, each a short list."""
    w = words(lang, "summary")
    with _about("draw_folder", inputs.shown.get("draw_folder")):
        drawn = _drawn(inputs.draw, lang) if inputs.draw is not None else [w["no_draw"]]
    with _about("estimates", inputs.shown.get("estimates")):
        found = _found(inputs.estimates, lang) if inputs.estimates is not None else [w["no_estimates"]]
    with _about("training_dir", inputs.shown.get("training_dir")):
        changed = _changed(inputs, lang)
    doc.open("summary")
    doc.heading(2, w["heading"])
    for heading, items in ((w["drawn"], drawn), (w["found"], found), (w["changed"], changed)):
        doc.heading(3, heading)
        doc.bullets(items)
    doc.close()


# ------------------------------------------------------------------- drawn
def _drawn(folder: Path, lang: str) -> list[str]:
    """The bodies, certificates and teams of the draw, and whether it can be verified."""
    w = words(lang, "summary")
    frame = _normalise_frame(_read_frame(folder))
    manifest = _read_json(folder / "manifest.json", "draw_folder")
    live = frame[frame["in_frame"]]
    drawn = live[live["selected"]]
    batches = drawn.groupby("batch").size()
    sep = ", " if lang == "en" else "，"
    items = [
        w["bodies"].format(
            draw_id=manifest.get("draw_id", folder.name),
            drawn=len(drawn),
            frame=len(live),
            expected=f"{live['pi'].sum():.2f}",
            certain=int(drawn["certain"].sum()),
            batches=sep.join(w["batch"].format(n=n, name=w.get(f"batch_{b}", str(b))) for b, n in batches.items()),
        )
    ]
    if (folder / "certificates.csv").is_file():
        certs = _read_csv(folder / "certificates.csv", "draw_folder")
        items.append(w["certificates"].format(n=len(certs), bodies=certs["body_id"].nunique()))
    if (folder / "teams.csv").is_file():
        teams = _read_csv(folder / "teams.csv", "draw_folder")
        members = teams["inspector_ids"].dropna().astype(str).str.split(";").explode()
        units = teams["units"].dropna().astype(str).str.split(";").explode() if "units" in teams else pd.Series([])
        items.append(w["teams"].format(teams=len(teams), inspectors=members.nunique(), units=units.nunique()))
    committed = _committed(manifest)
    if committed is not None:
        items.append(w["committed"] if committed else w["uncommitted"])
    return items


# ------------------------------------------------------------------- found
def _found(est: pd.DataFrame, lang: str) -> list[str]:
    """The overall serious rate and the problem-certificate share, and how many estimates need caution."""
    w = words(lang, "summary")
    row_flags = flags(est)
    items = []
    for scope, key in (("overall", "overall"), ("certificates", "certs")):
        rows = [k for k in range(len(est)) if est["scope"].iloc[k] == scope and _design_based(est, k)]
        if not rows:
            continue
        k, row = rows[0], est.iloc[rows[0]]
        if row_flags[k].label == "suppressed" or pd.isna(row["estimate"]):
            items.append(w[f"{key}_hidden"].format(note=note(row_flags[k], lang)))
            continue
        items.append(
            w[key].format(
                estimate=_pct(row["estimate"]),
                low=_pct(row.get("ci_low")),
                high=_pct(row.get("ci_high")),
                n=_count(row.get("n")),
                note=note(row_flags[k], lang),
            )
        )
    cautions = sum(f.label != "reliable" for f in row_flags)
    items.append(
        w["cautions"].format(n=cautions, total=len(row_flags))
        if cautions
        else w["no_cautions"].format(total=len(row_flags))
    )
    return items


def _design_based(est: pd.DataFrame, k: int) -> bool:
    """The row is a design-based estimate (not a model-assisted one beside it)."""
    return "estimator" not in est or not str(est["estimator"].iloc[k]).startswith("difference")


def _count(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{int(value):,}"


# ----------------------------------------------------------------- changed
def _changed(inputs: SummaryInputs, lang: str) -> list[str]:
    """The model decision, the current grades, the migration, the stability and the warnings."""
    items = [_model_item(inputs.record, lang)]
    if inputs.grades is not None:
        items.append(_grades_item(inputs.grades, lang))
    if "migration" in inputs.tables:
        items.append(_migration_item(inputs.tables["migration"], lang))
    if "psi" in inputs.tables:
        items.append(_stability_item(inputs.tables["psi"], lang))
    if inputs.monitor is not None:
        items.append(_warnings_item(inputs.monitor, lang))
    return [item for item in items if item]


def _model_name(model: str, lang: str) -> str:
    return code_name("model", model, lang)


def _model_item(record: dict[str, Any], lang: str) -> str:
    w = words(lang, "summary")
    decision = record.get("outputs", {}).get("decision") or {}
    chosen = decision.get("chosen") or record.get("config", {}).get("candidate")
    if not chosen:
        return ""
    version = decision.get("champion_version", decision.get("version", ""))
    text = w["promoted" if decision.get("promoted") else "kept"].format(
        model=_model_name(chosen, lang), version=version
    )
    if decision.get("challenger"):
        text += w["challenger"].format(model=_model_name(decision["challenger"], lang))
    extra = duplicate_note(lang, decision)
    return f"{text} {extra}" if extra and lang == "en" else text + extra


def _grades_item(grades: CurrentGrades, lang: str) -> str:
    sep = ", " if lang == "en" else "，"
    counts = sep.join(f"{g} {n:,}" for g, n in grades.counts.items())
    return words(lang, "summary")["grades"].format(total=f"{grades.total:,}", counts=counts)


def _migration_item(table: pd.DataFrame, lang: str) -> str:
    counts = table.set_index(table.columns[0])
    counts.index = counts.index.astype(str)
    counts = counts.apply(pd.to_numeric, errors="coerce").fillna(0)
    both = counts.reindex(index=list(GRADES), columns=list(GRADES)).fillna(0)
    order = {g: k for k, g in enumerate(GRADES)}
    riskier = sum(both.loc[a, b] for a in GRADES for b in GRADES if order[b] > order[a])
    safer = sum(both.loc[a, b] for a in GRADES for b in GRADES if order[b] < order[a])
    kept, total = sum(both.loc[g, g] for g in GRADES), both.to_numpy().sum()
    new = counts.loc["new", list(GRADES)].sum() if "new" in counts.index else 0
    gone = counts["gone"].sum() if "gone" in counts.columns else 0
    return words(lang, "summary")["migration"].format(
        kept=int(kept),
        both=int(total),
        share=_pct(kept / total) if total else "",
        riskier=int(riskier),
        safer=int(safer),
        new=int(new),
        gone=int(gone),
    )


def _stability_item(psi: pd.DataFrame, lang: str) -> str:
    w = words(lang, "summary")
    score = psi[psi["column"] == "score"]
    features = psi[psi["column"] != "score"]
    if score.empty:
        return ""
    band = str(score["band"].iloc[0])
    return w["stability"].format(
        psi=_num(score["psi"].iloc[0]),
        band=w.get(band, band),
        watch=int((features["band"] == "watch").sum()),
        shift=int((features["band"] == "shift").sum()),
    )


def _warnings_item(summary: dict[str, Any], lang: str) -> str:
    levels, statuses = summary.get("by_level", {}), summary.get("by_status", {})
    return words(lang, "summary")["warnings"].format(
        raised=summary.get("raised", 0),
        monitored=summary.get("monitored", 0),
        overdue=summary.get("overdue", 0),
        **{lv: levels.get(lv, 0) for lv in ("red", "orange", "yellow", "blue")},
        **{s: statuses.get(s, 0) for s in ("new", "escalated", "persisting")},
    )
