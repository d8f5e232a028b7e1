"""Figures of a retraining and of quarterly monitoring, in English or Chinese.

Each function takes a table from :mod:`riskmodel.evaluation` or
:mod:`riskmodel.monitoring` and returns a :class:`matplotlib.figure.Figure`
built without :mod:`matplotlib.pyplot` (no global figure registry, no GUI,
nothing shown): the Agg canvas renders it, :func:`save_figure` writes a PNG and
:func:`riskmodel.tracking.log_training_run` logs it to MLflow.

Chinese labels (``lang="zh"``) need a CJK font. :func:`cjk_font` looks for one
(Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, ...)
among the fonts matplotlib knows and the system's font folders. If none is
installed, the figures fall back to English labels and a :class:`UserWarning`
says so once per process. On Debian or Ubuntu, ``apt-get install
fonts-noto-cjk`` (or the smaller ``fonts-wqy-microhei``) provides one.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "calibration_figure",
    "cjk_font",
    "grade_distribution_figure",
    "lift_figure",
    "migration_figure",
    "psi_figure",
    "save_figure",
]

LANGS = ("en", "zh")
GRADES = ("A", "B", "C", "D")
GRADE_COLORS = {"A": "#2e7d32", "B": "#9ccc65", "C": "#ffa726", "D": "#c62828"}
BAND_COLORS = {"stable": "#4c9f70", "watch": "#f2a541", "shift": "#c8553d"}
PSI_WATCH, PSI_SHIFT = 0.10, 0.25

# Family names of common CJK fonts, most preferred first, and file-name fragments
# to find them on disk when matplotlib's font cache predates their installation.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
    "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei",
    "Microsoft YaHei", "PingFang SC", "Heiti SC", "STHeiti", "Noto Serif CJK SC",
    "AR PL UMing CN", "Droid Sans Fallback",
)
_CJK_FILE_HINTS = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehansans", "wqy", "simhei", "msyh", "pingfang", "droidsansfallback", "uming")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "calibration_title": "Calibration: predicted vs observed serious rate",
        "calibration_x": "Mean predicted serious rate (weighted)",
        "calibration_y": "Observed serious rate (weighted)",
        "calibration_diag": "perfect calibration",
        "calibration_points": "decile of predicted risk (size = weight)",
        "lift_title": "Lift by score decile",
        "lift_x": "Score decile (1 = highest risk)",
        "lift_y": "Lift (serious rate / overall rate)",
        "lift_capture": "Cumulative share of serious outcomes captured",
        "lift_baseline": "no lift",
        "lift_short": "lift",
        "capture_short": "cumulative capture",
        "grade_title": "Grade distribution",
        "grade_x": "Grade",
        "grade_y": "Share of bodies",
        "grade_rate_y": "Serious rate",
        "observed": "observed serious rate",
        "predicted": "predicted serious rate",
        "psi_title": "Population stability index against the previous quarter",
        "psi_x": "PSI",
        "psi_y": "Score or feature",
        "psi_watch": "watch (0.10)",
        "psi_shift": "shift (0.25)",
        "stable": "stable",
        "watch": "watch",
        "shift": "shift",
        "migration_title": "Grade migration from the previous quarter",
        "migration_x": "Current grade",
        "migration_y": "Previous grade",
        "migration_bar": "Share of the row",
        "new": "new",
        "gone": "gone",
        "score": "risk score",
    },
    "zh": {
        "calibration_title": "校准：预测与观测严重问题率",
        "calibration_x": "平均预测严重问题率（加权）",
        "calibration_y": "观测严重问题率（加权）",
        "calibration_diag": "完全校准",
        "calibration_points": "预测风险十分位组（点大小 = 权重）",
        "lift_title": "按评分十分位的提升度",
        "lift_x": "评分十分位（1 = 风险最高）",
        "lift_y": "提升度（组内严重问题率 / 总体）",
        "lift_capture": "累计捕获严重问题比例",
        "lift_baseline": "无提升",
        "lift_short": "提升度",
        "capture_short": "累计捕获比例",
        "grade_title": "风险等级分布",
        "grade_x": "风险等级",
        "grade_y": "机构占比",
        "grade_rate_y": "严重问题率",
        "observed": "观测严重问题率",
        "predicted": "预测严重问题率",
        "psi_title": "群体稳定性指数（与上季度比较）",
        "psi_x": "PSI",
        "psi_y": "评分或特征",
        "psi_watch": "关注 (0.10)",
        "psi_shift": "偏移 (0.25)",
        "stable": "稳定",
        "watch": "关注",
        "shift": "偏移",
        "migration_title": "风险等级迁移（上季度 → 本季度）",
        "migration_x": "本季度等级",
        "migration_y": "上季度等级",
        "migration_bar": "行内占比",
        "new": "新增",
        "gone": "退出",
        "score": "风险评分",
    },
}


# ------------------------------------------------------------------------- fonts
@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Family name of an installed font that can draw Chinese, or None.

    Looks first among the fonts in matplotlib's cache, then in the system's
    font folders (a font installed after the cache was built is added to
    matplotlib's font manager). The answer is cached for the process.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((fam for fam in CJK_FAMILIES if fam in names), None)

    found = known()
    if found is not None:
        return found
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # noqa: BLE001 - an unreadable font file is simply skipped
                continue
    return known()


_warned_no_cjk = False


@dataclass(frozen=True)
class _Style:
    """Labels in one language and the font family that draws them."""

    lang: str
    family: tuple[str, ...] | None

    def __call__(self, key: str) -> str:
        return LABELS[self.lang][key]

    @property
    def font(self) -> dict:
        """Keyword arguments for matplotlib text calls."""
        return {"fontfamily": list(self.family)} if self.family else {}

    @property
    def prop(self) -> dict:
        """``prop`` for legends."""
        return {"family": list(self.family)} if self.family else {}


def _style(lang: str) -> _Style:
    global _warned_no_cjk
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {list(LANGS)}; got {lang!r}.")
    if lang == "en":
        return _Style("en", None)
    font = cjk_font()
    if font is None:
        if not _warned_no_cjk:
            warnings.warn(
                "No CJK font is installed (looked for " + ", ".join(CJK_FAMILIES[:6]) + ", ...); "
                "figures use English labels. Install one, e.g. `apt-get install fonts-noto-cjk`.",
                UserWarning,
                stacklevel=3,
            )
            _warned_no_cjk = True
        return _Style("en", None)
    return _Style("zh", (font, "DejaVu Sans"))


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _check_table(table, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {type(table).__name__}.")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"`{name}` lacks column(s) {missing}; it has {list(table.columns)}.")
    if len(table) == 0:
        raise ValueError(f"`{name}` must have at least one row; got an empty table.")
    return table


def _feature_labels(lang: str) -> dict[str, str]:
    try:
        from features.dictionary import FEATURES
    except ImportError:  # pragma: no cover - the features package ships with this one
        return {}
    return {f.name: (f.label_zh if lang == "zh" else f.label_en) for f in FEATURES}


# ------------------------------------------------------------------------ figures
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
    t = _check_table(table, "table", ("bin", "weight", "predicted", "observed"))
    s = _style(lang)
    fig = _new_figure(5.5, 5.2)
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
    t = _check_table(table, "table", ("decile", "weight", "serious_rate", "lift", "cumulative_capture"))
    t = t.sort_values("decile")
    s = _style(lang)
    fig = _new_figure(7, 4.5)
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
    fig.legend([bars, base, line], [s("lift_short"), s("lift_baseline"), s("capture_short")],
               loc="outside lower center", ncols=3, prop=s.prop, fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


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
    s = _style(lang)
    rates = None
    if isinstance(shares, pd.Series):
        frame = shares.to_frame("share")
    elif isinstance(shares, pd.DataFrame) and "grade" in shares.columns:
        t = _check_table(shares, "shares", ("grade", "share"))
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
    fig = _new_figure(6, 4.5)
    ax = fig.add_subplot()
    x = np.arange(len(frame))
    k = frame.shape[1]
    width = 0.8 / k
    for j, col in enumerate(frame.columns):
        pos = x - 0.4 + width * (j + 0.5)
        colors = [GRADE_COLORS[g] for g in frame.index] if k == 1 else None
        bars = ax.bar(pos, frame[col].to_numpy(float), width=width * 0.95, color=colors,
                      alpha=0.9 if k == 1 else 0.6 + 0.4 * (j + 1) / k, label=str(col))
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
    t = _check_table(psi_table, "psi_table", ("column", "psi", "band"))
    s = _style(lang)
    t = t.sort_values("psi", ascending=True, kind="stable")
    names = _feature_labels(s.lang) | {"score": s("score")}
    labels = [names.get(str(c), str(c)) for c in t["column"]]
    fig = _new_figure(7.5, max(3.0, 0.26 * len(t) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(t))
    ax.barh(y, t["psi"].to_numpy(float), color=[BAND_COLORS.get(b, "#888888") for b in t["band"]])
    ax.set_yticks(y, labels, fontsize=8, **s.font)
    ax.axvline(PSI_WATCH, ls="--", color=BAND_COLORS["watch"], lw=1, label=s("psi_watch"))
    ax.axvline(PSI_SHIFT, ls="--", color=BAND_COLORS["shift"], lw=1, label=s("psi_shift"))
    ax.set_xlim(0, max(0.3, float(t["psi"].max()) * 1.1))
    handles = [matplotlib.patches.Patch(color=BAND_COLORS[b], label=s(b)) for b in ("stable", "watch", "shift")]
    ax.legend(handles=handles + ax.get_legend_handles_labels()[0], loc="lower right", prop=s.prop,
              fontsize=8, frameon=False)
    ax.set_xlabel(s("psi_x"), **s.font)
    ax.set_ylabel(s("psi_y"), **s.font)
    ax.set_title(s("psi_title"), **s.font)
    ax.grid(axis="x", alpha=0.3)
    return fig


def migration_figure(matrix, lang: str = "en") -> Figure:
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
    s = _style(lang)
    totals = values.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, values / totals, np.nan)
    rows, cols = [str(r) for r in counts.index], [str(c) for c in counts.columns]
    if "new" in rows and "gone" in cols:  # a body cannot be both: leave the cell blank
        share[rows.index("new"), cols.index("gone")] = np.nan
    fig = _new_figure(6.2, 5.2)
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(share), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if np.isnan(share[i, j]):
                continue
            text = f"{int(values[i, j])}\n{share[i, j]:.0%}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if share[i, j] > 0.6 else "black")
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


def save_figure(fig: Figure, path: str | os.PathLike, *, dpi: int = 150) -> Path:
    """Write ``fig`` as a PNG, atomically (temporary file, then rename).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or os.PathLike
        Target file; must end in ``.png``. Missing parent folders are created.
    dpi : int, default=150

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> fig = grade_distribution_figure(pd.Series({"A": 0.7, "D": 0.3}))
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "grades.png")
    >>> out.stat().st_size > 0
    True
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure; got {type(fig).__name__}.")
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise ValueError(f"`path` must end in .png; got {str(path)!r}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp = tmp_dir / target.name  # created with the usual permissions (umask)
        fig.savefig(tmp, format="png", dpi=dpi)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return target

