"""How a fitted model is saved: skops with its own types trusted, or cloudpickle.

Models are saved in the ``skops`` format (MLflow's default; it does not
execute code when loading) with ``skops_trusted_types`` set to the types found
in the estimator, which must come from :data:`TRUSTED_MODULES` (``riskmodel``,
``sklearn``, ``numpy``, ``scipy``). An estimator that skops cannot save, or
that holds a type from another module, is saved with ``cloudpickle`` instead;
:func:`riskmodel.tracking.log_training_run` warns then and records the format
in the run's tag ``serialization.<model key>``.

Either way the saved model refers to ``riskmodel`` classes by name, so its
``requirements.txt`` names the distribution that provides ``riskmodel`` (the
project's wheel, ``certrisk==<version>``) beside scikit-learn, numpy, pandas,
scipy and skops: an environment with MLflow and that wheel loads it
(:func:`pip_requirements`).

This module does not import MLflow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import metadata
from typing import Any

__all__ = ["TRUSTED_MODULES", "Serialization", "pip_requirements", "project_requirement", "serialization"]

#: Modules whose types a saved model may contain and still be saved with skops.
TRUSTED_MODULES = ("riskmodel", "sklearn", "numpy", "scipy")


@dataclass(frozen=True)
class Serialization:
    """The format a model is saved in.

    Attributes
    ----------
    format : str
        ``"skops"`` or ``"cloudpickle"``.
    trusted_types : list of str or None
        For skops: the types the loader must trust (``skops_trusted_types``).
    fallback_reason : str or None
        For cloudpickle: why skops could not be used, in words.
    """

    format: str
    trusted_types: list[str] | None
    fallback_reason: str | None


def serialization(model: Any) -> Serialization:
    """skops with the model's own types trusted, or cloudpickle (with the reason).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> serialization(LogisticRegression()).format
    'skops'
    """
    try:
        import skops.io as sio

        untrusted = list(sio.get_untrusted_types(data=sio.dumps(model)))
    except Exception as exc:  # noqa: BLE001 - any failure means skops cannot take this model
        return Serialization("cloudpickle", None, f"skops cannot save it ({type(exc).__name__}: {exc})")
    outside = [t for t in untrusted if t.split(".", 1)[0] not in TRUSTED_MODULES]
    if outside:
        return Serialization("cloudpickle", None, f"it holds types outside {list(TRUSTED_MODULES)}: {outside}")
    return Serialization("skops", untrusted, None)


@functools.cache
def project_requirement() -> str | None:
    """The installed distribution that provides ``riskmodel``, pinned; None when it is not installed.

    Examples
    --------
    >>> project_requirement()  # doctest: +SKIP
    'certrisk==0.1.0'
    """
    package = __name__.split(".", 1)[0]
    names = sorted(set(metadata.packages_distributions().get(package, [])))
    if not names:  # run from a source tree that was never installed
        return None
    return f"{names[0]}=={metadata.version(names[0])}"


def pip_requirements(fmt: str) -> list[str]:
    """Pinned requirements written with a model saved in ``fmt`` (skips MLflow's slow inference).

    The project's own distribution comes first (:func:`project_requirement`), then the libraries the
    saved model needs.

    Examples
    --------
    >>> pip_requirements("skops")[-1].startswith("skops")
    True
    """
    dists = ["scikit-learn", "numpy", "pandas", "scipy", "skops" if fmt == "skops" else "cloudpickle"]
    project = project_requirement()
    return ([] if project is None else [project]) + [_pinned(dist) for dist in dists]


@functools.cache
def _pinned(dist: str) -> str:
    """``dist==version`` as installed (looked up once: each lookup scans the installed distributions)."""
    try:
        return f"{dist}=={metadata.version(dist)}"
    except metadata.PackageNotFoundError:
        return dist
