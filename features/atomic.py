"""Atomic outputs: every output is written beside its target, then renamed into place.

One helper serves a single file, a folder, and several outputs that belong
together (a table with its dictionary and run record, a report with its
figures): they are written into one temporary folder next to the targets and
renamed into place only when every one of them was written. An earlier
version of a target is set aside first and put back if a rename fails, so a
failure leaves the targets as they were and nothing behind.

The temporary folder is owner-only (mode 0700) while it holds the outputs,
named ``.certrisk-partial-<target>-<random>`` and locked by its writer
(:mod:`features.partials`): a writer that is killed leaves it behind, and the
next writer into that folder removes it. The outputs themselves keep the
permissions the umask gives them. :func:`output_problem` says, before any
work, why a target could not be written.

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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .partials import partial_folder, remove_stale_partials

__all__ = ["OUTPUT_PROBLEMS", "OutputProblem", "atomic_outputs", "atomic_path", "find_output_problem", "output_problem"]


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


def _name_the_target(exc: OSError, temporaries: Path, parent: Path) -> None:
    """Point an error's file name from inside the temporary folder to the place it was meant for."""
    for attr in ("filename", "filename2"):
        name = getattr(exc, attr, None)
        if isinstance(name, str) and Path(name).is_relative_to(temporaries):
            setattr(exc, attr, str(parent / Path(name).relative_to(temporaries)))


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
    remove_stale_partials(parent)
    finished = False
    try:
        with partial_folder(parent, paths[0].name) as work:
            (work / "new").mkdir()
            (work / ".previous").mkdir()
            temps = [work / "new" / p.name for p in paths]
            try:
                yield temps
            except OSError as exc:  # name the output the user asked for, not its temporary
                _name_the_target(exc, work / "new", parent)
                raise
            _move_into_place(temps, paths, work / ".previous", replace)
            finished = True
    finally:
        if not finished:
            _remove_empty(created)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary path for one file or folder; rename it onto ``target`` on success (see :func:`atomic_outputs`)."""
    with atomic_outputs([target], replace=replace) as (tmp,):
        yield tmp


def _shown(path: Path) -> str:
    return "the current folder" if str(path) == "." else str(path)


#: Why an output location cannot be written, by kind (:class:`OutputProblem`), in words.
OUTPUT_PROBLEMS = {
    "folder_not_file": "{path} is a folder, not a file",
    "file_not_folder": "{path} is a file, not a folder",
    "file_in_the_way": "{path} is a file, so no folder can be made in it",
    "read_only": "{path} is read-only (no file can be created in it)",
}


class OutputProblem(NamedTuple):
    """Why an output location cannot be written: ``kind`` (a key of :data:`OUTPUT_PROBLEMS`) and the ``path`` at
    fault; its ``str()`` is the sentence."""

    kind: str
    path: Path

    def __str__(self) -> str:
        return OUTPUT_PROBLEMS[self.kind].format(path=_shown(self.path))


def find_output_problem(target: str | os.PathLike[str], *, folder: bool = False) -> OutputProblem | None:
    """Why ``target`` (a file, or a folder with ``folder=True``) could not be written; None if it can.

    Nothing is created: the check looks at the target and at the nearest
    folder above it that exists (missing folders are created by the writers),
    so a command can refuse a location before it starts its work. An
    existing file target is fine (outputs replace earlier versions); whether a
    folder target may already hold something is the caller's rule.
    """
    path = Path(target)
    if path.is_dir() and not folder:
        return OutputProblem("folder_not_file", path)
    if (path.exists() or path.is_symlink()) and folder and not path.is_dir():
        return OutputProblem("file_not_folder", path)
    start = path if folder and path.is_dir() else path.parent
    existing = next((p for p in [start, *start.parents] if p.exists()), None)
    if existing is None:
        return None
    if not existing.is_dir():
        return OutputProblem("file_in_the_way", existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        return OutputProblem("read_only", existing)
    return None


def output_problem(target: str | os.PathLike[str], *, folder: bool = False) -> str | None:
    """Why ``target`` (a file, or a folder with ``folder=True``) could not be written, in words; None if it can
    (:func:`find_output_problem` in a sentence).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "table.csv").write_text("x") and None
    >>> output_problem(root / "new" / "deeper" / "out.csv") is None
    True
    >>> output_problem(root / "table.csv", folder=True) == f"{root / 'table.csv'} is a file, not a folder"
    True
    >>> output_problem(root / "table.csv" / "out.csv") == f"{root / 'table.csv'} is a file, so no folder can be made in it"
    True
    """
    found = find_output_problem(target, folder=folder)
    return None if found is None else str(found)
