"""Producing a draw: frame -> commitment -> seed -> stage 1 -> stage 2 -> teams -> lists.

All randomness comes from the seed material = SHA-256 of the frame digest and
the public seed string (see docs/sampling.md). Outputs go into
``OUT/<draw_id>/`` (never overwritten); ``manifest.json`` records everything
needed to re-run the draw, and :func:`verify_draw` re-runs it and reports any
difference, file by file.

Modules: :mod:`.config` (settings, algorithm, file names), :mod:`.frame` (the
frame and its commitment), :mod:`.stages` (the draw in memory), :mod:`.lists`
(the lists people read), :mod:`.folder` (commitment file, manifest, the draw
folder) and :mod:`.verification`.
"""

from .config import ALGORITHM, FRAME_FILE, GRADES_FILE, MANIFEST, DrawConfig, DrawError
from .folder import (
    check_commitment,
    check_staffing,
    commit_frame,
    commitment_file,
    make_draw,
    manifest_for,
    read_manifest,
    write_draw,
)
from .frame import build_frame, canonical_grades, commitment, default_draw_id
from .lists import make_lists
from .stages import DrawOutputs, run_draw
from .verification import verify_draw

__all__ = [
    "ALGORITHM",
    "FRAME_FILE",
    "GRADES_FILE",
    "MANIFEST",
    "DrawConfig",
    "DrawError",
    "DrawOutputs",
    "build_frame",
    "check_commitment",
    "check_staffing",
    "canonical_grades",
    "commit_frame",
    "commitment",
    "commitment_file",
    "default_draw_id",
    "make_draw",
    "make_lists",
    "manifest_for",
    "read_manifest",
    "run_draw",
    "verify_draw",
    "write_draw",
]
