"""The input tables of a retraining, logged as MLflow datasets (the run's "Datasets" in the UI).

Each table is an :class:`InputTable`: the pandas frame, its content digest
(computed by the caller, e.g. the engine's canonical table digest), the
context it served in (``training`` or ``evaluation``) and where it was read
from. :func:`log_datasets` logs each one with ``mlflow.data.from_pandas`` and
``mlflow.log_input``: MLflow keeps the name, the digest, the source, the
schema and the profile (rows, cells), not the data.

MLflow keeps at most 36 characters of a dataset's digest
(:data:`DIGEST_CHARS`), so the dataset carries the digest's first 36
characters and the input tag ``certrisk.digest`` carries it whole.

MLflow infers a table's schema from every value of its text columns (18 s
for a million rows); here it is inferred from the first
:data:`SCHEMA_ROWS` rows, which give the same column types for the
engine's typed tables, while the profile counts every row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["CONTEXTS", "DIGEST_CHARS", "DIGEST_TAG", "SCHEMA_ROWS", "InputTable", "check_datasets", "log_datasets"]

#: The contexts a table can serve in.
CONTEXTS = ("training", "evaluation")
#: Characters of a digest MLflow keeps for a dataset.
DIGEST_CHARS = 36
#: Input tag holding the whole digest.
DIGEST_TAG = "certrisk.digest"
#: Rows the schema is inferred from.
SCHEMA_ROWS = 1000

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_DIGEST = re.compile(r"^[0-9a-f]{36,128}$")


@dataclass(frozen=True)
class InputTable:
    """One input table of a retraining.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table as the retraining read it.
    digest : str
        Hex digest of its content, 36 to 128 lowercase hex characters (e.g. a SHA-256).
    context : str, default="training"
        ``"training"`` or ``"evaluation"``.
    source : str, default=""
        Where it was read from, e.g. its file name (shown as the dataset's
        source; kept relative so a moved store does not point elsewhere).
        Empty: the table's name.
    """

    frame: pd.DataFrame
    digest: str
    context: str = "training"
    source: str = ""


def check_datasets(datasets: object) -> None:
    """Raise ``TypeError``/``ValueError`` for the first bad entry of ``datasets`` (name -> :class:`InputTable`).

    Examples
    --------
    >>> check_datasets({"bodies": InputTable(pd.DataFrame({"a": [1]}), "0" * 64)})
    >>> check_datasets({"bodies": InputTable(pd.DataFrame({"a": [1]}), "0" * 64, context="test")})
    Traceback (most recent call last):
    ValueError: `datasets['bodies']` context must be one of ('training', 'evaluation'); got 'test'.
    """
    if not isinstance(datasets, Mapping):
        raise TypeError(f"`datasets` must be a dict; got {type(datasets).__name__}.")
    for name, table in datasets.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(
                "`datasets` keys must be 1-100 letters, digits, '_', '-' or '.', starting with a letter or digit; "
                f"got {name!r}."
            )
        if not isinstance(table, InputTable) or not isinstance(table.frame, pd.DataFrame):
            raise TypeError(f"`datasets[{name!r}]` must be an InputTable holding a pandas DataFrame.")
        if not isinstance(table.digest, str) or not _DIGEST.match(table.digest):
            raise ValueError(
                f"`datasets[{name!r}]` digest must be 36 to 128 lowercase hex characters; got {table.digest!r}."
            )
        if table.context not in CONTEXTS:
            raise ValueError(f"`datasets[{name!r}]` context must be one of {CONTEXTS}; got {table.context!r}.")


def _dataset(name: str, table: InputTable) -> Any:
    """The MLflow pandas dataset of one table, its schema from the first rows."""
    import mlflow.data
    from mlflow.models import infer_signature

    dataset = mlflow.data.from_pandas(
        table.frame, name=name, digest=table.digest[:DIGEST_CHARS], source=table.source or name
    )
    if len(table.frame) > SCHEMA_ROWS:  # ``schema`` is a cached property: filled here from the first rows
        dataset.__dict__["schema"] = infer_signature(table.frame.head(SCHEMA_ROWS)).inputs
    return dataset


def log_datasets(datasets: Mapping[str, InputTable]) -> None:
    """Log each table as a dataset input of the active run, with its context and whole digest as tags."""
    import mlflow

    if datasets:
        mlflow.log_inputs(
            datasets=[_dataset(name, table) for name, table in datasets.items()],
            contexts=[table.context for table in datasets.values()],
            tags_list=[{DIGEST_TAG: table.digest} for table in datasets.values()],
        )
