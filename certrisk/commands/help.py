"""The help of the command line: each command's examples, its defaults shown, its arguments named as typed.

:func:`finish_help` is applied to the parser once every subcommand is added:
every subcommand gets an epilog of example command lines (:data:`EXAMPLES`,
each one a command line the parser accepts, checked by a test), a formatter
that appends ``(default: X)`` to an option whose help does not already say its
default, and its positional arguments named in capitals (``DATA``, not
``data``), so that argparse's own errors name what the user typed. Nothing
here imports a library: ``certrisk --help`` stays as fast as Python's start.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="certrisk", formatter_class=HelpFormatter)
>>> _ = parser.add_argument("--seed", type=int, default=7, help="random seed")
>>> _ = parser.add_argument("--scale", type=float, default=1.0, help="scale (default 1)")
>>> " ".join(parser.format_help().split()[-11:])
'--seed SEED random seed (default: 7) --scale SCALE scale (default 1)'
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

__all__ = ["EXAMPLES", "HelpFormatter", "epilog", "finish_help"]

_HEADS = ("Example:", "Examples:")

#: Example command lines of every subcommand (shown in its ``--help``; the first one in the README's style).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "generate": ("certrisk generate --out sim --scale 0.1 --seed 7",),
    "validate": ("certrisk validate sim/data --as-of 2026-10-01", "certrisk validate broken --lang zh"),
    "features": ("certrisk features sim/data --as-of 2026-10-01 --out out/features.parquet",),
    "profile": ("certrisk profile sim/data CB00026 --as-of 2026-10-01 --lang zh",),
    "train": (
        "certrisk train sim/data --as-of 2026-10-01",
        "certrisk train sim/data --as-of 2026-10-01 --tracking-uri sqlite:///mlflow.db --out runs/2026q4",
    ),
    "grade": ("certrisk grade sim/data --as-of 2026-10-01 --out grades.csv --lang zh",),
    "stringency": ("certrisk stringency sim/data --as-of 2026-10-01 --out stringency",),
    "score": ("certrisk score sim/data --as-of 2026-10-01 --inspections planned.csv --out scored.csv",),
    "commit": ("certrisk commit sim/data --grades grades.csv --budget 75 --out draws",),
    "draw": (
        'certrisk draw sim/data --grades grades.csv --budget 75 --out draws --seed "2026-12-01 lottery 07 19 23"',
    ),
    "plan": ("certrisk plan sim/data --grades grades.csv --budget 75 --frontier --out plan --lang zh",),
    "verify": (
        'certrisk verify draws/D20261001-dae5874e --data sim/data --commitment HASH --seed "2026-12-01 lottery 07 19 23"',
    ),
    "publish": ("certrisk publish draws/D20261001-dae5874e --data next/data --on 2026-12-15 --out results.csv",),
    "estimate": (
        "certrisk estimate next/data --as-of 2027-01-01 --since 2026-10-01 --grades grades.csv --draws draws "
        "--out estimates.csv",
    ),
    "monitor": (
        "certrisk monitor sim/data --as-of 2026-10-01 --grades grades.csv --out monitor-2026q4",
        "certrisk monitor sim/data --as-of 2027-01-01 --grades grades.csv --previous monitor-2026q4 "
        "--dispositions dispositions.csv --out monitor-2027q1",
    ),
    "report": (
        "certrisk report demo-output/training --draw demo-output/draws/D20261001-dae5874e "
        "--estimates demo-output/estimates.csv --out report.html --lang zh",
    ),
    "demo": ("certrisk demo --out demo-output", "certrisk demo --out demo-small --scale 0.1 --lang zh"),
}
TOP_EXAMPLES = ("certrisk demo --out demo-small --scale 0.1", "certrisk COMMAND --help")


def epilog(lines: tuple[str, ...]) -> str:
    """The epilog of a help: ``Example:`` (or ``Examples:``) and the command lines, kept as written.

    >>> print(epilog(("certrisk demo --out d",)))
    Example:
      certrisk demo --out d
    """
    return "\n".join([_HEADS[len(lines) > 1], *(f"  {line}" for line in lines)])


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with every option's default said and the examples kept line by line.

    An option whose help does not mention its default gets ``(default: X)``;
    a flag (on when given, off otherwise) and an option without a default
    (``None``) get nothing. The description is wrapped as usual; the examples
    are not (a command line must be read, and copied, as one line).
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if default is None or default is argparse.SUPPRESS or isinstance(default, bool) or action.nargs == 0:
            return text
        if "default" in text.lower():
            return text
        return f"{text} (default: %(default)s)"

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(_HEADS):
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def _capital_positionals(parser: argparse.ArgumentParser) -> None:
    """Positional arguments named in capitals in the usage and in argparse's errors (``DATA``, not ``data``)."""
    for action in parser._actions:
        if not action.option_strings and action.metavar is None and action.nargs != argparse.PARSER:
            action.metavar = action.dest.upper()


def _dates_named(parser: argparse.ArgumentParser) -> None:
    """Options taking a date show ``DATE`` as their value (``--as-of DATE``, not ``--as-of AS_OF``)."""
    for action in parser._actions:
        if action.metavar is None and set(action.option_strings) & {"--as-of", "--since", "--on"}:
            action.metavar = "DATE"


def finish_help(parser: argparse.ArgumentParser, commands: Mapping[str, argparse.ArgumentParser]) -> None:
    """Give ``parser`` and every subcommand in ``commands`` the formatter, the examples and capital positionals."""
    parser.formatter_class = HelpFormatter
    parser.epilog = epilog(TOP_EXAMPLES)
    for name, sub in commands.items():
        sub.formatter_class = HelpFormatter
        if name in EXAMPLES:
            sub.epilog = epilog(EXAMPLES[name])
        _capital_positionals(sub)
        _dates_named(sub)
