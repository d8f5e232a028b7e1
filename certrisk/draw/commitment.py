"""The commitment: everything a draw is made from, frozen and hashed before the seed is known.

The commitment record holds the frame digest (and one digest per frame
column, so that a later change can be named), the canonical digest of every
input table the draw reads and of the grades, the whole configuration
(budget, size policy, stage-2 sizes, team rules with the committed fallback),
the draw id, the algorithm, the software version and the time of commitment
in UTC. Its hash, the SHA-256 of the record's canonical JSON (keys sorted,
no spaces, UTF-8), is the one value to publish before the seed.

>>> record = {"format": FORMAT, "draw_id": "D1", "committed_at_utc": "2026-10-01T08:00:00Z"}
>>> commitment_hash(record) == commitment_hash(dict(reversed(record.items())))
True
>>> found = differences({"config": {"budget": 75}}, {"config": {"budget": 74}})
>>> found, found[0].in_language("zh")
(['config.budget: committed 75, now 74'], 'config.budget：承诺时为 75，现在为 74')
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import pandas as pd

from features.tables import Tables
from sampling import frame_digest

from .. import __version__
from ..catalogue import Phrase
from .config import ALGORITHM, DrawConfig
from .digests import table_digest
from .frame import COMMITTED_COLUMNS, canonical_grades, commitment

FORMAT = "certrisk-commitment-v1"
# The input tables the draw reads: the frame, the lists, stage 2 and the teams depend on nothing else.
DRAWN_TABLES = ("bodies", "inspections", "signals", "certificates", "inspectors", "conflicts")
# Fields that are not compared when a draw checks its commitment (they are not properties of the draw).
UNCOMPARED = ("committed_at_utc",)


def canonical_json(value: Any) -> bytes:
    """The canonical JSON bytes of a record: keys sorted, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def commitment_hash(record: dict[str, Any]) -> str:
    """SHA-256 (hex) of the record's canonical JSON: the value published before the seed."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


def utc_now() -> str:
    """The current time in UTC, to the second, as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _frame_part(frame: pd.DataFrame) -> dict[str, Any]:
    ids = frame["body_id"].tolist()
    return {
        "sha256": commitment(frame),
        "bodies": frame_digest(ids, {}),
        "columns": {c: frame_digest(ids, {c: frame[c]}) for c in COMMITTED_COLUMNS},
        "bodies_in_frame": int(frame["in_frame"].sum()),
        "drawable": int((frame["in_frame"] & (frame["pi"] > 0)).sum()),
    }


def drawn_input_digests(tables: Tables) -> dict[str, str]:
    """The canonical digest of every input table the draw reads (computed once per command: large tables take seconds)."""
    return {name: table_digest(tables[name]) for name in DRAWN_TABLES}


def commitment_record(
    frame: pd.DataFrame,
    config: DrawConfig,
    input_digests: dict[str, str],
    grades: pd.DataFrame,
    draw_id: str,
    committed_at_utc: str,
) -> dict[str, Any]:
    """The commitment record of a frame built with ``config`` from the inputs (their digests) and ``grades``."""
    inputs = dict(input_digests)
    inputs["grades"] = table_digest(canonical_grades(grades))
    return {
        "format": FORMAT,
        "draw_id": draw_id,
        "as_of": config.as_of.date().isoformat(),
        "frame": _frame_part(frame),
        "config": config.to_dict(),
        "inputs": inputs,
        "algorithm": dict(ALGORITHM),
        "software": {"certrisk": __version__},
        "committed_at_utc": committed_at_utc,
    }


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return f"{value[:12]}..."  # a SHA-256: its first digits are enough to tell two apart
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


#: The two sides of a difference in words (keys of the catalogue's area ``verify``).
SIDES = {"committed": "verify.committed", "now": "verify.now", "says": "verify.says", "re-derived": "verify.re_derived"}
#: What a difference in a field of the commitment means for the operator (the catalogue's ``verify.means_*``).
MEANINGS = {
    "frame.columns.grade": "verify.means_grade",
    "frame.bodies": "verify.means_bodies",
    "frame.sha256": "verify.means_frame",
    "frame.columns.pi": "verify.means_pi",
    "frame.columns.size": "verify.means_size",
    "frame.columns.status": "verify.means_status",
    "frame.columns.alert": "verify.means_alert",
    "inputs.grades": "verify.means_grades_file",
}


def _differs(where: str, words: tuple[str, str], old: str, new: str) -> Phrase:
    was, is_ = (Phrase(SIDES[w]) for w in words)
    return Phrase("verify.differs", where=where, was=was, old=old, is_=is_, new=new)


def differences(
    committed: Any,
    now: Any,
    path: str = "",
    words: tuple[str, str] = ("committed", "now"),
    skip: tuple[str, ...] = UNCOMPARED,
) -> list[Phrase]:
    """Every field where ``now`` differs from ``committed``, in words (dotted paths, sorted keys); each a
    sentence of the catalogue (its ``str`` English), said in another language where it is shown."""
    if isinstance(committed, dict) and isinstance(now, dict):
        out: list[Phrase] = []
        missing = Phrase("verify.missing")
        for key in sorted(set(committed) | set(now), key=str):
            if key in skip and not path:
                continue
            where = f"{path}.{key}" if path else str(key)
            if key not in now:
                out.append(_differs(where, words, _show(committed[key]), missing))
            elif key not in committed:
                out.append(_differs(where, words, missing, _show(now[key])))
            else:
                out += differences(committed[key], now[key], where, words, skip)
        return out
    return [] if committed == now else [_differs(path, words, _show(committed), _show(now))]


def explain(difference: Phrase) -> Phrase:
    """A difference with what it means for the operator.

    >>> explain(differences({"inputs": {"signals": "a"}}, {"inputs": {"signals": "b"}})[0]).in_language("zh")
    'inputs.signals：承诺时为 "a"，现在为 "b"（输入数据表有变化）'
    """
    where = str(difference.fields.get("where", ""))
    for prefix, meaning in MEANINGS.items():
        if where == prefix:
            return Phrase("verify.explained", difference=difference, meaning=Phrase(meaning))
    if where.startswith("inputs."):
        return Phrase("verify.explained", difference=difference, meaning=Phrase("verify.means_input"))
    return difference
