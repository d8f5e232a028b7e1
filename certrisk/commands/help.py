"""The help of the command line: each command's examples, its defaults shown, its arguments named as typed,
all of it in the language of ``--lang``.

:func:`finish_help` is applied to the parser once every subcommand is added:
every subcommand gets an epilog of example command lines (:data:`EXAMPLES`,
each one a command line the parser accepts, checked by a test), a formatter
that appends ``(default: X)`` to an option whose help does not already say its
default, and its positional arguments named in capitals (``DATA``, not
``data``), so that argparse's own errors name what the user typed. The parsers
give their texts as :class:`~certrisk.catalogue.Phrase` (keys of the areas
``help`` and ``help_options``, English as their ``str``); :func:`finish_help`
says each one in the language asked, and under ``zh`` argparse's own words too
(``usage:``, the headings, ``-h``'s and ``--version``'s help), with a formatter
that wraps by the columns a Chinese character takes. Nothing here imports a
library: ``certrisk --help`` stays as fast as Python's start.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="certrisk", formatter_class=HelpFormatter)
>>> _ = parser.add_argument("--seed", type=int, default=7, help="random seed")
>>> _ = parser.add_argument("--scale", type=float, default=1.0, help="scale (default 1)")
>>> " ".join(parser.format_help().split()[-11:])
'--seed SEED random seed (default: 7) --scale SCALE scale (default 1)'
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from typing import Any

from ..catalogue import Words, say
from ..terminal import width as columns

__all__ = ["EXAMPLES", "ChineseHelpFormatter", "HelpFormatter", "epilog", "finish_help", "wrap_columns"]

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


def epilog(lines: tuple[str, ...], lang: str = "en") -> str:
    """The epilog of a help: ``Example:`` (or ``Examples:``) in ``lang`` and the command lines, kept as written.

    >>> print(epilog(("certrisk demo --out d",)))
    Example:
      certrisk demo --out d
    >>> print(epilog(("certrisk demo --out d",), "zh"))
    示例：
      certrisk demo --out d
    """
    head = say(lang, "help.examples" if len(lines) > 1 else "help.example")
    return "\n".join([head, *(f"  {line}" for line in lines)])


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with every option's default said and the examples kept line by line.

    An option whose help does not mention its default gets ``(default: X)``;
    a flag (on when given, off otherwise) and an option without a default
    (``None``) get nothing. The description is wrapped as usual; the examples
    are not (a command line must be read, and copied, as one line).
    """

    lang = "en"

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if default is None or default is argparse.SUPPRESS or isinstance(default, bool) or action.nargs == 0:
            return text
        if say(self.lang, "help.default_said") in text.lower():
            return text
        return say(self.lang, "help.with_default", text=text)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith((say(self.lang, "help.example"), say(self.lang, "help.examples"))):
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


class ChineseHelpFormatter(HelpFormatter):
    """The formatter of ``--lang zh``: argparse's own words in Chinese (the usage's prefix, the headings with a
    full-width colon), and text wrapped by the columns it takes (:func:`wrap_columns`), not by its characters."""

    lang = "zh"

    class _Section(argparse.HelpFormatter._Section):  # a heading ends in "：", not ":"
        def format_help(self) -> str:
            text: str = super().format_help()
            if not isinstance(self.heading, str) or self.heading == argparse.SUPPRESS:
                return text
            return text.replace(f"{self.heading}:\n", say("zh", "help.heading", title=self.heading) + "\n", 1)

    def _format_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None
    ) -> str:
        """The usage after ``用法：``, its continuation lines indented by the columns the prefix takes."""
        prefix = say(self.lang, "help.usage") if prefix is None else prefix
        if usage is not None:  # given whole, already wrapped (kept so while intermixed arguments are parsed)
            return super()._format_usage(usage, actions, groups, prefix)
        extra = columns(prefix) - len(prefix)
        self._width -= extra
        try:
            text: str = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line else line for line in rest)])

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(say(self.lang, "help.example")):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_columns(text, width - len(indent)))


FORMATTERS: dict[str, type[HelpFormatter]] = {"en": HelpFormatter, "zh": ChineseHelpFormatter}
_CLOSING = frozenset("，。；：、）」』》！？")  # never at the start of a line
_OPENING = frozenset("（「『《")  # never at the end of a line


def _tokens(text: str) -> list[str]:
    """``text`` in pieces a line may break between: a word of narrow characters, one wide character, a space;
    closing punctuation kept with what it closes, opening punctuation with what it opens."""
    pieces: list[str] = []
    for char in " ".join(text.split()):
        last = pieces[-1] if pieces and pieces[-1] != " " else ""
        if char == " ":
            pieces.append(char)
        elif last and (char in _CLOSING or last[-1] in _OPENING or columns(last[-1]) == columns(char) == 1):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (a CJK character takes two), broken at a space or
    between two characters of Chinese, never before a closing or after an opening punctuation mark; a word longer
    than the line stands alone.

    >>> wrap_columns("抽查目录 OUT/<draw_id>：每个抽中机构一页", 16)
    ['抽查目录', 'OUT/<draw_id>：', '每个抽中机构一页']
    >>> wrap_columns("一二三四，五", 8)  # the comma stays with the character before it
    ['一二三', '四，五']
    """
    lines: list[str] = []
    line = ""
    for piece in _tokens(text):
        if piece == " " and not line:
            continue
        if line.strip() and piece != " " and columns(line + piece) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


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


def _said(text: str | None, lang: str) -> str | None:
    """A text of the catalogue in ``lang`` (its ``str`` is the English), as a plain ``str``."""
    if not isinstance(text, Words):
        return text
    return str(text) if lang == "en" else text.in_language(lang)


def _say_in(parser: argparse.ArgumentParser, lang: str) -> None:
    """Every text of ``parser`` given as a phrase of the catalogue said in ``lang``; under another language than
    English, argparse's own headings and the help of ``-h`` and ``--version`` too (in English they stay argparse's)."""
    parser.description = _said(parser.description, lang)
    for action in parser._actions:
        action.help = _said(action.help, lang)
        for choice in getattr(action, "_choices_actions", ()):  # the commands in the list of the top-level help
            choice.help = _said(choice.help, lang)
    if lang == "en":
        return
    parser._positionals.title = say(lang, "help.positionals")
    parser._optionals.title = say(lang, "help.optionals")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = say(lang, "help.help")
        elif isinstance(action, argparse._VersionAction):
            action.help = say(lang, "help.version")


def finish_help(
    parser: argparse.ArgumentParser, commands: Mapping[str, argparse.ArgumentParser], lang: str = "en"
) -> None:
    """Give ``parser`` and every subcommand in ``commands`` the formatter, the examples and capital positionals,
    every text in ``lang``."""
    formatter = FORMATTERS[lang]
    parser.formatter_class = formatter
    parser.epilog = epilog(TOP_EXAMPLES, lang)
    for name, sub in commands.items():
        sub.formatter_class = formatter
        if name in EXAMPLES:
            sub.epilog = epilog(EXAMPLES[name], lang)
        _capital_positionals(sub)
        _dates_named(sub)
    for each in (parser, *commands.values()):
        _say_in(each, lang)
