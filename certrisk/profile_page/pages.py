"""Profile pages as HTML: one body's page, or a folder with a page per drawn body and an index.

Each page is self-contained: its style is inline and its figures are data
URIs, so it can be mailed or archived as one file. The templates are Jinja2
(``templates/``), with HTML escaping on. Pages are written atomically (a
failure leaves the earlier page or folder as it was).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from features.atomic import atomic_path
from features.codes import LANGUAGES
from features.dictionary import SPECS
from features.tables import Tables

from .. import __version__
from ..catalogue import Phrase
from ..catalogue import words as catalogue_words
from ..errors import KeyedError
from .content import BodyProfile, body_facts, events_before, grade_view, profile_rows, timeline_rows
from .drawn import Draw
from .figures import PeerDistributions, strip_svg, timeline_svg

__all__ = ["INDEX", "Profiler", "page_names", "write_profile_page", "write_profile_pages"]

INDEX = "index.html"


def code_spans(text: str) -> Markup:
    """``text`` escaped, its `backquoted` spans (commands, options) set as code.

    >>> str(code_spans("read with `--grades FILE` <here>"))
    'read with <code>--grades FILE</code> &lt;here&gt;'
    """
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the page templates (escaping on, an undefined name an error)."""
    env = Environment(
        loader=PackageLoader("certrisk.profile_page", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["code"] = code_spans
    return env


def _check(features: pd.DataFrame, grades: pd.DataFrame | None, lang: str) -> pd.Timestamp:
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
    if len(features) == 0 or features["as_of"].nunique() != 1:
        raise ValueError("`features` must hold one as-of date; build them with build_features(data, as_of).")
    if grades is not None and not {"body_id", "grade"} <= set(grades.columns):
        have = ", ".join(map(str, grades.columns))
        raise ValueError(f"`grades` must have the columns body_id and grade; it has {have}.")
    return pd.Timestamp(features["as_of"].iloc[0])


class Profiler:
    """Makes the profile pages of one data set on one as-of date (the peers' distributions computed once).

    Parameters
    ----------
    tables : Tables
        The data set (``bodies``, ``inspections``, and ``signals`` when present).
    features : DataFrame
        The feature table of the as-of date (:func:`features.build.build_features`);
        the peers are every body in it.
    grades : DataFrame, optional
        The grades file (``body_id``, ``grade``; ``reasons`` and the other columns of
        ``certrisk grade`` when present). None: the pages say that no grade was given.
    lang : {"en", "zh"}
    """

    def __init__(
        self, tables: Tables, features: pd.DataFrame, *, grades: pd.DataFrame | None = None, lang: str = "en"
    ) -> None:
        self.as_of = _check(features, grades, lang)
        self.tables, self.features, self.grades, self.lang = tables, features, grades, lang
        self.peers = PeerDistributions(features)

    def check_body(self, body_id: str, what: str = "BODY_ID") -> None:
        """ValueError in words when ``body_id`` has no profile on the as-of date (``what`` names it in the message)."""
        bodies = self.tables["bodies"]
        if not (bodies["body_id"] == body_id).any():
            raise KeyedError("errors.profile_not_a_body", what=what, body=body_id)
        if not (self.features["body_id"] == body_id).any():
            approved = pd.Timestamp(bodies.loc[bodies["body_id"] == body_id, "approved_on"].iloc[0]).date()
            raise KeyedError(
                "errors.profile_approved_later", what=what, body=body_id, approved=approved, as_of=self.as_of.date()
            )

    def profile(self, body_id: str) -> BodyProfile:
        """What the page of ``body_id`` shows, its figures included."""
        self.check_body(body_id)
        bodies = self.tables["bodies"]
        row = self.features[self.features["body_id"] == body_id].iloc[0]
        events = events_before(self.tables, body_id, self.as_of)
        rows = profile_rows(self.features, body_id, self.lang)
        strips = {
            f.feature: strip_svg(
                environment(), self.peers[f.feature], SPECS[f.feature], float(row[f.feature]), f.abnormal, self.lang
            )
            for f in rows
        }
        return BodyProfile(
            body_id=body_id,
            name=str(bodies.loc[bodies["body_id"] == body_id, "name"].iloc[0]),
            facts=body_facts(bodies, row, body_id, self.as_of, self.lang),
            features=rows,
            events=timeline_rows(events, self.lang),
            n_inspections=int((events["record"] == "inspection").sum()),
            n_signals=int((events["record"] == "signal").sum()),
            grade=grade_view(self.grades, body_id, self.as_of, self.lang),
            strips=strips,
            timeline=timeline_svg(environment(), events, self.as_of, self.lang) if len(events) else "",
        )

    def render(self, profile: BodyProfile) -> str:
        """The page of a profile as one self-contained HTML document."""
        return (
            environment()
            .get_template("profile.html.j2")
            .render(
                t=catalogue_words(self.lang, "profile"),
                p=profile,
                as_of=self.as_of.date().isoformat(),
                n_bodies=self.peers.n,
                footer=self._footer(),
            )
        )

    def html(self, body_id: str) -> str:
        """The page of ``body_id`` as one self-contained HTML document."""
        return self.render(self.profile(body_id))

    def _footer(self) -> str:
        return catalogue_words(self.lang, "profile")["footer"].format(
            version=__version__, as_of=self.as_of.date().isoformat()
        )

    def index_html(self, entries: list[dict[str, object]], draw: Draw) -> str:
        """The index of a folder of pages: one row per body, with its page's link."""
        return (
            environment()
            .get_template("index.html.j2")
            .render(
                t=catalogue_words(self.lang, "profile"),
                entries=entries,
                graded=self.grades is not None,
                draw_id=draw.draw_id,
                draw_as_of=draw.as_of,
                as_of=self.as_of.date().isoformat(),
                footer=self._footer(),
            )
        )


def page_names(body_ids: Sequence[str]) -> dict[str, str]:
    """A file name per body: the id with unsafe characters replaced, made unique, never the index's.

    >>> page_names(["CB001", "CB/001", "CB_001", "index"])
    {'CB001': 'CB001.html', 'CB/001': 'CB_001.html', 'CB_001': 'CB_001-2.html', 'index': 'index-2.html'}
    """
    taken, names = {INDEX.lower()}, {}
    for body_id in body_ids:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", body_id).lstrip(".") or "body"
        name, k = f"{stem}.html", 1
        while name.lower() in taken:
            k += 1
            name = f"{stem}-{k}.html"
        taken.add(name.lower())
        names[body_id] = name
    return names


def write_profile_page(profiler: Profiler, body_id: str, out: str | os.PathLike[str]) -> Path:
    """Write the page of ``body_id`` to ``out`` (``.html``), replacing an earlier one atomically."""
    target = Path(out)
    if target.suffix.lower() != ".html":
        raise ValueError(f"`out` must end in .html; got {str(out)!r}.")
    text = profiler.html(body_id)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _entry(profile: BodyProfile, page: str, lang: str) -> dict[str, object]:
    flagged = [f.note for f in profile.features if f.abnormal]
    return {
        "body_id": profile.body_id,
        "name": profile.name,
        "province": dict(profile.facts)[catalogue_words(lang, "profile")["province"]],
        "grade": profile.grade.grade,
        "n_abnormal": len(flagged),
        "first": flagged[0] if flagged else "",
        "page": page,
    }


def write_profile_pages(
    profiler: Profiler, draw: Draw, out_dir: str | os.PathLike[str], progress: Callable[[str], None] | None = None
) -> Path:
    """Write the folder ``out_dir``: one page per drawn body and ``index.html``, all or nothing.

    Every drawn body is checked first (:meth:`Profiler.check_body`), so a body
    without a profile is refused before any page is made; an earlier folder
    ``out_dir`` is replaced only once every page is written.
    """
    for body_id in draw.body_ids:
        profiler.check_body(body_id, Phrase("errors.drawn_body", draw_id=draw.draw_id))
    names = page_names(draw.body_ids)
    entries = []
    with atomic_path(Path(out_dir)) as tmp:
        tmp.mkdir()
        for body_id in draw.body_ids:
            profile = profiler.profile(body_id)
            (tmp / names[body_id]).write_text(profiler.render(profile), encoding="utf-8")
            entries.append(_entry(profile, names[body_id], profiler.lang))
            if progress is not None:
                progress(Phrase("progress.profile", body=body_id))
        (tmp / INDEX).write_text(profiler.index_html(entries, draw), encoding="utf-8")
    return Path(out_dir)
