"""Figures of a retraining and of quarterly monitoring, in English or Chinese.

Each function takes a table from :mod:`riskmodel.evaluation` or
:mod:`riskmodel.monitoring` and returns a :class:`matplotlib.figure.Figure`
built without :mod:`matplotlib.pyplot` (no global figure registry, no GUI,
nothing shown): the Agg canvas renders it, :func:`save_figure` writes a PNG and
:func:`riskmodel.tracking.log_training_run` logs it to MLflow.

Modules:

- :mod:`.style`: labels in both languages, the CJK font (:func:`cjk_font`),
  colours, :func:`save_figure`;
- :mod:`.model`: :func:`calibration_figure`, :func:`lift_figure`;
- :mod:`.monitoring`: :func:`grade_distribution_figure`, :func:`psi_figure`,
  :func:`migration_figure`.
"""

from __future__ import annotations

from features.codes import GRADE_COLORS, GRADES

from .model import calibration_figure, lift_figure
from .monitoring import PSI_SHIFT, PSI_WATCH, grade_distribution_figure, migration_figure, psi_figure
from .style import BAND_COLORS, CJK_FAMILIES, LABELS, LANGS, cjk_font, save_figure

__all__ = [
    "BAND_COLORS",
    "CJK_FAMILIES",
    "GRADES",
    "GRADE_COLORS",
    "LABELS",
    "LANGS",
    "PSI_SHIFT",
    "PSI_WATCH",
    "calibration_figure",
    "cjk_font",
    "grade_distribution_figure",
    "lift_figure",
    "migration_figure",
    "psi_figure",
    "save_figure",
]
