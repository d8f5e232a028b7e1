"""Figures of quarterly monitoring: grade distribution, PSI, grade migration.

Each function takes a table from :mod:`riskmodel.evaluation` or
:mod:`riskmodel.monitoring` and returns a :class:`matplotlib.figure.Figure` in
English or Chinese (see :mod:`riskmodel.figures.style`).
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from features.codes import GRADE_COLORS, GRADES

from ..monitoring import PSI_BANDS
from .style import BAND_COLORS, check_table, feature_labels, new_figure, style_for

__all__ = ["PSI_SHIFT", "PSI_WATCH", "grade_distribution_figure", "migration_figure", "psi_figure"]

# Dashed lines at the upper bounds of the "stable" and "watch" bands.
PSI_WATCH, PSI_SHIFT = (upper for _, upper in PSI_BANDS[:2])


def grade_distribution_figure(shares: pd.DataFrame | pd.Series, lang: str = "en") -> Figure:
    """Share of bodies per grade A..D, optionally with the serious rate per grade.

    Parameters
    ----------
    shares : pandas.Series or pandas.DataFrame
        One of:

        - a Series of shares indexed by grade;
        - the ``by_grade`` evaluation table, columns ``grade`` and ``share``
          and optionally ``predicted`` and ``observed`` (drawn as markers on a
          second axis);
        - a DataFrame indexed by grade with one column of shares per series
          (e.g. per quarter), drawn as grouped bars.
    lang : {"en", "zh"}, default="en"

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> fig = grade_distribution_figure(pd.Series({"A": 0.6, "B": 0.25, "C": 0.1, "D": 0.05}))
    >>> fig.axes[0].get_title()
    'Grade distribution'
    """
    s = style_for(lang)
    rates = None
    if isinstance(shares, pd.Series):
        frame = shares.to_frame("share")
    elif isinstance(shares, pd.DataFrame) and "grade" in shares.columns:
        t = check_table(shares, "shares", ("grade", "share"))
        frame = t.set_index("grade")[["share"]]
        rates = t.set_index("grade")[[c for c in ("predicted", "observed") if c in t.columns]]
    elif isinstance(shares, pd.DataFrame):
        frame = shares
    else:
        raise TypeError(f"`shares` must be a pandas Series or DataFrame; got {type(shares).__name__}.")
    if len(frame) == 0 or frame.shape[1] == 0:
        raise ValueError("`shares` must hold at least one grade; got an empty table.")
    frame.index = frame.index.astype(str)
    unknown = [g for g in frame.index if g not in GRADES]
    if unknown:
        raise ValueError(f"`shares` must be indexed by grades {list(GRADES)}; got {unknown}.")
    frame = frame.reindex([g for g in GRADES if g in frame.index])
    fig = new_figure(6, 4.5)
    ax = fig.add_subplot()
    x = np.arange(len(frame))
    k = frame.shape[1]
    width = 0.8 / k
    for j, col in enumerate(frame.columns):
        pos = x - 0.4 + width * (j + 0.5)
        colors = [GRADE_COLORS[g] for g in frame.index] if k == 1 else None
        bars = ax.bar(
            pos,
            frame[col].to_numpy(float),
            width=width * 0.95,
            color=colors,
            alpha=0.9 if k == 1 else 0.6 + 0.4 * (j + 1) / k,
            label=str(col),
        )
        ax.bar_label(bars, labels=[f"{v:.0%}" if pd.notna(v) else "" for v in frame[col]], fontsize=8)
    ax.set_xticks(x, list(frame.index))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylim(0, float(np.nanmax(frame.to_numpy(float))) * 1.15 or 1.0)
    ax.set_xlabel(s("grade_x"), **s.font)
    ax.set_ylabel(s("grade_y"), **s.font)
    ax.set_title(s("grade_title"), **s.font)
    if k > 1:
        ax.legend(frameon=False, fontsize=8)
    if rates is not None and rates.shape[1]:
        rates = rates.reindex(frame.index)
        ax2 = ax.twinx()
        markers = {"predicted": ("D", "#555555"), "observed": ("o", "#c8553d")}
        for col in rates.columns:
            m, c = markers[col]
            ax2.plot(x, rates[col].to_numpy(float), marker=m, color=c, lw=1, label=s(col))
        ax2.set_ylim(0, float(np.nanmax(np.r_[rates.to_numpy(float).ravel(), 1e-3])) * 1.2)
        ax2.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax2.set_ylabel(s("grade_rate_y"), **s.font)
        ax2.legend(loc="upper center", prop=s.prop, fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


def psi_figure(psi_table: pd.DataFrame, lang: str = "en") -> Figure:
    """PSI of the score and of each feature as horizontal bars coloured by band.

    Parameters
    ----------
    psi_table : pandas.DataFrame
        Output of :func:`riskmodel.monitoring.psi_table`: columns ``column``,
        ``psi`` and ``band``. Known feature names are shown with their label
        from :mod:`features.dictionary` in the chosen language.
    lang : {"en", "zh"}, default="en"

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"column": ["score", "age_years"], "psi": [0.02, 0.3], "band": ["stable", "shift"]})
    >>> psi_figure(t).axes[0].get_title()
    'Population stability index against the previous quarter'
    """
    t = check_table(psi_table, "psi_table", ("column", "psi", "band"))
    s = style_for(lang)
    t = t.sort_values("psi", ascending=True, kind="stable")
    names = feature_labels(s.lang) | {"score": s("score")}
    labels = [names.get(str(c), str(c)) for c in t["column"]]
    fig = new_figure(7.5, max(3.0, 0.26 * len(t) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(t))
    ax.barh(y, t["psi"].to_numpy(float), color=[BAND_COLORS.get(b, "#888888") for b in t["band"]])
    ax.set_yticks(y, labels, fontsize=8, **s.font)
    ax.axvline(PSI_WATCH, ls="--", color=BAND_COLORS["watch"], lw=1, label=s("psi_watch"))
    ax.axvline(PSI_SHIFT, ls="--", color=BAND_COLORS["shift"], lw=1, label=s("psi_shift"))
    ax.set_xlim(0, max(0.3, float(t["psi"].max()) * 1.1))
    handles = [matplotlib.patches.Patch(color=BAND_COLORS[b], label=s(b)) for b in ("stable", "watch", "shift")]
    ax.legend(
        handles=handles + ax.get_legend_handles_labels()[0], loc="lower right", prop=s.prop, fontsize=8, frameon=False
    )
    ax.set_xlabel(s("psi_x"), **s.font)
    ax.set_ylabel(s("psi_y"), **s.font)
    ax.set_title(s("psi_title"), **s.font)
    ax.grid(axis="x", alpha=0.3)
    return fig


def migration_figure(matrix: Any, lang: str = "en") -> Figure:
    """Heat map of the grade migration matrix: row shares, with counts written in.

    Parameters
    ----------
    matrix : MigrationMatrix or pandas.DataFrame
        Output of :func:`riskmodel.monitoring.migration_matrix`, or its
        ``counts`` table (rows previous grade, columns current grade).
    lang : {"en", "zh"}, default="en"

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from riskmodel.monitoring import migration_matrix
    >>> m = migration_matrix(pd.Series({"b1": "A", "b2": "B"}), pd.Series({"b1": "A", "b2": "C"}))
    >>> migration_figure(m).axes[0].get_title()
    'Grade migration from the previous quarter'
    """
    counts = getattr(matrix, "counts", matrix)
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"`matrix` must be a MigrationMatrix or a DataFrame of counts; got {type(matrix).__name__}.")
    if counts.size == 0:
        raise ValueError("`matrix` must have at least one row and column; got an empty table.")
    values = counts.to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("`matrix` counts must be non-negative numbers without NaN.")
    s = style_for(lang)
    totals = values.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, values / totals, np.nan)
    rows, cols = [str(r) for r in counts.index], [str(c) for c in counts.columns]
    if "new" in rows and "gone" in cols:  # a body cannot be both: leave the cell blank
        share[rows.index("new"), cols.index("gone")] = np.nan
    fig = new_figure(6.2, 5.2)
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(share), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if np.isnan(share[i, j]):
                continue
            text = f"{int(values[i, j])}\n{share[i, j]:.0%}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if share[i, j] > 0.6 else "black")
    special = {"new": s("new"), "gone": s("gone")}
    ax.set_xticks(range(values.shape[1]), [special.get(c, c) for c in cols], **s.font)
    ax.set_yticks(range(values.shape[0]), [special.get(r, r) for r in rows], **s.font)
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.set_xlabel(s("migration_x"), **s.font)
    ax.set_ylabel(s("migration_y"), **s.font)
    ax.set_title(s("migration_title"), **s.font)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, format=matplotlib.ticker.PercentFormatter(1.0))
    bar.set_label(s("migration_bar"), **s.font)
    return fig
