"""MLflow tracking of the quarterly retraining: one run, a registry, two aliases.

Each retraining is one MLflow run (:func:`log_training_run`) holding the
parameters, the hashes of the input data, the metrics, the figures (PNG) and
tables (CSV) and every fitted model. The candidate model is then registered
under one name and promoted by alias (:func:`register_and_promote`):
``challenger`` always points at the newest registered version, ``champion``
moves to it only if it is not worse than the current champion on the
out-of-time metric by more than a margin (:func:`promotion_rule`). Grading and
drawing load the model by alias (:func:`load_model`). See docs/tracking.md.

Modules:

- :mod:`.store`: tracking URI, the quiet MLflow session, the experiment, :func:`prepare_store`;
- :mod:`.sqlite_store`: a SQLite store created whole, a half-made one repaired or refused;
- :mod:`.relocation`: artifact locations re-pointed when a SQLite store was moved;
- :mod:`.runs`: argument checks and :func:`log_training_run`;
- :mod:`.datasets`: the input tables as MLflow datasets (:class:`InputTable`);
- :mod:`.serialization`: skops with trusted types, or cloudpickle; the model's requirements;
- :mod:`.registry`: versions, aliases, :func:`model_version_info`, :func:`load_model`;
- :mod:`.retraining`: what a version is (:class:`Retraining`: as-of date, data digest), its description;
- :mod:`.promotion`: the promotion rule, a pure function (no MLflow).

The names below are imported on first use, so that importing
:mod:`riskmodel.tracking.promotion` does not load MLflow.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

from .._lazy import lazy_exports

# Usage telemetry would send requests to an outside server from a regulator's
# machines; off unless the user asked for it explicitly. Set here, before any
# submodule imports MLflow.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
# Importing MLflow imports tqdm.auto (its GenAI simulators); in a Jupyter kernel
# without ipywidgets tqdm then warns "IProgress not found", a red box in a
# notebook, about progress bars that never appear here: MLflow's artifact bars
# are off in every session (store.session). Only that warning is silenced.
warnings.filterwarnings("ignore", message="IProgress not found", module=r"tqdm\.auto")

if TYPE_CHECKING:
    from .datasets import InputTable
    from .promotion import PromotionVerdict, promotion_rule
    from .registry import (
        CHALLENGER,
        CHAMPION,
        DEFAULT_MODEL_NAME,
        ModelVersionInfo,
        PromotionDecision,
        load_model,
        model_version_info,
        register_and_promote,
    )
    from .retraining import Retraining
    from .runs import DEFAULT_EXPERIMENT, EXAMPLE_ROWS, TrainingRun, log_training_run
    from .selection_registry import ModelDecision, champion_recipe, register_selection
    from .serialization import TRUSTED_MODULES
    from .store import StoreError, default_tracking_uri, prepare_store

__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "DEFAULT_EXPERIMENT",
    "DEFAULT_MODEL_NAME",
    "EXAMPLE_ROWS",
    "TRUSTED_MODULES",
    "InputTable",
    "ModelDecision",
    "ModelVersionInfo",
    "PromotionDecision",
    "PromotionVerdict",
    "Retraining",
    "StoreError",
    "TrainingRun",
    "champion_recipe",
    "default_tracking_uri",
    "load_model",
    "log_training_run",
    "model_version_info",
    "prepare_store",
    "promotion_rule",
    "register_and_promote",
    "register_selection",
]

_SUBMODULE = {
    ".datasets": ("InputTable",),
    ".retraining": ("Retraining",),
    ".promotion": ("PromotionVerdict", "promotion_rule"),
    ".registry": (
        "CHALLENGER",
        "CHAMPION",
        "DEFAULT_MODEL_NAME",
        "ModelVersionInfo",
        "PromotionDecision",
        "load_model",
        "model_version_info",
        "register_and_promote",
    ),
    ".runs": ("DEFAULT_EXPERIMENT", "EXAMPLE_ROWS", "TrainingRun", "log_training_run"),
    ".selection_registry": ("ModelDecision", "champion_recipe", "register_selection"),
    ".serialization": ("TRUSTED_MODULES",),
    ".store": ("StoreError", "default_tracking_uri", "prepare_store"),
}
_EXPORTS = {name: (module, name) for module, names in _SUBMODULE.items() for name in names}
_EXPORTS["_session"] = (".store", "session")  # its former name, used by tests to open a store

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
