"""One MLflow run per quarterly retraining: the arguments checked, then everything logged.

:func:`log_training_run` records the parameters, the hashes of the input data,
the input tables as MLflow datasets (:mod:`riskmodel.tracking.datasets`), the
metrics, the figures (PNG) and tables (CSV) and every fitted model (see
:mod:`riskmodel.tracking.serialization` for the format and requirements).
Every argument is checked before anything is written, so a bad call leaves
the store untouched.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tempfile
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mlflow
import mlflow.sklearn
import pandas as pd
from mlflow.entities import Metric, Param, RunTag
from mlflow.models import infer_signature

from .datasets import InputTable, check_datasets, log_datasets
from .serialization import pip_requirements, serialization
from .store import experiment_id, resolve_uri, session

__all__ = ["DEFAULT_EXPERIMENT", "EXAMPLE_ROWS", "TrainingRun", "check_name", "log_training_run"]

DEFAULT_EXPERIMENT = "certrisk-quarterly"
#: Rows of the input example stored with each model.
EXAMPLE_ROWS = 5

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")  # figure, table and model keys: file names
_NAME = re.compile(r"^[/\w.\- :]+$")  # param and metric names, as MLflow accepts them


@dataclass(frozen=True)
class TrainingRun:
    """One logged retraining.

    Attributes
    ----------
    run_id : str
        MLflow run id.
    experiment_id : str
    tracking_uri : str
        Where the run is stored.
    model_uris : dict of str to str
        ``models:/<model id>`` URI of each logged model, by key.
    serialization : dict of str to str
        ``"skops"`` or ``"cloudpickle"``, by model key.
    seconds : float
        Wall time spent logging.
    """

    run_id: str
    experiment_id: str
    tracking_uri: str
    model_uris: dict[str, str]
    serialization: dict[str, str] = field(default_factory=dict)
    seconds: float = float("nan")


# ------------------------------------------------------------------ validation
def _check_key(key: object, what: str) -> str:
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(
            f"{what} must be 1-100 letters, digits, '_', '-' or '.', starting with a letter or digit; got {key!r}."
        )
    return key


def check_name(key: object, what: str) -> str:
    """A param or metric name as MLflow accepts it (letters, digits, ``_ - . / : `` and spaces).

    Examples
    --------
    >>> check_name("scorecard.oot_brier", "`metrics` keys")
    'scorecard.oot_brier'
    >>> check_name("../x", "`params` keys")
    Traceback (most recent call last):
    ValueError: `params` keys must be 1-250 letters, digits, spaces or '_-.:/', not a path like '../x'; got '../x'.
    """
    if (
        not isinstance(key, str)
        or not 0 < len(key) <= 250
        or not _NAME.match(key)
        or posixpath.normpath(key) != key
        or key.startswith((".", "/"))
    ):
        raise ValueError(
            f"{what} must be 1-250 letters, digits, spaces or '_-.:/', not a path like '../x'; got {key!r}."
        )
    return key


def _flatten(params: Mapping[Any, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"`params` keys must be non-empty strings; got {key!r}.")
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if len(text) > 6000:
            raise ValueError(f"`params[{name!r}]` is {len(text)} characters long; MLflow keeps at most 6000.")
        out[check_name(name, "`params` keys")] = text
    return out


def _check_data_hashes(data_hashes: Mapping[str, str], flat_params: Mapping[str, str]) -> None:
    for key, value in data_hashes.items():
        check_name(f"data_hash.{key}", "`data_hashes` keys (after 'data_hash.')")
        if not isinstance(value, str) or not value:
            raise ValueError(f"`data_hashes[{key!r}]` must be a non-empty string; got {value!r}.")
        if f"data_hash.{key}" in flat_params:
            raise ValueError(f"`params` already has the key 'data_hash.{key}' used for `data_hashes`.")


def _check_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    clean = {}
    for key, value in metrics.items():
        check_name(key, "`metrics` keys")
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise ValueError(f"`metrics[{key!r}]` must be a number; got {value!r}.")
        clean[key] = float(value)
    return clean


def _check_artifacts(figures: Mapping[str, Any], tables: Mapping[str, Any]) -> None:
    from matplotlib.figure import Figure  # here, so that importing this module does not load matplotlib

    for key, fig in figures.items():
        _check_key(key, "`figures` keys")
        if not isinstance(fig, Figure):
            raise TypeError(f"`figures[{key!r}]` must be a matplotlib Figure; got {type(fig).__name__}.")
    for key, table in tables.items():
        _check_key(key, "`tables` keys")
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"`tables[{key!r}]` must be a pandas DataFrame; got {type(table).__name__}.")


def _check_models(models: Mapping[str, Any], input_example: object) -> None:
    if not models:
        raise ValueError("`models` must hold at least one fitted model; got none.")
    for key, model in models.items():
        _check_key(key, "`models` keys")
        if not callable(getattr(model, "predict_proba", None)):
            raise TypeError(f"`models[{key!r}]` must have a predict_proba method; got {type(model).__name__}.")
    if not isinstance(input_example, pd.DataFrame) or len(input_example) == 0:
        got = f"{len(input_example)} rows" if isinstance(input_example, pd.DataFrame) else type(input_example).__name__
        raise ValueError(f"`input_example` must be a non-empty pandas DataFrame of model inputs; got {got}.")


def _check_log_args(
    run_name: object,
    params: Any,
    data_hashes: Any,
    metrics: Any,
    figures: Any,
    tables: Any,
    models: Any,
    input_example: object,
) -> tuple[dict[str, str], dict[str, float]]:
    """Flattened params and float metrics, or the first bad argument's error."""
    if not isinstance(run_name, str) or not run_name.strip():
        raise ValueError(f"`run_name` must be a non-empty string; got {run_name!r}.")
    for name, value in (
        ("params", params),
        ("data_hashes", data_hashes),
        ("metrics", metrics),
        ("figures", figures),
        ("tables", tables),
        ("models", models),
    ):
        if not isinstance(value, Mapping):
            raise TypeError(f"`{name}` must be a dict; got {type(value).__name__}.")
    flat = _flatten(params)
    _check_data_hashes(data_hashes, flat)
    clean_metrics = _check_metrics(metrics)
    _check_artifacts(figures, tables)
    _check_models(models, input_example)
    return flat, clean_metrics


# ---------------------------------------------------------------------- logging
def _log_artifacts(client: Any, run_id: str, figures: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> None:
    """Figures as ``figures/<key>.png``, tables as ``tables/<key>.csv``."""
    with tempfile.TemporaryDirectory(prefix="certrisk-run-") as tmp:
        root = Path(tmp)
        if figures:
            (root / "figures").mkdir()
            for key, fig in figures.items():
                fig.savefig(root / "figures" / f"{key}.png", format="png", dpi=120)
        if tables:
            (root / "tables").mkdir()
            for key, table in tables.items():
                table.to_csv(root / "tables" / f"{key}.csv", index=False, encoding="utf-8")
        if figures or tables:
            client.log_artifacts(run_id, str(root))


def _log_model(key: str, model: Any, example: pd.DataFrame) -> tuple[str, str]:
    """Log one model into the active run; its URI and serialization format."""
    saved = serialization(model)
    if saved.fallback_reason is not None:
        warnings.warn(
            f"model {key!r} is saved with cloudpickle because {saved.fallback_reason}; loading it runs "
            "pickle, so load only models from a tracking store you trust.",
            UserWarning,
            stacklevel=3,  # the caller of log_training_run
        )
    signature = infer_signature(example, model.predict_proba(example))
    info = mlflow.sklearn.log_model(
        model,
        name=key,
        signature=signature,
        input_example=example,
        pyfunc_predict_fn="predict_proba",
        serialization_format=saved.format,
        skops_trusted_types=saved.trusted_types,
        pip_requirements=pip_requirements(saved.format),
    )
    mlflow.set_tag(f"serialization.{key}", saved.format)
    return info.model_uri, saved.format


def _check_tags(tags: object) -> dict[str, str]:
    if not isinstance(tags, Mapping):
        raise TypeError(f"`tags` must be a dict; got {type(tags).__name__}.")
    for key, value in tags.items():
        check_name(key, "`tags` keys")
        if not isinstance(value, str) or len(value) > 5000:
            raise ValueError(f"`tags[{key!r}]` must be a string of at most 5000 characters; got {value!r:.60}.")
    return dict(tags)


def log_training_run(
    *,
    tracking_uri: str | os.PathLike[str] | None = None,
    experiment: str = DEFAULT_EXPERIMENT,
    run_name: str,
    params: Mapping[str, Any],
    data_hashes: Mapping[str, str],
    metrics: Mapping[str, float],
    figures: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    models: Mapping[str, Any],
    input_example: pd.DataFrame,
    datasets: Mapping[str, InputTable] | None = None,
    tags: Mapping[str, str] | None = None,
) -> TrainingRun:
    """Log one retraining as one MLflow run.

    Parameters
    ----------
    tracking_uri : str or os.PathLike, optional
        Tracking store; None means :func:`default_tracking_uri`
        (``sqlite:///mlflow.db`` in the working directory). A path is taken
        as a SQLite file.
    experiment : str, default="certrisk-quarterly"
        Experiment name; created if missing (for SQLite stores, artifacts go
        to ``mlruns/`` beside the database file).
    run_name : str
        E.g. ``"2025Q3"``.
    params : dict
        Training parameters; nested dicts are flattened to dotted keys and
        non-string values stored as JSON.
    data_hashes : dict of str to str
        Hash of each input table, logged as params ``data_hash.<name>``.
    metrics : dict of str to float
        E.g. ``{"scorecard.oot_brier": 0.071, "gbm.oot_auc": 0.74}``.
    figures : dict of str to matplotlib.figure.Figure
        Logged as ``figures/<key>.png``.
    tables : dict of str to pandas.DataFrame
        Logged as ``tables/<key>.csv`` (UTF-8, without the index).
    models : dict of str to estimator
        Fitted models with ``predict_proba``, each logged as an MLflow model
        named ``<key>`` with a signature inferred from ``input_example`` and
        ``predict_proba`` as the pyfunc method.
    input_example : pandas.DataFrame
        Model inputs (the feature columns); its first 5 rows are stored with
        each model.
    datasets : dict of str to InputTable, optional
        The input tables, each logged as an MLflow dataset named by its key,
        with its digest and context (``training`` or ``evaluation``).
    tags : dict of str to str, optional
        More run tags, e.g. ``{"certrisk.as_of": "2026-10-01"}``.

    Returns
    -------
    TrainingRun

    Raises
    ------
    ValueError, TypeError
        For a bad argument, before anything is written: an empty ``run_name``,
        a key that is not a plain name, a metric that is not a number, a
        model without ``predict_proba``, an empty ``input_example``.

    Examples
    --------
    >>> run = log_training_run(run_name="2025Q3", params={"nonrandom": "exclude"},
    ...                        data_hashes={"inspections": "sha256:..."},
    ...                        metrics={"scorecard.oot_brier": 0.07}, figures={}, tables={},
    ...                        models={"scorecard": model}, input_example=X)  # doctest: +SKIP
    >>> run.model_uris["scorecard"]  # doctest: +SKIP
    'models:/m-5f0c...'
    """
    flat, clean_metrics = _check_log_args(
        run_name, params, data_hashes, metrics, figures, tables, models, input_example
    )
    datasets = {} if datasets is None else datasets
    check_datasets(datasets)
    run_tags = _check_tags({} if tags is None else tags)
    if not isinstance(experiment, str) or not experiment.strip():
        raise ValueError(f"`experiment` must be a non-empty string; got {experiment!r}.")
    uri = resolve_uri(tracking_uri)
    active_run = mlflow.active_run()
    if active_run is not None:
        raise RuntimeError(
            f"An MLflow run is already active (run_id {active_run.info.run_id}); end it before logging a retraining."
        )
    started = time.perf_counter()
    example = input_example.head(EXAMPLE_ROWS)
    model_uris: dict[str, str] = {}
    formats: dict[str, str] = {}
    with session(uri) as client:
        exp_id = experiment_id(client, experiment, uri)
        with mlflow.start_run(experiment_id=exp_id, run_name=run_name) as active:
            run_id = active.info.run_id
            now = int(time.time() * 1000)
            client.log_batch(
                run_id,
                metrics=[Metric(k, v, now, 0) for k, v in clean_metrics.items()],
                params=[Param(k, v) for k, v in flat.items()]
                + [Param(f"data_hash.{k}", v) for k, v in data_hashes.items()],
                tags=[RunTag("certrisk.kind", "quarterly-retraining"), RunTag("certrisk.models", ",".join(models))]
                + [RunTag(k, v) for k, v in run_tags.items()],
                synchronous=True,
            )
            log_datasets(datasets)
            _log_artifacts(client, run_id, figures, tables)
            for key, model in models.items():
                model_uris[key], formats[key] = _log_model(key, model, example)
    return TrainingRun(
        run_id=run_id,
        experiment_id=exp_id,
        tracking_uri=uri,
        model_uris=model_uris,
        serialization=formats,
        seconds=time.perf_counter() - started,
    )
