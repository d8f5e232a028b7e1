"""Model-assisted rows of the estimates: the difference estimate beside each Hajek row, and their width ratio.

With the draw folders (``--draws``), every draw's frame.csv gives the model's
prediction ``p_k`` (the grades file's ``p_serious``, committed before the
seed) for every body that could be drawn, drawn or not.
:func:`sampling.difference_rate` adds the HT sum of the residuals
``y_k - p_k`` to the frame's sum of predictions (docs/model-assisted.md): the
estimate stays design-unbiased whatever the model, and is narrower when the
model is good. The frame rows are the bodies in the frame with ``pi > 0``;
their domains (grade from the grades file, province from the registry) are
those of the Hajek rows.

Problem certificates (:func:`sampling.difference_two_stage_rate`): the
predicted problem share of a body is the share of problem certificates
(sum certs_with_problems / sum certs_checked) among the random inspections
dated before the draw's as-of date of the bodies of its grade in the draw's
frame, the overall share when that grade has none
(:func:`features.rules.prior_problem_share`): fixed before the draw, as the
estimator requires. The certificates of every frame body are its
``certs_held`` in frame.csv.

``width_ratio`` = (ci_high - ci_low) of a row / that of the Hajek row of the
same scope and domain: 1 for the Hajek rows, below 1 where the model narrows
the interval; empty when either row is suppressed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from features.rules import prior_problem_share
from features.tables import Tables
from sampling import difference_rate, difference_two_stage_rate

from .catalogue import Phrase
from .estimate_draws import DrawFrame

HAJEK = ("pooled_hajek_ratio", "two_stage_ratio")
SHOWN = 5  # draws named in a note

Labels = Callable[[pd.Series], np.ndarray]  # body ids -> domain labels (one rule for the sample and the frames)


def assisted_note(draws_given: bool, window: list[str], frames: dict[str, DrawFrame]) -> str:
    """Why the window gets no model-assisted rows, in one line (a sentence of the catalogue, its ``str`` English);
    empty when every draw has its frame and predictions."""
    if not draws_given:
        return Phrase("estimates.no_assisted", why=Phrase("estimates.give_draws"))
    missing = [q for q in window if q not in frames]
    blank = [q for q in window if q in frames and not frames[q].has_prediction]
    if not missing and not blank:
        return ""
    why = []
    if missing:
        why.append(Phrase("estimates.draws_without_folder", n=len(missing), total=len(window), few=_few(missing)))
    if blank:
        why.append(Phrase("estimates.draws_without_prediction", n=len(blank), few=_few(blank)))
    both = why[0] if len(why) == 1 else Phrase("estimates.both", first=why[0], second=why[1])
    return Phrase("estimates.no_assisted", why=both)


def _few(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (" ..." if len(names) > SHOWN else "")


def frame_rows(frames: dict[str, DrawFrame], window: list[str]) -> pd.DataFrame:
    """The bodies that could be drawn in each draw of the window, with the draw's id."""
    return pd.concat([frames[q].live.assign(draw_id=q) for q in window], ignore_index=True)


def _lookup(frame: pd.DataFrame, ins: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` of the frame row of each inspection's (draw, body)."""
    keyed = frame.set_index(["draw_id", "body_id"])[column]
    keys = pd.MultiIndex.from_arrays([ins["draw_id"].astype(str), ins["body_id"].astype(str)])
    return keyed.reindex(keys).to_numpy(dtype=float)


def difference_tables(
    ins: pd.DataFrame, y: np.ndarray, frame: pd.DataFrame, domains: dict[str, Labels]
) -> dict[str, pd.DataFrame]:
    """The difference estimate of the serious rate: scope -> table (``overall`` and one per domain scope)."""
    pi, draws = ins["inclusion_prob"].to_numpy(dtype=float), ins["draw_id"].astype(str).to_numpy()
    given = {"frame_draw_id": frame["draw_id"].to_numpy(), "frame_prediction": frame["prediction"].to_numpy()}
    pred = _lookup(frame, ins, "prediction")
    out = {"overall": difference_rate(y, pi, draws, pred, **given)}
    for scope, labels in domains.items():
        out[scope] = difference_rate(
            y, pi, draws, pred, domain=labels(ins["body_id"]), frame_domain=labels(frame["body_id"]), **given
        )
    return out


def problem_shares(tables: Tables, found: DrawFrame) -> pd.Series | None:
    """Predicted problem share of every body that could be drawn (by body_id); None without any earlier check.

    The rule of :func:`features.rules.prior_problem_share`, with the grades of the draw's frame.
    """
    grade = found.frame.set_index("body_id")["grade"]
    share = prior_problem_share(tables["inspections"], grade, found.as_of)
    if share.isna().all():
        return None
    return share.reindex(found.live["body_id"])


def certificate_difference(
    tables: Tables, ins: pd.DataFrame, held: np.ndarray, frames: dict[str, DrawFrame]
) -> tuple[pd.DataFrame | None, str]:
    """The two-stage difference row of the problem-certificate rate, or None and the reason in one line."""
    window = list(dict.fromkeys(ins["draw_id"].astype(str)))
    head = "estimates.no_assisted_certificates"
    lacking = [q for q in window if not frames[q].has_held]
    if lacking:
        return None, Phrase(head, why=Phrase("estimates.no_certs_held", few=_few(lacking)))
    shares = {q: problem_shares(tables, frames[q]) for q in window}
    unknown = [q for q, s in shares.items() if s is None]
    if unknown:
        return None, Phrase(head, why=Phrase("estimates.no_prior_checks", few=_few(unknown)))
    frame = frame_rows(frames, window)
    frame["share"] = np.concatenate([s.to_numpy() for s in shares.values() if s is not None])
    table = difference_two_stage_rate(
        ins["certs_with_problems"].to_numpy(dtype=float),
        ins["certs_checked"].to_numpy(dtype=float),
        held,
        ins["inclusion_prob"].to_numpy(dtype=float),
        ins["draw_id"].astype(str).to_numpy(),
        _lookup(frame, ins, "share"),
        frame_draw_id=frame["draw_id"].to_numpy(),
        frame_prediction=frame["share"].to_numpy(),
        frame_held=frame["certs_held"].to_numpy(),
    )
    return table, ""


def beside(hajek: pd.DataFrame, other: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of ``other`` each right after the Hajek row of its domain."""
    if other is None or other.empty:
        return hajek
    order = {d: k for k, d in enumerate(hajek["domain"])}
    both = pd.concat([hajek, other], ignore_index=True)
    rank = both["domain"].map(order).fillna(len(order)).to_numpy()
    return both.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def width_ratio(table: pd.DataFrame) -> np.ndarray:
    """Each row's interval width over that of the Hajek row of its scope and domain (NaN when either is suppressed)."""
    width = (table["ci_high"] - table["ci_low"]).where(table["reliability"] != "suppressed")
    hajek = table["estimator"].isin(HAJEK).to_numpy()
    base = pd.Series(width[hajek].to_numpy(), index=pd.MultiIndex.from_frame(table.loc[hajek, ["scope", "domain"]]))
    keys = pd.MultiIndex.from_frame(table[["scope", "domain"]])
    ref = base.reindex(keys).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = width.to_numpy(dtype=float) / ref
    ratio[~np.isfinite(ratio)] = np.nan  # a zero-width Hajek interval (a census) has no ratio
    ratio[hajek & np.isfinite(width.to_numpy(dtype=float))] = 1.0
    return ratio
