"""Shared fixtures: synthetic worlds built once per test session (per worker), and each data file checked once."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace

# Two test workers share two cores: OpenMP threads (scikit-learn's boosting) would spin-wait against each
# other, tripling the CPU a fit takes. Set before any compiled library is loaded; child processes inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402

from simulator import generate_world  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def each_data_file_checked_once():
    """Commands run in the tests' own process read the same data directories again and again: a table whose file has
    the same name and bytes, read for the same as-of date, is read, parsed and checked once per worker.

    Only tables that loaded without a problem are kept (a table with problems is checked anew, so its report is
    always built); missing or doubled files are never kept. Each load gets its own copies of the frames.
    """
    import features.loading.dataset as dataset

    load_table = dataset._load_table
    kept: dict[tuple, object] = {}

    def load_once(path, name, as_of):
        files = [f for f in (path / f"{name}.parquet", path / f"{name}.csv") if f.is_file()]
        if len(files) != 1:
            return load_table(path, name, as_of)
        key = (name, as_of, files[0].name, hashlib.sha256(files[0].read_bytes()).digest())
        if key not in kept:
            table = load_table(path, name, as_of)
            if table.problems or table.broken:
                return table
            kept[key] = table
        table = kept[key]
        raw = None if table.raw is None else table.raw.copy()
        return replace(
            table, frame=table.frame.copy(), raw=raw, problems=[], bad={k: v.copy() for k, v in table.bad.items()}
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dataset, "_load_table", load_once)
        yield


@pytest.fixture(scope="session")
def world_medium():
    """A 30 % national system (375 bodies): large enough for rates and AUCs."""
    return generate_world(scale=0.3, seed=5)


@pytest.fixture(scope="session")
def world_tenth():
    """A 10 % national system (about 125 bodies): the draw and its verification at a realistic shape, quickly."""
    return generate_world(scale=0.1, seed=7)


@pytest.fixture(scope="session")
def world_small():
    """A tiny system (40 bodies) for fast structural checks."""
    return generate_world(scale=0.02, seed=11)


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory, world_small):
    """The tiny system written as a data directory (Parquet)."""
    out = tmp_path_factory.mktemp("synthetic")
    world_small.write(out)
    return out / "data"
