"""Closed loop: several quarters of the whole cycle on the simulator, per policy.

Each policy runs in its own copy of the same synthetic world (same seed), so
its draws and their outcomes feed back into its own history only. Every
quarter, for each policy: build the frame, set sizes, inclusion probabilities
(same budget, floor 0.02) and draw (conditional Poisson, SHA-256 seed
derivation); inspect the drawn bodies in the world (outcomes depend on the
true latent risk and the team's stringency); add the quarter's complaint and
targeted inspections; estimate the population serious rate from the draw
(Hajek, 95 % interval). The engine retrains its scorecard every quarter on the
history it has seen (random draws weighted by 1 / inclusion probability).

Policies (same budget):
- equal: equal probability;
- points: grades from an accreditation-style points rule (A >= 85, B 70-84, C < 70) x 1/2/4;
- engine: the engine's grades A-D (calibrated model, default bands) x 1/2/4/8;
- oracle: the same grade policy with grades from the TRUE probability;
- engine-p / oracle-p: size proportional to the model's / the true probability;
- engine-all: the engine's grade policy with a model that also learns from
  targeted and complaint inspections (weight 1 each);
- engine-steep / oracle-steep: grade multipliers 1/3/9/27 instead of 1/2/4/8.

Yield: realised serious findings per 100 inspections, and the expected number
(sum of pi_k * p_k over the frame, the design's exact yield without the noise
of a few dozen outcomes); ratios use the expected yield.

Coverage: in each quarter and policy, 200 hypothetical redraws of the same
design with potential outcomes y ~ Bernoulli(true p) for every body; the share
of 95 % intervals covering the population mean of y.

    python benchmarks/closed_loop.py [--scale 0.5] [--quarters 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import time
import zlib

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from features import FEATURE_NAMES, build_features
from features.rules import is_serious
from riskmodel import fit_model, model_grades, predict_serious
from riskmodel.baselines import points_rule
from riskmodel.training import build_training_set
from sampling import SizePolicy, draw, hajek_mean, inclusion_probabilities, seed_material
from simulator import generate_world

POLICIES = ("equal", "points", "engine", "oracle", "engine-p", "oracle-p", "engine-all", "engine-steep", "oracle-steep")
GRADE_SIZE = {"A": 1.0, "B": 2.0, "C": 4.0, "D": 8.0}
STEEP_SIZE = {"A": 1.0, "B": 3.0, "C": 9.0, "D": 27.0}
FLOOR = 0.02
BUDGET_SHARE = 0.06  # of the frame per quarter: about a quarter of all bodies a year
REDRAWS = 200


def _true_p(world, body_ids, when) -> np.ndarray:
    idx = pd.Index(world.bodies["body_id"]).get_indexer(body_ids)
    return world.risk.p_serious(idx, [when] * len(idx))


def _sizes(policy: str, world, tables, frame_ids, q_start) -> tuple[np.ndarray, dict]:
    info = {}
    if policy == "equal":
        return np.ones(len(frame_ids)), info
    p_true = _true_p(world, frame_ids, q_start)
    if policy.startswith("oracle"):
        sizes = STEEP_SIZE if policy == "oracle-steep" else GRADE_SIZE
        return (p_true if policy == "oracle-p" else np.vectorize(sizes.get)(model_grades(p_true))), info
    features = build_features(tables, q_start).set_index("body_id").loc[frame_ids].reset_index()
    if policy == "points":
        pts = points_rule(features[list(FEATURE_NAMES)])
        return np.select([pts >= 85, pts >= 70], [1.0, 2.0], 4.0), info
    # engine-all also learns from targeted and complaint inspections (weight 1 each)
    ts = build_training_set(tables, q_start, nonrandom="weight_one" if policy == "engine-all" else "exclude")
    model = fit_model("scorecard", ts.X, ts.y, ts.w, random_state=0)
    p_hat = predict_serious(model, features[list(FEATURE_NAMES)])
    y_soft = np.r_[np.ones(len(p_hat)), np.zeros(len(p_hat))]
    info["auc_truth"] = roc_auc_score(y_soft, np.r_[p_hat, p_hat], sample_weight=np.r_[p_true, 1 - p_true])
    sizes = STEEP_SIZE if policy == "engine-steep" else GRADE_SIZE
    return (p_hat if policy == "engine-p" else np.vectorize(sizes.get)(model_grades(p_hat))), info


def _coverage(ids, pi, p_true, n_redraws, key) -> tuple[float, float]:
    rng = np.random.default_rng(zlib.crc32(key.encode()))  # str hash() is salted per process
    covered, errors = 0, []
    for r in range(n_redraws):
        y = (rng.uniform(size=len(ids)) < p_true).astype(float)
        chosen = draw(ids, pi, seed_material("0" * 64, f"{key}:{r}"), "stage1").selected
        est = hajek_mean(y[chosen], pi[chosen], ci="beta")
        covered += est.ci_low <= y.mean() <= est.ci_high
        errors.append(est.estimate - y.mean())
    return covered / n_redraws, float(np.mean(errors))


def run_policy(policy: str, args) -> pd.DataFrame:
    world = generate_world(scale=args.scale, seed=args.seed, future_quarters=args.quarters)
    rows = []
    for k in range(args.quarters):
        q_start = world.as_of + pd.DateOffset(months=3 * k)
        tables = world.tables(q_start)
        b = tables["bodies"]
        frame_ids = b.loc[~b["status"].isin(SizePolicy().out_of_frame_statuses), "body_id"].to_numpy()
        size, info = _sizes(policy, world, tables, frame_ids, q_start)
        n = round(BUDGET_SHARE * len(frame_ids))
        pi = inclusion_probabilities(np.maximum(size, 1e-9), n, floor=FLOOR)
        chosen = draw(
            frame_ids, pi, seed_material("0" * 64, f"{policy}:{q_start.date()}:{args.seed}"), "stage1"
        ).selected
        days = pd.to_timedelta(np.arange(chosen.sum()) % 80, unit="D")
        done = world.inspect(
            frame_ids[chosen],
            q_start + days,
            kind="random",
            inclusion_prob=pi[chosen],
            draw_id=f"{policy}-{q_start.date()}",
        )
        world.simulate_background(q_start)
        serious = is_serious(done["outcome"])
        p_true = _true_p(world, frame_ids, q_start)
        est = hajek_mean(serious, pi[chosen], ci="beta")
        coverage, bias = _coverage(frame_ids, pi, p_true, args.redraws, f"{policy}:{k}")
        rows.append(
            {
                "policy": policy,
                "quarter": str(q_start.date()),
                "inspections": int(chosen.sum()),
                "serious": int(serious.sum()),
                "expected_serious": float((pi * p_true).sum()),
                "true_rate": float(p_true.mean()),
                "estimate": est.estimate,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
                "naive_rate": float(serious.mean()),
                "redraw_coverage": coverage,
                "redraw_bias": bias,
                "auc_truth": info.get("auc_truth", np.nan),
            }
        )
        print(
            f"  {policy:9s} {q_start.date()}: {int(serious.sum()):3d} serious of {int(chosen.sum())}, "
            f"estimate {est.estimate:.3f} [{est.ci_low:.3f}, {est.ci_high:.3f}] vs true {p_true.mean():.3f}",
            flush=True,
        )
    return pd.DataFrame(rows)


def summarise(per_quarter: pd.DataFrame) -> pd.DataFrame:
    g = per_quarter.groupby("policy", sort=False)
    table = pd.DataFrame(
        {
            "serious_per_100": 100 * g["serious"].sum() / g["inspections"].sum(),
            "expected_per_100": 100 * g["expected_serious"].sum() / g["inspections"].sum(),
            "naive_rate": g["serious"].sum() / g["inspections"].sum(),
            "estimate_bias": g.apply(lambda d: (d["estimate"] - d["true_rate"]).mean(), include_groups=False),
            "ci_covers_truth": g.apply(
                lambda d: ((d["ci_low"] <= d["true_rate"]) & (d["true_rate"] <= d["ci_high"])).mean(),
                include_groups=False,
            ),
            "redraw_coverage": g["redraw_coverage"].mean(),
            "redraw_bias": g["redraw_bias"].mean(),
            "model_auc_truth": g["auc_truth"].mean(),
        }
    )
    # yields compared on the expected number of serious findings (sum of pi * true p): the design's
    # exact yield, free of the outcome noise of a few dozen inspections a quarter
    table["vs_equal"] = table["expected_per_100"] / table.loc["equal", "expected_per_100"]
    for engine, oracle in (
        ("engine", "oracle"),
        ("engine-p", "oracle-p"),
        ("points", "oracle"),
        ("engine-all", "oracle"),
        ("engine-steep", "oracle-steep"),
    ):
        if engine in table.index and oracle in table.index:
            table.loc[engine, "share_of_oracle"] = (
                table.loc[engine, "expected_per_100"] / table.loc[oracle, "expected_per_100"]
            )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--redraws", type=int, default=REDRAWS)
    parser.add_argument("--policies", nargs="+", default=list(POLICIES))
    args = parser.parse_args()
    started = time.perf_counter()
    per_quarter = pd.concat([run_policy(p, args) for p in args.policies], ignore_index=True)
    table = summarise(per_quarter)
    print(f"\nscale {args.scale}, {args.quarters} quarters, seed {args.seed}, {time.perf_counter() - started:.0f} s")
    print(table.round(3).to_string())
    per_quarter.to_csv("closed_loop_per_quarter.csv", index=False)


if __name__ == "__main__":
    main()
