# Two entry points: `make demo` (a whole quarter on synthetic data) and `make test` (lint, types, tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-long bench fresh-env-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/certrisk demo --out demo-output

# Lint and format check, type check, then the tests and the docstring examples of every package, except the long
# runs: the end-to-end runs (marked `e2e`: demos, notebooks, kills, a browser, an MLflow server, console scripts)
# and the statistical replications (marked `slow`).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 --dist loadscope -m "not e2e and not slow" --doctest-modules features riskmodel sampling simulator supervision certrisk tests

# The long runs `test` leaves out; `.ci/run` runs both.
test-long: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 --dist loadscope -m "e2e or slow" tests

# A new venv with only the project's wheel and MLflow loads the champion of a copied store and predicts (4-7 minutes,
# mostly pip installing MLflow's dependencies into the new venv; so not part of `test`).
fresh-env-check: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python scripts/fresh_env_check.py

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) demo-output .pytest_cache
