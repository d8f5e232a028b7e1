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
    assert main(["generate", "--out", str(tmp_path / "sim"), "--scale", "0.02", "--seed", "4"]) == 0
    assert sorted(p.name for p in (tmp_path / "sim" / "data").iterdir()) == [
        "audits.parquet",
        "bodies.parquet",
        "certificates.parquet",
        "conflicts.parquet",
        "inspections.parquet",
        "inspectors.parquet",
        "signals.parquet",
    ]
    assert (tmp_path / "sim" / "truth" / "risk_quarterly.parquet").exists()
    assert "ground truth" in capsys.readouterr().out


def test_generate_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("precious")
    assert main(["generate", "--out", str(tmp_path), "--scale", "0.02"]) == 1
    err = capsys.readouterr().err
    assert "exists and is not empty" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("scale", ["0", "11", "-1"])
def test_generate_refuses_a_bad_scale(tmp_path, capsys, scale):
    assert main(["generate", "--out", str(tmp_path / "x"), "--scale", scale]) == 1
    assert "`--scale` must be between 0.001 and 10" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_generated_directory_validates(small_data_dir, capsys):
    assert main(["validate", str(small_data_dir), "--as-of", "2026-10-01"]) == 0
    assert "conforms" in capsys.readouterr().out


def test_validate_missing_directory_is_a_plain_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


@pytest.mark.e2e
def test_demo_runs_and_says_where_things_went(tmp_path_factory):
    from test_notebooks import demo_printed, shared_demo

    demo = shared_demo(tmp_path_factory)  # the demo the notebooks run on, built once per test run
    out = demo_printed(demo).read_text(encoding="utf-8")
    assert "Where everything went:" in out and str(demo / "data") in out
    assert f"verify the draw with: certrisk verify {demo / 'draws'}" in out and "--commitment" in out


def test_features_command_writes_table_dictionary_and_run_record(small_data_dir, tmp_path, capsys):
    import json

    import pandas as pd

    out = tmp_path / "f" / "features.csv"
    assert main(["features", str(small_data_dir), "--as-of", "2026-07-01", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) > 10 and "missing_checkin_rate" in table.columns
    dictionary = pd.read_csv(out.with_name("features.dictionary.csv"), encoding="utf-8-sig")
    assert set(dictionary["name"]) == set(table.columns) - {"body_id", "as_of"}
    record = json.loads(out.with_name("features.run.json").read_text(encoding="utf-8"))
    assert set(record["inputs"]["data"]) >= {"bodies.parquet", "audits.parquet"}
    assert all(len(h) == 64 for h in record["inputs"]["data"].values())
    assert record["config"]["as_of"] == "2026-07-01"
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "features.csv",
        "features.dictionary.csv",
        "features.run.json",
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--as-of", "not-a-date", "--out", "x.parquet"], "`--as-of` must be a date YYYY-MM-DD; got 'not-a-date'"),
        (["--as-of", "2026-01-01", "--out", "x.txt"], "`--out` must end in .parquet, .csv, .xlsx; got 'x.txt'"),
    ],
)
def test_features_command_refuses_bad_arguments(small_data_dir, tmp_path, capsys, argv, message):
    argv = [a if a not in ("x.parquet", "x.txt") else str(tmp_path / a) for a in argv]
    assert main(["features", str(small_data_dir), *argv]) == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_profile_command_shows_where_to_start(small_data_dir, capsys):
    assert main(["profile", str(small_data_dir), "CB00003", "--as-of", "2026-10-01", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "机构 CB00003" in out and "异常提示" in out and "未签到审核比例" in out


def test_profile_command_unknown_body(small_data_dir, capsys):
    assert main(["profile", str(small_data_dir), "NOPE", "--as-of", "2026-10-01"]) == 1
    assert "body 'NOPE' is not in the feature table" in capsys.readouterr().err
