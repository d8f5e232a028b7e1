"""Package hygiene: docstring examples run, the public API, no forbidden imports."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

import sampling

MODULES = [
    "sampling.inclusion",
    "sampling.randomness",
    "sampling.designs",
    "sampling.joint",
    "sampling.policy",
    "sampling.stage2",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_exported():
    for name in sampling.__all__:
        assert hasattr(sampling, name), name
    assert {"draw", "inclusion_probabilities", "unit_uniforms", "assign_probabilities"} <= set(sampling.__all__)


def test_no_global_numpy_random_state_or_choice():
    import pathlib
    import re

    root = pathlib.Path(sampling.__file__).parent
    # The replicated quarters (simulations, not draws) take an explicit Generator; nothing else may touch numpy's
    # random module, and nothing at all its global state.
    simulations = {"replication.py", "planning.py"}
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        uses = set(re.findall(r"np\.random\.(\w+)", text))
        allowed = {"Generator", "default_rng"} if path.name in simulations else set()
        assert uses <= allowed, (path.name, uses - allowed)
        assert "random.choice" not in text, path.name


def test_codes_mirrored_from_the_data_contract_stay_equal():
    """sampling may not import features, so it keeps copies of two contract codes; they must not drift."""
    from features import codes
    from sampling.policy import STATUSES
    from sampling.teams import NATIONAL

    assert STATUSES == codes.BODY_STATUSES
    assert NATIONAL == codes.NATIONAL


def _sampling_modules():
    import pkgutil

    return sorted(m.name for m in pkgutil.walk_packages(sampling.__path__, prefix="sampling."))


def test_no_sampling_module_imports_a_model_application_or_simulator_package():
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {_sampling_modules()!r}];"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('features', 'riskmodel', 'certrisk', 'simulator')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "sampling.teams.repair" in _sampling_modules()
    assert out.stdout.strip() == ""
