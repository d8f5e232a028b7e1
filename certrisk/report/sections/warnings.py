"""The section on risk monitoring and early warning (风险监测预警), from a monitor output folder.

Built from ``monitor.json``'s ``summary`` (``certrisk monitor``): the
warnings raised by level and against the previous quarter, the overdue ones,
the recommended responses of the 三书一函 ladder, the risk points behind the
warnings, the provinces and the special-check lists. Only counts: no body is
named, so the section can go wherever the report goes.

Every word in both languages, in the catalogue (:mod:`certrisk.catalogue.warnings`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import province_name

from ...catalogue import words
from ...errors import KeyedError
from ..document import _Doc

LEVELS = ("red", "orange", "yellow", "blue")


def read_monitor_summary(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``summary`` of a monitor output folder; a ValueError naming ``monitor`` when it is not one."""
    path = Path(folder) / "monitor.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))["summary"]
        summary["by_level"], summary["by_status"]  # noqa: B018 - the keys the section needs
    except (OSError, ValueError, KeyError, TypeError):
        raise KeyedError("report_errors.monitor", name="monitor", got=str(folder)) from None
    return dict(summary)


def _warnings_section(doc: _Doc, summary: dict[str, Any], lang: str) -> None:
    """Add the section: the counts by level and status, responses, risk points, provinces, special checks."""
    from supervision.catalogue import RISK_POINTS
    from supervision.handling import RESPONSE_NAMES

    w = words(lang, "warnings")
    doc.heading(2, w["heading"])
    doc.para(w["note"].format(rules=summary.get("rules_version", "")))
    doc.para(w["as_of"].format(as_of=summary["as_of"], previous=summary.get("previous_as_of") or w["none"]))
    doc.para(w["raised"].format(**{k: summary.get(k, 0) for k in ("raised", "monitored", "overdue")}))
    doc.table(
        pd.DataFrame(
            {
                w["level"]: [w[f"level_{lv}"] for lv in LEVELS],
                w["count"]: [str(summary["by_level"].get(lv, 0)) for lv in LEVELS],
            }
        )
    )
    statuses = summary["by_status"]
    doc.table(
        pd.DataFrame(
            {w["status"]: [w[f"status_{s}"] for s in statuses], w["count"]: [str(n) for n in statuses.values()]}
        )
    )
    if summary.get("responses"):
        doc.heading(3, w["responses_heading"])
        names = RESPONSE_NAMES[lang]
        doc.table(
            pd.DataFrame(
                {
                    w["response"]: [names.get(r, r) for r in summary["responses"]],
                    w["count"]: [str(n) for n in summary["responses"].values()],
                }
            )
        )
    if summary.get("risk_points"):
        doc.heading(3, w["points_heading"])
        label = lambda p: RISK_POINTS[p].label_zh if lang == "zh" else RISK_POINTS[p].label_en  # noqa: E731
        doc.table(
            pd.DataFrame(
                {
                    w["risk_point"]: [label(p) for p in summary["risk_points"]],
                    w["count"]: [str(n) for n in summary["risk_points"].values()],
                }
            )
        )
    if summary.get("by_province"):
        doc.heading(3, w["provinces_heading"])
        doc.table(_province_rows(summary["by_province"], w, lang))
    if summary.get("special"):
        doc.heading(3, w["special_heading"])
        doc.table(
            pd.DataFrame(
                {
                    w["list"]: [w.get(f"special_{n}", n) for n in summary["special"]],
                    w["entries"]: [str(n) for n in summary["special"].values()],
                }
            )
        )


def _province_rows(by_province: dict[str, dict[str, int]], w: dict[str, Any], lang: str) -> pd.DataFrame:
    """Per province (by its name, in code order): the warnings raised at each level and their total."""
    rows = []
    for province, counts in sorted(by_province.items()):
        row = {w["province"]: province_name(province, lang)} | {
            w[f"level_{lv}"]: str(counts.get(lv, 0)) for lv in LEVELS
        }
        rows.append(row | {w["total"]: str(sum(counts.values()))})
    return pd.DataFrame(rows)
