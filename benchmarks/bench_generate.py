"""Benchmark: synthetic data generation at scale 1 and 10 (target: scale 1 < 60 s).

Each scale runs in a fresh process so peak memory (ru_maxrss) is its own.
The reference measured in the same run is the time to write the same tables
to Parquet, i.e. the unavoidable I/O floor; growth from scale 1 to 10 should
be about linear.

    python benchmarks/bench_generate.py [--scales 1 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, resource, sys, tempfile, time
from simulator import generate_world
scale = float(sys.argv[1])
t0 = time.perf_counter()
world = generate_world(scale=scale, seed=1)
t1 = time.perf_counter()
with tempfile.TemporaryDirectory() as d:
    world.write(d)
t2 = time.perf_counter()
rows = world.row_counts()
print(json.dumps({"scale": scale, "generate_s": t1 - t0, "write_s": t2 - t1,
                  "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, "rows": rows}))
"""


def run(scale: float) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(scale)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    args = parser.parse_args()
    results = [run(s) for s in args.scales]
    print(
        f"{'scale':>6} {'generate s':>11} {'write s (ref)':>14} {'ratio':>6} {'peak GiB':>9} {'audits':>11} {'certificates':>13}"
    )
    for r in results:
        print(
            f"{r['scale']:>6g} {r['generate_s']:>11.1f} {r['write_s']:>14.1f} {r['generate_s'] / r['write_s']:>6.1f} "
            f"{r['peak_gib']:>9.2f} {r['rows']['audits']:>11,} {r['rows']['certificates']:>13,}"
        )
    if len(results) > 1:
        a, b = results[0], results[-1]
        k = b["scale"] / a["scale"]
        print(
            f"growth x{k:g} in scale: time x{b['generate_s'] / a['generate_s']:.1f}, memory x{b['peak_gib'] / a['peak_gib']:.1f}"
        )
    ok = all(r["generate_s"] < 60 for r in results if r["scale"] <= 1)
    print("target scale 1 < 60 s:", "met" if ok else "NOT met")
    json.dump(results, open(tempfile.gettempdir() + "/bench_generate.json", "w"))


if __name__ == "__main__":
    main()
