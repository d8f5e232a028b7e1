"""Plain-text summaries printed by the commands and the demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
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


def draw_summary(outputs: DrawOutputs, folder: Path, data_dir: str | os.PathLike[str], seed: str) -> str:
    """What a draw produced and how to verify it, in a few lines."""
    listing, certs = outputs.tables["draw_list.csv"], outputs.tables["certificates.csv"]
    promised = outputs.commitment_sha256
    lines = [
        f"draw {outputs.draw_id}: {len(listing)} bodies drawn ({outputs.stage1_method}), {len(certs)} certificates to check",
        f"  frame SHA-256 {outputs.frame_sha256}",
        f"  commitment {promised}" if promised else "  UNCOMMITTED: an exercise, not a draw anyone can verify",
        f"  draw folder: {folder}",
    ]
    if outputs.teams_fallback:
        lines.append("  the workload caps could not all be kept for this sample: the committed fallback lifted them")
    commitment = promised or "<commitment hash>"
    lines.append(f"  verify with: certrisk verify {folder} --data {data_dir} --commitment {commitment} --seed {seed!r}")
    return "\n".join(lines)
