"""A retraining's MLflow store as others see it: datasets, versions that say what they are, one registration
per retraining, a copied store that still loads its champion, and the store served by ``mlflow server``.

One real retraining of the tiny system (40 bodies) makes the store, once for the module.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from certrisk.draw.digests import input_digests
from certrisk.training_inputs import data_digest
from certrisk.training_job import run_training
from features.loading import load_data_dir
from riskmodel.tracking import (
    CHALLENGER,
    CHAMPION,
    DEFAULT_MODEL_NAME,
    Retraining,
    StoreError,
    load_model,
    model_version_info,
    prepare_store,
    register_selection,
)
from riskmodel.tracking import relocation as relocation_module
from riskmodel.tracking.serialization import project_requirement
from riskmodel.tracking.store import session

AS_OF = pd.Timestamp("2026-10-01")


@pytest.fixture(scope="module")
def trained(small_data_dir, tmp_path_factory):
    """The tiny system retrained once into its own store (folder ``demo``: ``mlflow.db`` and ``mlruns/``)."""
    folder = tmp_path_factory.mktemp("store") / "demo"
    data = load_data_dir(small_data_dir, as_of=AS_OF)
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    job = run_training(data, small_data_dir, AS_OF, out_dir=folder / "run", tracking_uri=uri)
    digests = input_digests(data.tables)  # computed here again, apart from the job (certrisk.draw.digests)
    return {"uri": uri, "folder": folder, "job": job, "data": data, "digests": digests}


def _versions(uri: str, run_id: str | None = None) -> dict[int, object]:
    """The registered versions (of one run), by number."""
    found = MlflowClient(tracking_uri=uri).search_model_versions(f"name='{DEFAULT_MODEL_NAME}'")
    return {int(v.version): v for v in found if run_id is None or v.run_id == run_id}


# ------------------------------------------------------------------------------------------- datasets
def test_each_input_table_is_a_dataset_with_its_canonical_digest(trained):
    run = MlflowClient(tracking_uri=trained["uri"]).get_run(trained["job"]["run"].run_id)
    inputs = {d.dataset.name: d for d in run.inputs.dataset_inputs}
    tables = trained["data"].tables
    assert set(inputs) == {*tables, "training_set", "evaluation_set"}
    for name, frame in tables.items():
        dataset, tags = inputs[name].dataset, {t.key: t.value for t in inputs[name].tags}
        digest = trained["digests"][name]
        assert (tags["certrisk.digest"], dataset.digest) == (digest, digest[:36])  # MLflow keeps 36 characters
        assert tags["mlflow.data.context"] == "training"
        assert json.loads(dataset.source) == {"uri": f"{name}.parquet"}  # relative: the folder can move
        assert json.loads(dataset.profile) == {"num_rows": len(frame), "num_elements": frame.size}
        schema = [c["name"] for c in json.loads(dataset.schema)["mlflow_colspec"]]
        assert schema == list(frame.columns)
    contexts = {
        n: {t.key: t.value for t in inputs[n].tags}["mlflow.data.context"] for n in ("training_set", "evaluation_set")
    }
    assert contexts == {"training_set": "training", "evaluation_set": "evaluation"}
    # the evaluation rows are the random inspections on or after the evaluation start; they are in the training set
    ev = json.loads(inputs["evaluation_set"].dataset.profile)["num_rows"]
    tr = json.loads(inputs["training_set"].dataset.profile)["num_rows"]
    assert 0 < ev < tr == len(trained["job"]["result"].training)
    # the run and its record carry the data digest: SHA-256 over the tables' names and digests
    digest = data_digest(trained["digests"])
    assert run.data.tags["certrisk.data_digest"] == digest == trained["job"]["summary"]["inputs"]["data_digest"]
    assert run.data.tags["certrisk.as_of"] == "2026-10-01"


# ------------------------------------------------------------------------------------------- versions
def test_each_version_says_what_it_is(trained):
    uri, decision = trained["uri"], trained["job"]["decision"]
    versions = _versions(uri, trained["job"]["run"].run_id)
    assert sorted(versions) >= sorted(decision.versions.values())  # more when the next test registered its own
    digest = data_digest(trained["digests"])
    for name, number in decision.versions.items():
        v = versions[number]
        role = "champion" if name == decision.chosen else "challenger" if name == decision.challenger else "candidate"
        assert (v.tags["as_of"], v.tags["data_digest"], v.tags["selection"]) == ("2026-10-01", digest, role)
        assert v.tags["settings"] == "budget_share=0.25 seed=0"
        kind = v.tags["kind"]
        assert v.description.startswith(f"Candidate {name}: a {kind} model on ")
        assert f"retrained as of 2026-10-01 on data {digest[:18]}..." in v.description
        expected = {"champion": "chosen as champion", "challenger": "challenger: the best", "candidate": "not chosen"}
        assert f"Selection: {expected[role]}" in v.description
    assert model_version_info(CHAMPION, tracking_uri=uri).version == decision.versions[decision.chosen]
    if decision.challenger:
        assert model_version_info(CHALLENGER, tracking_uri=uri).version == decision.versions[decision.challenger]


def test_the_same_retraining_registers_no_new_version_and_changed_data_does(trained):
    uri, job = trained["uri"], trained["job"]
    decision, run = job["decision"], job["run"]
    same = Retraining("2026-10-01", data_digest(trained["digests"]), "budget_share=0.25 seed=0")
    args = dict(run=run, chosen=decision.chosen, challenger=decision.challenger, recipes={}, figures={}, rule="r.")
    before = _versions(uri)
    again = register_selection(retraining=same, **args)
    assert _versions(uri).keys() == before.keys()  # nothing registered
    assert (again.registered, again.duplicate_of, again.promoted) == (False, run.run_id, False)
    assert again.versions == decision.versions and again.champion_version == decision.champion_version
    assert again.note.startswith("This retraining (as of 2026-10-01, data digest ")
    assert f"is already registered as versions {decision.versions[decision.chosen]} (" in again.note
    assert "no version was added and the aliases stay where they are" in again.note
    assert model_version_info(tracking_uri=uri).version == decision.champion_version
    logged = MlflowClient(tracking_uri=uri).get_run(run.run_id).data.tags
    assert logged["selection.registered"] == "False" and logged["selection.duplicate_of"] == run.run_id

    changed = Retraining("2026-10-01", "0" * 64, same.settings)  # a changed data set: a new retraining
    new = register_selection(retraining=changed, **args)
    assert new.registered and len(_versions(uri)) == len(before) + len(decision.versions)
    assert min(new.versions.values()) > max(before)
    assert model_version_info(tracking_uri=uri).version == new.versions[decision.chosen]
    # put the aliases back for the other tests of the module
    with session(uri) as client:
        client.set_registered_model_alias(DEFAULT_MODEL_NAME, CHAMPION, decision.champion_version)
        if decision.challenger:
            client.set_registered_model_alias(DEFAULT_MODEL_NAME, CHALLENGER, decision.challenger_version)
    with pytest.raises(TypeError, match=r"`retraining` must be a Retraining or None; got str"):
        register_selection(retraining="2026-10-01", **args)


def test_train_says_that_the_retraining_is_already_registered(trained, small_data_dir, tmp_path, monkeypatch, capsys):
    """The command's words for a duplicate (the retraining itself is the module's, not run again)."""
    import certrisk.training_job as training_job
    from certrisk.cli import main

    job, decision = trained["job"], trained["job"]["decision"]
    same = Retraining("2026-10-01", data_digest(trained["digests"]), "budget_share=0.25 seed=0")
    again = register_selection(
        run=job["run"],
        chosen=decision.chosen,
        challenger=decision.challenger,
        recipes={},
        figures={},
        rule="r.",
        retraining=same,
    )
    monkeypatch.setattr(training_job, "run_training", lambda *a, **k: {**job, "decision": again})
    argv = ["train", str(small_data_dir), "--as-of", "2026-10-01", "--out", str(tmp_path / "run")]
    assert main([*argv, "--tracking-uri", trained["uri"]]) == 0
    out = capsys.readouterr().out
    assert f"\nr.\n{again.note}\n" in out and "champion version" not in out


def test_the_model_requires_the_projects_wheel(trained):
    info = model_version_info(tracking_uri=trained["uri"])
    with session(trained["uri"]):
        folder = mlflow.artifacts.download_artifacts(info.model_uri)
    requirements = Path(folder, "requirements.txt").read_text(encoding="utf-8").split()
    assert project_requirement() == "certrisk==" + __import__("certrisk").__version__
    assert requirements[:2] == ["mlflow==" + mlflow.__version__, project_requirement()]
    assert {r.split("==")[0] for r in requirements} >= {"scikit-learn", "numpy", "pandas", "scipy", "skops"}


# ------------------------------------------------------------------------------------- a copied store
def _copy(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(source / "mlflow.db", target / "mlflow.db")
    shutil.copytree(source / "mlruns", target / "mlruns")
    return target / "mlflow.db"


def _mentions(db: Path, text: str) -> list[str]:
    """Every table.column of ``db`` with a value containing ``text``."""
    with sqlite3.connect(db) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            f"{t}.{c}"
            for t in tables
            for c in (r[1] for r in con.execute(f'PRAGMA table_info("{t}")'))
            if con.execute(f'SELECT 1 FROM "{t}" WHERE CAST("{c}" AS TEXT) LIKE ?', (f"%{text}%",)).fetchone()
        ]


def test_a_copied_store_loads_its_own_champion(trained, tmp_path):
    """The store is copied to a first folder, opened there (re-pointed), copied on and the first folder removed:
    only the last copy's own artifacts can serve the champion."""
    X = trained["job"]["result"].training.X.head(20)
    original = load_model(tracking_uri=trained["uri"]).predict_proba(X)
    first = _copy(trained["folder"], tmp_path / "first")
    assert relocation_module.relocate(first)[0].new == (tmp_path / "first" / "mlruns").as_uri()
    moved = _copy(first.parent, tmp_path / "elsewhere" / "demo")
    shutil.rmtree(first.parent)
    uri = f"sqlite:///{moved}"
    assert _mentions(moved, str(tmp_path / "first")) != []  # before it is opened, the copy points at the first
    prepare_store(uri)  # every command and tracking function does this
    assert _mentions(moved, str(tmp_path / "first")) == [] and relocation_module.relocate(moved) == []
    assert _mentions(moved, str(trained["folder"])) == []
    with session(uri):  # plain MLflow, by alias
        champion = mlflow.pyfunc.load_model(f"models:/{DEFAULT_MODEL_NAME}@champion")
    np.testing.assert_array_equal(champion.predict(X), original)
    np.testing.assert_array_equal(load_model(tracking_uri=uri).predict_proba(X), original)


def test_a_moved_store_that_cannot_be_written_is_refused_in_words(trained, tmp_path, monkeypatch):
    moved = _copy(trained["folder"], tmp_path / "readonly")

    def refuse(con, move):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(relocation_module, "_repoint", refuse)
    with pytest.raises(
        StoreError,
        match=r"was moved \(its artifacts were recorded under file://.*\), and its artifact "
        r"locations cannot be re-pointed .*readonly database\); copy it to a writable folder",
    ):
        prepare_store(f"sqlite:///{moved}")


# ------------------------------------------------------------------------------------ mlflow server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(base: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait_up(base: str, proc: subprocess.Popen, polls: int) -> bool:
    """Whether ``/health`` answers within ``polls`` tries, 0.1 s apart (bounded by count, not by the clock)."""
    for _ in range(polls):
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    return False


@pytest.fixture
def server(trained, tmp_path):
    port = _free_port()
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false", "MLFLOW_DISABLE_TELEMETRY": "true"}
    cmd = [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", trained["uri"], "--host", "127.0.0.1"]
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the server and its workers stop together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not _wait_up(base, proc, polls=600):
            tail = (tmp_path / "server.log").read_text(errors="replace")[-300:]
            pytest.skip(f"mlflow server did not answer on {base} within 600 polls: {tail}")
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@pytest.mark.e2e
def test_the_store_through_the_mlflow_servers_rest_api(trained, server):
    job = trained["job"]
    experiment = _get(server, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=certrisk-quarterly")
    exp_id = experiment["experiment"]["experiment_id"]
    runs = _get(server, "/api/2.0/mlflow/runs/search", {"experiment_ids": [exp_id]})["runs"]
    assert [r["info"]["run_id"] for r in runs] == [job["run"].run_id]
    run = _get(server, f"/api/2.0/mlflow/runs/get?run_id={job['run'].run_id}")["run"]
    datasets = {d["dataset"]["name"]: d for d in run["inputs"]["dataset_inputs"]}
    assert set(datasets) == {*trained["data"].tables, "training_set", "evaluation_set"}
    bodies = trained["digests"]["bodies"]
    assert datasets["bodies"]["dataset"]["digest"] == bodies[:36]
    assert {"key": "certrisk.digest", "value": bodies} in datasets["bodies"]["tags"]
    alias = f"/api/2.0/mlflow/registered-models/alias?name={DEFAULT_MODEL_NAME}&alias=champion"
    champion = _get(server, alias)["model_version"]
    assert int(champion["version"]) == job["decision"].champion_version and champion["run_id"] == job["run"].run_id
    assert champion["description"].startswith(f"Candidate {job['decision'].chosen}: ")
    model = _get(server, f"/api/2.0/mlflow/registered-models/get?name={DEFAULT_MODEL_NAME}")["registered_model"]
    aliases = {a["alias"]: int(a["version"]) for a in model["aliases"]}
    assert aliases[CHAMPION] == job["decision"].champion_version
    with pytest.raises(urllib.error.HTTPError, match="HTTP Error 400") as missing:
        _get(server, f"/api/2.0/mlflow/registered-models/alias?name={DEFAULT_MODEL_NAME}&alias=retired")
    assert "retired" in json.loads(missing.value.read())["message"]
