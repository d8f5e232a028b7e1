"""Does the auditor ranking find the auditors who skip audits? (docs/auditors.md)

On simulated worlds: the ranked list of ``supervision.auditors.auditor_list``
(every auditor with an audit in the 12 months before the snapshot) against the
simulator's truth (``world.truth()["auditors"]``: the skippers and their chance
to skip each audit). Per seed:

- AUC of the score for the skippers, and precision among the top 20 and 100
  (chance: the skippers' share);
- the high-risk rule: auditors flagged, the share of them who skip
  (precision), the share of skippers flagged (recall), the share of the
  others flagged;
- Spearman correlation of the score with the chance to skip, among skippers;
- the AUC of each term of the score alone;
- where the others flagged work: the mean percentile of their home body's
  true P(serious) in the last quarter among all bodies (50 for no relation);
- the body feature ``high_risk_auditor_share`` against the true share of each
  body's audits of the 12 months named on a skipper (Pearson r);
- the null: the share of auditors the rule flags when every auditor's audits
  are like everyone's (the world's population rates of missing, late and far
  check-ins and double bookings, binomial noise, ten auditors to a body, one
  body each), for auditors with 20, 60 and 120 audits a year
  (``--null-auditors`` of each).

    python benchmarks/auditors.py [--scale 1] [--seeds 20240101 7] [--null-auditors 20000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from features import build_features
from features.builders.auditors import RATES, SCORED, auditor_indicators
from features.builders.checkins import audit_known_at, checkin_flags, double_bookings
from simulator import generate_world
from supervision.auditors import LABELS, auditor_list

AS_OF = pd.Timestamp("2026-01-01")
NULL_AUDITS = (20, 60, 120)
HOUR = pd.Timedelta(hours=1)


def ranking(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> pd.DataFrame:
    """The full ranked list, with the column names of the code (not the headers) and each term of the score."""
    ranked = auditor_list(tables, as_of, lang="en", high_risk_only=False)
    ranked = ranked.rename(columns={en: name for name, (en, _) in LABELS.items()})
    terms = auditor_indicators(tables, as_of)[["auditor_id", *(f"{n}_term" for n in SCORED)]]
    return ranked.merge(terms, on="auditor_id", how="left", validate="one_to_one")


def true_body_share(tables: dict[str, pd.DataFrame], truth: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Share of each body's audits of the 12 months (completed records) named on a skipper."""
    a = tables["audits"]
    done = a[["planned_end", "checkin_at", "checkout_at"]].max(axis=1)
    a = a[done >= as_of - pd.Timedelta(days=365)]
    skipper = a["auditor_id"].map(truth.set_index("auditor_id")["skipper"]).astype(float)
    return skipper.groupby(a["body_id"]).mean()


def null_audits(n_auditors: int, per_auditor: int, rates: dict[str, float], seed: int) -> pd.DataFrame:
    """Audits of auditors alike: every anomaly at the population's rate, ten auditors to a body, audits 5 days
    apart in the year before :data:`AS_OF`, 16 h with log-normal noise; a double booking starts 1 h into the
    previous audit."""
    rng = np.random.default_rng(seed)
    n = n_auditors * per_auditor
    auditor = np.repeat(np.arange(n_auditors), per_auditor)
    k = np.tile(np.arange(per_auditor), n_auditors)
    start = pd.Timestamp("2025-01-06 09:00") + pd.to_timedelta(5 * k, unit="D")
    start = np.where((k > 0) & (rng.uniform(size=n) < rates["double_booking_rate"]), np.roll(start, 1) + HOUR, start)
    hours = np.clip(np.round(16 * np.exp(rng.normal(0, 0.35, n))), 4, 40)
    missing = rng.uniform(size=n) < rates["missing_checkin_rate"]
    late = ~missing & (rng.uniform(size=n) < rates["late_checkin_rate"])
    far = ~missing & (rng.uniform(size=n) < rates["far_checkin_rate"])
    start = pd.DatetimeIndex(start)
    return pd.DataFrame(
        {
            "audit_id": [f"A{i}" for i in range(n)],
            "body_id": [f"B{a // 10}" for a in auditor],
            "auditor_id": [f"X{a}" for a in auditor],
            "org_id": [f"O{i}" for i in range(n)],
            "scheme": "QMS",
            "planned_start": start,
            "planned_end": start + pd.to_timedelta(hours, unit="h"),
            "checkin_at": (start + pd.to_timedelta(np.where(late, 3.0, 0.0), unit="h")).where(~missing),
            "checkout_at": start + pd.to_timedelta(hours, unit="h"),
            "checkin_distance_km": np.where(missing, np.nan, np.where(far, 6.0, 0.5)),
            "remote": False,
        }
    )


def population_rates(audits: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, float]:
    """The rate of each anomaly over all audits of the 12 months (the features' flags and rules)."""
    ended = audit_known_at(audits)
    t = np.datetime64(as_of, "ns")
    window = (ended < t) & (ended >= t - np.timedelta64(365, "D"))
    flags = checkin_flags(audits)
    rates = {n: float(flags[n][0][window].sum() / flags[n][1][window].sum()) for n in RATES}
    double, known = double_bookings(audits, ended)
    rates["double_booking_rate"] = float((double & (known < t) & (known >= t - np.timedelta64(365, "D"))).sum())
    rates["double_booking_rate"] /= float(window.sum())
    return rates


def null_flagged(rates: dict[str, float], n_auditors: int, seed: int) -> dict[str, float]:
    out = {}
    for per in NULL_AUDITS:
        table = auditor_indicators({"audits": null_audits(n_auditors, per, rates, seed)}, AS_OF)
        out[f"null flagged ({per} audits)"] = table["high_risk"].mean()
    return out


def measure(scale: float, seed: int, null_auditors: int) -> dict[str, float]:
    started = time.perf_counter()
    world = generate_world(scale=scale, seed=seed)
    tables, as_of = world.tables(), world.as_of
    truth = world.truth()["auditors"]
    ranked = ranking(tables, as_of).merge(truth, on="auditor_id", how="left", validate="one_to_one")
    skip = ranked["skipper"].to_numpy(dtype=bool)
    flagged = ranked["high_risk"].to_numpy(dtype=bool)
    features = build_features(tables, as_of).set_index("body_id")
    share = true_body_share(tables, truth, as_of).reindex(features.index).fillna(0.0)
    rates = population_rates(tables["audits"], as_of)
    risk = world.truth()["risk_quarterly"]
    last = risk[risk["quarter_start"] == risk["quarter_start"][risk["quarter_start"] < as_of].max()]
    pct = last.set_index("body_id")["p_serious"].rank(pct=True) * 100
    others = ~skip & flagged
    return {
        "auditors": len(ranked),
        "skippers": skip.mean(),
        "auc": roc_auc_score(skip, ranked["score"]),
        "precision@20": skip[:20].mean(),
        "precision@100": skip[:100].mean(),
        "flagged": flagged.sum(),
        "rule precision": skip[flagged].mean() if flagged.any() else np.nan,
        "rule recall": flagged[skip].mean(),
        "others flagged": flagged[~skip].mean(),
        "spearman (skippers)": spearmanr(ranked.loc[skip, "score"], ranked.loc[skip, "skip_prob"])[0],
        **{f"auc {n}": roc_auc_score(skip, ranked[f"{n}_term"]) for n in SCORED},
        "others flagged: body risk percentile": pct.reindex(ranked.loc[others, "body_id"]).mean(),
        "body feature r": np.corrcoef(features["high_risk_auditor_share"], share)[0, 1],
        **{f"population {n}": r for n, r in rates.items()},
        **null_flagged(rates, null_auditors, seed),
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[20240101, 7])
    parser.add_argument("--null-auditors", type=int, default=20_000, help="auditors of each null world")
    args = parser.parse_args()
    rows = {seed: measure(args.scale, seed, args.null_auditors) for seed in args.seeds}
    table = pd.DataFrame(rows)
    table.columns.name = f"seed (scale {args.scale:g})"
    with pd.option_context("display.float_format", "{:.4f}".format):
        print(table.to_string())


if __name__ == "__main__":
    main()
