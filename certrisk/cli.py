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
from .catalogue import Phrase, say
from .commands import drawing_parsers, model_parsers
from .commands.choices import LANGUAGES, PRINTED
from .commands.help import finish_help
from .commands.mistakes import language_of, os_reason, usage_message
from .errors import UsageError, said_in
from .report.formats import REPORT_FORMATS

FORMAT_NAMES = {"markdown": "Markdown", "html": "HTML"}


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
    model_parsers.add_train,
    model_parsers.add_grade,
    model_parsers.add_stringency,
    model_parsers.add_score,
    drawing_parsers.add_commit,
    drawing_parsers.add_draw,
    drawing_parsers.add_plan,
    drawing_parsers.add_verify,
    drawing_parsers.add_publish,
    _add_estimate,
    _add_monitor,
    add_report_parser,
    _add_demo,
]


class CommandLineParser(argparse.ArgumentParser):
    """``argparse`` that reports a usage mistake (a missing option, a value of the wrong type, an unknown
    command) in one sentence on stderr with exit code 1, like every other mistake, not argparse's exit 2;
    in the language ``lang`` (read from the command line before it is parsed, :func:`language_of`)."""

    lang = "en"

    def error(self, message: str) -> NoReturn:
        self.exit(1, usage_message(self.lang, self.prog, message) + "\n")


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The parser of every subcommand; its mistakes said in ``lang``."""
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
    for each in (parser, *sub.choices.values()):
        if isinstance(each, CommandLineParser):
            each.lang = lang
    return parser


def os_error_message(exc: OSError, lang: str = "en") -> str:
    """An error of the operating system (no permission, disk full, read-only file system) as one sentence.

    >>> os_error_message(PermissionError(13, "Permission denied", "out/grades.csv"))
    'out/grades.csv: permission denied; the command stopped and wrote none of its output files.'
    >>> os_error_message(PermissionError(13, "Permission denied", "out/grades.csv"), "zh")
    'out/grades.csv：权限不足；命令已停止，未写入任何输出文件。'
    >>> os_error_message(FileExistsError("draws/D1 already exists; it is never replaced."))
    'draws/D1 already exists; it is never replaced.'
    """
    if exc.errno is None or not exc.strerror:  # raised with a sentence of ours, or a library's
        return said_in(lang, exc)
    where = Phrase("errors.os_where", path=exc.filename) if exc.filename else ""
    reason = os_reason(exc.errno, exc.strerror)
    return say(lang, "errors.os_error", where=where, reason=reason)


def _message(exc: BaseException, lang: str) -> str:
    """A user's error in ``lang``: a data contract's report, a sentence of the catalogue, or a library's."""
    if hasattr(exc, "report") and isinstance(exc, tuple(_loaded("features.report", "DataContractError"))):
        return str(exc.report(lang))
    return os_error_message(exc, lang) if isinstance(exc, OSError) else said_in(lang, exc)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    early = language_of(words)  # argparse's own mistakes are said before there are arguments to read it from
    parser = build_parser(early)
    args = parser.parse_args(words)
    lang = getattr(args, "lang", None) or early
    try:
        return int(args.func(args) or 0)
    except user_errors() as exc:
        message = _message(exc, lang)
        failed = say(lang, "cli.failed", command=args.command, message=message)
        print(failed if "\n" not in message else message, file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # the outputs are atomic: a failed write leaves nothing behind
        print(say(lang, "cli.failed", command=args.command, message=os_error_message(exc, lang)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(say(lang, "cli.interrupted"), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
