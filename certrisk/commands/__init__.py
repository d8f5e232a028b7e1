"""Subcommand implementations: argument namespace in, library calls, messages out.

With :mod:`certrisk.cli` this package is the only code that reads arguments or
prints; the workflow itself lives in the jobs (:mod:`certrisk.draw`,
:mod:`certrisk.training_job`, :mod:`certrisk.estimate_job`,
:mod:`certrisk.demo_job`, :mod:`certrisk.report`). Every library is imported
inside the command that needs it, so ``certrisk --help`` imports none and
``certrisk validate`` never loads MLflow or matplotlib. One module per family:
:mod:`.data` (generate, validate, features, profile), :mod:`.model` (train,
grade, stringency, score), :mod:`.drawing` (commit, draw, verify, plan, publish),
:mod:`.quarter` (estimate, report, demo), :mod:`.monitoring` (monitor), and
:mod:`.common`.
"""

from __future__ import annotations

from .common import COMPARISON_COLUMNS, SELECTION_COLUMNS, parse_as_of
from .data import features, generate, profile, validate
from .drawing import commit, draw, plan, publish, verify
from .model import grade, score, stringency, train
from .monitoring import monitor
from .quarter import demo, estimate, report_command

__all__ = [
    "COMPARISON_COLUMNS",
    "SELECTION_COLUMNS",
    "commit",
    "demo",
    "draw",
    "estimate",
    "features",
    "generate",
    "grade",
    "monitor",
    "parse_as_of",
    "plan",
    "profile",
    "publish",
    "report_command",
    "score",
    "stringency",
    "train",
    "validate",
    "verify",
]
