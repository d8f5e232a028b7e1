"""Stage 2: certificates checked inside each drawn body.

Each drawn body ``b`` gets a sample size ``m_b`` from its grade (C and D
more), capped at its number of certificates ``N_b``. Its certificates are
drawn with equal probability by systematic sampling along their hash order
(purpose ``"stage2:<body_id>"``), which is simple random sampling without
replacement: the conditional inclusion probability is ``m_b / N_b`` and the
overall one ``pi_b * m_b / N_b``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._checks import short
from .designs import draw
from .randomness import check_stream_args

__all__ = ["DEFAULT_PER_GRADE", "stage2_sample_sizes", "draw_certificates"]

#: Stage-2 sample size per grade when none is given (the one place these defaults are written).
DEFAULT_PER_GRADE: Mapping[str, int] = {"A": 5, "B": 10, "C": 20, "D": 40}


def _check_sizes_args(grades: Any, n_certs: Any, per_grade: Any) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Validate the arguments of :func:`stage2_sample_sizes`."""
    g = np.asarray(grades, dtype=object)
    counts = np.asarray(n_certs)
    if g.ndim != 1 or counts.shape != g.shape:
        raise ValueError(f"`grades` and `n_certs` must be 1-d of the same length; got {g.shape} and {counts.shape}.")
    if counts.size and (not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0):
        raise ValueError(f"`n_certs` must be integers >= 0; got {short(counts.tolist())}.")
    if not isinstance(per_grade, Mapping):
        raise TypeError(f"`per_grade` must be a mapping grade -> sample size; got {short(per_grade)}.")
    for grade, m in per_grade.items():
        if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 0:
            raise ValueError(f"`per_grade[{grade!r}]` must be an integer >= 0; got {short(m)}.")
    unknown = [x for x in g.tolist() if x not in per_grade]
    if unknown:
        raise ValueError(f"`grades` has {unknown[0]!r}, which `per_grade` does not name.")
    return g, counts.astype(np.int64), dict(per_grade)


def stage2_sample_sizes(
    grades: ArrayLike, n_certs: ArrayLike, per_grade: Mapping[str, int] | None = None
) -> np.ndarray:
    """Number of certificates to check in each drawn body.

    Parameters
    ----------
    grades : array_like of str
        Grade of each drawn body.
    n_certs : array_like of int
        Its number of certificates (>= 0).
    per_grade : mapping, optional
        Sample size by grade; default ``{"A": 5, "B": 10, "C": 20, "D": 40}``.

    Returns
    -------
    ndarray of int
        ``min(per_grade[grade], n_certs)``.

    Examples
    --------
    >>> stage2_sample_sizes(["A", "D", "C"], [100, 12, 0]).tolist()
    [5, 12, 0]
    """
    g, counts, table = _check_sizes_args(grades, n_certs, DEFAULT_PER_GRADE if per_grade is None else per_grade)
    wanted = np.array([table[x] for x in g.tolist()], dtype=np.int64)
    sizes: np.ndarray = np.minimum(wanted, counts)
    return sizes


def _check_certificates_args(certificates: Any, sample_sizes: Any, seed_material: Any, body_pi: Any) -> pd.DataFrame:
    """Validate the arguments of :func:`draw_certificates`."""
    check_stream_args(seed_material, "stage2")
    if not isinstance(certificates, pd.DataFrame) or not {"cert_id", "body_id"} <= set(certificates.columns):
        raise TypeError("`certificates` must be a DataFrame with columns 'cert_id' and 'body_id'.")
    if certificates["cert_id"].duplicated().any():
        dup = certificates["cert_id"][certificates["cert_id"].duplicated()].iloc[0]
        raise ValueError(f"`certificates` has duplicate cert_id {dup!r}.")
    if not isinstance(sample_sizes, Mapping):
        raise TypeError(f"`sample_sizes` must be a mapping body_id -> m; got {short(sample_sizes)}.")
    counts = certificates["body_id"].value_counts()
    for body, m in sample_sizes.items():
        if isinstance(m, bool) or not isinstance(m, int | np.integer) or not 0 <= m <= counts.get(body, 0):
            raise ValueError(
                f"`sample_sizes[{body!r}]` must be an integer between 0 and the body's "
                f"{int(counts.get(body, 0))} certificates; got {short(m)}."
            )
    if body_pi is not None:
        if not isinstance(body_pi, Mapping):
            raise TypeError(f"`body_pi` must be a mapping body_id -> pi; got {short(body_pi)}.")
        for body in sample_sizes:
            p = body_pi.get(body)
            if not isinstance(p, int | float) or not 0 < p <= 1:
                raise ValueError(f"`body_pi[{body!r}]` must be in (0, 1]; got {short(p)}.")
    return certificates


def draw_certificates(
    certificates: pd.DataFrame,
    sample_sizes: Mapping[str, int],
    seed_material: str,
    body_pi: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Draw ``m_b`` certificates with equal probability inside each body.

    Parameters
    ----------
    certificates : DataFrame
        Columns ``cert_id`` (unique str) and ``body_id``: at least the
        certificates of the drawn bodies.
    sample_sizes : mapping
        body_id -> number of certificates to draw (0 .. N_b), e.g. from
        :func:`stage2_sample_sizes`.
    seed_material : str
        From :func:`sampling.randomness.seed_material`; the stream of body
        ``b`` is ``"stage2:" + b``.
    body_pi : mapping, optional
        Stage-1 inclusion probability of each body, for ``pi_overall``.

    Returns
    -------
    DataFrame
        One row per drawn certificate: ``body_id``, ``cert_id``,
        ``pi_conditional`` (= m_b / N_b) and, with ``body_pi``,
        ``pi_overall`` (= pi_b * m_b / N_b), bodies in the order of
        ``sample_sizes``, certificates by id.

    Examples
    --------
    >>> certs = pd.DataFrame({"cert_id": [f"C{i}" for i in range(6)],
    ...                       "body_id": ["B1"] * 4 + ["B2"] * 2})
    >>> out = draw_certificates(certs, {"B1": 2, "B2": 1}, "0" * 64, {"B1": 0.5, "B2": 1.0})
    >>> out[["body_id", "pi_conditional", "pi_overall"]].values.tolist()
    [['B1', 0.5, 0.25], ['B1', 0.5, 0.25], ['B2', 0.5, 0.5]]
    """
    certificates = _check_certificates_args(certificates, sample_sizes, seed_material, body_pi)
    grouped = certificates.groupby("body_id", sort=False)["cert_id"]
    parts = []
    for body, m in sample_sizes.items():
        if m == 0:
            continue
        ids = sorted(grouped.get_group(body).tolist())
        share = m / len(ids)
        chosen = draw(ids, np.full(len(ids), share), seed_material, f"stage2:{body}", method="systematic")
        picked = [i for i, s in zip(ids, chosen.selected.tolist(), strict=True) if s]
        part = pd.DataFrame({"body_id": body, "cert_id": picked, "pi_conditional": share})
        if body_pi is not None:
            part["pi_overall"] = body_pi[body] * share
        parts.append(part)
    columns = ["body_id", "cert_id", "pi_conditional"] + ([] if body_pi is None else ["pi_overall"])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
