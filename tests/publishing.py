"""Hand-made draws and results for the tests of ``certrisk publish`` (tests/test_publish.py, the catalogue).

:func:`make_draw` commits and draws the minimal data's bodies (bodies and
inspections only, so the teams are empty) with a budget of 10, the bodies in
the frame: every one of them is drawn (probability 1), so the drawn bodies are
known by hand: CB001 CB002 CB003 CB005 CB006 CB007 CB009 CB010 CB011 CB012
(CB004 is suspended and CB008 revoked: out of the frame). :func:`data_with`
writes the whole minimal data directory with the draw's inspections added.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pandas as pd
from catalogue_cli import GOOD_GRADES
from minimal_data import write_minimal_data

from certrisk.cli import main

DRAW_ID = "P1"
DRAW_AS_OF = "2026-10-01"
DRAWN = ["CB001", "CB002", "CB003", "CB005", "CB006", "CB007", "CB009", "CB010", "CB011", "CB012"]


def make_draw(root: Path, *, lang: str = "en", uncommitted: bool = False, names: dict[str, str] | None = None) -> Path:
    """Draw ``DRAW_ID`` from the minimal bodies (``names``: body id -> another name) into ``root/draws``."""
    core = write_minimal_data(root / "core", tables=("bodies", "inspections"))
    if names:
        _rename(core, names)
    (root / "grades.csv").write_text(GOOD_GRADES, encoding="utf-8")
    inputs = [str(core), "--grades", str(root / "grades.csv"), "--budget", "10", "--out", str(root / "draws")]
    inputs += ["--draw-id", DRAW_ID, "--lang", lang]
    with contextlib.redirect_stdout(io.StringIO()):  # the draw's messages are not the case's output
        if uncommitted:
            assert main(["draw", *inputs, "--seed", "s1", "--uncommitted"]) == 0
        else:
            assert main(["commit", *inputs]) == 0
            assert main(["draw", *inputs, "--seed", "s1"]) == 0
    return root / "draws" / DRAW_ID


def _rename(folder: Path, names: dict[str, str]) -> None:
    bodies = pd.read_csv(folder / "bodies.csv", dtype=str, keep_default_na=False)
    bodies["name"] = bodies["body_id"].map(names).fillna(bodies["name"])
    bodies.to_csv(folder / "bodies.csv", index=False)


def result(body: str, on: str, outcome: str = "none", number: int = 1, **cells: str) -> dict[str, str]:
    """One inspection of the draw as a row of inspections.csv (``cells`` override any column)."""
    findings = "0" if outcome == "none" else "2"
    row = {
        "inspection_id": f"R{number:03d}",
        "body_id": body,
        "inspected_on": on,
        "kind": "random",
        "inclusion_prob": "1",
        "draw_id": DRAW_ID,
        "inspector_ids": "IN001;IN002",
        "outcome": outcome,
        "findings": findings,
        "certs_checked": "5",
        "certs_with_problems": "0",
        "entered_by": "北京市市场监督管理局",
        "decision": "无需处理" if outcome == "none" else "责令整改",
    }
    return row | cells


def data_with(folder: Path, rows: list[dict[str, str]], names: dict[str, str] | None = None) -> Path:
    """The minimal data directory with ``rows`` added to its inspections (``names`` as in :func:`make_draw`)."""
    if folder.exists():
        shutil.rmtree(folder)
    write_minimal_data(folder)
    if names:
        _rename(folder, names)
    if rows:
        ins = pd.read_csv(folder / "inspections.csv", dtype=str, keep_default_na=False)
        pd.concat([ins, pd.DataFrame(rows)], ignore_index=True).to_csv(folder / "inspections.csv", index=False)
    return folder


__all__ = ["DRAWN", "DRAW_AS_OF", "DRAW_ID", "data_with", "make_draw", "result"]
