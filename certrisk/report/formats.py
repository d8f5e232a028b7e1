"""The report's file formats, chosen by the extension of the report file.

Kept apart from the rest of the package, with no heavy imports, so that the
command line can name the formats without loading pandas or matplotlib.

>>> REPORT_FORMATS[".html"]
'html'
"""

from __future__ import annotations

__all__ = ["REPORT_FORMATS"]

#: File extensions of the report and the format each one selects.
REPORT_FORMATS: dict[str, str] = {".md": "markdown", ".html": "html"}
