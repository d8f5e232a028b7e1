"""Where a command may write: every output location checked before the work starts.

A location that cannot be written (a read-only folder, a file where a folder
is needed, a folder where a file is needed, a folder below a file) is refused
in one sentence that names the option and the path as written, before any
data is read, so nothing is written and nothing earlier is lost. The writers
themselves are atomic (:mod:`features.atomic`); their temporaries left by a
killed run are removed by the next run into the same folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from features.atomic import output_problem
from features.partials import remove_stale_partials

from .errors import UsageError

__all__ = ["fresh_folder", "writable"]


def _named(option: str, text: str) -> str:
    return f"`{option}` {text!r}" if option.startswith("-") else f"{option} {text!r}"


def writable(
    text: str, option: str, *, folder: bool = False, beside: Iterable[Path] = (), path: Path | None = None
) -> Path:
    """``text`` as the path of an output, refused (:class:`UsageError`) when it cannot be written.

    ``option`` names the argument (``--out``, or ``output folder`` for a
    positional one); ``beside`` are the files written next to it (a
    dictionary, a run record), checked as files too. ``path`` is the file
    meant when ``text`` is not a path itself (the database of a tracking URI).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> writable(str(root / "new" / "grades.csv"), "--out") == root / "new" / "grades.csv"
    True
    >>> writable(str(root), "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    certrisk.errors.UsageError: `--out` '...' cannot be written: ... is a folder, not a file; nothing was written.
    """
    path = Path(text) if path is None else path
    problem = output_problem(path, folder=folder)
    for other in beside:
        problem = problem or output_problem(other)
    if problem:
        raise UsageError(f"{_named(option, text)} cannot be written: {problem}; nothing was written.")
    return path


def fresh_folder(text: str, option: str = "output folder") -> Path:
    """A folder to create or fill, refused unless it can be written and is empty.

    Temporaries a killed run left there are removed first (they are the next
    run's to clean up, :mod:`features.partials`), so they do not count; the
    temporary of a run still writing there does.
    """
    path = writable(text, option, folder=True)
    remove_stale_partials(path)
    if path.is_dir() and any(path.iterdir()):
        raise UsageError(f"{_named(option, text)} exists and is not empty; choose a new one.")
    return path
