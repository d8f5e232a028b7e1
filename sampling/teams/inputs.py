"""Arguments of :func:`sampling.teams.assign_teams`: checks, column names, normalised inputs.

Every problem found in the frames is collected and reported in one
``ValueError``. The checked inputs come back as :class:`Inputs`, in canonical
row order (ids in UTF-8 byte order), so nothing downstream depends on the
input row order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from .._checks import check_positive_int, short
from ..randomness import check_stream_args

#: Columns of the output of :func:`assign_teams`.
TEAM_COLUMNS = [
    "body_id",
    "inspector_ids",
    "units",
    "team_size",
    "keys",
    "round",
    "method",
    "draw_order",
    "n_eligible",
]
BODY_COLUMNS = ("body_id", "name", "province", "fields", "ccc_designated", "batch")
INSPECTOR_COLUMNS = ("inspector_id", "unit", "province", "expertise", "active", "max_assignments")
CONFLICT_COLUMNS = ("inspector_id", "body_id")
BATCHES = ("national", "provincial")
_PREFIX = re.compile(r"[A-Za-z0-9_]+")
# id column -> (characters refused, their names): "|" separates the parts of a hashed
# string (body ids are in purposes), ";" joins the ids of a team
_ID_RULES = {
    "body_id": (re.compile(r"[\t\r\n|]"), "tab, CR, LF or '|'"),
    "inspector_id": (re.compile(r"[\t\r\n;]"), "tab, CR, LF or ';'"),
}
_BODY_FIELDS = ("body_ids", "names", "body_prov", "fields", "ccc", "national")
_INSPECTOR_FIELDS = ("insp_ids", "units", "insp_prov", "expertise", "active", "cap")


@dataclass
class Inputs:
    """The checked frames as columns, bodies sorted by body_id and inspectors by inspector_id."""

    body_ids: list[str]
    names: list[str]
    body_prov: list[str]
    fields: list[frozenset[str]]
    ccc: np.ndarray
    national: np.ndarray
    insp_ids: list[str]
    units: list[str]
    insp_prov: list[str]
    expertise: list[frozenset[str]]
    active: np.ndarray
    cap: np.ndarray
    conflicts: set[tuple[str, str]]


def _row_label(frame_name: str, pos: int, key: str | None) -> str:
    """The row at position ``pos`` as the problem reports count it: data row 1 is the first row (position 0)."""
    return f"data row {pos + 1}" + (
        "" if key is None else f" ({frame_name[:-1] if frame_name != 'bodies' else 'body'} {key!r})"
    )


def _str_values(
    frame: pd.DataFrame,
    name: str,
    col: str,
    keys: list[str] | None,
    problems: list[str],
    *,
    non_empty: bool = False,
    id_like: bool = False,
) -> list[str]:
    """Column ``col`` as a list of str; collects a problem for each kind of bad value."""
    values = frame[col].tolist()
    not_str = [k for k, v in enumerate(values) if not isinstance(v, str)]
    if not_str:
        k = not_str[0]
        problems.append(
            f"`{name}` column {col!r} must hold strings; got {short(values[k])} at "
            f"{_row_label(name, k, None if keys is None else keys[k])} ({len(not_str)} bad value(s))."
        )
    texts = [str(v) if isinstance(v, str) else "" for v in values]  # str() for str subclasses
    if non_empty or id_like:
        _check_texts(texts, set(not_str), name, col, problems, non_empty=non_empty, id_like=id_like)
    return texts


def _check_texts(
    texts: list[str], skip: set[int], name: str, col: str, problems: list[str], *, non_empty: bool, id_like: bool
) -> None:
    """Collects a problem for the empty strings (``non_empty``) and the ids with refused characters."""
    forbidden, names = _ID_RULES[col] if id_like else (None, "")

    def bad_text(v: str) -> bool:
        return (non_empty and not v.strip()) or (forbidden is not None and forbidden.search(v) is not None)

    bad = [k for k, v in enumerate(texts) if k not in skip and bad_text(v)]
    if bad:
        k = bad[0]
        rule = f"non-empty, without {names}" if id_like else "non-empty"
        problems.append(
            f"`{name}` column {col!r} must be {rule}; got {texts[k]!r} at data row {k + 1} ({len(bad)} bad value(s))."
        )


def _unique(values: list[str], name: str, col: str, problems: list[str]) -> None:
    counts = Counter(values)
    dups = sorted(v for v, c in counts.items() if c > 1)
    if dups:
        problems.append(f"`{name}` column {col!r} must be unique; {short(dups)} occur more than once.")


def _bool_values(frame: pd.DataFrame, name: str, col: str, keys: list[str], problems: list[str]) -> np.ndarray:
    values = frame[col].tolist()
    bad = [k for k, v in enumerate(values) if not isinstance(v, bool | np.bool_)]
    if bad:
        k = bad[0]
        problems.append(
            f"`{name}` column {col!r} must be true/false; got {short(values[k])} at "
            f"{_row_label(name, k, keys[k])} ({len(bad)} bad value(s))."
        )
        return np.zeros(len(values), dtype=bool)
    return np.array(values, dtype=bool)


def _is_count(v: Any) -> bool:
    """An integer >= 1 (a whole float counts; a bool does not)."""
    if isinstance(v, bool | np.bool_):
        return False
    if isinstance(v, int | np.integer):
        return bool(v >= 1)
    return isinstance(v, float | np.floating) and math.isfinite(v) and v == int(v) and bool(v >= 1)


def _int_values(frame: pd.DataFrame, name: str, col: str, keys: list[str], problems: list[str]) -> np.ndarray:
    values = frame[col].tolist()
    bad = [k for k, v in enumerate(values) if not _is_count(v)]
    if bad:
        k = bad[0]
        problems.append(
            f"`{name}` column {col!r} must be an integer >= 1; got {short(values[k])} at "
            f"{_row_label(name, k, keys[k])} ({len(bad)} bad value(s))."
        )
        return np.ones(len(values), dtype=np.int64)
    return np.array([int(v) for v in values], dtype=np.int64)


def _codes(text: str) -> frozenset[str]:
    return frozenset(c.strip() for c in text.split(";") if c.strip())


def _check_frame(frame: Any, name: str, columns: Sequence[str], problems: list[str]) -> bool:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {short(frame)}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(f"`{name}` lacks column(s) {', '.join(map(repr, missing))}.")
        return False
    return True


def _body_data(bodies: pd.DataFrame, problems: list[str]) -> dict[str, Any]:
    ids = _str_values(bodies, "bodies", "body_id", None, problems, id_like=True, non_empty=True)
    _unique(ids, "bodies", "body_id", problems)
    data: dict[str, Any] = {"body_ids": ids}
    data["names"] = _str_values(bodies, "bodies", "name", ids, problems, non_empty=True)
    data["body_prov"] = _str_values(bodies, "bodies", "province", ids, problems, non_empty=True)
    data["fields"] = [_codes(v) for v in _str_values(bodies, "bodies", "fields", ids, problems)]
    data["ccc"] = _bool_values(bodies, "bodies", "ccc_designated", ids, problems)
    batch = _str_values(bodies, "bodies", "batch", ids, problems)
    bad = [j for j, v in enumerate(batch) if v not in BATCHES]
    if bad:
        j = bad[0]
        problems.append(
            f"`bodies` column 'batch' must be 'national' or 'provincial'; got {batch[j]!r} at "
            f"data row {j + 1} (body {ids[j]!r}) ({len(bad)} bad value(s))."
        )
    data["national"] = np.array([v == "national" for v in batch], dtype=bool)
    return data


def _inspector_data(inspectors: pd.DataFrame, problems: list[str]) -> dict[str, Any]:
    ids = _str_values(inspectors, "inspectors", "inspector_id", None, problems, id_like=True, non_empty=True)
    _unique(ids, "inspectors", "inspector_id", problems)
    data: dict[str, Any] = {"insp_ids": ids}
    data["units"] = _str_values(inspectors, "inspectors", "unit", ids, problems)
    data["insp_prov"] = _str_values(inspectors, "inspectors", "province", ids, problems, non_empty=True)
    data["expertise"] = [_codes(v) for v in _str_values(inspectors, "inspectors", "expertise", ids, problems)]
    data["active"] = _bool_values(inspectors, "inspectors", "active", ids, problems)
    data["cap"] = _int_values(inspectors, "inspectors", "max_assignments", ids, problems)
    return data


def _conflict_data(conflicts: pd.DataFrame, problems: list[str]) -> dict[str, Any]:
    ci = _str_values(conflicts, "conflicts", "inspector_id", None, problems)
    cb = _str_values(conflicts, "conflicts", "body_id", None, problems)
    return {"conflicts": set(zip(ci, cb, strict=True))}


def _raise_invalid(problems: list[str]) -> NoReturn:
    head = "invalid input for assign_teams" + (":" if len(problems) == 1 else f" ({len(problems)} problems):")
    raise ValueError(head + ("\n- " + "\n- ".join(problems) if len(problems) > 1 else " " + problems[0]))


def _canonical_order(data: dict[str, Any]) -> None:
    """Rows of bodies and of inspectors sorted by id (str order = UTF-8 byte order), in place."""
    for id_col, cols in (("body_ids", _BODY_FIELDS), ("insp_ids", _INSPECTOR_FIELDS)):
        order = sorted(range(len(data[id_col])), key=data[id_col].__getitem__)
        for name in cols:
            values = data[name]
            data[name] = values[order] if isinstance(values, np.ndarray) else [values[j] for j in order]


def check_args(
    bodies: Any, inspectors: Any, conflicts: Any, seed_material: Any, team_size: Any, purpose_prefix: Any
) -> tuple[Inputs, int]:
    """Validate the arguments of :func:`assign_teams`; every problem in one message."""
    if not isinstance(purpose_prefix, str) or not _PREFIX.fullmatch(purpose_prefix):
        raise ValueError(
            f"`purpose_prefix` must be a non-empty string of letters, digits and '_'; got {short(purpose_prefix)}."
        )
    check_stream_args(seed_material, purpose_prefix)
    k = check_positive_int(team_size, "team_size", minimum=2)
    if conflicts is None:
        conflicts = pd.DataFrame({"inspector_id": [], "body_id": []}, dtype=object)
    problems: list[str] = []
    ok_b = _check_frame(bodies, "bodies", BODY_COLUMNS, problems)
    ok_i = _check_frame(inspectors, "inspectors", INSPECTOR_COLUMNS, problems)
    ok_c = _check_frame(conflicts, "conflicts", CONFLICT_COLUMNS, problems)
    data: dict[str, Any] = {}
    if ok_b:
        data.update(_body_data(bodies, problems))
    if ok_i:
        data.update(_inspector_data(inspectors, problems))
    if ok_c:
        data.update(_conflict_data(conflicts, problems))
    if problems:
        _raise_invalid(problems)
    _canonical_order(data)
    return Inputs(**data), k
