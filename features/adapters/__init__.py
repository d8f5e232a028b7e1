"""Adapters that map public real inspection data into the data contract.

Two city restaurant-inspection data sets have the shape of the engine's core
input (a registry, a dated inspection history with graded findings, the
reason for each visit). The adapters read them from ``../shared/data/real``
next to the project (never copied into it) and return the seven contract
tables in exactly the canonical form :func:`features.load_data_dir` produces,
so the feature builders and the risk model run on data nobody here made.
The mappings are documented in ``docs/real-data.md``.

Examples
--------
>>> import pandas as pd
>>> from features.adapters import load_boston, latest_date
>>> from features.build import build_features
>>> tables = load_boston()  # doctest: +SKIP
>>> features = build_features(tables, latest_date(tables) + pd.Timedelta(days=1))  # doctest: +SKIP
"""

from ._common import REAL_DATA_DIR, latest_date, write_data_dir
from .boston import load_boston
from .sf import load_sf

__all__ = ["REAL_DATA_DIR", "latest_date", "load_boston", "load_sf", "write_data_dir"]
