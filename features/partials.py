"""Temporaries of an output: owner-only, locked while in use, removed by the next writer if left behind.

Every output is written into a temporary folder beside its target and
renamed into place (:mod:`features.atomic`). Such a folder holds internal data
(grades, probabilities) until the rename, so it is created by
:func:`tempfile.mkdtemp` (mode 0700: no other account can open it, whatever
the umask) under a name that starts with :data:`PARTIAL_PREFIX`. The writer
holds an exclusive ``flock`` on the folder while it works; the kernel drops
the lock when the process ends, however it ends (a ``kill -9`` included). A
later writer in the same folder calls :func:`remove_stale_partials`: every
temporary whose lock it can take belongs to a process that is gone, and is
removed; the temporary of a writer still at work is left alone.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with partial_folder(root, "grades.csv") as work:
...     work.name.startswith(PARTIAL_PREFIX + "grades.csv-"), oct(work.stat().st_mode & 0o777)
...     remove_stale_partials(root)  # in use: kept
(True, '0o700')
[]
>>> sorted(root.iterdir())  # removed on leaving the block
[]
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: temporaries are not locked, so none is ever removed as stale
    fcntl = None  # type: ignore[assignment]

__all__ = ["PARTIAL_PREFIX", "is_partial", "partial_folder", "remove_stale_partials"]

PARTIAL_PREFIX = ".certrisk-partial-"
_LABEL_CHARS = 80  # of the target's name, in the temporary's name (names stay far below the 255-byte limit)


def is_partial(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is named as a temporary of an output (see :data:`PARTIAL_PREFIX`).

    >>> is_partial(".certrisk-partial-frame.csv-k2x9"), is_partial("frame.csv")
    (True, False)
    """
    return Path(path).name.startswith(PARTIAL_PREFIX)


def _try_lock(path: Path) -> int | None:
    """An open descriptor of ``path`` holding its exclusive lock, or None if another process holds it or it is gone."""
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:  # gone meanwhile, a symbolic link, or not ours to open
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _same_file(path: Path, fd: int) -> bool:
    try:
        return os.path.samestat(os.stat(path, follow_symlinks=False), os.fstat(fd))
    except OSError:
        return False


def remove_stale_partials(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries in ``folder`` whose writer is gone; returns them (none for a missing folder).

    A temporary is stale when its lock can be taken: the process that made it
    ended before removing it (killed, or the machine stopped). A temporary in
    use is locked and kept.
    """
    root = Path(folder)
    if not root.is_dir():
        return []
    removed = []
    for entry in sorted(root.iterdir()):
        if not is_partial(entry):
            continue
        fd = _try_lock(entry)
        if fd is None:
            continue
        try:
            if _same_file(entry, fd):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed.append(entry)
        finally:
            os.close(fd)
    return removed


def _new_locked_folder(parent: Path, label: str) -> tuple[Path, int | None]:
    """A new owner-only folder in ``parent`` and the descriptor holding its lock (None where there is no flock)."""
    while True:
        work = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{label[:_LABEL_CHARS]}-", dir=parent))
        if fcntl is None:  # pragma: no cover
            return work, None
        fd = _try_lock(work)
        if fd is not None and _same_file(work, fd):
            return work, fd
        if fd is not None:  # a cleaner took it between mkdtemp and the lock and removed it: make another
            os.close(fd)


@contextlib.contextmanager
def partial_folder(parent: str | os.PathLike[str], label: str) -> Iterator[Path]:
    """Yield a new temporary folder in ``parent`` (mode 0700, locked), removed with its content on leaving the block.

    ``label`` (the target's name) goes into the folder's name, so a person who
    finds one knows what was being written.
    """
    work, fd = _new_locked_folder(Path(parent), label)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if fd is not None:
            os.close(fd)
