"""The XLSX files of a draw: which sheets each list is made of, and its about sheet.

Each workbook is written by the engine's one writer
(:func:`certrisk.xlsx.write_workbook`: bold frozen header, filter, fitted
widths, typed dates and numbers, text never a formula) from the same tables
as the CSV files, laid out for reading:

- ``draw_list.xlsx``: ``draw_list`` (the internal list without its
  ``;``-joined cells), ``certificates`` (``certificates.csv``, one row per
  certificate), ``teams`` (one row per team member: body, inspector, unit),
  ``about``;
- ``public_list.xlsx``: ``public_list`` (the public list without the joined
  units), ``teams`` (one row per team member: body and unit), ``about``.

:func:`list_sheets` is the layout, on typed tables (to write) or on the CSV
files' text (to verify): put back together, the sheets of a workbook are
exactly its CSV files, so the public XLSX holds only what the public CSV
holds, plus its about sheet (:func:`draw_about`), which says that no risk
class, score or probability is included.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..xlsx import Sheet
from .config import CERTIFICATES, DRAW_LIST, PUBLIC_LIST
from .lists import LABELS, commitment_label

SEPARATOR = ";"  # inside the CSV lists' team and certificate cells
SHEETS = {DRAW_LIST: ("draw_list", "certificates", "teams"), PUBLIC_LIST: ("public_list", "teams")}
JOINED = {DRAW_LIST: ("certificates", "inspector_ids", "units"), PUBLIC_LIST: ("units",)}  # not on the list's sheet
TEAM_LABELS = {"inspector_id": ("inspector", "检查人员"), "unit": ("inspector's unit", "检查人员单位")}
ABOUT_LABELS = {
    "file": ("file", "文件"),
    "draw_id": ("draw id", "抽查批次号"),
    "as_of": ("as-of date", "基准日期"),
    "frame_sha256": ("frame SHA-256", "抽样框 SHA-256"),
    "commitment": ("commitment", "承诺值"),
    "seed": ("public seed", "公开随机种子"),
    "software": ("software", "软件版本"),
    "verify": (
        "verify (run beside the draw folder; DATA: the data directory of the draw)",
        "验证命令（在抽查文件夹所在目录运行；DATA 为抽查所用的数据目录）",
    ),
    "verify_standalone": ("verify without certrisk (Python standard library only)", "独立验证（仅需 Python 标准库）"),
}
FILE_TEXT = {
    DRAW_LIST: (
        "internal draw list: the bodies, certificates and inspector teams drawn; not for publication",
        "内部抽查名单：抽中的机构、证书和检查组；不公开",
    ),
    PUBLIC_LIST: ("public list of the draw (一公开)", "抽查结果公开名单（一公开）"),
}
PUBLIC_STATEMENT = {
    "statement": "This file includes no risk class (grade), no risk score and no probability of any body.",
    "声明": "本文件不包含任何机构的风险分类（等级）、风险评分或概率。",
}


def _k(lang: str) -> int:
    return 0 if lang == "en" else 1


def list_sheets(csv_name: str, tables: Mapping[str, pd.DataFrame], lang: str) -> list[Sheet]:
    """The sheets of the XLSX of ``csv_name`` (``draw_list.csv`` or ``public_list.csv``), about sheet aside.

    ``tables``: the draw's tables by CSV name (the list itself and, for the
    internal list, ``certificates.csv``), typed as the draw made them or as
    the CSV files' restored text; the sheets hold the same cells.
    """
    k = _k(lang)
    listed = tables[csv_name]
    head = {key: LABELS[key][k] for key in ("as_of", "body_id", "name", *JOINED[csv_name])}
    main = listed.drop(columns=[head[key] for key in JOINED[csv_name]])
    members = _members(listed, head, internal=csv_name == DRAW_LIST, k=k)
    names = SHEETS[csv_name]
    sheets = [Sheet(names[0], main, dates=(head["as_of"],))]
    if csv_name == DRAW_LIST:
        sheets.append(Sheet(names[1], tables[CERTIFICATES], dates=("as_of",)))
    return [*sheets, Sheet(names[-1], members, dates=())]


def _split(cell: Any) -> list[str]:
    return [] if not isinstance(cell, str) or cell == "" else cell.split(SEPARATOR)


def _members(listed: pd.DataFrame, head: dict[str, str], *, internal: bool, k: int) -> pd.DataFrame:
    """One row per team member: the body, (for the internal list) the inspector, and the inspector's unit."""
    columns = [head["body_id"], head["name"], *([TEAM_LABELS["inspector_id"][k]] if internal else [])]
    columns.append(TEAM_LABELS["unit"][k])
    rows = []
    for _, row in listed.iterrows():
        units = _split(row[head["units"]])
        ids = _split(row[head["inspector_ids"]]) if internal else [None] * len(units)
        for inspector, unit in itertools.zip_longest(ids, units, fillvalue=""):
            rows.append([row[head["body_id"]], row[head["name"]], *([inspector] if internal else []), unit])
    return pd.DataFrame(rows, columns=columns, dtype=object)


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
    }
    return about | (PUBLIC_STATEMENT if csv_name == PUBLIC_LIST else {})
