"""Verification many times over one draw: compute the re-run and the input digests once.

A test that tampers with a draw folder in many ways calls ``verify_draw`` once
per tampering. The re-run depends only on the committed settings, the seed and
the commitment, and the data do not change, so :func:`reuse_reruns` keeps
each re-run by those and digests the data once (the verdicts are the same,
only the repeated work is skipped).
"""

from __future__ import annotations

import json

import pytest

from features.tables import Tables


def reuse_reruns(monkeypatch: pytest.MonkeyPatch, tables: Tables) -> None:
    """Make ``certrisk.draw.verification`` re-run each distinct draw once and digest ``tables`` once."""
    import certrisk.draw.verification as verification

    reruns: dict[str, object] = {}
    rerun = verification.run_draw

    def cached(tables_, grades, config, commitment):
        key = json.dumps([config.to_dict(), config.public_seed, config.draw_id, commitment], sort_keys=True)
        if key not in reruns:
            reruns[key] = rerun(tables_, grades, config, commitment)
        return reruns[key]

    monkeypatch.setattr(verification, "run_draw", cached)
    digests = verification.drawn_input_digests(tables)
    monkeypatch.setattr(verification, "drawn_input_digests", lambda _tables: digests)
