"""Risk model: weighted training sets, calibrated scorecard and boosting models,
out-of-time evaluation, A-D grades with overrides and reasons, monitoring,
figures and MLflow tracking.

The figure and tracking names are imported on first use, so ``import
riskmodel`` loads neither matplotlib nor MLflow.

>>> from riskmodel import retrain, grade_bodies, load_model   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from .grader import grade_bodies
from .grading import DEFAULT_BANDS, GRADES, model_grades
from .models import fit_model, predict_serious
from .monitoring import migration_matrix, psi, psi_table
from .quarterly import retrain
from .scorecard import Scorecard
from .training import build_training_set

if TYPE_CHECKING:
    from .figures import calibration_figure, grade_distribution_figure, lift_figure, migration_figure, psi_figure
    from .tracking import load_model, log_training_run, model_version_info, register_and_promote

__all__ = [
    "DEFAULT_BANDS",
    "GRADES",
    "Scorecard",
    "build_training_set",
    "calibration_figure",
    "fit_model",
    "grade_bodies",
    "grade_distribution_figure",
    "lift_figure",
    "load_model",
    "log_training_run",
    "migration_figure",
    "migration_matrix",
    "model_grades",
    "model_version_info",
    "predict_serious",
    "psi",
    "psi_figure",
    "psi_table",
    "register_and_promote",
    "retrain",
]

_LAZY = {
    ".figures": ("calibration_figure", "grade_distribution_figure", "lift_figure", "migration_figure", "psi_figure"),
    ".tracking": ("load_model", "log_training_run", "model_version_info", "register_and_promote"),
}
__getattr__, __dir__ = lazy_exports(
    __name__, {name: (module, name) for module, names in _LAZY.items() for name in names}, globals()
)
