"""The quarterly report: one self-contained HTML file, or Markdown with its figures beside it.

:func:`write_report` gathers what a quarter produced into one readable
document for the supervisors. A summary page comes first (what was drawn,
what was found, what changed), then the training run folder (the model and
its choice, comparison, calibration, lift, the current grades, PSI,
migration), optionally the draw folder (the draw's composition: bodies drawn
by grade and by batch, their inclusion probabilities, the certificates to
check), optionally the population estimates (each with its reliability note),
the inspector table (unifying enforcement standards) and the monitor folder
(risk monitoring and early warning). Figures are redrawn from the run's tables
in the report's language (the PNG of the run folder is copied when its table
is missing). The HTML report embeds them as data URIs: one file to mail or
print. The Markdown report writes them as PNG files into ``<report
stem>_files/`` next to it and links them by relative path, so the report and
its folder can be moved or zipped together; ``r.md`` and ``r.html`` side by
side do not share figures.

Everything is written into a temporary folder first and renamed into place at
the end: a failure leaves nothing behind (and an earlier report of the same
name untouched).

The package reads, checks and writes; it neither parses a command line nor
prints. Its modules: :mod:`.formats` (the file formats, cheap to import),
:mod:`.inputs` (argument checks and reading), :mod:`.text` (the words in each
language), :mod:`.document` (blocks, rendered through the Jinja2 templates of
``templates/``), :mod:`.figures` (the report's own figures, and the PNGs of
all), :mod:`.current_grades` (the grades in force), :mod:`.reliability` (the
note of each estimate), :mod:`.rule_words` (the model choice's rule in
Chinese), :mod:`.sections` (summary, training, draw, estimates, stringency,
warnings) and :mod:`.writer` (putting it together, atomically).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .formats import REPORT_FORMATS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_FORMATS", "write_report"]


def write_report(
    training_dir: str | os.PathLike[str],
    draw_folder: str | os.PathLike[str] | None = None,
    estimates: str | os.PathLike[str] | pd.DataFrame | None = None,
    out: str | os.PathLike[str] | None = None,
    lang: str = "en",
    stringency: str | os.PathLike[str] | pd.DataFrame | None = None,
    monitor: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the quarterly report: one self-contained HTML file, or Markdown with its figure folder.

    Parameters
    ----------
    training_dir : str or os.PathLike
        A training run folder (``certrisk train``; ``OUT/training`` of the
        demo): ``run.json``, ``comparison.csv``, ``calibration.csv``,
        ``lift.csv``, ``by_grade.csv``, ``psi.csv``, ``migration.csv`` and the
        PNG figures. Figures are redrawn from the tables in ``lang``; a
        missing table's PNG is copied instead.
    draw_folder : str or os.PathLike, optional
        A draw folder ``OUT/<draw_id>/`` (``frame.csv``, ``certificates.csv``,
        ``teams.csv``, ``grades.csv``, ``manifest.json``): adds what was drawn
        to the summary, the draw's composition, and the grades it used as
        the current grades (without it: the training run's migration).
    estimates : str, os.PathLike or pandas.DataFrame, optional
        Population estimates (``.csv``) with columns ``scope``, ``domain``,
        ``estimate`` and optionally ``se``, ``ci_low``, ``ci_high``, ``n``,
        ``estimator``: adds the estimates table and figure.
    stringency : str, os.PathLike or pandas.DataFrame, optional
        An inspector table (``certrisk stringency``: ``.csv``) with
        ``inspector_id``, ``stringency``, ``ci_low``, ``ci_high``,
        ``n_inspections`` and ``assessment_en``: adds the section on unifying
        enforcement standards (统一执法尺度).
    monitor : str or os.PathLike, optional
        A monitor output folder (``certrisk monitor``, with its
        ``monitor.json``): adds the section on risk monitoring and early
        warning (风险监测预警), counts only.
    out : str or os.PathLike
        The report file: ``.html`` for one self-contained HTML page (figures
        embedded, print-friendly), ``.md`` for Markdown with its figures in
        ``<out stem>_files/`` next to it; an earlier report of the same name
        (and, for Markdown, its figure folder) is replaced.
    lang : {"en", "zh"}, default "en"
        Language of headings, tables and figure labels.

    Returns
    -------
    pathlib.Path
        The report file.

    Raises
    ------
    ValueError
        A missing or unusable folder or file, an extension other than
        ``.md``/``.html``, or an unknown ``lang``; the message names the
        argument and its value. Nothing is written.

    Examples
    --------
    >>> path = write_report("demo-output/training", out="report.md", lang="zh")  # doctest: +SKIP
    >>> sorted(p.name for p in (path.parent / "report_files").iterdir())  # doctest: +SKIP
    ['calibration.png', 'grade_distribution.png', 'lift.png', 'migration.png', 'psi.png']
    >>> write_report("demo-output/training", out="report.html").read_text().count("data:image/png")  # doctest: +SKIP
    5
    """
    # Imported here, not at the top: pandas and matplotlib load with the first report, so that
    # ``certrisk.report.formats`` (and this package) stay cheap to import for the command line.
    from .writer import _write

    return _write(training_dir, draw_folder, estimates, out, lang, stringency, monitor)
