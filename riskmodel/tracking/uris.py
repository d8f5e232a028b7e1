"""Which tracking URIs the engine works with: a database or a tracking server (imports no MLflow).

The champion and challenger are registry aliases, which MLflow keeps only in
a database store or behind a tracking server; its file store (``file:`` or a
plain folder such as ``mlruns``) is in maintenance mode and is refused, as is
any other scheme.
"""

from __future__ import annotations

__all__ = ["STORE_SCHEMES", "is_supported_uri"]

#: URI schemes of the stores the engine uses (a database dialect may carry a driver: ``postgresql+psycopg2``).
STORE_SCHEMES = ("sqlite", "postgresql", "mysql", "mssql", "http", "https", "databricks")


def is_supported_uri(uri: str) -> bool:
    """Whether ``uri`` names a database or a tracking server.

    >>> [is_supported_uri(u) for u in ("sqlite:///m.db", "postgresql+psycopg2://h/db", "mlruns", "foo://bar")]
    [True, True, False, False]
    """
    if "://" not in uri:
        return False
    scheme = uri.split("://", 1)[0].split("+", 1)[0].lower()
    return scheme in STORE_SCHEMES
