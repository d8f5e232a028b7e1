"""Importing riskmodel stays light: MLflow and matplotlib load only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import riskmodel

HEAVY = ("mlflow", "matplotlib")
LIGHT_MODULES = (
    "riskmodel",
    "riskmodel.baselines",
    "riskmodel.binning",
    "riskmodel.evaluation",
    "riskmodel.grader",
    "riskmodel.grading",
    "riskmodel.models",
    "riskmodel.monitoring",
    "riskmodel.quarterly",
    "riskmodel.reasons",
    "riskmodel.scorecard",
    "riskmodel.training",
    "riskmodel.tracking.promotion",
)


def loaded_after(statement: str) -> list[str]:
    """Which of HEAVY a fresh interpreter has loaded after running ``statement`` (and what it printed)."""
    code = f"import sys\n{statement}\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    return [m for m in result.stdout.replace("\n", ",").split(",") if m]


def test_import_does_not_load_mlflow_or_matplotlib():
    # One interpreter for all modules (each start costs seconds); the first culprit is named.
    statement = (
        "import importlib\n"
        f"for name in {LIGHT_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        f"    if any(m in sys.modules for m in {HEAVY!r}):\n"
        "        print('after', name)\n"
        "        break"
    )
    assert loaded_after(statement) == []


def test_lazy_names_load_on_first_use():
    # one interpreter: a figure name loads matplotlib only; a tracking name then loads MLflow
    show = f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    code = f"import sys\nfrom riskmodel import calibration_figure\n{show}\nfrom riskmodel import load_model\n{show}\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    after_figure, after_tracking = result.stdout.splitlines()
    assert after_figure == "matplotlib"
    assert "mlflow" in after_tracking.split(",")


def test_public_names_are_unchanged():
    assert sorted(riskmodel.__all__) == sorted(
        [
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
    )
    for name in riskmodel.__all__:
        assert getattr(riskmodel, name) is not None
    assert set(riskmodel.__all__) <= set(dir(riskmodel))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        riskmodel.nothing  # noqa: B018
