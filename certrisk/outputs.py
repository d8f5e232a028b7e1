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

from features.atomic import OutputProblem, find_output_problem
from features.partials import remove_stale_partials

from .catalogue import Phrase
from .errors import UsageError

__all__ = [
    "INPUT_ARGUMENTS",
    "OUTPUT_ARGUMENTS",
    "OUTPUT_FOLDER",
    "check_apart",
    "fresh_folder",
    "problem_words",
    "writable",
]

OUTPUT_FOLDER = Phrase("errors.what_output_folder")  # an output folder given as a positional argument
#: The arguments (``argparse`` dests) that name what a command reads, and those that name what it writes.
INPUT_ARGUMENTS = (
    "data",
    "draw_folder",
    "training_dir",
    "grades",
    "inspections",
    "previous",
    "dispositions",
    "rules",
    "stringency",
    "draws",
    "draw",
    "estimates",
    "monitor",
    "holidays",
)
OUTPUT_ARGUMENTS = ("out", "out_alias", "html")


def _named(option: str, text: str) -> Phrase:
    """The option as typed with its value (`` `--out` 'x' ``), or what a positional argument is with its value."""
    if option.startswith("-") and not isinstance(option, Phrase):
        return Phrase("errors.named_option", option=option, path=text)
    return Phrase("errors.named_thing", what=option, path=text)


def problem_words(problem: OutputProblem) -> Phrase:
    """Why a location cannot be written, as a sentence of the catalogue (:data:`features.atomic.OUTPUT_PROBLEMS`).

    >>> from pathlib import Path
    >>> problem_words(OutputProblem("read_only", Path("."))).in_language("zh")
    '当前文件夹 为只读（无法在其中创建文件）'
    """
    path: str = Phrase("errors.current_folder") if str(problem.path) == "." else str(problem.path)
    return Phrase(f"errors.output_{problem.kind}", path=path)


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
    problem = find_output_problem(path, folder=folder)
    for other in beside:
        problem = problem or find_output_problem(other)
    if problem:
        raise UsageError("errors.not_writable", named=_named(option, text), problem=problem_words(problem))
    return path


def fresh_folder(text: str, option: str = OUTPUT_FOLDER) -> Path:
    """A folder to create or fill, refused unless it can be written and is empty.

    Temporaries a killed run left there are removed first (they are the next
    run's to clean up, :mod:`features.partials`), so they do not count; the
    temporary of a run still writing there does.
    """
    path = writable(text, option, folder=True)
    remove_stale_partials(path)
    if path.is_dir() and any(path.iterdir()):
        raise UsageError("errors.not_empty", named=_named(option, text))
    return path


def _resolved(text: object) -> Path | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return Path(text).resolve()
    except (OSError, RuntimeError):  # a symlink loop: the command's own checks say so
        return None


def check_apart(values: dict[str, object], names: dict[str, str]) -> None:
    """Refuse an output that is one of the command's existing inputs or lies inside an input folder.

    ``values`` maps each argument (:data:`INPUT_ARGUMENTS`, :data:`OUTPUT_ARGUMENTS`) to its value as typed,
    ``names`` each to its option (``--out``) or, for a positional argument, its name (``DATA``). Paths are compared
    after symlinks are followed, so a link to the input is the input.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp())
    >>> check_apart({"data": str(data), "out": str(data / "features.csv")}, {"data": "DATA", "out": "--out"})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    certrisk.errors.UsageError: `--out` '...features.csv' lies inside DATA '...', a folder the command reads: ...
    """
    for out_name in OUTPUT_ARGUMENTS:
        out = _resolved(values.get(out_name))
        if out is None:
            continue
        for in_name in INPUT_ARGUMENTS:
            source = _resolved(values.get(in_name))
            if source is None or not source.exists():
                continue
            named = _named(names.get(out_name, out_name), str(values[out_name]))
            what = _named(names.get(in_name, in_name), str(values[in_name]))
            if out == source:
                raise UsageError("errors.output_is_input", named=named, input=what)
            if source.is_dir() and source in out.parents:
                raise UsageError("errors.output_inside_input", named=named, input=what)
