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
from .catalogue import Joined, Phrase, say
from .commands import drawing_parsers, model_parsers
from .commands.choices import LANGUAGES, add_lang  # noqa: F401 - LANGUAGES re-exported for the tests
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
    p.add_argument("out_alias", nargs="?", default=None, metavar="OUT", help=Phrase("help_options.out_alias"))


def _add_generate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate",
        help=Phrase("help.generate"),
        description=Phrase("help.generate_about"),
    )
    p.add_argument("--out", default=None, metavar="DIR", help=Phrase("help_options.generate_out"))
    _add_out_alias(p)
    p.add_argument("--scale", type=float, default=1.0, help=Phrase("help_options.generate_scale"))
    p.add_argument("--seed", type=int, default=20240101, help=Phrase("help_options.seed_random"))
    add_lang(p, "lang_printed")
    p.set_defaults(func=commands.generate)


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help=Phrase("help.validate"),
        description=Phrase("help.validate_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_tables"))
    p.add_argument("--as-of", default=None, help=Phrase("help_options.validate_as_of"))
    add_lang(p, "lang_report")
    p.set_defaults(func=commands.validate)


def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help=Phrase("help.demo"),
        description=Phrase("help.demo_about"),
    )
    p.add_argument("--out", default=None, metavar="DIR", help=Phrase("help_options.demo_out"))
    _add_out_alias(p)
    p.add_argument("--scale", type=float, default=1.0, help=Phrase("help_options.demo_scale"))
    p.add_argument("--seed", type=int, default=20240101, help=Phrase("help_options.seed_random"))
    add_lang(p, "lang_labels")
    p.set_defaults(func=commands.demo)


def _add_features(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "features",
        help=Phrase("help.features"),
        description=Phrase("help.features_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.as_of_ignored"))
    p.add_argument("--out", required=True, help=Phrase("help_options.out_table"))
    add_lang(p, "lang_features")
    p.set_defaults(func=commands.features)


def _positionals_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let an optional positional (``nargs="?"``) come after the options, as in ``profile DATA --as-of D BODY``.

    Python before 3.12.7 gives an optional positional nothing when an option
    separates it from the one before, and then calls its value unrecognised
    (cpython issue 59317); the intermixed parse reads the options first. It
    keeps the usage while it parses by cutting ``usage: `` (7 characters) off
    the formatted one, which would cut the program's name under another
    language: the usage is kept here, from the program's name on.
    """
    plain = parser.parse_known_args

    def parse(args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None) -> object:
        setattr(parser, "parse_known_args", plain)  # noqa: B010 - the intermixed parse calls it twice itself
        kept = parser.usage
        if kept is None:
            usage = parser.format_usage()
            parser.usage = usage[usage.index(parser.prog) :]
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            parser.usage = kept
            setattr(parser, "parse_known_args", parse)  # noqa: B010

    setattr(parser, "parse_known_args", parse)  # noqa: B010 - what the subcommands' action calls


def _add_profile(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profile",
        help=Phrase("help.profile"),
        description=Phrase("help.profile_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("body_id", nargs="?", default=None, help=Phrase("help_options.profile_body"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.as_of_ignored"))
    add_lang(p, "lang_labels")
    p.add_argument(
        "--html",
        default=None,
        metavar="FILE|DIR",
        help=Phrase("help_options.profile_html"),
    )
    p.add_argument("--draw", default=None, metavar="DRAW", help=Phrase("help_options.profile_draw"))
    p.add_argument(
        "--grades",
        default=None,
        metavar="FILE",
        help=Phrase("help_options.profile_grades"),
    )
    p.set_defaults(func=commands.profile)
    _positionals_anywhere(p)


def _add_monitor(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "monitor",
        help=Phrase("help.monitor"),
        description=Phrase("help.monitor_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", required=True, help=Phrase("help_options.monitor_as_of"))
    p.add_argument("--out", required=True, metavar="DIR", help=Phrase("help_options.out_folder_made"))
    p.add_argument("--previous", default=None, metavar="DIR", help=Phrase("help_options.monitor_previous"))
    p.add_argument(
        "--dispositions",
        default=None,
        metavar="FILE",
        help=Phrase("help_options.monitor_dispositions"),
    )
    p.add_argument("--rules", default=None, metavar="FILE", help=Phrase("help_options.monitor_rules"))
    p.add_argument("--grades", default=None, metavar="FILE", help=Phrase("help_options.monitor_grades"))
    add_lang(p, "lang_monitor")
    p.set_defaults(func=commands.monitor)


def _add_estimate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "estimate",
        help=Phrase("help.estimate"),
        description=Phrase("help.estimate_about"),
    )
    p.add_argument("data", help=Phrase("help_options.data_dir"))
    p.add_argument("--as-of", default=None, help=Phrase("help_options.estimate_as_of"))
    p.add_argument("--since", default=None, help=Phrase("help_options.estimate_since"))
    p.add_argument("--grades", default=None, help=Phrase("help_options.estimate_grades"))
    p.add_argument(
        "--draws",
        default=None,
        metavar="DIR",
        help=Phrase("help_options.estimate_draws"),
    )
    p.add_argument("--out", required=True, help=Phrase("help_options.out_table"))
    add_lang(p, "lang_printed")
    p.set_defaults(func=commands.estimate)


def _report_formats() -> Joined:
    """The report's formats as the help of ``--out`` names them: ``.md (Markdown) or .html (HTML)``."""
    shown = [
        Phrase("help_options.report_format", ext=ext, name=FORMAT_NAMES[fmt]) for ext, fmt in REPORT_FORMATS.items()
    ]
    return Joined(shown, Phrase("help_options.or"))


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
        help=Phrase("help.report"),
        description=Phrase("help.report_about"),
    )
    p.add_argument("training_dir", help=Phrase("help_options.report_training_dir"))
    p.add_argument("--draw", default=None, metavar="DRAW_FOLDER", help=Phrase("help_options.report_draw"))
    p.add_argument("--estimates", default=None, metavar="FILE", help=Phrase("help_options.report_estimates"))
    p.add_argument(
        "--stringency",
        default=None,
        metavar="FILE",
        help=Phrase("help_options.report_stringency"),
    )
    p.add_argument(
        "--monitor",
        default=None,
        metavar="DIR",
        help=Phrase("help_options.report_monitor"),
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=Phrase("help_options.report_out", formats=_report_formats()),
    )
    add_lang(p, "lang_report_out")
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
        description=Phrase("help.certrisk"),
    )
    parser.add_argument("--version", action="version", version=f"certrisk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for build in PARSER_BUILDERS:
        build(sub)
    finish_help(parser, sub.choices, lang)
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


def _outputs_apart_from_inputs(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """No output of the command may be one of its inputs or lie inside an input folder (before any work)."""
    from .outputs import check_apart

    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    actions = commands.choices[args.command]._actions
    names = {a.dest: a.option_strings[0] if a.option_strings else str(a.metavar or a.dest.upper()) for a in actions}
    check_apart(vars(args), names)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    early = language_of(words)  # argparse's own mistakes are said before there are arguments to read it from
    parser = build_parser(early)
    args = parser.parse_args(words)
    lang = getattr(args, "lang", None) or early
    try:
        _outputs_apart_from_inputs(parser, args)
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
