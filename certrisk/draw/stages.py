"""The draw in memory: stage 1 (bodies), stage 2 (certificates), inspector teams, then the lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.rules import valid_certificates
from features.tables import Tables
from sampling import draw, draw_certificates, seed_material, stage2_sample_sizes

from .config import GRADES_FILE, DrawConfig, DrawError
from .frame import build_frame, canonical_grades, commitment, default_draw_id
from .lists import make_lists


def _stage1(frame: pd.DataFrame, material: str) -> tuple[pd.DataFrame, str]:
    live = frame["in_frame"].to_numpy() & (frame["pi"].to_numpy() > 0)
    result = draw(frame.loc[live, "body_id"].tolist(), frame.loc[live, "pi"].to_numpy(), material, "stage1")
    selected = np.zeros(len(frame), dtype=bool)
    selected[np.flatnonzero(live)[result.selected]] = True
    return frame.assign(selected=selected), result.method


def _stage2(tables: Tables, drawn: pd.DataFrame, config: DrawConfig, material: str) -> pd.DataFrame:
    certs = tables["certificates"]
    valid = certs[valid_certificates(certs, config.as_of) & certs["body_id"].isin(drawn["body_id"]).to_numpy()]
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


def _teams(tables: Tables, drawn: pd.DataFrame, config: DrawConfig, material: str) -> pd.DataFrame:
    inspectors = tables["inspectors"]
    if inspectors.empty:
        return pd.DataFrame({"body_id": drawn["body_id"], "inspector_ids": "", "units": ""})
    from sampling import assign_teams  # teams are optional for a registry without inspectors

    bodies = drawn[["body_id", "name", "province", "fields", "ccc_designated", "batch"]]
    try:
        teams = assign_teams(bodies, inspectors, tables["conflicts"], material, team_size=config.team_size)
    except ValueError as exc:
        raise DrawError(str(exc)) from None
    return teams[["body_id", "inspector_ids", "units"]]


@dataclass
class DrawOutputs:
    """A draw made in memory: its identity and every table of its folder."""

    draw_id: str
    frame_sha256: str
    seed_material: str
    stage1_method: str
    tables: dict[str, pd.DataFrame]  # file name -> DataFrame (CSV outputs); XLSX mirrors the lists
    teams: pd.DataFrame  # body_id, inspector_ids, units of every drawn body


def run_draw(tables: Tables, grades: pd.DataFrame, config: DrawConfig) -> DrawOutputs:
    """Make the draw in memory (nothing written)."""
    frame = build_frame(tables, grades, config)
    digest = commitment(frame)
    material = seed_material(digest, config.public_seed)
    frame, method = _stage1(frame, material)
    drawn = frame[frame["selected"]].reset_index(drop=True)
    certs = _stage2(tables, drawn, config, material)
    teams = _teams(tables, drawn, config, material)
    draw_id = default_draw_id(config, digest)
    used = canonical_grades(grades)
    lists = make_lists(
        draw_id, config.as_of, frame, drawn, certs, teams, used.set_index("body_id")["reasons"], config.lang
    )
    lists[GRADES_FILE] = used
    return DrawOutputs(draw_id, digest, material, method, lists, teams)
