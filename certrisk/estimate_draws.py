"""The draws behind the random inspections: their folders, and the certificates each inspected body held.

``certrisk estimate DATA --draws DIR`` reads ``DIR/<draw_id>/frame.csv`` for
every draw of the window (DIR is the ``--out`` of ``certrisk draw``). The
frame records, for every body of the registry, its grade, whether it was in
the frame, its inclusion probability, the certificates it held on the draw's
as-of date (``certs_held``, the size of its stage-2 frame) and the model's
prediction, all fixed before the seed.

Certificates held by an inspected body (``N_k`` of the two-stage estimate):

1. the draw's own count, ``certs_held`` of the body in its draw's frame.csv,
   when DIR holds that draw's folder;
2. otherwise the body's valid certificates on the draw's date by the rule the
   draw uses (:func:`certrisk.draw.frame.certificates_held`, i.e.
   ``features.rules.valid_certificates``), the date being the as-of date of
   the draw folder when it has one (a frame without ``certs_held``), else the
   first day of the inspection's quarter (draws are made at the start of the
   quarter they cover).

An inspection that checked more certificates than its body held is refused:
no count is adjusted to hide it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features.cells import restore
from features.tables import Tables

from .catalogue import LIST_SEP, Joined, Phrase
from .draw.config import DRAW_ID_PATTERN, FRAME_FILE
from .draw.frame import certificates_held
from .errors import KeyedError

SHOWN = 5  # offending rows listed in a refusal
TEXT_COLUMNS = ("body_id", "grade")
NUMBER_COLUMNS = ("pi", "certs_held", "prediction")
FLAG_COLUMNS = ("in_frame", "selected")
REQUIRED = ("body_id", "grade", "in_frame", "pi", "as_of")


@dataclass(frozen=True)
class DrawFrame:
    """One draw's frame as its folder records it (``certs_held``, ``prediction``: NaN when not recorded)."""

    draw_id: str
    as_of: pd.Timestamp
    frame: pd.DataFrame  # body_id, grade, in_frame, selected, pi, certs_held, prediction
    has_held: bool

    @property
    def live(self) -> pd.DataFrame:
        """The bodies that could be drawn: in the frame with a positive probability (the stage-1 population)."""
        f = self.frame
        return f[f["in_frame"].to_numpy() & (f["pi"].to_numpy() > 0)]

    @property
    def has_prediction(self) -> bool:
        """Every body that could be drawn has a finite prediction (the grades file's ``p_serious``)."""
        return bool(np.isfinite(self.live["prediction"].to_numpy(dtype=float)).all()) and len(self.live) > 0


def check_draws_dir(draws: str | Path | None) -> Path | None:
    """The folder of draws, or None; a file, a missing folder or a single draw folder is refused in words."""
    if draws is None:
        return None
    path = Path(draws)
    if not path.is_dir():
        raise KeyedError("report_errors.draws_missing", got=str(draws))
    if (path / FRAME_FILE).is_file():
        raise KeyedError("report_errors.draws_one_draw", frame=FRAME_FILE, got=str(draws))
    return path


def read_draw_frames(draws: Path | None, draw_ids: list[str]) -> dict[str, DrawFrame]:
    """The frame of every draw in ``draw_ids`` whose folder ``draws/<draw_id>/`` exists (the others are absent)."""
    found: dict[str, DrawFrame] = {}
    if draws is None:
        return found
    for draw_id in draw_ids:
        path = draws / draw_id / FRAME_FILE
        if DRAW_ID_PATTERN.match(draw_id) and ".." not in draw_id and path.is_file():
            found[draw_id] = _read_frame(path, draw_id)
    return found


def _check_unchanged(path: Path) -> None:
    """The frame.csv is the one the draw wrote: its SHA-256 is the one its folder's manifest records (as `publish`
    checks its public list); a full check of the folder is `certrisk verify`."""
    from .draw.folder import as_drawn, read_manifest, recorded_outputs

    if not as_drawn(path, recorded_outputs(read_manifest(path.parent))):
        raise KeyedError("estimates.frame_changed", path=path)


def _read_frame(path: Path, draw_id: str) -> DrawFrame:
    """Parse a draw's frame.csv, checked unchanged since the draw (cells neutralised against CSV injection are
    restored)."""
    _check_unchanged(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise KeyedError("estimates.frame_unreadable", path=path, error=type(exc).__name__) from None
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise KeyedError("estimates.frame_lacks", path=path, missing=", ".join(missing))
    frame = pd.DataFrame({c: raw[c].map(restore) for c in TEXT_COLUMNS})
    for column in NUMBER_COLUMNS:
        given = raw[column] if column in raw else pd.Series("", index=raw.index)
        frame[column] = pd.to_numeric(given.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
    for column in FLAG_COLUMNS:
        given = raw[column] if column in raw else pd.Series("True", index=raw.index)
        bad = ~given.isin(["True", "False"])
        if bad.any():
            row = int(bad.argmax()) + 1
            raise KeyedError(
                "estimates.frame_flag", path=path, column=column, got=given[bad].iloc[0], line=row + 1, row=row
            )
        frame[column] = (given == "True").to_numpy()
    days = raw["as_of"].unique()
    if len(days) != 1 or pd.isna(pd.to_datetime(days[0], errors="coerce")):
        raise KeyedError("estimates.frame_as_of", path=path, days=", ".join(days[:3]))
    has_held = "certs_held" in raw and bool(np.isfinite(frame["certs_held"]).all())
    return DrawFrame(draw_id, pd.Timestamp(days[0]), frame, has_held)


def check_inspections(ins: pd.DataFrame, frames: dict[str, DrawFrame]) -> None:
    """Every random inspection of a draw with a folder is of a body drawn in it, at the frame's probability."""
    problems: list[str] = []
    draws = ins["draw_id"].astype(str).to_numpy()
    for q, found in frames.items():
        at = np.flatnonzero(draws == q)
        rows = found.frame.drop_duplicates("body_id").set_index("body_id")
        for k, body in zip(at, ins["body_id"].astype(str).to_numpy()[at], strict=True):
            why = _mismatch(rows, body, float(ins["inclusion_prob"].iloc[k]))
            if why:
                day = pd.Timestamp(ins["inspected_on"].iloc[k]).date()
                problems.append(Phrase("estimates.mismatch", body=body, draw_id=q, day=day, why=why))
    if problems:
        listed = Joined(problems[:SHOWN], LIST_SEP)
        n, first = len(problems), _first(len(problems))
        raise KeyedError("estimates.mismatched", n=n, frame=FRAME_FILE, first=first, listed=listed)


def _mismatch(rows: pd.DataFrame, body: str, pi: float) -> str:
    """Why an inspection of ``body`` does not belong to its draw's frame ``rows``; empty when it does."""
    if body not in rows.index:
        return Phrase("estimates.not_in_frame")
    row = rows.loc[body]
    if not (row["in_frame"] and row["selected"]):
        return Phrase("estimates.not_drawn")
    if not math.isclose(pi, float(row["pi"]), rel_tol=1e-9, abs_tol=1e-12):
        return Phrase("estimates.other_pi", pi=repr(pi), frame_pi=repr(float(row["pi"])))
    return ""


def draw_dates(ins: pd.DataFrame, frames: dict[str, DrawFrame]) -> pd.Series:
    """The date of each inspection's draw: its folder's as-of date, else the first day of the inspection's quarter."""
    quarter = pd.to_datetime(ins["inspected_on"]).dt.to_period("Q").dt.start_time
    recorded = ins["draw_id"].astype(str).map({q: f.as_of for q, f in frames.items()})
    return pd.to_datetime(recorded.where(recorded.notna(), quarter))


def held_certificates(tables: Tables, ins: pd.DataFrame, frames: dict[str, DrawFrame]) -> np.ndarray:
    """``N_k`` of every inspection: its draw's recorded count, else the registry rule on the draw's date."""
    held = np.full(len(ins), np.nan)
    draws, bodies = ins["draw_id"].astype(str).to_numpy(), ins["body_id"].astype(str)
    for q, found in frames.items():
        if found.has_held:
            at = draws == q
            held[at] = bodies[at].map(found.frame.set_index("body_id")["certs_held"]).to_numpy(dtype=float)
    todo = np.isnan(held)
    if todo.any():
        dates = draw_dates(ins, frames)
        for day in dates[todo].unique():
            at = todo & (dates == day).to_numpy()
            held[at] = certificates_held(tables, bodies[at], pd.Timestamp(day))
    return held


def refuse_overchecked(ins: pd.DataFrame, held: np.ndarray) -> None:
    """Refuse, listing them, the inspections that checked more certificates than their body held."""
    checked = ins["certs_checked"].to_numpy(dtype=float)
    bad = np.flatnonzero(checked > held)
    if not len(bad):
        return
    shown = [
        Phrase(
            "estimates.overchecked_one",
            draw_id=ins["draw_id"].iloc[k],
            body=ins["body_id"].iloc[k],
            day=pd.Timestamp(ins["inspected_on"].iloc[k]).date(),
            checked=f"{checked[k]:g}",
            held=f"{held[k]:g}",
        )
        for k in bad[:SHOWN]
    ]
    raise KeyedError("estimates.overchecked", n=len(bad), first=_first(len(bad)), listed=Joined(shown, LIST_SEP))


def _first(count: int) -> str:
    """``", the first 5"`` when more rows are refused than a message lists."""
    return Phrase("estimates.the_first", n=SHOWN) if count > SHOWN else ""
