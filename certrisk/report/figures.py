"""The report's own figures, and the folder they are written into.

The training run's figures are redrawn with :mod:`riskmodel.figures`; the two
figures only the report has are drawn here: the draw's composition (four
panels) and the population estimates with their intervals. Chinese labels
need a CJK font; without one these figures fall back to English labels with a
warning. :class:`_Figures` writes every figure as a PNG into the report's
figure folder and returns the relative link the report uses.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from features.codes import GRADE_COLORS
from riskmodel.figures import cjk_font, save_figure
from riskmodel.figures.style import new_figure

from .text import ASSISTED, SCOPES_ZH, TEXT

ESTIMATE_PALETTE = ("#1f5f8b", "#c8553d", "#4c9f70", "#8e6bb8", "#f2a541")


class _Figures:
    """Writes figures into the report's figure folder; each call returns the link to the PNG it wrote."""

    def __init__(self, folder: Path, rel: str):
        self.folder, self.rel = folder, rel

    def save(self, fig: Figure, name: str) -> str:
        save_figure(fig, self.folder / f"{name}.png")
        return f"{self.rel}/{name}.png"

    def copy(self, source: Path, name: str) -> str:
        shutil.copyfile(source, self.folder / f"{name}.png")
        return f"{self.rel}/{name}.png"


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
    t = TEXT[eff]
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
def _estimates_figure(est: pd.DataFrame, lang: str) -> Figure:
    """Each estimate as a point with its 95 % interval, one colour per scope."""
    font, prop, eff = _font_kwargs(lang)
    t = TEXT[eff]
    name = (lambda v: SCOPES_ZH.get(str(v), str(v))) if eff == "zh" else str
    rows = est.reset_index(drop=True)
    kinds = rows["estimator"] if "estimator" in rows else pd.Series("", index=rows.index)
    assisted = [f" ({t['fig_est_assisted']})" if k in ASSISTED else "" for k in kinds]
    labels = [f"{name(s)}: {name(d)}{a}" for s, d, a in zip(rows["scope"], rows["domain"], assisted)]
    fig = new_figure(7.5, max(3.0, 0.28 * len(rows) + 1.5))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    value = rows["estimate"].to_numpy(float)
    low = rows["ci_low"].to_numpy(float)
    high = rows["ci_high"].to_numpy(float)
    for k, scope in enumerate(dict.fromkeys(rows["scope"])):
        m = (rows["scope"] == scope).to_numpy()
        ax.errorbar(
            value[m],
            y[m],
            xerr=[np.clip(value[m] - low[m], 0, None), np.clip(high[m] - value[m], 0, None)],
            fmt="o",
            color=ESTIMATE_PALETTE[k % len(ESTIMATE_PALETTE)],
            capsize=3,
            label=name(scope),
        )
    ax.set_yticks(y, labels, fontsize=8, **font)
    if np.all((value >= 0) & (value <= 1)):  # rates: intervals beyond [0, 1] are cut at the axis
        ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t["fig_est_x"], **font)
    ax.set_title(t["fig_est_title"], **font)
    ax.legend(prop=prop, fontsize=8, frameon=False, loc="best")
    ax.grid(axis="x", alpha=0.3)
    return fig
