"""The quarterly report: one Markdown or HTML file with its figures beside it.

:func:`write_report` gathers what a quarter produced into one readable
document for the supervisors: the training run folder (model comparison,
calibration, lift, grades, PSI, migration), optionally the draw folder (the
draw's composition: bodies drawn by grade and by batch, their inclusion
probabilities, the certificates to check), optionally the population
estimates and optionally the inspector table (unifying enforcement standards). Figures are redrawn from the run's tables in the report's language
(the PNG of the run folder is copied when its table is missing) and written as
PNG files into ``<report stem>_files/`` next to the report, which links them
by relative path, so the report and its folder can be moved or zipped
together.

Everything is written into a temporary folder first and renamed into place at
the end: a failure leaves nothing behind (and an earlier report of the same
name untouched).

The package reads, checks and writes; it neither parses a command line nor
prints. Its modules: :mod:`.formats` (the file formats, cheap to import),
:mod:`.inputs` (argument checks and reading), :mod:`.text` (the words in each
language), :mod:`.document` (blocks and their Markdown and HTML renderings),
:mod:`.figures` (the report's own figures), :mod:`.sections` (training, draw,
estimates) and :mod:`.writer` (putting it together, atomically).
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
    """Write the quarterly report (Markdown or HTML) with its figures beside it.

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
        ``manifest.json``): adds the draw's composition.
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
        The report file: ``.md`` for Markdown, ``.html`` for HTML. Figures go
        into ``<out stem>_files/`` next to it; an earlier report of the same
        name is replaced.
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
    >>> path = write_report("demo-output/training", out="report.html", lang="zh")  # doctest: +SKIP
    >>> sorted(p.name for p in (path.parent / "report_files").iterdir())  # doctest: +SKIP
    ['calibration.png', 'grade_distribution.png', 'lift.png', 'migration.png', 'psi.png']
    """
    # Imported here, not at the top: pandas and matplotlib load with the first report, so that
    # ``certrisk.report.formats`` (and this package) stay cheap to import for the command line.
    from .writer import _write

    return _write(training_dir, draw_folder, estimates, out, lang, stringency, monitor)
