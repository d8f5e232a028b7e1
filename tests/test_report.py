"""The quarterly report (`certrisk.report`): Markdown and HTML from a demo output.

Uses the scale-0.05 demo shared with ``tests/test_notebooks.py`` (built once per
run). When the demo has no draw folder or estimates yet, the tests make a draw
with ``certrisk draw`` and write a small estimates table themselves. The HTML
report embeds its figures; the Markdown report links them in ``<stem>_files/``
(``tests/test_report_html.py`` checks the HTML page itself).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest
from test_notebooks import shared_demo

from certrisk.cli import add_report_parser, main
from certrisk.commands import report_command
from certrisk.report import write_report

pytestmark = pytest.mark.e2e  # every test reads the shared demo's outputs: in `make test-long`

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TRAINING_FIGURES = {"calibration", "lift", "grade_distribution", "psi", "migration"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return shared_demo(tmp_path_factory)


@pytest.fixture
def unrendered_figures(monkeypatch):
    """Every figure kept as the same small PNG, unrendered: for tests of where files go, not of what figures show."""
    from certrisk.report.figures import _Figures

    monkeypatch.setattr(_Figures, "save", lambda self, fig, name: self._keep(PNG_MAGIC + b"unrendered", name))


@pytest.fixture(scope="module")
def draw_folder(demo, tmp_path_factory) -> Path:
    found = sorted(demo.glob("draws/*/manifest.json"))
    if found:
        return found[-1].parent
    out = tmp_path_factory.mktemp("draws")
    code = main(
        [
            "draw",
            str(demo / "data"),
            "--grades",
            str(demo / "grades.csv"),
            "--budget",
            "12",
            "--seed",
            "2026-12-01 lottery 07 19 23 31 42",
            "--out",
            str(out),
        ]
    )
    if code != 0:
        pytest.skip("the demo has no draw folder and `certrisk draw` could not make one")
    return next(p.parent for p in out.glob("*/manifest.json"))


@pytest.fixture(scope="module")
def estimates(demo, tmp_path_factory) -> Path:
    if (demo / "estimates.csv").is_file():
        return demo / "estimates.csv"
    path = tmp_path_factory.mktemp("estimates") / "estimates.csv"
    pd.DataFrame(
        {
            "scope": ["overall", "grade", "grade", "province"],
            "domain": ["all", "A", "D", "11"],
            "estimate": [0.18, 0.12, 0.55, 0.2],
            "se": [0.03, 0.03, 0.1, 0.08],
            "ci_low": [0.12, 0.06, 0.35, 0.04],
            "ci_high": [0.24, 0.18, 0.75, 0.36],
            "n": [120, 70, 10, 20],
            "estimator": ["pooled_hajek_ratio"] * 4,
        }
    ).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _linked_images(report: Path) -> list[str]:
    text = report.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    return [urllib.parse.unquote(link) for link in links]  # links are percent-encoded


def _assert_embedded(report: Path, expected: set[str]) -> None:
    """Every figure of the HTML report is a PNG in the page; no figure folder beside it."""
    text = report.read_text(encoding="utf-8")
    figures = dict(re.findall(r'<figure id="figure-([\w-]+)"><img src="data:image/png;base64,([^"]+)"', text))
    assert expected <= set(figures), f"missing figures: {expected - set(figures)}"
    assert len(figures) == len(re.findall(r"<img ", text))  # every image is embedded
    for name, data in figures.items():
        png = base64.b64decode(data)
        assert len(png) > 1000 and png.startswith(PNG_MAGIC), name
    assert not (report.parent / f"{report.stem}_files").exists()


def _assert_figures(report: Path, expected: set[str]) -> None:
    if report.suffix == ".html":
        _assert_embedded(report, expected)
        return
    links = _linked_images(report)
    names = {Path(link).stem for link in links}
    assert expected <= names, f"missing figures: {expected - names}"
    for link in links:
        assert link.startswith(f"{report.stem}_files/"), link
        png = report.parent / link
        data = png.read_bytes()
        assert len(data) > 1000 and data.startswith(PNG_MAGIC), link
    # nothing else in the figure folder than what the report links
    assert {p.name for p in (report.parent / f"{report.stem}_files").iterdir()} == {Path(link).name for link in links}


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_report_renders_with_every_figure(demo, draw_folder, estimates, tmp_path, suffix):
    out = tmp_path / f"quarterly{suffix}"
    path = write_report(demo / "training", draw_folder=draw_folder, estimates=estimates, out=out)
    assert path == out
    _assert_figures(out, TRAINING_FIGURES | {"draw_composition", "estimates"})
    text = out.read_text(encoding="utf-8")
    for heading in (
        "Quarterly risk report",
        "Model performance (out of time)",
        "Grades",
        "Stability against the previous quarter",
        "The draw",
        "Population estimates",
    ):
        assert heading in text
    assert draw_folder.name in text and "certrisk verify" in text
    assert "scorecard" in text and "ROC AUC" in text
    if suffix == ".html":
        assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text and "<table>" in text
    else:
        assert text.startswith("# Quarterly risk report") and "| model |" in text
    files = [f"{out.stem}_files"] if suffix == ".md" else []  # the HTML report is one file
    assert _entries(tmp_path) == sorted([out.name, *files])  # no temporary left behind


def test_report_from_training_run_only(demo, tmp_path):
    out = write_report(demo / "training", out=tmp_path / "report.md")
    _assert_figures(out, TRAINING_FIGURES)
    text = out.read_text(encoding="utf-8")
    assert "The draw" not in text and "Population estimates" not in text


def test_report_in_chinese(demo, draw_folder, estimates, tmp_path):
    out = write_report(
        demo / "training", draw_folder=draw_folder, estimates=estimates, out=tmp_path / "报告.html", lang="zh"
    )
    _assert_figures(out, TRAINING_FIGURES | {"draw_composition", "estimates"})
    text = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    for label in (
        "季度风险报告",
        "模型表现（跨时间验证）",
        "风险等级",
        "与上季度相比的稳定性",
        "本次抽查",
        "抽查构成",
        "总体估计",
        "评分卡",
        "抽样框机构数",
    ):
        assert label in text, label
    assert "Quarterly risk report" not in text


def test_report_estimates_as_dataframe(demo, estimates, tmp_path):
    table = pd.read_csv(estimates, encoding="utf-8-sig")
    out = write_report(demo / "training", estimates=table, out=tmp_path / "r.md")
    _assert_figures(out, TRAINING_FIGURES | {"estimates"})


def test_missing_table_falls_back_to_the_run_png(demo, tmp_path):
    training = tmp_path / "training"
    shutil.copytree(demo / "training", training)
    (training / "calibration.csv").unlink()
    out = write_report(training, out=tmp_path / "out" / "r.md")
    assert (out.parent / "r_files" / "calibration.png").read_bytes() == (training / "calibration.png").read_bytes()


def test_report_replaces_an_earlier_one(demo, unrendered_figures, tmp_path):
    out = tmp_path / "r.md"
    write_report(demo / "training", out=out)
    (tmp_path / "r_files" / "stale.png").write_bytes(b"old")
    write_report(demo / "training", out=out, lang="zh")
    assert "季度风险报告" in out.read_text(encoding="utf-8")
    assert not (tmp_path / "r_files" / "stale.png").exists()


# ------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"training_dir": "no/such/folder"},
            r"`training_dir` must be an existing training run folder; got 'no/such/folder'",
        ),
        ({"out": "report.pdf"}, r"`out` must end in \.md or \.html; got '.*report\.pdf'"),
        ({"out": None}, r"`out` must be the report file"),
        ({"lang": "fr"}, r"`lang` must be one of en, zh; got 'fr'"),
        ({"draw_folder": "no/such/draw"}, r"`draw_folder` must be an existing draw folder; got 'no/such/draw'"),
        (
            {"estimates": "estimates.xlsx"},
            r"`estimates` must be a \.csv file of population estimates; got 'estimates\.xlsx'",
        ),
        ({"estimates": "missing.csv"}, r"`estimates` must be an existing file; got 'missing\.csv'"),
    ],
)
def test_bad_arguments_raise_and_write_nothing(demo, tmp_path, kwargs, match):
    args = {"training_dir": demo / "training", "out": tmp_path / "new" / "r.md"} | kwargs
    with pytest.raises(ValueError, match=match):
        write_report(**args)
    assert _entries(tmp_path) == []


def test_folders_that_are_not_what_they_should_be(demo, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match=r"`training_dir` holds none of the files of a training run"):
        write_report(empty, out=tmp_path / "r.md")
    with pytest.raises(ValueError, match=r"`draw_folder` must hold frame\.csv"):
        write_report(demo / "training", draw_folder=empty, out=tmp_path / "r.md")
    bad = tmp_path / "bad.csv"
    bad.write_text("scope,value\noverall,1\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"`estimates` must have columns scope, domain, estimate; .* lacks domain, estimate"
    ):
        write_report(demo / "training", estimates=bad, out=tmp_path / "r.md")
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(ValueError, match=r"`out` must be a file, not a folder"):
        write_report(demo / "training", out=tmp_path / "folder.md")
    assert _entries(tmp_path) == ["bad.csv", "empty", "folder.md"]


def test_unusable_tables_name_the_argument(demo, draw_folder, tmp_path):
    training = tmp_path / "training"
    shutil.copytree(demo / "training", training)
    pd.DataFrame({"bin": [1], "weight": [1.0]}).to_csv(training / "calibration.csv", index=False)
    with pytest.raises(ValueError, match=r"`training_dir` holds a table .*; got '.*training'"):
        write_report(training, out=tmp_path / "out" / "r.md")
    draw = tmp_path / "draw"
    shutil.copytree(draw_folder, draw)
    pd.DataFrame({"body_id": ["B1"], "grade": ["A"]}).to_csv(draw / "frame.csv", index=False)
    with pytest.raises(ValueError, match=r"`draw_folder` holds a frame\.csv that was changed since the draw"):
        write_report(demo / "training", draw_folder=draw, out=tmp_path / "out" / "r.md")
    manifest = json.loads((draw / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["frame.csv"] = hashlib.sha256((draw / "frame.csv").read_bytes()).hexdigest()
    (draw / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")  # a manifest that agrees
    with pytest.raises(ValueError, match=r"`draw_folder` holds a frame\.csv without column\(s\) pi, selected"):
        write_report(demo / "training", draw_folder=draw, out=tmp_path / "out" / "r.md")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["frame.csv", "grades.csv", "certificates.csv", "teams.csv"])
def test_a_draw_table_changed_since_the_draw_is_refused(demo, draw_folder, tmp_path, name):
    """The report describes the draw from its files: one edited after the draw would be described as drawn."""
    draw = tmp_path / draw_folder.name
    shutil.copytree(draw_folder, draw)
    (draw / name).write_bytes((draw / name).read_bytes() + b"\n")
    with pytest.raises(ValueError, match=rf"`draw_folder` holds a {name} that was changed since the draw"):
        write_report(demo / "training", draw_folder=draw, out=tmp_path / "out" / "r.md")
    (draw / "manifest.json").unlink()
    with pytest.raises(ValueError, match=r"is not a draw folder: manifest\.json is missing"):
        write_report(demo / "training", draw_folder=draw, out=tmp_path / "out" / "r.md")
    assert not (tmp_path / "out").exists()


def test_failure_midway_leaves_nothing_and_keeps_the_earlier_report(
    demo, unrendered_figures, draw_folder, tmp_path, monkeypatch
):
    import certrisk.report.sections.draw as report

    out = tmp_path / "r.html"
    write_report(demo / "training", out=out)
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "_composition_figure", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(demo / "training", draw_folder=draw_folder, out=out, lang="zh")
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert _entries(tmp_path) == ["r.html"]

    fresh = tmp_path / "a" / "b" / "r.md"
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(demo / "training", draw_folder=draw_folder, out=fresh)
    assert not (tmp_path / "a").exists()  # the folders it created are gone too


def test_failure_while_renaming_restores_the_earlier_report(demo, unrendered_figures, tmp_path, monkeypatch):
    import features.atomic as report

    out = tmp_path / "r.md"
    write_report(demo / "training", out=out)
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    real_replace = report.os.replace

    def replace(src, dst):
        if Path(dst) == out and ".previous" not in Path(src).parts:  # the new report's rename, not the restore
            raise OSError("rename failed")
        return real_replace(src, dst)

    monkeypatch.setattr(report.os, "replace", replace)
    with pytest.raises(OSError, match="rename failed"):
        write_report(demo / "training", out=out, lang="zh")
    monkeypatch.undo()
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert _entries(tmp_path) == ["r.md", "r_files"]


# --------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="certrisk")
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def test_command_writes_the_report_and_says_where(demo, draw_folder, tmp_path, capsys):
    out = tmp_path / "q.html"
    args = _parser().parse_args(
        ["report", str(demo / "training"), "--draw", str(draw_folder), "--out", str(out)]
    )  # in English: what the command prints in Chinese is tested with the phrases of the command line
    assert args.func is report_command
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert f"report written to {out} (6 figures embedded)" in printed  # 5 of the run and the draw's
    _assert_figures(out, TRAINING_FIGURES | {"draw_composition"})
    args = _parser().parse_args(["report", str(demo / "training"), "--out", str(tmp_path / "q.md")])
    assert args.func(args) == 0
    assert f"(5 figures in {tmp_path / 'q_files'})" in capsys.readouterr().out


def test_command_reports_bad_arguments_in_one_sentence(demo, tmp_path, capsys):
    args = _parser().parse_args(["report", str(demo / "training"), "--out", str(tmp_path / "q.pdf")])
    assert args.func(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("certrisk report: `--out` must end in .md or .html") and "Traceback" not in err
    assert _entries(tmp_path) == []


def test_command_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["report", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("training_dir", "--draw", "--estimates", "--out", "--lang", "Markdown", "HTML"):
        assert option in text, option
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["report", "runs/train"])  # --out is required
    assert exit_info.value.code == 2
