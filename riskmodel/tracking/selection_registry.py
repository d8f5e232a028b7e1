"""Register every candidate of a retraining and point the aliases at the model choice.

:func:`register_selection` registers each candidate model of the run as a new
version of one registered name, tagged with its recipe (``kind``,
``features``, ``C``) and its out-of-time figures; ``champion`` moves to the
chosen candidate's new version, ``challenger`` to the best other eligible
one (riskmodel.selection). :func:`champion_recipe` reads back how the
champion in force was made, so the next retraining re-fits and re-scores it
like for like.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from mlflow.entities import Metric, RunTag

from .registry import CHALLENGER, CHAMPION, DEFAULT_MODEL_NAME, _current, _register_version
from .runs import TrainingRun
from .store import resolve_uri, session, sqlite_path

__all__ = ["ModelDecision", "champion_recipe", "register_selection"]


@dataclass(frozen=True)
class ModelDecision:
    """Outcome of :func:`register_selection`, also logged as ``selection.json`` and tags ``selection.*``.

    ``versions`` maps each candidate to its new version; ``champion_before``
    is the version the champion alias pointed at before (None: none);
    ``promoted`` says whether the champion's kind or features changed.
    """

    model_name: str
    run_id: str
    chosen: str
    challenger: str | None
    versions: dict[str, int]
    champion_version: int
    challenger_version: int | None
    champion_before: int | None
    promoted: bool
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """The decision as a JSON-ready dict."""
        return asdict(self)


def champion_recipe(
    *, tracking_uri: str | os.PathLike[str] | None = None, model_name: str = DEFAULT_MODEL_NAME
) -> dict[str, str] | None:
    """The champion's recipe tags (``kind``, ``features``, ``C``), or None without a store or champion.

    Versions registered before recipes were tagged give their ``candidate`` as the kind and no features.
    """
    uri = resolve_uri(tracking_uri)
    db = sqlite_path(uri)
    if db is not None and not db.exists():
        return None
    with session(uri) as client:
        version = _current(client, model_name, CHAMPION)
    if version is None:
        return None
    tags = dict(version.tags)
    return {
        "version": str(version.version),
        "kind": tags.get("kind") or tags.get("candidate", ""),
        "features": tags.get("features", ""),
        "C": tags.get("C", ""),
    }


def register_selection(
    *,
    run: TrainingRun,
    chosen: str,
    challenger: str | None,
    recipes: Mapping[str, Mapping[str, str]],
    figures: Mapping[str, Mapping[str, float]],
    rule: str,
    tracking_uri: str | os.PathLike[str] | None = None,
    model_name: str = DEFAULT_MODEL_NAME,
) -> ModelDecision:
    """Register every model of ``run`` with its recipe tags and figures; move the aliases to the choice.

    ``recipes[name]`` are the tags of candidate ``name`` (``kind``,
    ``features``, ``C``); ``figures[name]`` its out-of-time numbers (logged to
    the run as ``<name>.<figure>`` and tagged ``metric.<figure>``).
    """
    if chosen not in run.model_uris:
        raise ValueError(f"`chosen` must be one of the run's models {sorted(run.model_uris)}; got {chosen!r}.")
    if challenger is not None and challenger not in run.model_uris:
        raise ValueError(f"`challenger` must be one of the run's models {sorted(run.model_uris)}; got {challenger!r}.")
    uri = run.tracking_uri if tracking_uri is None else resolve_uri(tracking_uri)
    with session(uri) as client:
        before = _current(client, model_name, CHAMPION)
        versions = {}
        for name in run.model_uris:
            version = _register_version(client, model_name, run, name, figures.get(name, {}))
            for key, value in {**recipes.get(name, {}), "chosen": str(name == chosen).lower()}.items():
                client.set_model_version_tag(model_name, version.version, key, value)
            versions[name] = int(version.version)
        stamp = int(time.time() * 1000)
        metrics = [Metric(f"{n}.{k}", float(v), stamp, 0) for n, f in figures.items() for k, v in f.items()]
        if metrics:
            client.log_batch(run.run_id, metrics=metrics, synchronous=True)
        client.set_registered_model_alias(model_name, CHAMPION, versions[chosen])
        if challenger is not None:
            client.set_registered_model_alias(model_name, CHALLENGER, versions[challenger])
        elif _current(client, model_name, CHALLENGER) is not None:
            client.delete_registered_model_alias(model_name, CHALLENGER)
        decision = ModelDecision(
            model_name=model_name,
            run_id=run.run_id,
            chosen=chosen,
            challenger=challenger,
            versions=versions,
            champion_version=versions[chosen],
            challenger_version=versions.get(challenger) if challenger else None,
            champion_before=int(before.version) if before is not None else None,
            promoted=before is None or _recipe_changed(dict(before.tags), recipes.get(chosen, {})),
            rule=rule,
        )
        client.log_dict(run.run_id, decision.to_dict(), "selection.json")
        tags = {k: "" if v is None else str(v) for k, v in decision.to_dict().items() if k != "versions"}
        client.log_batch(
            run.run_id, tags=[RunTag(f"selection.{k}", v[:5000]) for k, v in tags.items()], synchronous=True
        )
    return decision


def _recipe_changed(before: Mapping[str, str], now: Mapping[str, str]) -> bool:
    """Whether the champion's kind or features differ from the previous champion's."""
    kind_before = before.get("kind") or before.get("candidate", "")
    return (kind_before, before.get("features", "")) != (now.get("kind", ""), now.get("features", ""))
