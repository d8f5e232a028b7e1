"""Verifiable randomness: frame commitment, seed material, per-unit uniforms.

All randomness of a draw comes from one public seed string announced after
the frame's SHA-256 has been published. Nothing here uses a pseudo-random
generator: every number is a SHA-256 hash of documented bytes, so an auditor
can re-derive it in any language (see ``docs/sampling.md`` for test vectors).

1. ``frame_digest`` hashes a canonical text form of the frame (format
   ``certrisk-frame-v1``)::

       certrisk-frame-v1\\n
       id<TAB>col_1<TAB>...<TAB>col_m\\n          (column names in UTF-8 byte order)
       <id><TAB><value>...<TAB><value>\\n          (one line per unit, ids in UTF-8 byte order)

   Values: str as is; bool ``true``/``false``; integers in decimal; floats
   as binary64 in Python ``repr`` (shortest round-trip: ``0.1``, ``1e-05``,
   ``2.0``, ``inf``, ``-0.0``); missing (None, NaN, pandas NA/NaT) as the
   empty string. UTF-8 encoded, every line (the last included) ends in LF.
2. ``seed_material`` = lowercase hex SHA-256 of the UTF-8 bytes of
   ``"certrisk-seed-v1|" + frame_sha256_hex + "|" + public_seed``.
3. ``unit_uniforms``: for each unit id, ``h`` = SHA-256 of the UTF-8 bytes of
   ``seed_material + "|" + purpose + "|" + id``; ``k`` = the first 8 bytes of
   ``h`` read as a big-endian unsigned 64-bit integer, shifted right by 12
   bits (52 bits remain); ``u = (k + 0.5) / 2**52``. Every step is exact in
   binary64 arithmetic, so ``u`` is the same everywhere, lies in
   [2**-53, 1 - 2**-53] and is never 0 or 1.
"""

from __future__ import annotations

import hashlib
import math
import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_id_list, short

__all__ = ["frame_digest", "seed_material", "unit_uniforms", "stream_uniform"]

FRAME_FORMAT = "certrisk-frame-v1"
SEED_FORMAT = "certrisk-seed-v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_BAD_FIELD = re.compile(r"[\t\r\n]")
_SHIFT = np.uint64(12)
_SCALE = 2.0**-52


# -- frame digest -------------------------------------------------------------


def _format_value(value: Any) -> str:
    """Canonical text of one cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        x = float(value)
        return "" if math.isnan(x) else repr(x)
    if isinstance(value, str):
        if _BAD_FIELD.search(value):
            raise ValueError(f"values must not contain tab, CR or LF; got {value!r}.")
        return value
    if _is_missing(value):
        return ""
    raise TypeError(f"unsupported value type {type(value).__name__} ({short(value)}); convert it to str.")


def _is_missing(value: Any) -> bool:
    """pandas NA / NaT and similar missing markers."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _format_column(name: str, values: Any, n_rows: int) -> list[str]:
    """Canonical text of a whole column, fast paths for numpy dtypes."""
    arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
    if arr.ndim != 1 or arr.shape[0] != n_rows:
        raise ValueError(f"column {name!r} must be 1-d with {n_rows} values; got shape {arr.shape}.")
    if arr.dtype == bool:
        return ["true" if v else "false" for v in arr.tolist()]
    if np.issubdtype(arr.dtype, np.integer):
        return [str(v) for v in arr.tolist()]
    if np.issubdtype(arr.dtype, np.floating):
        return ["" if v != v else repr(v) for v in arr.astype(np.float64).tolist()]
    items: list[Any] = arr.tolist()
    if set(map(type, items)) == {str}:  # fast path: plain strings
        if not _BAD_FIELD.search("".join(items)):
            return items
    try:
        return [_format_value(v) for v in arr.tolist()]
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"column {name!r}: {exc}") from None


def _check_frame_args(ids: Any, columns: Mapping[str, ArrayLike] | None) -> tuple[list[str], list[str]]:
    """Validate the arguments of :func:`frame_digest`."""
    id_list = as_id_list(ids, "ids")
    if columns is None:
        return id_list, []
    if not isinstance(columns, Mapping):
        raise TypeError(f"`columns` must be a mapping name -> values; got {short(columns)}.")
    names = list(columns)
    for name in names:
        if not isinstance(name, str) or not name or _BAD_FIELD.search(name) or name == "id":
            raise ValueError(
                f"`columns` names must be non-empty strings without tab, CR or LF, other than 'id'; got {name!r}."
            )
    return id_list, sorted(names)


def frame_digest(ids: Iterable[str], columns: Mapping[str, ArrayLike] | None = None) -> str:
    """SHA-256 (hex) of the canonical serialisation of a frame.

    Parameters
    ----------
    ids : sequence of str
        Unique, non-empty unit ids without tab, CR or LF.
    columns : mapping of str to array_like, optional
        Further columns (one value per unit, same row order as ``ids``).
        Their order in the mapping does not matter: columns are written in
        UTF-8 byte order of their names. Row order does not matter either.

    Returns
    -------
    str
        64 lowercase hex digits.

    Examples
    --------
    >>> frame_digest(["B2", "B1"], {"size": [2.0, 0.5]})[:16]
    '13ec0d2af68b87dc'
    >>> frame_digest(["B1", "B2"], {"size": [0.5, 2.0]})[:16]
    '13ec0d2af68b87dc'
    """
    id_list, names = _check_frame_args(ids, columns)
    order = sorted(range(len(id_list)), key=id_list.__getitem__)  # code point = UTF-8 byte order
    given: Mapping[str, ArrayLike] = {} if columns is None else columns  # no names without columns
    cols = [id_list] + [_format_column(name, given[name], len(id_list)) for name in names]
    pick = operator.itemgetter(*order) if len(order) > 1 else (lambda col: [col[k] for k in order])
    rows = map("\t".join, zip(*(pick(col) for col in cols)))
    text = "\n".join([FRAME_FORMAT, "\t".join(["id", *names]), *rows]) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- seed material --------------------------------------------------------------


def _check_seed_args(frame_sha256_hex: Any, public_seed: Any) -> None:
    """Validate the arguments of :func:`seed_material`."""
    if not isinstance(frame_sha256_hex, str) or not _HEX64.fullmatch(frame_sha256_hex):
        raise ValueError(f"`frame_sha256_hex` must be 64 lowercase hex digits; got {short(frame_sha256_hex)}.")
    if not isinstance(public_seed, str) or not public_seed:
        raise ValueError(f"`public_seed` must be a non-empty string; got {short(public_seed)}.")
    if public_seed != public_seed.strip() or any(ord(ch) < 32 for ch in public_seed):
        raise ValueError(
            f"`public_seed` must not start or end with whitespace nor contain control characters; got {public_seed!r}."
        )


def seed_material(frame_sha256_hex: str, public_seed: str) -> str:
    """Combine the frame commitment and the public seed into the seed material.

    Parameters
    ----------
    frame_sha256_hex : str
        The published :func:`frame_digest` of the frozen frame.
    public_seed : str
        The public random string announced after the frame commitment (e.g. a
        lottery result), used verbatim (no Unicode normalisation).

    Returns
    -------
    str
        Hex SHA-256 of ``"certrisk-seed-v1|" + frame_sha256_hex + "|" + public_seed``.

    Examples
    --------
    >>> seed_material("0" * 64, "lottery 2025-01-07: 03 11 19 24 27 31 + 09")[:16]
    'b806ea562b18cd82'
    """
    _check_seed_args(frame_sha256_hex, public_seed)
    text = f"{SEED_FORMAT}|{frame_sha256_hex}|{public_seed}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- per-unit uniforms ---------------------------------------------------------------


def check_stream_args(material: Any, purpose: Any) -> None:
    """Validate seed material and purpose (shared with :mod:`sampling.designs`)."""
    if not isinstance(material, str) or not _HEX64.fullmatch(material):
        raise ValueError(f"`seed_material` must be 64 lowercase hex digits; got {short(material)}.")
    if not isinstance(purpose, str) or not purpose or "|" in purpose or _BAD_FIELD.search(purpose):
        raise ValueError(f"`purpose` must be a non-empty string without '|', tab, CR or LF; got {short(purpose)}.")


def _digests_to_uniforms(first8: bytes) -> np.ndarray:
    """Concatenated 8-byte digest prefixes -> uniforms in (0, 1)."""
    k = np.frombuffer(first8, dtype=">u8") >> _SHIFT
    return (k.astype(np.float64) + 0.5) * _SCALE


def unit_uniforms(seed_material: str, purpose: str, ids: Iterable[str]) -> np.ndarray:
    """One uniform number in (0, 1) per unit, derived from its id only.

    Parameters
    ----------
    seed_material : str
        Output of :func:`seed_material` (64 lowercase hex digits).
    purpose : str
        Name of the random stream, e.g. ``"stage1"``, ``"stage2:B0123"``,
        ``"team:B0123:1"``; without ``|``.
    ids : sequence of str
        Unit ids (non-empty, without tab, CR or LF).

    Returns
    -------
    ndarray of float, shape (len(ids),)
        ``u = ((int.from_bytes(SHA-256(seed_material|purpose|id)[:8], "big") >> 12) + 0.5) / 2**52``,
        in the order of ``ids``. A unit's number does not depend on its row,
        on the other units or on the numpy version.

    Examples
    --------
    >>> unit_uniforms("0" * 64, "stage1", ["B0001", "B0002"]).round(6).tolist()
    [0.095832, 0.616629]
    """
    check_stream_args(seed_material, purpose)
    return uniforms_unchecked(seed_material, purpose, as_id_list(ids, "ids", unique=False))


def uniforms_unchecked(seed_material: str, purpose: str, ids: list[str]) -> np.ndarray:
    """:func:`unit_uniforms` without input checks, for callers that validated them."""
    prefix = f"{seed_material}|{purpose}|".encode()
    sha = hashlib.sha256
    first8 = b"".join([sha(prefix + i.encode()).digest()[:8] for i in ids])
    return _digests_to_uniforms(first8)


def stream_uniform(seed_material: str, purpose: str) -> float:
    """One uniform number for a whole stream (e.g. a systematic start).

    ``u`` is made from SHA-256 of ``seed_material + "|" + purpose`` exactly as
    in :func:`unit_uniforms` (first 8 bytes, big-endian, ``>> 12``,
    ``(k + 0.5) / 2**52``).

    Examples
    --------
    >>> round(stream_uniform("0" * 64, "stage1:start"), 6)
    0.17488
    """
    check_stream_args(seed_material, purpose)
    digest = hashlib.sha256(f"{seed_material}|{purpose}".encode()).digest()[:8]
    return float(_digests_to_uniforms(digest)[0])
