"""The language of a command line's messages, known before its arguments are parsed, and argparse's mistakes in it.

argparse refuses a command line before any command runs, so the language
of its sentence cannot come from the parsed arguments: :func:`language_of`
reads ``--lang`` from the words typed. :func:`usage_message` says argparse's
sentence in that language (the templates of :mod:`certrisk.catalogue.cli`,
whose English is argparse's own); the option names and values stay as typed.
Nothing here imports a library.

>>> language_of(["validate", "data", "--lang", "zh"]), language_of(["demo", "--lang=fr"])
('zh', 'en')
>>> print(usage_message("zh", "certrisk train", "argument --seed: invalid int value: '1.5'"))
certrisk train：参数 --seed：'1.5' 不是有效的整数（参见 certrisk train --help）。
"""

from __future__ import annotations

from collections.abc import Sequence

from ..catalogue import Phrase, Words, area, match, say
from ..catalogue.cli import ARGPARSE
from .choices import LANGUAGES

__all__ = ["argparse_in", "language_of", "os_reason", "usage_message"]

#: The errors of the operating system the catalogue says in words (``errors.errno_<NAME>``); others stay English.
ERRNO_NAMES = ("EACCES", "EPERM", "ENOSPC", "EROFS", "ENOENT", "EEXIST", "EISDIR", "ENOTDIR", "EDQUOT", "EIO")
_TYPES = {"int": "cli.type_int", "float": "cli.type_float", "str": "cli.type_str"}


def language_of(argv: Sequence[str]) -> str:
    """The language ``--lang`` asks for in ``argv`` (its last mention, as argparse keeps it), ``en`` if none or
    not a language of the engine. An abbreviation argparse accepts (``--la zh``) counts; nothing after ``--``."""
    lang = "en"
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--":
            break
        option, equals, value = word.partition("=")
        if len(option) < 4 or not "--lang".startswith(option):
            continue
        if not equals:
            value = words[i + 1] if i + 1 < len(words) else ""
        lang = value if value in LANGUAGES else "en"
    return lang


def _sentence(lang: str, message: str) -> str | None:
    english = area("cli")["en"]
    for key in ARGPARSE:
        fields = match(english[key], message)
        if fields is not None:
            if "type" in fields and fields["type"] in _TYPES:
                fields["type"] = Phrase(_TYPES[fields["type"]])
            return say(lang, f"cli.{key}", **fields)
    return None


def argparse_in(lang: str, message: str) -> str:
    """argparse's ``message`` in ``lang``; one no template knows after the headline ``cli.unknown``.

    >>> argparse_in("zh", "the following arguments are required: --out")
    '缺少必需的参数：--out'
    >>> argparse_in("zh", "argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')")
    "参数 --lang：无效的取值 'fr'（可选：'en', 'zh'）"
    """
    if lang == "en":
        return message
    found = _sentence(lang, message)
    if found is not None:
        return found
    parts = match(area("cli")["en"]["argument"], message)
    inner = _sentence(lang, parts["message"]) if parts is not None else None
    if parts is not None and inner is not None:
        return say(lang, "cli.argument", argument=parts["argument"], message=inner)
    return say(lang, "cli.unknown", message=message)


def usage_message(lang: str, prog: str, message: str) -> str:
    """The line a refused command line ends with: the command, argparse's sentence in ``lang``, where to read more."""
    return say(
        lang, "cli.usage_error", prog=prog, message=argparse_in(lang, message), see=Phrase("cli.see_help", prog=prog)
    )


class _Reason(Words):
    """The operating system's reason: its own English words (lower case), or the catalogue's where it has them."""

    key: str | None

    def __new__(cls, english: str, key: str | None) -> _Reason:
        self = super().__new__(cls, english)
        self.key = key
        return self

    def in_language(self, lang: str) -> str:
        return str(self) if lang == "en" or self.key is None else say(lang, self.key)


def os_reason(number: int, strerror: str) -> Words:
    """Why the operating system refused (``errno``, its ``strerror``), in words that can be said in another language.

    >>> import errno
    >>> os_reason(errno.ENOSPC, "No space left on device").in_language("zh")
    '磁盘空间不足'
    """
    import errno

    name = errno.errorcode.get(number, "")
    english = strerror[:1].lower() + strerror[1:]
    return _Reason(english, f"errors.errno_{name}" if name in ERRNO_NAMES else None)
