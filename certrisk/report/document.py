"""The report as a list of blocks, and its two renderings through Jinja2 templates: Markdown and one HTML page.

The sections add headings, paragraphs, bullet lists, code, tables and images
to a :class:`_Doc`; only at the end is it rendered, so one document gives
either format. Text in paragraphs and bullets may hold `code` spans
(backticks). The templates are ``templates/report.md.j2`` (figures linked by
relative path, percent-encoded) and ``templates/report.html.j2`` (every figure
embedded as a ``data:image/png;base64`` URI in a ``<figure id="figure-NAME">``,
the style of ``templates/report.css`` inline, print rules included, and a
Content-Security-Policy that lets the page load nothing else): the HTML page
refers to nothing outside itself.

>>> doc = _Doc()
>>> doc.heading(1, "Report")
>>> doc.para("From `runs/train`.")
>>> print(_render_markdown(doc), end="")
# Report
<BLANKLINE>
From `runs/train`.
>>> [line for line in _render_html(doc, "en", "Report").splitlines() if line.startswith("<p>")]
['<p>From <code>runs/train</code>.</p>']
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from certrisk import __version__

from ..errors import KeyedError


@dataclass
class _Doc:
    """The report as a list of blocks (dicts with a ``kind``), rendered to Markdown or HTML at the end."""

    blocks: list[dict[str, Any]] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        self.blocks.append({"kind": "h", "level": level, "text": text})

    def para(self, text: str, cls: str = "") -> None:
        """A paragraph; ``cls="caution"`` marks a caution (a framed note in HTML, a quote in Markdown)."""
        self.blocks.append({"kind": "p", "text": text, "cls": cls})

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append({"kind": "ul", "items": list(items)})

    def code(self, text: str) -> None:
        self.blocks.append({"kind": "code", "text": text})

    def table(self, frame: pd.DataFrame, row_classes: Sequence[str] | None = None) -> None:
        """A table; ``row_classes`` (one per row, '' for none) styles rows in HTML (``unstable``, ``suppressed``)."""
        rows = [[str(v) for v in row] for row in frame.itertuples(index=False)]
        classes = list(row_classes) if row_classes is not None else [""] * len(rows)
        self.blocks.append(
            {"kind": "table", "columns": [str(c) for c in frame.columns], "rows": rows, "classes": classes}
        )

    def image(self, rel: str, alt: str) -> None:
        """A figure, by its link in the report's figure folder (:class:`certrisk.report.figures._Figures`)."""
        self.blocks.append({"kind": "img", "src": rel, "alt": alt, "name": PurePosixPath(rel).stem})

    def open(self, cls: str) -> None:
        """Start a part of the page (``<section class=cls>`` in HTML; nothing in Markdown)."""
        self.blocks.append({"kind": "open", "cls": cls})

    def close(self) -> None:
        self.blocks.append({"kind": "close"})


# ------------------------------------------------------------------ templates
def _inline(text: str) -> Markup:
    """Escape text; `code` spans (backticks) become <code>."""
    parts = str(text).split("`")
    return Markup("").join(Markup("<code>{}</code>").format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@cache
def _environment() -> jinja2.Environment:
    """The report's templates; HTML templates autoescape, the Markdown one does not."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("certrisk.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(inline=_inline, md_cell=_md_cell, urlquote=urllib.parse.quote)
    return env


def _render_markdown(doc: _Doc) -> str:
    """The document as Markdown: blocks separated by blank lines, figures linked by relative path."""
    blocks = [b for b in doc.blocks if b["kind"] not in ("open", "close")]
    return _environment().get_template("report.md.j2").render(blocks=blocks)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _render_html(doc: _Doc, lang: str, title: str, images: Mapping[str, bytes] | None = None) -> str:
    """The document as one HTML page; each figure's PNG (``images[link]``) embedded as a data URI.

    A figure whose PNG is not in ``images`` is a ValueError: the page must not point outside itself.
    """
    images = images or {}
    blocks = []
    for block in doc.blocks:
        if block["kind"] == "img":
            if block["src"] not in images:
                raise KeyedError("report_errors.no_png", src=block["src"])
            block = {**block, "src": _data_uri(images[block["src"]])}
        blocks.append(block)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(blocks=blocks, title=title, html_lang="zh-CN" if lang == "zh" else "en", version=__version__)
    )
