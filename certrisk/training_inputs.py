"""The inputs of a retraining as MLflow sees them: each table a dataset with its canonical digest, and its identity.

Every input table of the data directory is logged with the engine's
canonical content digest (:func:`certrisk.draw.digests.table_digest`: the
same rows give the same digest in any order, from CSV or Parquet), in the
context ``training``; so are the two sets the retraining derives from them:
``training_set`` (features as of each past inspection, label, weight: what
the final models are fitted on, context ``training``) and
``evaluation_set`` (the random inspections of the out-of-time window,
context ``evaluation``).

The retraining's identity (:class:`riskmodel.tracking.Retraining`) is its
as-of date, the data digest (the SHA-256 of every input table's name and
digest) and the settings that change its result; registering the same
identity twice adds no model version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from features.tables import Tables
from riskmodel.quarterly import RetrainingResult
from riskmodel.tracking import InputTable, Retraining
from riskmodel.training import TrainingSet

from .draw.digests import input_digests, table_digest

__all__ = ["data_digest", "input_tables", "retraining_identity"]


def data_digest(digests: Mapping[str, str]) -> str:
    """SHA-256 (hex) of the tables' names and canonical digests, one ``name<TAB>digest`` line each, sorted.

    Examples
    --------
    >>> data_digest({"b": "2", "a": "1"}) == data_digest({"a": "1", "b": "2"}) != data_digest({"a": "1"})
    True
    """
    lines = sorted(f"{name}\t{digest}" for name, digest in digests.items())
    return hashlib.sha256("\n".join(["certrisk-data-v1", *lines]).encode()).hexdigest()


def _rows(ts: TrainingSet) -> pd.DataFrame:
    """A training set as one table: its meta columns, the features, the label and the weight."""
    return pd.concat([ts.meta.reset_index(drop=True), ts.X.reset_index(drop=True)], axis=1).assign(
        serious=ts.y, weight=ts.w
    )


def _source(data_dir: Path, name: str) -> str:
    """The table's file name in the data directory (relative, so a moved folder does not point elsewhere)."""
    found = [p.name for p in (data_dir / f"{name}.parquet", data_dir / f"{name}.csv") if p.is_file()]
    return found[0] if found else name


def input_tables(
    tables: Tables, data_dir: Path, result: RetrainingResult, digests: Mapping[str, str] | None = None
) -> dict[str, InputTable]:
    """Every input table (context ``training``), the training set and the out-of-time evaluation set.

    ``digests`` are the tables' canonical digests when already computed (:func:`input_digests`).
    """
    digests = dict(digests) if digests is not None else input_digests(tables)
    out = {
        name: InputTable(frame, digests[name], "training", _source(Path(data_dir), name))
        for name, frame in sorted(tables.items())
    }
    ts = result.training
    evaluation = ts.on_or_after(result.eval_start)
    evaluation = evaluation.subset(evaluation.meta["kind"].to_numpy() == "random")
    for name, rows, context in (
        ("training_set", _rows(ts), "training"),
        ("evaluation_set", _rows(evaluation), "evaluation"),
    ):
        out[name] = InputTable(rows, table_digest(rows), context)
    return out


def retraining_identity(as_of: pd.Timestamp, digests: Mapping[str, str], settings: Mapping[str, object]) -> Retraining:
    """The identity of a retraining: as-of date, data digest, settings (``key=value``, sorted).

    Examples
    --------
    >>> r = retraining_identity(pd.Timestamp("2026-10-01"), {"bodies": "ab"}, {"seed": 0, "budget_share": 0.25})
    >>> r.as_of, r.settings
    ('2026-10-01', 'budget_share=0.25 seed=0')
    """
    text = " ".join(f"{k}={v}" for k, v in sorted(settings.items()))
    return Retraining(pd.Timestamp(as_of).date().isoformat(), data_digest(digests), text)
