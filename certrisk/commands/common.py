"""Shared pieces of the subcommands: argument values, progress, loading, writing whole outputs."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalogue import Phrase, Words, read_back, say
from ..errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from features.loading import DataSet

    from ..runinfo import Timer


OUTPUT_FOLDER = Phrase("errors.what_output_folder")  # an output folder given as a positional argument
COMPARISON_COLUMNS = ["auc", "auc_low", "auc_high", "brier", "captured_at_budget", "top_decile_lift"]
SELECTION_COLUMNS = ["candidate", "capture", "auc", "capture_gain_low", "capture_gain_high", "auc_gain_low"]
SELECTION_COLUMNS += ["auc_gain_high", "eligible", "chosen"]


# --- argument values ---------------------------------------------------------------
def check_scale(scale: float, seed: int = 0) -> None:
    """``--scale`` and ``--seed`` of generate and demo, checked before the simulator is loaded."""
    if not 0.001 <= scale <= 10:
        raise UsageError("errors.scale_range", got=scale)
    if seed < 0:
        raise UsageError("errors.seed_negative", got=seed)


def out_folder(args: Any, default: str | None = None) -> Path:
    """The output folder of generate and demo, new or empty: ``--out DIR``, or the positional OUT of old (said
    deprecated on stderr). Both given and different, or neither without a ``default``, is refused naming ``--out``.
    """
    alias, out = getattr(args, "out_alias", None), args.out
    if alias is not None and out is not None and alias != out:
        raise UsageError("errors.out_twice", out=out, alias=alias)
    if alias is not None and out is None:
        print(
            say(getattr(args, "lang", "en"), "cli.deprecated_out", command=args.command, alias=alias), file=sys.stderr
        )
    chosen = out or alias or default
    if chosen is None:
        raise UsageError("errors.out_required", command=args.command)
    return fresh_folder(chosen, "--out" if out or not alias else "OUT")


def fresh_folder(path: str | Path, option: str = OUTPUT_FOLDER) -> Path:
    """An output folder that can be written and is empty (a killed run's temporaries removed first)."""
    from ..outputs import fresh_folder as checked

    return checked(str(path), option)


def writable_folder(text: str, option: str = "--out") -> Path:
    """An output folder (existing or to be made) that can be written, else refused naming ``option``."""
    from ..outputs import writable

    return writable(text, option, folder=True)


def parse_as_of(text: str, option: str = "--as-of") -> pd.Timestamp:
    """The date of ``option``, strictly ISO ``YYYY-MM-DD`` (``01/10/2026``, ``2026`` or ``2026-1-5`` are refused)."""
    import datetime
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UsageError("errors.date_format", option=option, got=text)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError("errors.date_exists", option=option, got=text) from None
    if not datetime.date(1678, 1, 1) <= day <= datetime.date(2261, 12, 31):
        raise UsageError("errors.date_range", option=option, got=text)
    import pandas as pd  # once the date is good: a bad one is refused without loading pandas

    return pd.Timestamp(day)


def step_words(lang: str, message: str) -> str:
    """What a step of a progress bar says, in ``lang``: a sentence of the catalogue, or a library's read back
    (the area ``progress``), else as it is.

    >>> step_words("zh", "out-of-time evaluation: scorecard")
    '跨时段评估：scorecard'
    """
    if isinstance(message, Words):
        return message.in_language(lang)
    return (read_back(lang, message, "progress") if lang != "en" else None) or message


@contextlib.contextmanager
def progress_bar(total: int, desc: str, lang: str = "en") -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr, shown from the first step to the last; yields the callback that advances it.

    ``desc`` is the key of its title in the catalogue's area ``progress``; each step's message is said in
    ``lang`` (:func:`step_words`)."""
    from tqdm import tqdm

    bars: list[Any] = []
    title = say(lang, f"progress.{desc}")

    def advance(message: str) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc=title, unit="step", file=sys.stderr, leave=False))
        bar = bars[0]
        bar.set_description(step_words(lang, message)[:60])
        bar.update(1)
        if bar.n >= total:
            bar.close()

    try:
        yield advance
    finally:
        for bar in bars:
            bar.close()


def load_data(data_dir: str, as_of: pd.Timestamp | None = None) -> DataSet:
    from features import load_data_dir

    return load_data_dir(data_dir, as_of=as_of)


def read_grades(path: str, data: DataSet) -> pd.DataFrame:
    """The grades file, checked by its model and against the data set's bodies (a DataContractError if not)."""
    from features import load_grades

    return load_grades(path, data.tables["bodies"])


def write_all(writers: dict[Path, Callable[[Path], None]]) -> None:
    from ..tables import write_outputs

    write_outputs(writers)


def table_writer(frame: pd.DataFrame) -> Callable[[Path], None]:
    from ..tables import write_table

    return lambda path: write_table(frame, path)


def record_writer(record: dict[str, Any]) -> Callable[[Path], None]:
    from ..runinfo import write_json

    return lambda path: write_json(path, record)


def command_record(
    command: str, data_dir: str, config: dict[str, Any], timer: Timer, outputs: dict[str, Any]
) -> dict[str, Any]:
    from ..runinfo import input_hashes, run_record

    return run_record(command, {"data": input_hashes(Path(data_dir))}, config, timer, outputs)


def table_path(path: str, beside: tuple[str, ...] = (".run.json",)) -> Path:
    """``--out`` FILE of a table, checked: its format, and that it and the files ``beside`` it can be written."""
    from ..outputs import writable
    from ..tables import check_table_path

    out = check_table_path(path)
    return writable(path, "--out", beside=[out.with_name(out.stem + suffix) for suffix in beside])


# --- data ----------------------------------------------------------------------------
