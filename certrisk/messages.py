"""Plain-text summaries printed by the commands and the demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .phrases import text

if TYPE_CHECKING:
    import pandas as pd

    from .draw import DrawOutputs


def format_profile(view: pd.DataFrame, body_id: str, as_of: pd.Timestamp, lang: str) -> str:
    """A body's panoramic profile as text: abnormal values first, then every feature against its peers."""
    zh = lang == "zh"
    head = f"{'机构' if zh else 'Body'} {body_id}, {'截至' if zh else 'as of'} {as_of.date()}"
    flagged = view[view["abnormal"]]
    lines = [head, "", "异常提示（从这里开始检查）：" if zh else "Where to start (abnormal values):"]
    lines += [f"  - {note}" for note in flagged["note"]] or ["  （无）" if zh else "  (none)"]
    lines += ["", view[["family", "label", "value", "peer_median", "percentile"]].to_string(index=False)]
    return "\n".join(lines)


def draw_summary(
    outputs: DrawOutputs, folder: Path, data_dir: str | os.PathLike[str], seed: str, lang: str = "en"
) -> str:
    """What a draw produced and how to verify it, in a few lines (in ``lang``, :mod:`certrisk.phrases`)."""
    listing, certs = outputs.tables["draw_list.csv"], outputs.tables["certificates.csv"]
    promised = outputs.commitment_sha256
    drawn = {"draw_id": outputs.draw_id, "bodies": len(listing), "method": outputs.stage1_method}
    lines = [
        text(lang, "drawn", **drawn, certificates=len(certs)),
        text(lang, "frame_sha", sha=outputs.frame_sha256),
        text(lang, "commitment", hash=promised) if promised else text(lang, "uncommitted"),
        text(lang, "draw_folder", path=folder),
    ]
    if outputs.teams_fallback:
        lines.append(text(lang, "teams_fallback"))
    commitment = promised or "<commitment hash>"
    command = f"certrisk verify {folder} --data {data_dir} --commitment {commitment} --seed {seed!r}"
    lines.append(text(lang, "verify_with", command=command))
    return "\n".join(lines)
