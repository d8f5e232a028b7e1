"""Boston restaurant inspections (2006-2015) in the data contract.

Restaurants are bodies; every inspection is a ``random`` inspection, taken as
an equal-probability draw within its year (see ``docs/real-data.md``).

Examples
--------
>>> from features.adapters import load_boston
>>> tables = load_boston()  # doctest: +SKIP
>>> tables["inspections"]["kind"].unique().tolist()  # doctest: +SKIP
['random']
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ._common import bodies_first_seen, canonical, draw_ids, equal_probability_by_year, real_data_dir, with_empty_tables

FILE = "AllViolations.csv"


def read_boston(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The raw file: date, restaurant_id and the counts ``*``, ``**``, ``***``."""
    file = real_data_dir(path, "boston") / FILE
    raw = pd.read_csv(file, usecols=["date", "restaurant_id", "*", "**", "***"], dtype={"restaurant_id": "str"})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y-%m-%d")
    return raw.sort_values(["date", "restaurant_id"], kind="stable").reset_index(drop=True)


def boston_outcome(minor: np.ndarray, major: np.ndarray, severe: np.ndarray) -> np.ndarray:
    """severe if ``***`` > 0, major if ``**`` > 0, general if ``*`` > 0, else none.

    >>> boston_outcome(np.array([1, 0, 0, 3]), np.array([0, 1, 0, 2]), np.array([0, 0, 0, 1])).tolist()
    ['general', 'major', 'none', 'severe']
    """
    return np.select([severe > 0, major > 0, minor > 0], ["severe", "major", "general"], "none")


def _inspections(raw: pd.DataFrame, first: pd.Series) -> pd.DataFrame:
    minor, major, severe = (raw[c].to_numpy(dtype=np.int64) for c in ("*", "**", "***"))
    n = len(raw)
    return canonical(
        "inspections",
        {
            "inspection_id": (raw["restaurant_id"] + "-" + raw["date"].dt.strftime("%Y%m%d")).to_numpy(),
            "body_id": raw["restaurant_id"].to_numpy(),
            "inspected_on": raw["date"].to_numpy(),
            "kind": np.full(n, "random"),
            "inclusion_prob": equal_probability_by_year(raw["restaurant_id"], raw["date"], first),
            "draw_id": draw_ids("boston", raw["date"]),
            "inspector_ids": np.full(n, np.nan, dtype=object),
            "outcome": boston_outcome(minor, major, severe),
            "findings": minor + major + severe,
            "certs_checked": np.zeros(n, dtype=np.int64),
            "certs_with_problems": np.zeros(n, dtype=np.int64),
            "entered_by": np.full(n, np.nan, dtype=object),  # not in the open data
            "decision": np.full(n, np.nan, dtype=object),
        },
    )


def load_boston(path: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Boston restaurant inspections as canonical tables of the data contract.

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``boston/AllViolations.csv`` (default: the shared
        ``../shared/data/real`` next to the project).

    Returns
    -------
    dict of str to DataFrame
        Every contract table in the loader's canonical form; only bodies and
        inspections hold rows.

    Examples
    --------
    >>> tables = load_boston()  # doctest: +SKIP
    >>> len(tables["bodies"]), len(tables["inspections"])  # doctest: +SKIP
    (1867, 34879)
    """
    raw = read_boston(path)
    first = raw.groupby("restaurant_id")["date"].min()
    bodies = bodies_first_seen(pd.Series(first.index, dtype="str"), first.reset_index(drop=True))
    return with_empty_tables({"bodies": bodies, "inspections": _inspections(raw, first)})
