"""A 10 MB cell is validated and reported in under a second (the report's clipping is linear, not quadratic).

The one timing assertion of the contract tests, asked for explicitly: a single
cell of 10 million characters once took hours to report, because the value
was clipped one character at a time and measured again after each. The data
directory is the smallest that can be checked (a few bodies, inspections with a
header only), so the time is that of the long cell. The time is the process's
CPU time, best of two runs, so that other work on a busy machine does not fail
the test, while a quadratic clipping (minutes) still would.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from minimal_data import AS_OF, CSV

from features import DataContractError, load_data_dir
from features.report import VALUE_WIDTH, _clip, _width

TEN_MB = 10_000_000


def _directory(folder: Path, table: str, column: str, value: str) -> Path:
    """Bodies and three inspections of the minimal data, the long cell in data row 2 of ``table``."""
    folder.mkdir()
    for name in ("bodies", "inspections"):
        lines = CSV[name].splitlines()
        keep = lines if name == "bodies" else lines[:4]
        header = keep[0].split(",")
        if table == name:
            cells = keep[2].split(",")
            cells[header.index(column)] = value
            keep[2] = ",".join(cells)
        (folder / f"{name}.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    return folder


def _best_time(folder: Path) -> tuple[float, DataContractError]:
    """The shortest CPU time of two runs of loading and reporting, and the error of the last."""
    times = []
    for _ in range(2):
        started = time.process_time()
        with pytest.raises(DataContractError) as info:
            load_data_dir(folder, as_of=AS_OF)
        text = info.value.report()
        times.append(time.process_time() - started)
    assert text
    return min(times), info.value


@pytest.mark.parametrize(
    ("table", "column", "unit", "rule"),
    [
        ("bodies", "province", "9", "must be a GB/T 2260 province code"),
        ("bodies", "approved_on", "2", "must be a date YYYY-MM-DD"),
        ("bodies", "fields", "QMS|", "must be ;-separated field codes"),
        ("inspections", "inspector_ids", "IN 1", "must be ;-separated ids without spaces"),
    ],
)
def test_a_ten_megabyte_cell_is_validated_and_reported_in_under_a_second(tmp_path, table, column, unit, rule):
    value = unit * (TEN_MB // len(unit))
    folder = _directory(tmp_path / "data", table, column, value)
    load_data_dir(_directory(tmp_path / "warm", "bodies", "name", "x"), as_of=AS_OF)  # imports and caches
    seconds, error = _best_time(folder)
    assert seconds < 1.0, f"{seconds:.2f} s of CPU for a 10 MB cell"
    p = error.problems
    hit = p[(p["table"] == table) & (p["column"] == column) & p["rule"].str.startswith(rule)]
    assert hit["row"].tolist() == [2]
    assert hit["value"].iloc[0] == value  # the problem table keeps the value as written
    assert len(p) == 1, p
    line = next(ln for ln in error.report().splitlines() if ln.startswith(table))
    shown = _clip(value)
    assert shown in line and shown.endswith("...") and _width(shown) <= VALUE_WIDTH


def test_clipping_keeps_short_values_and_cuts_long_ones_to_the_width():
    assert _clip("x" * VALUE_WIDTH) == "x" * VALUE_WIDTH
    assert _clip("x" * (VALUE_WIDTH + 1)) == "x" * (VALUE_WIDTH - 3) + "..."
    # CJK characters take two columns: 30 of them fill the width exactly, 31 do not fit
    assert _clip("证" * 30) == "证" * 30
    assert _clip("证" * 31) == "证" * 28 + "..."
    assert _width(_clip("a证" * 50)) <= VALUE_WIDTH
    assert _clip("two\nlines\r\n") == "two lines  "
