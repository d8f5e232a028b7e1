"""The files of a draw: the commitment written before the seed, the manifest, the draw folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from features.atomic import atomic_path
from features.tables import Tables

from .. import __version__
from ..runinfo import input_hashes
from .config import ALGORITHM, GRADES_FILE, LISTS_WITH_XLSX, MANIFEST, DrawConfig, DrawError
from .frame import build_frame, commitment, default_draw_id
from .stages import DrawOutputs, run_draw


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The exact bytes of a draw table's CSV file (UTF-8 with BOM, LF line ends)."""
    return frame.to_csv(index=False, lineterminator="\n", float_format=None).encode("utf-8-sig")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_for(outputs: DrawOutputs, config: DrawConfig, data_dir: Path, committed: bool) -> dict[str, Any]:
    """Everything needed to re-run the draw and check its files."""
    return {
        "draw_id": outputs.draw_id,
        "frame_sha256": outputs.frame_sha256,
        "commitment_published_before_seed": committed,
        "public_seed": config.public_seed,
        "seed_material": outputs.seed_material,
        "seed_material_rule": "SHA-256 hex of the frame digest and the public seed, see docs/sampling.md",
        "algorithm": {**ALGORITHM, "stage1_design_used": outputs.stage1_method},
        "software": {"certrisk": __version__},
        "config": config.to_dict(),
        "inputs": {"data": input_hashes(data_dir), "grades": f"{GRADES_FILE} in this folder"},
        "outputs": {name: sha256_hex(csv_bytes(t)) for name, t in outputs.tables.items()},
    }


def write_draw(out_root: Path, outputs: DrawOutputs, manifest: dict[str, Any]) -> Path:
    """Write the draw folder atomically; refuse to overwrite an existing draw."""
    folder = Path(out_root) / outputs.draw_id
    if folder.exists():
        raise DrawError(f"draw {outputs.draw_id} already exists in {out_root}; a draw folder is never overwritten.")
    with atomic_path(folder) as tmp:
        tmp.mkdir()
        for name, table in outputs.tables.items():
            (tmp / name).write_bytes(csv_bytes(table))
            if name in LISTS_WITH_XLSX:
                table.to_excel(tmp / name.replace(".csv", ".xlsx"), index=False, engine="openpyxl")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def commitment_file(out_root: Path, draw_id: str) -> Path:
    return Path(out_root) / f"{draw_id}.commitment.json"


def commit_frame(tables: Tables, grades: pd.DataFrame, config: DrawConfig, out_root: Path) -> dict[str, Any]:
    """Freeze the frame: write OUT/<draw_id>.commitment.json with its SHA-256 (before the seed is known)."""
    frame = build_frame(tables, grades, config)
    digest = commitment(frame)
    record = {
        "draw_id": default_draw_id(config, digest),
        "frame_sha256": digest,
        "as_of": config.as_of.date().isoformat(),
        "budget": config.budget,
        "bodies_in_frame": int(frame["in_frame"].sum()),
    }
    target = commitment_file(out_root, record["draw_id"])
    if target.exists():
        raise DrawError(f"draw {record['draw_id']} was already committed: {target}.")
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def make_draw(
    tables: Tables, grades: pd.DataFrame, config: DrawConfig, data_dir: Path, out_root: Path
) -> tuple[Path, DrawOutputs]:
    """Draw, check the frame against its commitment if one was published, write the folder."""
    outputs = run_draw(tables, grades, config)
    promised = commitment_file(out_root, outputs.draw_id)
    committed = promised.exists()
    if committed:
        digest = json.loads(promised.read_text(encoding="utf-8"))["frame_sha256"]
        if digest != outputs.frame_sha256:
            raise DrawError(
                f"the frame changed since it was committed ({digest[:16]}... then, "
                f"{outputs.frame_sha256[:16]}... now); the draw was not made."
            )
    folder = write_draw(out_root, outputs, manifest_for(outputs, config, data_dir, committed))
    return folder, outputs


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise DrawError(f"{folder} is not a draw folder: {MANIFEST} is missing.")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest
