"""Benchmark of the inspector-team draw (sampling.teams) at national scale.

Run on demand (not a test)::

    .venv/bin/python benchmarks/bench_teams.py [--quick] [--repeat 7]

Jobs:

* national quarter: the synthetic directory at scale 1 (~600 inspectors),
  300 drawn bodies (40 in SAMR's national batch: the CCC-designated bodies
  and a random rest; 260 provincial), teams of 2 and of 3; target well under
  one second. Reference measured in the same run: the SHA-256 uniforms of
  every (body, inspector) pair (300 x ~600 ``unit_uniforms`` values), the
  hashing floor of any per-pair randomisation;
* capacity to spare: how many assignments the draw uses, overall, of the
  national inspectors and in the tightest province;
* repair path: teams of 3 in the 300-body draw exhaust the national
  inspectors, the sequential pass gets stuck and the look-ahead repair runs;
  as a stress test (skipped with ``--quick``) every ``max_assignments`` set
  to 1 with 150-275 drawn bodies, all in provincial batches;
* uniformity when capacity binds: the small example of docs/teams.md, drawn
  with many seed strings, against uniform over all feasible assignments.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sampling import TeamAssignmentError, assign_teams, seed_material, unit_uniforms  # noqa: E402
from simulator import generate_world  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def draw_bodies(bodies: pd.DataFrame, n: int = 300, n_national: int = 40, seed: int = 0) -> pd.DataFrame:
    """n active bodies at random; CCC bodies and a random rest (to n_national) in SAMR's batch.

    With ``n_national=0`` every body, CCC ones included, is in a provincial batch.
    """
    rng = np.random.default_rng(seed)  # benchmark fixture only: which bodies count as drawn
    active = bodies[bodies["status"] == "active"].sort_values("body_id").reset_index(drop=True)
    ccc = active.index[active["ccc_designated"]].to_numpy()
    rest = rng.choice(active.index[~active["ccc_designated"]].to_numpy(), size=n - len(ccc), replace=False)
    drawn = active.loc[np.sort(np.concatenate([ccc, rest]))].copy()
    national = drawn["ccc_designated"].to_numpy().copy() & (n_national > 0)
    others = np.flatnonzero(~national)
    national[rng.choice(others, size=max(0, n_national - national.sum()), replace=False)] = True
    drawn["batch"] = np.where(national, "national", "provincial")
    return drawn


def capacity_table(out: pd.DataFrame, inspectors: pd.DataFrame, bodies: pd.DataFrame) -> None:
    used = Counter(i for team in out["inspector_ids"] for i in team.split(";"))
    ins = inspectors.assign(used=inspectors["inspector_id"].map(used).fillna(0).astype(int))
    ins = ins[ins["active"]]
    print(
        f"  assignments used: {ins['used'].sum()} of {ins['max_assignments'].sum()} "
        f"({ins['used'].sum() / ins['max_assignments'].sum():.0%}); national inspectors: "
        f"{ins.loc[ins['province'] == '00', 'used'].sum()} of "
        f"{ins.loc[ins['province'] == '00', 'max_assignments'].sum()}"
    )
    prov = bodies[bodies["batch"] == "provincial"].groupby("province").size().rename("bodies")
    cap = ins[ins["province"] != "00"].groupby("province")["max_assignments"].sum().rename("own capacity")
    table = pd.concat([prov, cap], axis=1).fillna(0).astype(int)
    table["own slots per body"] = (table["own capacity"] / table["bodies"].where(table["bodies"] > 0)).round(1)
    print("  tightest provinces (own inspectors' capacity per drawn body; national inspectors fill the rest):")
    print(table.sort_values("own slots per body").head(5).to_string().replace("\n", "\n    ").join(["    ", ""]))


def binding_example() -> tuple[pd.DataFrame, pd.DataFrame]:
    bodies = pd.DataFrame(
        {
            "body_id": ["B1", "B2"],
            "name": ["机构B1", "机构B2"],
            "province": ["11", "11"],
            "fields": ["ISMS", "QMS"],
            "ccc_designated": [False, False],
            "batch": ["provincial", "national"],
        }
    )
    inspectors = pd.DataFrame(
        {
            "inspector_id": ["n1", "n2", "n3", "p1", "p2"],
            "unit": ["SAMR"] * 3 + ["北京局"] * 2,
            "province": ["00", "00", "00", "11", "11"],
            "expertise": ["ISMS;QMS", "QMS", "QMS", "ISMS", "EMS"],
            "active": [True] * 5,
            "max_assignments": [1] * 5,
        }
    )
    return bodies, inspectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the repair-path timings")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    t0 = time.perf_counter()
    tables = generate_world(scale=1, seed=5).tables()
    print(f"synthetic directory, scale 1: {time.perf_counter() - t0:.1f} s to generate")
    inspectors, conflicts = tables["inspectors"], tables["conflicts"]
    bodies = draw_bodies(tables["bodies"])
    material = seed_material("0" * 64, "bench teams")
    print(
        f"{len(bodies)} drawn bodies ({(bodies['batch'] == 'national').sum()} national batch, "
        f"{bodies['ccc_designated'].sum()} CCC), {len(inspectors)} inspectors "
        f"({inspectors['active'].sum()} active), {len(conflicts)} conflicts\n"
    )

    ids = inspectors["inspector_id"].tolist()
    t_ref, _ = timed(lambda: [unit_uniforms(material, f"team:{b}", ids) for b in bodies["body_id"]], args.repeat)
    print(f"reference: unit_uniforms for all {len(bodies) * len(ids):,} (body, inspector) pairs: {t_ref * 1e3:8.1f} ms")
    for k in (2, 3):
        t, out = timed(lambda k=k: assign_teams(bodies, inspectors, conflicts, material, team_size=k), args.repeat)
        print(
            f"assign_teams, {len(bodies)} bodies, team_size {k}:                {t * 1e3:8.1f} ms "
            f"(ratio to reference {t / t_ref:.2f}; target < 1000 ms) methods {dict(Counter(out['method']))}"
        )
        if k == 2:
            capacity_table(out, inspectors, bodies)

    if not args.quick:
        print("\nrepair path, stress: every max_assignments set to 1, all bodies in provincial batches")
        tight = inspectors.assign(max_assignments=1)
        for n in (150, 200, 250, 275):
            sub = draw_bodies(tables["bodies"], n=n, n_national=0)
            t0 = time.perf_counter()
            try:
                out = assign_teams(sub, tight, conflicts, material)
                note = f"methods {dict(Counter(out['method']))}, largest rejection round {out['round'].max()}"
            except TeamAssignmentError as exc:
                note = "infeasible: " + str(exc)[:160] + " ..."
            print(f"  {n} bodies: {time.perf_counter() - t0:6.2f} s  {note}")

    print("\nuniformity when capacity binds (docs/teams.md example, 3000 seed strings)")
    b2, i2 = binding_example()
    joint = Counter()
    for j in range(3000):
        out = assign_teams(b2, i2, None, seed_material("0" * 64, f"binding {j}"))
        joint[tuple(out["inspector_ids"])] += 1
    n_joint = 7  # feasible joint assignments (docs/teams.md)
    freq = {a: c / 3000 for a, c in sorted(joint.items())}
    tv = 0.5 * sum(abs(p - 1 / n_joint) for p in freq.values()) + 0.5 * (n_joint - len(freq)) / n_joint
    for a, p in freq.items():
        print(
            f"  B1 {a[0]:6s} B2 {a[1]:6s} {p:.3f}  (exact {1 / 15 if a[0] == 'p1;p2' else 1 / 5:.3f}; "
            f"uniform over assignments {1 / n_joint:.3f})"
        )
    print(f"  total variation distance from uniform over the {n_joint} assignments: {tv:.3f} (exact 0.229)")


if __name__ == "__main__":
    main()
