"""MLflow tracking of the quarterly retraining: one run, a registry, two aliases.

Each retraining is one MLflow run (:func:`log_training_run`) holding the
parameters, the hashes of the input data, the metrics, the figures (PNG) and
tables (CSV) and every fitted model. The candidate model is then registered
under one name and promoted by alias (:func:`register_and_promote`):
``challenger`` always points at the newest registered version, ``champion``
moves to it only if it is not worse than the current champion on the
out-of-time metric by more than a margin. Grading and drawing load the model
by alias (:func:`load_model`). Stages are not used (deprecated in MLflow).

Tracking URI: ``tracking_uri=None`` means the ``MLFLOW_TRACKING_URI``
environment variable if set, else ``sqlite:///mlflow.db`` in the current
working directory (:func:`default_tracking_uri`); any URI MLflow accepts
(another SQLite file, a PostgreSQL database, an ``http(s)://`` server) can be
passed.

Serialization: models are saved in the ``skops`` format (MLflow's default; it
does not execute code when loading) with ``skops_trusted_types`` set to the
types found in the estimator, which must come from :data:`TRUSTED_MODULES`
(``riskmodel``, ``sklearn``, ``numpy``, ``scipy``). An estimator that skops
cannot save, or that holds a type from another module, is saved with
``cloudpickle`` instead, with a warning; the run's tag
``serialization.<model key>`` records the format used. See docs/tracking.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import posixpath
import re
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd

# Usage telemetry would send requests to an outside server from a regulator's
# machines; off unless the user asked for it explicitly.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param, RunTag  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402

__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "DEFAULT_EXPERIMENT",
    "DEFAULT_MODEL_NAME",
    "ModelVersionInfo",
    "PromotionDecision",
    "TrainingRun",
    "default_tracking_uri",
    "load_model",
    "log_training_run",
    "model_version_info",
    "register_and_promote",
]

DEFAULT_EXPERIMENT = "certrisk-quarterly"
DEFAULT_MODEL_NAME = "certrisk-risk-model"
CHAMPION = "champion"
CHALLENGER = "challenger"
#: Modules whose types a saved model may contain and still be saved with skops.
TRUSTED_MODULES = ("riskmodel", "sklearn", "numpy", "scipy")
#: Rows of the input example stored with each model.
EXAMPLE_ROWS = 5

_PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")  # figure, table and model keys: file names
_NAME = re.compile(r"^[/\w.\- :]+$")  # param and metric names, as MLflow accepts them


# --------------------------------------------------------------------- results
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


@dataclass(frozen=True)
class PromotionDecision:
    """Outcome of :func:`register_and_promote`, also logged as ``promotion.json``.

    Attributes
    ----------
    model_name : str
    version : int
        The registered version of the candidate (alias ``challenger``).
    candidate : str
        Key of the candidate in the run's models.
    run_id : str
    metric : str
        Metric compared (e.g. ``"oot_brier"``).
    candidate_value : float
    champion_value : float or None
        The champion's value of ``metric``; None if there was no champion.
    champion_version : int or None
        The champion's version before the decision.
    margin : float
    lower_is_better : bool
    promoted : bool
        True if alias ``champion`` now points at ``version``.
    rule : str
        The rule in words, with its numbers.
    """

    model_name: str
    version: int
    candidate: str
    run_id: str
    metric: str
    candidate_value: float
    champion_value: float | None
    champion_version: int | None
    margin: float
    lower_is_better: bool
    promoted: bool
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """The decision as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class ModelVersionInfo:
    """The registered version an alias points at.

    Attributes
    ----------
    model_name, alias : str
    version : int
    run_id : str
        The run that logged the model.
    model_uri : str
        ``models:/<name>/<version>``.
    source : str
        Where the model's files are (``models:/<model id>`` in MLflow 3).
    candidate : str or None
        Key of the model in its run (tag ``candidate``).
    """

    model_name: str
    alias: str
    version: int
    run_id: str
    model_uri: str
    source: str
    candidate: str | None


# ------------------------------------------------------------------ plumbing
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


def _resolve_uri(tracking_uri: str | os.PathLike | None) -> str:
    if tracking_uri is None:
        return default_tracking_uri()
    if isinstance(tracking_uri, os.PathLike):
        return "sqlite:///" + Path(tracking_uri).absolute().as_posix()
    if not isinstance(tracking_uri, str) or not tracking_uri.strip():
        raise ValueError(f"`tracking_uri` must be a non-empty string or None; got {tracking_uri!r}.")
    return tracking_uri


def _sqlite_path(uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI (None for other stores or in-memory)."""
    if not uri.startswith("sqlite:///"):
        return None
    path = unquote(uri[len("sqlite:///"):].split("?", 1)[0])
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


@contextlib.contextmanager
def _session(uri: str) -> Iterator[MlflowClient]:
    """Point MLflow's global tracking and registry URIs at ``uri`` for the block, quietly."""
    db = _sqlite_path(uri)
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
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


def _not_found(exc: MlflowException) -> bool:
    return exc.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND")


def _experiment_id(client: MlflowClient, name: str, uri: str) -> str:
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        if exp.lifecycle_stage == "deleted":
            client.restore_experiment(exp.experiment_id)
        return exp.experiment_id
    db = _sqlite_path(uri)
    location = (db.absolute().parent / "mlruns").as_uri() if db is not None else None
    try:
        return client.create_experiment(name, artifact_location=location)
    except MlflowException:  # created meanwhile by another process
        exp = client.get_experiment_by_name(name)
        if exp is None:
            raise
        return exp.experiment_id


def _serialization(model) -> tuple[str, list[str] | None, str | None]:
    """skops with the model's own types trusted, or cloudpickle (with the reason)."""
    try:
        import skops.io as sio

        untrusted = list(sio.get_untrusted_types(data=sio.dumps(model)))
    except Exception as exc:  # noqa: BLE001 - any failure means skops cannot take this model
        return "cloudpickle", None, f"skops cannot save it ({type(exc).__name__}: {exc})"
    outside = [t for t in untrusted if t.split(".", 1)[0] not in TRUSTED_MODULES]
    if outside:
        return "cloudpickle", None, f"it holds types outside {list(TRUSTED_MODULES)}: {outside}"
    return "skops", untrusted, None


def _requirements(fmt: str) -> list[str]:
    """Pinned requirements written with the model (skips MLflow's slow inference)."""
    dists = ["scikit-learn", "numpy", "pandas", "scipy", "skops" if fmt == "skops" else "cloudpickle"]
    out = []
    for dist in dists:
        try:
            out.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(dist)
    return out


# ------------------------------------------------------------------ validation
def _check_key(key, what: str) -> str:
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(
            f"{what} must be 1-100 letters, digits, '_', '-' or '.', starting with a letter or digit; got {key!r}."
        )
    return key


def _check_name(key, what: str) -> str:
    """A param or metric name as MLflow accepts it (letters, digits, ``_ - . / : `` and spaces)."""
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


def _flatten(params: Mapping, prefix: str = "") -> dict[str, str]:
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
        out[_check_name(name, "`params` keys")] = text
    return out


def _check_log_args(run_name, params, data_hashes, metrics, figures, tables, models, input_example):
    from matplotlib.figure import Figure

    if not isinstance(run_name, str) or not run_name.strip():
        raise ValueError(f"`run_name` must be a non-empty string; got {run_name!r}.")
    for name, value in (("params", params), ("data_hashes", data_hashes), ("metrics", metrics),
                        ("figures", figures), ("tables", tables), ("models", models)):
        if not isinstance(value, Mapping):
            raise TypeError(f"`{name}` must be a dict; got {type(value).__name__}.")
    flat = _flatten(params)
    for key, value in data_hashes.items():
        _check_name(f"data_hash.{key}", "`data_hashes` keys (after 'data_hash.')")
        if not isinstance(value, str) or not value:
            raise ValueError(f"`data_hashes[{key!r}]` must be a non-empty string; got {value!r}.")
        if f"data_hash.{key}" in flat:
            raise ValueError(f"`params` already has the key 'data_hash.{key}' used for `data_hashes`.")
    clean_metrics = {}
    for key, value in metrics.items():
        _check_name(key, "`metrics` keys")
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise ValueError(f"`metrics[{key!r}]` must be a number; got {value!r}.")
        clean_metrics[key] = float(value)
    for key, fig in figures.items():
        _check_key(key, "`figures` keys")
        if not isinstance(fig, Figure):
            raise TypeError(f"`figures[{key!r}]` must be a matplotlib Figure; got {type(fig).__name__}.")
    for key, table in tables.items():
        _check_key(key, "`tables` keys")
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"`tables[{key!r}]` must be a pandas DataFrame; got {type(table).__name__}.")
    if not models:
        raise ValueError("`models` must hold at least one fitted model; got none.")
    for key, model in models.items():
        _check_key(key, "`models` keys")
        if not callable(getattr(model, "predict_proba", None)):
            raise TypeError(f"`models[{key!r}]` must have a predict_proba method; got {type(model).__name__}.")
    if not isinstance(input_example, pd.DataFrame) or len(input_example) == 0:
        got = f"{len(input_example)} rows" if isinstance(input_example, pd.DataFrame) else type(input_example).__name__
        raise ValueError(f"`input_example` must be a non-empty pandas DataFrame of model inputs; got {got}.")
    return flat, clean_metrics


# ------------------------------------------------------------------------ API
def log_training_run(
    *,
    tracking_uri: str | os.PathLike | None = None,
    experiment: str = DEFAULT_EXPERIMENT,
    run_name: str,
    params: Mapping[str, Any],
    data_hashes: Mapping[str, str],
    metrics: Mapping[str, float],
    figures: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    models: Mapping[str, Any],
    input_example: pd.DataFrame,
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
    flat, clean_metrics = _check_log_args(run_name, params, data_hashes, metrics, figures, tables, models, input_example)
    if not isinstance(experiment, str) or not experiment.strip():
        raise ValueError(f"`experiment` must be a non-empty string; got {experiment!r}.")
    uri = _resolve_uri(tracking_uri)
    if mlflow.active_run() is not None:
        raise RuntimeError(
            f"An MLflow run is already active (run_id {mlflow.active_run().info.run_id}); end it before logging a retraining."
        )
    started = time.perf_counter()
    example = input_example.head(EXAMPLE_ROWS)
    model_uris: dict[str, str] = {}
    formats: dict[str, str] = {}
    with _session(uri) as client:
        experiment_id = _experiment_id(client, experiment, uri)
        with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as active:
            run_id = active.info.run_id
            now = int(time.time() * 1000)
            client.log_batch(
                run_id,
                metrics=[Metric(k, v, now, 0) for k, v in clean_metrics.items()],
                params=[Param(k, v) for k, v in flat.items()]
                + [Param(f"data_hash.{k}", v) for k, v in data_hashes.items()],
                tags=[RunTag("certrisk.kind", "quarterly-retraining"),
                      RunTag("certrisk.models", ",".join(models))],
                synchronous=True,
            )
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
            for key, model in models.items():
                fmt, trusted, reason = _serialization(model)
                if reason is not None:
                    warnings.warn(
                        f"model {key!r} is saved with cloudpickle because {reason}; loading it runs "
                        "pickle, so load only models from a tracking store you trust.",
                        UserWarning,
                        stacklevel=2,
                    )
                signature = infer_signature(example, model.predict_proba(example))
                info = mlflow.sklearn.log_model(
                    model,
                    name=key,
                    signature=signature,
                    input_example=example,
                    pyfunc_predict_fn="predict_proba",
                    serialization_format=fmt,
                    skops_trusted_types=trusted,
                    pip_requirements=_requirements(fmt),
                )
                model_uris[key] = info.model_uri
                formats[key] = fmt
                mlflow.set_tag(f"serialization.{key}", fmt)
    return TrainingRun(
        run_id=run_id,
        experiment_id=experiment_id,
        tracking_uri=uri,
        model_uris=model_uris,
        serialization=formats,
        seconds=time.perf_counter() - started,
    )


def _champion_metric(client: MlflowClient, version, metric: str) -> float:
    run = client.get_run(version.run_id)
    key = version.tags.get("candidate")
    names = ([f"{key}.{metric}"] if key else []) + [metric]
    for name in names:
        if name in run.data.metrics:
            return float(run.data.metrics[name])
    raise LookupError(
        f"The champion, version {version.version} of {version.name!r} (run {version.run_id}), has no logged "
        f"metric {' or '.join(map(repr, names))}; pass a `champion_metrics_key` its run logged, "
        "or move the alias by hand."
    )


def _current(client: MlflowClient, model_name: str, alias: str):
    try:
        return client.get_model_version_by_alias(model_name, alias)
    except MlflowException as exc:
        if _not_found(exc) or exc.error_code == "INVALID_PARAMETER_VALUE":
            return None
        raise


def register_and_promote(
    *,
    tracking_uri: str | os.PathLike | None = None,
    model_name: str = DEFAULT_MODEL_NAME,
    run: TrainingRun,
    candidate: str,
    candidate_metrics: Mapping[str, float],
    champion_metrics_key: str = "oot_brier",
    lower_is_better: bool = True,
    margin: float = 0.002,
) -> PromotionDecision:
    """Register the candidate model, alias it ``challenger``, promote it if it is not worse.

    Rule: the candidate becomes ``champion`` if there is no champion yet, or if
    its ``champion_metrics_key`` is not worse than the champion's by more than
    ``margin``: ``candidate <= champion + margin`` when lower is better (Brier
    score, log loss), ``candidate >= champion - margin`` otherwise (AUC).

    The champion's value is read from the run that logged the champion
    version: metric ``<its candidate key>.<metric>``, else ``<metric>``. The
    candidate's metrics are logged to its run under
    ``<candidate>.<metric>`` so that the next retraining finds them.

    Parameters
    ----------
    tracking_uri : str or os.PathLike, optional
        Defaults to the store of ``run``.
    model_name : str, default="certrisk-risk-model"
        Registered model name.
    run : TrainingRun
        From :func:`log_training_run`.
    candidate : str
        Key of the candidate in ``run.model_uris``.
    candidate_metrics : dict of str to float
        The candidate's out-of-time metrics; must hold ``champion_metrics_key``.
    champion_metrics_key : str, default="oot_brier"
    lower_is_better : bool, default=True
    margin : float, default=0.002
        Tolerated degradation, in the metric's units; >= 0.

    Returns
    -------
    PromotionDecision
        Also logged to the run as ``promotion.json`` and as tags
        ``promotion.*``; the new version is tagged ``candidate``,
        ``promoted`` and ``metric.<name>``.

    Raises
    ------
    ValueError
        If ``candidate`` is not a model of ``run``, ``candidate_metrics``
        lacks ``champion_metrics_key`` or holds a non-finite value, or
        ``margin`` is negative.
    LookupError
        If a champion exists but its run has no value of the metric (nothing
        is registered then).

    Examples
    --------
    >>> decision = register_and_promote(run=run, candidate="scorecard",
    ...                                 candidate_metrics={"oot_brier": 0.071})  # doctest: +SKIP
    >>> decision.promoted, decision.version  # doctest: +SKIP
    (True, 1)
    """
    if not isinstance(run, TrainingRun):
        raise TypeError(f"`run` must be a TrainingRun from log_training_run; got {type(run).__name__}.")
    if candidate not in run.model_uris:
        raise ValueError(f"`candidate` must be one of the run's models {sorted(run.model_uris)}; got {candidate!r}.")
    if not isinstance(model_name, str) or not model_name.strip():
        raise ValueError(f"`model_name` must be a non-empty string; got {model_name!r}.")
    if not isinstance(candidate_metrics, Mapping) or champion_metrics_key not in candidate_metrics:
        have = sorted(candidate_metrics) if isinstance(candidate_metrics, Mapping) else type(candidate_metrics).__name__
        raise ValueError(f"`candidate_metrics` must hold {champion_metrics_key!r} (`champion_metrics_key`); got {have}.")
    values = {}
    for key, value in candidate_metrics.items():
        _check_name(f"{candidate}.{key}", "`candidate_metrics` keys (after the candidate's name)")
        try:
            values[key] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"`candidate_metrics[{key!r}]` must be a number; got {value!r}.") from None
        if not math.isfinite(values[key]):
            raise ValueError(f"`candidate_metrics[{key!r}]` must be finite; got {value!r}.")
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
        raise ValueError(f"`margin` must be a finite number >= 0; got {margin!r}.")
    uri = run.tracking_uri if tracking_uri is None else _resolve_uri(tracking_uri)
    metric = champion_metrics_key
    cand_value = values[metric]
    with _session(uri) as client:
        champion = _current(client, model_name, CHAMPION)
        champ_value = _champion_metric(client, champion, metric) if champion is not None else None
        try:
            client.create_registered_model(
                model_name, description="Calibrated P(serious | inspected next quarter) of each certification body."
            )
        except MlflowException as exc:
            if exc.error_code not in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
                raise
        source = run.model_uris[candidate]
        model_id = source.split("/", 1)[1] if source.startswith("models:/m-") else None
        version = client.create_model_version(
            model_name, source=source, run_id=run.run_id, model_id=model_id,
            tags={"candidate": candidate, **{f"metric.{k}": repr(v) for k, v in values.items()}},
        )
        client.log_batch(
            run.run_id,
            metrics=[Metric(f"{candidate}.{k}", v, int(time.time() * 1000), 0) for k, v in values.items()],
            synchronous=True,
        )
        sense = "lower" if lower_is_better else "higher"
        if champ_value is None:
            promoted = True
            rule = f"no champion yet: the first registered candidate becomes champion ({metric} = {cand_value:.6g})"
        else:
            # A tiny tolerance so that "worse by exactly the margin" is not lost to rounding.
            worse_by = (cand_value - champ_value) if lower_is_better else (champ_value - cand_value)
            promoted = worse_by <= margin + 1e-12
            op, bound = ("<=", champ_value + margin) if lower_is_better else (">=", champ_value - margin)
            rule = (
                f"promote if {metric} {op} champion's {metric} {'+' if lower_is_better else '-'} margin "
                f"({sense} is better): {cand_value:.6g} {op} {champ_value:.6g} "
                f"{'+' if lower_is_better else '-'} {margin:g} = {bound:.6g} is {str(promoted).lower()}"
            )
        client.set_registered_model_alias(model_name, CHALLENGER, version.version)
        if promoted:
            client.set_registered_model_alias(model_name, CHAMPION, version.version)
        client.set_model_version_tag(model_name, version.version, "promoted", str(promoted).lower())
        decision = PromotionDecision(
            model_name=model_name,
            version=int(version.version),
            candidate=candidate,
            run_id=run.run_id,
            metric=metric,
            candidate_value=cand_value,
            champion_value=champ_value,
            champion_version=int(champion.version) if champion is not None else None,
            margin=float(margin),
            lower_is_better=bool(lower_is_better),
            promoted=promoted,
            rule=rule,
        )
        client.log_dict(run.run_id, decision.to_dict(), "promotion.json")
        client.log_batch(
            run.run_id,
            tags=[RunTag(f"promotion.{k}", "" if v is None else str(v)) for k, v in decision.to_dict().items()],
            synchronous=True,
        )
    return decision


def model_version_info(
    alias: str = CHAMPION,
    *,
    model_name: str = DEFAULT_MODEL_NAME,
    tracking_uri: str | os.PathLike | None = None,
) -> ModelVersionInfo:
    """The registered version that ``alias`` points at.

    Parameters
    ----------
    alias : str, default="champion"
    model_name : str, default="certrisk-risk-model"
    tracking_uri : str or os.PathLike, optional
        None means :func:`default_tracking_uri`.

    Returns
    -------
    ModelVersionInfo

    Raises
    ------
    LookupError
        If the store, the registered model or the alias does not exist.

    Examples
    --------
    >>> model_version_info("champion").version  # doctest: +SKIP
    3
    """
    if not isinstance(alias, str) or not alias:
        raise ValueError(f"`alias` must be a non-empty string; got {alias!r}.")
    uri = _resolve_uri(tracking_uri)
    missing = LookupError(
        f"No version of model {model_name!r} has the alias {alias!r} in the tracking store {uri}; "
        "run `certrisk train` first to train, register and promote a model."
    )
    db = _sqlite_path(uri)
    if db is not None and not db.exists():  # do not create an empty store just to find nothing
        raise missing
    with _session(uri) as client:
        version = _current(client, model_name, alias)
    if version is None:
        raise missing
    return ModelVersionInfo(
        model_name=model_name,
        alias=alias,
        version=int(version.version),
        run_id=version.run_id,
        model_uri=f"models:/{model_name}/{version.version}",
        source=version.source,
        candidate=version.tags.get("candidate"),
    )


def load_model(
    alias: str = CHAMPION,
    *,
    model_name: str = DEFAULT_MODEL_NAME,
    tracking_uri: str | os.PathLike | None = None,
):
    """Load the fitted estimator that ``alias`` points at (``models:/NAME@alias``).

    Parameters
    ----------
    alias : str, default="champion"
    model_name : str, default="certrisk-risk-model"
    tracking_uri : str or os.PathLike, optional
        None means :func:`default_tracking_uri`.

    Returns
    -------
    estimator
        The scikit-learn estimator, with ``predict_proba``.

    Raises
    ------
    LookupError
        If the alias does not exist (run ``certrisk train`` first).

    Examples
    --------
    >>> model = load_model()  # doctest: +SKIP
    >>> model.predict_proba(X)[:, 1]  # doctest: +SKIP
    """
    info = model_version_info(alias, model_name=model_name, tracking_uri=tracking_uri)
    with _session(_resolve_uri(tracking_uri)):
        return mlflow.sklearn.load_model(info.model_uri)
