"""The draw in memory: stage 1 (bodies), stage 2 (certificates), inspector teams, then the lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.rules import valid_certificates
from features.tables import Tables
from sampling import draw, draw_certificates, seed_material, stage2_sample_sizes

from .config import (
    CONFLICTS_FILE,
    GRADES_FILE,
    INSPECTORS_FILE,
    STAGE2_FRAME_FILE,
    STRINGENCY_FILE,
    TEAMS_FILE,
    DrawConfig,
    DrawError,
)
from .frame import build_frame, canonical_grades, commitment, default_draw_id
from .lists import make_lists

TEAM_INPUT_COLUMNS = ["body_id", "name", "province", "fields", "ccc_designated", "batch"]


def _stage1(frame: pd.DataFrame, material: str) -> tuple[pd.DataFrame, str]:
    live = frame["in_frame"].to_numpy() & (frame["pi"].to_numpy() > 0)
    result = draw(frame.loc[live, "body_id"].tolist(), frame.loc[live, "pi"].to_numpy(), material, "stage1")
    selected = np.zeros(len(frame), dtype=bool)
    selected[np.flatnonzero(live)[result.selected]] = True
    return frame.assign(selected=selected), result.method


def stage2_frame(tables: Tables, drawn: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every certificate of a drawn body that is valid on the as-of date: the population of stage 2."""
    certs = tables["certificates"]
    return certs[valid_certificates(certs, as_of) & certs["body_id"].isin(drawn["body_id"]).to_numpy()]


def _stage2(valid: pd.DataFrame, drawn: pd.DataFrame, config: DrawConfig, material: str) -> pd.DataFrame:
    held = valid.groupby("body_id").size().reindex(drawn["body_id"], fill_value=0)
    sizes = stage2_sample_sizes(drawn["grade"].to_numpy(), held.to_numpy(), config.stage2)
    chosen = draw_certificates(
        valid[["cert_id", "body_id"]],
        dict(zip(drawn["body_id"], sizes.tolist(), strict=True)),
        material,
        dict(zip(drawn["body_id"], drawn["pi"], strict=True)),
    )
    detail = valid.set_index("cert_id")[["org_id", "scheme"]]
    chosen = chosen.join(detail, on="cert_id")
    chosen["certs_held"] = chosen["body_id"].map(held).to_numpy()
    return chosen


def _teams(tables: Tables, drawn: pd.DataFrame, config: DrawConfig, material: str) -> tuple[pd.DataFrame, bool]:
    """The team of every drawn body, and whether the committed fallback (workload caps lifted) was needed."""
    inspectors = tables["inspectors"]
    if inspectors.empty:
        return pd.DataFrame({"body_id": drawn["body_id"], "inspector_ids": "", "units": ""}), False
    from sampling import TeamAssignmentError, assign_teams  # teams are optional for a registry without inspectors

    bodies = drawn[TEAM_INPUT_COLUMNS]
    try:
        return assign_teams(bodies, inspectors, tables["conflicts"], material, team_size=config.team_size), False
    except TeamAssignmentError:
        pass  # the workload caps bind for this sample: apply the committed fallback
    except ValueError as exc:
        raise DrawError.of(exc) from None
    lifted = inspectors.assign(max_assignments=max(len(bodies), 1))
    try:
        return assign_teams(bodies, lifted, tables["conflicts"], material, team_size=config.team_size), True
    except ValueError as exc:
        raise DrawError.of(exc) from None


@dataclass
class DrawOutputs:
    """A draw made in memory: its identity and every table of its folder."""

    draw_id: str
    frame_sha256: str
    seed_material: str
    stage1_method: str
    tables: dict[str, pd.DataFrame]  # file name -> DataFrame (CSV outputs); XLSX mirrors the lists
    teams: pd.DataFrame  # body_id, inspector_ids, units (and the keys, rounds, methods) of every drawn body
    teams_fallback: bool  # the workload caps had to be lifted (the committed fallback rule)
    commitment_sha256: str | None  # the commitment the draw was checked against; None for an exercise


def team_probabilities(drawn: pd.DataFrame, teams: pd.DataFrame, stringency: pd.DataFrame) -> pd.Series:
    """P(serious) of each drawn body with its team: the grades' p_serious plus the team's mean stringency (log-odds).

    ``stringency``: ``inspector_id`` and ``stringency`` (an inspector table); an
    inspector without a row counts as 0. Rounded to 4 decimals, by body id.
    """
    from riskmodel.stringency import team_conditional

    p_body = drawn["prediction"].to_numpy(dtype=float)
    if np.isnan(p_body).any():
        raise DrawError("draw_errors.stringency_needs_p", n=int(np.isnan(p_body).sum()))
    ids = drawn["body_id"].map(teams.set_index("body_id")["inspector_ids"]).fillna("")
    effects = stringency.set_index("inspector_id")["stringency"]
    return pd.Series(team_conditional(p_body, ids, effects).round(4), index=drawn["body_id"].to_numpy())


def run_draw(
    tables: Tables,
    grades: pd.DataFrame,
    config: DrawConfig,
    commitment_sha256: str | None = None,
    stringency: pd.DataFrame | None = None,
) -> DrawOutputs:
    """Make the draw in memory (nothing written); the lists name ``commitment_sha256`` or say "uncommitted".

    With ``stringency`` (inspector effects, :func:`team_probabilities`) the
    internal list adds each body's P(serious) with its drawn team, and the
    effects are kept in the folder; the draw itself does not depend on them.
    """
    frame = build_frame(tables, grades, config)
    digest = commitment(frame)
    material = seed_material(digest, config.public_seed)
    frame, method = _stage1(frame, material)
    drawn = frame[frame["selected"]].reset_index(drop=True)
    population = stage2_frame(tables, drawn, config.as_of)
    certs = _stage2(population, drawn, config, material)
    teams, fallback = _teams(tables, drawn, config, material)
    draw_id = default_draw_id(config, digest)
    used = canonical_grades(grades)
    reasons = used.set_index("body_id")["reasons"]
    team_p = None if stringency is None else team_probabilities(drawn, teams, stringency)
    lists = make_lists(
        draw_id, config.as_of, frame, drawn, certs, teams, reasons, config.lang, commitment_sha256, team_p
    )
    lists[GRADES_FILE] = used
    lists[STAGE2_FRAME_FILE] = (
        population[["body_id", "cert_id"]].sort_values(["body_id", "cert_id"]).reset_index(drop=True)
    )
    lists[TEAMS_FILE] = teams
    lists[INSPECTORS_FILE] = tables["inspectors"].sort_values("inspector_id").reset_index(drop=True)
    lists[CONFLICTS_FILE] = _conflicts_of(tables["conflicts"], drawn)
    if stringency is not None:
        lists[STRINGENCY_FILE] = stringency[["inspector_id", "stringency"]].sort_values("inspector_id")
    return DrawOutputs(draw_id, digest, material, method, lists, teams, fallback, commitment_sha256)


def _conflicts_of(conflicts: pd.DataFrame, drawn: pd.DataFrame) -> pd.DataFrame:
    """The conflicts (回避) that concern the drawn bodies, as the team draw used them."""
    rows = conflicts[conflicts["body_id"].isin(drawn["body_id"])][["inspector_id", "body_id"]]
    return rows.drop_duplicates().sort_values(["body_id", "inspector_id"]).reset_index(drop=True)
