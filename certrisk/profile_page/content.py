"""What a profile page says about one body: its facts, its features beside the peers, its timeline, its grade.

Everything here is data for the templates (no markup): words in the page's
language, values formatted for a reader. The timeline and the features use
the same records, those dated strictly before the as-of date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from features.codes import province_name
from features.panorama import panoramic_profile
from features.rules import body_status
from features.tables import Tables

from ..catalogue import words as catalogue_words
from .texts import code_label, family_label, override_label

__all__ = [
    "BodyProfile",
    "Event",
    "FeatureRow",
    "GradeView",
    "body_facts",
    "events_before",
    "grade_view",
    "profile_rows",
    "timeline_rows",
]


@dataclass(frozen=True)
class FeatureRow:
    """One feature of one body: its words and numbers, and whether it is abnormal."""

    feature: str
    family: str
    label: str
    value: str
    peer_median: str
    percentile: float
    abnormal: bool
    note: str


@dataclass(frozen=True)
class Event:
    """One inspection or signal of the timeline, in words."""

    date: str
    record: str
    kind: str
    result: str
    details: str
    css: str  # the outcome of an inspection or the severity of a signal, for the row's colour


@dataclass(frozen=True)
class GradeView:
    """The grade section: whether grades were given, and if this body has one, its grade and reasons."""

    given: bool
    graded: bool = False
    grade: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class BodyProfile:
    """Everything one page shows."""

    body_id: str
    name: str
    facts: list[tuple[str, str]]
    features: list[FeatureRow]
    events: list[Event]
    n_inspections: int
    n_signals: int
    grade: GradeView
    strips: dict[str, str]  # feature -> the small plot's data URI
    timeline: str  # the timeline figure's data URI; empty without events


def _province(code: str, lang: str) -> str:
    """The province by its name in ``lang``, with its code in English ("Shandong (37)", "山东"); unknown: the code."""
    name = province_name(code, lang)
    return f"{name} ({code})" if name != code and lang == "en" else name


def body_facts(
    bodies: pd.DataFrame, features_row: pd.Series, body_id: str, as_of: pd.Timestamp, lang: str
) -> list[tuple[str, str]]:
    """The body's registry facts on the as-of date, as (label, value) pairs."""
    words = catalogue_words(lang, "profile")
    row = bodies[bodies["body_id"] == body_id].iloc[0]
    status = body_status(bodies[bodies["body_id"] == body_id], as_of).iloc[0]
    yes_no = lambda flag: words["yes" if bool(flag) else "no"]  # noqa: E731
    certs = float(np.expm1(features_row["log_valid_certs"]))
    return [
        (words["body_id"], body_id),
        (words["name"], str(row["name"])),
        (words["province"], _province(str(row["province"]), lang)),
        (words["status"], code_label("status", str(status), lang)),
        (words["approved_on"], pd.Timestamp(row["approved_on"]).date().isoformat()),
        (words["fields"], str(row["fields"]).replace(";", ", " if lang == "en" else "、")),
        (words["ccc"], yes_no(row["ccc_designated"])),
        (words["accredited"], yes_no(row["accredited"])),
        (words["valid_certs"], f"{certs:,.0f}"),
    ]


def profile_rows(features: pd.DataFrame, body_id: str, lang: str) -> list[FeatureRow]:
    """Every feature of the body beside its peers, abnormal ones first (:func:`features.panorama.panoramic_profile`)."""
    view = panoramic_profile(features, body_id, lang=lang)
    return [
        FeatureRow(
            feature=str(r.feature),
            family=family_label(str(r.family), lang),
            label=str(r.label),
            value=str(r.value),
            peer_median=str(r.peer_median),
            percentile=float(r.percentile),
            abnormal=bool(r.abnormal),
            note=str(r.note),
        )
        for r in view.itertuples(index=False)
    ]


def _text(value: object) -> str:
    """A cell as text; empty for a missing value."""
    return "" if value is None or pd.isna(value) else str(value)


def _inspection(row: pd.Series, lang: str) -> Event:
    words = catalogue_words(lang, "profile")
    parts = [
        words["findings"].format(
            findings=row["findings"], checked=row["certs_checked"], problems=row["certs_with_problems"]
        )
    ]
    if _text(row.get("draw_id")):
        pi = row.get("inclusion_prob")
        parts.append(words["drawn_in"].format(draw_id=row["draw_id"], pi="" if pd.isna(pi) else f"{float(pi):.3g}"))
    if _text(row.get("decision")):
        parts.append(words["decision"].format(decision=row["decision"]))
    if _text(row.get("entered_by")):
        parts.append(words["entered_by"].format(who=row["entered_by"]))
    sep = "; " if lang == "en" else "；"
    return Event(
        date=pd.Timestamp(row["inspected_on"]).date().isoformat(),
        record=f"{words['inspection']} {row['inspection_id']}",
        kind=code_label("inspection_kind", str(row["kind"]), lang),
        result=code_label("outcome", str(row["outcome"]), lang),
        details=sep.join(parts),
        css=f"inspection outcome-{row['outcome']}",
    )


def _signal(row: pd.Series, lang: str) -> Event:
    words = catalogue_words(lang, "profile")
    return Event(
        date=pd.Timestamp(row["observed_on"]).date().isoformat(),
        record=f"{words['signal']} {row['signal_id']}",
        kind=code_label("signal_kind", str(row["kind"]), lang),
        result=words["severity"].format(severity=row["severity"]),
        details="",
        css=f"signal severity-{row['severity']}",
    )


def events_before(tables: Tables, body_id: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The body's inspections and signals dated before ``as_of``, newest first, one row each.

    Columns: ``date``, ``record`` (inspection or signal), ``kind``, ``code``
    (outcome or severity) and ``row`` (the record as read).
    """
    sources = [
        ("inspection", "inspections", "inspected_on", "outcome"),
        ("signal", "signals", "observed_on", "severity"),
    ]
    rows = []
    for record, table, date, code in sources:
        frame = tables.get(table)
        if frame is None:  # signals are optional in the data contract
            continue
        mine = frame[(frame["body_id"] == body_id) & (frame[date] < as_of)]
        rows += [
            {"date": pd.Timestamp(r[date]), "record": record, "kind": str(r["kind"]), "code": r[code], "row": r}
            for r in mine.to_dict("records")
        ]
    events = pd.DataFrame(rows, columns=["date", "record", "kind", "code", "row"])
    return events.sort_values(["date", "record"], ascending=[False, True], kind="stable").reset_index(drop=True)


def timeline_rows(events: pd.DataFrame, lang: str) -> list[Event]:
    """The events in words, in the order given."""
    return [
        _inspection(pd.Series(r), lang) if record == "inspection" else _signal(pd.Series(r), lang)
        for record, r in zip(events["record"], events["row"])
    ]


def _overrides(text: str, lang: str) -> str:
    words = catalogue_words(lang, "profile")
    rules = [r for r in text.split(";") if r]
    if not rules:
        return words["no_override"]
    return ("; " if lang == "en" else "；").join(override_label(r, lang) for r in rules)


def grade_view(grades: pd.DataFrame | None, body_id: str, as_of: pd.Timestamp, lang: str) -> GradeView:
    """The grade section from a grades file (None: no grade was given)."""
    if grades is None:
        return GradeView(given=False)
    match = grades[grades["body_id"] == body_id]
    if match.empty:
        return GradeView(given=True)
    row, words = match.iloc[0], catalogue_words(lang, "profile")
    rows = [(words["final_grade"], str(row["grade"]))]
    for column, key in (("model_grade", "model_grade"), ("override", "overrides")):
        if column in row.index and (column == "override" or _text(row[column])):
            rows.append(
                (words[key], _overrides(_text(row[column]), lang) if column == "override" else _text(row[column]))
            )
    if "p_serious" in row.index and _text(row["p_serious"]):
        rows.append((words["p_serious"], f"{float(row['p_serious']):.1%}"))
    if "score" in row.index and _text(row["score"]):
        rows.append((words["score"], f"{float(row['score']):.1f}"))
    if "model_version" in row.index and _text(row["model_version"]):
        rows.append((words["model_version"], _text(row["model_version"])))
    reasons = [r.strip() for r in re.split(r"；|; ", _text(row.get("reasons"))) if r.strip()]
    note = ""
    if "as_of" in row.index and _text(row["as_of"]) and pd.Timestamp(row["as_of"]) != as_of:
        note = words["graded_as_of"].format(graded=pd.Timestamp(row["as_of"]).date(), as_of=as_of.date())
    return GradeView(given=True, graded=True, grade=str(row["grade"]), rows=rows, reasons=reasons, note=note)
