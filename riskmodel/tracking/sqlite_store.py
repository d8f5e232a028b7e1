"""A SQLite tracking store is created whole or not at all; a half-made one is repaired or refused in words.

MLflow creates a SQLite store in place: it makes the first tables, then runs
its Alembic migrations one after another, each table created in its own
commit. A process killed in between leaves a file on which every later
MLflow call fails ("table ... already exists"). Here:

- a **new** store is built and migrated to this MLflow's head revision in a
  temporary folder beside the database file (:mod:`features.partials`:
  owner-only, removed by the next run if the process is killed) and linked
  into place only when complete (:func:`features.atomic.atomic_path` with
  ``replace=False``: of two processes creating it at once, one store wins and
  the other is dropped);
- an **existing** store is checked (its tables against MLflow's, its
  schema revision against the head). One that is not complete and holds no
  runs nor registered models is rebuilt the same way and put in its place;
  one that holds runs is left alone and refused with the command that
  repairs it (:class:`StoreError`).

:func:`prepare_sqlite_store` does this once per file and process;
:func:`riskmodel.tracking.store.session` calls it before MLflow opens the file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from features.atomic import atomic_path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: concurrent repairs are not serialised
    fcntl = None  # type: ignore[assignment]

__all__ = ["StoreError", "StoreState", "inspect_store", "prepare_sqlite_store", "store_problem"]

RECORD_TABLES = ("runs", "registered_models", "model_versions", "logged_models")
_COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's files beside a database
_READY: set[tuple[str, int, int]] = set()  # (path, device, inode) of stores found complete in this process
_BLANK: dict[str, bytes] = {}  # head revision -> the bytes of the first empty store this process built


class StoreError(RuntimeError):
    """A tracking store that cannot be used as it is, with what to do about it."""


@dataclass(frozen=True)
class StoreState:
    """What a SQLite file holds: its tables, its Alembic revision, and how many records of value.

    ``records`` counts the rows of :data:`RECORD_TABLES` (runs, registered
    models, their versions, logged models).
    """

    tables: frozenset[str]
    revision: str | None
    records: int


def _connect(db: Path) -> sqlite3.Connection:
    """The file opened read-write without creating it (SQLite rolls back a transaction a killed writer left)."""
    return sqlite3.connect(f"file:{quote(db.absolute().as_posix())}?mode=rw", uri=True, timeout=30)


def inspect_store(db: Path) -> StoreState:
    """The tables, revision and record count of the SQLite file ``db``; :class:`StoreError` if it is not SQLite."""
    try:
        with contextlib.closing(_connect(db)) as con:
            tables = frozenset(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            records = sum(
                con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in RECORD_TABLES if t in tables
            )
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"the tracking store {db} cannot be opened as a SQLite database ({exc}); "
            "give another `--tracking-uri`, or move that file away."
        ) from None
    return StoreState(tables, revision, records)


@functools.cache
def _expected() -> tuple[frozenset[str], str]:
    """The tables this MLflow's store holds and its head schema revision (read once per process)."""
    from mlflow.store.db import utils as db_utils  # imports every table model of the store
    from mlflow.store.db.base_sql_model import Base

    return frozenset(Base.metadata.tables), db_utils._get_latest_schema_revision()


def store_problem(state: StoreState, expected: frozenset[str], head: str) -> str | None:
    """What keeps a store from being complete, in words; None when it is (every table, the head revision)."""
    missing = sorted(expected - state.tables)
    if not missing and state.revision == head:
        return None
    listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    tables = f"; {len(missing)} of its {len(expected)} tables are missing ({listed})" if missing else ""
    return f"its schema revision is {state.revision or 'not recorded'} where this MLflow expects {head}{tables}"


def _build(path: Path) -> None:
    """Create a complete store at ``path``: MLflow's first tables and every migration up to the head.

    The migrations take seconds; a process that makes several stores (a test
    run, a notebook) migrates the first one and writes the same empty file,
    kept in memory, for the next ones (it holds no runs, ids or dates).
    """
    from mlflow.store.db import utils as db_utils

    head = _expected()[1]
    if head in _BLANK:
        path.write_bytes(_BLANK[head])
        return
    engine = db_utils.create_sqlalchemy_engine("sqlite:///" + path.absolute().as_posix())
    try:
        db_utils._initialize_tables(engine)
        db_utils._verify_schema(engine)
    finally:
        engine.dispose()
    _BLANK[head] = path.read_bytes()


def _create(db: Path) -> None:
    """Build a new store beside ``db`` and link it into place, unless another process put one there first."""
    with contextlib.suppress(FileExistsError), atomic_path(db, replace=False) as tmp:
        _build(tmp)


@contextlib.contextmanager
def _locked(db: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``db`` for the block (so two processes never repair it at once)."""
    fd = os.open(db, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _repair(db: Path, expected: frozenset[str], head: str) -> None:
    """Rebuild the store at ``db`` if it is still incomplete and holds no records; refuse if it holds some."""
    with _locked(db):
        state = inspect_store(db)
        problem = store_problem(state, expected, head)
        if problem is None:  # another process repaired it while this one waited for the lock
            return
        if state.records:
            raise StoreError(
                f"the tracking store {db} is not a complete MLflow store: {problem}. It holds {state.records} "
                "record(s) (runs, registered models), so it is not rebuilt: back it up (copy the file), then "
                f"repair it with `mlflow db upgrade sqlite:///{db.absolute().as_posix()}`."
            )
        for suffix in _COMPANIONS:  # left by a killed writer of the old file; they must not touch the new one
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with atomic_path(db) as tmp:
            _build(tmp)


def prepare_sqlite_store(db: Path) -> None:
    """Make sure the SQLite file ``db`` is a complete store of this MLflow (see the module's notes).

    Creates it (and its folder) if missing; rebuilds an incomplete one that
    holds no runs nor registered models; raises :class:`StoreError`, naming
    the repair command, for an incomplete one that holds some. A store found
    complete is not checked again in this process.
    """
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if db.exists():
        stat = db.stat()
        key = (str(db.absolute()), stat.st_dev, stat.st_ino)
        if key in _READY:
            return
    expected, head = _expected()
    if not db.exists():
        _create(db)
    elif store_problem(inspect_store(db), expected, head) is not None:
        _repair(db, expected, head)
    stat = db.stat()
    _READY.add((str(db.absolute()), stat.st_dev, stat.st_ino))
