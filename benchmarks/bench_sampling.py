"""Benchmark of the sampling package against its targets and against R `sampling`.

Run on demand (not a test)::

    .venv/bin/python benchmarks/bench_sampling.py [--quick] [--no-r]

Jobs (targets from shared/spec/quality.md):

* stage 1: inclusion probabilities + conditional Poisson draw for 1,300 bodies
  (policy-like sizes: grade multipliers x events, 25 CCC certainties, floor
  0.02; and continuous log-normal sizes), target < 50 ms;
* certificate scale: inclusion probabilities + randomised systematic draw for
  1,000,000 units (and 100,000), target < 2 s;
* exact CPS joint inclusion probabilities for 1,300 units, target < 5 s.

When ``Rscript`` and the R package ``sampling`` are installed, the same jobs
run in R in the same process tree on the same sizes (``inclusionprobabilities``
+ ``UPmaxentropy``, ``UPmaxentropypi2``, ``inclusionprobabilities`` +
``UPsystematic``); the table prints our time, R's time and the ratio. R's
times exclude start-up and reading the sizes. Note the designs differ in one
respect: ours derives every random number from SHA-256 of the unit id (about
0.4 us per unit), R uses ``runif``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sampling import (  # noqa: E402
    draw,
    inclusion_probabilities,
    joint_inclusion_probabilities,
    seed_material,
)

MATERIAL = seed_material("0" * 64, "benchmark")


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Smallest wall time of ``repeat`` runs (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def policy_sizes(n_units: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Grade multipliers x newly approved x alert x overdue, plus 25 CCC certainties."""
    grade = rng.choice([1.0, 2.0, 4.0, 8.0], n_units, p=[0.65, 0.22, 0.09, 0.04])
    size = grade * rng.choice([1.0, 2.0], n_units, p=[0.92, 0.08]) * rng.choice([1.0, 2.0], n_units, p=[0.9, 0.1])
    size *= rng.choice([1.0, 1.5], n_units, p=[0.7, 0.3])
    certain = np.zeros(n_units, dtype=bool)
    certain[rng.choice(n_units, 25, replace=False)] = True
    return size, certain


def r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "suppressWarnings(library(sampling))"], capture_output=True, text=True)
    return probe.returncode == 0


def r_has_openssl() -> bool:
    probe = subprocess.run(
        ["Rscript", "-e", "quit(status = !requireNamespace('openssl', quietly = TRUE))"], capture_output=True
    )
    return probe.returncode == 0


def r_time(script: str, sizes: np.ndarray, workdir: Path) -> float:
    """Run an R snippet with `a` bound to the sizes; it must print the seconds."""
    path = workdir / "sizes.txt"
    np.savetxt(path, sizes, fmt="%.17g")
    code = f'suppressWarnings(library(sampling)); a <- scan("{path}", quiet = TRUE); set.seed(1)\n{script}'
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().split()[-1])


R_DRAW = """pik <- inclusionprobabilities(a, {n})
t <- system.time(for (i in 1:{reps}) {{ pik <- inclusionprobabilities(a, {n}); s <- {design}(pik) }})
cat(t[["elapsed"]] / {reps}, "\\n")"""
R_SAME_DESIGN = """ids <- sprintf("C%09d", 0:(length(a) - 1))
material <- "{material}"
u52 <- function(hex) (strtoi(substr(hex, 1, 7), 16L) * 2^24 + strtoi(substr(hex, 8, 13), 16L) + 0.5) / 2^52
t <- system.time({{
  pik <- inclusionprobabilities(a, {n})
  part <- which(pik > 0 & pik < 1)
  u <- u52(as.character(openssl::sha256(paste0(material, "|stage2|", ids[part]))))
  start <- u52(as.character(openssl::sha256(paste0(material, "|stage2:start"))))
  o <- part[order(u)]
  cum <- cumsum(pik[o])
  hit <- diff(floor(c(-start, cum - start))) > 0
  chosen <- sort(c(ids[pik == 1], ids[o[hit]]), method = "radix")
}})
writeLines(chosen, "{out}")
cat(t[["elapsed"]], "\\n")"""
R_SAME_CPS = """ids <- sprintf("B%05d", 0:(length(a) - 1))
material <- "{material}"
u52 <- function(hex) (strtoi(substr(hex, 1, 7), 16L) * 2^24 + strtoi(substr(hex, 8, 13), 16L) + 0.5) / 2^52
t <- system.time({{
  pik <- inclusionprobabilities(a, {n})
  part <- which(pik > 0 & pik < 1)
  o <- part[order(ids[part], method = "radix")]
  pt <- UPMEpiktildefrompik(pik[o], eps = 1e-8)
  q <- UPMEqfromw(pt / (1 - pt), round(sum(pik[o])))
  u <- u52(as.character(openssl::sha256(paste0(material, "|stage1|", ids[o]))))
  j <- ncol(q); s <- integer(0)
  for (k in seq_along(o)) {{ if (j == 0) break; if (u[k] < q[k, j]) {{ s <- c(s, k); j <- j - 1 }} }}
  chosen <- sort(c(ids[pik == 1], ids[o[s]]), method = "radix")
}})
writeLines(chosen, "{out}")
cat(t[["elapsed"]], "\\n")"""
R_JOINT = """pik <- inclusionprobabilities(a, {n})
t <- system.time(M <- UPmaxentropypi2(pik))
cat(t[["elapsed"]], "\\n")"""


def same_cps_row(label: str, ids: list[str], size: np.ndarray, workdir: Path) -> tuple:
    """Re-derive our stage-1 CPS draw in R (UPMEqfromw + our SHA-256 uniforms) and compare."""
    out = workdir / "chosen_cps.txt"
    seconds = r_time(R_SAME_CPS.format(material=MATERIAL, n=300, out=out), size, workdir)
    pi = inclusion_probabilities(size, 300)
    start = time.perf_counter()
    res = draw(ids, pi, MATERIAL, "stage1", method="cps")
    ours = time.perf_counter() - start
    mine = sorted(i for i, chosen in zip(ids, res.selected, strict=True) if chosen)
    same = "identical" if out.read_text().split() == mine else "DIFFERENT"
    return (f"same CPS draw re-derived in R ({label}): {same}", len(ids), ours, seconds, None)


def run(quick: bool, with_r: bool) -> list[tuple]:
    rng = np.random.default_rng(20250107)
    rows = []
    workdir = Path(tempfile.mkdtemp(prefix="bench_sampling_"))
    use_r = with_r and r_available()
    reps = 3 if quick else 10

    # -- stage 1, 1,300 bodies ---------------------------------------------------
    ids = [f"B{k:05d}" for k in range(1300)]
    size, certain = policy_sizes(1300, rng)

    def stage1_policy() -> None:
        pi = inclusion_probabilities(size, 300, floor=0.02, certain=certain)
        draw(ids, pi, MATERIAL, "stage1", method="cps")

    rows.append(("stage 1: pi + CPS draw (policy sizes, floor, CCC)", 1300, best_of(stage1_policy, reps), None, 0.05))

    def stage1_plain() -> None:  # the same inputs as R: no floor, certainties by size only
        draw(ids, inclusion_probabilities(size, 300), MATERIAL, "stage1", method="cps")

    r_plain = r_time(R_DRAW.format(n=300, reps=1, design="UPmaxentropy"), size, workdir) if use_r else None
    rows.append(("stage 1: pi + CPS draw (policy sizes, as R)", 1300, best_of(stage1_plain, reps), r_plain, 0.05))

    if use_r and r_has_openssl():
        rows.append(same_cps_row("policy sizes", ids, size, workdir))
    lognormal = rng.lognormal(0.0, 1.0, 1300)

    def stage1_continuous() -> None:
        draw(ids, inclusion_probabilities(lognormal, 300), MATERIAL, "stage1", method="cps")

    r_cont = r_time(R_DRAW.format(n=300, reps=1, design="UPmaxentropy"), lognormal, workdir) if use_r else None
    rows.append(("stage 1: pi + CPS draw (log-normal sizes)", 1300, best_of(stage1_continuous, reps), r_cont, 0.05))
    if use_r and r_has_openssl():
        rows.append(same_cps_row("log-normal sizes", ids, lognormal, workdir))

    # -- joint probabilities, 1,300 units ------------------------------------------
    pi_policy = inclusion_probabilities(size, 300)
    pi_cont = inclusion_probabilities(lognormal, 300)
    t_joint_p = best_of(lambda: joint_inclusion_probabilities(pi_policy, method="cps"), 1 if quick else 3)
    r_joint_p = r_time(R_JOINT.format(n=300), size, workdir) if use_r else None
    rows.append(("CPS joint probabilities (policy sizes)", 1300, t_joint_p, r_joint_p, 5.0))
    t_joint_c = best_of(lambda: joint_inclusion_probabilities(pi_cont, method="cps"), 1 if quick else 3)
    r_joint_c = r_time(R_JOINT.format(n=300), lognormal, workdir) if use_r else None
    rows.append(("CPS joint probabilities (log-normal sizes)", 1300, t_joint_c, r_joint_c, 5.0))

    # -- certificate scale ------------------------------------------------------
    for n_units, budget in ((100_000, 2_000), (1_000_000, 20_000)):
        cert_ids = [f"C{k:09d}" for k in range(n_units)]
        cert_size = rng.pareto(1.5, n_units) + 1.0

        def cert_draw(cert_ids: list[str] = cert_ids, cert_size: np.ndarray = cert_size, budget: int = budget) -> None:
            pi = inclusion_probabilities(cert_size, budget)
            draw(cert_ids, pi, MATERIAL, "stage2", method="systematic")

        r_sys = r_time(R_DRAW.format(n=budget, reps=3, design="UPsystematic"), cert_size, workdir) if use_r else None
        target = 2.0 if n_units == 1_000_000 else None
        ours = best_of(cert_draw, 2 if quick else 3)
        rows.append(("pi + systematic draw (R: UPsystematic, runif)", n_units, ours, r_sys, target))
        if use_r and r_has_openssl():
            out = workdir / "chosen.txt"
            script = R_SAME_DESIGN.format(material=MATERIAL, n=budget, out=out)
            r_same = r_time(script, cert_size, workdir)
            res = draw(cert_ids, inclusion_probabilities(cert_size, budget), MATERIAL, "stage2", method="systematic")
            ours_ids = sorted(i for i, chosen in zip(cert_ids, res.selected, strict=True) if chosen)
            same = out.read_text().split() == ours_ids
            label = f"same SHA-256 design in R (openssl): {'identical' if same else 'DIFFERENT'} draw"
            rows.append((label, n_units, ours, r_same, target))
    shutil.rmtree(workdir, ignore_errors=True)
    return rows


def print_table(rows: list[tuple]) -> None:
    head = f"{'job':62} {'units':>9} {'ours (s)':>10} {'R (s)':>10} {'R/ours':>8} {'target':>8}  ok"
    print(head)
    print("-" * len(head))
    for job, units, ours, r, target in rows:
        r_txt = f"{r:10.4f}" if r is not None else f"{'-':>10}"
        ratio = f"{r / ours:8.1f}" if r is not None else f"{'-':>8}"
        tgt = f"{target:8.3g}" if target is not None else f"{'-':>8}"
        ok = "" if target is None else ("yes" if ours < target else "NO")
        print(f"{job:62} {units:9d} {ours:10.4f} {r_txt} {ratio} {tgt}  {ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-r", action="store_true", help="skip the R reference")
    args = parser.parse_args()
    if not args.no_r and not r_available():
        print("Rscript with package 'sampling' not found: R columns left empty (apt-get install r-cran-sampling).")
    print_table(run(args.quick, not args.no_r))


if __name__ == "__main__":
    main()
