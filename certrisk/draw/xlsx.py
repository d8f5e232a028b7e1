"""The XLSX files of a draw: which sheets each list is made of, and its about sheet.

Each workbook is written by the engine's one writer
(:func:`certrisk.xlsx.write_workbook`: bold frozen header, filter, fitted
widths, typed dates and numbers, text never a formula) from the same tables
as the CSV files, laid out for reading:

- ``draw_list.xlsx``: ``draw_list`` (the internal list without its
  ``;``-joined cells), ``certificates`` (``certificates.csv``, one row per
  certificate), ``teams`` (one row per team member: body, inspector and the
  inspector's unit from ``inspectors.csv``), ``about``;
- ``public_list.xlsx``: ``public_list`` (the public list without the joined
  units), ``units`` (one row per unit of a team: body and unit), ``about``.

:func:`list_sheets` is the layout, on typed tables (to write) or on the CSV
files' text (to verify): put back together, the sheets of a workbook are
exactly its CSV files, so the public XLSX holds only what the public CSV
holds, plus its about sheet (:func:`draw_about`), which says that no risk
class, score or probability is included.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..catalogue import both, say
from ..xlsx import Sheet
from .config import CERTIFICATES, DRAW_LIST, INSPECTORS_FILE, PUBLIC_LIST
from .lists import LABELS, commitment_label

SEPARATOR = ";"  # inside the CSV lists' team and certificate cells
SHEETS = {DRAW_LIST: ("draw_list", "certificates", "teams"), PUBLIC_LIST: ("public_list", "units")}
JOINED = {DRAW_LIST: ("certificates", "inspector_ids", "units"), PUBLIC_LIST: ("units",)}  # not on the list's sheet
TEAM_LABELS = {c: both(f"lists.team_{c}") for c in ("inspector_id", "unit")}
ABOUT_ITEMS: tuple[str, ...] = ("file", "draw_id", "as_of", "frame_sha256", "commitment", "seed", "software")
ABOUT_ITEMS += ("verify", "verify_standalone", "how_to_verify")
ABOUT_LABELS = {item: both(f"lists.about_{item}") for item in ABOUT_ITEMS}
HOW_TO_VERIFY = both("lists.how_to_verify_value")
FILE_TEXT = {DRAW_LIST: both("lists.file_draw_list"), PUBLIC_LIST: both("lists.file_public_list")}
#: The public XLSX's statement that it holds no risk class, in both languages on purpose (whatever the list's).
PUBLIC_STATEMENT = {say(lang, "lists.statement"): say(lang, "lists.statement_value") for lang in ("en", "zh")}


def _k(lang: str) -> int:
    return 0 if lang == "en" else 1


def list_sheets(csv_name: str, tables: Mapping[str, pd.DataFrame], lang: str) -> list[Sheet]:
    """The sheets of the XLSX of ``csv_name`` (``draw_list.csv`` or ``public_list.csv``), about sheet aside.

    ``tables``: the draw's tables by CSV name (the list itself and, for the
    internal list, ``certificates.csv`` and ``inspectors.csv``), typed as the
    draw made them or as the CSV files' restored text; the sheets hold the
    same cells.
    """
    k = _k(lang)
    listed = tables[csv_name]
    head = {key: LABELS[key][k] for key in ("as_of", "body_id", "name", *JOINED[csv_name])}
    main = listed.drop(columns=[head[key] for key in JOINED[csv_name]])
    names = SHEETS[csv_name]
    if csv_name == PUBLIC_LIST:
        return [Sheet(names[0], main, dates=(head["as_of"],)), Sheet(names[1], _units(listed, head, k), dates=())]
    return [
        Sheet(names[0], main, dates=(head["as_of"],)),
        Sheet(names[1], tables[CERTIFICATES], dates=("as_of",)),
        Sheet(names[2], _members(listed, head, tables[INSPECTORS_FILE], k), dates=()),
    ]


def _split(cell: Any) -> list[str]:
    return [] if not isinstance(cell, str) or cell == "" else cell.split(SEPARATOR)


def _members(listed: pd.DataFrame, head: dict[str, str], inspectors: pd.DataFrame, k: int) -> pd.DataFrame:
    """One row per team member: the body, the inspector and the inspector's unit (from the inspector directory)."""
    unit = dict(zip(inspectors["inspector_id"], inspectors["unit"])) if "inspector_id" in inspectors else {}
    rows = [
        [row[head["body_id"]], row[head["name"]], inspector, unit.get(inspector, "")]
        for _, row in listed.iterrows()
        for inspector in _split(row[head["inspector_ids"]])
    ]
    columns = [head["body_id"], head["name"], TEAM_LABELS["inspector_id"][k], TEAM_LABELS["unit"][k]]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _units(listed: pd.DataFrame, head: dict[str, str], k: int) -> pd.DataFrame:
    """One row per unit of a team (the public list names units, not inspectors): the body and the unit."""
    rows = [
        [row[head["body_id"]], row[head["name"]], unit]
        for _, row in listed.iterrows()
        for unit in _split(row[head["units"]])
    ]
    return pd.DataFrame(rows, columns=[head["body_id"], head["name"], TEAM_LABELS["unit"][k]], dtype=object)


@dataclass(frozen=True)
class DrawIdentity:
    """What the about sheet of a draw's XLSX files names; from the draw made, or from its manifest."""

    draw_id: str
    as_of: str  # YYYY-MM-DD
    frame_sha256: str
    commitment_sha256: str | None  # None: an exercise, uncommitted
    seed: str
    version: str
    lang: str

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> DrawIdentity:
        """The identity a draw folder's manifest records (KeyError or TypeError when it lacks a field)."""
        return cls(
            draw_id=str(manifest["draw_id"]),
            as_of=str(manifest["config"]["as_of"]),
            frame_sha256=str(manifest["frame_sha256"]),
            commitment_sha256=manifest["commitment"]["sha256"],
            seed=str(manifest["public_seed"]),
            version=str(manifest["software"]["certrisk"]),
            lang=str(manifest["config"]["lang"]),
        )


def draw_about(csv_name: str, who: DrawIdentity) -> dict[str, str]:
    """The about sheet of the XLSX of ``csv_name``: which draw, how to verify it; for the public list, what it omits."""
    k = _k(who.lang)
    promised = who.commitment_sha256 or "HASH"
    seed = shlex.quote(who.seed)
    about = {
        ABOUT_LABELS["file"][k]: FILE_TEXT[csv_name][k],
        ABOUT_LABELS["draw_id"][k]: who.draw_id,
        ABOUT_LABELS["as_of"][k]: who.as_of,
        ABOUT_LABELS["frame_sha256"][k]: who.frame_sha256,
        ABOUT_LABELS["commitment"][k]: commitment_label(who.commitment_sha256, who.lang),
        ABOUT_LABELS["seed"][k]: who.seed,
        ABOUT_LABELS["software"][k]: f"certrisk {who.version}",
        ABOUT_LABELS["verify"][k]: (f"certrisk verify {who.draw_id} --data DATA --commitment {promised} --seed {seed}"),
        ABOUT_LABELS["verify_standalone"][k]: (
            f"python tools/verify_draw.py {who.draw_id} --commitment {promised} --seed {seed}"
        ),
        ABOUT_LABELS["how_to_verify"][k]: HOW_TO_VERIFY[k],
    }
    return about | (PUBLIC_STATEMENT if csv_name == PUBLIC_LIST else {})
