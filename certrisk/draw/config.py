"""What a draw is made with: its settings, the algorithm's description, the file names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from features.rules import ALERT_RULE, NEWLY_APPROVED_RULE
from sampling import SizePolicy
from sampling.stage2 import DEFAULT_PER_GRADE

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
LISTS_WITH_XLSX = (DRAW_LIST, PUBLIC_LIST)  # CSV lists also written as XLSX for spreadsheet users


class DrawError(ValueError):
    """A draw that cannot be made or verified as asked (reported in words)."""


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
        }

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> DrawConfig:
        """The settings a manifest records (the inverse of :meth:`to_dict`)."""
        c = manifest["config"]
        policy: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in c["policy"].items()}
        return cls(
            as_of=pd.Timestamp(c["as_of"]),
            budget=int(c["budget"]),
            public_seed=manifest["public_seed"],
            policy=SizePolicy(**policy),
            stage2=dict(c["stage2_per_grade"]),
            team_size=int(c["team_size"]),
            lang=c["lang"],
            draw_id=manifest["draw_id"],
        )
