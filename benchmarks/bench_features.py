"""Benchmark: feature build at national scale and scale 10 against one DuckDB query.

Targets (docs/quality.md): scale 1 under 60 s and 6 GiB peak, within 2x of
the same aggregations written as one DuckDB SQL query over the same Parquet
files, about linear growth from scale 1 to 10.

For each scale the synthetic data directory is generated ONCE into a
temporary folder by a child process; then each measurement runs in a fresh
process of its own, so that its peak memory (``ru_maxrss``) is its own:

- ours: read the Parquet tables with pandas (no validation) +
  ``build_features(tables, as_of)``;
- DuckDB (the reference): one SQL statement over the same files computing
  the same per-body aggregations over the same windows (audits of the last 12
  months: missing check-in / check-out, far, late, remote shares, double
  bookings and audit time against scheme peers; signals by kind in their
  windows with decayed severity; inspection counts, serious counts and the
  last outcome; certificates valid, issued per quarter, suspended, withdrawn,
  expired).

The features both compute are compared, so the reference is known to do the
same work.

    python benchmarks/bench_features.py [--scales 1 10] [--profile]

``--profile`` also runs cProfile over our build at the first scale and prints
where the time goes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("bodies", "inspections", "signals", "audits", "certificates")

GENERATE = r"""
import json, sys, time
from simulator import generate_world
scale, seed, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
world = generate_world(scale=scale, seed=seed)
world.write(out)
print(json.dumps({"as_of": str(world.as_of), "rows": world.row_counts(), "generate_s": time.perf_counter() - t0}))
"""

OURS = r"""
import json, resource, sys, time
import pandas as pd
from features.build import build_features
data, as_of, out, profile = sys.argv[1], pd.Timestamp(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
t0 = time.perf_counter()
tables = {name: pd.read_parquet(f"{data}/{name}.parquet") for name in %(tables)r}
t1 = time.perf_counter()
if profile:
    import cProfile, pstats
    prof = cProfile.Profile()
    features = prof.runcall(build_features, tables, as_of)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
else:
    features = build_features(tables, as_of)
t2 = time.perf_counter()
features.to_parquet(out)
print(json.dumps({"read_s": t1 - t0, "build_s": t2 - t1, "total_s": t2 - t0,
                  "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
""" % {"tables": TABLES}  # noqa: UP031 - the template holds braces of its own

DUCK = r"""
import json, resource, sys, time
import duckdb
sql, out, threads = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
if threads:
    con.execute(f"SET threads = {threads}")
t0 = time.perf_counter()
result = con.execute(sql).df()
t1 = time.perf_counter()
result.to_parquet(out)
print(json.dumps({"total_s": t1 - t0, "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
"""

SQL = """
WITH
b AS (
  SELECT body_id FROM read_parquet('{d}/bodies.parquet') WHERE approved_on < {t}
),
-- audits: complete when the latest of planned end, check-in, check-out is known
a AS (
  SELECT body_id, auditor_id, org_id, scheme, planned_start, planned_end, checkin_at, checkout_at,
         checkin_distance_km, remote,
         greatest(planned_end, coalesce(checkin_at, planned_end), coalesce(checkout_at, planned_end)) AS known,
         ln(greatest(epoch(planned_end - planned_start) / 3600.0, 0.25)) AS log_h
  FROM read_parquet('{d}/audits.parquet')
),
booked AS (
  SELECT body_id, known,
         lag(org_id) OVER w IS DISTINCT FROM org_id AND lag(org_id) OVER w IS NOT NULL
           AND planned_start < max(planned_end) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS is_double,
         greatest(known, max(known) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS double_known
  FROM a
  WINDOW w AS (PARTITION BY auditor_id ORDER BY planned_start)
),
double_body AS (
  SELECT body_id, count(*) FILTER (is_double AND double_known >= {t} - INTERVAL 365 DAY AND double_known < {t}) AS k
  FROM booked GROUP BY body_id
),
aw AS (SELECT * FROM a WHERE known >= {t} - INTERVAL 365 DAY AND known < {t}),
peer AS (SELECT scheme, avg(log_h) AS peer_log_h FROM aw GROUP BY scheme),
audit_body AS (
  SELECT body_id, count(*) AS n,
         count(*) FILTER (checkin_at IS NULL) AS no_in,
         count(*) FILTER (checkout_at IS NULL) AS no_out,
         count(*) FILTER (checkin_distance_km > {far_km}) AS far, count(checkin_distance_km) AS has_dist,
         count(*) FILTER (checkin_at - planned_start > INTERVAL {late_h} HOUR) AS late, count(checkin_at) AS has_in,
         count(*) FILTER (remote) AS remote, sum(peer_log_h - log_h) AS short_sum
  FROM aw JOIN peer USING (scheme) GROUP BY body_id
),
audit_pop AS (
  SELECT count(*) FILTER (checkin_at IS NULL) / count(*) AS no_in,
         count(*) FILTER (checkout_at IS NULL) / count(*) AS no_out,
         count(*) FILTER (checkin_distance_km > {far_km}) / count(checkin_distance_km) AS far,
         count(*) FILTER (checkin_at - planned_start > INTERVAL {late_h} HOUR) / count(checkin_at) AS late,
         count(*) FILTER (remote) / count(*) AS remote,
         (SELECT sum(k) FROM double_body) / count(*) AS double_share
  FROM aw
),
-- signals of the last 3 years
s AS (
  SELECT body_id, kind, severity, observed_on FROM read_parquet('{d}/signals.parquet')
  WHERE observed_on < {t} AND observed_on >= {t} - INTERVAL 1095 DAY
),
signal_body AS (
  SELECT body_id,
         count(*) FILTER (kind = 'complaint' AND observed_on >= {t} - INTERVAL 365 DAY) AS complaints_12m,
         count(*) FILTER (kind = 'risk_alert' AND observed_on >= {t} - INTERVAL 365 DAY) AS risk_alerts_12m,
         count(*) FILTER (kind = 'penalty') AS penalties_3y,
         count(*) FILTER (kind = 'media' AND observed_on >= {t} - INTERVAL 365 DAY) AS media_12m,
         count(*) FILTER (kind = 'referral' AND observed_on >= {t} - INTERVAL 365 DAY) AS referrals_12m,
         sum(severity * exp(-epoch({t} - observed_on) / (86400.0 * {tau}))) AS signals_decayed,
         count(*) FILTER (severity >= 3 AND observed_on >= {t} - INTERVAL 365 DAY) AS high_severity_12m,
         count(*) FILTER (kind = 'blacklist') > 0 AS blacklisted_3y,
         count(*) FILTER (kind = 'unreachable' AND observed_on >= {t} - INTERVAL 365 DAY) > 0 AS unreachable_12m,
         count(*) FILTER (kind = 'accreditation_suspended' AND observed_on >= {t} - INTERVAL 365 DAY) > 0
           AS accreditation_suspended_12m
  FROM s GROUP BY body_id
),
-- inspections before the as-of date
i AS (
  SELECT *, (outcome IN ('major', 'severe'))::INT AS serious,
         CASE outcome WHEN 'none' THEN 0 WHEN 'general' THEN 1 WHEN 'major' THEN 2 ELSE 3 END AS level
  FROM read_parquet('{d}/inspections.parquet') WHERE inspected_on < {t}
),
inspection_pop AS (
  SELECT sum(serious / inclusion_prob) / sum(1 / inclusion_prob) AS p0,
         sum(certs_with_problems / inclusion_prob) / sum(certs_checked / inclusion_prob) AS r0
  FROM i WHERE kind = 'random'
),
inspection_body AS (
  SELECT body_id, count(*) AS n_inspections,
         count(*) FILTER (inspected_on >= {t} - INTERVAL 1095 DAY) AS n_inspections_3y,
         count(*) FILTER (kind = 'complaint' AND inspected_on >= {t} - INTERVAL 1095 DAY) AS complaint_inspections_3y,
         max(inspected_on) AS last_on, arg_max(level, inspected_on) AS last_outcome_level,
         sum(serious) FILTER (inspected_on >= {t} - INTERVAL 1095 DAY) AS serious_count_3y,
         sum(serious) AS serious_all, sum(certs_checked) AS checked, sum(certs_with_problems) AS problems
  FROM i GROUP BY body_id
),
-- certificates
c AS (
  SELECT body_id, issued_on, expires_on, status, status_changed_on,
         CASE WHEN status IN ('suspended', 'withdrawn') AND status_changed_on IS NOT NULL
              THEN least(status_changed_on, expires_on + INTERVAL 1 SECOND)
              ELSE expires_on + INTERVAL 1 SECOND END AS ended
  FROM read_parquet('{d}/certificates.parquet')
),
cert_body AS (
  SELECT body_id,
         count(*) FILTER (issued_on < {t}) - count(*) FILTER (ended < {t}) AS valid,
         {quarters},
         count(*) FILTER (status = 'suspended' AND status_changed_on >= {t} - INTERVAL 365 DAY
                          AND status_changed_on < {t}) AS suspended_12m,
         count(*) FILTER (status = 'withdrawn' AND status_changed_on >= {t} - INTERVAL 365 DAY
                          AND status_changed_on < {t}) AS withdrawn_12m,
         count(*) FILTER (status NOT IN ('suspended', 'withdrawn') AND expires_on >= {t} - INTERVAL 365 DAY
                          AND expires_on < {t}) AS expired_12m
  FROM c GROUP BY body_id
)
SELECT b.body_id,
       coalesce(ab.n, 0)::DOUBLE AS audits_12m,
       (coalesce(ab.no_in, 0) + {pa} * ap.no_in) / (coalesce(ab.n, 0) + {pa}) AS missing_checkin_rate,
       (coalesce(ab.no_out, 0) + {pa} * ap.no_out) / (coalesce(ab.n, 0) + {pa}) AS missing_checkout_rate,
       (coalesce(ab.far, 0) + {pa} * ap.far) / (coalesce(ab.has_dist, 0) + {pa}) AS far_checkin_rate,
       (coalesce(ab.late, 0) + {pa} * ap.late) / (coalesce(ab.has_in, 0) + {pa}) AS late_checkin_rate,
       (coalesce(db.k, 0) + {pa} * ap.double_share) / (coalesce(ab.n, 0) + {pa}) AS double_booking_rate,
       coalesce(ab.short_sum / ab.n, 0) AS short_audit_index,
       (coalesce(ab.remote, 0) + {pa} * ap.remote) / (coalesce(ab.n, 0) + {pa}) AS remote_share,
       coalesce(sb.complaints_12m, 0)::DOUBLE AS complaints_12m,
       coalesce(sb.risk_alerts_12m, 0)::DOUBLE AS risk_alerts_12m,
       coalesce(sb.penalties_3y, 0)::DOUBLE AS penalties_3y,
       coalesce(sb.media_12m, 0)::DOUBLE AS media_12m,
       coalesce(sb.referrals_12m, 0)::DOUBLE AS referrals_12m,
       coalesce(sb.signals_decayed, 0) AS signals_decayed,
       coalesce(sb.high_severity_12m, 0)::DOUBLE AS high_severity_12m,
       coalesce(sb.blacklisted_3y, false)::DOUBLE AS blacklisted_3y,
       coalesce(sb.unreachable_12m, false)::DOUBLE AS unreachable_12m,
       coalesce(sb.accreditation_suspended_12m, false)::DOUBLE AS accreditation_suspended_12m,
       coalesce(ib.n_inspections, 0)::DOUBLE AS n_inspections,
       coalesce(ib.n_inspections_3y, 0)::DOUBLE AS n_inspections_3y,
       coalesce(ib.complaint_inspections_3y, 0)::DOUBLE AS complaint_inspections_3y,
       coalesce(ib.last_outcome_level, 0)::DOUBLE AS last_outcome_level,
       coalesce(ib.serious_count_3y, 0)::DOUBLE AS serious_count_3y,
       (coalesce(ib.serious_all, 0) + {ps} * ip.p0) / (coalesce(ib.n_inspections, 0) + {ps}) AS serious_rate_eb,
       (coalesce(ib.problems, 0) + {pc} * ip.r0) / (coalesce(ib.checked, 0) + {pc}) AS problem_cert_rate_eb,
       ln(1 + coalesce(cb.valid, 0)) AS log_valid_certs,
       ln(({last_year} + 5) / ({year_before} + 5)) AS issuance_growth,
       greatest({recent}) / (({all_q}) / 8.0 + 1) AS issuance_burst,
       coalesce(cb.suspended_12m, 0) / {exposure} AS suspension_rate_12m,
       coalesce(cb.withdrawn_12m, 0) / {exposure} AS withdrawal_rate_12m,
       coalesce(cb.expired_12m, 0) / {exposure} AS expiry_churn_12m
FROM b
LEFT JOIN audit_body ab USING (body_id)
LEFT JOIN double_body db USING (body_id)
LEFT JOIN signal_body sb USING (body_id)
LEFT JOIN inspection_body ib USING (body_id)
LEFT JOIN cert_body cb USING (body_id)
CROSS JOIN audit_pop ap
CROSS JOIN inspection_pop ip
ORDER BY b.body_id
"""


def duckdb_sql(data: Path, as_of: pd.Timestamp) -> str:
    """The reference query over the Parquet files of ``data`` as of ``as_of``.

    Windows and constants are those of :mod:`features.dictionary`.
    """
    from features.dictionary import (
        FAR_KM,
        LATE_HOURS,
        PROBLEM_PSEUDO_CERTS,
        RATE_PSEUDO_AUDITS,
        SERIOUS_PSEUDO_INSPECTIONS,
        SIGNAL_DECAY_DAYS,
    )

    t = f"TIMESTAMP '{as_of:%Y-%m-%d %H:%M:%S}'"
    quarter = lambda k: (  # noqa: E731  issued in [t - 91 (k + 1), t - 91 k) days
        f"count(*) FILTER (issued_on >= {t} - INTERVAL {91 * (k + 1)} DAY AND issued_on < {t} - INTERVAL {91 * k} DAY)"
        f" AS q{k}"
    )
    q = [f"coalesce(cb.q{k}, 0)" for k in range(8)]
    return SQL.format(
        d=data.as_posix(),
        t=t,
        far_km=FAR_KM,
        late_h=int(LATE_HOURS),
        tau=SIGNAL_DECAY_DAYS,
        pa=RATE_PSEUDO_AUDITS,
        ps=SERIOUS_PSEUDO_INSPECTIONS,
        pc=PROBLEM_PSEUDO_CERTS,
        quarters=",\n         ".join(quarter(k) for k in range(8)),
        last_year=" + ".join(q[:4]),
        year_before=" + ".join(q[4:]),
        recent=", ".join(q[:4]),
        all_q=" + ".join(q),
        exposure="("
        + " + ".join(f"coalesce(cb.{c}, 0)" for c in ("valid", "suspended_12m", "withdrawn_12m", "expired_12m"))
        + " + 1)",  # the stock these could happen to
    )


def _rss_gib(pid: int) -> float:
    """Resident memory of a process now (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kib = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return kib / 2**20


def _child(code: str, *args: str, limit_gib: float, stderr=subprocess.PIPE) -> dict:
    """Run ``code`` in a fresh Python; its last stdout line is JSON.

    A watchdog kills the child when its resident memory passes ``limit_gib``
    (so that a scale the machine cannot hold fails alone instead of waking the
    kernel's OOM killer); the result then says ``killed``.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True
    )
    killed = threading.Event()

    def watch() -> None:
        while proc.poll() is None:
            if _rss_gib(proc.pid) > limit_gib:
                killed.set()
                proc.kill()
                return
            time.sleep(0.1)

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    stdout, err = proc.communicate()
    watchdog.join()
    if killed.is_set():
        return {"killed": True, "peak_gib": limit_gib, "total_s": float("nan")}
    if proc.returncode != 0:
        raise RuntimeError(f"child process failed:\n{err}")
    return json.loads(stdout[stdout.rindex("\n{") + 1 if "\n{" in stdout else 0 :])


def _agreement(ours: Path, duck: Path) -> dict:
    """Features both compute: how many, and which differ (ties may order differently)."""
    a = pd.read_parquet(ours).set_index("body_id")
    b = pd.read_parquet(duck).set_index("body_id").loc[a.index]
    common = [c for c in b.columns if c in a.columns]
    x, y = a[common].to_numpy(float), b[common].to_numpy(float)
    gap = np.abs(x - y)
    cells = (gap > 1e-9 * (1 + np.abs(y))).sum(axis=0)
    worst = gap.max(axis=0)
    return {"common": len(common), "differ": {c: [int(n), float(w)] for c, n, w in zip(common, cells, worst) if n}}


def run_scale(scale: float, seed: int, profile: bool, limit_gib: float) -> dict:
    """Generate one scale's data directory once, then measure ours and DuckDB in fresh processes."""
    work = Path(tempfile.mkdtemp(prefix=f"bench_features_{scale:g}_"))
    try:
        print(f"scale {scale:g}: generating into {work} ...", flush=True)
        gen = _child(GENERATE, str(scale), str(seed), str(work / "out"), limit_gib=limit_gib)
        if gen.get("killed"):
            return {"scale": scale, "generation_killed": True}
        data, as_of = work / "out" / "data", pd.Timestamp(gen["as_of"])
        (work / "query.sql").write_text(duckdb_sql(data, as_of), encoding="utf-8")
        result = {"scale": scale, "rows": gen["rows"], "generate_s": gen["generate_s"]}
        for key, threads in (("duck", "0"), ("duck1", "1")):
            print(f"scale {scale:g}: DuckDB ({'all cores' if threads == '0' else '1 thread'}) ...", flush=True)
            result[key] = _child(
                DUCK, str(work / "query.sql"), str(work / "duck.parquet"), threads, limit_gib=limit_gib
            )
        print(f"scale {scale:g}: ours ...", flush=True)
        result["ours"] = _child(OURS, str(data), str(as_of), str(work / "ours.parquet"), "0", limit_gib=limit_gib)
        if not result["ours"].get("killed"):
            result.update(_agreement(work / "ours.parquet", work / "duck.parquet"))
            if profile:
                _child(OURS, str(data), str(as_of), str(work / "prof.parquet"), "1", limit_gib=limit_gib, stderr=None)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _row(r: dict) -> str:
    if r.get("generation_killed"):
        return f"{r['scale']:>6g}  generation passed the memory limit; nothing measured"
    o, d, d1 = r["ours"], r["duck"], r["duck1"]
    mem = f">{o['peak_gib']:.0f} (killed)" if o.get("killed") else f"{o['peak_gib']:.2f}"
    ours = "killed" if o.get("killed") else f"{o['total_s']:.1f} ({o['read_s']:.1f} + {o['build_s']:.1f})"
    return (
        f"{r['scale']:>6g} {r['rows']['audits']:>11,} {r['rows']['certificates']:>13,} {ours:>20} "
        f"{d['total_s']:>9.1f} {o['total_s'] / d['total_s']:>6.2f} {d1['total_s']:>10.1f} "
        f"{mem:>14} {d['peak_gib']:>8.2f}"
    )


def report(results: list[dict]) -> None:
    """Print the table of figures, the agreement, the growth and the targets."""
    print(
        f"\n{'scale':>6} {'audits':>11} {'certificates':>13} {'ours s (read+build)':>20} "
        f"{'DuckDB s':>9} {'ratio':>6} {'DuckDB 1t':>10} {'ours peak GiB':>14} {'DuckDB GiB':>8}"
    )
    for r in results:
        print(_row(r))
    for r in results:
        if "common" in r:
            differ = ", ".join(f"{c} ({n} bodies, max |d| {w:.1g})" for c, (n, w) in r["differ"].items()) or "none"
            print(f"scale {r['scale']:g}: {r['common']} features computed by both; differing: {differ}")
    done = [r for r in results if "ours" in r and not r["ours"].get("killed")]
    if len(done) < len(results):
        print("growth: scales killed by the memory limit are left out; rerun with smaller --scales (e.g. 1 2 4)")
    if len(done) > 1:
        a, b = done[0], done[-1]
        k = b["scale"] / a["scale"]
        print(
            f"growth x{k:g} in scale: ours time x{b['ours']['total_s'] / a['ours']['total_s']:.1f}, "
            f"memory x{b['ours']['peak_gib'] / a['ours']['peak_gib']:.1f}; "
            f"DuckDB time x{b['duck']['total_s'] / a['duck']['total_s']:.1f}"
        )
    for r in done:
        if r["scale"] == 1:
            o = r["ours"]
            print(
                f"targets at scale 1: < 60 s {'met' if o['total_s'] < 60 else 'NOT met'}, "
                f"< 6 GiB {'met' if o['peak_gib'] < 6 else 'NOT met'}, "
                f"within 2x of DuckDB {'met' if o['total_s'] <= 2 * r['duck']['total_s'] else 'NOT met'}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile our build at the first scale")
    parser.add_argument(
        "--limit-gib", type=float, default=20.0, help="kill a child whose resident memory passes this (default 20)"
    )
    args = parser.parse_args()
    results = [run_scale(s, args.seed, args.profile and i == 0, args.limit_gib) for i, s in enumerate(args.scales)]
    report(results)
    Path(tempfile.gettempdir(), "bench_features.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
