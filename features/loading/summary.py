"""The short readable summary of a loaded data directory: rows per table,
periods covered and counts per code, in English or Chinese."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import codes
from ..contracts import TABLE_LABELS_ZH
from ..report import format_table

__all__ = ["summarise"]

_PERIOD = {
    "bodies": "approved_on",
    "inspections": "inspected_on",
    "signals": "observed_on",
    "audits": "planned_start",
    "certificates": "issued_on",
}
_TALLIES = (
    ("bodies", "status", "status", codes.BODY_STATUSES, "机构状态"),
    ("inspections", "kind", "inspection_kind", codes.INSPECTION_KINDS, "检查方式"),
    ("inspections", "outcome", "outcome", codes.OUTCOMES, "检查结论"),
    ("signals", "kind", "signal_kind", codes.SIGNAL_KINDS, "信号类型"),
    ("certificates", "status", "cert_status", codes.CERT_STATUSES, "证书状态"),
)


def summarise(tables: dict[str, pd.DataFrame], path: Path, as_of: pd.Timestamp, lang: str = "en") -> str:
    """Rows per table, periods covered and counts per code, as short text.

    Examples
    --------
    >>> from features.loading import empty_table
    >>> frames = {"signals": empty_table("signals")}
    >>> print(summarise(frames, Path("data"), pd.Timestamp("2026-10-01")).splitlines()[0])
    Data directory data (as of 2026-10-01) conforms to the data contract.
    """
    zh = lang == "zh"
    rows = []
    for name, frame in tables.items():
        label = f"{TABLE_LABELS_ZH[name]} {name}" if zh else name
        rows.append((label, f"{len(frame):,}", *_period(frame, name)))
    header = ("表", "行数", "起", "止") if zh else ("table", "rows", "from", "to")
    lines = [
        f"数据目录 {path}（基准日 {as_of:%Y-%m-%d}）符合数据规范。"
        if zh
        else f"Data directory {path} (as of {as_of:%Y-%m-%d}) conforms to the data contract.",
        "",
        *format_table(rows, header),
        "",
    ]
    for name, column, labels, order, label_zh in _TALLIES:
        if name in tables and len(tables[name]):
            what = f"{TABLE_LABELS_ZH[name]}·{label_zh}" if zh else f"{name} by {column}"
            lines.append(f"{what}{'：' if zh else ': '}{_tally(tables[name], column, labels, order, zh)}")
    return "\n".join(lines).rstrip()


def _period(frame: pd.DataFrame, name: str) -> tuple[str, str]:
    column = _PERIOD.get(name)
    if column is None or frame[column].isna().all():
        return "", ""
    return f"{frame[column].min():%Y-%m-%d}", f"{frame[column].max():%Y-%m-%d}"


def _tally(frame: pd.DataFrame, column: str, labels: str, order: tuple[str, ...], zh: bool) -> str:
    counts = frame[column].value_counts()
    words = codes.LABELS_ZH[labels] if zh else {}
    parts = [f"{words.get(code, code)} {int(counts[code]):,}" for code in order if code in counts.index]
    return ("，" if zh else ", ").join(parts)
