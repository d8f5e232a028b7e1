"""Helpers shared by the high-volume tables (certificates, audits): per-row
scheme, organisation and date sampling, all vectorised over millions of rows."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pandas as pd

from features.codes import FIELDS

# Each body's fields as indices into FIELDS: (codes, offset per body, count per body).
FieldTable: TypeAlias = tuple[np.ndarray, np.ndarray, np.ndarray]
# Each body's own block of client organisations: (offset per body, size per body).
OrgBlocks: TypeAlias = tuple[np.ndarray, np.ndarray]


def split_fields(fields: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten ``;``-separated fields: (codes, offset per body, count per body)."""
    lists = [f.split(";") for f in fields]
    counts = np.array([len(x) for x in lists])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    codes = np.array([c for x in lists for c in x])
    return codes, offsets, counts


def field_table(bodies: pd.DataFrame) -> FieldTable:
    """Each body's fields as indices into ``codes.FIELDS``: (codes, offsets, counts)."""
    codes, offsets, counts = split_fields(bodies["fields"].to_numpy(dtype=object))
    return np.array([FIELDS.index(c) for c in codes]), offsets, counts


def pick_schemes(
    body_idx: np.ndarray, bodies: pd.DataFrame, fields: FieldTable, rng: np.random.Generator
) -> np.ndarray:
    """One field code per row (index into ``codes.FIELDS``), uniform among the
    body's fields (``fields`` from :func:`field_table`); CCC-designated bodies
    mostly audit and certify CCC."""
    codes, offsets, counts = fields
    pick = offsets[body_idx] + np.floor(rng.uniform(size=len(body_idx)) * counts[body_idx]).astype(np.int64)
    schemes = codes[pick]
    ccc_rows = bodies["ccc_designated"].values[body_idx] & (rng.uniform(size=len(body_idx)) < 0.6)
    schemes[ccc_rows] = FIELDS.index("CCC")
    return schemes


def org_blocks(cert_counts: np.ndarray, n_orgs: int) -> OrgBlocks:
    """Each body's own block of client organisations: (offset, size), sizes summing to ``n_orgs``."""
    sizes = np.maximum(1, np.round(cert_counts / max(cert_counts.sum(), 1) * n_orgs)).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return offsets, sizes


def pick_orgs(
    body_idx: np.ndarray, blocks: OrgBlocks, n_orgs: int, rng: np.random.Generator, shared: float = 0.25
) -> np.ndarray:
    """An organisation per row: mostly from the body's block, some from anywhere
    (organisations certified by several bodies)."""
    offsets, sizes = blocks
    own = offsets[body_idx] + np.floor(rng.uniform(size=len(body_idx)) * sizes[body_idx]).astype(np.int64)
    anywhere = rng.integers(0, max(int(sizes.sum()), 1), size=len(body_idx))
    return np.where(rng.uniform(size=len(body_idx)) < shared, anywhere, own)


def grouped_cumsum(values: np.ndarray, group_starts: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each group (rows sorted by group)."""
    cs = np.cumsum(values)
    before = np.concatenate([[0.0], cs[:-1]])
    return cs - np.repeat(before[group_starts], np.diff(np.append(group_starts, len(values))))


def days_between(start: pd.Timestamp, dates: np.ndarray) -> np.ndarray:
    return (dates - np.datetime64(start, "ns")) / np.timedelta64(1, "D")


def body_chunks(rows_per_body: np.ndarray, max_rows: int = 750_000) -> list[tuple[int, int]]:
    """Contiguous ranges of bodies holding at most ``max_rows`` rows each (a single
    larger body gets its own range). Deterministic, so chunked generation is too."""
    chunks, lo, total = [], 0, 0
    for i, k in enumerate(rows_per_body):
        if total and total + k > max_rows:
            chunks.append((lo, i))
            lo, total = i, 0
        total += int(k)
    chunks.append((lo, len(rows_per_body)))
    return chunks


def add_years(dates: np.ndarray, years: int) -> np.ndarray:
    """Same calendar day ``years`` later (29 Feb -> 1 Mar), vectorised."""
    days = dates.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    return ((months + 12 * years).astype("datetime64[D]") + (days - months.astype("datetime64[D]"))).astype(dates.dtype)
