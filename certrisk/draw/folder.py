"""The files of a draw: the commitment written before the seed, the manifest, the draw folder.

:func:`commit_frame` checks that every body that can be drawn can be
staffed, then writes ``OUT/<draw_id>.commitment.json``. :func:`make_draw`
refuses unless that commitment matches the frame, the configuration and the
inputs exactly (checked before any randomness is derived), and writes
``OUT/<draw_id>/`` by one exclusive rename: a draw folder is never replaced.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from features.atomic import atomic_path
from features.cells import safe_table
from features.tables import Tables
from sampling import staffing_problems

from .. import __version__
from ..catalogue import Foreign, Joined, Phrase
from ..runinfo import write_json
from ..xlsx import write_workbook
from .commitment import commitment_hash, commitment_record, differences, drawn_input_digests, explain, utc_now
from .config import ALGORITHM, LISTS_WITH_XLSX, MANIFEST, TEAM_FALLBACK_RULE, DrawConfig, DrawError
from .frame import build_frame, commitment, default_draw_id
from .lists import UNCOMMITTED
from .stages import TEAM_INPUT_COLUMNS, DrawOutputs, run_draw
from .xlsx import DrawIdentity, draw_about, list_sheets

MANIFEST_FORMAT = "certrisk-draw-manifest-v2"
SEED_MATERIAL_RULE = "SHA-256 hex of 'certrisk-seed-v1|' + frame SHA-256 + '|' + public seed (docs/sampling.md)"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The exact bytes of a draw table's CSV file: text cells neutralised, UTF-8 with BOM, LF line ends."""
    return safe_table(frame).to_csv(index=False, lineterminator="\n", float_format=None).encode("utf-8-sig")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    return sha256_hex(path.read_bytes())


def recorded_outputs(manifest: dict[str, Any]) -> dict[str, str]:
    """The manifest's name -> SHA-256 of every file the draw wrote ({} when that field is damaged)."""
    outputs = manifest.get("outputs")
    return outputs if isinstance(outputs, dict) else {}


def as_drawn(path: Path, outputs: dict[str, str]) -> bool:
    """Whether the file is one the draw wrote, byte for byte (its SHA-256 is the one the manifest records)."""
    return path.name in outputs and file_sha256(path) == outputs[path.name]


def commitment_file(out_root: Path, draw_id: str) -> Path:
    return Path(out_root) / f"{draw_id}.commitment.json"


class _DuplicateKey(ValueError):
    """A JSON object that names one key twice (a reader keeping the first would see another manifest)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads``' ``object_pairs_hook``: the object, or :class:`_DuplicateKey` when a key appears twice."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _read_record(path: Path) -> dict[str, Any]:
    """A commitment record; one sentence when it cannot be read, is not an object or names a key twice."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise DrawError("draw_errors.commitment_duplicate_key", path=path, key=exc.key) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DrawError("draw_errors.commitment_unreadable", path=path, error=type(exc).__name__) from None
    if not isinstance(record, dict):
        raise DrawError("draw_errors.commitment_not_record", path=path)
    return record


# --- commit ---------------------------------------------------------------------------
def check_staffing(tables: Tables, frame: pd.DataFrame, config: DrawConfig) -> None:
    """Refuse a frame in which some body that can be drawn could never be given a team.

    With this check passed no draw can fail after the seed: any sample can be
    staffed, within the workload caps or, by the committed fallback rule,
    with the caps lifted (then every body is staffed on its own).
    """
    if tables["inspectors"].empty:
        return
    drawable = frame[frame["in_frame"] & (frame["pi"] > 0)]
    problems = staffing_problems(
        drawable[TEAM_INPUT_COLUMNS], tables["inspectors"], tables["conflicts"], team_size=config.team_size
    )
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise DrawError("draw_errors.unstaffed", n=len(problems), listed=Foreign(listed))


def commit_frame(tables: Tables, grades: pd.DataFrame, config: DrawConfig, out_root: Path) -> dict[str, Any]:
    """Freeze the frame: write ``OUT/<draw_id>.commitment.json`` (before the seed is known); returns the record."""
    frame = build_frame(tables, grades, config)
    check_staffing(tables, frame, config)
    draw_id = default_draw_id(config, commitment(frame))
    record = commitment_record(frame, config, drawn_input_digests(tables), grades, draw_id, utc_now())
    target = commitment_file(out_root, draw_id)
    try:
        with atomic_path(target, replace=False) as tmp:
            write_json(tmp, record)
    except FileExistsError:
        raise DrawError("draw_errors.already_committed", draw_id=draw_id, path=target) from None
    return record


# --- draw -----------------------------------------------------------------------------
def _candidates(out_root: Path, as_of: str) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(Path(out_root).glob("*.commitment.json")) if Path(out_root).is_dir() else []:
        record = _read_record(path)
        if record.get("as_of") == as_of:
            found.append((path, record))
    return found


def _listed(found: list[Phrase], item: str = "verify.item") -> Joined:
    """Differences explained, one a line."""
    return Joined([Phrase(item, difference=explain(d)) for d in found])


def _refusal(draw_id: str, out_root: Path, now: dict[str, Any]) -> DrawError:
    candidates = _candidates(out_root, now["as_of"])
    if not candidates:
        return DrawError("draw_errors.no_commitment", draw_id=draw_id, out=out_root)
    listed = Joined(
        Phrase("draw_errors.candidate", name=path.name, listed=_listed(differences(record, now), "verify.sub_item"))
        for path, record in candidates
    )
    return DrawError(
        "draw_errors.no_matching_commitment", draw_id=draw_id, out=out_root, as_of=now["as_of"], listed=listed
    )


def check_commitment(
    tables: Tables, grades: pd.DataFrame, config: DrawConfig, out_root: Path, inputs: dict[str, str]
) -> dict[str, Any]:
    """The commitment record this draw must match; refuses, naming every difference, when there is none.

    ``inputs`` are the digests of the input tables (:func:`drawn_input_digests`).
    """
    frame = build_frame(tables, grades, config)
    draw_id = default_draw_id(config, commitment(frame))
    path = commitment_file(out_root, draw_id)
    if not path.exists():
        now = commitment_record(frame, config, inputs, grades, draw_id, "")
        raise _refusal(draw_id, out_root, now)
    record = _read_record(path)
    now = commitment_record(frame, config, inputs, grades, draw_id, str(record.get("committed_at_utc", "")))
    changed = differences(record, now)
    if changed:
        raise DrawError("draw_errors.not_as_committed", name=path.name, listed=_listed(changed))
    return record


def manifest_for(
    outputs: DrawOutputs,
    config: DrawConfig,
    inputs: dict[str, str],
    record: dict[str, Any] | None,
    files: dict[str, str],
) -> dict[str, Any]:
    """Everything needed to re-run the draw and check its files (``inputs``, ``files``: name -> SHA-256)."""
    committed = record is not None
    return {
        "format": MANIFEST_FORMAT,
        "draw_id": outputs.draw_id,
        "commitment": {
            "status": "committed before the seed" if committed else UNCOMMITTED[0],
            "sha256": commitment_hash(record) if record is not None else None,
            "record": record,
        },
        "public_seed": config.public_seed,
        "frame_sha256": outputs.frame_sha256,
        "seed_material": outputs.seed_material,
        "seed_material_rule": SEED_MATERIAL_RULE,
        "algorithm": {**ALGORITHM, "stage1_design_used": outputs.stage1_method},
        "teams": {"fallback_applied": outputs.teams_fallback, "fallback_rule": TEAM_FALLBACK_RULE},
        "software": {"certrisk": __version__},
        "config": config.to_dict(),
        "inputs": dict(inputs),
        "outputs": dict(sorted(files.items())),
    }


def draw_files(outputs: DrawOutputs, folder: Path, config: DrawConfig) -> dict[str, str]:
    """Write every CSV and XLSX of the draw into ``folder``; returns name -> SHA-256 of the bytes written.

    The XLSX of a list holds the cells of its CSV files, laid out by
    :func:`certrisk.draw.xlsx.list_sheets`, and an about sheet naming the draw.
    """
    files = {}
    for name, table in outputs.tables.items():
        data = csv_bytes(table)
        (folder / name).write_bytes(data)
        files[name] = sha256_hex(data)
    who = DrawIdentity(
        draw_id=outputs.draw_id,
        as_of=config.as_of.date().isoformat(),
        frame_sha256=outputs.frame_sha256,
        commitment_sha256=outputs.commitment_sha256,
        seed=config.public_seed,
        version=__version__,
        lang=config.lang,
    )
    for name in LISTS_WITH_XLSX:
        xlsx = folder / name.replace(".csv", ".xlsx")
        write_workbook(xlsx, list_sheets(name, outputs.tables, config.lang), draw_about(name, who))
        files[xlsx.name] = file_sha256(xlsx)
    return files


def write_draw(
    out_root: Path, outputs: DrawOutputs, config: DrawConfig, inputs: dict[str, str], record: dict[str, Any] | None
) -> Path:
    """Write the draw folder by one exclusive rename; a folder of that name, even a concurrent one, is never replaced."""
    folder = Path(out_root) / outputs.draw_id
    if folder.exists():
        raise DrawError("draw_errors.draw_exists", draw_id=outputs.draw_id, out=out_root)
    try:
        with atomic_path(folder, replace=False) as tmp:
            tmp.mkdir()
            files = draw_files(outputs, tmp, config)
            write_json(tmp / MANIFEST, manifest_for(outputs, config, inputs, record, files))
    except FileExistsError:
        raise DrawError("draw_errors.draw_exists", draw_id=outputs.draw_id, out=out_root) from None
    return folder


def make_draw(
    tables: Tables,
    grades: pd.DataFrame,
    config: DrawConfig,
    out_root: Path,
    *,
    uncommitted: bool = False,
    stringency: pd.DataFrame | None = None,
) -> tuple[Path, DrawOutputs]:
    """Check the commitment (unless ``uncommitted``), draw, and write the folder (``stringency``: see run_draw)."""
    inputs = drawn_input_digests(tables)
    record = None if uncommitted else check_commitment(tables, grades, config, out_root, inputs)
    extra = {} if stringency is None else {"stringency": stringency}
    outputs = run_draw(tables, grades, config, commitment_hash(record) if record is not None else None, **extra)
    folder = write_draw(out_root, outputs, config, inputs, record)
    return folder, outputs


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a draw folder; one sentence when it is missing or damaged (a key twice in one object too)."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise DrawError("draw_errors.not_a_draw_folder", folder=folder, manifest=MANIFEST)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise DrawError("draw_errors.manifest_duplicate_key", path=path, key=exc.key) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DrawError("draw_errors.manifest_not_json", path=path, error=f"{type(exc).__name__}: {exc}") from None
    required = ("format", "draw_id", "commitment", "public_seed", "config", "outputs")
    missing = [k for k in required if not isinstance(manifest, dict) or k not in manifest]
    if missing:
        raise DrawError("draw_errors.manifest_lacks", path=path, missing=", ".join(missing))
    return manifest
