"""Every writing command refuses an output location it cannot write, in one sentence, before any work.

A read-only folder, a file where a folder is needed, a folder where a file is
needed, a folder below a file: exit 1, one line on stderr naming the option
and the path as written, nothing written and nothing earlier changed. The
checks run before the data are read, so these cases cost no data loading.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from minimal_data import AS_OF, write_minimal_data

from certrisk.cli import main, os_error_message
from features.atomic import atomic_outputs, output_problem


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for a folder): what "nothing changed" compares."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@contextlib.contextmanager
def _mounted_read_only(folder: Path):
    """``folder`` as a read-only file system holding ``earlier.csv`` (root writes through permission bits)."""
    mount = ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("running as root and a read-only file system cannot be mounted here")
    try:
        (folder / "earlier.csv").write_text("keep")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.fixture
def read_only(tmp_path):
    """A folder no file can be created in, holding ``earlier.csv``."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        with _mounted_read_only(folder):
            yield folder
        return
    (folder / "earlier.csv").write_text("keep")
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_minimal_data(tmp_path_factory.mktemp("minimal") / "data", "csv")


def _grades(tmp_path: Path) -> Path:
    path = tmp_path / "grades.csv"
    path.write_text("body_id,as_of,grade\nCB001,2026-10-01,B\n", encoding="utf-8")
    return path


def _run_folder(tmp_path: Path) -> Path:
    """A folder for `report` to read, beside the outputs (an output inside a folder a command reads is refused)."""
    run = tmp_path / "run"
    run.mkdir(exist_ok=True)
    return run


def _commands(data: Path, grades: Path, report_run: Path) -> dict[str, tuple[list[str], bool]]:
    """Each writing command with ``OUT`` where its output goes, and whether that output is a folder."""
    policy = ["--grades", str(grades), "--budget", "3", "--as-of", AS_OF]
    return {
        "generate": (["generate", "--out", "OUT", "--scale", "0.01"], True),
        "demo": (["demo", "--out", "OUT", "--scale", "0.01"], True),
        "features": (["features", str(data), "--as-of", AS_OF, "--out", "OUT"], False),
        "grade": (["grade", str(data), "--as-of", AS_OF, "--out", "OUT"], False),
        "estimate": (["estimate", str(data), "--as-of", AS_OF, "--out", "OUT"], False),
        "train": (["train", str(data), "--as-of", AS_OF, "--out", "OUT"], True),
        "commit": (["commit", str(data), *policy, "--out", "OUT"], True),
        "draw": (["draw", str(data), *policy, "--out", "OUT", "--seed", "s", "--uncommitted"], True),
        "plan": (["plan", str(data), *policy, "--reps", "2", "--out", "OUT"], True),
        "report": (["report", str(report_run), "--out", "OUT"], False),
        "publish": (["publish", "no-draw-yet", "--data", str(data), "--out", "OUT"], False),  # checked before the draw
    }


def _run(argv: list[str], out: str, capsys) -> tuple[int, str, str]:
    code = main([out if a == "OUT" else a for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _option(argv: list[str]) -> str:
    return "`--out`" if "--out" in argv else "output folder"


COMMANDS = ["generate", "demo", "features", "grade", "estimate", "train", "commit", "draw", "plan", "report", "publish"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_folder_is_refused_in_words(command, read_only, data, tmp_path, capsys):
    argv, folder = _commands(data, _grades(tmp_path), _run_folder(tmp_path))[command]
    out = f"{read_only}/{'new' if folder else 'table.csv' if command != 'report' else 'report.md'}"
    before = _tree(read_only)
    code, stdout, err = _run(argv, out, capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        f"certrisk {command}: {_option(argv)} {out!r} cannot be written: {read_only} is read-only "
        "(no file can be created in it); nothing was written."
    ]
    assert "Traceback" not in err and _tree(read_only) == before


@pytest.mark.parametrize("command", [c for c in COMMANDS if _commands(Path("d"), Path("g"), Path("r"))[c][1]])
def test_an_existing_file_where_a_folder_goes_is_refused_and_kept(command, data, tmp_path, capsys):
    argv, _ = _commands(data, _grades(tmp_path), _run_folder(tmp_path))[command]
    taken = tmp_path / "taken"
    taken.write_text("keep")
    code, _, err = _run(argv, str(taken), capsys)
    assert code == 1 and taken.read_text() == "keep"
    if command == "plan":  # plan's own earlier wording
        assert err.strip() == f"certrisk plan: `--out` must be a folder; {taken} is a file."
    elif command == "train":  # a run folder is never reused
        assert err.strip() == f"certrisk train: run folder {taken} already exists; choose a new one."
    else:
        assert err.strip() == (
            f"certrisk {command}: {_option(argv)} {str(taken)!r} cannot be written: {taken} is a file, not a folder; "
            "nothing was written."
        )


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_below_a_file_is_refused(command, data, tmp_path, capsys):
    argv, folder = _commands(data, _grades(tmp_path), _run_folder(tmp_path))[command]
    (tmp_path / "afile").write_text("keep")
    out = str(tmp_path / "afile" / ("sub" if folder else "report.md" if command == "report" else "t.csv"))
    code, _, err = _run(argv, out, capsys)
    assert code == 1 and (tmp_path / "afile").read_text() == "keep"
    assert err.strip() == (
        f"certrisk {command}: {_option(argv)} {out!r} cannot be written: {tmp_path / 'afile'} is a file, "
        "so no folder can be made in it; nothing was written."
    )


@pytest.mark.parametrize("command", ["features", "grade", "estimate", "report", "publish"])
def test_an_existing_folder_where_a_file_goes_is_refused(command, data, tmp_path, capsys):
    argv, _ = _commands(data, _grades(tmp_path), _run_folder(tmp_path))[command]
    taken = tmp_path / ("report.md" if command == "report" else "t.csv")
    taken.mkdir()
    (taken / "inside.txt").write_text("keep")
    code, _, err = _run(argv, str(taken), capsys)
    assert code == 1 and (taken / "inside.txt").read_text() == "keep"
    assert err.strip() == (
        f"certrisk {command}: `--out` {str(taken)!r} cannot be written: {taken} is a folder, not a file; "
        "nothing was written."
    )


def test_a_file_written_beside_the_output_is_checked_too(data, tmp_path, capsys):
    (tmp_path / "f.dictionary.csv").mkdir()
    out = str(tmp_path / "f.csv")
    code, _, err = _run(["features", str(data), "--as-of", AS_OF, "--out", "OUT"], out, capsys)
    assert code == 1 and not (tmp_path / "f.csv").exists()
    assert f"cannot be written: {tmp_path / 'f.dictionary.csv'} is a folder, not a file" in err


def test_a_read_only_tracking_store_folder_is_refused_before_training(read_only, data, capsys):
    uri = f"sqlite:///{read_only}/mlflow.db"
    code, _, err = _run(["train", str(data), "--as-of", AS_OF, "--tracking-uri", uri], "", capsys)
    assert code == 1
    assert err.strip() == (
        f"certrisk train: `--tracking-uri` {uri!r} cannot be written: {read_only} is read-only "
        "(no file can be created in it); nothing was written."
    )


def test_missing_folders_are_created_and_an_earlier_file_is_replaced(data, tmp_path, capsys):
    out = tmp_path / "a" / "b" / "features.csv"
    argv = ["features", str(data), "--as-of", AS_OF, "--out", str(out)]
    assert main(argv) == 0 and out.is_file()
    out.write_text("earlier")
    assert main(argv) == 0 and out.read_text(encoding="utf-8-sig").startswith("body_id")
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "features.csv",
        "features.dictionary.csv",
        "features.run.json",
    ]


# --- the check itself and the last line of defence ---------------------------------------------
def test_output_problem_creates_nothing(tmp_path):
    target = tmp_path / "x" / "y" / "z.csv"
    assert output_problem(target) is None and output_problem(target.parent, folder=True) is None
    assert list(tmp_path.iterdir()) == []


def test_outputs_of_one_call_must_share_a_folder():
    with pytest.raises(ValueError, match="distinct names in one folder"):
        with atomic_outputs(["a/x.csv", "b/x.csv"]):
            pass


def test_an_os_error_while_writing_leaves_nothing_and_is_one_sentence(tmp_path, monkeypatch, data, capsys):
    """Disk full in the middle of writing (after the checks passed): the atomic writer undoes everything."""
    import certrisk.tables as tables

    def full(frame, path):
        path.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(tables, "write_table", full)
    out = tmp_path / "features.csv"
    code, _, err = _run(["features", str(data), "--as-of", AS_OF, "--out", "OUT"], str(out), capsys)
    assert code == 1 and list(tmp_path.iterdir()) == []
    assert err.strip().splitlines() == [  # the file named is the output asked for, not its temporary
        f"certrisk features: {out}: no space left on device; the command stopped and wrote none of its output files."
    ]


def test_os_error_message_keeps_our_own_sentences():
    assert os_error_message(FileExistsError("draw D1 already exists.")) == "draw D1 already exists."
    assert os_error_message(OSError(errno.EROFS, "Read-only file system")) == (
        "read-only file system; the command stopped and wrote none of its output files."
    )


def test_the_console_script_refuses_a_read_only_folder_without_a_traceback(read_only, data, tmp_path):
    """Through the real console script: exit code, stderr and stdout separately."""
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    out = f"{read_only}/draws"
    argv = [*command, "commit", str(data), "--grades", str(_grades(tmp_path)), "--budget", "3", "--out", out]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"certrisk commit: `--out` {out!r} cannot be written: {read_only} is read-only "
        "(no file can be created in it); nothing was written."
    )


# --- train with too little history ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("as_of", "advice", "counts", "console"),
    [
        # minimal_data: 12 inspections 2024-05-14 .. 2026-06-03; 2012: nothing before the window, nothing in it
        ("2012-01-01", "choose a later as-of date", "there are 0, 0 serious) and evaluated", True),
        # 2040: every inspection is before the window 2039-01-01 .. 2040-01-01, none in it
        (
            "2040-01-01",
            "choose an earlier as-of date",
            "(at least one serious and one not serious: there are 0, 0 serious)",
            False,
        ),
        # 2026-10-01: 5 random inspections before the window 2025-10-01 .. 2026-10-01, 1 serious (INS2025003): the
        # calibration's 5 folds need 5 of each
        ("2026-10-01", "at least 5 serious and 5 not serious", "there are 5, 1 serious) and evaluated", False),
    ],
)
def test_train_with_too_little_history_says_how_much_there_is_and_is_needed(
    as_of, advice, counts, console, data, tmp_path, capsys
):
    store = tmp_path / "mlflow.db"
    argv = ["train", str(data), "--as-of", as_of, "--tracking-uri", f"sqlite:///{store}", "--out", str(tmp_path / "r")]
    if console:  # the real console script: exit code, stdout and stderr apart
        script = Path(sys.executable).with_name("certrisk")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
        done = subprocess.run([*command, *argv], capture_output=True, text=True, timeout=120)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        code, out, err = _run(argv, "", capsys)
    assert code == 1 and "Traceback" not in err
    assert out == f"quarterly retraining as of {as_of}\n"
    (line,) = err.strip().splitlines()
    assert line.startswith(f"certrisk train: not enough history for out-of-time evaluation as of {as_of}: ")
    assert advice in line and counts in line and line.endswith("Nothing was trained or written.")
    assert "The data hold 12 inspections, from 2024-05-14 to 2026-06-03" in line
    assert list(tmp_path.iterdir()) == []  # no store, no run folder
