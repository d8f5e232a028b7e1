"""The files of a monitor output folder, in English or Chinese (``certrisk monitor``).

- ``warnings.csv`` / ``.xlsx``: one row per body warned now or the quarter
  before: level, status against the previous quarter, reasons in words, the
  model's probability and its change, the recommended response and deadline,
  overdue, the last disposition. **Internal**: it holds the model's probability.
- ``warning_counts.csv``: raised warnings by province and level, with totals.

Every list keeps the province code (``province``) and names the province
beside it in the list's language (``province_name``,
:func:`features.codes.province_name`).
- ``special_<list>.csv``: the special-check lists (unreachable bodies, bodies
  under alerts, bodies in high-risk fields; ``special_auditors.csv``, the
  high-risk auditors with their reasons and the bodies they audit for, when
  the data have audits: internal only, auditors are people).
- ``monitor.json``: the run record and the state the next quarter reads back.

Every text cell is neutralised for spreadsheets (:mod:`features.cells`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import province_name

from .catalogue import say, words
from .monitor_job import MONITOR_RECORD, Monitor, state_record

COUNT_LEVELS = ("blue", "yellow", "orange", "red")


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    if lang != "zh":
        return frame
    from supervision.judgement import LEVEL_NAMES

    headers = {k.removeprefix("header_"): v for k, v in words("zh", "monitor").items() if k.startswith("header_")}
    names = {**headers, **{k: v for k, v in LEVEL_NAMES["zh"].items() if k}}
    return frame.rename(columns=lambda c: names.get(c, c))


def _named(codes: pd.Series, lang: str) -> pd.Series:
    """The province names of ``codes`` in ``lang`` (an unknown code as written, a missing one empty)."""
    return codes.map(lambda code: province_name(code, lang))


def _yes_no(flag: bool, lang: str) -> str:
    return say(lang, "monitor.yes" if flag else "monitor.no")


def warnings_table(monitor: Monitor, bodies: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The warnings list in words of ``lang`` (codes kept in ``warning_id`` and ``body_id``), most severe first."""
    from supervision.cycle import STATUS_NAMES
    from supervision.handling import RESPONSE_NAMES
    from supervision.judgement import LEVEL_NAMES, level_rank, risk_point_words

    w = monitor.warnings.merge(monitor.judged.drop(columns=["level"]), on="body_id", how="left")
    w = w.merge(bodies[["body_id", "name", "province"]], on="body_id", how="left")
    w = w.merge(_last_dispositions(monitor.dispositions), on="warning_id", how="left")
    order = w["level"].map(level_rank) * 10 - w["status"].map({"cleared": 2, "handled": 1}).fillna(0)
    w = w.assign(_order=-order).sort_values(["_order", "points", "body_id"], ascending=[True, False, True])
    table = pd.DataFrame(
        {
            "warning_id": w["warning_id"],
            "body_id": w["body_id"],
            "name": w["name"],
            "province": w["province"],
            "province_name": _named(w["province"], lang),
            "level": w["level"].map(LEVEL_NAMES[lang]),
            "status": w["status"].map(STATUS_NAMES[lang]),
            "points": w["points"].fillna(0).astype(int),
            "risk_points": w["risk_points"].fillna("").map(lambda s: risk_point_words(s, lang)),
            "reasons": w["reasons"].fillna(""),
            "p_serious": w["p_serious"].round(4),
            "p_change": w["p_change"].round(4),
            "response": w["response"].map(RESPONSE_NAMES[lang]),
            "raised_on": pd.to_datetime(w["raised_on"]).dt.date,
            "deadline": pd.to_datetime(w["deadline"]).dt.date,
            "overdue": w["overdue"].map(lambda f: _yes_no(bool(f), lang)),
            "last_action": w["action"].fillna("").map(RESPONSE_NAMES[lang] | {"other": say(lang, "monitor.other")}),
            "last_action_on": pd.to_datetime(w["disposed_on"]).dt.date,
            "unit": w["unit"].fillna(""),
            "person": w["person"].fillna(""),
            "closed": w["closed"].map(lambda f: "" if pd.isna(f) else _yes_no(bool(f), lang)),
        }
    )
    return _headers(table.reset_index(drop=True), lang)


def _last_dispositions(dispositions: pd.DataFrame) -> pd.DataFrame:
    """The latest disposition of each warning (dispositions are sorted by date)."""
    columns = ["warning_id", "action", "disposed_on", "unit", "person", "closed"]
    if not len(dispositions):
        return pd.DataFrame(columns=columns)
    return dispositions.drop_duplicates("warning_id", keep="last")[columns]


def count_table(monitor: Monitor, bodies: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Raised warnings (new, escalated, persisting) by province and level, with a total row and column."""
    from supervision.cycle import RAISED

    raised = monitor.warnings[monitor.warnings["status"].isin(RAISED)]
    province = raised["body_id"].map(bodies.set_index("body_id")["province"])
    table = pd.crosstab(province, raised["level"]).reindex(columns=list(COUNT_LEVELS), fill_value=0)
    table.index.name, table.columns.name = "province", None
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    table = table.astype(int).reset_index()
    total = say(lang, "monitor.header_total")
    table.insert(1, "province_name", [total if c == "total" else province_name(c, lang) for c in table["province"]])
    return _headers(table, lang)


def special_table(monitor: Monitor, name: str, bodies: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One special-check list with the bodies' names and provinces."""
    listed = monitor.special[name].merge(bodies[["body_id", "name", "province"]], on="body_id", how="left")
    listed = listed.assign(province_name=_named(listed["province"], lang))
    return _headers(listed[["body_id", "name", "province", "province_name", "reason"]], lang)


def monitor_files(monitor: Monitor) -> list[str]:
    """The names of the files of an output folder."""
    special = [*monitor.special, *(["auditors"] if monitor.auditors is not None else [])]
    return [
        "warnings.csv",
        "warnings.xlsx",
        "warning_counts.csv",
        *[f"special_{n}.csv" for n in special],
        MONITOR_RECORD,
    ]


def summary(monitor: Monitor, bodies: pd.DataFrame) -> dict[str, Any]:
    """The quarter in numbers (``monitor.json``'s ``summary``, read by the report's section): codes, not words."""
    from supervision.cycle import RAISED, STATUSES

    w = monitor.warnings
    raised = w[w["status"].isin(RAISED)]
    province = raised["body_id"].map(bodies.set_index("body_id")["province"]).astype(str)
    by_province = pd.crosstab(province, raised["level"]).reindex(columns=list(COUNT_LEVELS), fill_value=0)
    return {
        "as_of": monitor.as_of.date().isoformat(),
        "previous_as_of": monitor.previous_as_of.date().isoformat() if monitor.previous_as_of is not None else None,
        "rules_version": monitor.rules.version,
        "monitored": len(monitor.judged),
        "raised": len(raised),
        "by_level": {lv: int((raised["level"] == lv).sum()) for lv in COUNT_LEVELS},
        "by_status": {s: int((w["status"] == s).sum()) for s in STATUSES},
        "overdue": int(w["overdue"].sum()),
        "responses": {r: int(n) for r, n in raised["response"].value_counts().items()},
        "risk_points": {
            p: int(n)
            for p, n in raised["body_id"]
            .map(monitor.judged.set_index("body_id")["risk_points"])
            .str.split(";")
            .explode()
            .value_counts()
            .items()
            if p
        },
        "by_province": {str(k): {lv: int(v) for lv, v in row.items()} for k, row in by_province.iterrows()},
        "special": {name: len(table) for name, table in monitor.special.items()}
        | ({"auditors": len(monitor.auditors)} if monitor.auditors is not None else {}),
    }


def about(monitor: Monitor, lang: str) -> dict[str, str]:
    """The about sheet of the warnings workbook: what it is, as of when, by which rules, and that it is internal."""
    from supervision.catalogue import CATALOGUE_VERSION

    from . import __version__

    previous = monitor.previous_as_of.date().isoformat() if monitor.previous_as_of is not None else ""
    w = words(lang, "monitor")
    return {
        w["about_file"]: w["about_file_value"],
        w["about_as_of"]: monitor.as_of.date().isoformat(),
        w["about_previous"]: previous or w["about_previous_none"],
        w["about_rules"]: f"{monitor.rules.version} (SHA-256 {monitor.rules.sha256})",
        w["about_catalogue"]: CATALOGUE_VERSION,
        w["about_software"]: f"certrisk {__version__}",
        w["about_statement"]: w["about_statement_value"],
    }


def _table_writer(frame: pd.DataFrame) -> Callable[[Path], None]:
    from .tables import write_table

    return lambda path: write_table(frame, path)


def monitor_writers(
    out: Path, monitor: Monitor, bodies: pd.DataFrame, record: dict[str, Any], lang: str = "en"
) -> dict[Path, Callable[[Path], None]]:
    """The writer of every file of the folder ``out``, for one atomic write.

    The CSV files hold one list each (text cells neutralised); ``warnings.xlsx``
    holds every list on its own sheet, with an about sheet.
    """
    from features.cells import safe_table

    from .runinfo import write_json
    from .xlsx import Sheet, write_workbook

    lists = {"warnings": warnings_table(monitor, bodies, lang), "warning_counts": count_table(monitor, bodies, lang)}
    for name in monitor.special:
        lists[f"special_{name}"] = special_table(monitor, name, bodies, lang)
    if monitor.auditors is not None:
        lists["special_auditors"] = monitor.auditors
    writers: dict[Path, Callable[[Path], None]] = {
        out / f"{name}.csv": _table_writer(safe_table(frame)) for name, frame in lists.items()
    }
    sheets = [Sheet(name[:31], frame) for name, frame in lists.items()]
    writers[out / "warnings.xlsx"] = lambda path: write_workbook(path, sheets, about(monitor, lang))
    full = {**record, "summary": summary(monitor, bodies), "state": state_record(monitor)}
    writers[out / MONITOR_RECORD] = lambda path: write_json(path, full)
    return writers
