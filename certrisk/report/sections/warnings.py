"""The section on risk monitoring and early warning (风险监测预警), from a monitor output folder.

Built from ``monitor.json``'s ``summary`` (``certrisk monitor``): the
warnings raised by level and against the previous quarter, the overdue ones,
the recommended responses of the 三书一函 ladder, the risk points behind the
warnings, the provinces and the special-check lists. Only counts: no body is
named, so the section can go wherever the report goes.

>>> set(WORDS["en"]) == set(WORDS["zh"])
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import province_name

from ...errors import KeyedError
from ..document import _Doc

LEVELS = ("red", "orange", "yellow", "blue")
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "heading": "Risk monitoring and early warning (风险监测预警)",
        "source": "monitor output",
        "note": "Every body is judged against the rules' indicators (thresholds against peers of the same field and "
        "size class, or absolute) and the model's score and its change; the points give a level from blue to red. "
        "A warning is new, escalated, persisting, handled (closed by a disposition and not raised again unless it "
        "escalates) or cleared against the previous quarter. Rules {rules}.",
        "as_of": "As of {as_of}; previous quarter {previous}.",
        "none": "none",
        "raised": "{raised} warnings raised among {monitored} bodies monitored; {overdue} past their deadline "
        "without a closing disposition.",
        "level": "level",
        "status": "against the previous quarter",
        "count": "warnings",
        "levels": {"red": "red", "orange": "orange", "yellow": "yellow", "blue": "blue"},
        "statuses": {
            "new": "new",
            "escalated": "escalated",
            "persisting": "persisting",
            "handled": "handled (not raised)",
            "cleared": "cleared",
        },
        "responses_heading": "Recommended responses (三书一函 and special checks)",
        "response": "response",
        "points_heading": "Risk points behind the warnings",
        "risk_point": "risk point",
        "provinces_heading": "By province",
        "province": "province",
        "total": "total",
        "special_heading": "Special-check lists",
        "special": {
            "unreachable": "unreachable bodies",
            "alerts": "bodies under monitoring alerts",
            "high_risk_fields": "bodies in the high-risk fields of the plan",
            "auditors": "high-risk auditors (internal list)",
        },
        "list": "list",
        "entries": "entries",
    },
    "zh": {
        "heading": "风险监测预警",
        "source": "风险监测输出",
        "note": "按预警规则的各项指标（与同领域、同规模机构比较的百分位阈值，或绝对阈值）以及模型评分及其变化逐一研判机构，"
        "按分值确定蓝、黄、橙、红四级预警。与上一季度相比，预警分为新增、升级、持续、已处置（经处置办结，除非升级不再预警）和解除。规则版本 {rules}。",
        "as_of": "基准日 {as_of}；上一季度 {previous}。",
        "none": "无",
        "raised": "监测机构 {monitored} 家，发出预警 {raised} 条；{overdue} 条已过处置期限且未办结。",
        "level": "预警等级",
        "status": "与上一季度相比",
        "count": "预警数",
        "levels": {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"},
        "statuses": {
            "new": "新增",
            "escalated": "升级",
            "persisting": "持续",
            "handled": "已处置（不再预警）",
            "cleared": "解除",
        },
        "responses_heading": "建议处置措施（三书一函及专项检查）",
        "response": "处置措施",
        "points_heading": "预警涉及的风险点",
        "risk_point": "风险点",
        "provinces_heading": "分省情况",
        "province": "省份",
        "total": "合计",
        "special_heading": "专项检查清单",
        "special": {
            "unreachable": "失联机构",
            "alerts": "风险监测预警机构",
            "high_risk_fields": "高风险领域机构",
            "auditors": "高风险认证审核员（内部清单）",
        },
        "list": "清单",
        "entries": "条目数",
    },
}


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

    w = WORDS[lang]
    doc.heading(2, w["heading"])
    doc.para(w["note"].format(rules=summary.get("rules_version", "")))
    doc.para(w["as_of"].format(as_of=summary["as_of"], previous=summary.get("previous_as_of") or w["none"]))
    doc.para(w["raised"].format(**{k: summary.get(k, 0) for k in ("raised", "monitored", "overdue")}))
    doc.table(
        pd.DataFrame(
            {
                w["level"]: [w["levels"][lv] for lv in LEVELS],
                w["count"]: [str(summary["by_level"].get(lv, 0)) for lv in LEVELS],
            }
        )
    )
    statuses = summary["by_status"]
    doc.table(
        pd.DataFrame(
            {w["status"]: [w["statuses"][s] for s in statuses], w["count"]: [str(n) for n in statuses.values()]}
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
                    w["list"]: [w["special"].get(n, n) for n in summary["special"]],
                    w["entries"]: [str(n) for n in summary["special"].values()],
                }
            )
        )


def _province_rows(by_province: dict[str, dict[str, int]], w: dict[str, Any], lang: str) -> pd.DataFrame:
    """Per province (by its name, in code order): the warnings raised at each level and their total."""
    rows = []
    for province, counts in sorted(by_province.items()):
        row = {w["province"]: province_name(province, lang)} | {
            w["levels"][lv]: str(counts.get(lv, 0)) for lv in LEVELS
        }
        rows.append(row | {w["total"]: str(sum(counts.values()))})
    return pd.DataFrame(rows)
