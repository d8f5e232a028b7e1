"""Input data of the engine: the data contract, its loader and its report.

>>> from features import load_data_dir, DataContractError
>>> data = load_data_dir("data", as_of="2026-10-01")  # doctest: +SKIP
"""

from .contracts import MODELS, REQUIRED_TABLES, TABLES
from .loading import DataSet, load_data_dir
from .report import DataContractError

__all__ = ["DataContractError", "DataSet", "MODELS", "REQUIRED_TABLES", "TABLES", "load_data_dir"]
