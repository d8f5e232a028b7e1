"""How much signal the features carry, against the ground truth (docs/features.md).

Out of time: a plain logistic regression is trained on inspections from 33 to
9 months before the snapshot (features as of each inspection date) and
evaluated on the last 9 months, on all features and on profile features alone.
Prints the AUC on observed outcomes, the correlation with the true probability,
and the AUC of the bodies' scores at the snapshot for the true top quartile.

    python scripts/feature_signal.py [SCALE]
"""

import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from features.build import build_feature_panel, build_features
from features.dictionary import FEATURES
from features.rules import is_serious
from simulator import generate_world

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
w = generate_world(scale=scale, seed=5)
tab = w.tables()
asof = w.as_of
ins = tab["inspections"]
train = ins[(ins.inspected_on >= asof - pd.DateOffset(months=33)) & (ins.inspected_on < asof - pd.DateOffset(months=9))]
test = ins[ins.inspected_on >= asof - pd.DateOffset(months=9)]
Xtr = build_feature_panel(tab, train.body_id, train.inspected_on)
Xte = build_feature_panel(tab, test.body_id, test.inspected_on)
ytr = is_serious(train.outcome)
yte = is_serious(test.outcome)
truth = w.truth()["inspections"].set_index("inspection_id").p_serious
pte = truth.loc[test.inspection_id].to_numpy()
allf = [f.name for f in FEATURES]
prof = [f.name for f in FEATURES if f.family == "profile"]
bodies_now = build_features(tab, asof)
rq = w.truth()["risk_quarterly"]
last = rq[rq.quarter_start == rq.quarter_start.max()].set_index("body_id").p_serious
pb = last.reindex(bodies_now.body_id).to_numpy()
top = pb > np.quantile(pb, 0.75)
for name, cols in [("all", allf), ("profile", prof)]:
    m = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(Xtr[cols], ytr)
    s = m.predict_proba(Xte[cols])[:, 1]
    sb = m.predict_proba(bodies_now[cols])[:, 1]
    print(
        name,
        "n_train",
        len(ytr),
        "n_test",
        len(yte),
        "AUC observed",
        round(roc_auc_score(yte, s), 3),
        "corr truth",
        round(np.corrcoef(s, pte)[0, 1], 3),
        "body AUC top-quartile truth",
        round(roc_auc_score(top, sb), 3),
    )
