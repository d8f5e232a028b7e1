"""The names the profile pages give to codes: the feature families and the codes of the contract, in the page's
language (every word of the pages is in the catalogue: :mod:`certrisk.catalogue.profile`,
:mod:`certrisk.catalogue.profile_codes`; feature labels come from :mod:`features.dictionary`)."""

from __future__ import annotations

from ..catalogue import words

__all__ = ["code_label", "family_label", "override_label"]


def code_label(column: str, code: str, lang: str) -> str:
    """The words for a code of the contract (``column`` as in :data:`features.codes.LABELS_ZH`); the code if unknown.

    >>> code_label("outcome", "major", "zh"), code_label("signal_kind", "media", "en"), code_label("outcome", "x", "en")
    ('较严重问题', 'media report', 'x')
    """
    return words(lang, "profile_codes").get(f"{column}.{code}", code)


def family_label(family: str, lang: str) -> str:
    """The name of a feature family in ``lang`` (the family's code if it has no name yet)."""
    return words(lang, "profile").get(f"family_{family}", family)


def override_label(rule: str, lang: str) -> str:
    """An override rule of the grade in words (the rule's code if it has none).

    >>> override_label("unreachable", "zh"), override_label("new_rule", "en")
    ('失联（D 级）', 'new_rule')
    """
    return words(lang, "profile").get(f"override_{rule}", rule)
