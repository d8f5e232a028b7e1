"""Verifiable randomness: test vectors, independent re-derivation, invariances, errors."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from sampling import frame_digest, seed_material, stream_uniform, unit_uniforms

# The test vectors published in docs/sampling.md ("Test vectors").
VECTOR_IDS = ["B0002", "B0010", "B0001", "认证-01"]
VECTOR_COLUMNS = {
    "grade": ["B", "D", "A", "C"],
    "pi": [0.25, 1.0, 0.02, float("nan")],
    "ccc": [False, True, False, False],
    "n_certs": np.array([120, 4, 0, 37]),
}
VECTOR_TEXT = (
    "certrisk-frame-v1\n"
    "id\tccc\tgrade\tn_certs\tpi\n"
    "B0001\tfalse\tA\t0\t0.02\n"
    "B0002\tfalse\tB\t120\t0.25\n"
    "B0010\ttrue\tD\t4\t1.0\n"
    "认证-01\tfalse\tC\t37\t\n"
)
VECTOR_FRAME = "c531e07d8603ba2561fc0bfb80b93235486624942c9b5d61e864c19c8bfde01e"
VECTOR_SEED = "2025-Q1 lottery 07-13-21-28-30-33+05"
VECTOR_MATERIAL = "c73e2811fa0de8d096a3f554e7e0f82144d74d1733a1d4413bf289061bfda4df"
VECTOR_UNIFORMS = {  # purpose "stage1"
    "B0001": 0.32860654352057284,
    "B0002": 0.03966198389535547,
    "B0010": 0.21443785511956082,
    "认证-01": 0.45486053656341696,
}
VECTOR_START = 0.8915459457257956  # stream_uniform(material, "stage1:start")


def _reference_uniform(material: str, purpose: str, unit: str) -> float:
    """Independent derivation with hashlib and integers only (exact)."""
    digest = hashlib.sha256(f"{material}|{purpose}|{unit}".encode()).digest()
    k = int.from_bytes(digest[:8], "big") >> 12
    return (2 * k + 1) / 2**53  # = (k + 0.5) / 2**52, exact in binary64


def test_frame_digest_matches_the_documented_bytes():
    # Source: the canonical text written out by hand from docs/sampling.md.
    assert hashlib.sha256(VECTOR_TEXT.encode("utf-8")).hexdigest() == VECTOR_FRAME
    assert frame_digest(VECTOR_IDS, VECTOR_COLUMNS) == VECTOR_FRAME


def test_seed_material_and_uniforms_match_the_test_vectors():
    assert seed_material(VECTOR_FRAME, VECTOR_SEED) == VECTOR_MATERIAL
    ids = list(VECTOR_UNIFORMS)
    got = unit_uniforms(VECTOR_MATERIAL, "stage1", ids)
    assert got.tolist() == [VECTOR_UNIFORMS[i] for i in ids]
    assert got.tolist() == [_reference_uniform(VECTOR_MATERIAL, "stage1", i) for i in ids]
    assert stream_uniform(VECTOR_MATERIAL, "stage1:start") == VECTOR_START


def test_independent_derivation_on_many_ids():
    material = seed_material("ab" * 32, "beacon 42")
    ids = [f"X{i}-{i * 7919 % 1000}" for i in range(2000)]
    expected = [_reference_uniform(material, "team:B0123:1", i) for i in ids]
    assert unit_uniforms(material, "team:B0123:1", ids).tolist() == expected


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum not installed")
def test_shell_sha256sum_agrees():
    # Source: coreutils sha256sum over the same bytes, outside Python's hashlib.
    frame = subprocess.run(["sha256sum"], input=VECTOR_TEXT.encode(), capture_output=True, check=True)
    assert frame.stdout.decode().split()[0] == VECTOR_FRAME
    msg = f"{VECTOR_MATERIAL}|stage1|B0001".encode()
    unit = subprocess.run(["sha256sum"], input=msg, capture_output=True, check=True)
    k = int(unit.stdout.decode()[:16], 16) >> 12
    assert (k + 0.5) / 2**52 == VECTOR_UNIFORMS["B0001"]


def test_uniforms_depend_on_id_only_not_on_row_or_neighbours():
    ids = [f"B{i:04d}" for i in range(50)]
    u = unit_uniforms(VECTOR_MATERIAL, "stage1", ids)
    perm = np.random.default_rng(3).permutation(50)
    u_perm = unit_uniforms(VECTOR_MATERIAL, "stage1", [ids[k] for k in perm])
    assert np.array_equal(u_perm, u[perm])
    alone = unit_uniforms(VECTOR_MATERIAL, "stage1", [ids[7]])
    assert alone[0] == u[7]


def test_uniforms_are_strictly_inside_the_unit_interval_and_look_uniform():
    u = unit_uniforms(VECTOR_MATERIAL, "stage1", [f"C{i}" for i in range(20000)])
    assert u.min() > 0 and u.max() < 1
    # Kolmogorov-Smirnov against U(0, 1): fixed ids, so deterministic.
    from scipy import stats

    assert stats.kstest(u, "uniform").pvalue > 0.001


def test_purposes_give_separate_streams():
    ids = [f"B{i}" for i in range(100)]
    a = unit_uniforms(VECTOR_MATERIAL, "stage1", ids)
    b = unit_uniforms(VECTOR_MATERIAL, "stage2:B1", ids)
    assert not np.any(a == b)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.3


def test_extreme_hash_values_map_inside_the_interval():
    from sampling.randomness import _digests_to_uniforms

    extremes = bytes(8) + b"\xff" * 8
    u = _digests_to_uniforms(extremes)
    assert u.tolist() == [2.0**-53, 1.0 - 2.0**-53]


def test_frame_digest_ignores_row_and_column_order_but_not_content():
    ids = ["B3", "B1", "B2"]
    cols = {"size": [3.0, 1.0, 2.5], "grade": ["C", "A", "B"]}
    base = frame_digest(ids, cols)
    perm = [2, 0, 1]
    shuffled = {k: [v[p] for p in perm] for k, v in reversed(list(cols.items()))}
    assert frame_digest([ids[p] for p in perm], shuffled) == base
    assert frame_digest(ids, {"size": [3.0, 1.0, 2.5000000000000004], "grade": ["C", "A", "B"]}) != base
    assert frame_digest(ids, {"size": [3.0, 1.0, 2.5]}) != base


def test_frame_digest_accepts_pandas_columns_and_missing_values():
    frame = pd.DataFrame(
        {"body_id": ["B1", "B2"], "flag": [True, False], "note": ["x", None], "n": [1, 2], "f": [0.1, np.nan]}
    )
    got = frame_digest(frame["body_id"], {c: frame[c] for c in ["flag", "note", "n", "f"]})
    text = "certrisk-frame-v1\nid\tf\tflag\tn\tnote\nB1\t0.1\ttrue\t1\tx\nB2\t\tfalse\t2\t\n"
    assert got == hashlib.sha256(text.encode()).hexdigest()


def test_frame_digest_of_ids_only():
    assert frame_digest(["b", "a"]) == hashlib.sha256(b"certrisk-frame-v1\nid\na\nb\n").hexdigest()


@pytest.mark.parametrize(
    ("ids", "columns", "error", "match"),
    [
        ("B1", None, TypeError, "`ids` must be a sequence of strings"),
        (["B1", 2], None, TypeError, "`ids` must contain strings only; got 2 at position 1"),
        (["B1", ""], None, ValueError, "non-empty strings without tab"),
        (["B1", "B\t2"], None, ValueError, "without tab, CR or LF"),
        (["B1", "B1"], None, ValueError, "'B1' occurs more than once"),
        (["B1"], [1.0], TypeError, "`columns` must be a mapping"),
        (["B1"], {"id": [1]}, ValueError, "other than 'id'"),
        (["B1"], {"x": [1, 2]}, ValueError, "column 'x' must be 1-d with 1 values"),
        (["B1"], {"x": ["a\nb"]}, ValueError, "column 'x': values must not contain tab"),
        (["B1"], {"x": [object()]}, TypeError, "column 'x': unsupported value type object"),
    ],
)
def test_frame_digest_errors(ids, columns, error, match):
    with pytest.raises(error, match=match):
        frame_digest(ids, columns)


@pytest.mark.parametrize(
    ("frame_hex", "seed", "match"),
    [
        ("ABC", "x", "`frame_sha256_hex` must be 64 lowercase hex digits; got 'ABC'"),
        ("A" * 64, "x", "`frame_sha256_hex` must be 64 lowercase hex digits"),
        ("0" * 64, "", "`public_seed` must be a non-empty string"),
        ("0" * 64, 12, "`public_seed` must be a non-empty string; got 12"),
        ("0" * 64, " 12", "must not start or end with whitespace"),
        ("0" * 64, "1\x002", "control characters"),
    ],
)
def test_seed_material_errors(frame_hex, seed, match):
    with pytest.raises(ValueError, match=match):
        seed_material(frame_hex, seed)


@pytest.mark.parametrize(
    ("material", "purpose", "match"),
    [
        ("xyz", "stage1", "`seed_material` must be 64 lowercase hex digits; got 'xyz'"),
        ("0" * 64, "", "`purpose` must be a non-empty string"),
        ("0" * 64, "a|b", "without '|'"),
        ("0" * 64, 5, "`purpose` must be a non-empty string without '\\|', tab, CR or LF; got 5"),
    ],
)
def test_uniform_errors(material, purpose, match):
    with pytest.raises(ValueError, match=match):
        unit_uniforms(material, purpose, ["B1"])
    with pytest.raises(ValueError, match=match):
        stream_uniform(material, purpose)


def test_docs_publish_the_same_test_vectors():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "sampling.md").read_text(encoding="utf-8")
    for value in [VECTOR_FRAME, VECTOR_SEED, VECTOR_MATERIAL, repr(VECTOR_START), *map(repr, VECTOR_UNIFORMS.values())]:
        assert value in text, value
    for cert in ("C000001", "C000002"):
        assert repr(_reference_uniform(VECTOR_MATERIAL, "stage2:B0010", cert)) in text
    for line in VECTOR_TEXT.splitlines():  # the canonical text, tabs shown as arrows
        assert f"    {line.replace(chr(9), '→')}\n" in text, line


def test_frame_digest_of_empty_and_single_row_frames():
    assert frame_digest([]) == hashlib.sha256(b"certrisk-frame-v1\nid\n").hexdigest()
    assert frame_digest(["a"], {"x": [1.5]}) == hashlib.sha256(b"certrisk-frame-v1\nid\tx\na\t1.5\n").hexdigest()
