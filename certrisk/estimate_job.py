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
  random sampling inside them; certificates held = the count of the draw's
  own stage-2 frame, :mod:`certrisk.estimate_draws`).

With the draw folders every Hajek row gets a model-assisted (difference) row
after it and every row its ``width_ratio`` (:mod:`certrisk.estimate_assisted`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from features.rules import is_serious
from features.tables import Tables
from sampling import pooled_rate, two_stage_rate

from .catalogue import Foreign, Phrase, say
from .errors import KeyedError
from .estimate_assisted import (
    Labels,
    assisted_note,
    beside,
    certificate_difference,
    difference_tables,
    frame_rows,
    width_ratio,
)
from .estimate_draws import (
    DrawFrame,
    check_draws_dir,
    check_inspections,
    held_certificates,
    read_draw_frames,
    refuse_overchecked,
)

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
    "width_ratio",
    "note",
]


def random_inspections(tables: Tables, as_of: pd.Timestamp, since: pd.Timestamp) -> pd.DataFrame:
    """The random inspections from ``since`` to before ``as_of``."""
    ins = tables["inspections"]
    window = (ins["kind"] == "random") & (ins["inspected_on"] >= since) & (ins["inspected_on"] < as_of)
    return ins[window].reset_index(drop=True)


def reliability_note(label: str, reason: str, lang: str = "en") -> str:
    """The caution beside an estimate in ``lang`` (the reliability rule of sampling.estimators.reliability: its
    label and its English reason, said in the language asked); empty for a reliable one.

    >>> reliability_note("unstable", "fewer than 10 random inspections (4)", "zh")
    '不稳定：随机抽查少于 10 次（4 次）；宜合并更多季度（--since）'
    """
    if label not in ("suppressed", "unstable"):
        return ""
    return say(lang, f"estimates.note_{label}", reason=Foreign(reason, "estimates"))


def _scoped(frame: pd.DataFrame, scope: str, naive: pd.Series) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "scope", scope)
    frame["naive_rate"] = frame["domain"].map(naive).to_numpy()
    return frame


def _domains(tables: Tables, grades: pd.DataFrame | None) -> dict[str, Labels]:
    """The domain rule of each domain scope (body ids -> labels), shared by the sample and the draws' frames."""
    rules: dict[str, Labels] = {}
    if grades is not None:
        given = grades.drop_duplicates("body_id")
        grade = pd.Series(given["grade"].astype(str).to_numpy(), index=given["body_id"].astype(str))
        rules["grade"] = lambda ids: ids.astype(str).map(grade).fillna("ungraded").to_numpy()
    province = tables["bodies"].set_index("body_id")["province"]
    rules["province"] = lambda ids: ids.map(province).fillna("unknown").to_numpy()
    return rules


def estimate_population(
    tables: Tables,
    as_of: pd.Timestamp,
    *,
    since: pd.Timestamp | None = None,
    grades: pd.DataFrame | None = None,
    draws: str | Path | None = None,
    say: Callable[[str], None] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The estimates table: overall, by grade, by province, problem certificates; difference rows with ``draws``.

    ``draws`` is the folder of the draw folders (the ``--out`` of ``certrisk
    draw``); ``say`` receives, in one line each, why model-assisted rows could
    not be made (sentences of the catalogue: their ``str`` is English). The
    ``note`` of each row is in ``lang``; ``reliability`` and
    ``reliability_reason`` keep sampling's English (the codes the report reads back).
    """
    as_of = pd.Timestamp(as_of)
    since = pd.Timestamp(since) if since is not None else (as_of - pd.DateOffset(months=12)).to_period("Q").start_time
    folder = check_draws_dir(draws)
    ins = random_inspections(tables, as_of, since)
    if len(ins) < 2:
        raise KeyedError("errors.estimate_window", n=len(ins), since=since.date(), as_of=as_of.date())
    window = list(dict.fromkeys(ins["draw_id"].astype(str)))
    frames = read_draw_frames(folder, window)
    check_inspections(ins, frames)
    held = held_certificates(tables, ins, frames)
    refuse_overchecked(ins, held)
    note = assisted_note(folder is not None, window, frames)
    tell = say or (lambda text: None)
    if note:
        tell(note)
    table = pd.concat(_parts(tables, ins, held, _domains(tables, grades), frames, tell, assisted=not note))
    table = table.reset_index(drop=True)
    table["width_ratio"] = width_ratio(table)
    flags = zip(table["reliability"], table["reliability_reason"])
    table["note"] = [reliability_note(label, reason, lang) for label, reason in flags]
    table["as_of"], table["since"] = as_of.date().isoformat(), since.date().isoformat()
    return table[[*COLUMNS, "since", "as_of"]]


def _parts(
    tables: Tables,
    ins: pd.DataFrame,
    held: np.ndarray,
    domains: dict[str, Labels],
    frames: dict[str, DrawFrame],
    tell: Callable[[str], None],
    *,
    assisted: bool,
) -> list[pd.DataFrame]:
    """The rows of each scope: Hajek, and with ``assisted`` the difference row after each."""
    y = is_serious(ins["outcome"])
    pi, draws = ins["inclusion_prob"].to_numpy(dtype=float), ins["draw_id"].astype(str).to_numpy()
    window = list(dict.fromkeys(draws))
    other = difference_tables(ins, y, frame_rows(frames, window), domains) if assisted else {}
    naive = pd.Series({"all": y.mean()})
    parts = [_scoped(beside(pooled_rate(y, pi, draws).assign(domain="all"), other.get("overall")), "overall", naive)]
    for scope, labels in domains.items():
        label = labels(ins["body_id"])
        hajek = pooled_rate(y, pi, draws, domain=label)
        parts.append(_scoped(beside(hajek, other.get(scope)), scope, pd.Series(y).groupby(label).mean()))
    used = ins["certs_checked"].to_numpy(dtype=float) > 0  # inspections that checked no certificate say nothing
    if used.any():
        sub = ins[used].reset_index(drop=True)
        problems, checked = sub["certs_with_problems"].to_numpy(dtype=float), sub["certs_checked"].to_numpy(dtype=float)
        try:
            certs = two_stage_rate(problems, checked, held[used], pi[used], draws[used])
        except ValueError as exc:  # e.g. a draw with one non-certain unit that checked certificates
            tell(Phrase("estimates.no_certificate_rate", reason=Foreign(str(exc))))
            return parts
        extra = None
        if assisted:
            extra, why = certificate_difference(tables, sub, held[used], frames)
            if why:
                tell(why)
        parts.append(_scoped(beside(certs, extra), "certificates", pd.Series({"all": problems.sum() / checked.sum()})))
    return parts
