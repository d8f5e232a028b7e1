"""The tracking store: which URI, a quiet MLflow session pointed at it, the experiment.

Tracking URI: ``tracking_uri=None`` means the ``MLFLOW_TRACKING_URI``
environment variable if set, else ``sqlite:///mlflow.db`` in the current
working directory (:func:`default_tracking_uri`); any URI MLflow accepts
(another SQLite file, a PostgreSQL database, an ``http(s)://`` server) can be
passed, and a path is taken as a SQLite file.

MLflow keeps its tracking and registry URIs as process-wide state;
:func:`session` sets them for one block and puts the previous values back, with
MLflow's and Alembic's logging and warnings silenced. Before MLflow opens a
SQLite store, :func:`prepare_store` makes sure it is complete: a new one is
built whole beside its file and renamed into place, a half-made one is
repaired or refused in words (:mod:`.sqlite_store`), and a store that was
moved or copied to another folder has its artifact locations re-pointed to
the ``mlruns/`` beside it (:mod:`.relocation`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from .relocation import LOCATION_TAG, relocate, store_location
from .sqlite_store import StoreError, prepare_sqlite_store
from .uris import is_supported_uri

__all__ = [
    "StoreError",
    "default_tracking_uri",
    "experiment_id",
    "is_not_found",
    "prepare_store",
    "resolve_uri",
    "session",
    "sqlite_path",
]

_PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


def default_tracking_uri() -> str:
    """The tracking URI used when none is given.

    ``MLFLOW_TRACKING_URI`` if set, else ``sqlite:///<cwd>/mlflow.db`` (an
    absolute path, so a later change of directory does not move the store).

    Examples
    --------
    >>> default_tracking_uri().endswith("mlflow.db") or "MLFLOW_TRACKING_URI" in os.environ
    True
    """
    env = os.environ.get("MLFLOW_TRACKING_URI")
    if env:
        return env
    return "sqlite:///" + (Path.cwd() / "mlflow.db").as_posix()


def resolve_uri(tracking_uri: str | os.PathLike[str] | None) -> str:
    """The tracking URI to use: the default for None, ``sqlite:///<absolute path>`` for a path.

    Examples
    --------
    >>> resolve_uri("sqlite:////data/mlflow.db")
    'sqlite:////data/mlflow.db'
    >>> resolve_uri(" ")
    Traceback (most recent call last):
    ValueError: `tracking_uri` must be a non-empty string or None; got ' '.
    """
    if tracking_uri is None:
        return default_tracking_uri()
    if isinstance(tracking_uri, os.PathLike):
        return "sqlite:///" + Path(tracking_uri).absolute().as_posix()
    if not isinstance(tracking_uri, str) or not tracking_uri.strip():
        raise ValueError(f"`tracking_uri` must be a non-empty string or None; got {tracking_uri!r}.")
    return tracking_uri


def sqlite_path(uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI (None for other stores or in-memory).

    Examples
    --------
    >>> sqlite_path("sqlite:////data/mlflow.db").as_posix()
    '/data/mlflow.db'
    >>> sqlite_path("http://mlflow.example:5000") is None
    True
    """
    if not uri.startswith("sqlite:///"):
        return None
    path = unquote(uri[len("sqlite:///") :].split("?", 1)[0])
    return Path(path) if path and path != ":memory:" else None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence MLflow's and Alembic's logging and Python warnings for the block."""
    names = ("mlflow", "alembic", "sqlalchemy")
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"(mlflow|alembic|sqlalchemy|pydantic|skops)(\.|$)")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def prepare_store(tracking_uri: str | os.PathLike[str] | None = None) -> str:
    """Make the store of ``tracking_uri`` ready before any work; returns the resolved URI.

    A SQLite store is created whole if missing, rebuilt if half-made and
    empty, and refused with :class:`StoreError` (naming the repair command) if
    half-made and holding runs; a store moved to another folder has its
    artifact locations re-pointed to its own ``mlruns/``
    (:func:`riskmodel.tracking.relocation.relocate`). Other stores are left
    to MLflow. A command calls it first, so a broken store is reported before
    hours of work.
    """
    uri = resolve_uri(tracking_uri)
    if not is_supported_uri(uri):
        raise StoreError(
            f"the tracking URI must name a database (sqlite:///PATH/mlflow.db, postgresql://...) or a tracking server "
            f"(http(s)://...); got {uri!r}."
        )
    db = sqlite_path(uri)
    if db is not None:
        with _quiet():
            prepare_sqlite_store(db)
        relocate(db)
    return uri


@contextlib.contextmanager
def session(uri: str) -> Iterator[MlflowClient]:
    """Point MLflow's global tracking and registry URIs at ``uri`` for the block, quietly.

    Yields a client for ``uri``; the previous URIs and environment are restored
    on exit. A SQLite store is prepared first (:func:`prepare_store`: its folder
    created, the store built whole or repaired).
    """
    prepare_store(uri)
    was_set = mlflow.tracking.is_tracking_uri_set()
    old_tracking = mlflow.get_tracking_uri() if was_set else None
    old_registry_env = os.environ.get("MLFLOW_REGISTRY_URI")
    old_bar = os.environ.get(_PROGRESS_BAR)
    with _quiet():
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
        os.environ[_PROGRESS_BAR] = "false"  # no tqdm bars on artifact up/downloads
        try:
            yield MlflowClient(tracking_uri=uri, registry_uri=uri)
        finally:
            mlflow.set_tracking_uri(old_tracking)
            mlflow.set_registry_uri(old_registry_env)
            for name, value in (("MLFLOW_REGISTRY_URI", old_registry_env), (_PROGRESS_BAR, old_bar)):
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def is_not_found(exc: MlflowException) -> bool:
    """Whether an MLflow error means "no such resource"."""
    return exc.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND")


def experiment_id(client: MlflowClient, name: str, uri: str) -> str:
    """Id of the experiment ``name``, restored if deleted, created if missing.

    A new experiment of a SQLite store keeps its artifacts in ``mlruns/``
    beside the database file, and says so in its tag ``certrisk.artifact_location``
    (so that a moved store is re-pointed, :mod:`.relocation`); an experiment made
    before that tag existed gets it while its artifacts are still beside the database.
    """
    db = sqlite_path(uri)
    location = store_location(db, "mlruns") if db is not None else None
    tags = {LOCATION_TAG: "mlruns"} if db is not None else None
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        if exp.lifecycle_stage == "deleted":
            client.restore_experiment(exp.experiment_id)
        if tags and exp.artifact_location == location and LOCATION_TAG not in exp.tags:
            client.set_experiment_tag(exp.experiment_id, LOCATION_TAG, "mlruns")
        return exp.experiment_id
    try:
        return client.create_experiment(name, artifact_location=location, tags=tags)
    except MlflowException:  # created meanwhile by another process
        exp = client.get_experiment_by_name(name)
        if exp is None:
            raise
        return exp.experiment_id
