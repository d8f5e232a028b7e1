"""The run record (run.json) written beside every output: inputs with SHA-256,
configuration, software versions and timings."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every table file of a data directory."""
    files = sorted(p for p in Path(data_dir).iterdir() if p.suffix in {".parquet", ".csv"})
    return {p.name: sha256_file(p) for p in files}


class Timer:
    """Named wall-clock timings of the steps of one run."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 3)


def run_record(
    command: str, inputs: dict[str, Any], config: dict[str, Any], timer: Timer, outputs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The run record of one command: inputs, configuration, software versions, outputs, timings."""
    import numpy  # noqa: E401 - versions only
    import pandas
    import sklearn

    return {
        "command": command,
        "software": {
            "certrisk": __version__,
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "inputs": inputs,
        "config": config,
        "outputs": outputs or {},
        "timings_s": timer.timings,
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
