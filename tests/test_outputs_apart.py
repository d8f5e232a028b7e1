"""No output may be one of the command's inputs or lie inside a folder it reads (certrisk.outputs.check_apart).

Each refusal is checked in process through ``main()`` (exit 1, the sentence naming both arguments) and the inputs
are compared byte for byte before and after: nothing was read or written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from minimal_data import AS_OF, write_minimal_data

from certrisk.cli import build_parser, main
from certrisk.outputs import INPUT_ARGUMENTS, OUTPUT_ARGUMENTS

#: Every other argument of the command line, none of which names a file or folder the command reads or writes
#: (the tracking URI's folder is checked by the commands that take it).
NOT_PATHS = {
    "alias", "as_of", "body_id", "budget", "budget_share", "ccc_on_top", "certificate_weight", "commitment",
    "draw_id", "floor", "frontier", "frontier_reps", "kinds", "lang", "net_of_inspectors", "on", "reps", "scale",
    "seed", "since", "team_size", "tracking_uri", "uncommitted", "undisturbed_a",
}  # fmt: skip


def _contents(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")}


@pytest.fixture
def data(tmp_path) -> Path:
    return write_minimal_data(tmp_path / "data")


def test_an_output_inside_the_data_directory_is_refused_and_the_data_are_untouched(data, capsys):
    before = _contents(data)
    assert main(["features", str(data), "--as-of", AS_OF, "--out", str(data / "bodies.csv")]) == 1
    err = capsys.readouterr().err
    assert f"`--out` '{data / 'bodies.csv'}' lies inside DATA '{data}', a folder the command reads" in err
    assert "nothing was read or written" in err
    assert _contents(data) == before


def test_an_output_that_is_an_input_file_is_refused_and_the_file_is_untouched(data, tmp_path, capsys):
    planned = tmp_path / "planned.csv"
    planned.write_text("body_id,inspected_on,inspector_ids\nCB001,2026-10-15,I001\n", encoding="utf-8")
    before = planned.read_bytes()
    argv = ["score", str(data), "--as-of", AS_OF, "--inspections", str(planned), "--out", str(planned)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"`--out` '{planned}' is also `--inspections` '{planned}', which the command reads" in err
    assert planned.read_bytes() == before


def test_a_link_to_an_input_is_the_input(data, tmp_path, capsys):
    previous = tmp_path / "monitor" / "2026-07-01"
    previous.mkdir(parents=True)
    (previous / "monitor.json").write_text("{}", encoding="utf-8")
    link = tmp_path / "this-quarter"
    link.symlink_to(previous, target_is_directory=True)
    assert main(["monitor", str(data), "--as-of", AS_OF, "--previous", str(previous), "--out", str(link)]) == 1
    assert "is also `--previous`" in capsys.readouterr().err
    assert (previous / "monitor.json").read_text(encoding="utf-8") == "{}"


def test_the_refusal_in_chinese(data, capsys):
    assert main(["features", str(data), "--as-of", AS_OF, "--out", str(data / "f.csv"), "--lang", "zh"]) == 1
    assert "位于命令读取的文件夹" in capsys.readouterr().err


def test_an_output_beside_the_inputs_is_written(data, tmp_path):
    out = tmp_path / "features.csv"
    assert main(["features", str(data), "--as-of", AS_OF, "--out", str(out)]) == 0
    assert out.is_file()


def test_every_argument_is_known_to_name_an_input_an_output_or_no_path():
    """A new option that names a file is added to INPUT_ARGUMENTS or OUTPUT_ARGUMENTS, or it escapes the check."""
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    dests = {a.dest for sub in commands.choices.values() for a in sub._actions if a.dest != "help"}
    assert dests - set(INPUT_ARGUMENTS) - set(OUTPUT_ARGUMENTS) - NOT_PATHS == set()
    assert not (set(INPUT_ARGUMENTS) | set(OUTPUT_ARGUMENTS)) & NOT_PATHS
