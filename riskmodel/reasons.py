"""Why a body scores as it does: each feature's contribution and the top ones in words.

A feature's contribution is how far the body's log-odds move when that feature
alone is set back to the population median (for the additive scorecard this
is exactly its points, scaled). The top positive contributions become plain
sentences with the body's value beside its peers', e.g.
"audits without sign-out: 31.0% (peers 4.0%)".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import logit

from features.dictionary import FEATURE_NAMES, SPECS
from features.panorama import format_value

MIN_CONTRIBUTION = 0.05  # log-odds; smaller moves are not worth a sentence


def contributions(predict: Callable[[pd.DataFrame], np.ndarray], X: pd.DataFrame) -> pd.DataFrame:
    """Log-odds moved by each feature relative to the population median (rows x features)."""
    base = logit(np.clip(predict(X), 1e-9, 1 - 1e-9))
    medians = X.median()
    out = {}
    for name in FEATURE_NAMES:
        moved = X.copy()
        moved[name] = medians[name]
        out[name] = base - logit(np.clip(predict(moved), 1e-9, 1 - 1e-9))
    return pd.DataFrame(out, index=X.index)


def reason_texts(X: pd.DataFrame, contrib: pd.DataFrame, top: int = 3, lang: str = "en") -> list[str]:
    """The ``top`` largest positive contributions of each row, in words."""
    medians = X.median()
    values = contrib.to_numpy()
    order = np.argsort(-values, axis=1)[:, :top]
    texts = []
    for i, idx in enumerate(order):
        parts = []
        for j in idx:
            if values[i, j] < MIN_CONTRIBUTION:
                break
            spec = SPECS[contrib.columns[j]]
            value = format_value(X.iat[i, X.columns.get_loc(spec.name)], spec, lang)
            peers = format_value(medians[spec.name], spec, lang)
            parts.append(
                f"{spec.label_en}: {value} (peers {peers})"
                if lang == "en"
                else f"{spec.label_zh}：{value}（同行 {peers}）"
            )
        texts.append("; ".join(parts) if lang == "en" else "；".join(parts))
    return texts
