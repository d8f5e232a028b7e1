"""How the report writes numbers: percentages, decimals, and a value with its interval.

Missing values (NaN, None) are written as an empty cell.

>>> _pct(0.1234), _num(0.5), _pct(float("nan"))
('12.3%', '0.500', '')
>>> _with_ci({"auc": 0.8, "auc_low": 0.75, "auc_high": 0.85}, "auc", _num)
'0.800 (0.750-0.850)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd


def _pct(value: Any, digits: int = 1) -> str:
    return "" if pd.isna(value) else f"{float(value) * 100:.{digits}f}%"


def _num(value: Any, digits: int = 3) -> str:
    return "" if pd.isna(value) else f"{float(value):.{digits}f}"


def _with_ci(row: Mapping[str, Any], name: str, fmt: Callable[[Any], str]) -> str:
    """``row[name]`` written with ``fmt``, followed by its interval ``name_low``-``name_high`` when both are known."""
    low, high = row.get(f"{name}_low"), row.get(f"{name}_high")
    text = fmt(row.get(name))
    if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
        text += f" ({fmt(low)}-{fmt(high)})"
    return text
