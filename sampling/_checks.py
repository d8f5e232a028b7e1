"""Small shared input checks for the sampling package (private).

Every public function of the package has its own private validator; these
helpers only turn array-likes into clean numpy arrays and build the error
messages, which always name the parameter and the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__: list[str] = []


def short(value: Any, limit: int = 60) -> str:
    """A short printable form of `value` for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_float_vector(x: Any, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """1-d float64 copy of `x`; refuses other shapes and non-numbers."""
    try:
        arr = np.array(x, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be a 1-d array of numbers; got {short(x)}.") from None
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be 1-d; got an array of shape {arr.shape}.")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"`{name}` must not be empty.")
    return arr


def check_finite_nonnegative(arr: np.ndarray, name: str) -> None:
    """Refuse NaN, infinite or negative entries, naming the first one."""
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`{name}` must be finite and non-negative; got {float(arr[k])!r} at position {k} "
            f"({int(bad.sum())} bad value(s) in all)."
        )


def as_bool_vector(x: Any, name: str, length: int) -> np.ndarray:
    """1-d boolean array of the given length (None -> all False)."""
    if x is None:
        return np.zeros(length, dtype=bool)
    arr = np.asarray(x)
    if arr.ndim != 1 or arr.shape[0] != length:
        raise ValueError(f"`{name}` must be a 1-d boolean mask of length {length}; got shape {arr.shape}.")
    if arr.dtype != bool:
        raise TypeError(f"`{name}` must be a boolean mask; got dtype {arr.dtype}.")
    return arr.copy()


def _is_number(n: Any) -> bool:
    """A real number (integral or not), bools excluded."""
    return not isinstance(n, bool | np.bool_) and isinstance(n, Integral | Real)


def _is_non_integral_real(n: Any) -> bool:
    """A real number of a non-integral type, such as a float (whatever its value)."""
    return isinstance(n, Real) and not isinstance(n, Integral)


def check_positive_int(n: Any, name: str, *, minimum: int = 1) -> int:
    """`n` as a Python int >= minimum; bools and fractional numbers are refused."""
    if not _is_number(n):
        raise TypeError(f"`{name}` must be an integer >= {minimum}; got {short(n)}.")
    if _is_non_integral_real(n):
        if not np.isfinite(n) or float(n) != int(n):
            raise ValueError(f"`{name}` must be an integer >= {minimum}; got {n!r}.")
    value = int(n)
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value}.")
    return value


def as_id_list(ids: Any, name: str = "ids", *, unique: bool = True) -> list[str]:
    """Unit ids as a list of non-empty str without tab, CR or LF (fast for 1e6 ids)."""
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable | np.ndarray):
        raise TypeError(f"`{name}` must be a sequence of strings; got {short(ids)}.")
    values = ids.tolist() if hasattr(ids, "tolist") else list(ids)
    types = set(map(type, values))
    if types - {str}:
        k, v = next((k, v) for k, v in enumerate(values) if type(v) is not str)
        if not isinstance(v, str):
            raise TypeError(f"`{name}` must contain strings only; got {short(v)} at position {k}.")
        values = [str(v) for v in values]  # str subclasses, e.g. numpy.str_
    joined = "\x00".join(values)
    if (values and min(map(len, values)) == 0) or "\t" in joined or "\n" in joined or "\r" in joined:
        k = next(k for k, v in enumerate(values) if not v or "\t" in v or "\n" in v or "\r" in v)
        raise ValueError(
            f"`{name}` must be non-empty strings without tab, CR or LF; got {values[k]!r} at position {k}."
        )
    if unique and len(set(values)) != len(values):
        seen: set[str] = set()
        dup = next(v for v in values if v in seen or seen.add(v))  # type: ignore[func-returns-value]
        raise ValueError(f"`{name}` must be unique; {dup!r} occurs more than once.")
    return values


def canonical_order(ids: list[str]) -> np.ndarray:
    """Indices that sort `ids` in UTF-8 byte order.

    Python compares str by code point, which is the same order as comparing
    their UTF-8 encodings byte by byte (numpy's fixed-width strings are not
    used: they drop trailing NUL characters).
    """
    return np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.intp)
