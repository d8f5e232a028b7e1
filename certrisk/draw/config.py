"""What a draw is made with: its settings, the algorithm's description, the file names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from features.rules import ALERT_RULE, NEWLY_APPROVED_RULE
from sampling import SizePolicy
from sampling.stage2 import DEFAULT_PER_GRADE

from ..errors import KeyedError

ALGORITHM = {
    "name": "certrisk-draw",
    "version": "1",
    "stage1": "sampling.draw: conditional Poisson (sequential, one SHA-256 uniform per body, stream 'stage1')",
    "stage2": "sampling.draw_certificates: simple random sampling by SHA-256 order, stream 'stage2:<body_id>'",
    "teams": "sampling.assign_teams: uniform among eligible inspectors by SHA-256 keys, stream 'team:<body_id>'",
}
BATCH_RULE = "CCC-designated bodies: national batch (SAMR); others: provincial batch"
FRAME_FILE, MANIFEST, GRADES_FILE = "frame.csv", "manifest.json", "grades.csv"
DRAW_LIST, PUBLIC_LIST, CERTIFICATES = "draw_list.csv", "public_list.csv", "certificates.csv"
# The inputs of stage 2 and of the teams as the draw used them, for auditors (and the standalone verifier).
STAGE2_FRAME_FILE, TEAMS_FILE = "stage2_frame.csv", "teams.csv"
INSPECTORS_FILE, CONFLICTS_FILE = "inspectors.csv", "conflicts.csv"
# The inspector effects behind the internal list's team-conditional probability (draw --stringency), when given.
STRINGENCY_FILE = "stringency.csv"
LISTS_WITH_XLSX = (DRAW_LIST, PUBLIC_LIST)  # CSV lists also written as XLSX for spreadsheet users
TEAM_FALLBACK_RULE = (
    "if the drawn bodies cannot all be staffed within the inspectors' max_assignments, the caps are lifted for "
    "this draw (every inspector may serve every drawn body it is eligible for) and the teams are drawn again "
    "with the same keys; commit has checked that every body that can be drawn has a feasible team"
)


class DrawError(KeyedError):
    """A draw that cannot be made or verified as asked (reported in words, a key of the catalogue and its fields)."""


DRAW_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_draw_id(draw_id: str) -> str:
    """``draw_id`` if it can name a folder inside --out (letters, digits, ``_ . -``, no ``..``), else DrawError."""
    if not DRAW_ID_PATTERN.match(draw_id) or ".." in draw_id:
        raise DrawError("draw_errors.draw_id", got=draw_id)
    return draw_id


@dataclass
class DrawConfig:
    """The settings of one draw; with the frame and the public seed they determine it."""

    as_of: pd.Timestamp
    budget: int
    public_seed: str
    policy: SizePolicy = field(default_factory=SizePolicy)
    stage2: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PER_GRADE))
    team_size: int = 2
    lang: str = "en"
    draw_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The settings as written into the manifest, with the rules in words."""
        return {
            "as_of": self.as_of.date().isoformat(),
            "budget": self.budget,
            "policy": self.policy.to_dict(),
            "stage2_per_grade": self.stage2,
            "team_size": self.team_size,
            "lang": self.lang,
            "alert_rule": ALERT_RULE,
            "newly_approved_rule": NEWLY_APPROVED_RULE,
            "batch_rule": BATCH_RULE,
            "team_fallback_rule": TEAM_FALLBACK_RULE,
        }

    @classmethod
    def from_dict(cls, c: dict[str, Any], public_seed: str, draw_id: str | None) -> DrawConfig:
        """The settings a manifest or commitment records (the inverse of :meth:`to_dict`)."""
        policy: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in c["policy"].items()}
        return cls(
            as_of=pd.Timestamp(c["as_of"]),
            budget=int(c["budget"]),
            public_seed=public_seed,
            policy=SizePolicy(**policy),
            stage2=dict(c["stage2_per_grade"]),
            team_size=int(c["team_size"]),
            lang=c["lang"],
            draw_id=draw_id,
        )
