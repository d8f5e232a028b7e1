"""Verification many times over the same draws: compute each re-run and each input digest once.

A test that tampers with draw folders in many ways calls ``verify_draw`` once
per tampering. The data never change in such a test (only draw folders are
tampered with), so the digests of one tables object are always the same; and a
re-run depends only on the tables, the kept grades, the committed settings,
the seed and the commitment, so a verdict on a tampered copy reuses the re-run
that the verdict on the untampered folder made. :func:`reuse_reruns` keeps
both (the verdicts are the same, only the repeated work is skipped; draws are
still made by ``make_draw``, never taken from this store). It also reads each
distinct XLSX file once (a workbook is keyed by its bytes, so a tampered one
is read anew), rebuilds the frame of each distinct commitment check once, and
writes each re-run table's CSV bytes once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from features.tables import Tables


def reuse_reruns(monkeypatch: pytest.MonkeyPatch, only: Tables | None = None) -> None:
    """Make ``certrisk.draw`` digest each tables object once and re-run each distinct draw once.

    ``only``: the one data set that every verification of the test reads, even when a command reloads it from its
    directory (a new tables object each time): its digests stand for every tables object.
    """
    import certrisk.draw.folder as folder
    import certrisk.draw.verification as verification

    books: dict[bytes, object] = {}  # the SHA-256 of a workbook's bytes -> what reading it gave
    frames: dict[str, object] = {}
    texts: dict[int, tuple[object, bytes]] = {}  # id -> (a re-run table, kept alive so its id is not reused), its CSV
    digests: dict[int, tuple[object, dict[str, str]]] = {}  # id -> (the tables, kept alive so the id stays theirs)
    reruns: dict[str, object] = {}
    digest, rerun, read_book = verification.drawn_input_digests, verification.run_draw, verification.read_workbook
    frame_of, csv_of = verification.build_frame, verification.csv_bytes

    def read_once(path: Path, *args, **kwargs):
        key = hashlib.sha256(repr((args, kwargs)).encode() + Path(path).read_bytes()).digest()
        if key not in books:
            books[key] = read_book(path, *args, **kwargs)
        return books[key]

    def digest_once(tables):
        tables = tables if only is None else only
        if id(tables) not in digests:
            digests[id(tables)] = (tables, digest(tables))
        return digests[id(tables)][1]

    def key_of(tables, grades, config, *more) -> str:
        kept = pd.util.hash_pandas_object(grades).tolist()
        return json.dumps([id(tables), kept, config.to_dict(), config.public_seed, config.draw_id, *more])

    def frame_once(tables, grades, config):
        tables = tables if only is None else only
        key = key_of(tables, grades, config)
        if key not in frames:
            digest_once(tables)  # keeps the tables alive, so their id is not reused
            frames[key] = frame_of(tables, grades, config)
        return frames[key].copy()

    def csv_once(table):
        if id(table) not in texts:
            texts[id(table)] = (table, csv_of(table))
        return texts[id(table)][1]

    def rerun_once(tables, grades, config, commitment, **extra):
        tables = tables if only is None else only
        if extra:  # inspector effects kept in the folder: not stored
            return rerun(tables, grades, config, commitment, **extra)
        key = key_of(tables, grades, config, commitment)
        if key not in reruns:
            digest_once(tables)  # keeps the tables alive, so their id is not reused
            reruns[key] = rerun(tables, grades, config, commitment)
        return reruns[key]

    monkeypatch.setattr(folder, "drawn_input_digests", digest_once)
    monkeypatch.setattr(verification, "drawn_input_digests", digest_once)
    monkeypatch.setattr(verification, "run_draw", rerun_once)
    monkeypatch.setattr(verification, "read_workbook", read_once)
    monkeypatch.setattr(verification, "build_frame", frame_once)
    monkeypatch.setattr(verification, "csv_bytes", csv_once)
