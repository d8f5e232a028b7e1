"""The bodies of a draw folder that get a profile page: those its frame marks as selected."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..draw.config import FRAME_FILE, DrawError
from ..draw.folder import read_manifest

__all__ = ["Draw", "read_draw"]


@dataclass(frozen=True)
class Draw:
    """A draw whose bodies get a page: its id, its as-of date and the drawn body ids in the frame's order."""

    draw_id: str
    as_of: str
    body_ids: list[str]


def read_draw(folder: str | os.PathLike[str]) -> Draw:
    """The drawn bodies of a draw folder (``OUT/<draw_id>`` of ``certrisk draw``); DrawError in one sentence.

    The frame (``frame.csv``) holds every body of the frame with ``selected``;
    the manifest names the draw and its as-of date.
    """
    path = Path(folder)
    if not path.is_dir():
        raise DrawError("draw_errors.no_draw_folder", folder=folder)
    manifest = read_manifest(path)
    frame_path = path / FRAME_FILE
    if not frame_path.is_file():
        raise DrawError("draw_errors.frame_missing", path=frame_path)
    frame = pd.read_csv(frame_path, dtype={"body_id": str}, encoding="utf-8-sig", keep_default_na=False)
    if not {"body_id", "selected"} <= set(frame.columns):
        raise DrawError("draw_errors.frame_lacks", path=frame_path)
    selected = frame["selected"].astype(str).str.lower().isin(("true", "1"))
    config = manifest.get("config")
    as_of = str(config.get("as_of", "")) if isinstance(config, dict) else ""
    return Draw(str(manifest["draw_id"]), as_of, frame.loc[selected, "body_id"].astype(str).tolist())
