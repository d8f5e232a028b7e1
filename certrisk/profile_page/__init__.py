"""Per-body profile pages (全景画像) as self-contained HTML: the features beside the peers, abnormal values
first, the inspections and signals as a timeline, and the grade with its reasons (internal pages only).

>>> from certrisk.profile_page import Profiler, write_profile_page  # doctest: +SKIP
>>> profiler = Profiler(data.tables, build_features(data, as_of), grades=grades, lang="zh")  # doctest: +SKIP
>>> write_profile_page(profiler, "CB00012", "CB00012.html")  # doctest: +SKIP
"""

from __future__ import annotations

from .drawn import Draw, read_draw
from .pages import INDEX, Profiler, page_names, write_profile_page, write_profile_pages

__all__ = ["INDEX", "Draw", "Profiler", "page_names", "read_draw", "write_profile_page", "write_profile_pages"]
