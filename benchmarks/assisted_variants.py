"""Single-quarter coverage of the difference (model-assisted) rate and of the HT total, and of interval variants.

On floor-weighted samples the difference rate and the HT total of serious
findings miss mostly below the truth with symmetric or logit intervals: a
quarter that misses the rare positives of low-probability bodies gives a low
estimate with a small standard error. This benchmark measures interval
constructions for both on the same replicated quarters (scale 1, the default
policy and the demo's budget, framed as ``benchmarks/coverage.py`` frames
them; fresh outcomes from the simulator's true probabilities and a real draw
per replicate):

Difference rate (every domain: overall, grades, provinces):

* ``engine``: the engine's interval (``ci="jeffreys"``: the random part's
  Jeffreys interval at its effective size, capped at the random units times
  the sample's Hajek-to-difference variance ratio; docs/model-assisted.md
  section 3);
* ``with_df``: the same with the effective size first deflated by Korn and
  Graubard's ``(z / t_df)^2`` at the domain's degrees of freedom, as the
  Hajek rate's interval is;
* ``earlier``: the earlier default, the logit interval, with the random
  part's Jeffreys interval capped at the random units below 5 random
  positives and the normal interval outside (0, 1);
* ``hajek_shape``: the Hajek rate's own interval of the same replicate and
  domain, its two arms scaled by ``se_difference / se_hajek`` and placed
  around the difference estimate (the skew of the design carried over).

HT total of 0/1 outcomes (overall):

* ``engine``: ``ht_total(ci="jeffreys")``, ``N_hat`` times the rate tables'
  default interval (deflated, capped at the random units, Jeffreys limits) of
  the implied rate;
* ``beta``: the earlier choice, ``N_hat`` times the Korn-Graubard interval of
  the implied rate.

Printed per world and row: median random units, coverage of each variant,
the share of its misses below the truth and its median width relative to the
engine's. Monte Carlo standard error of a coverage near 95 % at 1,000
replicates: 0.7 points.

    python benchmarks/assisted_variants.py [--seeds 41 53 71 83] [--reps 1000]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd
from coverage import MATERIAL, world_quarter

from sampling import draw
from sampling.estimators import difference_rate, ht_total, pooled_rate
from sampling.estimators.assisted_intervals import jeffreys_limits
from sampling.estimators.intervals import RandomPart, interval
from sampling.estimators.reliability import MIN_RANDOM_PUBLISHED
from sampling.replication import Quarter

LEVEL = 0.95
FEW_POSITIVES = 5  # the earlier default's switch to the random part's Jeffreys interval


def _domain_rows(quarter: Quarter, y: np.ndarray, s: np.ndarray) -> list[dict]:
    """Hajek and difference ingredients of every domain of one replicate."""
    pi, ys, zeros = quarter.pi[s], y[s], np.zeros(len(s), dtype=np.int64)
    rows = []
    for scope, labels in [("overall", None), *quarter.domains.items()]:
        dom = None if labels is None else labels[s].astype(str)
        frame_dom = None if labels is None else labels.astype(str)
        hajek = pooled_rate(ys, pi, zeros, domain=dom).set_index("domain")
        given = {
            "frame_draw_id": np.zeros(len(y), dtype=np.int64),
            "frame_prediction": quarter.prediction,
            "domain": dom,
            "frame_domain": frame_dom,
        }
        diff = difference_rate(ys, pi, zeros, quarter.prediction[s], **given).set_index("domain")
        logit_table = difference_rate(ys, pi, zeros, quarter.prediction[s], **given, ci="logit").set_index("domain")
        for name in hajek.index:
            inside = np.ones(len(s), bool) if dom is None else dom == name
            whole = np.ones(len(y), bool) if frame_dom is None else frame_dom == name
            cert = inside & (pi >= 1)
            h, d, lg = hajek.loc[name], diff.loc[name], logit_table.loc[name]
            rows.append(
                {
                    "scope": scope,
                    "domain": "all" if dom is None else name,
                    "h_est": h.estimate,
                    "h_se": h.se,
                    "h_low": h.ci_low,
                    "h_high": h.ci_high,
                    "d_est": d.estimate,
                    "d_se": d.se,
                    "engine_low": d.ci_low,
                    "engine_high": d.ci_high,
                    "logit_low": lg.ci_low,
                    "logit_high": lg.ci_high,
                    "df": float(h.n_random) - 1,
                    "n_r": int(h.n_random),
                    "positives": float(ys[inside & ~cert].sum()),
                    "known": float(ys[cert].sum()) / whole.sum(),
                    "share": 1.0 - cert.sum() / whole.sum(),
                    "truth": float(y[whole].mean()),
                }
            )
    return rows


def _total_row(y: np.ndarray, pi: np.ndarray, s: np.ndarray) -> dict:
    """The HT total's engine interval and the earlier Korn-Graubard one."""
    est = ht_total(y[s], pi[s], ci="jeffreys")
    beta = ht_total(y[s], pi[s], ci="beta")
    return {
        "scope": "total",
        "domain": "all",
        "estimate": est.estimate,
        "engine_low": est.ci_low,
        "engine_high": est.ci_high,
        "beta_low": beta.ci_low,
        "beta_high": beta.ci_high,
        "n_r": int((pi[s] < 1).sum()),
        "truth": float(y.sum()),
    }


def replicate_parts(seed: int, reps: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per replicate: the domains' Hajek and difference ingredients, and the HT total's intervals."""
    quarter, _ = world_quarter(1.0, seed)
    rng = np.random.default_rng(seed)
    domains, totals = [], []
    for r in range(reps):
        y = (rng.random(len(quarter.ids)) < quarter.p).astype(float)
        s = np.flatnonzero(draw(quarter.ids, quarter.pi, MATERIAL, f"rep {r}").selected)
        domains += [{"rep": r, **row} for row in _domain_rows(quarter, y, s)]
        totals.append({"rep": r, **_total_row(y, quarter.pi, s)})
    return pd.DataFrame(domains), pd.DataFrame(totals)


def _hajek_shape(row) -> tuple[float, float]:
    """The Hajek interval's arms scaled by the standard-error ratio, around the difference estimate."""
    if not (row.h_se > 0 and math.isfinite(row.h_low)):
        return row.engine_low, row.engine_high
    ratio = row.d_se / row.h_se
    return row.d_est - ratio * (row.h_est - row.h_low), row.d_est + ratio * (row.h_high - row.h_est)


def _with_df(row) -> tuple[float, float]:
    """The engine's construction with the degrees-of-freedom deflation of the Hajek rate's interval."""
    if not (row.d_se > 0 and row.share > 0):
        return row.engine_low, row.engine_high
    gain = max(1.0, (row.h_se / row.d_se) ** 2) if row.h_se > 0 else 1.0
    part = RandomPart(row.known, row.share, row.n_r)
    return jeffreys_limits(row.d_est, row.d_se, part, row.df, gain, LEVEL)


def _earlier(row) -> tuple[float, float]:
    """The earlier default: logit; below 5 random positives the random part's Jeffreys interval capped at the units."""
    if row.positives >= FEW_POSITIVES or not 0 < row.d_est < 1 or not row.share > 0:
        return row.logit_low, row.logit_high
    part = RandomPart(row.known, row.share, row.n_r)
    low, high = interval(row.d_est, row.d_se, row.n_r, row.df, "jeffreys", LEVEL, part)
    return min(low, row.d_est), max(high, row.d_est)


def difference_variants(parts: pd.DataFrame) -> pd.DataFrame:
    """``<variant>_low`` and ``<variant>_high`` of the difference rate's variants beside the engine's limits."""
    data = parts[(parts["n_r"] >= MIN_RANDOM_PUBLISHED) & parts["d_est"].notna()].copy()
    for name, rule in (("with_df", _with_df), ("earlier", _earlier), ("hajek_shape", _hajek_shape)):
        data[[f"{name}_low", f"{name}_high"]] = np.array([rule(row) for row in data.itertuples()])
    return data


def coverage_table(data: pd.DataFrame, variants: list[str], min_province: float) -> pd.DataFrame:
    """Coverage, misses below the truth and median width relative to the engine of every variant, by row."""
    out = data.groupby(["scope", "domain"])[["n_r"]].median()
    keys = [data["scope"], data["domain"]]
    base = data["engine_high"] - data["engine_low"]
    for name in ["engine", *variants]:
        low, high, truth = data[f"{name}_low"], data[f"{name}_high"], data["truth"]
        tol = 1e-12 * np.maximum(1.0, truth.abs())
        out[name] = ((low <= truth + tol) & (truth <= high + tol)).groupby(keys).mean()
        out[f"{name}_below"] = (high < truth - tol).groupby(keys).mean()
        if name != "engine":
            out[f"{name}_width"] = ((high - low) / base).groupby(keys).median()
    keep = (out.index.get_level_values("scope") != "province") | (out["n_r"] >= min_province)
    return out[keep]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[41, 53, 71, 83])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--min-province", type=float, default=10.0, help="least median random inspections shown")
    parser.add_argument("--save", default=None, help="folder to keep each world's replicate parts (CSV)")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 250)
    for seed in args.seeds:
        start = time.perf_counter()
        domains, totals = replicate_parts(seed, args.reps)
        if args.save:
            domains.to_csv(f"{args.save}/difference_{seed}.csv", index=False)
            totals.to_csv(f"{args.save}/total_{seed}.csv", index=False)
        diff = coverage_table(difference_variants(domains), ["with_df", "earlier", "hajek_shape"], args.min_province)
        total = coverage_table(totals, ["beta"], args.min_province)
        print(f"\n## world seed {seed}, {args.reps} replicates: difference rate")
        print(diff.to_string(float_format=lambda v: f"{v:.3f}"))
        print("   HT total")
        print(total.to_string(float_format=lambda v: f"{v:.3f}"))
        print(f"   ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
