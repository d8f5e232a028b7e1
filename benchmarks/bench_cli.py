"""Benchmark: start-up of the command line (target: ``certrisk --help`` under 0.5 s).

Times whole processes, each several times, and prints min / median / max:

- ``python -c pass``: the interpreter alone, the reference measured in the same run;
- ``certrisk --help``: must import no library (no pandas, MLflow or matplotlib);
- ``certrisk validate`` on a tiny synthetic data directory (40 bodies): loads
  pandas and pandera, never MLflow or matplotlib.

    python benchmarks/bench_cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET_S = 0.5


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("certrisk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]


def _time(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, check=True)  # warm-up: file cache, bytecode
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def _small_data_dir(root: Path) -> Path:
    code = f"from simulator import generate_world; generate_world(scale=0.02, seed=11).write({str(root)!r})"
    subprocess.run([sys.executable, "-c", code], check=True)
    return root / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs of each command (default 7)")
    args = parser.parse_args()
    certrisk = _console_script()
    with tempfile.TemporaryDirectory() as tmp:
        data = _small_data_dir(Path(tmp) / "world")
        commands = {
            "python -c pass (reference)": [sys.executable, "-c", "pass"],
            "certrisk --help": [*certrisk, "--help"],
            "certrisk validate (40 bodies)": [*certrisk, "validate", str(data)],
        }
        results = {name: _time(cmd, args.runs) for name, cmd in commands.items()}
    reference = statistics.median(results["python -c pass (reference)"])
    print(f"{'command':32s} {'min s':>7} {'median s':>9} {'max s':>7} {'x reference':>12}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:32s} {min(times):7.3f} {median:9.3f} {max(times):7.3f} {median / reference:12.1f}")
    help_median = statistics.median(results["certrisk --help"])
    print(f"target certrisk --help < {HELP_TARGET_S} s:", "met" if help_median < HELP_TARGET_S else "NOT met")


if __name__ == "__main__":
    main()
