"""Figures of a retraining's out-of-time evaluation: calibration and lift.

Each function takes a table from :mod:`riskmodel.evaluation` and returns a
:class:`matplotlib.figure.Figure` in English or Chinese (see
:mod:`riskmodel.figures.style`).
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .style import check_table, new_figure, style_for

__all__ = ["calibration_figure", "lift_figure"]


def calibration_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Observed against predicted serious rate by decile of predicted risk.

    Parameters
    ----------
    table : pandas.DataFrame
        Calibration table with columns ``bin`` (1..10), ``weight``,
        ``predicted`` and ``observed`` (weighted means).
    lang : {"en", "zh"}, default="en"
        Language of titles and labels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"bin": [1, 2], "weight": [5.0, 5.0],
    ...                   "predicted": [0.02, 0.2], "observed": [0.03, 0.18]})
    >>> calibration_figure(t).axes[0].get_title()
    'Calibration: predicted vs observed serious rate'
    """
    t = check_table(table, "table", ("bin", "weight", "predicted", "observed"))
    s = style_for(lang)
    fig = new_figure(5.5, 5.2)
    ax = fig.add_subplot()
    pred = t["predicted"].to_numpy(float)
    obs = t["observed"].to_numpy(float)
    w = t["weight"].to_numpy(float)
    top = float(np.nanmax(np.r_[pred, obs, 1e-3])) * 1.08
    ax.plot([0, top], [0, top], ls="--", color="grey", lw=1, label=s("calibration_diag"))
    size = 30 + 270 * w / w.max() if np.nanmax(w) > 0 else np.full_like(w, 60)
    ax.plot(pred, obs, color="#1f5f8b", lw=1, alpha=0.6)
    ax.scatter(pred, obs, s=size, color="#1f5f8b", alpha=0.8, zorder=3, label=s("calibration_points"))
    for b, x, y in zip(t["bin"], pred, obs):
        ax.annotate(str(b), (x, y), textcoords="offset points", xytext=(6, -10), fontsize=8, color="#333333")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_title(s("calibration_title"), **s.font)
    ax.set_xlabel(s("calibration_x"), **s.font)
    ax.set_ylabel(s("calibration_y"), **s.font)
    ax.legend(loc="upper left", prop=s.prop, fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return fig


def lift_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Lift per score decile (bars) and cumulative capture of serious outcomes (line).

    Parameters
    ----------
    table : pandas.DataFrame
        Lift table with columns ``decile`` (1 = highest scores), ``weight``,
        ``serious_rate``, ``lift`` and ``cumulative_capture`` (0..1).
    lang : {"en", "zh"}, default="en"

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"decile": [1, 2], "weight": [1.0, 1.0], "serious_rate": [0.3, 0.1],
    ...                   "lift": [1.5, 0.5], "cumulative_capture": [0.75, 1.0]})
    >>> lift_figure(t).axes[0].get_title()
    'Lift by score decile'
    """
    t = check_table(table, "table", ("decile", "weight", "serious_rate", "lift", "cumulative_capture"))
    t = t.sort_values("decile")
    s = style_for(lang)
    fig = new_figure(7, 4.5)
    ax = fig.add_subplot()
    x = t["decile"].to_numpy()
    bars = ax.bar(x, t["lift"], color="#1f5f8b", alpha=0.85, label=s("lift_y"))
    base = ax.axhline(1.0, ls="--", color="grey", lw=1, label=s("lift_baseline"))
    ax.set_xticks(x, [str(v) for v in x])
    ax.set_xlabel(s("lift_x"), **s.font)
    ax.set_ylabel(s("lift_y"), **s.font)
    ax2 = ax.twinx()
    (line,) = ax2.plot(x, t["cumulative_capture"], color="#c8553d", marker="o", lw=1.5, label=s("lift_capture"))
    ax2.set_ylim(0, 1.05)
    ax2.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax2.set_ylabel(s("lift_capture"), color="#c8553d", **s.font)
    ax.set_title(s("lift_title"), **s.font)
    handles: list[Any] = [bars, base, line]
    fig.legend(
        handles,
        [s("lift_short"), s("lift_baseline"), s("capture_short")],
        loc="outside lower center",
        ncols=3,
        prop=s.prop,
        fontsize=8,
        frameon=False,
    )
    ax.grid(axis="y", alpha=0.3)
    return fig
