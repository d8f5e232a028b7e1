"""San Francisco restaurant inspections (2014-2017, LIVES format) in the data contract.

Businesses are bodies. Visits on the same business and day become one
inspection whose kind is the visit type of highest priority (routine ->
``random``, complaint -> ``complaint``, follow-up and new ownership ->
``targeted``); complaint visits are also complaint signals. The outcome comes
from the violations recorded for that business and day. Every choice is
documented in ``docs/real-data.md``.

Examples
--------
>>> from features.adapters import load_sf
>>> tables = load_sf()  # doctest: +SKIP
>>> sorted(tables["inspections"]["kind"].unique())  # doctest: +SKIP
['complaint', 'random', 'targeted']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._common import bodies_first_seen, canonical, draw_ids, equal_probability_by_year, real_data_dir, with_empty_tables

VISIT_KINDS: dict[str, str] = {
    "Routine - Unscheduled": "random",
    "Complaint": "complaint",
    "Foodborne Illness Investigation": "complaint",
    "Reinspection/Followup": "targeted",
    "Complaint Reinspection/Followup": "targeted",
    "New Ownership": "targeted",
    "New Ownership - Followup": "targeted",
    "Routine - Scheduled": "targeted",
}
"""Visit type -> inspection kind; other types (construction, site visits, ...) are not inspections."""

SIGNAL_SEVERITY: dict[str, int] = {"Complaint": 2, "Foodborne Illness Investigation": 3}
"""Visit types that are also complaint signals, with their severity."""

KIND_PRIORITY = ("random", "complaint", "targeted")  # one inspection per business and day
SEVERE_SCORE = 70  # High Risk violation and Score below this -> severe


def _read(folder: Path, name: str, **kwargs: Any) -> pd.DataFrame:
    frame = pd.read_csv(folder / name, **kwargs)
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"].astype("str"), format="%Y%m%d")
    if "business_id" in frame:
        frame["business_id"] = frame["business_id"].astype("str")
    return frame


def read_sf(path: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The raw businesses, visits (duplicates dropped) and violations.

    ``businesses.csv`` is Latin-1 (a few accented names), the others ASCII.
    """
    folder = real_data_dir(path, "sf")
    businesses = _read(folder, "businesses.csv", usecols=["business_id", "name"], encoding="latin-1")
    visits = _read(folder, "inspections_plus.csv").drop_duplicates(["business_id", "date", "type"])
    violations = _read(folder, "violations_plus.csv", usecols=["business_id", "date", "risk_category"])
    return businesses, visits.sort_values(["date", "business_id"], kind="stable").reset_index(drop=True), violations


def sf_outcome(n_violations: np.ndarray, high_risk: np.ndarray, score: np.ndarray) -> np.ndarray:
    """severe if a High Risk violation and Score < 70, major if a High Risk
    violation, general if any violation, none otherwise.

    >>> sf_outcome(np.array([0, 2, 1, 3]), np.array([False, False, True, True]), np.array([95, 88, 80, 62.0])).tolist()
    ['none', 'general', 'major', 'severe']
    """
    with np.errstate(invalid="ignore"):
        severe = high_risk & (score < SEVERE_SCORE)
    return np.select([severe, high_risk, n_violations > 0], ["severe", "major", "general"], "none")


def _days(visits: pd.DataFrame, violations: pd.DataFrame) -> pd.DataFrame:
    """One row per business and day with at least one inspection visit."""
    v = visits.assign(kind=visits["type"].map(VISIT_KINDS)).dropna(subset=["kind"])
    v = v.assign(rank=v["kind"].map({k: i for i, k in enumerate(KIND_PRIORITY)}))
    days = v.groupby(["business_id", "date"], sort=False).agg(rank=("rank", "min"), score=("Score", "min"))
    found = violations.assign(high=violations["risk_category"].eq("High Risk"))
    found = found.groupby(["business_id", "date"]).agg(n=("high", "size"), high=("high", "any"))
    days = days.join(found, how="left").reset_index()
    days["kind"] = np.asarray(KIND_PRIORITY)[days["rank"].to_numpy()]
    days["n"] = days["n"].fillna(0).astype(np.int64)
    days["high"] = days["high"].fillna(False).astype(bool)
    return days.sort_values(["date", "business_id"], kind="stable").reset_index(drop=True)


def _inspections(days: pd.DataFrame, first: pd.Series) -> pd.DataFrame:
    n = len(days)
    random = days["kind"].eq("random").to_numpy()
    prob = np.full(n, np.nan)
    prob[random] = equal_probability_by_year(days.loc[random, "business_id"], days.loc[random, "date"], first)
    return canonical(
        "inspections",
        {
            "inspection_id": ("SF" + days["business_id"] + "-" + days["date"].dt.strftime("%Y%m%d")).to_numpy(),
            "body_id": days["business_id"].to_numpy(),
            "inspected_on": days["date"].to_numpy(),
            "kind": days["kind"].to_numpy(),
            "inclusion_prob": prob,
            "draw_id": np.where(random, draw_ids("sf", days["date"]), np.nan),
            "inspector_ids": np.full(n, np.nan, dtype=object),
            "outcome": sf_outcome(days["n"].to_numpy(), days["high"].to_numpy(), days["score"].to_numpy(dtype=float)),
            "findings": days["n"].to_numpy(),
            "certs_checked": np.zeros(n, dtype=np.int64),
            "certs_with_problems": np.zeros(n, dtype=np.int64),
            "entered_by": np.full(n, np.nan, dtype=object),  # not in the open data
            "decision": np.full(n, np.nan, dtype=object),
        },
    )


def _signals(visits: pd.DataFrame) -> pd.DataFrame:
    c = visits[visits["type"].isin(list(SIGNAL_SEVERITY))]
    tag = np.where(c["type"].eq("Complaint"), "C", "F")
    return canonical(
        "signals",
        {
            "signal_id": ("SF" + c["business_id"] + "-" + c["date"].dt.strftime("%Y%m%d") + "-" + tag).to_numpy(),
            "body_id": c["business_id"].to_numpy(),
            "observed_on": c["date"].to_numpy(),
            "kind": np.full(len(c), "complaint"),
            "severity": c["type"].map(SIGNAL_SEVERITY).to_numpy(dtype=np.int64),
        },
    )


def load_sf(path: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """San Francisco restaurant inspections as canonical tables of the data contract.

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``sf/businesses.csv``, ``sf/inspections_plus.csv`` and
        ``sf/violations_plus.csv`` (default: the shared ``../shared/data/real``).

    Returns
    -------
    dict of str to DataFrame
        Every contract table in the loader's canonical form; bodies,
        inspections and signals hold rows. Businesses never visited are left
        out (nothing dates them).

    Examples
    --------
    >>> tables = load_sf()  # doctest: +SKIP
    >>> len(tables["bodies"]), len(tables["inspections"]), len(tables["signals"])  # doctest: +SKIP
    (6109, 21394, 1688)
    """
    businesses, visits, violations = read_sf(path)
    seen = visits.groupby("business_id")["date"].min()
    known = businesses[businesses["business_id"].isin(seen.index)].sort_values("business_id", kind="stable")
    first = seen.reindex(known["business_id"]).reset_index(drop=True)
    bodies = bodies_first_seen(known["business_id"].reset_index(drop=True), first, known["name"].reset_index(drop=True))
    inspections = _inspections(_days(visits, violations), first)
    return with_empty_tables({"bodies": bodies, "inspections": inspections, "signals": _signals(visits)})
