"""Shared fixtures: synthetic worlds built once per test session (per worker)."""

from __future__ import annotations

import os

# Two test workers share two cores: OpenMP threads (scikit-learn's boosting) would spin-wait against each
# other, tripling the CPU a fit takes. Set before any compiled library is loaded; child processes inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402

from simulator import generate_world


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
