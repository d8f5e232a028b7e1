"""Register every candidate of a retraining and point the aliases at the model choice.

:func:`register_selection` registers each candidate model of the run as a new
version of one registered name, tagged with its recipe (``kind``,
``features``, ``C``) and its out-of-time figures; ``champion`` moves to the
chosen candidate's new version, ``challenger`` to the best other eligible
one (riskmodel.selection). Each version carries the tags and the
description of :mod:`.retraining` (the as-of date, the data digest, the
model's kind and the model choice's decision); a retraining whose as-of date,
data digest and settings are already registered adds no version and moves no
alias. :func:`champion_recipe` reads back how the champion in force was made,
so the next retraining re-fits and re-scores it like for like.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from mlflow.entities import Metric, RunTag

from .registry import CHALLENGER, CHAMPION, DEFAULT_MODEL_NAME, _current, _register_version
from .retraining import Retraining, describe, registered_versions, role
from .runs import TrainingRun
from .store import resolve_uri, session, sqlite_path

__all__ = ["ModelDecision", "champion_recipe", "register_selection"]


@dataclass(frozen=True)
class ModelDecision:
    """Outcome of :func:`register_selection`, also logged as ``selection.json`` and tags ``selection.*``.

    ``versions`` maps each candidate to its new version; ``champion_before``
    is the version the champion alias pointed at before (None: none);
    ``promoted`` says whether the champion's kind or features changed.
    ``registered`` is False when the same retraining (as-of date, data
    digest, settings) was registered before: ``versions`` are then its
    versions, ``duplicate_of`` its run, ``champion_version`` and
    ``challenger_version`` where the aliases stayed, and ``note`` says so.
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
    registered: bool = True
    duplicate_of: str | None = None
    note: str = ""

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
    retraining: Retraining | None = None,
    tracking_uri: str | os.PathLike[str] | None = None,
    model_name: str = DEFAULT_MODEL_NAME,
) -> ModelDecision:
    """Register every model of ``run`` with its recipe tags and figures; move the aliases to the choice.

    ``recipes[name]`` are the tags of candidate ``name`` (``kind``,
    ``features``, ``C``); ``figures[name]`` its out-of-time numbers (logged to
    the run as ``<name>.<figure>`` and tagged ``metric.<figure>``). With
    ``retraining``, each version is tagged with it and, if versions of the
    same retraining exist, nothing is registered and no alias moves
    (``ModelDecision.registered`` is False).
    """
    if chosen not in run.model_uris:
        raise ValueError(f"`chosen` must be one of the run's models {sorted(run.model_uris)}; got {chosen!r}.")
    if challenger is not None and challenger not in run.model_uris:
        raise ValueError(f"`challenger` must be one of the run's models {sorted(run.model_uris)}; got {challenger!r}.")
    if retraining is not None and not isinstance(retraining, Retraining):
        raise TypeError(f"`retraining` must be a Retraining or None; got {type(retraining).__name__}.")
    uri = run.tracking_uri if tracking_uri is None else resolve_uri(tracking_uri)
    with session(uri) as client:
        before = _current(client, model_name, CHAMPION)
        earlier = registered_versions(client, model_name, retraining) if retraining is not None else {}
        if earlier:
            assert retraining is not None
            decision = _already_registered(client, run, model_name, chosen, challenger, rule, retraining, earlier)
        else:
            decision = _register_all(
                client, run, model_name, chosen, challenger, recipes, figures, rule, retraining, before
            )
        client.log_dict(run.run_id, decision.to_dict(), "selection.json")
        tags = {k: "" if v is None else str(v) for k, v in decision.to_dict().items() if k != "versions"}
        client.log_batch(
            run.run_id, tags=[RunTag(f"selection.{k}", v[:5000]) for k, v in tags.items()], synchronous=True
        )
    return decision


def _register_all(
    client: Any,
    run: TrainingRun,
    model_name: str,
    chosen: str,
    challenger: str | None,
    recipes: Mapping[str, Mapping[str, str]],
    figures: Mapping[str, Mapping[str, float]],
    rule: str,
    retraining: Retraining | None,
    before: Any,
) -> ModelDecision:
    """A new version per candidate, tagged and described; the aliases moved to the choice."""
    versions = {}
    for name in run.model_uris:
        what = role(name, chosen, challenger)
        recipe = recipes.get(name, {})
        tags = {**recipe, "chosen": str(name == chosen).lower(), "selection": what}
        tags.update(retraining.tags() if retraining is not None else {})
        description = describe(name, recipe, retraining, what)
        version = _register_version(client, model_name, run, name, figures.get(name, {}), tags, description)
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
    return ModelDecision(
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


def _already_registered(
    client: Any,
    run: TrainingRun,
    model_name: str,
    chosen: str,
    challenger: str | None,
    rule: str,
    retraining: Retraining,
    earlier: Mapping[str, Any],
) -> ModelDecision:
    """The decision of a retraining registered before: its versions, the aliases where they are, a note."""
    versions = {name: int(v.version) for name, v in sorted(earlier.items(), key=lambda kv: int(kv[1].version))}
    champion = _current(client, model_name, CHAMPION)
    current_challenger = _current(client, model_name, CHALLENGER)
    first = min(earlier.values(), key=lambda v: int(v.version))
    champion_version = int(champion.version) if champion is not None else versions.get(chosen, min(versions.values()))
    listed = ", ".join(f"{v} ({n})" for n, v in versions.items())
    settings = f", settings {retraining.settings}" if retraining.settings else ""
    note = (
        f"This retraining (as of {retraining.as_of}, data digest {retraining.data_digest[:18]}...{settings}) is "
        f"already registered as versions {listed} of {model_name!r} by run {first.run_id}; no version was added "
        f"and the aliases stay where they are (champion: version {champion_version})."
    )
    return ModelDecision(
        model_name=model_name,
        run_id=run.run_id,
        chosen=chosen,
        challenger=challenger,
        versions=versions,
        champion_version=champion_version,
        challenger_version=int(current_challenger.version) if current_challenger is not None else None,
        champion_before=int(champion.version) if champion is not None else None,
        promoted=False,
        rule=rule,
        registered=False,
        duplicate_of=first.run_id,
        note=note,
    )


def _recipe_changed(before: Mapping[str, str], now: Mapping[str, str]) -> bool:
    """Whether the champion's kind or features differ from the previous champion's."""
    kind_before = before.get("kind") or before.get("candidate", "")
    return (kind_before, before.get("features", "")) != (now.get("kind", ""), now.get("features", ""))
