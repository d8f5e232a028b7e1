"""The draw frame: every body of the registry with its inclusion probability, and its commitment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.rules import alerted_bodies, body_status, newly_approved, valid_certificates
from features.tables import Tables
from sampling import assign_probabilities, frame_digest

from .config import DrawConfig, DrawError, check_draw_id

# The frame's columns that the commitment covers (besides body_id).
COMMITTED_COLUMNS = (
    "grade",
    "ccc_designated",
    "status",
    "newly_approved",
    "alert",
    "years_since_inspection",
    "in_frame",
    "certain",
    "size",
    "pi",
    "batch",
    "certs_held",
    "prediction",
)


def _grades(grades: pd.DataFrame, bodies: pd.DataFrame, status: pd.Series, config: DrawConfig) -> pd.Series:
    missing = {"body_id", "grade"} - set(grades.columns)
    if missing:
        raise DrawError("draw_errors.grades_columns", missing=", ".join(sorted(missing)))
    g = grades.drop_duplicates("body_id").set_index("body_id")["grade"].astype(str)
    drawable = bodies.loc[~status.isin(config.policy.out_of_frame_statuses), "body_id"]
    lacking = drawable[~drawable.isin(g.index)]
    if len(lacking):
        ids = f"{', '.join(lacking.head(5))}{' ...' if len(lacking) > 5 else ''}"
        raise DrawError("draw_errors.ungraded", n=len(lacking), ids=ids)
    return g


def _prediction(grades: pd.DataFrame, bodies: pd.DataFrame) -> np.ndarray:
    """The grades file's predicted serious probability (``p_serious``), fixed before the seed; NaN without it."""
    if "p_serious" not in grades.columns:
        return np.full(len(bodies), np.nan)
    p = pd.to_numeric(grades.drop_duplicates("body_id").set_index("body_id")["p_serious"], errors="coerce")
    return bodies["body_id"].map(p).to_numpy(dtype=float)


def certificates_held(tables: Tables, body_ids: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """Each body's valid certificates on the as-of date (the stage-2 frame's size), as floats for the digest."""
    certs = tables["certificates"]
    held = certs.loc[valid_certificates(certs, as_of), "body_id"].value_counts()
    return body_ids.map(held).fillna(0).to_numpy(dtype=float)


def build_frame(tables: Tables, grades: pd.DataFrame, config: DrawConfig) -> pd.DataFrame:
    """Every body of the registry with its draw probability and the reason for it."""
    as_of = config.as_of
    bodies = tables["bodies"][tables["bodies"]["approved_on"] < as_of].sort_values("body_id").reset_index(drop=True)
    status = body_status(bodies, as_of)  # as it stood on the as-of date (a later change has not happened yet)
    grade = _grades(grades, bodies, status, config)
    ins = tables["inspections"]
    last = ins[ins["inspected_on"] < as_of].groupby("body_id")["inspected_on"].max()
    frame = pd.DataFrame(
        {
            "body_id": bodies["body_id"].astype(str),
            "grade": bodies["body_id"].map(grade).fillna("A").astype(str),
            "ccc_designated": bodies["ccc_designated"].astype(bool),
            "status": status.astype(str),
            "newly_approved": newly_approved(bodies["approved_on"], as_of),
            "alert": bodies["body_id"].isin(alerted_bodies(tables["signals"], as_of)).to_numpy(),
            "years_since_inspection": ((as_of - bodies["body_id"].map(last)).dt.days / 365.25).to_numpy(dtype=float),
            "certs_held": certificates_held(tables, bodies["body_id"], as_of),
            "prediction": _prediction(grades, bodies),
        }
    )
    try:
        frame = assign_probabilities(frame, config.budget, config.policy)
    except ValueError as exc:
        raise DrawError.of(exc) from None
    frame.insert(1, "name", bodies["name"].astype(str).to_numpy())
    frame.insert(2, "province", bodies["province"].astype(str).to_numpy())
    frame["fields"] = bodies["fields"].astype(str).to_numpy()
    frame["batch"] = np.where(frame["ccc_designated"], "national", "provincial")
    return frame


def commitment(frame: pd.DataFrame) -> str:
    """SHA-256 of the canonical frame: published before the seed is known."""
    return frame_digest(frame["body_id"].tolist(), {c: frame[c] for c in COMMITTED_COLUMNS})


def default_draw_id(config: DrawConfig, digest: str) -> str:
    """The draw id asked for, else ``D<as-of>-<first 8 hex of the frame SHA-256>``."""
    return check_draw_id(config.draw_id) if config.draw_id is not None else f"D{config.as_of:%Y%m%d}-{digest[:8]}"


def canonical_grades(grades: pd.DataFrame) -> pd.DataFrame:
    """The grades input as kept in the draw folder: body_id, grade, reasons (and p_serious), sorted by body_id."""
    used = grades.drop_duplicates("body_id")
    reasons = used["reasons"].fillna("").astype(str) if "reasons" in used else ""
    out = pd.DataFrame({"body_id": used["body_id"].astype(str), "grade": used["grade"].astype(str), "reasons": reasons})
    if "p_serious" in used:  # the committed prediction: verification re-derives the frame from this file
        out["p_serious"] = pd.to_numeric(used["p_serious"], errors="coerce").to_numpy(dtype=float)
    return out.sort_values("body_id", kind="stable").reset_index(drop=True)
