"""Temporaries of outputs: owner-only while in use, kept while their writer lives, removed once it is gone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from features.atomic import atomic_outputs
from features.partials import PARTIAL_PREFIX, partial_folder, remove_stale_partials


def test_a_stale_temporary_is_removed_and_a_live_one_kept(tmp_path):
    stale_dir = tmp_path / f"{PARTIAL_PREFIX}frame.csv-dead1"
    stale_dir.mkdir()
    (stale_dir / "frame.csv").write_text("internal")
    stale_file = tmp_path / f"{PARTIAL_PREFIX}mlflow.db-dead2"
    stale_file.write_text("half")
    (tmp_path / "public_list.csv").write_text("public")
    with partial_folder(tmp_path, "draw") as live:
        removed = remove_stale_partials(tmp_path)
        assert sorted(removed) == sorted([stale_dir, stale_file])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "public_list.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["public_list.csv"]


def test_the_temporary_of_another_living_process_is_kept(tmp_path):
    """The lock is the kernel's: another process holding it keeps its temporary; once it dies, it goes."""
    code = (
        "import sys, time; from features.partials import partial_folder\n"
        "with partial_folder(sys.argv[1], 'x') as w:\n"
        "    print(w, flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        work = tmp_path / os.path.basename(proc.stdout.readline().strip())
        assert remove_stale_partials(tmp_path) == [] and work.is_dir()
    finally:
        proc.kill()
        proc.wait()
    assert remove_stale_partials(tmp_path) == [work] and list(tmp_path.iterdir()) == []


def test_a_link_named_like_a_temporary_is_not_followed(tmp_path):
    target = tmp_path / "keep"
    target.mkdir()
    (target / "data.csv").write_text("mine")
    link = tmp_path / f"{PARTIAL_PREFIX}link"
    link.symlink_to(target, target_is_directory=True)
    assert remove_stale_partials(tmp_path) == [] and (target / "data.csv").read_text() == "mine"


def test_outputs_follow_the_umask_while_their_temporary_is_owner_only(tmp_path):
    before = os.umask(0o027)
    try:
        with atomic_outputs([tmp_path / "out" / "data", tmp_path / "out" / "record.json"]) as (folder, record):
            folder.mkdir()
            (folder / "table.csv").write_text("x")
            record.write_text("{}")
            (work,) = [p for p in (tmp_path / "out").iterdir() if p.name.startswith(PARTIAL_PREFIX)]
            assert stat.S_IMODE(work.stat().st_mode) == 0o700
    finally:
        os.umask(before)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").rglob("*")}
    assert modes == {"data": 0o750, "table.csv": 0o640, "record.json": 0o640}
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o750  # the folder it created, too
