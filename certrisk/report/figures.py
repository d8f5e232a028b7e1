"""The report's own figures, and where every figure of the report is kept.

The training run's figures are redrawn with :mod:`riskmodel.figures`; the two
figures only the report has are drawn here: the draw's composition (four
panels) and the population estimates with their intervals (unstable ones
hollow and named so). Chinese labels need a CJK font; without one these
figures fall back to English labels with a warning. :class:`_Figures` keeps
every figure as PNG bytes (the HTML report embeds them) and, for the Markdown
report, writes them into its figure folder; it returns the link the report uses.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from features.codes import GRADE_COLORS
from riskmodel.figures import cjk_font
from riskmodel.figures.style import new_figure

from ..catalogue import words
from .text import ASSISTED, code_name, domain_name

ESTIMATE_PALETTE = ("#1f5f8b", "#c8553d", "#4c9f70", "#8e6bb8", "#f2a541")
DPI = 150  # as riskmodel.figures.save_figure


class _Figures:
    """Keeps every figure of the report as PNG bytes; each call returns the figure's link.

    ``images`` maps each link (``<rel>/<name>.png``) to its PNG: the HTML report
    embeds them. With a ``folder`` (the Markdown report's ``<stem>_files/``)
    each PNG is also written there, and the link is its relative path.
    """

    def __init__(self, folder: Path | None, rel: str):
        self.folder, self.rel = folder, rel
        self.images: dict[str, bytes] = {}

    def _keep(self, png: bytes, name: str) -> str:
        link = f"{self.rel}/{name}.png"
        self.images[link] = png
        if self.folder is not None:
            (self.folder / f"{name}.png").write_bytes(png)
        return link

    def save(self, fig: Figure, name: str) -> str:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return self._keep(buffer.getvalue(), name)

    def copy(self, source: Path, name: str) -> str:
        return self._keep(source.read_bytes(), name)


def _font_kwargs(lang: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(text kwargs, legend prop, effective lang) for figures drawn here."""
    if lang == "zh":
        font = cjk_font()
        if font is not None:
            return {"fontfamily": [font, "DejaVu Sans"]}, {"family": [font, "DejaVu Sans"]}, "zh"
        warnings.warn(
            "No CJK font is installed; the report's own figures use English labels.", UserWarning, stacklevel=4
        )
        return {}, {}, "en"
    return {}, {}, "en"


# ------------------------------------------------------------ draw composition
def _grade_panel(
    ax: Any, by_grade: pd.DataFrame, t: dict[str, str], font: dict[str, Any], prop: dict[str, Any]
) -> None:
    """Bodies in the frame and drawn per grade, with the expected number drawn."""
    grades = list(by_grade.index)
    x = np.arange(len(grades))
    colors = [GRADE_COLORS.get(g, "#888888") for g in grades]
    ax.bar(x - 0.2, by_grade["in_frame"], width=0.4, color=colors, alpha=0.35, label=t["in_frame"])
    bars = ax.bar(x + 0.2, by_grade["drawn"], width=0.4, color=colors, label=t["drawn"])
    ax.bar_label(bars, fontsize=8)
    ax.scatter(x + 0.2, by_grade["expected"], marker="_", s=300, color="black", zorder=3, label=t["expected"])
    ax.set_xticks(x, grades)
    ax.set_xlabel(t["grade"].capitalize(), **font)
    ax.set_ylabel(t["fig_grade_y"], **font)
    ax.set_title(t["fig_grade_title"], **font)
    ax.legend(prop=prop, fontsize=8, frameon=False)


def _batch_panel(ax: Any, live: pd.DataFrame, t: dict[str, str], font: dict[str, Any]) -> None:
    """Bodies drawn per batch (national, provincial)."""
    batches = live[live["selected"]].groupby("batch").size()
    if len(batches):
        names = [t.get(str(b), str(b)) for b in batches.index]
        bars = ax.bar(names, batches.to_numpy(), color="#1f5f8b")
        ax.bar_label(bars, fontsize=8)
        ax.set_xticks(range(len(batches)), names, **font)
    ax.set_xlabel(t["batch"].capitalize(), **font)
    ax.set_ylabel(t["fig_grade_y"], **font)
    ax.set_title(t["fig_batch_title"], **font)


def _pi_panel(ax: Any, live: pd.DataFrame, t: dict[str, str], font: dict[str, Any], prop: dict[str, Any]) -> None:
    """Histogram of the frame's inclusion probabilities, drawn bodies stacked on the others."""
    pi = live["pi"].to_numpy(float)
    selected = live["selected"].to_numpy()
    ax.hist(
        [pi[~selected], pi[selected]],
        bins=np.linspace(0, 1, 21),
        stacked=True,
        color=["#b0bec5", "#c8553d"],
        label=[t["not_drawn"], t["drawn"]],
    )
    ax.set_xlabel(t["fig_pi_x"], **font)
    ax.set_ylabel(t["fig_pi_y"], **font)
    ax.set_title(t["fig_pi_title"], **font)
    ax.legend(prop=prop, fontsize=8, frameon=False)


def _certificate_panel(ax: Any, by_grade: pd.DataFrame, t: dict[str, str], font: dict[str, Any]) -> None:
    """Certificates drawn for stage 2 per grade (empty when the draw has no certificates)."""
    grades = list(by_grade.index)
    x = np.arange(len(grades))
    if "certificates" in by_grade:
        bars = ax.bar(
            x, by_grade["certificates"].to_numpy(float), color=[GRADE_COLORS.get(g, "#888888") for g in grades]
        )
        ax.bar_label(bars, fontsize=8)
    ax.set_xticks(x, grades)
    ax.set_xlabel(t["grade"].capitalize(), **font)
    ax.set_ylabel(t["fig_cert_y"], **font)
    ax.set_title(t["fig_cert_title"], **font)


def _composition_figure(live: pd.DataFrame, by_grade: pd.DataFrame, lang: str) -> Figure:
    """The draw's composition: by grade, by batch, inclusion probabilities, certificates."""
    font, prop, eff = _font_kwargs(lang)
    t = words(eff, "report")
    fig = new_figure(10, 7.5)
    axes = fig.subplots(2, 2)
    _grade_panel(axes[0, 0], by_grade, t, font, prop)
    _batch_panel(axes[0, 1], live, t, font)
    _pi_panel(axes[1, 0], live, t, font, prop)
    _certificate_panel(axes[1, 1], by_grade, t, font)
    for a in axes.ravel():
        a.grid(axis="y", alpha=0.3)
    return fig


# ------------------------------------------------------------------- estimates
def _estimates_figure(est: pd.DataFrame, lang: str, reliability: list[str] | None = None) -> Figure:
    """Each estimate as a point with its 95 % interval, one colour per scope; unstable ones hollow and named so."""
    font, prop, eff = _font_kwargs(lang)
    t = words(eff, "report")
    name = lambda v: code_name("scope", v, eff)  # noqa: E731
    rows = est.reset_index(drop=True)
    kinds = rows["estimator"] if "estimator" in rows else pd.Series("", index=rows.index)
    flags = np.asarray(reliability if reliability is not None else ["reliable"] * len(rows))
    assisted = [f" ({t['fig_est_assisted']})" if k in ASSISTED else "" for k in kinds]
    marks = [f" ({t['fig_est_' + f]})" if f in ("unstable", "suppressed") else "" for f in flags]
    domains = [domain_name(s, d, eff) for s, d in zip(rows["scope"], rows["domain"], strict=True)]
    labels = [f"{name(s)}: {d}{a}{m}" for s, d, a, m in zip(rows["scope"], domains, assisted, marks)]
    fig = new_figure(7.5, max(3.0, 0.28 * len(rows) + 1.5))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    value = rows["estimate"].to_numpy(float)
    low = rows["ci_low"].to_numpy(float)
    high = rows["ci_high"].to_numpy(float)
    for k, scope in enumerate(dict.fromkeys(rows["scope"])):
        color = ESTIMATE_PALETTE[k % len(ESTIMATE_PALETTE)]
        for hollow in (False, True):
            m = ((rows["scope"] == scope).to_numpy()) & ((flags == "unstable") == hollow)
            if not m.any():
                continue
            ax.errorbar(
                value[m],
                y[m],
                xerr=[np.clip(value[m] - low[m], 0, None), np.clip(high[m] - value[m], 0, None)],
                fmt="o",
                color=color,
                markerfacecolor="white" if hollow else color,
                capsize=3,
                label=name(scope),
            )
    ax.set_yticks(y, labels, fontsize=8, **font)
    finite = value[np.isfinite(value)]
    if np.all((finite >= 0) & (finite <= 1)):  # rates: intervals beyond [0, 1] are cut at the axis
        ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t["fig_est_x"], **font)
    ax.set_title(t["fig_est_title"], **font)
    handles, names = ax.get_legend_handles_labels()
    unique: dict[str, Any] = {}
    for label, handle in zip(names, handles):
        unique.setdefault(label, handle)  # one entry per scope, with the filled marker when it has one
    ax.legend(unique.values(), unique.keys(), prop=prop, fontsize=8, frameon=False, loc="best")
    ax.grid(axis="x", alpha=0.3)
    return fig
