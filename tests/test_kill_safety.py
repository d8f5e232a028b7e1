"""Kill safety: real `generate`, `features`, `draw` and `train` processes killed with SIGKILL at several moments.

Each command is killed after 0.2 s, 1 s and 3 s of wall-clock time and at the
moment it is writing (a temporary of its output already holds a file:
the draw's internal ``frame.csv``, a Parquet table, the new MLflow store),
then run again to its end (in the test's own process, whose imports are paid). After every kill the place where the outputs go holds
no output and nothing internal outside the temporaries, which are named
``.certrisk-partial-*`` and owner-only (mode 0700); the next run removes them
and succeeds. ``generate`` runs under umask 027, so its outputs must come out
0750 (folders) and 0640 (files), as the umask says, while its temporary was
0700.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from killing import console, has_partial_holding, kill_after, kill_when, partials
from threadpoolctl import threadpool_limits

from certrisk.cli import main
from features.partials import PARTIAL_PREFIX

pytestmark = pytest.mark.e2e  # real processes killed at set moments: in `make test-long`, not `make test`

MOMENTS = (0.2, 1.0, 3.0)
AS_OF = "2026-10-01"
UMASK = 0o027


def _kills(argv: list[str], place: Path, internal: str, outputs: list[Path], *, umask: int = -1) -> None:
    """Kill ``argv`` while a temporary in ``place`` holds ``internal``, then at each moment; check what is left.

    After every kill ``place`` holds only owner-only temporaries and outputs
    that are complete (an output is only ever renamed into place whole). A
    fast machine may finish before 3 s, and on a busy one a kill may land
    after the last rename: then the outputs are removed so that the next kill
    starts as before, and the kill while writing is tried again until it hits
    (three times at most).
    """

    def remove_outputs() -> None:
        for path in outputs:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    for _ in range(3):
        killed = kill_when(argv, has_partial_holding(place, internal), umask=umask)
        hit = killed and bool(partials(place)) and all(p in partials(place) for p in place.iterdir())
        _only_temporaries_and_complete_outputs(place, outputs, "while writing")
        if hit:
            break
        remove_outputs()
    assert hit, "three kills while writing came too late"
    for seconds in MOMENTS:
        killed = kill_after(argv, seconds, umask=umask)
        _only_temporaries_and_complete_outputs(place, outputs, f"after {seconds} s")
        if not killed or _landed(outputs):  # finished, or killed after its last rename: start the next one afresh
            remove_outputs()


def _landed(outputs: list[Path]) -> bool:
    """Whether a whole output is in place (a folder output holding anything but temporaries counts)."""
    for path in outputs:
        if path.is_dir() and any(not p.name.startswith(PARTIAL_PREFIX) for p in path.iterdir()):
            return True
        if path.is_file():
            return True
    return False


def _only_temporaries_and_complete_outputs(place: Path, outputs: list[Path], moment: str) -> None:
    """Nothing where the outputs go but owner-only temporaries (mode 0700) and whole outputs."""
    if not place.exists():
        return
    for entry in place.iterdir():
        if entry.name.startswith(PARTIAL_PREFIX):
            assert entry.stat().st_mode & 0o777 == 0o700, (moment, entry.name)
        else:
            assert _complete(entry, outputs), (moment, entry.name)


def _complete(entry: Path, outputs: list[Path]) -> bool:
    """An output of this test in its place; a draw folder (named by its draw id) only with its manifest."""
    return entry in outputs or (entry.parent in outputs and (entry / "manifest.json").is_file())


def _succeeds(args: list[str], *, umask: int | None = None) -> None:
    """The next run, in this process (the imports are paid already), on one thread, under ``umask``."""
    before = os.umask(umask) if umask is not None else None
    try:
        with threadpool_limits(1):
            assert main(args) == 0
    finally:
        if before is not None:
            os.umask(before)


def _no_temporaries_under(root: Path) -> None:
    assert [p for p in root.rglob(f"{PARTIAL_PREFIX}*")] == []


def test_generate_killed_leaves_nothing_and_the_next_run_follows_the_umask(tmp_path):
    out = tmp_path / "world"
    args = ["generate", "--out", str(out), "--scale", "0.01", "--seed", "3"]
    _kills(console(*args), out, "*.parquet", [out / "data", out / "truth", out / "generation.json"], umask=UMASK)
    _succeeds(args, umask=UMASK)  # the killed runs' temporaries do not make the folder "not empty"
    _no_temporaries_under(tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["data", "generation.json", "truth"]
    for path in [out, *out.rglob("*")]:
        expected = 0o750 if path.is_dir() else 0o640  # 0777 / 0666 less the umask 027
        assert path.stat().st_mode & 0o777 == expected, path


def test_features_killed_leaves_nothing_and_the_next_run_succeeds(small_data_dir, tmp_path):
    out = tmp_path / "features" / "table.parquet"
    args = ["features", str(small_data_dir), "--as-of", AS_OF, "--out", str(out)]
    outputs = [out, out.with_suffix(".dictionary.csv"), out.with_suffix(".run.json")]
    _kills(console(*args), out.parent, "table.parquet", outputs)
    _succeeds(args)
    _no_temporaries_under(tmp_path)
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "table.dictionary.csv",
        "table.parquet",
        "table.run.json",
    ]
    assert len(pd.read_parquet(out)) == len(pd.read_parquet(small_data_dir / "bodies.parquet"))


def _grades(data: Path, path: Path) -> Path:
    bodies = pd.read_parquet(data / "bodies.parquet")
    grades = pd.DataFrame(
        {
            "body_id": bodies["body_id"],
            "as_of": AS_OF,
            "grade": np.random.default_rng(7).choice(list("ABCD"), len(bodies), p=[0.5, 0.3, 0.15, 0.05]),
        }
    )
    grades.to_csv(path, index=False)
    return path


def test_draw_killed_leaves_no_internal_list_beside_the_public_ones(small_data_dir, tmp_path):
    out = tmp_path / "draws"
    grades = _grades(small_data_dir, tmp_path / "grades.csv")
    args = ["draw", str(small_data_dir), "--grades", str(grades), "--budget", "6", "--out", str(out)]
    args += ["--seed", "s 1", "--uncommitted"]
    _kills(console(*args), out, "frame.csv", [out])  # the internal frame: every body's grade and probability
    _succeeds(args)
    _no_temporaries_under(tmp_path)
    (folder,) = out.iterdir()
    assert {"frame.csv", "draw_list.csv", "public_list.csv", "manifest.json"} <= {p.name for p in folder.iterdir()}


def test_train_killed_while_its_store_is_made_leaves_a_store_the_next_run_uses(small_data_dir, tmp_path):
    """The store is made before the retraining, so a kill "while writing" hits its creation, seconds in."""
    store = tmp_path / "tracking"
    uri = f"sqlite:///{store / 'mlflow.db'}"
    args = ["train", str(small_data_dir), "--as-of", AS_OF, "--tracking-uri", uri, "--out", str(tmp_path / "r")]
    _kills(console(*args), store, "mlflow.db", [store / "mlflow.db", tmp_path / "r"])
    assert not (tmp_path / "r").exists()
    _succeeds(args)
    _no_temporaries_under(tmp_path)
    assert (store / "mlflow.db").is_file() and (tmp_path / "r" / "run.json").is_file()
