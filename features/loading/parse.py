"""Parse each column of a table into the canonical dtype of its kind.

Kinds are those of :data:`~features.contracts.COLUMN_KINDS`: str (blanks
stripped, empty = missing), float, int, bool (true/false, 1/0, yes/no, 是/否),
date and datetime (ISO 8601; a time with an offset is converted to local time
Asia/Shanghai). Unparsable cells are recorded as problems and become missing.
Chinese aliases of codes are then rewritten to the canonical codes.

Examples
--------
>>> import pandas as pd
>>> parsed, bad, empty = _parse_bool(pd.Series(["是", "no", "", "maybe"]))
>>> parsed.tolist(), bad.tolist(), empty.tolist()
([True, False, False, False], [False, False, False, True], [False, False, True, False])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .. import codes
from ..contracts import COLUMN_KINDS
from .state import TableState

__all__ = ["EMPTY_RULE", "INT_RANGE_RULE", "LOCAL_TZ", "PARSE_RULES", "RANGE_RULE", "local_naive", "parse_table"]

LOCAL_TZ = "Asia/Shanghai"
TRUE_WORDS = ("true", "1", "yes", "是")
FALSE_WORDS = ("false", "0", "no", "否")
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
INT_LIMIT = 10**15
"""Largest integer read, in absolute value (exact in float64); beyond it a cell breaks :data:`INT_RANGE_RULE`."""
INT_RANGE_RULE = "must be an integer of at most 15 digits"
_EARLIEST, _LATEST = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31 23:59:59")
PARSE_RULES = {
    "date": "must be a date YYYY-MM-DD",
    "datetime": "must be a date and time (ISO 8601)",
    "int": "must be an integer",
    "float": "must be a number",
    "bool": "must be true or false (1/0, yes/no, 是/否)",
}
EMPTY_RULE = "must not be empty"
RANGE_RULE = "must be a date between 1678-01-01 and 2261-12-31"


def parse_table(table: TableState, raw: pd.DataFrame) -> pd.DataFrame:
    """Known columns parsed into canonical dtypes; unknown columns kept as they are."""
    raw = raw.reset_index(drop=True)
    known = COLUMN_KINDS[table.name]
    table.frame = table.raw = raw  # row count for bad-cell masks while parsing; cells as written for the report
    out = {c: (_parse_column(table, c, raw[c]) if c in known else raw[c]) for c in raw.columns}
    frame = pd.DataFrame(out, index=raw.index)
    for (name, column), aliases in codes.ALIASES.items():
        if name == table.name and column in frame:
            frame[column] = _rewrite(frame[column], aliases)
    return frame


def _parse_column(table: TableState, column: str, raw: pd.Series) -> pd.Series:
    """The column in canonical dtype; problems of unparsable cells recorded."""
    kind = COLUMN_KINDS[table.name][column]
    if isinstance(raw.dtype, pd.CategoricalDtype):  # Parquet dictionary columns
        raw = pd.Series(raw.to_numpy(), index=raw.index)
    if kind == "str":
        return _parse_str(raw)[0]
    if kind in ("date", "datetime"):
        parsed, failures = _parse_when(raw, kind)
        for rule, bad in failures:
            table.add(column, rule, bad, raw)
        return parsed
    if kind == "float":
        parsed, bad = _parse_float(raw)
        table.add(column, PARSE_RULES["float"], bad, raw)
        return parsed
    if kind == "int":
        parsed, bad, empty, big = _parse_int(raw)
        table.add(column, INT_RANGE_RULE, big, raw)
    else:
        parsed, bad, empty = _parse_bool(raw)
    table.add(column, PARSE_RULES[kind], bad, raw)
    table.add(column, EMPTY_RULE, empty, raw)
    return parsed


def _rewrite(s: pd.Series, aliases: dict[str, str]) -> pd.Series:
    hit = s.isin(list(aliases))
    if not hit.any():
        return s
    s = s.copy()
    s[hit] = s[hit].map(aliases)
    return s


# ------------------------------------------------------------------ kinds


def _text(s: pd.Series) -> pd.Series:
    """Strings with surrounding blanks removed; empty strings become missing."""
    if not ptypes.is_string_dtype(s) or s.dtype == object:
        s = s.astype("str")
    s = s.str.strip()
    return s.mask(s == "")


def _parse_str(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    return _text(s), np.zeros(len(s), dtype=bool)


def _parse_float(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if ptypes.is_numeric_dtype(s) and not ptypes.is_bool_dtype(s):
        num = s.astype("float64")
        bad = np.isinf(num.to_numpy())
    else:
        text = _text(s)
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = (text.notna() & (num.isna() | np.isinf(num))).to_numpy()
    return num.mask(bad), bad


def _parse_int(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """int64 values; cells that are not integers, empty cells and integers of more than 15 digits (all filled with 0).

    Every integer accepted is exact, whether read from text (through float64,
    exact up to 2**53) or from an integer column of any width: an unsigned
    64-bit 18446744073709551615 is too large, never -1.
    """
    none = np.zeros(len(s), dtype=bool)
    if ptypes.is_integer_dtype(s) and not s.isna().any():
        exact = s.to_numpy()
        big = exact > INT_LIMIT if exact.dtype.kind == "u" else (exact > INT_LIMIT) | (exact < -INT_LIMIT)
        return pd.Series(np.where(big, 0, exact).astype(np.int64), index=s.index), none, none, big
    num, bad = _parse_float(s)
    values = num.to_numpy()
    with np.errstate(invalid="ignore"):
        bad = bad | (~np.isnan(values) & (values != np.round(values)))
        big = ~bad & ~np.isnan(values) & (np.abs(values) > INT_LIMIT)
    empty = np.isnan(values) & ~bad
    values = np.where(bad | empty | big, 0, values).astype(np.int64)
    return pd.Series(values, index=s.index), bad, empty, big


def _parse_bool(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """numpy bool values, unparsable cells and empty cells (both filled with False)."""
    if ptypes.is_bool_dtype(s) and not s.isna().any():
        return s.astype(bool), np.zeros(len(s), dtype=bool), np.zeros(len(s), dtype=bool)
    low = _text(s).str.lower()
    true = low.isin(TRUE_WORDS).to_numpy()
    false = low.isin(FALSE_WORDS).to_numpy()
    empty = low.isna().to_numpy()
    bad = ~(true | false | empty)
    return pd.Series(true, index=s.index), bad, empty


# ------------------------------------------------------------ dates, times


def local_naive(ts: pd.Series) -> pd.Series:
    """Moments with a zone as the time they are in China (:data:`LOCAL_TZ`), without the zone; naive ones unchanged."""
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return ts


def _parse_datetime_text(text: pd.Series, kind: str) -> pd.Series:
    if kind == "date":  # strictly YYYY-MM-DD: "2020-1-5" is refused, as the command line refuses it
        iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
        return pd.to_datetime(text.where(iso), format="%Y-%m-%d", errors="coerce")
    aware = text.str.contains(_OFFSET, regex=True).fillna(False).to_numpy(dtype=bool)
    out = pd.to_datetime(text.mask(aware), format="ISO8601", errors="coerce")
    if aware.any():
        shifted = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        out = out.astype("datetime64[us]")
        out[aware] = local_naive(shifted).astype("datetime64[us]")
    return out


def _parse_when(s: pd.Series, kind: str) -> tuple[pd.Series, list[tuple[str, np.ndarray]]]:
    """datetime64[ns] values, and the bad cells of each rule they break."""
    if ptypes.is_datetime64_any_dtype(s):
        ts, bad = local_naive(s), np.zeros(len(s), dtype=bool)
    else:
        text = _text(s)
        ts = _parse_datetime_text(text, kind)
        bad = (text.notna() & ts.isna()).to_numpy()
    outside = (ts.notna() & ~ts.between(_EARLIEST, _LATEST)).to_numpy()
    failures = [(PARSE_RULES[kind], bad), (RANGE_RULE, outside)]
    if kind == "date":
        inside = ts.where(~outside)
        timed = (inside.notna() & (inside != inside.dt.normalize())).to_numpy()
        failures.append(("must be a date without a time of day", timed))
    all_bad = bad | outside | failures[-1][1]
    return ts.mask(all_bad).astype("datetime64[ns]"), failures
