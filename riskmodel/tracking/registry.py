"""The model registry: one registered name, two aliases, promotion and loading by alias.

:func:`register_and_promote` registers the candidate model of a run under one
name and moves the aliases: ``challenger`` always points at the newest
registered version, ``champion`` moves to it only if the promotion rule
(:func:`riskmodel.tracking.promotion.promotion_rule`) says so. Grading and
drawing load the model by alias (:func:`load_model`). Stages are not used
(deprecated in MLflow).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.entities import Metric, RunTag
from mlflow.exceptions import MlflowException

from .promotion import check_margin, promotion_rule
from .runs import TrainingRun, check_name
from .store import is_not_found, resolve_uri, session, sqlite_path

__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "DEFAULT_MODEL_NAME",
    "ModelVersionInfo",
    "PromotionDecision",
    "load_model",
    "model_version_info",
    "register_and_promote",
]

DEFAULT_MODEL_NAME = "certrisk-risk-model"
CHAMPION = "champion"
CHALLENGER = "challenger"


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
def _champion_metric(client: MlflowClient, version: Any, metric: str) -> float:
    """The champion's ``metric``, read from the run that logged it."""
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


def _current(client: MlflowClient, model_name: str, alias: str) -> Any:
    """The model version ``alias`` points at, or None."""
    try:
        return client.get_model_version_by_alias(model_name, alias)
    except MlflowException as exc:
        if is_not_found(exc) or exc.error_code == "INVALID_PARAMETER_VALUE":
            return None
        raise


def _check_candidate_metrics(candidate: str, candidate_metrics: object, metric: str) -> dict[str, float]:
    """The candidate's metrics as finite floats, or the first bad one's error."""
    if not isinstance(candidate_metrics, Mapping) or metric not in candidate_metrics:
        have = sorted(candidate_metrics) if isinstance(candidate_metrics, Mapping) else type(candidate_metrics).__name__
        raise ValueError(f"`candidate_metrics` must hold {metric!r} (`champion_metrics_key`); got {have}.")
    values = {}
    for key, value in candidate_metrics.items():
        check_name(f"{candidate}.{key}", "`candidate_metrics` keys (after the candidate's name)")
        try:
            values[key] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"`candidate_metrics[{key!r}]` must be a number; got {value!r}.") from None
        if not math.isfinite(values[key]):
            raise ValueError(f"`candidate_metrics[{key!r}]` must be finite; got {value!r}.")
    return values


def _register_version(
    client: MlflowClient,
    model_name: str,
    run: TrainingRun,
    candidate: str,
    values: Mapping[str, float],
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
) -> Any:
    """A new version of ``model_name`` from the candidate's model (the name is created if missing).

    Tagged ``candidate``, ``metric.<name>`` for each of ``values`` and ``tags``; described by ``description``.
    """
    try:
        client.create_registered_model(
            model_name, description="Calibrated P(serious | inspected next quarter) of each certification body."
        )
    except MlflowException as exc:
        if exc.error_code not in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
            raise
    source = run.model_uris[candidate]
    model_id = source.split("/", 1)[1] if source.startswith("models:/m-") else None
    return client.create_model_version(
        model_name,
        source=source,
        run_id=run.run_id,
        model_id=model_id,
        tags={"candidate": candidate, **{f"metric.{k}": repr(v) for k, v in values.items()}, **(tags or {})},
        description=description,
    )


# ------------------------------------------------------------------------ API
def register_and_promote(
    *,
    tracking_uri: str | os.PathLike[str] | None = None,
    model_name: str = DEFAULT_MODEL_NAME,
    run: TrainingRun,
    candidate: str,
    candidate_metrics: Mapping[str, float],
    champion_metrics_key: str = "oot_brier",
    lower_is_better: bool = True,
    margin: float = 0.002,
) -> PromotionDecision:
    """Register the candidate model, alias it ``challenger``, promote it if it is not worse.

    Rule (:func:`riskmodel.tracking.promotion.promotion_rule`): the candidate
    becomes ``champion`` if there is no champion yet, or if
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
    metric = champion_metrics_key
    values = _check_candidate_metrics(candidate, candidate_metrics, metric)
    check_margin(margin)
    uri = run.tracking_uri if tracking_uri is None else resolve_uri(tracking_uri)
    cand_value = values[metric]
    with session(uri) as client:
        champion = _current(client, model_name, CHAMPION)
        champ_value = _champion_metric(client, champion, metric) if champion is not None else None
        verdict = promotion_rule(cand_value, champ_value, margin=margin, lower_is_better=lower_is_better, metric=metric)
        outcome = "promoted to champion" if verdict.promoted else "not promoted (the champion stays)"
        description = f"Candidate {candidate} of run {run.run_id}, {outcome} by the rule: {verdict.rule}"
        version = _register_version(client, model_name, run, candidate, values, description=description)
        client.log_batch(
            run.run_id,
            metrics=[Metric(f"{candidate}.{k}", v, int(time.time() * 1000), 0) for k, v in values.items()],
            synchronous=True,
        )
        client.set_registered_model_alias(model_name, CHALLENGER, version.version)
        if verdict.promoted:
            client.set_registered_model_alias(model_name, CHAMPION, version.version)
        client.set_model_version_tag(model_name, version.version, "promoted", str(verdict.promoted).lower())
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
            promoted=verdict.promoted,
            rule=verdict.rule,
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
    tracking_uri: str | os.PathLike[str] | None = None,
) -> ModelVersionInfo:
    """The registered version that ``alias`` points at.

    Parameters
    ----------
    alias : str, default="champion"
    model_name : str, default="certrisk-risk-model"
    tracking_uri : str or os.PathLike, optional
        None means :func:`riskmodel.tracking.default_tracking_uri`.

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
    uri = resolve_uri(tracking_uri)
    missing = LookupError(
        f"No version of model {model_name!r} has the alias {alias!r} in the tracking store {uri}; "
        "run `certrisk train` first to train, register and promote a model."
    )
    db = sqlite_path(uri)
    if db is not None and not db.exists():  # do not create an empty store just to find nothing
        raise missing
    with session(uri) as client:
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
    tracking_uri: str | os.PathLike[str] | None = None,
) -> Any:
    """Load the fitted estimator that ``alias`` points at (``models:/NAME@alias``).

    Parameters
    ----------
    alias : str, default="champion"
    model_name : str, default="certrisk-risk-model"
    tracking_uri : str or os.PathLike, optional
        None means :func:`riskmodel.tracking.default_tracking_uri`.

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
    with session(resolve_uri(tracking_uri)):
        return mlflow.sklearn.load_model(info.model_uri)
