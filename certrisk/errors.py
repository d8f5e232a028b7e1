"""The errors that are the user's to fix: each is reported in words, with exit code 1, in the language asked.

A :class:`KeyedError` carries a key of the catalogue and its fields
(:mod:`certrisk.catalogue`): its ``str()`` is the English sentence (what a
notebook or a test sees), and :meth:`KeyedError.in_language` says it in the
language of ``--lang``, the option names and the values as they were typed.
A library's error that reaches the user keeps its English sentence
(:meth:`KeyedError.of`): said again in Chinese where the catalogue knows it
(the area ``library``), else after a Chinese headline.

>>> err = UsageError("errors.out_suffix", option="--out", allowed=".csv, .xlsx", got="x.txt")
>>> str(err)
"`--out` must end in .csv, .xlsx; got 'x.txt'."
>>> err.in_language("zh")
"`--out` 须以 .csv, .xlsx 之一结尾；实际为 'x.txt'。"
>>> UsageError.of(ValueError("the frame is empty")).in_language("zh")
'无法按要求执行（以下原因为英文原文）：the frame is empty'
"""

from __future__ import annotations

from typing import Self

from .catalogue import Foreign, Phrase

__all__ = ["FOREIGN", "KeyedError", "UsageError", "said_in"]

FOREIGN = "errors.foreign"  # a library's English sentence, after a Chinese headline where no template knows it


class KeyedError(ValueError):
    """A mistake said by a key of the catalogue and its fields; ``str()`` is the English sentence."""

    def __init__(self, key: str, /, **fields: object) -> None:
        self.phrase = Phrase(key, **fields)
        super().__init__(str(self.phrase))

    @property
    def key(self) -> str:
        return self.phrase.key

    @property
    def fields(self) -> dict[str, object]:
        return self.phrase.fields

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang``: a library's sentence translated where the catalogue knows it."""
        if self.key == FOREIGN:
            text = self.fields["text"]
            known = text.translated(lang) if isinstance(text, Foreign) else None
            if known is not None:
                return known
        return self.phrase.in_language(lang)

    @classmethod
    def of(cls, exc: BaseException | str) -> Self:
        """``exc`` as this class: its key and fields if it has them, else its English sentence (a library's)."""
        if isinstance(exc, KeyedError):
            return cls(exc.key, **exc.fields)
        return cls(FOREIGN, text=Foreign(str(exc)))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt, (type(self), self.key, self.fields))


def _rebuilt(kind: type[KeyedError], key: str, fields: dict[str, object]) -> KeyedError:
    return kind(key, **fields)


class UsageError(KeyedError):
    """A command-line argument that cannot be used (reported in one sentence)."""


def said_in(lang: str, exc: BaseException) -> str:
    """Any error's sentence in ``lang``: a keyed one by its key, a library's English where the catalogue knows it,
    else after the Chinese headline (English as it is)."""
    if isinstance(exc, KeyedError):
        return exc.in_language(lang)
    return UsageError.of(exc).in_language(lang) if lang != "en" else str(exc)
