"""Plain-text summaries printed by the commands and the demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import say

if TYPE_CHECKING:
    import pandas as pd

    from .draw import DrawOutputs


def format_profile(view: pd.DataFrame, body_id: str, as_of: pd.Timestamp, lang: str) -> str:
    """A body's panoramic profile as text: abnormal values first, then every feature against its peers."""
    head = say(lang, "commands.profile_head", body=body_id, as_of=as_of.date())
    flagged = view[view["abnormal"]]
    lines = [head, "", say(lang, "commands.profile_abnormal")]
    lines += [f"  - {note}" for note in flagged["note"]] or [say(lang, "commands.profile_none")]
    lines += ["", view[["family", "label", "value", "peer_median", "percentile"]].to_string(index=False)]
    return "\n".join(lines)


def draw_summary(
    outputs: DrawOutputs, folder: Path, data_dir: str | os.PathLike[str], seed: str, lang: str = "en"
) -> str:
    """What a draw produced and how to verify it, in a few lines (in ``lang``, :mod:`certrisk.catalogue.commands`)."""
    listing, certs = outputs.tables["draw_list.csv"], outputs.tables["certificates.csv"]
    promised = outputs.commitment_sha256
    drawn = {"draw_id": outputs.draw_id, "bodies": len(listing), "method": outputs.stage1_method}
    lines = [
        say(lang, "commands.drawn", **drawn, certificates=len(certs)),
        say(lang, "commands.frame_sha", sha=outputs.frame_sha256),
        say(lang, "commands.commitment", hash=promised) if promised else say(lang, "commands.uncommitted"),
        say(lang, "commands.draw_folder", path=folder),
    ]
    if outputs.teams_fallback:
        lines.append(say(lang, "commands.teams_fallback"))
    commitment = promised or "<commitment hash>"
    command = f"certrisk verify {folder} --data {data_dir} --commitment {commitment} --seed {seed!r}"
    lines.append(say(lang, "commands.verify_with", command=command))
    return "\n".join(lines)
