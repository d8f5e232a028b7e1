"""Shared look of the figures: labels in English or Chinese, a CJK font, colours, saving.

Chinese labels (``lang="zh"``) need a CJK font. :func:`cjk_font` looks for one
(Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, ...)
among the fonts matplotlib knows and the system's font folders. If none is
installed, the figures fall back to English labels and a :class:`UserWarning`
says so once per process. On Debian or Ubuntu, ``apt-get install
fonts-noto-cjk`` (or the smaller ``fonts-wqy-microhei``) provides one.

Figures are built without :mod:`matplotlib.pyplot` (no global figure
registry, no GUI, nothing shown): :func:`new_figure` attaches the Agg canvas.
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from features.atomic import atomic_path
from features.codes import LANGUAGES
from features.dictionary import FEATURES

__all__ = [
    "BAND_COLORS",
    "CJK_FAMILIES",
    "LABELS",
    "LANGS",
    "Style",
    "check_table",
    "cjk_font",
    "feature_labels",
    "new_figure",
    "save_figure",
    "style_for",
]

LANGS = LANGUAGES
BAND_COLORS = {"stable": "#4c9f70", "watch": "#f2a541", "shift": "#c8553d"}

# Family names of common CJK fonts, most preferred first, and file-name fragments
# to find them on disk when matplotlib's font cache predates their installation.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
_CJK_FILE_HINTS = (
    "notosanscjk",
    "notoserifcjk",
    "notosanssc",
    "sourcehansans",
    "wqy",
    "simhei",
    "msyh",
    "pingfang",
    "droidsansfallback",
    "uming",
)

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
class Style:
    """Labels in one language and the font family that draws them."""

    lang: str
    family: tuple[str, ...] | None

    def __call__(self, key: str) -> str:
        return LABELS[self.lang][key]

    @property
    def font(self) -> dict[str, Any]:
        """Keyword arguments for matplotlib text calls."""
        return {"fontfamily": list(self.family)} if self.family else {}

    @property
    def prop(self) -> dict[str, Any]:
        """``prop`` for legends."""
        return {"family": list(self.family)} if self.family else {}


def style_for(lang: str) -> Style:
    """The labels and font of ``lang``; English, with one warning per process, if no CJK font is installed."""
    global _warned_no_cjk
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {list(LANGS)}; got {lang!r}.")
    if lang == "en":
        return Style("en", None)
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
        return Style("en", None)
    return Style("zh", (font, "DejaVu Sans"))


def new_figure(width: float, height: float) -> Figure:
    """An empty figure (inches) with constrained layout, drawn by the Agg canvas."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def check_table(table: object, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    """``table`` if it is a non-empty DataFrame with the ``required`` columns, else the error."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {type(table).__name__}.")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"`{name}` lacks column(s) {missing}; it has {list(table.columns)}.")
    if len(table) == 0:
        raise ValueError(f"`{name}` must have at least one row; got an empty table.")
    return table


def feature_labels(lang: str) -> dict[str, str]:
    """Label of each feature of :mod:`features.dictionary` in ``lang``."""
    return {f.name: (f.label_zh if lang == "zh" else f.label_en) for f in FEATURES}


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
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
    >>> import tempfile, pathlib
    >>> fig = new_figure(2, 2)
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "grades.png")
    >>> out.stat().st_size > 0
    True
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure; got {type(fig).__name__}.")
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise ValueError(f"`path` must end in .png; got {str(path)!r}.")
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    return target
