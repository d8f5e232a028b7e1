"""The ``certrisk`` console command: a thin layer over the libraries.

Every subcommand parses its arguments, calls library functions and prints
plain messages. A user's mistake (bad data, bad argument) ends with one
readable report on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from . import __version__, commands
from .commands.help import finish_help
from .errors import UsageError
from .report.formats import REPORT_FORMATS

FORMAT_NAMES = {"markdown": "Markdown", "html": "HTML"}

LANGUAGES = ("en", "zh")  # mirrors features.codes.LANGUAGES (pinned by a test): --help must not import features


def _loaded(module: str, name: str) -> list[type[BaseException]]:
    """The exception class ``module.name`` if its module was imported (else nothing of it can have been raised)."""
    found = sys.modules.get(module)
    return [getattr(found, name)] if found is not None else []


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the user's to fix: reported in words, exit code 1.

    Only the classes whose modules a command imported are named, so that a mistake
    found before any library is loaded (an option) is reported without loading one.
    """
    own = _loaded("features.report", "DataContractError") + _loaded("certrisk.draw.config", "DrawError")
    return (*own, UsageError, FileNotFoundError, FileExistsError)


PRINTED = "language of the messages it prints"


def _add_out_alias(p: argparse.ArgumentParser) -> None:
    """The output folder as a positional argument, as it was before --out: kept for old scripts, said deprecated."""
    p.add_argument("out_alias", nargs="?", default=None, metavar="OUT", help="deprecated: the same as --out OUT")


def _add_generate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate",
        help="write a synthetic national data set (data and ground truth)",
        description="Simulate a national data set: DIR/data is a data directory "
        "that follows the data contract, DIR/truth the ground truth (never read by the engine).",
    )
    p.add_argument("--out", default=None, metavar="DIR", help="output folder (must not exist yet, or be empty)")
    _add_out_alias(p)
    p.add_argument(
        "--scale", type=float, default=1.0, help="size relative to the national system (0.001 .. 10; default 1)"
    )
    p.add_argument("--seed", type=int, default=20240101, help="random seed (default 20240101)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help=PRINTED)
    p.set_defaults(func=commands.generate)


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check a data directory against the data contract",
        description="Validate every table of a data directory and the links between them. "
        "Exit 0 when it conforms, 1 with a report of every problem otherwise.",
    )
    p.add_argument("data", help="data directory (Parquet or CSV tables)")
    p.add_argument("--as-of", default=None, help="no record may be dated after this date (default: today)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the report")
    p.set_defaults(func=commands.validate)


def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="run a whole quarter on embedded synthetic data",
        description="Generate a national synthetic data set, validate it, and run the quarter; "
        "then print where everything went.",
    )
    p.add_argument("--out", default=None, metavar="DIR", help="output folder, new or empty (default demo-output)")
    _add_out_alias(p)
    p.add_argument("--scale", type=float, default=1.0, help="synthetic scale, 0.001 .. 10 (default 1)")
    p.add_argument("--seed", type=int, default=20240101, help="random seed (default 20240101)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of labels")
    p.set_defaults(func=commands.demo)


def _add_features(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "features",
        help="build the point-in-time feature table",
        description="Build one row of features per body, using only records dated before --as-of. "
        "Writes FILE (.parquet, .csv or .xlsx), FILE's feature dictionary and a run record beside it.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD; records on or after it are ignored")
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default="en",
        help="language of the messages it prints (the columns are names; the dictionary has both languages)",
    )
    p.set_defaults(func=commands.features)


def _positionals_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let an optional positional (``nargs="?"``) come after the options, as in ``profile DATA --as-of D BODY``.

    Python before 3.12.7 gives an optional positional nothing when an option
    separates it from the one before, and then calls its value unrecognised
    (cpython issue 59317); the intermixed parse reads the options first.
    """
    plain = parser.parse_known_args

    def parse(args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None) -> object:
        setattr(parser, "parse_known_args", plain)  # noqa: B010 - the intermixed parse calls it twice itself
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            setattr(parser, "parse_known_args", parse)  # noqa: B010

    setattr(parser, "parse_known_args", parse)  # noqa: B010 - what the subcommands' action calls


def _add_profile(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profile",
        help="panoramic profile of one body or of every drawn body (全景画像)",
        description="Show one body's features beside the population's percentiles, abnormal values first. "
        "With --html FILE, write it as a self-contained HTML page: the features beside the peers' distribution as "
        "small plots, the inspections and signals before --as-of as a timeline, and the grade with its reasons "
        "from --grades. With --draw DRAW and --html DIR, write one page per drawn body and index.html. "
        "The pages are internal (they show risk grades): not for publication.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("body_id", nargs="?", default=None, help="the body to profile (or --draw for every drawn body)")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD; records on or after it are ignored")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of labels")
    p.add_argument(
        "--html",
        default=None,
        metavar="FILE|DIR",
        help="write the page to FILE (.html) for BODY_ID, or the pages and index.html to DIR (new or empty) with "
        "--draw (default: print the profile)",
    )
    p.add_argument("--draw", default=None, metavar="DRAW", help="the draw folder OUT/<draw_id>: a page per drawn body")
    p.add_argument(
        "--grades",
        default=None,
        metavar="FILE",
        help="the grades file of certrisk grade: each page shows the grade and its reasons (default: no grade shown)",
    )
    p.set_defaults(func=commands.profile)
    _positionals_anywhere(p)


def _add_tracking(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tracking-uri",
        default=None,
        help="MLflow tracking URI (default: sqlite:///mlflow.db in the working directory)",
    )


def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="quarterly retraining, tracked in MLflow",
        description="Retrain the plain logistic, the scorecard and the boosting model on past inspections before "
        "--as-of (random draws weighted by 1 / inclusion probability), evaluate them and the champion in force on one "
        "out-of-time window against baselines, choose the champion (captured share at the budget and AUC; a more "
        "complex model only when better beyond the paired-bootstrap noise; calibration as a gate), monitor drift and "
        "log everything to MLflow.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: train on inspections before it")
    p.add_argument("--out", default=None, help="run folder for figures and tables (default runs/train-<as-of>-<run>)")
    p.add_argument(
        "--budget-share",
        type=float,
        default=0.25,
        help="share of the evaluation weight whose captured serious findings rank the models (default 0.25)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of folds and bootstrap")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of figure labels")
    _add_tracking(p)
    p.set_defaults(func=commands.train)


def _add_grade(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grade",
        help="grade every body A-D with reasons, by the champion model",
        description="Load the model by alias (default champion), build features as of --as-of and write the grades "
        "table: calibrated probability, points, model grade, grade after overrides, the override rule, reasons.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD")
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument("--alias", default="champion", help="registry alias to load (default champion)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the reasons")
    p.add_argument(
        "--net-of-inspectors",
        action="store_true",
        help="grade by the body risk net of the inspector effect: the champion's log-odds shifted by what "
        "accounting for the inspectors changes in the body part (docs/riskmodel.md); adds inspector_shift",
    )
    _add_kinds(p)
    _add_tracking(p)
    p.set_defaults(func=commands.grade)


def _add_kinds(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kinds",
        choices=["random", "all"],
        default="random",
        help="inspections the stringency is estimated from: random draws only (default: their teams were drawn at "
        "random), or every kind adjusted for kind (only if targeted and complaint teams were not chosen for the body)",
    )


def _add_stringency(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stringency",
        help="inspector stringency: who finds more or less than expected (统一执法尺度)",
        description="Estimate every inspector's stringency from the inspections before --as-of, jointly with body "
        "risk: a penalised logistic regression on the body's point-in-time features plus the team (the mean of its "
        "members' effects), each inspector a random effect shrunk towards 0 (docs/riskmodel.md). Writes "
        "DIR/inspector_stringency.csv and .xlsx (stringency on the log-odds scale, 95 % interval, inspections, "
        "assessment in words) and a run record.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: use inspections before it")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (made if needed)")
    _add_kinds(p)
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the assessment column")
    p.set_defaults(func=commands.stringency)


def _add_score(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help="score planned inspections: P(serious) by the body alone and with its team",
        description="For each row of --inspections (body_id, inspected_on YYYY-MM-DD, inspector_ids ;-separated): "
        "p_serious_body, the champion's probability from the body's features as of the earlier of inspected_on and "
        "--as-of; team_effect, the mean stringency of the team's members from the inspections before --as-of (0 for an "
        "inspector without an estimate); p_serious_team, the two together on the log-odds scale. Writes FILE and a "
        "run record.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: what is known when the inspections are planned")
    p.add_argument(
        "--inspections", required=True, metavar="FILE", help="planned inspections (.csv UTF-8, .xlsx or .parquet)"
    )
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument("--alias", default="champion", help="registry alias to load (default champion)")
    _add_kinds(p)
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help=PRINTED)
    _add_tracking(p)
    p.set_defaults(func=commands.score)


def _add_monitor(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "monitor",
        help="risk monitoring and early warning: warning levels, responses, special-check lists (风险监测预警)",
        description="Judge every body as of --as-of against the rules (risk points and indicators, thresholds against "
        "peers or absolute, the model's score and its change), give each warning a level (blue, yellow, orange, red) "
        "with the reasons in words, mark it new, escalated, persisting, handled or cleared against --previous, "
        "recommend a response from the 三书一函 ladder or a special check, flag overdue ones, and write the lists "
        "(warnings, counts by province and level, special checks) with monitor.json to DIR.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: what is known on that day")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (made if needed)")
    p.add_argument(
        "--previous", default=None, metavar="DIR", help="output folder of the previous quarter's monitor run"
    )
    p.add_argument(
        "--dispositions",
        default=None,
        metavar="FILE",
        help="what was done about the previous warnings (docs/data-contract.md, dispositions); needs --previous",
    )
    p.add_argument("--rules", default=None, metavar="FILE", help="rules file (TOML; default: the rules that ship)")
    p.add_argument("--grades", default=None, metavar="FILE", help="grades file with p_serious (`certrisk grade`)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the lists (default en)")
    p.set_defaults(func=commands.monitor)


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


def _add_commit(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=commands.commit)


def _add_draw(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=commands.draw)


def _add_plan(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=commands.plan)


def _add_verify(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=commands.verify)


def _add_publish(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=commands.publish)


def _add_estimate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "estimate",
        help="population estimates from completed random inspections",
        description="Estimate the population's serious rate (overall, by grade, by province) and the share of problem "
        "certificates from random inspections weighted by 1 / inclusion probability (Hajek, pooled over draws), "
        "with standard errors and 95 % intervals; with --draws also the model-assisted (difference) estimates. "
        "Writes FILE and a run record.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", default=None, help="use inspections before this date (default: today)")
    p.add_argument(
        "--since", default=None, help="use inspections from this date (default: four quarters before --as-of)"
    )
    p.add_argument("--grades", default=None, help="grades file for the by-grade estimates (optional)")
    p.add_argument(
        "--draws",
        default=None,
        metavar="DIR",
        help="folder of the draws (the --out of certrisk draw; optional): the certificates each body held come "
        "from its draw's stage-2 frame, and every estimate gets a model-assisted (difference) row beside it, "
        "with the width of its interval relative to Hajek's (width_ratio)",
    )
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help=PRINTED)
    p.set_defaults(func=commands.estimate)


def add_report_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``report`` subcommand to ``subparsers`` (from ``ArgumentParser.add_subparsers``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="certrisk")
    >>> _ = add_report_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["report", "run", "--out", "r.md"])
    >>> args.func is commands.report_command, args.lang
    (True, 'en')
    """
    p = subparsers.add_parser(
        "report",
        help="write the quarterly report (Markdown or HTML) with its figures",
        description="Write the quarterly report from a training run folder: model comparison, calibration, lift, "
        "grades, PSI and grade migration; with --draw the draw's composition (bodies by grade and batch, "
        "inclusion probabilities, certificates); with --estimates the population estimates. FILE ending in .md "
        "gives Markdown, .html gives HTML; figures go into FILE_STEM_files/ next to it. Written atomically.",
    )
    p.add_argument("training_dir", help="training run folder (e.g. demo-output/training or runs/train-<as-of>-<run>)")
    p.add_argument("--draw", default=None, metavar="DRAW_FOLDER", help="draw folder OUT/<draw_id>/ to describe")
    p.add_argument("--estimates", default=None, metavar="FILE", help="population estimates CSV (certrisk estimate)")
    p.add_argument(
        "--stringency",
        default=None,
        metavar="FILE",
        help="inspector table CSV (certrisk stringency): adds the section on unifying enforcement standards (统一执法尺度)",
    )
    p.add_argument(
        "--monitor",
        default=None,
        metavar="DIR",
        help="monitor output folder (certrisk monitor): adds the section on risk monitoring and early warning (风险监测预警)",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=f"report file: {' or '.join(f'{ext} ({FORMAT_NAMES[fmt]})' for ext, fmt in REPORT_FORMATS.items())}",
    )
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of headings, tables and figures")
    p.set_defaults(func=commands.report_command)
    return p


PARSER_BUILDERS: list[Callable[[argparse._SubParsersAction], object]] = [
    _add_generate,
    _add_validate,
    _add_features,
    _add_profile,
    _add_train,
    _add_grade,
    _add_stringency,
    _add_score,
    _add_commit,
    _add_draw,
    _add_plan,
    _add_verify,
    _add_publish,
    _add_estimate,
    _add_monitor,
    add_report_parser,
    _add_demo,
]


class CommandLineParser(argparse.ArgumentParser):
    """``argparse`` that reports a usage mistake (a missing option, a value of the wrong type, an unknown
    command) in one sentence on stderr with exit code 1, like every other mistake, not argparse's exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message} (see {self.prog} --help).\n")


def build_parser() -> argparse.ArgumentParser:
    parser = CommandLineParser(
        prog="certrisk",
        description="Risk scoring and verifiable risk-weighted sampling for the "
        "supervision of certification bodies (双随机、一公开).",
    )
    parser.add_argument("--version", action="version", version=f"certrisk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for build in PARSER_BUILDERS:
        build(sub)
    finish_help(parser, sub.choices)
    return parser


def os_error_message(exc: OSError) -> str:
    """An error of the operating system (no permission, disk full, read-only file system) as one sentence.

    >>> os_error_message(PermissionError(13, "Permission denied", "out/grades.csv"))
    'out/grades.csv: permission denied; the command stopped and wrote none of its output files.'
    >>> os_error_message(FileExistsError("draws/D1 already exists; it is never replaced."))
    'draws/D1 already exists; it is never replaced.'
    """
    if exc.errno is None or not exc.strerror:  # raised with a sentence of ours
        return str(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    return (
        f"{where}{exc.strerror[0].lower()}{exc.strerror[1:]}; the command stopped and wrote none of its output files."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except user_errors() as exc:
        if hasattr(exc, "report") and isinstance(exc, tuple(_loaded("features.report", "DataContractError"))):
            message = exc.report(getattr(args, "lang", "en"))
        else:
            message = os_error_message(exc) if isinstance(exc, OSError) else str(exc)
        print(f"certrisk {args.command}: {message}" if "\n" not in message else message, file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # the outputs are atomic: a failed write leaves nothing behind
        print(f"certrisk {args.command}: {os_error_message(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
