"""Verification: re-run a draw from its manifest and inputs, and name every difference."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from features.tables import Tables

from ..runinfo import input_hashes
from .config import GRADES_FILE, LISTS_WITH_XLSX, DrawConfig
from .folder import csv_bytes, read_manifest, sha256_hex
from .stages import run_draw


def _same_content(xlsx: Path, csv: Path) -> bool:
    """An XLSX mirror holds the same values as its CSV (XLSX bytes carry timestamps, so values are compared)."""
    a = pd.read_excel(xlsx)
    b = pd.read_csv(csv, encoding="utf-8-sig")
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-12)
    except AssertionError:
        return False
    return True


def _file_problems(folder: Path, manifest: dict) -> list[str]:
    problems = []
    for name, digest in manifest["outputs"].items():
        file = folder / name
        if not file.exists():
            problems.append(f"{name}: missing from the draw folder")
        elif sha256_hex(file.read_bytes()) != digest:
            problems.append(f"{name}: changed since the draw (SHA-256 differs from the manifest)")
    for csv_name in LISTS_WITH_XLSX:
        xlsx, csv = folder / csv_name.replace(".csv", ".xlsx"), folder / csv_name
        if xlsx.exists() and csv.exists() and not _same_content(xlsx, csv):
            problems.append(f"{xlsx.name}: its content differs from {csv.name}")
    return problems


def _input_problems(manifest: dict, data_dir: Path) -> list[str]:
    recorded, now = manifest["inputs"]["data"], input_hashes(data_dir)
    return [
        f"input {name}: differs from the one the draw was made with"
        for name in sorted(set(recorded) | set(now))
        if recorded.get(name) != now.get(name)
    ]


def verify_draw(folder: Path, tables: Tables, data_dir: Path) -> list[str]:
    """Re-run the draw of ``folder`` from its manifest and inputs; every difference in words."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = _file_problems(folder, manifest) + _input_problems(manifest, data_dir)
    grades = pd.read_csv(folder / GRADES_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    config = DrawConfig.from_manifest(manifest)
    try:
        again = run_draw(tables, grades, config)
    except ValueError as exc:
        return problems + [f"re-running the draw failed: {exc}"]
    if again.frame_sha256 != manifest["frame_sha256"]:
        problems.append(
            f"frame: SHA-256 {again.frame_sha256[:16]}... differs from the committed {manifest['frame_sha256'][:16]}..."
        )
    for name, table in again.tables.items():
        if sha256_hex(csv_bytes(table)) != manifest["outputs"].get(name):
            problems.append(f"{name}: re-running the draw gives a different file")
    return problems
