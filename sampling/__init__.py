"""Inclusion probabilities, pi-ps designs and verifiable randomness for the draw.

The package takes sizes, strata, flags and ids, never models: it does not
import ``features``, ``riskmodel`` or ``certrisk``. See ``docs/sampling.md``.
"""

from .designs import DrawResult, draw
from .estimators import (
    Estimate,
    difference_rate,
    difference_two_stage_rate,
    hajek_mean,
    ht_total,
    pooled_rate,
    two_stage_rate,
)
from .inclusion import inclusion_probabilities, stratified_inclusion_probabilities
from .joint import joint_inclusion_probabilities, working_probabilities
from .policy import SizePolicy, assign_probabilities
from .randomness import frame_digest, seed_material, stream_uniform, unit_uniforms
from .stage2 import draw_certificates, stage2_sample_sizes
from .teams import TeamAssignmentError, assign_teams, staffing_problems

__all__ = [
    "DrawResult",
    "Estimate",
    "SizePolicy",
    "TeamAssignmentError",
    "assign_probabilities",
    "assign_teams",
    "difference_rate",
    "difference_two_stage_rate",
    "draw",
    "draw_certificates",
    "frame_digest",
    "hajek_mean",
    "ht_total",
    "inclusion_probabilities",
    "joint_inclusion_probabilities",
    "pooled_rate",
    "seed_material",
    "staffing_problems",
    "stage2_sample_sizes",
    "stratified_inclusion_probabilities",
    "stream_uniform",
    "two_stage_rate",
    "unit_uniforms",
    "working_probabilities",
]
