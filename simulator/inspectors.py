"""The inspector directory (执法检查人员名录), their hidden stringency, and conflicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.codes import FIELDS, NATIONAL, PROVINCES

from .config import SimConfig
from .ids import make_ids

STRINGENCY_SD = 0.35  # logit-scale spread of how much an inspector finds
# SAMR keeps experts of every field in its national pool, which serves every province: at least this many
# active SAMR inspectors per field, so that every body can be given a team (the draw's commit checks it).
NATIONAL_COVERAGE = 2
CONFLICT_REASONS = ["former employee", "relative employed", "consulting relationship"]


def _expertise(n: int, rng: np.random.Generator) -> pd.Series:
    weights = np.array([8, 5, 4, 2, 2, 1.5, 1.5, 1, 1, 3, 2, 3, 1, 1], dtype=float)
    weights /= weights.sum()
    k = 1 + rng.binomial(2, 0.45, size=n)
    # m fields per inspector, drawn successively in proportion to their weights (exponential keys)
    keys = rng.exponential(size=(n, len(FIELDS))) / weights
    fields = np.array(FIELDS)
    picks = [fields[np.argsort(row)[:m]] for row, m in zip(keys, k)]
    return pd.Series([";".join(sorted(p, key=FIELDS.index)) for p in picks], dtype="str")


def simulate_inspectors(cfg: SimConfig, bodies: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Inspectors (with hidden ``_stringency``) and the conflicts table."""
    rng = cfg.rng("inspectors")
    n = cfg.n_inspectors
    n_national = max(6, round(0.12 * n))
    share = bodies["province"].value_counts(normalize=True)
    provinces = list(PROVINCES)
    per_province = np.array([max(2, round(share.get(p, 0.0) * (n - n_national))) for p in provinces])
    province = np.concatenate([[NATIONAL] * n_national, np.repeat(provinces, per_province)])
    m = len(province)
    expert = rng.uniform(size=m) < 0.2
    unit = np.where(
        province == NATIONAL,
        "国家市场监管总局",
        [f"{PROVINCES.get(p, '')}省级市场监管局" for p in province],
    ).astype(object)
    institute = [f"{PROVINCES.get(p, '国家')}质量检验研究院" for p in province]
    unit[expert] = np.array(institute, dtype=object)[expert]
    # a few experts are employed by a certification body that is also a testing institute
    own_body = expert & (rng.uniform(size=m) < 0.15)
    unit[own_body] = rng.choice(bodies["name"].values, size=own_body.sum())

    inspectors = pd.DataFrame(
        {
            "inspector_id": make_ids("I", np.arange(1, m + 1), 4),
            "unit": pd.Series(unit, dtype="str"),
            "province": pd.Series(province, dtype="str"),
            "expertise": _expertise(m, rng),
            "active": rng.uniform(size=m) < 0.95,
            # SAMR's own inspectors staff the national batch and join provincial teams: more assignments
            "max_assignments": np.where(
                province == NATIONAL, rng.integers(4, 11, size=m), rng.integers(2, 7, size=m)
            ).astype(np.int64),
        }
    )
    inspectors["_stringency"] = rng.normal(0.0, STRINGENCY_SD, size=m)
    inspectors["expertise"] = _cover_every_field(inspectors)
    return inspectors, _conflicts(inspectors, bodies, rng)


def _cover_every_field(inspectors: pd.DataFrame) -> pd.Series:
    """Expertise with every field held by at least NATIONAL_COVERAGE active SAMR inspectors.

    A missing field is added to the SAMR inspectors who hold the fewest fields
    (ties by id). Deterministic, so it draws no random number and leaves the
    rest of the simulated system as it was.
    """
    expertise = [set(e.split(";")) for e in inspectors["expertise"]]
    samr = inspectors.index[(inspectors["unit"] == "国家市场监管总局") & inspectors["active"]].tolist()
    for field in FIELDS:
        holders = [i for i in samr if field in expertise[i]]
        for i in sorted((i for i in samr if field not in expertise[i]), key=lambda i: (len(expertise[i]), i)):
            if len(holders) >= NATIONAL_COVERAGE:
                break
            expertise[i].add(field)
            holders.append(i)
    return pd.Series([";".join(sorted(e, key=FIELDS.index)) for e in expertise], index=inspectors.index, dtype="str")


def _conflicts(inspectors: pd.DataFrame, bodies: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for i in np.flatnonzero(rng.uniform(size=len(inspectors)) < 0.08):
        prov = inspectors["province"].iat[i]
        pool = bodies.index[bodies["province"].values == prov] if prov != NATIONAL else bodies.index
        pool = pool if len(pool) else bodies.index
        for b in rng.choice(pool, size=min(len(pool), 1 + rng.binomial(1, 0.4)), replace=False):
            rows.append((inspectors["inspector_id"].iat[i], bodies["body_id"].iat[b], rng.choice(CONFLICT_REASONS)))
    frame = pd.DataFrame(rows, columns=["inspector_id", "body_id", "reason"])
    return frame.drop_duplicates(["inspector_id", "body_id"]).astype("str").reset_index(drop=True)
