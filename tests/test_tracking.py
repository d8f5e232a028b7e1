"""MLflow tracking: one run per retraining, registry aliases, promotion rule, loading.

Each test has its own SQLite store (``sqlite:///{tmp_path}/mlflow.db``) and
runs in its own temporary working directory. Creating an MLflow database runs
its migrations (about 2 s), so an empty, migrated database is made once per
session and copied into each test's folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from features.dictionary import FEATURE_NAMES
from riskmodel import tracking
from riskmodel.figures import calibration_figure
from riskmodel.tracking import (
    CHALLENGER,
    CHAMPION,
    InputTable,
    PromotionDecision,
    Retraining,
    TrainingRun,
    default_tracking_uri,
    load_model,
    log_training_run,
    model_version_info,
    register_and_promote,
)


# ----------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def empty_db(tmp_path_factory):
    """An empty MLflow SQLite database with its tables created."""
    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    with tracking._session(f"sqlite:///{path}") as client:
        client.search_experiments()
    return path


@pytest.fixture
def store(tmp_path, empty_db, monkeypatch):
    """A fresh store in this test's own working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    shutil.copy(empty_db, tmp_path / "mlflow.db")
    return f"sqlite:///{tmp_path}/mlflow.db"


@pytest.fixture(scope="session")
def data():
    rng = np.random.default_rng(42)
    X = pd.DataFrame(rng.normal(size=(300, len(FEATURE_NAMES))), columns=list(FEATURE_NAMES))
    logit = -2.0 + 1.2 * X[FEATURE_NAMES[0]] - 0.8 * X[FEATURE_NAMES[1]]
    y = (rng.uniform(size=len(X)) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def calibrated(C, data):
    X, y = data
    base = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=500))
    return CalibratedClassifierCV(base, ensemble=False, cv=3).fit(X, y)


@pytest.fixture(scope="session")
def models(data):
    """Three models with visibly different predictions."""
    return {"first": calibrated(1.0, data), "second": calibrated(0.01, data), "third": calibrated(0.001, data)}


def calibration_table():
    return pd.DataFrame(
        {
            "bin": range(1, 11),
            "weight": 10.0,
            "predicted": np.linspace(0.01, 0.3, 10),
            "observed": np.linspace(0.02, 0.28, 10),
        }
    )


def log_one(uri, name, model, data, **extra):
    X, _ = data
    kwargs = dict(
        tracking_uri=uri,
        run_name=name,
        params={"quarter": name},
        data_hashes={"inspections": "sha256:0"},
        metrics={},
        figures={},
        tables={},
        models={"scorecard": model},
        input_example=X,
    )
    kwargs.update(extra)
    return log_training_run(**kwargs)


def same_predictions(a, b, X):
    return np.allclose(a.predict_proba(X), b.predict_proba(X), rtol=0, atol=1e-12)


# -------------------------------------------------------------------------- runs
def test_log_training_run_layout(store, data, models, capfd):
    X, y = data
    env_before = os.environ.get("MLFLOW_TRACKING_URI")
    cal = calibration_table()
    run = log_training_run(
        tracking_uri=store,
        run_name="2025Q3",
        params={"nonrandom": "exclude", "boosting": {"max_iter": 150, "monotone": True}, "features": ["a", "b"]},
        data_hashes={"inspections": "sha256:abc", "audits 2025.parquet": "sha256:def"},
        metrics={"scorecard.oot_brier": 0.071, "boosting.oot_auc": 0.74},
        figures={"calibration": calibration_figure(cal)},
        tables={"calibration": cal},
        models={"scorecard": models["first"], "boosting": models["second"]},
        input_example=X,
    )
    assert isinstance(run, TrainingRun) and run.tracking_uri == store
    assert set(run.model_uris) == {"scorecard", "boosting"}
    assert run.serialization == {"scorecard": "skops", "boosting": "skops"}
    assert run.seconds < 30  # about 1 s here

    client = MlflowClient(tracking_uri=store)
    logged = client.get_run(run.run_id)
    assert logged.info.run_name == "2025Q3" and logged.info.status == "FINISHED"
    assert client.get_experiment(run.experiment_id).name == "certrisk-quarterly"
    p = logged.data.params
    assert p["nonrandom"] == "exclude" and p["boosting.max_iter"] == "150" and p["boosting.monotone"] == "true"
    assert p["features"] == '["a", "b"]'
    assert p["data_hash.inspections"] == "sha256:abc" and p["data_hash.audits 2025.parquet"] == "sha256:def"
    assert logged.data.metrics == {"scorecard.oot_brier": 0.071, "boosting.oot_auc": 0.74}
    assert logged.data.tags["serialization.scorecard"] == "skops"

    artifacts = {a.path for a in client.list_artifacts(run.run_id, "figures")} | {
        a.path for a in client.list_artifacts(run.run_id, "tables")
    }
    assert artifacts == {"figures/calibration.png", "tables/calibration.csv"}
    with tracking._session(store):
        local = client.download_artifacts(run.run_id, "", str(os.getcwd() + "/dl"))
    assert Path(local, "figures", "calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pd.testing.assert_frame_equal(pd.read_csv(f"{local}/tables/calibration.csv"), cal)

    # Each model loads back from its URI, with a signature from the example.
    with tracking._session(store):
        back = mlflow.sklearn.load_model(run.model_uris["boosting"])
        info = mlflow.models.get_model_info(run.model_uris["boosting"])
    assert same_predictions(back, models["second"], X)
    assert info.signature.inputs.input_names() == list(FEATURE_NAMES)
    assert info.flavors["python_function"]["predict_fn"] == "predict_proba"

    # Quiet, and MLflow's global state is left as it was.
    out, _ = capfd.readouterr()
    assert out == ""
    assert os.environ.get("MLFLOW_TRACKING_URI") == env_before


def test_default_tracking_uri_is_sqlite_in_the_working_directory(store, tmp_path, data, models, monkeypatch):
    assert default_tracking_uri() == f"sqlite:///{tmp_path}/mlflow.db"
    run = log_one(None, "2025Q3", models["first"], data)  # the copied, migrated mlflow.db in cwd
    assert run.tracking_uri == store
    assert MlflowClient(tracking_uri=store).get_run(run.run_id).info.run_name == "2025Q3"
    assert (tmp_path / "mlruns").is_dir()  # artifacts beside the database
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////elsewhere/x.db")
    assert default_tracking_uri() == "sqlite:////elsewhere/x.db"


def test_models_with_riskmodel_classes_are_saved_with_skops(store, data):
    models_mod = pytest.importorskip("riskmodel.models")
    X, y = data
    card = models_mod.fit_model("scorecard", X, y, np.ones(len(y)))
    run = log_one(store, "2025Q3", card, data)
    assert run.serialization == {"scorecard": "skops"}
    register_and_promote(run=run, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    assert same_predictions(load_model(tracking_uri=store), card, X)


class Outsider(ClassifierMixin, BaseEstimator):
    """A classifier from outside riskmodel/sklearn: skops would not trust it."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        self.rate_ = float(np.mean(y))
        return self

    def predict_proba(self, X):
        return np.tile([1 - self.rate_, self.rate_], (len(X), 1))

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_foreign_types_fall_back_to_cloudpickle_with_a_warning(store, data):
    X, y = data
    model = Outsider().fit(X, y)
    with pytest.warns(UserWarning, match=r"model 'scorecard' is saved with cloudpickle because it holds types outside"):
        run = log_one(store, "2025Q3", model, data)
    assert run.serialization == {"scorecard": "cloudpickle"}
    register_and_promote(run=run, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    assert same_predictions(load_model(tracking_uri=store), model, X)


# --------------------------------------------------------------------- promotion
def test_promotion_first_worse_better(store, data, models):
    X, _ = data
    first = log_one(store, "2025Q1", models["first"], data)
    d1 = register_and_promote(run=first, candidate="scorecard", candidate_metrics={"oot_brier": 0.100, "oot_auc": 0.7})
    assert isinstance(d1, PromotionDecision)
    assert (d1.version, d1.promoted, d1.champion_value, d1.champion_version) == (1, True, None, None)
    assert "no champion yet" in d1.rule
    assert model_version_info(CHAMPION, tracking_uri=store).version == 1
    assert model_version_info(CHALLENGER, tracking_uri=store).version == 1

    # Worse by 0.003 > margin 0.002: stays challenger; champion still loads version 1.
    second = log_one(store, "2025Q2", models["second"], data)
    d2 = register_and_promote(run=second, candidate="scorecard", candidate_metrics={"oot_brier": 0.103})
    assert (d2.version, d2.promoted, d2.champion_version) == (2, False, 1)
    assert d2.champion_value == pytest.approx(0.100) and d2.candidate_value == 0.103 and d2.margin == 0.002
    assert d2.rule.endswith("0.103 <= 0.1 + 0.002 = 0.102 is false")
    assert model_version_info(CHALLENGER, tracking_uri=store).version == 2
    champ = model_version_info(tracking_uri=store)
    assert (champ.version, champ.run_id, champ.candidate) == (1, first.run_id, "scorecard")
    assert same_predictions(load_model(tracking_uri=store), models["first"], X)
    assert same_predictions(load_model(CHALLENGER, tracking_uri=store), models["second"], X)
    assert not same_predictions(models["first"], models["second"], X)

    # Worse by exactly 0.0015 <= margin: promoted; champion now loads version 3.
    third = log_one(store, "2025Q3", models["third"], data)
    d3 = register_and_promote(run=third, candidate="scorecard", candidate_metrics={"oot_brier": 0.1015})
    assert (d3.version, d3.promoted, d3.champion_version) == (3, True, 1)
    assert model_version_info(tracking_uri=store).version == 3
    assert model_version_info(tracking_uri=store).run_id == third.run_id
    assert same_predictions(load_model("champion", tracking_uri=store), models["third"], X)

    # The decision is logged to its run: promotion.json, tags, the candidate's metric.
    client = MlflowClient(tracking_uri=store)
    with tracking._session(store):
        path = client.download_artifacts(third.run_id, "promotion.json", os.getcwd())
    assert json.loads(Path(path).read_text(encoding="utf-8")) == d3.to_dict()
    logged = client.get_run(second.run_id).data
    assert logged.tags["promotion.promoted"] == "False" and logged.tags["promotion.champion_value"] == "0.1"
    assert logged.metrics["scorecard.oot_brier"] == 0.103
    assert client.get_model_version("certrisk-risk-model", "2").tags["promoted"] == "false"


def test_promotion_when_higher_is_better(store, data, models):
    run = log_one(store, "2025Q1", models["first"], data)
    kw = dict(
        run=run,
        candidate="scorecard",
        model_name="auc-model",
        champion_metrics_key="oot_auc",
        lower_is_better=False,
        margin=0.002,
    )
    assert register_and_promote(candidate_metrics={"oot_auc": 0.700}, **kw).promoted
    worse = register_and_promote(candidate_metrics={"oot_auc": 0.697}, **kw)
    assert not worse.promoted and ">= 0.7 - 0.002 = 0.698 is false" in worse.rule
    # The champion's value is read from its own run's metric scorecard.oot_auc (0.700, not 0.697).
    assert register_and_promote(candidate_metrics={"oot_auc": 0.6985}, **kw).promoted
    assert model_version_info(model_name="auc-model", tracking_uri=store).version == 3


# ------------------------------------------------------------------------ errors
def test_missing_alias_raises_lookup_error(store, data, models, tmp_path):
    message = (
        r"No version of model 'certrisk-risk-model' has the alias 'champion' in the tracking store .*; "
        r"run `certrisk train` first"
    )
    with pytest.raises(LookupError, match=message):
        load_model(tracking_uri=store)
    missing_db = tmp_path / "nowhere" / "mlflow.db"
    with pytest.raises(LookupError, match=r"has the alias 'champion'.*certrisk train"):
        model_version_info(tracking_uri=f"sqlite:///{missing_db}")
    assert not missing_db.exists()  # no empty store was created
    run = log_one(store, "2025Q1", models["first"], data)
    register_and_promote(run=run, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    with pytest.raises(LookupError, match=r"has the alias 'retired'"):
        load_model("retired", tracking_uri=store)


def test_champion_without_the_metric_raises_before_registering(store, data, models):
    run = log_one(store, "2025Q1", models["first"], data)
    register_and_promote(run=run, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    with pytest.raises(
        LookupError,
        match=r"The champion, version 1 of 'certrisk-risk-model' .* has no logged metric "
        r"'scorecard.oot_auc' or 'oot_auc'",
    ):
        register_and_promote(
            run=run,
            candidate="scorecard",
            candidate_metrics={"oot_auc": 0.7},
            champion_metrics_key="oot_auc",
            lower_is_better=False,
        )
    versions = MlflowClient(tracking_uri=store).search_model_versions("name='certrisk-risk-model'")
    assert [int(v.version) for v in versions] == [1]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"run_name": " "}, ValueError, r"`run_name` must be a non-empty string; got ' '"),
        ({"models": {}}, ValueError, r"`models` must hold at least one fitted model; got none"),
        ({"models": {"bad key/": None}}, ValueError, r"`models` keys must be 1-100 letters.*; got 'bad key/'"),
        ({"models": {"m": object()}}, TypeError, r"`models\['m'\]` must have a predict_proba method; got object"),
        ({"metrics": {"auc": "high"}}, ValueError, r"`metrics\['auc'\]` must be a number; got 'high'"),
        (
            {"metrics": {"auc?": 0.7}},
            ValueError,
            r"`metrics` keys must be 1-250 letters, digits, spaces .*; got 'auc\?'",
        ),
        ({"params": {"../b": 1}}, ValueError, r"`params` keys must be .* not a path like '../x'; got '../b'"),
        (
            {"data_hashes": {"inspections": ""}},
            ValueError,
            r"`data_hashes\['inspections'\]` must be a non-empty string",
        ),
        ({"figures": {"cal": "x.png"}}, TypeError, r"`figures\['cal'\]` must be a matplotlib Figure; got str"),
        ({"tables": {"cal": [1]}}, TypeError, r"`tables\['cal'\]` must be a pandas DataFrame; got list"),
        ({"params": [1]}, TypeError, r"`params` must be a dict; got list"),
        ({"params": {"x": "y" * 6001}}, ValueError, r"`params\['x'\]` is 6001 characters long"),
        ({"input_example": pd.DataFrame()}, ValueError, r"`input_example` must be a non-empty pandas DataFrame"),
        ({"tracking_uri": ""}, ValueError, r"`tracking_uri` must be a non-empty string or None; got ''"),
        ({"datasets": [1]}, TypeError, r"`datasets` must be a dict; got list"),
        ({"datasets": {"../x": None}}, ValueError, r"`datasets` keys must be 1-100 letters.*; got '../x'"),
        ({"datasets": {"bodies": pd.DataFrame()}}, TypeError, r"`datasets\['bodies'\]` must be an InputTable"),
        (
            {"datasets": {"bodies": InputTable(pd.DataFrame({"a": [1]}), "sha256:0")}},
            ValueError,
            r"`datasets\['bodies'\]` digest must be 36 to 128 lowercase hex characters; got 'sha256:0'",
        ),
        (
            {"datasets": {"bodies": InputTable(pd.DataFrame({"a": [1]}), "0" * 64, context="test")}},
            ValueError,
            r"`datasets\['bodies'\]` context must be one of \('training', 'evaluation'\); got 'test'",
        ),
        ({"tags": {"as of?": "x"}}, ValueError, r"`tags` keys must be 1-250 letters.*; got 'as of\?'"),
        ({"tags": {"as_of": 1}}, ValueError, r"`tags\['as_of'\]` must be a string of at most 5000 characters"),
        ({"tags": [1]}, TypeError, r"`tags` must be a dict; got list"),
    ],
)
def test_log_training_run_errors_write_nothing(store, data, models, change, error, message):
    with pytest.raises(error, match=message):
        log_one(store, "2025Q1", models["first"], data, **change)
    assert MlflowClient(tracking_uri=store).search_runs(experiment_ids=["0"]) == []
    assert MlflowClient(tracking_uri=store).get_experiment_by_name("certrisk-quarterly") is None


def test_register_and_promote_errors(store, data, models):
    run = log_one(store, "2025Q1", models["first"], data)
    cases = [
        (
            dict(candidate="boosting", candidate_metrics={"oot_brier": 0.1}),
            ValueError,
            r"`candidate` must be one of the run's models \['scorecard'\]; got 'boosting'",
        ),
        (
            dict(candidate="scorecard", candidate_metrics={"oot_auc": 0.7}),
            ValueError,
            r"`candidate_metrics` must hold 'oot_brier' \(`champion_metrics_key`\); got \['oot_auc'\]",
        ),
        (
            dict(candidate="scorecard", candidate_metrics={"oot_brier": float("nan")}),
            ValueError,
            r"`candidate_metrics\['oot_brier'\]` must be finite; got nan",
        ),
        (
            dict(candidate="scorecard", candidate_metrics={"oot_brier": 0.1}, margin=-0.01),
            ValueError,
            r"`margin` must be a finite number >= 0; got -0.01",
        ),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            register_and_promote(run=run, **kwargs)
    with pytest.raises(TypeError, match=r"`run` must be a TrainingRun from log_training_run; got str"):
        register_and_promote(run=run.run_id, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    assert MlflowClient(tracking_uri=store).search_registered_models() == []


# ---------------------------------------------------------------------- datasets and what a version is
def test_a_large_table_is_logged_with_mlflows_schema_inferred_from_its_first_rows(store, data, models):
    n = 1500  # more than SCHEMA_ROWS
    big = pd.DataFrame(
        {"id": [f"C{i:05d}" for i in range(n)], "n": range(n), "on": pd.date_range("2020-01-01", periods=n)}
    )
    table = InputTable(big, "ab" * 32, "evaluation", "certificates.csv")
    run = log_one(store, "2025Q1", models["first"], data, datasets={"certificates": table})
    (logged,) = MlflowClient(tracking_uri=store).get_run(run.run_id).inputs.dataset_inputs
    full = mlflow.data.from_pandas(big).schema.to_dict()  # MLflow's own inference over every row
    assert json.loads(logged.dataset.schema) == {"mlflow_colspec": full}
    assert json.loads(logged.dataset.profile) == {"num_rows": n, "num_elements": 3 * n}
    assert (logged.dataset.digest, json.loads(logged.dataset.source)) == ("ab" * 18, {"uri": "certificates.csv"})
    assert {t.key: t.value for t in logged.tags} == {"mlflow.data.context": "evaluation", "certrisk.digest": "ab" * 32}


def test_a_promoted_version_is_described_by_its_rule(store, data, models):
    run = log_one(store, "2025Q1", models["first"], data)
    register_and_promote(run=run, candidate="scorecard", candidate_metrics={"oot_brier": 0.1})
    version = MlflowClient(tracking_uri=store).get_model_version("certrisk-risk-model", "1")
    assert version.description == (
        f"Candidate scorecard of run {run.run_id}, promoted to champion by the rule: "
        "no champion yet: the first registered candidate becomes champion (oot_brier = 0.1)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-1-01", "ab" * 32), r"`as_of` must be a date YYYY-MM-DD; got '2026-1-01'"),
        (("2026-10-01", "AB" * 32), r"`data_digest` must be 16 to 128 lowercase hex characters; got 'ABAB"),
        (("2026-10-01", "ab" * 32, "x" * 1001), r"`settings` must be a string of at most 1000 characters"),
    ],
)
def test_a_retraining_identity_is_checked(args, message):
    with pytest.raises(ValueError, match=message):
        Retraining(*args)


def test_an_experiment_without_the_location_tag_is_left_alone_when_moved_and_tagged_in_place(
    store, data, models, tmp_path
):
    from riskmodel.tracking.relocation import LOCATION_TAG, relocate
    from riskmodel.tracking.store import experiment_id

    log_one(store, "2025Q1", models["first"], data)
    with sqlite3.connect(tmp_path / "mlflow.db") as con:  # as a store made before the tag existed
        con.execute("DELETE FROM experiment_tags WHERE key = ?", (LOCATION_TAG,))
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(tmp_path / "mlflow.db", moved / "mlflow.db")
    assert relocate(moved / "mlflow.db") == []  # nothing says where its artifacts belong: untouched
    with tracking._session(store) as client:
        exp_id = experiment_id(client, "certrisk-quarterly", store)  # in place: its artifacts are beside it
        assert client.get_experiment(exp_id).tags[LOCATION_TAG] == "mlruns"


def test_a_model_name_with_a_quote_is_refused_before_the_search():
    from riskmodel.tracking.retraining import registered_versions

    with pytest.raises(ValueError, match=r"`model_name` must not contain a single quote .*; got \"it's\""):
        registered_versions(None, "it's", Retraining("2026-10-01", "ab" * 32))
