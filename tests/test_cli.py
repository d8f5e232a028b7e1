"""The command line: help everywhere, plain errors with exit 1, the demo."""

from __future__ import annotations

import pytest

from certrisk.cli import build_parser, main

SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: certrisk {command}" in out and len(out.splitlines()) > 3


def test_generate_writes_data_and_truth(tmp_path, capsys):
    assert main(["generate", str(tmp_path / "sim"), "--scale", "0.02", "--seed", "4"]) == 0
    assert sorted(p.name for p in (tmp_path / "sim" / "data").iterdir()) == [
        "audits.parquet", "bodies.parquet", "certificates.parquet", "conflicts.parquet",
        "inspections.parquet", "inspectors.parquet", "signals.parquet",
    ]
    assert (tmp_path / "sim" / "truth" / "risk_quarterly.parquet").exists()
    assert "ground truth" in capsys.readouterr().out


def test_generate_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("precious")
    assert main(["generate", str(tmp_path), "--scale", "0.02"]) == 1
    err = capsys.readouterr().err
    assert "exists and is not empty" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("scale", ["0", "11", "-1"])
def test_generate_refuses_a_bad_scale(tmp_path, capsys, scale):
    assert main(["generate", str(tmp_path / "x"), "--scale", scale]) == 1
    assert "`--scale` must be between 0.001 and 10" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_generated_directory_validates(small_data_dir, capsys):
    assert main(["validate", str(small_data_dir), "--as-of", "2026-10-01"]) == 0
    assert "conforms" in capsys.readouterr().out


def test_validate_missing_directory_is_a_plain_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


def test_demo_runs_and_says_where_things_went(tmp_path, capsys):
    assert main(["demo", str(tmp_path / "demo"), "--scale", "0.02"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "demo" / "data") in out
