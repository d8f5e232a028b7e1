"""The features carry the signal: out of time, a plain logistic regression on
all features beats one on profile features alone, against the ground truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from features.build import build_feature_panel
from features.dictionary import FEATURES

ALL = [f.name for f in FEATURES]
PROFILE = [f.name for f in FEATURES if f.family == "profile"]


def test_features_beat_profile_alone_out_of_time(world_medium):
    world, tables = world_medium, world_medium.tables()
    ins = tables["inspections"]
    cut = world.as_of - pd.DateOffset(months=9)
    train = ins[(ins["inspected_on"] >= cut - pd.DateOffset(months=24)) & (ins["inspected_on"] < cut)]
    test = ins[ins["inspected_on"] >= cut]
    # One panel for the training rows, the test rows and every body now (build_features' rows: the bodies
    # approved before the as-of date): a row's features depend only on its own body and date, and one call
    # builds the shared indexes once.
    bodies = tables["bodies"]
    now_ids = bodies.loc[bodies["approved_on"] < world.as_of, "body_id"]
    pairs = pd.concat(
        [
            train[["body_id", "inspected_on"]],
            test[["body_id", "inspected_on"]],
            pd.DataFrame({"body_id": now_ids, "inspected_on": pd.Timestamp(world.as_of)}),
        ],
        ignore_index=True,
    )
    panel = build_feature_panel(tables, pairs["body_id"], pairs["inspected_on"])
    ends = np.cumsum([0, len(train), len(test), len(now_ids)])
    x_train, x_test, now = (panel.iloc[a:b].reset_index(drop=True) for a, b in zip(ends[:-1], ends[1:]))
    serious = lambda frame: frame["outcome"].isin(["major", "severe"]).to_numpy()  # noqa: E731
    risk = world.truth()["risk_quarterly"]
    p_now = risk[risk["quarter_start"] == risk["quarter_start"].max()].set_index("body_id")["p_serious"]
    p_now = p_now.reindex(now["body_id"]).to_numpy()
    top_quartile = p_now > np.quantile(p_now, 0.75)

    auc = {}
    for name, cols in (("all", ALL), ("profile", PROFILE)):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x_train[cols], serious(train))
        auc[name] = (
            roc_auc_score(serious(test), model.predict_proba(x_test[cols])[:, 1]),
            roc_auc_score(top_quartile, model.predict_proba(now[cols])[:, 1]),
        )
    observed, truth = auc["all"]
    assert observed > 0.62 and truth > 0.72, auc
    assert truth > auc["profile"][1] + 0.15, auc
    assert observed > auc["profile"][0] + 0.08, auc
