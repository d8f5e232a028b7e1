"""One catalogue of every word the engine shows people, in English and Chinese.

Each module of this package is one area (``cli``, ``errors``, ``report``, ...)
and holds ``WORDS = {"en": {...}, "zh": {...}}``: the same keys in both
languages, each value a :meth:`str.format` template with the same
``{fields}``. A key is named with its area, ``"errors.out_suffix"``, so two
areas can never collide. There is one lookup, :func:`say`::

    say("zh", "errors.out_suffix", option="--out", allowed=".csv, .xlsx", got="x.txt")

A value that is the same in both languages (a unit, a symbol) is listed in
the area's ``NEUTRAL``; ``tests/test_catalogue.py`` walks the whole catalogue
(every key in both languages, the same fields, no Chinese value equal to its
English one unless neutral). The areas are imported on first use, so that
``certrisk --help`` loads only the two of the help (``help``, ``help_options``).

:func:`read_back` goes the other way, for the English sentences of the
libraries (which never import ``certrisk``): the area ``library`` holds their
sentences as templates, and a sentence that matches one is said again in the
language asked, its fields as written.

>>> say("zh", "cli.see_help", prog="certrisk validate")
'（参见 certrisk validate --help）'
>>> read_back("zh", "data directory sim/data does not exist.")
'数据目录 sim/data 不存在。'
>>> read_back("zh", "something no template knows") is None
True
"""

from __future__ import annotations

import functools
import importlib
import re
import string
from collections.abc import Iterable

__all__ = [
    "AREAS",
    "LANGUAGES",
    "Foreign",
    "Joined",
    "Phrase",
    "Words",
    "area",
    "fields_of",
    "neutral",
    "read_back",
    "say",
    "words",
]

LANGUAGES = ("en", "zh")
#: Every area of the catalogue, one module each.
AREAS = (
    "cli",
    "errors",
    "draw_errors",
    "report_errors",
    "library",
    "verify",
    "progress",
    "estimates",
    "commands",
    "report",
    "report_codes",
    "summary",
    "warnings",
    "stringency",
    "profile",
    "profile_codes",
    "publish",
    "lists",
    "plan",
    "monitor",
    "reasons",
    "help",
    "help_options",
)


@functools.cache
def _module(name: str) -> object:
    if name not in AREAS:
        raise KeyError(f"no area {name!r} in the catalogue (areas: {', '.join(AREAS)})")
    return importlib.import_module(f"{__name__}.{name}")


def area(name: str) -> dict[str, dict[str, str]]:
    """The words of one area: ``{"en": {...}, "zh": {...}}`` (not to be changed)."""
    words_: dict[str, dict[str, str]] = getattr(_module(name), "WORDS")  # noqa: B009 - a module attribute
    return words_


def neutral(name: str) -> frozenset[str]:
    """The keys of area ``name`` whose value is the same in both languages on purpose."""
    return frozenset(getattr(_module(name), "NEUTRAL", ()))


def words(lang: str, name: str) -> dict[str, str]:
    """Every template of area ``name`` in ``lang`` (for a template engine that fills them itself)."""
    return area(name)[lang]


def say(lang: str, key: str, /, **fields: object) -> str:
    """The template ``key`` (``"area.name"``) in ``lang``, its fields filled in.

    A field that is itself a :class:`Phrase` (or a :class:`Foreign` sentence)
    is said in ``lang`` first.

    >>> say("en", "cli.see_help", prog="certrisk")
    '(see certrisk --help)'
    """
    name, _, item = key.partition(".")
    said = {k: v.in_language(lang) if isinstance(v, Words) else v for k, v in fields.items()}
    return area(name)[lang][item].format(**said)


class Words(str):
    """Text shown to people that can be said again in another language: its ``str`` is the English."""

    def in_language(self, lang: str) -> str:
        """The text in ``lang``."""
        return str(self)


class Phrase(Words):
    """A sentence of the catalogue, kept whole: it is its English text (a ``str``), and it remembers its key and
    fields, so that it can be said again in another language (:meth:`in_language`) where it is shown.

    >>> shown = Phrase("errors.current_folder")
    >>> shown, shown.in_language("zh")
    ('the current folder', '当前文件夹')
    """

    key: str
    fields: dict[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Phrase:
        self = super().__new__(cls, say("en", key, **fields))
        self.key, self.fields = key, fields
        return self

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return say(lang, self.key, **self.fields)

    def __reduce__(self) -> tuple[object, ...]:
        return (_phrase, (self.key, self.fields))


def _phrase(key: str, fields: dict[str, object]) -> Phrase:
    return Phrase(key, **fields)


class Foreign(Words):
    """A sentence of a library, in English: said again in another language where a template of the area
    ``area`` (default ``library``) matches it (:func:`read_back`), else kept as it is.

    >>> Foreign("data directory x does not exist.").in_language("zh")
    '数据目录 x 不存在。'
    >>> Foreign("fewer than 3 random inspections (1)", "estimates").in_language("zh")
    '随机抽查少于 3 次（1 次）'
    """

    area: str

    def __new__(cls, text: str, area: str = "library") -> Foreign:
        self = super().__new__(cls, text)
        self.area = area
        return self

    def translated(self, lang: str) -> str | None:
        """The sentence in ``lang``, or None when no template of the catalogue matches it."""
        return str(self) if lang == "en" else read_back(lang, self, self.area)

    def __reduce__(self) -> tuple[object, ...]:
        return (Foreign, (str(self), self.area))

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang`` where the catalogue knows it, else in English."""
        return self.translated(lang) or str(self)


def both(key: str, /, **fields: object) -> tuple[str, str]:
    """The template ``key`` in English and in Chinese, its fields filled in: ``(en, zh)``.

    >>> both("errors.current_folder")
    ('the current folder', '当前文件夹')
    """
    return say("en", key, **fields), say("zh", key, **fields)


def fields_of(template: str) -> set[str]:
    """The names of the fields of a template.

    >>> sorted(fields_of("{option} must end in {allowed}; got {got!r}."))
    ['allowed', 'got', 'option']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_FIELD = re.compile(r"\{(\w+)(![rsa])?(:[^{}]*)?\}")


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template`` gives, a named group per field (as written)."""
    parts, seen, last = [], set(), 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[last : m.start()].replace("{{", "{").replace("}}", "}")))
        name = m.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        last = m.end()
    parts.append(re.escape(template[last:].replace("{{", "{").replace("}}", "}")))
    return re.compile("".join(parts), re.DOTALL)


def as_written(template: str) -> str:
    """``template`` with its fields' conversions and formats removed: the fields are filled with the text read."""
    return _FIELD.sub(lambda m: "{" + m.group(1) + "}", template)


def match(template: str, said: str) -> dict[str, str] | None:
    """The fields of ``said`` if it is what ``template`` gives (None otherwise).

    >>> match("final fit on all {n} rows: {key}", "final fit on all 120 rows: scorecard")
    {'n': '120', 'key': 'scorecard'}
    """
    found = _pattern(template).fullmatch(said)
    return found.groupdict() if found else None


def read_back(lang: str, said: str, name: str = "library") -> str | None:
    """An English sentence of area ``name``'s templates said again in ``lang``; None when no template matches."""
    english = area(name)["en"]
    for key, template in english.items():
        found = match(template, said.strip())
        if found is not None:
            return as_written(area(name)[lang][key]).format(**found)
    return None


class Joined(Words):
    """Pieces of text joined by ``sep`` (a list of differences, one a line), each said in the language asked
    (``sep`` too, when it is a :class:`Phrase`: ``LIST_SEP`` is ``; `` in English, ``；`` in Chinese).

    >>> Joined([Phrase("errors.current_folder"), "x"], ", ").in_language("zh")
    '当前文件夹, x'
    >>> Joined(["a", "b"], LIST_SEP).in_language("zh")
    'a；b'
    """

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts: Iterable[str], sep: str = "\n") -> Joined:
        kept = tuple(parts)
        self = super().__new__(cls, sep.join(kept))
        self.parts, self.sep = kept, sep
        return self

    def in_language(self, lang: str) -> str:
        sep = self.sep.in_language(lang) if isinstance(self.sep, Words) else self.sep
        return sep.join(p.in_language(lang) if isinstance(p, Words) else p for p in self.parts)

    def __reduce__(self) -> tuple[object, ...]:
        return (Joined, (self.parts, self.sep))


LIST_SEP = Phrase("errors.list_sep")  # between the items of a list inside a sentence
