"""The SQLite tracking store is created whole or not at all; a half-made one is repaired or refused in words.

MLflow builds a SQLite store in place, one migration after another; a
process killed in between used to leave a file on which every later call
died with "table ... already exists". Here real processes are killed at
several moments of the store's creation, and half-made stores are planted the
way such a kill leaves them (migrated to a middle revision, with one table of
the next migration already made).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from forking import Forker
from killing import partials
from mlflow import MlflowClient

from certrisk.cli import main
from riskmodel.tracking import StoreError, prepare_store
from riskmodel.tracking.sqlite_store import _expected, inspect_store, store_problem
from riskmodel.tracking.store import session

# prepare_store in real processes forked after the imports (tests/forking.py); a fresh process would import the
# same modules and read the head revision (_expected) before it makes the temporary, so no kill moment moves
IMPORT = (
    "from riskmodel.tracking import prepare_store; from riskmodel.tracking.sqlite_store import _expected; _expected()"
)
CALL = "prepare_store"
LATE_TABLE = "evaluation_datasets"  # made by a migration in the middle of MLflow 3's chain


def _uri(db: Path) -> str:
    return f"sqlite:///{db}"


def _complete(db: Path) -> bool:
    return store_problem(inspect_store(db), *_expected()) is None


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A complete store made by :func:`prepare_store` in this process (its size tells how far a build got)."""
    db = tmp_path_factory.mktemp("reference") / "mlflow.db"
    prepare_store(_uri(db))
    return db


def _make_half_made(db: Path) -> None:
    """What a kill in the middle of MLflow's own creation leaves: migrated to the revision before the one
    that creates ``LATE_TABLE``, with that table already made (its DDL committed, its revision not)."""
    import sqlalchemy
    from alembic import command
    from alembic.script import ScriptDirectory
    from mlflow.store.db import utils as db_utils
    from mlflow.store.db.base_sql_model import Base
    from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

    url = _uri(db)
    config = db_utils._get_alembic_config(url)
    made = re.compile(rf"create_table\(\s*[\"']{LATE_TABLE}[\"']")
    revisions = ScriptDirectory.from_config(config).walk_revisions()  # newest first
    creator = next(r for r in revisions if made.search(Path(r.path).read_text()))
    engine = sqlalchemy.create_engine(url)
    try:
        InitialBase.metadata.create_all(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, str(creator.down_revision))
        Base.metadata.tables[LATE_TABLE].create(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def half_made(tmp_path_factory) -> bytes:
    """The bytes of one half-made store (:func:`_make_half_made`), planted anew by each test that needs one."""
    db = tmp_path_factory.mktemp("half-made") / "mlflow.db"
    _make_half_made(db)
    return db.read_bytes()


def _add_a_run(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO experiments (experiment_id, name, lifecycle_stage) VALUES (7, 'e', 'active')")
        con.execute(
            "INSERT INTO runs (run_uuid, experiment_id, lifecycle_stage, status, source_type) "
            "VALUES ('r1', 7, 'active', 'FINISHED', 'LOCAL')"
        )


# --- killed while creating ---------------------------------------------------------------------
@pytest.mark.e2e
def test_a_store_killed_at_any_point_of_its_creation_is_absent_or_complete(reference, tmp_path):
    """Three kills in one folder: as the temporary appears, once its first tables exist, half-way through
    the migrations. Each later run removes the temporary the previous one left; the last completes."""
    db = tmp_path / "mlflow.db"
    size = reference.stat().st_size

    def built(fraction: float):
        def grown() -> bool:  # the new database in a temporary is past ``fraction`` of a complete one
            try:
                return any(p.stat().st_size > fraction * size for t in partials(tmp_path) for p in t.rglob("*.db"))
            except OSError:  # the previous run's temporary, removed while looked through
                return False

        return grown

    moments = {"temporary folder made": lambda: bool(partials(tmp_path)), "first tables": built(0.0)}
    moments["half the migrations"] = built(0.5)
    with Forker(IMPORT, CALL) as processes:  # one child process per kill, MLflow imported once for the three
        for moment, condition in moments.items():
            assert processes.kill_when(_uri(db), condition), f"finished before the kill point: {moment}"
            assert not db.exists(), moment  # never a half-made store where MLflow looks
            left = partials(tmp_path)
            assert len(left) <= 1 and [p for p in tmp_path.iterdir() if p not in left] == [], moment
            assert all(p.stat().st_mode & 0o777 == 0o700 for p in left), moment  # owner-only while unfinished
    prepare_store(_uri(db))
    assert _complete(db) and partials(tmp_path) == []
    with session(_uri(db)) as client:
        assert [e.name for e in client.search_experiments()] == ["Default"]


# --- planted half-made stores --------------------------------------------------------------------
def test_the_planted_store_breaks_plain_mlflow_as_reported(half_made, tmp_path):
    """The plant reproduces the failure: MLflow alone dies on it with "table ... already exists"."""
    db = tmp_path / "mlflow.db"
    db.write_bytes(half_made)  # what a kill in the middle of MLflow's own creation leaves
    with pytest.raises(Exception, match=f"table {LATE_TABLE} already exists"):
        MlflowClient(tracking_uri=_uri(db)).search_experiments()


def test_a_half_made_store_without_runs_is_rebuilt_and_works(half_made, tmp_path):
    db = tmp_path / "mlflow.db"
    db.write_bytes(half_made)  # what a kill in the middle of MLflow's own creation leaves
    assert "its schema revision is" in store_problem(inspect_store(db), *_expected())
    Path(f"{db}-journal").write_bytes(b"")  # a killed writer's journal must not touch the new file
    with session(_uri(db)) as client:
        assert [e.name for e in client.search_experiments()] == ["Default"]
    assert _complete(db) and sorted(p.name for p in tmp_path.iterdir()) == ["mlflow.db"]


def test_a_half_made_store_with_runs_is_refused_with_the_repair_command_and_kept(half_made, tmp_path):
    db = tmp_path / "mlflow.db"
    db.write_bytes(half_made)  # what a kill in the middle of MLflow's own creation leaves
    _add_a_run(db)
    before = db.read_bytes()
    with pytest.raises(StoreError, match=r"holds 1 record\(s\).*back it up.*`mlflow db upgrade sqlite:///"):
        prepare_store(_uri(db))
    assert db.read_bytes() == before


def test_grade_on_a_half_made_store_with_runs_is_one_sentence(half_made, tmp_path, capsys):
    db = tmp_path / "mlflow.db"
    db.write_bytes(half_made)  # what a kill in the middle of MLflow's own creation leaves
    _add_a_run(db)
    argv = ["grade", str(tmp_path / "data"), "--as-of", "2026-10-01", "--out", str(tmp_path / "g.csv")]
    assert main([*argv, "--tracking-uri", _uri(db)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"certrisk grade: the tracking store {db} is not a complete MLflow store: ")
    assert f"repair it with `mlflow db upgrade sqlite:///{db}`." in line


def test_an_empty_file_is_made_a_store_and_a_foreign_file_is_refused(tmp_path):
    empty = tmp_path / "empty" / "mlflow.db"
    empty.parent.mkdir()
    empty.touch()  # what sqlite leaves when killed before its first page
    prepare_store(_uri(empty))
    assert _complete(empty)
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot be opened as a SQLite database"):
        prepare_store(_uri(foreign))
    assert foreign.read_text() == "not a database\n" * 100


def test_a_complete_store_is_left_as_it_is(reference, tmp_path):
    db = tmp_path / "mlflow.db"
    db.write_bytes(reference.read_bytes())
    before = (db.stat().st_ino, db.read_bytes())
    assert prepare_store(_uri(db)) == _uri(db)
    assert (db.stat().st_ino, db.read_bytes()) == before


@pytest.mark.parametrize("uri", ["foo://bar", "mlruns", "file:///var/mlruns"])
def test_a_store_that_cannot_keep_aliases_is_refused_before_mlflow_opens_it(uri):
    """MLflow's file store (a folder, ``file:``) is in maintenance mode and other schemes are unknown to it: the
    champion and challenger aliases need a database or a tracking server (riskmodel.tracking.uris)."""
    with pytest.raises(StoreError, match=rf"must name a database .* or a tracking server .*; got '{uri}'"):
        prepare_store(uri)
