"""Input data of the engine: the data contract, its loader and its report, and
the point-in-time feature builders.

>>> from features import load_data_dir, build_features
>>> data = load_data_dir("data", as_of="2026-10-01")  # doctest: +SKIP
>>> table = build_features(data, "2026-10-01")        # doctest: +SKIP
"""

from .build import build_feature_panel, build_features
from .contracts import MODELS, REQUIRED_TABLES, TABLES
from .dictionary import FEATURE_NAMES, feature_dictionary
from .loading import DataSet, load_data_dir, load_grades
from .panorama import panoramic_profile
from .report import DataContractError

__all__ = [
    "DataContractError",
    "DataSet",
    "FEATURE_NAMES",
    "MODELS",
    "REQUIRED_TABLES",
    "TABLES",
    "build_feature_panel",
    "build_features",
    "feature_dictionary",
    "load_data_dir",
    "load_grades",
    "panoramic_profile",
]
