"""Population estimates from completed random inspections (the `estimate` command).

The risk-weighted draws over-sample risky bodies, so the naive share of serious
findings overstates the population's. Each random inspection weighs
1 / inclusion_prob; each draw (draw_id) is an independent sample of the
population of its quarter, and the estimates pool the draws of the window.

Scopes:
- overall: the serious rate of the population (Hajek ratio over the draws);
- grade: the same within each grade of the grades file given (the population
  of bodies by their current grade);
- province: within each province of the registry;
- certificates: the share of problem certificates among all certificates,
  two-stage (bodies by their inclusion probability, certificates by simple
  random sampling inside them; certificates held = the body's valid
  certificates on the inspection date).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features import build_feature_panel
from features.rules import is_serious
from features.tables import Tables
from sampling import pooled_rate, two_stage_rate

COLUMNS = [
    "scope",
    "domain",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "n_draws",
    "naive_rate",
    "estimator",
    "variance",
    "ci",
    "n_random",
    "cv",
    "reliability",
    "reliability_reason",
    "note",
]


def random_inspections(tables: Tables, as_of: pd.Timestamp, since: pd.Timestamp) -> pd.DataFrame:
    """The random inspections from ``since`` to before ``as_of``."""
    ins = tables["inspections"]
    window = (ins["kind"] == "random") & (ins["inspected_on"] >= since) & (ins["inspected_on"] < as_of)
    return ins[window].reset_index(drop=True)


def _note(label: str, reason: str) -> str:
    """The caution printed beside an estimate (the reliability rule of sampling.estimators.reliability)."""
    if label == "suppressed":
        return f"suppressed: {reason}; not published"
    if label == "unstable":
        return f"unstable: {reason}; pool more quarters (--since)"
    return ""


def _scoped(frame: pd.DataFrame, scope: str, naive: pd.Series) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "scope", scope)
    frame["naive_rate"] = frame["domain"].map(naive).to_numpy()
    return frame


def estimate_population(
    tables: Tables, as_of: pd.Timestamp, *, since: pd.Timestamp | None = None, grades: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The estimates table: overall, by grade, by province, problem certificates."""
    as_of = pd.Timestamp(as_of)
    since = pd.Timestamp(since) if since is not None else (as_of - pd.DateOffset(months=12)).to_period("Q").start_time
    ins = random_inspections(tables, as_of, since)
    if len(ins) < 2:
        raise ValueError(
            f"only {len(ins)} random inspection(s) between {since.date()} and {as_of.date()}: "
            "estimates need at least 2; widen the window with --since."
        )
    y = is_serious(ins["outcome"])
    pi, draws = ins["inclusion_prob"].to_numpy(dtype=float), ins["draw_id"].astype(str).to_numpy()
    naive = lambda labels: pd.Series(y).groupby(np.asarray(labels)).mean()  # noqa: E731
    parts = [_scoped(pooled_rate(y, pi, draws).assign(domain="all"), "overall", pd.Series({"all": y.mean()}))]
    if grades is not None:
        grade = ins["body_id"].map(grades.drop_duplicates("body_id").set_index("body_id")["grade"]).fillna("ungraded")
        parts.append(_scoped(pooled_rate(y, pi, draws, domain=grade.to_numpy()), "grade", naive(grade)))
    province = ins["body_id"].map(tables["bodies"].set_index("body_id")["province"]).fillna("unknown")
    parts.append(_scoped(pooled_rate(y, pi, draws, domain=province.to_numpy()), "province", naive(province)))
    checked = ins["certs_checked"].to_numpy(dtype=float)
    used = checked > 0  # inspections that checked no certificate say nothing about them
    if used.any():
        held = np.rint(
            np.expm1(
                build_feature_panel(tables, ins["body_id"][used], ins["inspected_on"][used])[
                    "log_valid_certs"
                ].to_numpy()
            )
        )
        problems = ins["certs_with_problems"].to_numpy(dtype=float)[used]
        certs = two_stage_rate(problems, checked[used], np.maximum(held, checked[used]), pi[used], draws[used])
        parts.append(_scoped(certs, "certificates", pd.Series({"all": problems.sum() / checked[used].sum()})))
    table = pd.concat(parts, ignore_index=True)
    table["note"] = [_note(label, reason) for label, reason in zip(table["reliability"], table["reliability_reason"])]
    table["as_of"], table["since"] = as_of.date().isoformat(), since.date().isoformat()
    return table[[*COLUMNS, "since", "as_of"]]
