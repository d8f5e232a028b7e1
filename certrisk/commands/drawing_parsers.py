"""The parsers of the draw subcommands: commit, draw, plan, verify, publish (what they do: :mod:`.drawing`)."""

from __future__ import annotations

import argparse

from . import drawing
from .choices import LANGUAGES

__all__ = ["add_commit", "add_draw", "add_plan", "add_verify", "add_publish"]


def _add_policy_inputs(p: argparse.ArgumentParser) -> None:
    """The inputs of a frame and its size policy, shared by commit, draw and plan."""
    p.add_argument("data", help="data directory")
    p.add_argument("--grades", required=True, help="grades file from `certrisk grade` (.parquet, .csv or .xlsx)")
    p.add_argument("--budget", required=True, type=int, help="number of bodies to draw")
    p.add_argument("--as-of", default=None, help="date YYYY-MM-DD (default: the grades' as-of date)")
    p.add_argument("--floor", type=float, default=0.02, help="minimum inclusion probability (default 0.02)")
    p.add_argument("--ccc-on-top", action="store_true", help="CCC certainties on top of the budget (default: inside)")
    p.add_argument("--undisturbed-a", action="store_true", help="grade A without events gets only the floor (无事不扰)")
    p.add_argument(
        "--certificate-weight",
        type=float,
        default=None,
        help="share of the size measure that follows the bodies' certificate volume, in [0, 1) "
        "(default: the size policy's, docs/sampling.md; 0 = risk only)",
    )


def _add_draw_inputs(p: argparse.ArgumentParser) -> None:
    _add_policy_inputs(p)
    p.add_argument("--out", required=True, help="folder of draws; the draw goes into OUT/<draw_id>/")
    p.add_argument("--draw-id", default=None, help="draw id (default D<as-of>-<first 8 hex of the frame SHA-256>)")
    p.add_argument("--team-size", type=int, default=2, help="inspectors per team (default 2)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of list headers")


def add_commit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "commit",
        help="freeze the frame, the settings and the inputs; print the commitment hash to publish before the seed",
        description="Build the frame (every body with its inclusion probability), check that every body that can be "
        "drawn can be given an inspector team whatever the seed, and write OUT/<draw_id>.commitment.json: the frame "
        "digest, the budget, the size policy, the stage-2 sizes, the team rules, the digest of every input table and "
        "of the grades, the software version and the time (UTC). Prints its SHA-256: publish it before the public "
        "seed is drawn. `certrisk draw` refuses anything that differs from it.",
    )
    _add_draw_inputs(p)
    p.set_defaults(func=drawing.commit)


def add_draw(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draw",
        help="draw bodies, certificates and inspector teams, verifiably",
        description="Stage 1: bodies by conditional Poisson sampling with the policy's inclusion probabilities "
        "(CCC-designated bodies certain); stage 2: certificates inside each drawn body; then inspector teams. "
        "All randomness comes from the frame's SHA-256 and the public --seed. Writes OUT/<draw_id>/ (never overwritten).",
    )
    _add_draw_inputs(p)
    p.add_argument("--seed", required=True, help="the public seed string, announced after the frame was committed")
    p.add_argument(
        "--uncommitted",
        action="store_true",
        help="draw without a commitment (an exercise only: the manifest and every list say so)",
    )
    p.add_argument(
        "--stringency",
        default=None,
        metavar="FILE",
        help="inspector table from `certrisk stringency`: the internal draw list adds each body's P(serious) with "
        "its drawn team (p_serious_team; never in the public list); the effects are kept in the draw folder",
    )
    p.set_defaults(func=drawing.draw)


def add_plan(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help="predict a design's yield and precision before the draw (precision planning)",
        description="Build the frame as commit and draw would (same grades, budget and size policy) and replicate "
        "the quarter under the model (outcomes from the grades' p_serious and the prior problem share): prints the "
        "expected serious findings, the certificates checked and the predicted half-width of every 95 % interval "
        "(overall, grades, provinces, problem certificates; Hajek beside model-assisted) and the domains expected to "
        "be suppressed or unstable. Nothing is drawn and nothing is committed (docs/planning.md).",
    )
    _add_policy_inputs(p)
    p.add_argument("--reps", type=int, default=200, help="replicated quarters of the plan (default 200)")
    p.add_argument(
        "--frontier",
        action="store_true",
        help="also the yield-precision frontier: the grade multipliers raised to the power 0, 0.5, 1, 1.5, 2",
    )
    p.add_argument(
        "--frontier-reps", type=int, default=100, help="replicated quarters per point of the frontier (default 100)"
    )
    p.add_argument(
        "--out", default=None, metavar="DIR", help="write DIR/plan.csv (and with --frontier frontier.csv, frontier.png)"
    )
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the summary and the figure")
    p.set_defaults(func=drawing.plan)


def add_verify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        help="check a draw folder against the published commitment and seed",
        description="Check the draw folder against the published commitment hash and public seed: the commitment "
        "record, the frame, the settings and every input table (by content, in any row order or file format) against "
        "the data, every file against the manifest (XLSX included, value by value against its CSV), and every manifest "
        "field and output against a re-run of the draw. Exit 0 if nothing differs, 1 with every difference.",
    )
    p.add_argument("draw_folder", help="the draw folder OUT/<draw_id>")
    p.add_argument("--data", required=True, help="the data directory the draw was made from")
    p.add_argument("--commitment", required=True, metavar="HASH", help="the commitment hash published before the seed")
    p.add_argument("--seed", required=True, help="the public seed as announced")
    p.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default="en",
        help="language of the verdict (the differences stay in English)",
    )
    p.set_defaults(func=drawing.verify)


def add_publish(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help="the public results of a draw's inspections (检查结果公示), late ones flagged, pending bodies listed",
        description="List the results of the inspections of a committed draw for publication (谁检查、谁录入、谁负责): "
        "one row per inspection whose draw_id is the draw's, and one per drawn body without a result yet (pending): "
        "body, inspection date, inspecting authority (the units of the record's inspectors, else of the team drawn), "
        "method, result in words, handling decision, date published, who entered it, and whether it is published "
        "within 20 working days of the inspection (Monday to Friday; holidays only from --holidays). No grade, score "
        "or probability. The draw folder and the data are checked first (commitment, public list, registry). Writes "
        "FILE.csv and FILE.xlsx (the one ends in .csv or .xlsx, the other beside it) and a run record.",
    )
    p.add_argument("draw_folder", metavar="DRAW", help="the draw folder OUT/<draw_id> of certrisk draw")
    p.add_argument("--data", required=True, help="the data directory holding the draw's inspections")
    p.add_argument("--out", required=True, metavar="FILE", help="the list: .csv or .xlsx (the other is written beside)")
    p.add_argument("--on", default=None, metavar="DATE", help="date published, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--holidays",
        default=None,
        metavar="FILE",
        help="public holidays not counted as working days: one date YYYY-MM-DD a line (default: none)",
    )
    p.add_argument("--lang", choices=list(LANGUAGES), default=None, help="language of the list (default: the draw's)")
    p.set_defaults(func=drawing.publish)
