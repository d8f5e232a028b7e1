"""How a fitted model is saved: skops with its own types trusted, or cloudpickle.

Models are saved in the ``skops`` format (MLflow's default; it does not
execute code when loading) with ``skops_trusted_types`` set to the types found
in the estimator, which must come from :data:`TRUSTED_MODULES` (``riskmodel``,
``sklearn``, ``numpy``, ``scipy``). An estimator that skops cannot save, or
that holds a type from another module, is saved with ``cloudpickle`` instead;
:func:`riskmodel.tracking.log_training_run` warns then and records the format
in the run's tag ``serialization.<model key>``.

This module does not import MLflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Any

__all__ = ["TRUSTED_MODULES", "Serialization", "pip_requirements", "serialization"]

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


def pip_requirements(fmt: str) -> list[str]:
    """Pinned requirements written with a model saved in ``fmt`` (skips MLflow's slow inference).

    Examples
    --------
    >>> pip_requirements("skops")[-1].startswith("skops")
    True
    """
    dists = ["scikit-learn", "numpy", "pandas", "scipy", "skops" if fmt == "skops" else "cloudpickle"]
    out = []
    for dist in dists:
        try:
            out.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(dist)
    return out
