"""Checks of command-line arguments, each ending in one plain sentence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


class UsageError(ValueError):
    """A command-line argument that cannot be used (reported in one sentence)."""


def check_scale(scale: float) -> None:
    if not 0.001 <= scale <= 10:
        raise UsageError(f"`--scale` must be between 0.001 and 10; got {scale}.")


def fresh_folder(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise UsageError(f"output folder {path} exists and is not empty; choose a new one.")


def parse_as_of(text: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(text)
        if pd.isna(stamp):
            raise ValueError(text)
        return stamp.normalize()
    except ValueError:
        raise UsageError(f"`--as-of` must be a date YYYY-MM-DD; got {text!r}.") from None


