"""The figures of a profile page, as data URIs: one small plot per feature and the timeline.

Both are SVG drawn by Jinja2 templates (``strip.svg.j2``, ``timeline.svg.j2``):
vector figures that print sharply, whose words the reader's browser draws in
any language (no font of this machine is needed), and that cost
milliseconds, so pages for a whole draw are quick.

A feature's small plot is the histogram of that feature over every body of
the feature table, with the median dashed and the body's value marked; the
histogram is computed once per feature (:class:`PeerDistributions`) and only
the mark changes from body to body. The timeline has one lane for the
inspections (coloured by outcome) and one per kind of signal (sized by
severity), and the as-of date as a dashed line.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment

from features.codes import GRADE_COLORS, OUTCOMES, SIGNAL_KINDS
from features.dictionary import FEATURES, FeatureSpec
from features.panorama import format_value

from ..catalogue import words as catalogue_words
from .texts import code_label

__all__ = ["Distribution", "PeerDistributions", "data_uri", "strip_svg", "timeline_svg"]

WIDTH, HEIGHT, PAD, AXIS = 220, 40, 4, 11  # pixels of a small plot: the bars above, the axis labels below
MAX_BINS = 24
ABNORMAL_COLOR, BODY_COLOR, BAR_COLOR, MEDIAN_COLOR = GRADE_COLORS["D"], "#1f4e79", "#c5cfdb", "#555555"
OUTCOME_COLORS = dict(zip(OUTCOMES, ("#4c9f70", "#f2a541", "#e07b39", GRADE_COLORS["D"])))
SIGNAL_COLOR = "#6a4c93"


def data_uri(content: bytes, mime: str) -> str:
    """``content`` as a ``data:`` URI (base64), so a page needs no file beside it.

    >>> data_uri(b"<svg/>", "image/svg+xml")
    'data:image/svg+xml;base64,PHN2Zy8+'
    """
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


@dataclass(frozen=True)
class Distribution:
    """The histogram of one feature over all bodies: bin edges, counts, smallest and largest value, median."""

    edges: np.ndarray
    counts: np.ndarray
    minimum: float
    maximum: float
    median: float


def _edges(values: np.ndarray, spec: FeatureSpec) -> np.ndarray:
    """Bin edges: a bin per answer of a flag and per value of a count with few values, else equal bins."""
    low, high = float(values.min()), float(values.max())
    if spec.kind == "flag":  # always both answers, so "every body: no" reads as such
        return np.array([-0.5, 0.5, 1.5])
    if high <= low:
        return np.array([low - 0.5, low + 0.5])
    if spec.kind == "count" and high - low < MAX_BINS:
        return np.arange(np.floor(low), np.ceil(high) + 2.0) - 0.5
    return np.linspace(low, high, MAX_BINS + 1)


class PeerDistributions:
    """The distribution of every feature over the bodies of one feature table, computed once."""

    def __init__(self, features: pd.DataFrame) -> None:
        self.n = len(features)
        self._by_name: dict[str, Distribution] = {}
        for spec in FEATURES:
            values = features[spec.name].to_numpy(dtype=float)
            edges = _edges(values, spec)
            counts, _ = np.histogram(values, bins=edges)
            self._by_name[spec.name] = Distribution(
                edges, counts, float(values.min()), float(values.max()), float(np.median(values))
            )

    def __getitem__(self, name: str) -> Distribution:
        return self._by_name[name]


def _x(value: float, dist: Distribution) -> float:
    """Where ``value`` falls on the plot, in pixels (the bins span the plot's width)."""
    low, high = float(dist.edges[0]), float(dist.edges[-1])
    return PAD + (WIDTH - 2 * PAD) * (value - low) / (high - low)


def strip_svg(env: Environment, dist: Distribution, spec: FeatureSpec, value: float, abnormal: bool, lang: str) -> str:
    """The small plot of one feature for one body, as an SVG data URI."""
    top = max(int(dist.counts.max()), 1)
    bars = []
    plot_height = HEIGHT - AXIS - PAD
    for left, right, count in zip(dist.edges[:-1], dist.edges[1:], dist.counts):
        h = plot_height * count / top
        x0, x1 = _x(float(left), dist), _x(float(right), dist)
        bars.append({"x": x0 + 0.3, "w": max(x1 - x0 - 0.6, 0.6), "y": PAD + plot_height - h, "h": h})
    svg = env.get_template("strip.svg.j2").render(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        bar_color=BAR_COLOR,
        median_x=_x(dist.median, dist),
        median_color=MEDIAN_COLOR,
        body_x=_x(value, dist),
        body_color=ABNORMAL_COLOR if abnormal else BODY_COLOR,
        top=PAD,
        base=PAD + plot_height,
        low_label=format_value(0.0 if spec.kind == "flag" else dist.minimum, spec, lang),
        high_label=format_value(1.0 if spec.kind == "flag" else dist.maximum, spec, lang),
        label_y=HEIGHT - 1,
    )
    return data_uri(svg.encode("utf-8"), "image/svg+xml")


TIMELINE_WIDTH, LANE_HEIGHT, LEFT, RIGHT_PAD, TOP = 900, 28, 190, 24, 30


def _text_width(text: str, size: float = 11) -> float:
    """About how wide ``text`` is drawn, in pixels (CJK characters count double)."""
    return sum(size if ord(c) > 0x2E7F else 0.58 * size for c in text)


def _lanes(events: pd.DataFrame, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Inspections first, then one lane per signal kind that occurs (in the contract's order)."""
    lanes = [(catalogue_words(lang, "profile")["inspections_lane"], events[events["record"] == "inspection"])]
    signals = events[events["record"] == "signal"]
    for kind in sorted(signals["kind"].unique(), key=lambda k: (SIGNAL_KINDS.index(k) if k in SIGNAL_KINDS else 99, k)):
        lanes.append((code_label("signal_kind", kind, lang), signals[signals["kind"] == kind]))
    return [(name, rows) for name, rows in lanes if len(rows)]


def _ticks(start: pd.Timestamp, end: pd.Timestamp, x: Any) -> list[dict[str, Any]]:
    """A tick on the first of January of each year in the range (every second or fifth year over long spans)."""
    years = list(range(start.year + 1, end.year + 1))
    step = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    return [{"x": x(pd.Timestamp(year=y, month=1, day=1)), "label": str(y)} for y in years if y % step == 0]


def _dot(row: pd.Series, x: float, lang: str) -> dict[str, Any]:
    day = pd.Timestamp(row["date"]).date().isoformat()
    if row["record"] == "inspection":
        color = OUTCOME_COLORS.get(str(row["code"]), MEDIAN_COLOR)
        title = (
            f"{day} {code_label('inspection_kind', row['kind'], lang)}: {code_label('outcome', str(row['code']), lang)}"
        )
        return {"x": x, "r": 7, "color": color, "title": title}
    severity = int(row["code"])
    title = f"{day} {code_label('signal_kind', row['kind'], lang)}: {catalogue_words(lang, 'profile')['severity'].format(severity=severity)}"
    return {"x": x, "r": 3 + 1.5 * severity, "color": SIGNAL_COLOR, "title": title}


def _legend(lang: str, y: float) -> list[dict[str, Any]]:
    items, x = [], float(LEFT)
    entries = [(OUTCOME_COLORS[o], 6.0, code_label("outcome", o, lang)) for o in OUTCOMES]
    entries.append((SIGNAL_COLOR, 5.0, catalogue_words(lang, "profile")["signal_legend"]))
    for color, r, label in entries:
        items.append({"x": x, "r": r, "color": color, "label": label})
        x += 10 + _text_width(label) + 24
    return items


def timeline_svg(env: Environment, events: pd.DataFrame, as_of: pd.Timestamp, lang: str) -> str:
    """The timeline of a body's inspections and signals as an SVG data URI.

    ``events`` has the columns ``date``, ``record`` (inspection or signal),
    ``kind`` and ``code`` (the outcome of an inspection, the severity of a
    signal), as :func:`certrisk.profile_page.content.events_before` gives
    them. Inspections are coloured by outcome, signals sized by severity, one
    lane per kind; the as-of date is the dashed line on the right.
    """
    lanes = _lanes(events, lang)
    dates = pd.to_datetime(events["date"])
    start = min(dates.min(), as_of - pd.DateOffset(years=1)) - pd.Timedelta(days=60)
    end = as_of + pd.Timedelta(days=30)
    right = TIMELINE_WIDTH - RIGHT_PAD
    span = (end - start).total_seconds()
    x = lambda day: LEFT + (right - LEFT) * (pd.Timestamp(day) - start).total_seconds() / span  # noqa: E731
    rows = []
    for i, (label, frame) in enumerate(lanes):
        y = TOP + LANE_HEIGHT * i + LANE_HEIGHT / 2
        rows.append({"y": y, "label": label, "dots": [_dot(r, x(r["date"]), lang) for _, r in frame.iterrows()]})
    axis_y = TOP + LANE_HEIGHT * len(lanes) + 4
    height = axis_y + 50
    svg = env.get_template("timeline.svg.j2").render(
        width=TIMELINE_WIDTH,
        height=height,
        left=LEFT,
        right=right,
        top=TOP,
        axis_y=axis_y,
        ticks=_ticks(start, end, x),
        lanes=rows,
        as_of_x=x(as_of),
        as_of_label=catalogue_words(lang, "profile")["as_of_line"],
        legend=_legend(lang, axis_y + 36),
        legend_y=axis_y + 36,
    )
    return data_uri(svg.encode("utf-8"), "image/svg+xml")
