"""Atomic outputs: every output is written beside its target, then renamed into place.

One helper serves a single file, a folder, and several outputs that belong
together (a table with its dictionary and run record, a report with its
figures): they are written into one hidden temporary folder next to the
targets and renamed into place only when every one of them was written. An
earlier version of a target is set aside first and put back if a rename
fails, so a failure leaves the targets as they were and nothing behind.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_outputs([root / "a.txt", root / "b.txt"]) as (a, b):
...     _ = a.write_text("one"), b.write_text("two")
>>> sorted(p.name for p in root.iterdir())
['a.txt', 'b.txt']
>>> with atomic_path(root / "a.txt") as tmp:
...     _ = tmp.write_text("new")
...     raise RuntimeError("stopped half-way")
Traceback (most recent call last):
RuntimeError: stopped half-way
>>> (root / "a.txt").read_text(), sorted(p.name for p in root.iterdir())
('one', ['a.txt', 'b.txt'])
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["atomic_outputs", "atomic_path"]


def _missing_parents(folder: Path) -> list[Path]:
    """The folders above and including ``folder`` that do not exist yet, deepest first."""
    return [p for p in [folder, *folder.parents] if not p.exists()]


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; stops at the first folder that is not empty
        try:
            folder.rmdir()
        except OSError:
            break


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _create_exclusively(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` onto ``target`` only if ``target`` does not exist, in one step the kernel decides.

    A folder is renamed with ``os.rename``, which fails when the target is a
    folder that is not empty; a file is hard-linked (``os.link`` fails when
    the target exists) and its temporary name removed. Whoever comes second
    gets :class:`FileExistsError`; nothing that exists is ever deleted.
    """
    try:
        if tmp.is_dir():
            if target.exists() and not target.is_dir():
                raise FileExistsError(target)
            os.rename(tmp, target)
        else:
            os.link(tmp, target)
            tmp.unlink()
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise FileExistsError(f"{target} already exists; it is never replaced.") from None
        raise


def _move_into_place(temps: list[Path], targets: list[Path], aside: Path, replace: bool) -> None:
    """Rename every temporary onto its target; on failure undo the renames done so far."""
    done: list[tuple[Path, Path | None]] = []  # (target, its earlier version set aside, if any)
    try:
        for tmp, target in zip(temps, targets, strict=True):
            if not replace:
                _create_exclusively(tmp, target)
                done.append((target, None))
                continue
            previous = None
            if target.exists() or target.is_symlink():
                previous = aside / target.name
                os.replace(target, previous)
            done.append((target, previous))
            os.replace(tmp, target)
    except BaseException:
        for target, previous in reversed(done):
            with contextlib.suppress(OSError):
                _remove(target)
                if previous is not None:
                    os.replace(previous, target)
        raise


@contextlib.contextmanager
def atomic_outputs(targets: Sequence[str | os.PathLike[str]], *, replace: bool = True) -> Iterator[list[Path]]:
    """Yield one temporary path per target; rename them all into place on success.

    The targets must lie in one folder (created if needed). Write each output
    (file or folder) at its temporary path. On success every output replaces
    its target, an earlier file or folder of that name included; with
    ``replace=False`` an output is created only where nothing of its name
    exists, decided by the kernel at the rename (so of two concurrent writers
    one succeeds and the other gets :class:`FileExistsError`). On any
    exception nothing changes and the temporary folder, and the folders this
    call created, are removed.
    """
    paths = [Path(t) for t in targets]
    if not paths:
        raise ValueError("`targets` must name at least one output; got none.")
    parent = paths[0].parent
    if any(p.parent != parent for p in paths) or len({p.name for p in paths}) != len(paths):
        raise ValueError(f"`targets` must be distinct names in one folder; got {', '.join(map(str, paths))}.")
    created = _missing_parents(parent)
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{paths[0].name}.", dir=parent))
    finished = False
    try:
        (work / "new").mkdir()
        (work / ".previous").mkdir()
        temps = [work / "new" / p.name for p in paths]
        yield temps
        _move_into_place(temps, paths, work / ".previous", replace)
        finished = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not finished:
            _remove_empty(created)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary path for one file or folder; rename it onto ``target`` on success (see :func:`atomic_outputs`)."""
    with atomic_outputs([target], replace=replace) as (tmp,):
        yield tmp
