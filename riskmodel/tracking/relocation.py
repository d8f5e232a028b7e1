"""Artifact locations kept relative to a SQLite store, so a moved or copied store still finds its artifacts.

MLflow records every artifact location as an absolute URI: the experiment's
root, each run's ``artifact_uri``, each logged model's location and each
model version's ``storage_location``. A store copied to another folder with
its ``mlruns/`` would then read (or miss) the artifacts at the old place.

An experiment that :func:`riskmodel.tracking.store.experiment_id` creates
keeps its artifacts in ``mlruns/`` beside the database and carries the tag
``certrisk.artifact_location = mlruns`` (:data:`LOCATION_TAG`): its location
relative to the store's folder. :func:`relocate` (called by
:func:`riskmodel.tracking.prepare_store` whenever a SQLite store is opened)
compares each such experiment's recorded root with ``<folder of the
database>/<tag>``; when they differ, the store was moved, and every URI under
the old root is re-pointed to the new one, in one transaction. After that
plain MLflow (``models:/NAME@champion``, ``mlflow ui``) reads the copy's own
artifacts. Locations not under a tagged experiment's root are left alone.

This module does not import MLflow.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .sqlite_store import StoreError

__all__ = ["LOCATION_TAG", "Move", "relocate", "store_location"]

#: Experiment tag: the experiment's artifact location relative to the store's folder.
LOCATION_TAG = "certrisk.artifact_location"

# Columns holding artifact URIs; runs and logged models belong to one experiment, the others are matched by prefix.
_BY_EXPERIMENT = (("runs", "artifact_uri"), ("logged_models", "artifact_location"))
_BY_PREFIX = (("model_versions", "storage_location"), ("model_versions", "source"), ("trace_tags", "value"))


@dataclass(frozen=True)
class Move:
    """One experiment's artifact root, re-pointed from ``old`` to ``new``."""

    experiment_id: int
    old: str
    new: str


def store_location(db: Path, relative: str) -> str:
    """The absolute ``file:`` URI of ``relative`` in the folder of the database ``db``.

    Examples
    --------
    >>> store_location(Path("/data/demo/mlflow.db"), "mlruns")
    'file:///data/demo/mlruns'
    """
    return (Path(db).absolute().parent / relative).as_uri()


def _moves(con: sqlite3.Connection, db: Path) -> list[Move]:
    rows = con.execute(
        "SELECT e.experiment_id, e.artifact_location, t.value FROM experiments e "
        "JOIN experiment_tags t ON t.experiment_id = e.experiment_id WHERE t.key = ?",
        (LOCATION_TAG,),
    ).fetchall()
    moves = [Move(int(exp), old, store_location(db, rel)) for exp, old, rel in rows]
    return [m for m in moves if m.old != m.new]


def _repoint(con: sqlite3.Connection, move: Move) -> None:
    """Every URI under ``move.old`` starts with ``move.new`` instead."""
    prefix, size = move.old + "/", len(move.old) + 1
    con.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", (move.new, move.experiment_id))
    for table, column in _BY_EXPERIMENT:
        con.execute(
            f"UPDATE {table} SET {column} = ? || substr({column}, ?) "
            f"WHERE experiment_id = ? AND substr({column}, 1, ?) = ?",
            (move.new + "/", size + 1, move.experiment_id, size, prefix),
        )
    for table, column in _BY_PREFIX:
        con.execute(
            f"UPDATE {table} SET {column} = ? || substr({column}, ?) WHERE substr({column}, 1, ?) = ?",
            (move.new + "/", size + 1, size, prefix),
        )


def relocate(db: Path) -> list[Move]:
    """Re-point the artifact URIs of a moved SQLite store to its own folder; the moves made (none: not moved).

    Raises
    ------
    StoreError
        If the store was moved but cannot be written (a read-only copy).
    """
    db = Path(db)
    con = sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        found = _moves(con, db)
        if not found:
            return []
        try:
            con.execute("BEGIN IMMEDIATE")  # one writer; read again under the lock
            moves = _moves(con, db)
            for move in moves:
                _repoint(con, move)
            con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise StoreError(
                f"the tracking store {db} was moved (its artifacts were recorded under {found[0].old}), and its "
                f"artifact locations cannot be re-pointed to its own folder ({exc}); copy it to a writable folder."
            ) from None
        return moves
    finally:
        con.close()
