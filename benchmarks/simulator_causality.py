"""Does any simulated observable depend on a later quarter's risk? (docs/synthetic.md)

For each observable, per body and quarter q: the partial correlation with the
risk of q + 1, given the risk so far (zc of q and the body's level, fixed
traits and newness, in q and q + 1), with its null standard error 1/sqrt(n)
(exact: given the controls, the risk of q + 1 is its AR(1) shock).
``tests/test_simulator_causality.py`` holds the same check at scale 0.1.

Also, with ``--features``, the same for the engine's features as of quarter
starts of the last two years (as of t: the risk of the quarter before t is the
past, the quarter starting at t the future), and the status the 2023-01-01 view
shows (the non-active bodies' mean later p_serious).

The level is recomputed from the bodies' hidden traits, so the script also runs
on a simulator from before the status history (to measure "before").

    python benchmarks/simulator_causality.py [--scale 0.3] [--seed 5] [--features]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from features.codes import SERIOUS_OUTCOMES
from simulator import generate_world
from simulator import risk as latent
from simulator.audits import SCHEME_HOURS

FEATURES = [
    "issuance_burst",
    "issuance_growth",
    "log_valid_certs",
    "suspension_rate_12m",
    "withdrawal_rate_12m",
    "short_audit_index",
    "missing_checkin_rate",
    "missing_checkout_rate",
    "far_checkin_rate",
    "late_checkin_rate",
    "double_booking_rate",
    "remote_share",
]


def level_of(world) -> np.ndarray:
    """The centred logit without its AR path (body traits and newness), NaN before approval."""
    b, risk = world.bodies, world.risk
    age = (risk.quarter_starts.values[None, :] - b["approved_on"].values[:, None]) / np.timedelta64(1, "D") / 365.25
    static = (
        b["_body_effect"].to_numpy()
        + b["_field_risk"].to_numpy()
        + latent.CCC_EFFECT * b["ccc_designated"].to_numpy()
        + latent.ACCREDITED_EFFECT * b["accredited"].to_numpy()
    )
    level = static[:, None] + latent.NEW_BODY_EFFECT * np.exp(-np.clip(age, 0, None) / 1.5)
    return np.where(np.isnan(risk.centered), np.nan, level)


def partial_r(zc, level, body, q, y, past=None, extra=()) -> tuple[float, int]:
    """Partial correlation of ``y`` with zc of q + 1 given zc and the level of ``past`` (default q)."""
    body, q, y = np.asarray(body), np.asarray(q), np.asarray(y, dtype=float)
    past = q if past is None else np.asarray(past)
    ok = (q + 1 < zc.shape[1]) & (past >= 0)
    body, q, y, past = body[ok], q[ok], y[ok], past[ok]
    x = np.column_stack(
        [np.ones(len(y)), zc[body, past], level[body, past], level[body, q + 1], *(np.asarray(e)[ok] for e in extra)]
    )
    future = zc[body, q + 1]
    keep = np.isfinite(x).all(axis=1) & np.isfinite(future) & np.isfinite(y)
    x, y, future = x[keep], y[keep], future[keep]
    ry = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    rf = future - x @ np.linalg.lstsq(x, future, rcond=None)[0]
    return float(np.corrcoef(ry, rf)[0, 1]), int(keep.sum())


def _counts(world, frame: pd.DataFrame, date_col: str) -> np.ndarray:
    counts = np.zeros(world.risk.logit.shape)
    body = pd.Index(world.bodies["body_id"]).get_indexer(frame["body_id"])
    np.add.at(counts, (body, world.risk.quarter_index(frame[date_col].to_numpy())), 1)
    return counts


def _panel(world, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    body, q = np.meshgrid(np.arange(len(world.bodies)), np.arange(first, last + 1), indexing="ij")
    body, q = body.ravel(), q.ravel()
    exists = ~np.isnan(world.risk.centered[body, q])
    return body[exists], q[exists]


def _means(world, frame: pd.DataFrame, date_col: str, values: dict) -> pd.DataFrame:
    cells = pd.DataFrame(
        {
            "body": pd.Index(world.bodies["body_id"]).get_indexer(frame["body_id"]),
            "q": world.risk.quarter_index(frame[date_col].to_numpy()),
            **values,
        }
    )
    return cells.groupby(["body", "q"], sort=False).mean().reset_index()


def bodies_on(world, t: pd.Timestamp) -> pd.DataFrame:
    """The bodies of the dated view on ``t`` (a simulator without a status history shows the snapshot's)."""
    bodies = world.bodies[world.bodies["approved_on"] < t]
    if "status_changed_on" not in bodies:  # before the status history
        return bodies
    from simulator.status import status_on

    return status_on(bodies, t)


def observable_series(world) -> dict[str, tuple]:
    """name -> (body, quarter, value, extra controls) per body-quarter."""
    out: dict[str, tuple] = {}
    certs = pd.concat(world.certificates, ignore_index=True)
    first = int(world.risk.quarter_index(pd.DatetimeIndex([certs["issued_on"].min()]))[0])
    body, q = _panel(world, first, world.risk.logit.shape[1] - 1)
    size = (np.log(world.bodies["_cert_share"].to_numpy()[body]),)
    out["certificates issued"] = (body, q, np.log1p(_counts(world, certs, "issued_on")[body, q]), size)
    ended = _counts(world, certs[certs["_fate"] > 0], "_fate_on")
    out["certificates suspended or withdrawn"] = (body, q, np.log1p(ended[body, q]), size)

    au = pd.concat(world.audits, ignore_index=True)
    hours = (au["planned_end"] - au["planned_start"]).dt.total_seconds().to_numpy() / 3600
    norm = au["scheme"].map(SCHEME_HOURS).to_numpy(dtype=float)
    same_day = au["auditor_id"].astype(str) + "|" + au["planned_start"].dt.normalize().astype(str)
    values = {
        "audit length (log hours / norm)": np.log(hours / norm),
        "short audits (< 0.8 norm)": (hours < 0.8 * norm).astype(float),
        "missing check-in": au["checkin_at"].isna().to_numpy(dtype=float),
        "missing check-out": au["checkout_at"].isna().to_numpy(dtype=float),
        "check-in > 5 km": (au["checkin_distance_km"].to_numpy() > 5).astype(float),
        "check-in > 2 h late": ((au["checkin_at"] - au["planned_start"]).dt.total_seconds() > 7200).to_numpy(float),
        "remote audits": au["remote"].to_numpy(dtype=float),
        "double booking": same_day.duplicated(keep=False).to_numpy(dtype=float),
    }
    cells = _means(world, au, "planned_start", values)
    out.update({name: (cells["body"], cells["q"], cells[name], ()) for name in values})

    signals = world.tables()["signals"]
    history = np.flatnonzero(world.risk.quarter_starts < world.cfg.snapshot)
    body, q = _panel(world, history[0], history[-1])
    for kind in sorted(signals["kind"].unique()):
        counts = _counts(world, signals[signals["kind"] == kind], "observed_on")
        out[f"{kind} signals"] = (body, q, counts[body, q], ())
    cells = _means(world, signals, "observed_on", {"severity": signals["severity"].to_numpy(dtype=float)})
    out["signal severity"] = (cells["body"], cells["q"], cells["severity"], ())

    ins = world.tables()["inspections"]
    values = {
        "serious findings": ins["outcome"].isin(SERIOUS_OUTCOMES).to_numpy(dtype=float),
        "findings": ins["findings"].to_numpy(dtype=float),
        "problem certificates (share)": (ins["certs_with_problems"] / ins["certs_checked"].clip(lower=1)).to_numpy(),
    }
    cells = _means(world, ins, "inspected_on", values)
    out.update({name: (cells["body"], cells["q"], cells[name], ()) for name in values})

    starts = world.risk.quarter_starts
    shown = []
    for q in range(len(starts) - 1):
        view = bodies_on(world, starts[q + 1])
        idx = pd.Index(world.bodies["body_id"]).get_indexer(view["body_id"])
        shown.append((idx, np.full(len(idx), q), (view["status"] != "active").to_numpy(dtype=float)))
    body, q, y = (np.concatenate(part) for part in zip(*shown))
    out["non-active in the dated view"] = (body, q, y, ())
    return out


def feature_rows(world, zc, level) -> list[tuple[str, float, int]]:
    """Partial r of each feature as of quarter starts of the last two years with the quarter that starts then."""
    from features.build import build_feature_panel

    starts = world.risk.quarter_starts
    snap = int(np.searchsorted(starts, world.cfg.snapshot))
    body, q = [], []
    for k in range(snap - 8, snap):
        alive = np.flatnonzero(world.bodies["approved_on"].to_numpy() < starts.values[k])
        body.append(alive)
        q.append(np.full(len(alive), k))
    body, q = np.concatenate(body), np.concatenate(q)
    panel = build_feature_panel(world.tables(), pd.Series(world.bodies["body_id"].to_numpy()[body]), starts[q])
    # as of the start of quarter q: the past is quarter q - 1, the future quarter q (the "q + 1" of partial_r)
    return [(name, *partial_r(zc, level, body, q - 1, panel[name].to_numpy(float))) for name in FEATURES]


def status_leak(world) -> str:
    """The 2023-01-01 view's non-active bodies and their mean p_serious from then on."""
    view = bodies_on(world, pd.Timestamp("2023-01-01"))
    out = view.loc[view["status"] != "active", "body_id"]
    risk = world.truth()["risk_quarterly"]
    later = risk[risk["quarter_start"] >= "2023-01-01"].groupby("body_id")["p_serious"].mean()
    return (
        f"2023-01-01 view: {len(out)} of {len(view)} bodies non-active, mean later p_serious "
        f"{later.reindex(out).mean():.3f} (all bodies {later.reindex(view['body_id']).mean():.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--features", action="store_true", help="also the engine's features")
    args = parser.parse_args()
    started = time.time()
    world = generate_world(scale=args.scale, seed=args.seed)
    zc, level = world.risk.centered, level_of(world)
    print(f"scale {args.scale}, seed {args.seed}: generated in {time.time() - started:.0f} s")
    print(status_leak(world))
    rows = [(name, *partial_r(zc, level, *s[:3], extra=s[3])) for name, s in observable_series(world).items()]
    if args.features:
        rows += [(f"feature {name}", r, n) for name, r, n in feature_rows(world, zc, level)]
    table = pd.DataFrame(rows, columns=["observable", "partial_r", "n"])
    table["null_se"] = 1 / np.sqrt(table["n"])
    table["z"] = table["partial_r"] / table["null_se"]
    print(table.round({"partial_r": 3, "null_se": 3, "z": 1}).to_string(index=False))


if __name__ == "__main__":
    main()
