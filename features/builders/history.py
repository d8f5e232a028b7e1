"""Inspection history: counts, recency, last outcome, shrunk serious and problem-certificate rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codes import OUTCOMES
from ..dictionary import PROBLEM_PSEUDO_CERTS, SERIOUS_PSEUDO_INSPECTIONS, THREE_YEARS
from ..rules import is_serious
from ..tables import Tables
from ..timeline import EventIndex
from .queries import Queries, pooled_rate, shrunk_rate


def _population_rates(ins: pd.DataFrame, q: Queries, serious: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population serious rate and problem-certificate rate before each as-of date.

    Weighted by 1 / inclusion_prob over random inspections (Hajek), so the
    shrinkage target is the population's, not the past policy's; falls back to
    all inspections when there is no random one yet.
    """
    rnd = (ins["kind"] == "random").to_numpy()
    w = np.where(rnd, 1.0 / ins["inclusion_prob"].fillna(1.0).to_numpy(), 0.0)
    times = ins["inspected_on"].to_numpy()
    pooled = EventIndex(np.where(rnd, 0, -1), times)
    everyone = EventIndex(np.zeros(len(ins), dtype=np.int64), times)
    g, t = q.everyone, q.time
    fallback_p = pooled_rate(everyone.window_sum(serious, g, t), everyone.count(g, t), 0.0)
    p0 = pooled_rate(pooled.window_sum(w * serious, g, t), pooled.window_sum(w, g, t), np.nan)
    checked = ins["certs_checked"].to_numpy(dtype=float)
    problems = ins["certs_with_problems"].to_numpy(dtype=float)
    fallback_r = pooled_rate(everyone.window_sum(problems, g, t), everyone.window_sum(checked, g, t), 0.0)
    r0 = pooled_rate(pooled.window_sum(w * problems, g, t), pooled.window_sum(w * checked, g, t), np.nan)
    return np.where(np.isnan(p0), fallback_p, p0), np.where(np.isnan(r0), fallback_r, r0)


def history_features(tables: Tables, q: Queries) -> dict[str, np.ndarray]:
    """Inspection-history features of every query (see the history family of the feature dictionary)."""
    ins = tables["inspections"]
    level = ins["outcome"].map({o: i for i, o in enumerate(OUTCOMES)}).to_numpy(dtype=float)
    # same-day inspections: the worst outcome counts as the last, whatever the row order
    order = np.lexsort((level, ins["inspected_on"].to_numpy()))
    ins, level = ins.iloc[order].reset_index(drop=True), level[order]
    idx = EventIndex(q.groups(ins["body_id"]), ins["inspected_on"].to_numpy(), stable=True)
    serious = is_serious(ins["outcome"])
    g, t = q.body, q.time
    n_all = idx.count(g, t)
    last = idx.last_time(g, t)
    age = tables["bodies"]["approved_on"].to_numpy()[q.body]
    p0, r0 = _population_rates(ins, q, serious)
    return {
        "n_inspections": n_all,
        "n_inspections_3y": idx.count(g, t, THREE_YEARS),
        "complaint_inspections_3y": idx.window_sum((ins["kind"] == "complaint").to_numpy(float), g, t, THREE_YEARS),
        "years_uninspected": q.years_since(np.where(np.isnat(last), age, last)),
        "last_outcome_level": idx.last_value(level, g, t, default=0.0),
        "serious_count_3y": idx.window_sum(serious, g, t, THREE_YEARS),
        "serious_rate_eb": shrunk_rate(idx.window_sum(serious, g, t), n_all, p0, SERIOUS_PSEUDO_INSPECTIONS),
        "problem_cert_rate_eb": shrunk_rate(
            idx.window_sum(ins["certs_with_problems"].to_numpy(float), g, t),
            idx.window_sum(ins["certs_checked"].to_numpy(float), g, t),
            r0,
            PROBLEM_PSEUDO_CERTS,
        ),
    }
