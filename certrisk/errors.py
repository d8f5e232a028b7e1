"""The errors that are the user's to fix: each is reported in words, with exit code 1."""

from __future__ import annotations


class UsageError(ValueError):
    """A command-line argument that cannot be used (reported in one sentence)."""
