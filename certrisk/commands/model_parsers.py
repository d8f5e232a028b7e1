"""The parsers of the model subcommands: train, grade, stringency, score (what they do: :mod:`.model`)."""

from __future__ import annotations

import argparse

from ..catalogue import Phrase
from . import model
from .choices import add_lang

__all__ = ["add_train", "add_grade", "add_stringency", "add_score"]


def _add_tracking(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tracking-uri",
        default=None,
        help=Phrase("help_options.tracking_uri"),
    )


def add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help=Phrase("help.train"),
        description=Phrase("help.train_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.train_as_of"))
    p.add_argument("--out", default=None, help=Phrase("help_options.train_out"))
    p.add_argument(
        "--budget-share",
        type=float,
        default=0.25,
        help=Phrase("help_options.train_budget_share"),
    )
    p.add_argument("--seed", type=int, default=0, help=Phrase("help_options.train_seed"))
    add_lang(p, "lang_figures")
    _add_tracking(p)
    p.set_defaults(func=model.train)


def add_grade(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grade",
        help=Phrase("help.grade"),
        description=Phrase("help.grade_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.date"))
    p.add_argument("--out", required=True, help=Phrase("help_options.out_table"))
    p.add_argument("--alias", default="champion", help=Phrase("help_options.alias"))
    add_lang(p, "lang_reasons")
    p.add_argument(
        "--net-of-inspectors",
        action="store_true",
        help=Phrase("help_options.grade_net_of_inspectors"),
    )
    _add_kinds(p)
    _add_tracking(p)
    p.set_defaults(func=model.grade)


def _add_kinds(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kinds",
        choices=["random", "all"],
        default="random",
        help=Phrase("help_options.kinds"),
    )


def add_stringency(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stringency",
        help=Phrase("help.stringency"),
        description=Phrase("help.stringency_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.stringency_as_of"))
    p.add_argument("--out", required=True, metavar="DIR", help=Phrase("help_options.out_folder_made"))
    _add_kinds(p)
    add_lang(p, "lang_assessment")
    p.set_defaults(func=model.stringency)


def add_score(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help=Phrase("help.score"),
        description=Phrase("help.score_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.score_as_of"))
    p.add_argument("--inspections", required=True, metavar="FILE", help=Phrase("help_options.score_inspections"))
    p.add_argument("--out", required=True, help=Phrase("help_options.out_table"))
    p.add_argument("--alias", default="champion", help=Phrase("help_options.alias"))
    _add_kinds(p)
    add_lang(p, "lang_printed")
    _add_tracking(p)
    p.set_defaults(func=model.score)
