"""Choices shared by the parsers of the command line, light enough for ``certrisk --help`` (no library)."""

from __future__ import annotations

import argparse

from ..catalogue import Phrase

__all__ = ["LANGUAGES", "add_lang"]

LANGUAGES = ("en", "zh")  # mirrors features.codes.LANGUAGES (pinned by a test): --help must not import features


def add_lang(parser: argparse.ArgumentParser, help_key: str, default: str | None = "en") -> None:
    """The ``--lang`` option every command has; ``help_key`` names the help saying what it changes there."""
    parser.add_argument("--lang", choices=list(LANGUAGES), default=default, help=Phrase(f"help_options.{help_key}"))
