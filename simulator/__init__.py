"""Synthetic national data with ground truth (the embedded default data set)."""

from .config import SimConfig
from .world import SyntheticWorld, generate_world

__all__ = ["SimConfig", "SyntheticWorld", "generate_world"]
