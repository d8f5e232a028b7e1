"""The type of a data set in memory: table name -> DataFrame (see ``features.contracts``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import pandas as pd

__all__ = ["Tables"]

#: Every mapping of table name ("bodies", "inspections", ...) to its DataFrame.
Tables: TypeAlias = Mapping[str, pd.DataFrame]
