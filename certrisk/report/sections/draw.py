"""The draw section: the facts of one draw and its composition.

Built from a draw folder ``OUT/<draw_id>/``: ``frame.csv`` (every body of the
frame with its grade, inclusion probability and whether it was drawn),
``manifest.json`` (draw id, frame hash, seed, design) and, when present,
``certificates.csv`` (the certificates drawn for stage 2).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pandas as pd

from features.codes import GRADES

from ...errors import KeyedError
from ..cells import _num
from ..document import _Doc
from ..figures import _composition_figure, _Figures
from ..inputs import _read_csv, _read_json

FRAME_COLUMNS = ("body_id", "grade", "pi", "selected")


def _bool(series: pd.Series) -> pd.Series:
    return series.astype(str).str.lower().isin(["true", "1", "yes"])


def _read_frame(folder: Path) -> pd.DataFrame:
    """The draw's frame, checked for the columns the section needs."""
    frame = _read_csv(folder / "frame.csv", "draw_folder")
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyedError("report_errors.frame_columns", name="draw_folder", missing=", ".join(missing), got=str(folder))
    return frame


def _normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans read from text, grades as text, and the provincial batch where the frame has no batch column."""
    frame["selected"] = _bool(frame["selected"])
    frame["in_frame"] = _bool(frame["in_frame"]) if "in_frame" in frame else frame["pi"] > 0
    frame["certain"] = _bool(frame["certain"]) if "certain" in frame else False
    frame["grade"] = frame["grade"].astype(str)
    if "batch" not in frame:
        frame["batch"] = "provincial"
    return frame


def _draw_section(doc: _Doc, figs: _Figures, folder: Path, lang: str, t: dict[str, str]) -> None:
    """Add the draw's facts, the command to verify it, and its composition to ``doc``."""
    frame = _read_frame(folder)
    manifest = _read_json(folder / "manifest.json", "draw_folder")
    frame = _normalise_frame(frame)
    certs = _read_csv(folder / "certificates.csv", "draw_folder") if (folder / "certificates.csv").is_file() else None
    live = frame[frame["in_frame"]]

    doc.heading(2, t["draw"])
    doc.bullets(_draw_facts(manifest, frame, live, folder, lang, t))
    doc.para(t["verify"])
    doc.code(_verify_command(folder, manifest))

    doc.heading(3, t["composition"])
    doc.para(t["composition_note"])
    by_grade = _by_grade(frame, live, certs)
    doc.image(figs.save(_composition_figure(live, by_grade, lang), "draw_composition"), t["composition"])
    doc.table(_grade_table(by_grade, t))
    batches = live[live["selected"]].groupby("batch").size()
    doc.table(
        pd.DataFrame({t["batch"]: [t.get(str(b), str(b)) for b in batches.index], t["drawn"]: batches.to_numpy()})
    )


def _draw_facts(
    manifest: dict[str, Any], frame: pd.DataFrame, live: pd.DataFrame, folder: Path, lang: str, t: dict[str, str]
) -> list[str]:
    """Draw id, frame hash, commitment, seed, budget, design, and the counts of the frame."""
    cfg = manifest.get("config", {})
    items = [f"{t['draw_id']}{t['sep']}`{manifest.get('draw_id', folder.name)}`"]
    if manifest.get("frame_sha256"):
        items.append(f"{t['frame_sha']}{t['sep']}`{manifest['frame_sha256']}`")
    committed = _committed(manifest)
    if committed is not None:
        answer = t["yes"] if committed else t["no"]
        items.append(f"{t['committed']}{t['sep']}{answer}")
    if manifest.get("public_seed") is not None:
        items.append(f"{t['seed']}{t['sep']}`{manifest['public_seed']}`")
    if cfg.get("budget") is not None:
        items.append(f"{t['budget']}{t['sep']}{cfg['budget']}")
    design = manifest.get("algorithm", {}).get("stage1_design_used")
    if design:
        items.append(f"{t['design']}{t['sep']}{design}")
    items.append(
        f"{t['in_frame']}{t['sep']}{len(live):,}; {t['drawn']}{t['sep']}{int(frame['selected'].sum()):,}; "
        f"{t['certain']}{t['sep']}{int(frame['certain'].sum()):,}; {t['out_of_frame']}{t['sep']}{int((~frame['in_frame']).sum()):,}"
    )
    return items


def _committed(manifest: dict[str, Any]) -> bool | None:
    """Whether the commitment preceded the seed (draw manifest v2 or v1); None when the manifest does not say."""
    commitment = manifest.get("commitment")
    if isinstance(commitment, dict) and "status" in commitment:
        return bool(commitment["status"] == "committed before the seed")
    if "commitment_published_before_seed" in manifest:
        return bool(manifest["commitment_published_before_seed"])
    return None


def _verify_command(folder: Path, manifest: dict[str, Any]) -> str:
    """``certrisk verify`` for this draw, with its commitment and public seed when the manifest has them."""
    command = f"certrisk verify {shlex.quote(str(folder))} --data DATA"
    commitment = manifest.get("commitment")
    if isinstance(commitment, dict) and commitment.get("sha256"):
        command += f" --commitment {commitment['sha256']}"
    if manifest.get("public_seed") is not None:
        command += f" --seed {shlex.quote(str(manifest['public_seed']))}"
    return command


def _by_grade(frame: pd.DataFrame, live: pd.DataFrame, certs: pd.DataFrame | None) -> pd.DataFrame:
    """Per grade (A to D first, then any other): bodies in the frame, drawn, expected, mean pi, certificates drawn."""
    grades = [g for g in GRADES if g in set(live["grade"])] + sorted(set(live["grade"]) - set(GRADES))
    by_grade = (
        pd.DataFrame(
            {
                "in_frame": live.groupby("grade").size(),
                "drawn": live[live["selected"]].groupby("grade").size(),
                "expected": live.groupby("grade")["pi"].sum(),
                "mean_pi": live.groupby("grade")["pi"].mean(),
            }
        )
        .reindex(grades)
        .fillna({"in_frame": 0, "drawn": 0, "expected": 0.0})
    )
    if certs is not None and "body_id" in certs:
        grade_of = frame.set_index("body_id")["grade"]
        by_grade["certificates"] = certs["body_id"].map(grade_of).value_counts().reindex(grades).fillna(0).astype(int)
    return by_grade


def _grade_table(by_grade: pd.DataFrame, t: dict[str, str]) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            t["grade"]: by_grade.index,
            t["in_frame"]: by_grade["in_frame"].astype(int).to_numpy(),
            t["drawn"]: by_grade["drawn"].astype(int).to_numpy(),
            t["expected"]: by_grade["expected"].map(lambda v: f"{v:.2f}").to_numpy(),
            t["mean_pi"]: by_grade["mean_pi"].map(lambda v: _num(v, 3)).to_numpy(),
        }
    )
    if "certificates" in by_grade:
        table[t["certificates"]] = by_grade["certificates"].astype(int).to_numpy()
    return table
