"""Risk model: weighted training sets, calibrated scorecard and boosting models,
out-of-time evaluation, A-D grades with overrides and reasons, monitoring,
figures and MLflow tracking.

>>> from riskmodel import retrain, grade_bodies, load_model   # doctest: +SKIP
"""

from .figures import calibration_figure, grade_distribution_figure, lift_figure, migration_figure, psi_figure
from .grader import grade_bodies
from .grading import DEFAULT_BANDS, GRADES, model_grades
from .models import fit_model, predict_serious
from .monitoring import migration_matrix, psi, psi_table
from .quarterly import retrain
from .scorecard import Scorecard
from .tracking import load_model, log_training_run, model_version_info, register_and_promote
from .training import build_training_set

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
