"""Verification against what was published: the commitment hash and the public seed.

:func:`verify_draw` trusts nothing in the folder. It checks that the
folder's commitment record hashes to the published commitment and that the
published seed is the one used; recomputes the commitment from the data, the
grades kept in the folder and the committed configuration (so the frame, the
settings and every input table are compared with what was committed); re-runs
the whole draw from the published values; and compares every manifest field
and every file with what the re-run gives. XLSX files are checked against
their recorded SHA-256 and, value by value, against their CSV files laid out
as the draw lays them out (:func:`certrisk.draw.xlsx.list_sheets`), with
exactly those sheets and the about sheet the manifest gives, no formula and
no text a spreadsheet could take for one.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from features.cells import restore
from features.tables import Tables

from ..catalogue import Phrase
from ..xlsx import ABOUT_HEADER, ABOUT_SHEET, ReadWorkbook, read_workbook, xlsx_text
from .commitment import commitment_hash, commitment_record, differences, drawn_input_digests
from .config import CERTIFICATES, GRADES_FILE, INSPECTORS_FILE, LISTS_WITH_XLSX, MANIFEST, STRINGENCY_FILE, DrawConfig
from .folder import csv_bytes, file_sha256, manifest_for, read_manifest, recorded_outputs, sha256_hex
from .frame import build_frame
from .stages import run_draw
from .xlsx import DrawIdentity, draw_about, list_sheets


def _published(manifest: dict[str, Any], commitment_sha256: str, public_seed: str) -> list[Phrase]:
    problems = []
    record = manifest["commitment"].get("record") if isinstance(manifest["commitment"], dict) else None
    if record is None:
        problems.append(Phrase("verify.uncommitted"))
    elif commitment_hash(record) != commitment_sha256.strip().lower():
        found, published = commitment_hash(record)[:16], commitment_sha256[:16]
        problems.append(Phrase("verify.commitment_hash", found=found, published=published))
    if manifest["public_seed"] != public_seed:
        problems.append(Phrase("verify.seed", used=manifest["public_seed"], published=public_seed))
    return problems


def _file_problems(folder: Path, manifest: dict[str, Any]) -> list[Phrase]:
    recorded = recorded_outputs(manifest)
    problems = []
    for name, digest in sorted(recorded.items()):
        file = folder / name
        if not file.is_file():
            problems.append(Phrase("verify.file_missing", name=name))
        elif file_sha256(file) != digest:
            problems.append(Phrase("verify.file_changed", name=name))
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    problems += [Phrase("verify.file_extra", name=name) for name in sorted(present - set(recorded))]
    return problems


def _csv_table(path: Path) -> pd.DataFrame:
    """A CSV file of the folder as the text it stands for (every cell restored), or an empty table when missing."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(restore)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return pd.DataFrame()


def _same_cell(xlsx: str, csv_text: str) -> bool:
    """One cell of the XLSX equals its CSV text (numbers to 1e-12: XLSX keeps 15-17 significant digits)."""
    if xlsx == csv_text:
        return True
    try:
        return math.isclose(float(xlsx), float(csv_text), rel_tol=1e-12, abs_tol=0.0)
    except ValueError:
        return False


def _same_rows(sheet: list[list[str]], table: list[list[str]]) -> bool:
    return len(sheet) == len(table) and all(
        len(a) == len(b) and all(_same_cell(x, y) for x, y in zip(a, b, strict=True))
        for a, b in zip(sheet, table, strict=True)
    )


def _text_rows(frame: pd.DataFrame) -> list[list[str]]:
    """A sheet's header and rows as the XLSX writer holds their text (control characters replaced)."""
    rows = [[str(c) for c in frame.columns]] + [["" if v is None else str(v) for v in row] for row in frame.to_numpy()]
    return [[xlsx_text(cell) for cell in row] for row in rows]


def _workbook_problems(name: str, book: ReadWorkbook, expected: dict[str, list[list[str]]]) -> list[Phrase]:
    """What differs between a workbook read back and the sheets its CSV files and the manifest give."""
    problems = []
    if list(book.sheets) != list(expected):
        found, wanted = ", ".join(book.sheets), ", ".join(expected)
        problems.append(Phrase("verify.sheets", name=name, found=found, expected=wanted))
    else:
        for sheet, rows in expected.items():
            shown = [[restore(cell) for cell in row] for row in book.sheets[sheet]]
            if not _same_rows(shown, rows):
                what = Phrase("verify.what_about" if sheet == ABOUT_SHEET else "verify.what_csv")
                problems.append(Phrase("verify.sheet_values", name=name, sheet=sheet, what=what))
    if book.formulas:
        problems.append(Phrase("verify.formulas", name=name, cells=", ".join(book.formulas[:3])))
    if book.unsafe:
        problems.append(Phrase("verify.unsafe", name=name, cells=", ".join(book.unsafe[:3])))
    return problems


def _xlsx_problems(folder: Path, manifest: dict[str, Any]) -> list[Phrase]:
    try:
        who = DrawIdentity.from_manifest(manifest)
    except (KeyError, TypeError) as exc:
        return [Phrase("verify.xlsx_unchecked", what=str(exc))]
    tables = {name: _csv_table(folder / name) for name in (*LISTS_WITH_XLSX, CERTIFICATES, INSPECTORS_FILE)}
    problems = []
    for csv_name in LISTS_WITH_XLSX:
        xlsx = folder / csv_name.replace(".csv", ".xlsx")
        if not (xlsx.is_file() and (folder / csv_name).is_file()):
            continue
        try:
            book = read_workbook(xlsx)
            expected = {s.name: _text_rows(s.frame) for s in list_sheets(csv_name, tables, who.lang)}
        except Exception as exc:  # a damaged workbook or CSV file is a difference, whatever openpyxl or pandas raise
            problems.append(Phrase("verify.xlsx_unreadable", name=xlsx.name, error=type(exc).__name__))
            continue
        expected[ABOUT_SHEET] = _text_rows(pd.DataFrame(list(draw_about(csv_name, who).items()), columns=ABOUT_HEADER))
        problems += _workbook_problems(xlsx.name, book, expected)
    return problems


def _kept_grades(folder: Path) -> pd.DataFrame:
    grades = pd.read_csv(folder / GRADES_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return grades.map(restore)


def _kept_stringency(folder: Path) -> dict[str, pd.DataFrame]:
    """The inspector effects kept in the folder (``run_draw``'s ``stringency``), when the draw used any."""
    path = folder / STRINGENCY_FILE
    if not path.is_file():
        return {}
    kept = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(restore)
    return {"stringency": kept.assign(stringency=[float(v) for v in kept["stringency"]])}


def _commitment_problems(
    tables: Tables, grades: pd.DataFrame, config: DrawConfig, record: dict[str, Any], inputs: dict[str, str]
) -> list[Phrase]:
    """What differs between the committed record and the one the data and grades give now."""
    frame = build_frame(tables, grades, config)
    now = commitment_record(frame, config, inputs, grades, record["draw_id"], str(record.get("committed_at_utc", "")))
    return [Phrase("verify.against_commitment", difference=d) for d in differences(record, now, skip=())]


def _rerun_problems(folder: Path, manifest: dict[str, Any], tables: Tables, public_seed: str) -> list[Phrase]:
    record = manifest["commitment"].get("record")
    settings = record["config"] if record is not None else manifest["config"]
    config = DrawConfig.from_dict(settings, public_seed, record["draw_id"] if record else manifest["draw_id"])
    grades, kept = _kept_grades(folder), _kept_stringency(folder)
    inputs = drawn_input_digests(tables)
    problems = _commitment_problems(tables, grades, config, record, inputs) if record is not None else []
    again = run_draw(tables, grades, config, commitment_hash(record) if record is not None else None, **kept)
    files = {name: sha256_hex(csv_bytes(table)) for name, table in again.tables.items()}
    recorded = recorded_outputs(manifest)
    files.update({n.replace(".csv", ".xlsx"): recorded.get(n.replace(".csv", ".xlsx"), "") for n in LISTS_WITH_XLSX})
    expected = manifest_for(again, config, inputs, record, files)
    found = differences(manifest, expected, words=("says", "re-derived"), skip=())
    problems += [Phrase("verify.in_manifest", difference=d) for d in found]
    return problems


class Differences(list[Phrase]):
    """The differences :func:`verify_draw` found (a list, empty when the draw verifies) and the draw they are about:
    ``draw_id``, the id its manifest gives (the folder's name may have been changed, a difference of its own)."""

    def __init__(self, problems: list[Phrase], draw_id: str) -> None:
        super().__init__(problems)
        self.draw_id = draw_id


def _folder_name(folder: Path, manifest: dict[str, Any]) -> list[Phrase]:
    """A draw folder is named after its draw id (``OUT/<draw_id>/``): a renamed copy would show another draw."""
    name = folder.resolve().name
    return [] if name == manifest["draw_id"] else [Phrase("verify.folder_name", name=name, draw_id=manifest["draw_id"])]


def verify_draw(folder: Path, tables: Tables, *, commitment_sha256: str, public_seed: str) -> Differences:
    """Every difference between the draw folder and what the published values and the data give, in words: each a
    sentence of the catalogue (its ``str`` English, :meth:`~certrisk.catalogue.Phrase.in_language` in Chinese)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = _folder_name(folder, manifest) + _published(manifest, commitment_sha256, public_seed)
    problems += _file_problems(folder, manifest)
    problems += _xlsx_problems(folder, manifest)
    try:
        problems += _rerun_problems(folder, manifest, tables, public_seed)
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        problems.append(Phrase("verify.rerun_failed", error=f"{type(exc).__name__}: {exc}"))
    return Differences(problems, str(manifest["draw_id"]))
