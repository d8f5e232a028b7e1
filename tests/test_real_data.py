"""The feature builders on public real data (Boston and San Francisco restaurant
inspections, read from ``../shared/data/real``; skipped when it is absent).

The adapters' tables load through the same checks as users' data, features
build on them without NaN (one as-of date and a panel of routine
inspections), they are point in time, and a plain logistic regression on them
beats chance out of time. Print the AUC figures with::

    .venv/bin/pytest tests/test_real_data.py -k auc -s
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from features import load_data_dir
from features.adapters import REAL_DATA_DIR, _common, boston, latest_date, load_boston, load_sf, sf, write_data_dir
from features.build import build_feature_panel, build_features
from features.codes import SERIOUS_OUTCOMES
from features.contracts import CANONICAL_DTYPES, COLUMN_KINDS, TABLES
from features.dictionary import FEATURE_NAMES

if not all((REAL_DATA_DIR / sub).is_dir() for sub in ("boston", "sf")):
    pytest.skip(f"real data not found in {REAL_DATA_DIR.resolve()}", allow_module_level=True)

LOADERS = {"boston": load_boston, "sf": load_sf}
CUT = {"boston": "2013-01-01", "sf": "2017-01-01"}  # out-of-time split: train before, evaluate on and after
PIT_DATES = {"boston": ["2008-02-29", "2011-07-15", "2014-11-03"], "sf": ["2015-06-30", "2016-12-31", "2017-08-15"]}
DATE_COLUMN = {"bodies": "approved_on", "inspections": "inspected_on", "signals": "observed_on"}


@pytest.fixture(scope="module", params=list(LOADERS))
def real(request):
    """(name, tables) of one data set, adapted once per module."""
    return request.param, LOADERS[request.param]()


@pytest.fixture(scope="module")
def panel(real):
    """Features of every routine (random) inspection as of its date, and its serious label."""
    name, tables = real
    ins = tables["inspections"]
    routine = ins[ins["kind"].eq("random")].reset_index(drop=True)
    features = build_feature_panel(tables, routine["body_id"].to_numpy(), routine["inspected_on"].to_numpy())
    return routine, features


def _as_of(tables) -> pd.Timestamp:
    return latest_date(tables) + pd.Timedelta(days=1)


def _cut(tables: dict[str, pd.DataFrame], t: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The tables as they stood on ``t``: only records dated before it."""
    out = {}
    for name, frame in tables.items():
        column = DATE_COLUMN.get(name)
        out[name] = frame if column is None else frame[frame[column] < t].reset_index(drop=True)
    return out


# ------------------------------------------------------------------ adapters


def test_adapters_return_every_table_in_canonical_dtypes(real):
    _, tables = real
    assert list(tables) == list(TABLES)
    for name, frame in tables.items():
        expected = {c: CANONICAL_DTYPES[k] for c, k in COLUMN_KINDS[name].items()}
        assert {c: str(d) for c, d in frame.dtypes.items()} == expected, name


def test_adapted_tables_pass_the_loader_unchanged(real, tmp_path):
    _, tables = real
    data = load_data_dir(write_data_dir(tables, tmp_path), as_of=_as_of(tables))
    for name in TABLES:
        pdt.assert_frame_equal(tables[name], data.tables[name], check_exact=True)


def test_random_inspections_have_one_probability_per_year(real):
    _, tables = real
    ins = tables["inspections"]
    random = ins[ins["kind"].eq("random")]
    assert random["inclusion_prob"].between(0, 1, inclusive="right").all()
    assert (random.groupby(random["inspected_on"].dt.year)["inclusion_prob"].nunique() == 1).all()
    assert ins.loc[~ins["kind"].eq("random"), "inclusion_prob"].isna().all()
    first = ins.groupby("body_id")["inspected_on"].min().reindex(tables["bodies"]["body_id"]).to_numpy()
    assert ((tables["bodies"]["approved_on"].to_numpy() < first) | np.isnat(first)).all()


def test_boston_serious_matches_the_readme_label():
    raw = boston.read_boston()
    ins = load_boston()["inspections"]
    assert len(ins) == len(raw) == 34_879
    serious = ins["outcome"].isin(SERIOUS_OUTCOMES).to_numpy()
    np.testing.assert_array_equal(serious, (raw["**"] + raw["***"] > 0).to_numpy())
    np.testing.assert_array_equal(ins["findings"], raw[["*", "**", "***"]].sum(axis=1))


def test_sf_serious_matches_the_readme_label():
    _, visits, violations = sf.read_sf()
    routine = visits.loc[visits["type"].eq("Routine - Unscheduled"), ["business_id", "date"]].drop_duplicates()
    high = violations.loc[violations["risk_category"].eq("High Risk"), ["business_id", "date"]].drop_duplicates()
    expected = routine.merge(high.assign(serious=True), how="left").fillna({"serious": False})
    ins = load_sf()["inspections"]
    got = ins.loc[ins["kind"].eq("random"), ["body_id", "inspected_on", "outcome"]]
    got = got.assign(serious=got["outcome"].isin(SERIOUS_OUTCOMES)).set_index(["body_id", "inspected_on"])
    expected = expected.set_index(["business_id", "date"]).reindex(got.index)
    assert len(got) == len(routine)
    np.testing.assert_array_equal(got["serious"].to_numpy(), expected["serious"].to_numpy(dtype=bool))


def test_sf_complaint_visits_are_signals_and_complaint_inspections():
    tables = load_sf()
    _, visits, _ = sf.read_sf()
    complaints = visits[visits["type"].isin(list(sf.SIGNAL_SEVERITY))]
    assert len(tables["signals"]) == len(complaints)
    assert set(tables["signals"]["severity"]) == {2, 3}
    ins = tables["inspections"]
    # a complaint visit on a day without a routine visit is a complaint inspection
    routine_days = set(
        visits.loc[visits["type"].eq("Routine - Unscheduled"), ["business_id", "date"]].itertuples(index=False)
    )
    alone = {d for d in complaints[["business_id", "date"]].itertuples(index=False) if d not in routine_days}
    got = set(ins.loc[ins["kind"].eq("complaint"), ["body_id", "inspected_on"]].itertuples(index=False))
    assert got == alone


def test_outcome_rules_doctests():
    for module in (_common, boston, sf):
        assert doctest.testmod(module).failed == 0


# ------------------------------------------------------------------ features


def test_features_build_without_nan_as_of_one_date(real):
    _, tables = real
    for as_of in (_as_of(tables), pd.Timestamp(CUT[real[0]])):
        features = build_features(tables, as_of)
        assert len(features) == (tables["bodies"]["approved_on"] < as_of).sum()
        assert not features[list(FEATURE_NAMES)].isna().any().any()


def test_panel_has_one_row_per_routine_inspection_without_nan(panel):
    routine, features = panel
    assert len(features) == len(routine) > 10_000
    np.testing.assert_array_equal(features["as_of"].to_numpy(), routine["inspected_on"].to_numpy())
    assert not features[list(FEATURE_NAMES)].isna().any().any()
    assert (features["n_inspections"] >= 0).all() and features["n_inspections"].max() > 5


def test_point_in_time_on_real_data(real):
    name, tables = real
    for t in pd.to_datetime(PIT_DATES[name]):
        now = build_features(tables, t)
        pdt.assert_frame_equal(now, build_features(_cut(tables, t), t))
        # the test can fail: the same bodies 120 days later have other features
        later = build_features(tables, t + pd.Timedelta(days=120)).set_index("body_id").loc[now["body_id"]]
        assert not np.allclose(later[list(FEATURE_NAMES)].to_numpy(), now[list(FEATURE_NAMES)].to_numpy())


# -------------------------------------------------------------- out of time


def _out_of_time_auc(name, routine, features) -> tuple[float, float]:
    """AUC after the cut date of a logistic regression trained before it, and of the last outcome alone."""
    serious = routine["outcome"].isin(SERIOUS_OUTCOMES).to_numpy()
    train = (routine["inspected_on"] < CUT[name]).to_numpy()
    x = features[list(FEATURE_NAMES)]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x[train], serious[train])
    auc_all = roc_auc_score(serious[~train], model.predict_proba(x[~train])[:, 1])
    auc_last = roc_auc_score(serious[~train], x.loc[~train, "last_outcome_level"])
    print(
        f"\n{name}: train {train.sum():,} routine inspections before {CUT[name]}, test {(~train).sum():,} "
        f"(serious {serious[~train].mean():.1%}); out-of-time AUC all features {auc_all:.3f}, "
        f"last outcome alone {auc_last:.3f}"
    )
    return auc_all, auc_last


def test_out_of_time_auc_beats_chance(real, panel):
    auc_all, _ = _out_of_time_auc(real[0], *panel)
    assert auc_all > 0.5
