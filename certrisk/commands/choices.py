"""Choices shared by the parsers of the command line, light enough for ``certrisk --help`` (no library)."""

from __future__ import annotations

__all__ = ["LANGUAGES"]

LANGUAGES = ("en", "zh")  # mirrors features.codes.LANGUAGES (pinned by a test): --help must not import features
