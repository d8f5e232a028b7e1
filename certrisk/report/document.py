"""The report as a list of blocks, and its two renderings: Markdown and a self-contained HTML page.

The sections add headings, paragraphs, bullet lists, code, tables and images
to a :class:`_Doc`; only at the end is it rendered, so one document gives
either format. Text in paragraphs and bullets may hold `code` spans
(backticks); images are linked by relative path, percent-encoded.

>>> doc = _Doc()
>>> doc.heading(1, "Report")
>>> doc.para("From `runs/train`.")
>>> print(_render_markdown(doc), end="")
# Report
<BLANKLINE>
From `runs/train`.
>>> print(_render_html(doc, "en", "Report").splitlines()[-3])
<p>From <code>runs/train</code>.</p>
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class _Doc:
    """The report as a list of blocks, rendered to Markdown or HTML at the end."""

    blocks: list[tuple[Any, ...]] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(("h", level, text))

    def para(self, text: str) -> None:
        self.blocks.append(("p", text))

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append(("ul", items))

    def code(self, text: str) -> None:
        self.blocks.append(("code", text))

    def table(self, frame: pd.DataFrame) -> None:
        self.blocks.append(("table", frame))

    def image(self, rel: str, alt: str) -> None:
        self.blocks.append(("img", rel, alt))


# -------------------------------------------------------------------- Markdown
def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    lines = [
        "| " + " | ".join(_md_cell(c) for c in frame.columns) + " |",
        "|" + "|".join("---" for _ in frame.columns) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def _md_block(block: tuple[Any, ...]) -> str | None:
    kind = block[0]
    if kind == "h":
        return "#" * block[1] + " " + block[2]
    if kind == "p":
        return block[1]
    if kind == "ul":
        return "\n".join(f"- {item}" for item in block[1])
    if kind == "code":
        return "```\n" + block[1] + "\n```"
    if kind == "table":
        return _md_table(block[1])
    if kind == "img":
        return f"![{_md_cell(block[2])}]({urllib.parse.quote(block[1])})"
    return None


def _render_markdown(doc: _Doc) -> str:
    """The document as Markdown: blocks separated by blank lines."""
    out = [text for text in map(_md_block, doc.blocks) if text is not None]
    return "\n\n".join(out) + "\n"


# ------------------------------------------------------------------------ HTML
_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;color:#222;line-height:1.5}table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left}th{background:#f0f3f6}
img{max-width:100%;margin:0.5em 0}code,pre{background:#f6f8fa}pre{padding:0.6em;overflow-x:auto}"""


def _inline_html(text: str) -> str:
    """Escape text; `code` spans (backticks) become <code>."""
    parts = text.split("`")
    return "".join(f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


def _html_table(frame: pd.DataFrame) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_block(block: tuple[Any, ...]) -> str | None:
    esc = html.escape
    kind = block[0]
    if kind == "h":
        return f"<h{block[1]}>{esc(block[2])}</h{block[1]}>"
    if kind == "p":
        return f"<p>{_inline_html(block[1])}</p>"
    if kind == "ul":
        return "<ul>" + "".join(f"<li>{_inline_html(item)}</li>" for item in block[1]) + "</ul>"
    if kind == "code":
        return f"<pre><code>{esc(block[1])}</code></pre>"
    if kind == "table":
        return _html_table(block[1])
    if kind == "img":
        return f'<figure><img src="{esc(urllib.parse.quote(block[1]))}" alt="{esc(block[2])}"></figure>'
    return None


def _render_html(doc: _Doc, lang: str, title: str) -> str:
    """The document as one HTML page: inline style, no scripts, no external resources."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    out += [text for text in map(_html_block, doc.blocks) if text is not None]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
