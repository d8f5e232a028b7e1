"""The lists people read: the internal draw list, the public list and the stage-2 certificates."""

from __future__ import annotations

import pandas as pd

from features.codes import province_name

from ..catalogue import both, say
from .config import CERTIFICATES, DRAW_LIST, FRAME_FILE, PUBLIC_LIST
from .reason_words import reason_zh

COLUMNS = (
    "draw_id",
    "as_of",
    "body_id",
    "name",
    "province",
    "province_name",
    "batch",
    "method",
    "grade",
    "pi",
    "probability_reason",
    "risk_reasons",
    "certificates_to_check",
    "certificates",
    "inspector_ids",
    "units",
    "p_serious_team",
    "commitment",
)
#: The header of each column of the lists, (English, Chinese), from the catalogue (:mod:`certrisk.catalogue.lists`).
LABELS = {c: both(f"lists.column_{c}") for c in COLUMNS}
UNCOMMITTED = both("lists.uncommitted")


def commitment_label(commitment_sha256: str | None, lang: str) -> str:
    """What the lists say about the commitment: its SHA-256, or "uncommitted" in words."""
    return commitment_sha256 or UNCOMMITTED[0 if lang == "en" else 1]


BATCH_ZH = {b: say("zh", f"lists.batch_{b}") for b in ("national", "provincial")}
METHOD = both("lists.method")


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    k = 0 if lang == "en" else 1
    return frame.rename(columns={c: LABELS[c][k] for c in frame.columns if c in LABELS})


def make_lists(
    draw_id: str,
    as_of: pd.Timestamp,
    frame: pd.DataFrame,
    drawn: pd.DataFrame,
    certs: pd.DataFrame,
    teams: pd.DataFrame,
    reasons: pd.Series,
    lang: str,
    commitment_sha256: str | None,
    team_probability: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """The frame, the internal draw list, the certificates and the public list, by file name.

    Every list carries the draw id, the as-of date and the commitment (its
    SHA-256, or "uncommitted" in words for an exercise). ``team_probability``
    (by body id): P(serious) with the drawn team, in the internal list only.
    """
    zh = lang == "zh"
    per_body = certs.groupby("body_id")["cert_id"].agg(lambda s: ";".join(sorted(s)))
    team = teams.set_index("body_id")
    batch = drawn["batch"].map(BATCH_ZH) if zh else drawn["batch"]
    day = as_of.date().isoformat()
    internal = pd.DataFrame(
        {
            "draw_id": draw_id,
            "as_of": day,
            "body_id": drawn["body_id"],
            "name": drawn["name"],
            "province": drawn["province"],
            "province_name": drawn["province"].map(lambda code: province_name(code, lang)),
            "batch": batch,
            "grade": drawn["grade"],
            "pi": drawn["pi"],
            "probability_reason": drawn["reason"].map(reason_zh) if zh else drawn["reason"],
            "risk_reasons": drawn["body_id"].map(reasons).fillna(""),
            "certificates_to_check": drawn["body_id"].map(certs.groupby("body_id").size()).fillna(0).astype(int),
            "certificates": drawn["body_id"].map(per_body).fillna(""),
            "inspector_ids": drawn["body_id"].map(team["inspector_ids"]).fillna(""),
            "units": drawn["body_id"].map(team["units"]).fillna(""),
        }
    )
    if team_probability is not None:
        internal["p_serious_team"] = drawn["body_id"].map(team_probability).to_numpy(dtype=float)
    promised = commitment_label(commitment_sha256, lang)
    internal["commitment"] = promised
    public = internal[["draw_id", "as_of", "body_id", "name", "batch"]].assign(
        method=METHOD[1 if zh else 0], units=internal["units"], commitment=promised
    )
    stage2 = certs.assign(draw_id=draw_id, as_of=day, commitment=promised)[
        [
            "draw_id",
            "as_of",
            "body_id",
            "cert_id",
            "org_id",
            "scheme",
            "certs_held",
            "pi_conditional",
            "pi_overall",
            "commitment",
        ]
    ]
    return {
        FRAME_FILE: frame.assign(as_of=day),
        DRAW_LIST: _headers(internal, lang),
        CERTIFICATES: stage2,
        PUBLIC_LIST: _headers(public, lang),
    }
