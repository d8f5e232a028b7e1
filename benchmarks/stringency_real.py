"""How much inspectors differ on the real city data: the ``--real`` part of ``benchmarks/stringency.py``.

The city data of ``docs/real-data.md`` publish no inspector ids
(``inspections.inspector_ids`` is empty), so ``riskmodel.stringency`` has no
team to estimate an effect for; the script says so per data set. It measures
what the data do identify, each data set read through the engine's
data-contract path (adapter -> data directory -> ``load_data_dir``):

* **area as the team** (San Francisco): the engine's own fit
  (``fit_stringency``, jointly with the body's point-in-time features) with the
  restaurant's postal code in place of its team; the city's inspectors work
  by district, so an area effect holds the district inspectors' stringency
  (and whatever risk of the neighbourhood the features miss). The prior SD the
  marginal likelihood chooses, with its 95 % interval; random (routine)
  inspections, and every kind adjusted for kind; the serious outcome alone and
  with the general finding as evidence (the engine's default evidence,
  certificates aside: there are none);
* **a visit's shared spread** (both cities): ``riskmodel.visit_spread``, the
  spread of what the kinds of finding of one visit share beyond the
  restaurant's level, with its profile interval; this bounds the part of an
  inspector's effect that changes between a restaurant's visits (one
  inspector a visit).

    python benchmarks/stringency.py --real [--data sf boston]
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from features.adapters import latest_date, load_boston, load_sf, write_data_dir
from features.adapters._common import real_data_dir
from features.adapters.boston import read_boston
from features.adapters.sf import read_sf
from features.loading import load_data_dir
from riskmodel.stringency import fit_stringency
from riskmodel.training import build_training_set
from riskmodel.visit_spread import fit_visit_spread

LOADERS = {"sf": load_sf, "boston": load_boston}
REVISIT_DAYS = 90  # Boston: visits this soon after the previous one are likely re-inspections


def data_set(name: str, work: Path) -> tuple[dict[str, pd.DataFrame], pd.Timestamp]:
    """The adapted data set written as a data directory and loaded back (the user's checks pass)."""
    tables = LOADERS[name]()
    as_of = latest_date(tables) + pd.Timedelta(days=1)
    data = load_data_dir(write_data_dir(tables, work / name), as_of=as_of)
    return dict(data.tables), as_of


def postal_areas(inspections: pd.DataFrame) -> pd.Series:
    """Each San Francisco inspection's postal code (``Z941xx``), empty where the business has none valid."""
    raw = pd.read_csv(
        real_data_dir(None, "sf") / "businesses.csv",
        encoding="latin-1",
        usecols=["business_id", "postal_code"],
        dtype="str",
    )
    code = raw.set_index("business_id")["postal_code"].str.strip().str[:5]
    code = code.where(code.str.fullmatch(r"94\d{3}").fillna(False))
    return inspections["body_id"].map("Z" + code).fillna("")


def area_fits(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> pd.DataFrame:
    """The engine's fit with the postal area as the team: random / every kind, serious alone / with general."""
    inspections = tables["inspections"].assign(inspector_ids=postal_areas(tables["inspections"]))
    rows = []
    for label, nonrandom in (("random (routine)", "exclude"), ("every kind, adjusted for kind", "weight_one")):
        training = build_training_set(tables, as_of, nonrandom=nonrandom)
        for evidence in ((), ("general",)):
            started = time.perf_counter()
            fit = fit_stringency(training, inspections, evidence=evidence, interval=True)
            rows.append(
                {
                    "inspections": label,
                    "evidence": "serious + general" if evidence else "serious only",
                    "rows": fit.rows,
                    "areas": len(fit.effects),
                    "sigma": round(fit.sigma, 3),
                    "sigma_low": round(fit.sigma_ci[0], 3),
                    "sigma_high": round(fit.sigma_ci[1], 3),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
    return pd.DataFrame(rows)


def sf_kinds(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """San Francisco's routine visits and, for each, whether a low / moderate / high risk violation was found."""
    _, _, violations = read_sf()
    visits = tables["inspections"][tables["inspections"]["kind"] == "random"]
    counts = violations.pivot_table(index=["business_id", "date"], columns="risk_category", aggfunc="size")
    counts = counts.reindex(pd.MultiIndex.from_arrays([visits["body_id"], visits["inspected_on"]])).fillna(0)
    return visits, counts[["Low Risk", "Moderate Risk", "High Risk"]].gt(0).to_numpy(dtype=float)


def boston_kinds(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """Boston's visits and, for each, whether a minor (*), major (**) or severe (***) violation was found."""
    raw = read_boston()
    raw.index = raw["restaurant_id"] + "-" + raw["date"].dt.strftime("%Y%m%d")
    visits = tables["inspections"]
    return visits, raw.reindex(visits["inspection_id"])[["*", "**", "***"]].gt(0).to_numpy(dtype=float)


def visit_spreads(name: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The visit's shared spread (year intercepts per kind); Boston also without likely re-inspections."""
    visits, found = (sf_kinds if name == "sf" else boston_kinds)(tables)
    subsets = {"every routine visit" if name == "sf" else "every visit": np.ones(len(visits), dtype=bool)}
    if name == "boston":
        gap = visits.sort_values("inspected_on").groupby("body_id")["inspected_on"].diff().dt.days
        subsets[f"visits {REVISIT_DAYS}+ days after the previous"] = (
            gap.reindex(visits.index).isna() | (gap.reindex(visits.index) >= REVISIT_DAYS)
        ).to_numpy()
    rows = []
    for label, keep in subsets.items():
        started = time.perf_counter()
        fit = fit_visit_spread(
            visits["body_id"].to_numpy()[keep], found[keep], visits["inspected_on"].dt.year.to_numpy()[keep]
        )
        rows.append(
            {"subset": label, **fit.summary(), "loadings": np.round(fit.loadings, 2).tolist()}
            | {"seconds": round(time.perf_counter() - started, 1)}
        )
    return pd.DataFrame(rows)


def main(names: list[str]) -> int:
    """Print the figures of each data set."""
    pd.set_option("display.width", 200)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            tables, as_of = data_set(name, Path(tmp))
            teams = tables["inspections"]["inspector_ids"].notna().sum()
            print(f"\n## {name}: as of {as_of.date()}, {len(tables['inspections'])} inspections")
            print(f"inspections with a team (inspector_ids): {teams}; riskmodel.stringency has nothing to estimate")
            if name == "sf":
                print("\nthe engine's fit with the postal area as the team (prior SD chosen, 95 % interval):")
                print(area_fits(tables, as_of).to_string(index=False))
            print("\na visit's shared spread beyond the restaurant (riskmodel.visit_spread):")
            print(visit_spreads(name, tables).to_string(index=False))
    return 0
