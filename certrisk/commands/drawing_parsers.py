"""The parsers of the draw subcommands: commit, draw, plan, verify, publish (what they do: :mod:`.drawing`)."""

from __future__ import annotations

import argparse

from ..catalogue import Phrase
from . import drawing
from .choices import add_lang

__all__ = ["add_commit", "add_draw", "add_plan", "add_verify", "add_publish"]


def _add_policy_inputs(p: argparse.ArgumentParser) -> None:
    """The inputs of a frame and its size policy, shared by commit, draw and plan."""
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--grades", required=True, help=Phrase("help_options.policy_grades"))
    p.add_argument("--budget", required=True, type=int, help=Phrase("help_options.policy_budget"))
    p.add_argument("--as-of", default=None, help=Phrase("help_options.policy_as_of"))
    p.add_argument("--floor", type=float, default=0.02, help=Phrase("help_options.policy_floor"))
    p.add_argument("--ccc-on-top", action="store_true", help=Phrase("help_options.policy_ccc_on_top"))
    p.add_argument("--undisturbed-a", action="store_true", help=Phrase("help_options.policy_undisturbed_a"))
    p.add_argument(
        "--certificate-weight",
        type=float,
        default=None,
        help=Phrase("help_options.policy_certificate_weight"),
    )


def _add_draw_inputs(p: argparse.ArgumentParser) -> None:
    _add_policy_inputs(p)
    p.add_argument("--out", required=True, help=Phrase("help_options.draws_out"))
    p.add_argument("--draw-id", default=None, help=Phrase("help_options.draw_id"))
    p.add_argument("--team-size", type=int, default=2, help=Phrase("help_options.team_size"))
    add_lang(p, "lang_headers")


def add_commit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "commit",
        help=Phrase("help.commit"),
        description=Phrase("help.commit_about"),
    )
    _add_draw_inputs(p)
    p.set_defaults(func=drawing.commit)


def add_draw(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draw",
        help=Phrase("help.draw"),
        description=Phrase("help.draw_about"),
    )
    _add_draw_inputs(p)
    p.add_argument("--seed", required=True, help=Phrase("help_options.draw_seed"))
    p.add_argument(
        "--uncommitted",
        action="store_true",
        help=Phrase("help_options.draw_uncommitted"),
    )
    p.add_argument(
        "--stringency",
        default=None,
        metavar="FILE",
        help=Phrase("help_options.draw_stringency"),
    )
    p.set_defaults(func=drawing.draw)


def add_plan(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help=Phrase("help.plan"),
        description=Phrase("help.plan_about"),
    )
    _add_policy_inputs(p)
    p.add_argument("--reps", type=int, default=200, help=Phrase("help_options.plan_reps"))
    p.add_argument(
        "--frontier",
        action="store_true",
        help=Phrase("help_options.plan_frontier"),
    )
    p.add_argument("--frontier-reps", type=int, default=100, help=Phrase("help_options.plan_frontier_reps"))
    p.add_argument("--out", default=None, metavar="DIR", help=Phrase("help_options.plan_out"))
    add_lang(p, "lang_plan")
    p.set_defaults(func=drawing.plan)


def add_verify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        help=Phrase("help.verify"),
        description=Phrase("help.verify_about"),
    )
    p.add_argument("draw_folder", help=Phrase("help_options.verify_draw_folder"))
    p.add_argument("--data", required=True, help=Phrase("help_options.verify_data"))
    p.add_argument("--commitment", required=True, metavar="HASH", help=Phrase("help_options.verify_commitment"))
    p.add_argument("--seed", required=True, help=Phrase("help_options.verify_seed"))
    add_lang(p, "lang_verdict")
    p.set_defaults(func=drawing.verify)


def add_publish(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help=Phrase("help.publish"),
        description=Phrase("help.publish_about"),
    )
    p.add_argument("draw_folder", metavar="DRAW", help=Phrase("help_options.publish_draw"))
    p.add_argument("--data", required=True, help=Phrase("help_options.publish_data"))
    p.add_argument("--out", required=True, metavar="FILE", help=Phrase("help_options.publish_out"))
    p.add_argument("--on", default=None, metavar="DATE", help=Phrase("help_options.publish_on"))
    p.add_argument(
        "--holidays",
        default=None,
        metavar="FILE",
        help=Phrase("help_options.publish_holidays"),
    )
    add_lang(p, "lang_publish", default=None)
    p.set_defaults(func=drawing.publish)
