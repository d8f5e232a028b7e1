"""The public results of a draw's inspections (检查结果公示, ``certrisk publish``).

Annex 1 §1(5) of the 2024-2026 plan: the results of the random inspections
are entered by whoever inspected ("谁检查、谁录入、谁负责") and made public. The
list has one row per inspection of the draw and one per drawn body without a
result yet (pending, never dropped): body, inspection date, inspecting
authority, method, the result in words, the handling decision, the date
published, who entered it, and whether the publication came within
:data:`DEADLINE_WORKING_DAYS` working days of the inspection.

Nothing internal can reach it. The drawn bodies come from the draw's public
list only (never the internal list, the frame or the grades), the results
from the inspections' outcome in words, and the list is built column by
column into :data:`PUBLIC_COLUMNS` (:func:`only_public`), so a grade, a score,
a probability or any other column of the inputs never comes out.

Before anything is built the draw folder and the data are checked
(:func:`read_drawn`, :func:`check_against_data`): a committed draw whose
record hashes to its commitment, a public list unchanged since the draw, a
registry in the data that is the one committed, and inspections of the draw
that are on drawn bodies and not before the draw. Any failure is one
sentence (:class:`~certrisk.draw.config.DrawError`).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from features.cells import restore
from features.codes import province_name
from features.tables import Tables
from sampling import frame_digest

from .catalogue import say, words
from .draw.commitment import commitment_hash
from .draw.config import PUBLIC_LIST, DrawError
from .draw.folder import file_sha256, read_manifest
from .draw.lists import BATCH_ZH
from .draw.lists import LABELS as DRAW_LABELS
from .errors import UsageError

DEADLINE_WORKING_DAYS = 20
PUBLIC_COLUMNS = (
    "draw_id",
    "body_id",
    "name",
    "inspected_on",
    "authority",
    "method",
    "result",
    "decision",
    "published_on",
    "entered_by",
    "working_days",
    "publication",
    "commitment",
)
"""The only columns of the public results, in order."""
SEPARATOR = ";"  # between the units of a team, as in the draw lists
_DRAW_LIST_KEYS = ("draw_id", "as_of", "body_id", "name", "batch", "method", "units", "commitment")


def lang_index(lang: str) -> int:
    """0 for English, 1 for Chinese: the position in each (en, zh) pair of words."""
    return 0 if lang == "en" else 1


# --- the draw ------------------------------------------------------------------------
@dataclass(frozen=True)
class DrawnBodies:
    """What a draw folder says publicly: its id, as-of date, commitment, and the public list's bodies."""

    draw_id: str
    as_of: pd.Timestamp
    commitment: str
    lang: str
    record: dict[str, Any]
    bodies: pd.DataFrame  # body_id, name, batch (national / provincial), units (;-joined, may be "")


def read_drawn(folder: str | Path) -> DrawnBodies:
    """The drawn bodies of a committed draw, from its public list; DrawError (one sentence) if it cannot be trusted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DrawError("draw_errors.no_draw_folder", folder=folder)
    manifest = read_manifest(folder)
    try:
        committed = manifest["commitment"]
        record, promised = committed.get("record"), committed.get("sha256")
        lang, as_of = str(manifest["config"]["lang"]), pd.Timestamp(manifest["config"]["as_of"])
        recorded = manifest["outputs"].get(PUBLIC_LIST)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise DrawError("draw_errors.manifest_lacks_parts", path=folder / "manifest.json") from None
    if record is None:
        raise DrawError("draw_errors.uncommitted_results", draw_id=manifest["draw_id"])
    if not isinstance(record, dict) or commitment_hash(record) != promised:
        raise DrawError("draw_errors.record_changed", path=folder / "manifest.json", short=str(promised)[:16])
    public = _public_list(folder, recorded, lang, str(promised))
    return DrawnBodies(str(manifest["draw_id"]), as_of, str(promised), lang, record, public)


def _public_list(folder: Path, recorded: object, lang: str, promised: str) -> pd.DataFrame:
    path = folder / PUBLIC_LIST
    if not path.is_file():
        raise DrawError("draw_errors.public_list_missing", path=path)
    if file_sha256(path) != recorded:
        raise DrawError("draw_errors.public_list_changed", path=path)
    text = path.read_text(encoding="utf-8-sig")
    listed = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).map(restore)
    headers = [DRAW_LABELS[key][lang_index(lang)] for key in _DRAW_LIST_KEYS]
    if list(listed.columns) != headers:
        raise DrawError("draw_errors.public_list_columns", path=path, headers=", ".join(headers))
    listed.columns = pd.Index(_DRAW_LIST_KEYS)
    if not (listed["commitment"] == promised).all():
        raise DrawError("draw_errors.public_list_commitment", path=path)
    national = {BATCH_ZH["national"], "national"}
    batch = np.where(listed["batch"].isin(national), "national", "provincial")
    return pd.DataFrame(
        {"body_id": listed["body_id"], "name": listed["name"], "batch": batch, "units": listed["units"]}
    )


def check_against_data(drawn: DrawnBodies, tables: Tables) -> None:
    """Refuse data that are not those the draw was made from, or whose inspections contradict the draw.

    The registry (bodies approved before the draw's as-of date; a body is
    never deleted from it) must be the committed one; every inspection that
    names the draw must be on a drawn body and not dated before the draw.
    """
    bodies, day = tables["bodies"], drawn.as_of.date().isoformat()
    unknown = drawn.bodies.loc[~drawn.bodies["body_id"].isin(bodies["body_id"]), "body_id"]
    if len(unknown):
        raise DrawError("draw_errors.unknown_drawn", draw_id=drawn.draw_id, few=_few(unknown))
    registry = bodies.loc[bodies["approved_on"] < drawn.as_of, "body_id"].astype(str).tolist()
    if frame_digest(registry, {}) != drawn.record.get("frame", {}).get("bodies"):
        raise DrawError("draw_errors.other_registry", draw_id=drawn.draw_id, n=len(registry), day=day)
    mine = _of_the_draw(tables["inspections"], drawn.draw_id)
    stray = mine[~mine["body_id"].isin(drawn.bodies["body_id"])]
    if len(stray):
        named = _few(stray["inspection_id"] + " (" + stray["body_id"] + ")")
        raise DrawError("draw_errors.stray_results", draw_id=drawn.draw_id, named=named)
    early = mine[mine["inspected_on"] < drawn.as_of]
    if len(early):
        raise DrawError("draw_errors.early_results", draw_id=drawn.draw_id, day=day, few=_few(early["inspection_id"]))


def _few(values: pd.Series, n: int = 3) -> str:
    shown = values.astype(str).head(n).tolist()
    return ", ".join(shown) + (f" and {len(values) - n} more" if len(values) > n else "")


def _of_the_draw(inspections: pd.DataFrame, draw_id: str) -> pd.DataFrame:
    return inspections[inspections["draw_id"].astype("str") == draw_id]


# --- working days --------------------------------------------------------------------
def working_days(start: pd.Series, end: pd.Timestamp, holidays: Sequence[datetime.date] = ()) -> np.ndarray:
    """Working days (Monday to Friday, not a holiday) after each ``start`` day, up to and including ``end``.

    >>> working_days(pd.Series(pd.to_datetime(["2026-10-09"])), pd.Timestamp("2026-10-12"))  # Fri -> Mon
    array([1])
    """
    begin = start.to_numpy(dtype="datetime64[D]") + np.timedelta64(1, "D")
    stop = np.datetime64(end.date(), "D") + np.timedelta64(1, "D")
    days = np.busday_count(begin, stop, holidays=np.array(list(holidays), dtype="datetime64[D]"))
    return np.asarray(np.maximum(days, 0), dtype=np.int64)


def read_holidays(path: str | Path, option: str = "--holidays") -> list[datetime.date]:
    """Public holidays, one date ``YYYY-MM-DD`` a line (a first line ``date`` or ``日期``, blank lines and ``#``
    comments allowed); UsageError naming the line otherwise."""
    file = Path(path)
    if not file.is_file():
        raise UsageError("errors.holidays_not_file", option=option, path=str(path))
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise UsageError("errors.holidays_not_utf8", option=option, path=str(path), byte=exc.start) from None
    days = []
    for number, line in enumerate(lines, start=1):
        text = line.strip().strip(",")
        if not text or text.startswith("#") or (number == 1 and text.lower() in ("date", "日期")):
            continue
        try:
            if len(text) != 10:  # fromisoformat also takes 20261001 and week dates
                raise ValueError(text)
            days.append(datetime.date.fromisoformat(text))
        except ValueError:
            raise UsageError(
                "errors.holidays_line", option=option, path=str(path), line=number, got=line.strip()
            ) from None
    return days


# --- the list ------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicResults:
    """The public results (keys of :data:`PUBLIC_COLUMNS` as columns) and what the command reports of them."""

    table: pd.DataFrame
    draw_id: str
    commitment: str
    bodies: int
    results: int
    late: int
    pending: int


def public_results(
    drawn: DrawnBodies,
    tables: Tables,
    on: pd.Timestamp,
    lang: str = "en",
    holidays: Sequence[datetime.date] = (),
) -> PublicResults:
    """The public results of the draw on the publication date ``on`` (inspections after it count as not yet done)."""
    w = words(lang, "publish")
    on_time, late = (say(lang, f"publish.{key}", days=DEADLINE_WORKING_DAYS) for key in ("on_time", "late"))
    if on < drawn.as_of:
        raise UsageError("errors.on_before_draw", as_of=drawn.as_of.date(), on=on.date())
    ins = _of_the_draw(tables["inspections"], drawn.draw_id)
    ins = ins[ins["inspected_on"] <= on].sort_values(["body_id", "inspected_on", "inspection_id"], kind="stable")
    units = _units(tables["inspectors"])
    body = drawn.bodies.set_index("body_id")
    province = tables["bodies"].set_index("body_id")["province"]
    fallback = {b: _team_or_batch(r["units"], r["batch"], province.get(b), lang) for b, r in body.iterrows()}
    days = working_days(ins["inspected_on"], on, holidays)
    done = pd.DataFrame(
        {
            "body_id": ins["body_id"].to_numpy(dtype=object),
            "inspected_on": ins["inspected_on"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            "authority": [_authority(t, units) or fallback[b] for t, b in zip(ins["inspector_ids"], ins["body_id"])],
            "result": ins["outcome"].map(lambda o: w[f"result_{o}"]).to_numpy(dtype=object),
            "decision": _recorded(ins, "decision", lang),
            "entered_by": _recorded(ins, "entered_by", lang),
            "working_days": pd.array(days, dtype="Int64"),
            "publication": np.where(days > DEADLINE_WORKING_DAYS, late, on_time),
        }
    )
    waiting = drawn.bodies.loc[~drawn.bodies["body_id"].isin(ins["body_id"]), "body_id"]
    pending = pd.DataFrame(
        {
            "body_id": waiting.to_numpy(dtype=object),
            "inspected_on": "",
            "authority": [fallback[b] for b in waiting],
            "result": w["pending_result"],
            "decision": "",
            "entered_by": "",
            "working_days": pd.array([pd.NA] * len(waiting), dtype="Int64"),
            "publication": w["pending"],
        }
    )
    rows = pd.concat([done, pending], ignore_index=True)
    order = {b: i for i, b in enumerate(drawn.bodies["body_id"])}
    rows = rows.iloc[np.argsort(rows["body_id"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)
    rows["draw_id"], rows["commitment"] = drawn.draw_id, drawn.commitment
    rows["name"] = rows["body_id"].map(body["name"])
    rows["method"], rows["published_on"] = w["method"], on.date().isoformat()
    table = only_public(rows)
    n_late = int((days > DEADLINE_WORKING_DAYS).sum())
    return PublicResults(table, drawn.draw_id, drawn.commitment, len(drawn.bodies), len(done), n_late, len(pending))


def only_public(rows: pd.DataFrame) -> pd.DataFrame:
    """Exactly the columns of :data:`PUBLIC_COLUMNS`, in order: whatever else ``rows`` holds never comes out."""
    missing = [c for c in PUBLIC_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"the public results lack the column(s) {', '.join(missing)}.")
    return rows.loc[:, list(PUBLIC_COLUMNS)].copy()


def labelled(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The public results with their headers in ``lang`` (the columns checked by :func:`only_public` first)."""
    return only_public(table).rename(columns={c: say(lang, f"publish.column_{c}") for c in PUBLIC_COLUMNS})


def _units(inspectors: pd.DataFrame) -> dict[str, str]:
    return dict(zip(inspectors["inspector_id"].astype(str), inspectors["unit"].astype(str), strict=True))


def _authority(team: object, units: dict[str, str]) -> str:
    """The distinct units of the team's inspectors that the directory names, in team order ("" if none)."""
    if not isinstance(team, str) or not team:
        return ""
    found = [units[i] for i in team.split(SEPARATOR) if i in units]
    return SEPARATOR.join(dict.fromkeys(found))


def _team_or_batch(drawn_units: str, batch: str, province: object, lang: str) -> str:
    """When the record's inspectors are not in the directory: the units of the team drawn, else the batch's regulator."""
    if drawn_units:
        return drawn_units
    if batch == "national":
        return say(lang, "publish.national_authority")
    return say(lang, "publish.provincial_authority", name=province_name(province, lang), code=province)


def _recorded(ins: pd.DataFrame, column: str, lang: str) -> np.ndarray:
    """An optional free-text column as written, "not recorded" in words where it is empty or left out."""
    if column not in ins:
        return np.full(len(ins), say(lang, "publish.not_recorded"), dtype=object)
    values = ins[column].astype("str")
    return values.where(values.notna() & (values.str.strip() != ""), say(lang, "publish.not_recorded")).to_numpy(
        dtype=object
    )
