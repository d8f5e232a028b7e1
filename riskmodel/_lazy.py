"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists which of its names live in which submodule; a name is
imported on first use. So ``import riskmodel`` stays light: MLflow and
matplotlib load only when a tracking or figure name is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, names: Mapping[str, tuple[str, str]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` resolving ``names`` on first access.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping of str to (str, str)
        Exported name -> (submodule relative to ``package``, attribute in it).
    namespace : dict
        The package's ``globals()``; a resolved name is stored there, so later
        accesses do not go through ``__getattr__``.

    Examples
    --------
    >>> ns = {}
    >>> getattr_, dir_ = lazy_exports("riskmodel", {"psi": (".monitoring", "psi")}, ns)
    >>> getattr_("psi").__name__, "psi" in ns
    ('psi', True)
    >>> getattr_("nothing")
    Traceback (most recent call last):
    AttributeError: module 'riskmodel' has no attribute 'nothing'
    """

    def __getattr__(name: str) -> Any:
        try:
            module, attribute = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, package), attribute)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
