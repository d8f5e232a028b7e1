"""The sections of the report, each adding its headings, text, tables and figures to the document.

- :mod:`.training`: from the training run folder (always present);
- :mod:`.draw`: from a draw folder (optional);
- :mod:`.estimates`: from the population estimates (optional);
- :mod:`.stringency`: from an inspector table, on unifying enforcement standards (optional);
- :mod:`.warnings`: from a monitor output folder, on risk monitoring and early warning (optional).
"""

from .draw import _draw_section
from .estimates import _estimates_section
from .stringency import _stringency_section
from .training import _training_section

__all__ = ["_draw_section", "_estimates_section", "_stringency_section", "_training_section"]
