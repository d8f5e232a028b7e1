"""What a registered version is: the retraining it came from (as-of date, data digest, settings), in tags and words.

Every version that :func:`riskmodel.tracking.register_selection` registers
carries the tags of its :class:`Retraining` (``as_of``, ``data_digest``,
``settings`` and their joint key ``retraining``), its role in the model
choice (``selection``: champion, challenger or candidate) and a description
saying the same in a sentence. :func:`registered_versions` finds the versions
of an earlier retraining with the same key, so retraining twice on the same
data for the same date registers nothing new.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ROLES", "Retraining", "describe", "registered_versions", "role"]

#: A version's role in the model choice of its retraining.
ROLES = ("champion", "challenger", "candidate")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEX = re.compile(r"^[0-9a-f]{16,128}$")


@dataclass(frozen=True)
class Retraining:
    """The identity of one retraining: the same as-of date, data and settings give the same models.

    Attributes
    ----------
    as_of : str
        ``YYYY-MM-DD``.
    data_digest : str
        Hex digest of every input table's content (e.g. the SHA-256 of their canonical digests).
    settings : str, default=""
        The settings that change the result, in words (e.g. ``"budget_share=0.25 seed=0"``).

    Examples
    --------
    >>> r = Retraining("2026-10-01", "ab" * 32, "seed=0")
    >>> r.key == Retraining("2026-10-01", "ab" * 32, "seed=0").key != Retraining("2026-10-01", "cd" * 32).key
    True
    >>> Retraining("01/10/2026", "ab" * 32)
    Traceback (most recent call last):
    ValueError: `as_of` must be a date YYYY-MM-DD; got '01/10/2026'.
    """

    as_of: str
    data_digest: str
    settings: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.as_of, str) or not _DATE.match(self.as_of):
            raise ValueError(f"`as_of` must be a date YYYY-MM-DD; got {self.as_of!r}.")
        if not isinstance(self.data_digest, str) or not _HEX.match(self.data_digest):
            raise ValueError(f"`data_digest` must be 16 to 128 lowercase hex characters; got {self.data_digest!r}.")
        if not isinstance(self.settings, str) or len(self.settings) > 1000:
            raise ValueError(f"`settings` must be a string of at most 1000 characters; got {self.settings!r:.60}.")

    @property
    def key(self) -> str:
        """SHA-256 (hex) of the as-of date, the data digest and the settings: the tag ``retraining``."""
        return hashlib.sha256("\n".join([self.as_of, self.data_digest, self.settings]).encode()).hexdigest()

    def tags(self) -> dict[str, str]:
        """The version tags of this retraining."""
        return {"as_of": self.as_of, "data_digest": self.data_digest, "settings": self.settings, "retraining": self.key}


def role(name: str, chosen: str, challenger: str | None) -> str:
    """``champion``, ``challenger`` or ``candidate``: what the model choice made of candidate ``name``."""
    return "champion" if name == chosen else "challenger" if name == challenger else "candidate"


def describe(name: str, recipe: Mapping[str, str], retraining: Retraining | None, what: str) -> str:
    """The description of a version: its model, the retraining it came from, the model choice's decision.

    Examples
    --------
    >>> describe("scorecard", {"kind": "scorecard", "features": "a,b", "C": "0.1"},
    ...          Retraining("2026-10-01", "ab" * 32, "seed=0"), "champion")  # doctest: +NORMALIZE_WHITESPACE
    'Candidate scorecard: a scorecard model on 2 features (C = 0.1), retrained as of 2026-10-01 on data
    ababababababababab... (seed=0). Selection: chosen as champion by the model choice.'
    """
    features = [f for f in recipe.get("features", "").split(",") if f]
    model = f"a {recipe.get('kind') or name} model" + (f" on {len(features)} features" if features else "")
    model += f" (C = {recipe['C']})" if recipe.get("C") else ""
    trained = ""
    if retraining is not None:
        settings = f" ({retraining.settings})" if retraining.settings else ""
        trained = f", retrained as of {retraining.as_of} on data {retraining.data_digest[:18]}...{settings}"
    decision = {
        "champion": "chosen as champion by the model choice",
        "challenger": "challenger: the best other eligible candidate",
        "candidate": "not chosen (kept for comparison)",
    }[what]
    return f"Candidate {name}: {model}{trained}. Selection: {decision}."


def registered_versions(client: Any, model_name: str, retraining: Retraining) -> dict[str, Any]:
    """The versions of ``model_name`` registered from an earlier retraining with the same key, by candidate.

    Examples
    --------
    >>> registered_versions(None, "it's", Retraining("2026-10-01", "ab" * 32))
    Traceback (most recent call last):
    ValueError: `model_name` must not contain a single quote (it goes into a search filter); got "it's".
    """
    if "'" in model_name:
        raise ValueError(
            f"`model_name` must not contain a single quote (it goes into a search filter); got {model_name!r}."
        )
    found = client.search_model_versions(f"name = '{model_name}' and tags.retraining = '{retraining.key}'")
    earliest: dict[str, Any] = {}
    for version in found:  # one retraining per key is registered; should there be more, the first counts
        name = version.tags.get("candidate", "")
        if name not in earliest or int(version.version) < int(earliest[name].version):
            earliest[name] = version
    return earliest
