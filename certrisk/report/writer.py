"""Writing the report: check every argument, build the document section by section, write it with its figures.

The summary page comes first, then the sections, then the sources. An HTML
report is one file, its figures embedded; a Markdown report has its figures in
its own folder ``<stem>_files/`` (so ``r.md`` and ``r.html`` side by side
never touch each other's figures). Either is written with
:func:`features.atomic.atomic_outputs`: the report (and the Markdown's
folder) land, replacing an earlier report and its whole figure folder, or
nothing does and nothing is left behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from certrisk import __version__
from features import feature_dictionary
from features.atomic import atomic_outputs

from ..catalogue import say, words
from .current_grades import CurrentGrades, read_current_grades
from .document import _Doc, _render_html, _render_markdown
from .figures import _Figures
from .formats import REPORT_FORMATS
from .inputs import (
    _about,
    _check_draw_folder,
    _check_estimates,
    _check_lang,
    _check_out,
    _check_stringency,
    _check_training_dir,
)
from .sections import _draw_section, _estimates_section, _stringency_section, _training_section
from .sections.summary import SummaryInputs, _summary_section
from .sections.training import read_training
from .sections.warnings import _warnings_section, read_monitor_summary


@dataclass(frozen=True)
class _Inputs:
    """The report's inputs once checked, with the values as given (error messages and sources name those)."""

    lang: str
    training: Path
    draw: Path | None
    estimates: pd.DataFrame | None
    training_given: object
    draw_given: object
    estimates_given: object
    stringency: pd.DataFrame | None = None
    stringency_given: object = None
    monitor: dict[str, Any] | None = None
    monitor_given: object = None


def _write(
    training_dir: str | os.PathLike[str],
    draw_folder: str | os.PathLike[str] | None,
    estimates: str | os.PathLike[str] | pd.DataFrame | None,
    out: str | os.PathLike[str] | None,
    lang: str,
    stringency: str | os.PathLike[str] | pd.DataFrame | None = None,
    monitor: str | os.PathLike[str] | None = None,
) -> Path:
    """Check the arguments, then write the report and its figure folder atomically; return the report file."""
    lang = _check_lang(lang)
    target = _check_out(out)
    inputs = _Inputs(
        lang,
        _check_training_dir(training_dir),
        _check_draw_folder(draw_folder),
        _check_estimates(estimates),
        training_dir,
        draw_folder,
        estimates,
        _check_stringency(stringency),
        stringency,
        read_monitor_summary(monitor) if monitor is not None else None,
        monitor,
    )
    html = REPORT_FORMATS[target.suffix.lower()] == "html"
    files_name = f"{target.stem}_files"
    with atomic_outputs([target] if html else [target, target.parent / files_name]) as temps:
        if not html:
            temps[1].mkdir()
        figs = _Figures(None if html else temps[1], files_name)
        doc, title = _compose(inputs, figs)
        text = _render_html(doc, lang, title, figs.images) if html else _render_markdown(doc)
        temps[0].write_text(text, encoding="utf-8")
    return target


def _feature_labels(lang: str) -> dict[str, str]:
    """Feature name -> its label in ``lang``, from the feature dictionary."""
    table = feature_dictionary()
    return dict(zip(table["name"], table["label_zh" if lang == "zh" else "label_en"]))


def _shown(given: object) -> object:
    return "a DataFrame" if isinstance(given, pd.DataFrame) else given


def _current_grades(inputs: _Inputs) -> CurrentGrades | None:
    """The grades in force, from the draw folder or the training run (see :mod:`.current_grades`)."""
    arg, given = (
        ("draw_folder", inputs.draw_given) if inputs.draw is not None else ("training_dir", inputs.training_given)
    )
    with _about(arg, given):
        return read_current_grades(inputs.training, inputs.draw)


def _compose(inputs: _Inputs, figs: _Figures) -> tuple[_Doc, str]:
    """The whole document and its title: the title, the summary, every section the inputs allow, the sources."""
    lang, t = inputs.lang, words(inputs.lang, "report")
    body = _Doc()
    current = _current_grades(inputs)
    with _about("training_dir", inputs.training_given):
        config = _training_section(body, figs, inputs.training, lang, t, _feature_labels(lang), current)
    if inputs.draw is not None:
        with _about("draw_folder", inputs.draw_given):
            _draw_section(body, figs, inputs.draw, lang, t)
    if inputs.estimates is not None:
        with _about("estimates", _shown(inputs.estimates_given)):
            _estimates_section(body, figs, inputs.estimates, lang, t)
    if inputs.stringency is not None:
        _stringency_section(body, figs, inputs.stringency, lang)
    if inputs.monitor is not None:
        _warnings_section(body, inputs.monitor, lang)
    title = _title(config.get("as_of"), lang)
    doc = _Doc()
    doc.heading(1, title)
    with _about("training_dir", inputs.training_given):
        record, tables = read_training(inputs.training)
    shown = {"training_dir": inputs.training_given, "draw_folder": inputs.draw_given}
    summary = SummaryInputs(
        record,
        tables,
        current,
        inputs.draw,
        inputs.estimates,
        inputs.monitor,
        shown | {"estimates": _shown(inputs.estimates_given)},
    )
    _summary_section(doc, summary, lang)
    doc.blocks += body.blocks
    doc.blocks += _sources_part(_sources(inputs), lang).blocks
    return doc, title


def _title(as_of: str | None, lang: str) -> str:
    t = words(lang, "report")
    if not as_of:
        return t["title"]
    date = t["as_of"].format(date=as_of)
    return t["title"] + (f" ({date})" if lang == "en" else f"（{date}）")


def _sources(inputs: _Inputs) -> list[str]:
    """One bullet per input the report was built from."""
    t = words(inputs.lang, "report")
    sources = [f"{t['training_dir']}{t['sep']}`{inputs.training}`"]
    if inputs.draw is not None:
        sources.append(f"{t['draw_folder']}{t['sep']}`{inputs.draw}`")
    if inputs.estimates is not None:
        shown = "DataFrame" if isinstance(inputs.estimates_given, pd.DataFrame) else str(inputs.estimates_given)
        sources.append(f"{t['estimates_file']}{t['sep']}`{shown}`")
    if inputs.stringency is not None:
        shown = "DataFrame" if isinstance(inputs.stringency_given, pd.DataFrame) else str(inputs.stringency_given)
        sources.append(f"{say(inputs.lang, 'stringency.source')}{t['sep']}`{shown}`")
    if inputs.monitor is not None:
        sources.append(f"{say(inputs.lang, 'warnings.source')}{t['sep']}`{inputs.monitor_given}`")
    return sources


def _sources_part(sources: list[str], lang: str) -> _Doc:
    """The last part: the version of certrisk that wrote the report, and its sources."""
    t = words(lang, "report")
    doc = _Doc()
    doc.heading(2, t["sources"])
    doc.para(t["generated"].format(version=__version__) + (":" if lang == "en" else "："))
    doc.bullets(sources)
    return doc
