"""Small, hand-made inputs of the quarterly report: a training run, a draw folder, estimates and a monitor folder.

``write_report_inputs(root)`` writes them under ``root`` and returns their
paths; the numbers are chosen so that every count the report shows can be
worked out by hand (see the comments). The model choice's rule is written by
:func:`riskmodel.selection.select_model` itself, on a few hundred simulated
rows, so that its words are the engine's.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from riskmodel.selection import select_model

AS_OF = "2026-10-01"
DRAW_ID = "D20261001-handmade"

# Migration (rows: previous grade, columns: current grade). Graded in both quarters: 20 bodies, 15 on the
# diagonal (75.0 %); riskier A->B 1, B->C 2, C->D 1 = 4; less risky B->A 1; new 1 + 1 = 2; gone 1.
# Current grades by the model (column sums): A 7, B 7, C 5, D 3.
MIGRATION = """from,A,B,C,D,gone
A,5,1,0,0,0
B,1,6,2,0,1
C,0,0,3,1,0
D,0,0,0,1,0
new,1,0,0,1,0
"""
# The grades the draw used (its grades.csv): A 3, B 4, C 3, D 2 of 12 bodies (25.0 %, 33.3 %, 25.0 %, 16.7 %).
GRADES = ["A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "D", "D"]
# The evaluation table: shares of the evaluation weight, not of bodies (72 % in A must not show as a distribution).
BY_GRADE = pd.DataFrame(
    {"grade": ["A", "B", "C", "D"], "share": [0.72, 0.2, 0.08, 0.0], "predicted": [0.1, 0.2, 0.4, None]}
).assign(observed=[0.05, 0.25, 0.5, None])


def model_choice_rule() -> str:
    """A real rule of the model choice: logistic kept, boosting (noisier) not better beyond the noise."""
    rng = np.random.default_rng(3)
    risk = rng.uniform(size=400)
    y = (rng.uniform(size=400) < 0.5 * risk).astype(int)
    noisy = 0.25 * (risk + rng.uniform(size=400))
    return select_model(
        y,
        np.ones(400),
        {"logistic": 0.5 * risk, "boosting": noisy},
        {"logistic": "logistic", "boosting": "boosting"},
        replicates=60,
        rng=0,
    ).rule


def _training(folder: Path) -> None:
    folder.mkdir(parents=True)
    decision = {
        "chosen": "logistic",
        "challenger": "boosting",
        "champion_version": 4,
        "promoted": True,
        "registered": True,
        "rule": model_choice_rule(),
    }
    record = {
        "config": {"as_of": AS_OF, "eval_start": "2025-10-01", "candidate": "logistic", "rows": 170},
        "outputs": {"run_id": "0123456789abcdef", "decision": decision},
    }
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    models = ["logistic", "boosting", "equal_probability"]
    metrics = {"auc": [0.8, 0.78, 0.5], "brier": [0.18, 0.19, 0.2], "captured_at_budget": [0.6, 0.55, 0.25]}
    comparison = pd.DataFrame({"model": models, **metrics, "top_decile_lift": [3.0, 2.6, 1.0]})
    comparison.to_csv(folder / "comparison.csv", index=False)
    deciles = np.arange(1, 11)
    pd.DataFrame({"bin": deciles, "weight": 10.0, "predicted": deciles / 20, "observed": deciles / 21}).to_csv(
        folder / "calibration.csv", index=False
    )
    rate = np.linspace(0.6, 0.05, 10)
    pd.DataFrame(
        {
            "decile": deciles,
            "weight": 10.0,
            "serious_rate": rate,
            "lift": rate / rate.mean(),
            "cumulative_capture": np.cumsum(rate) / rate.sum(),
        }
    ).to_csv(folder / "lift.csv", index=False)
    BY_GRADE.to_csv(folder / "by_grade.csv", index=False)
    pd.DataFrame(
        {"column": ["score", "age_years", "certs_held"], "psi": [0.12, 0.3, 0.02], "band": ["watch", "shift", "stable"]}
    ).to_csv(folder / "psi.csv", index=False)
    (folder / "migration.csv").write_text(MIGRATION, encoding="utf-8")


def _draw(folder: Path) -> None:
    """12 bodies, 10 in the frame; drawn: B01 (certain, national), B03, B05, B08 (provincial)."""
    folder.mkdir(parents=True)
    ids = [f"B{k:02d}" for k in range(1, 13)]
    pi = [1.0, 0.2, 0.4, 0.2, 0.5, 0.1, 0.3, 0.6, 0.3, 0.4, 0.0, 0.0]  # in the frame: sum 4.00
    frame = pd.DataFrame(
        {
            "body_id": ids,
            "grade": GRADES,
            "pi": pi,
            "selected": [i in {"B01", "B03", "B05", "B08"} for i in ids],
            "in_frame": [p > 0 for p in pi],
            "certain": [i == "B01" for i in ids],
            "batch": ["national" if i == "B01" else "provincial" for i in ids],
        }
    )
    frame.to_csv(folder / "frame.csv", index=False)
    frame[["body_id", "grade"]].to_csv(folder / "grades.csv", index=False)
    certs = ["B01"] * 3 + ["B03"] * 2 + ["B05"] * 2 + ["B08"]  # 8 certificates at 4 bodies
    pd.DataFrame({"body_id": certs, "cert_id": [f"C{k}" for k in range(len(certs))]}).to_csv(
        folder / "certificates.csv", index=False
    )
    pd.DataFrame(  # 4 teams; inspectors I1-I6; units SAMR, 北京局, 上海局, 天津局
        {
            "body_id": ["B01", "B03", "B05", "B08"],
            "inspector_ids": ["I1;I2", "I1;I3", "I4;I5", "I2;I6"],
            "units": ["SAMR;北京局", "SAMR;上海局", "北京局;北京局", "上海局;天津局"],
        }
    ).to_csv(folder / "teams.csv", index=False)
    tables = ("frame.csv", "grades.csv", "certificates.csv", "teams.csv")
    manifest = {
        "format": "certrisk-draw-manifest-v2",
        "outputs": {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in tables},
        "draw_id": DRAW_ID,
        "frame_sha256": "f" * 64,
        "public_seed": "2026-10-08 lottery 03 11 17",
        "commitment": {"status": "committed before the seed", "sha256": "c" * 64},
        "config": {"budget": 4},
        "algorithm": {"stage1_design_used": "cps"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def estimates(flagged: bool = True) -> pd.DataFrame:
    """Estimates as ``certrisk estimate`` writes them; ``flagged=False``: an older table without the flag.

    Province 12 rests on one random inspection (suppressed; without the flag it shows 100 % with SE 0),
    province 44 on six (unstable); the overall rate's coefficient of variation is 0.32 (unstable).
    """
    table = pd.DataFrame(
        {
            "scope": ["overall", "grade", "province", "province", "certificates"],
            "domain": ["all", "C", "12", "44", "all"],
            "estimate": [0.25, 0.5, np.nan, 0.6, 0.2],
            "se": [0.08, 0.1, np.nan, 0.15, 0.03],
            "ci_low": [0.12, 0.3, np.nan, 0.3, 0.15],
            "ci_high": [0.42, 0.7, np.nan, 0.85, 0.26],
            "n": [40, 20, 1, 6, 40],
            "n_random": [38, 20, 1, 6, 38],
            "naive_rate": [0.3, 0.5, 1.0, 0.5, 0.22],
            "estimator": ["pooled_hajek_ratio"] * 4 + ["two_stage_ratio"],
            "reliability": ["unstable", "reliable", "suppressed", "unstable", "reliable"],
            "reliability_reason": [
                "coefficient of variation 0.32 above 0.30",
                "20 random inspections, coefficient of variation 0.20",
                "fewer than 3 random inspections (1)",
                "fewer than 10 random inspections (6)",
                "38 random inspections, coefficient of variation 0.15",
            ],
            "since": "2025-10-01",
            "as_of": AS_OF,
        }
    )
    if flagged:
        return table
    old = table.drop(columns=["reliability", "reliability_reason"])
    old.loc[2, ["estimate", "se", "ci_low", "ci_high"]] = [1.0, 0.0, 1.0, 1.0]  # what an older file showed
    return old


MONITOR_SUMMARY = {
    "as_of": AS_OF,
    "previous_as_of": "2026-07-01",
    "rules_version": "2026.1",
    "monitored": 12,
    "raised": 5,
    "by_level": {"red": 1, "orange": 1, "yellow": 2, "blue": 1},
    "by_status": {"new": 3, "escalated": 1, "persisting": 1, "handled": 0, "cleared": 2},
    "overdue": 1,
}


def write_report_inputs(root: Path) -> dict[str, Path]:
    """Write the training run, the draw folder, the estimates CSV and the monitor folder under ``root``."""
    paths = {"training": root / "run", "draw": root / DRAW_ID, "estimates": root / "estimates.csv"}
    _training(paths["training"])
    _draw(paths["draw"])
    estimates().to_csv(paths["estimates"], index=False, encoding="utf-8-sig")
    paths["monitor"] = root / "monitor"
    paths["monitor"].mkdir()
    (paths["monitor"] / "monitor.json").write_text(json.dumps({"summary": MONITOR_SUMMARY}), encoding="utf-8")
    return paths
