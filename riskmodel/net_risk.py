"""Body risk net of the inspector effect: grades by the body, not by who happened to inspect it.

The champion is fitted on past outcomes, and an outcome depends on the team
that inspected as well as on the body (:mod:`riskmodel.stringency`). Teams of
random inspections are drawn at random, so on average the effect cancels; but
the body-risk coefficients of a fit that ignores the teams absorb whatever of
the inspector effect lines up with the features (for instance, when strict
inspectors worked more in some provinces or fields).

:class:`InspectorCorrection` measures that part. It fits the same penalised
logistic regression on the same random inspections twice: jointly with the
inspector effects (``joint``), and with the inspector effects held at 0 (a
prior SD of :data:`NO_EFFECT_SD`, ``plain``). The difference of the two body
parts, ``shift(x) = body_logit_joint(x) - body_logit_plain(x)``, is what
accounting for the inspectors changes in a body's log-odds. The net
probability applies it to the champion's own::

    logit p_net = logit p_champion + shift(x)

so the champion's ranking skill is kept and only the part the inspectors
explain is taken out. When teams are balanced across bodies the shift is near
0 and the grades do not move.

>>> import numpy as np
>>> net_probability(np.array([0.1, 0.5]), np.array([0.0, np.log(3)])).round(3).tolist()
[0.1, 0.75]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from .stringency import StringencyFit, estimate_stringency

if TYPE_CHECKING:
    from features.loading import DataSet, DateLike
    from features.tables import Tables

NO_EFFECT_SD = 1e-3  # an inspector prior this narrow holds every effect at 0 (the fit without inspectors)
P_CLIP = 1e-6


@dataclass(frozen=True)
class InspectorCorrection:
    """The joint fit and the fit without inspectors on the same rows; :meth:`shift` is their difference."""

    joint: StringencyFit
    plain: StringencyFit

    def shift(self, X: pd.DataFrame) -> np.ndarray:
        """What accounting for the inspectors changes in each body's log-odds."""
        return self.joint.body_logit(X) - self.plain.body_logit(X)

    def net(self, p: np.ndarray, X: pd.DataFrame) -> np.ndarray:
        """``p`` (the champion's probabilities for the rows of ``X``) net of the inspector effect."""
        return net_probability(p, self.shift(X))

    def summary(self) -> dict[str, object]:
        return {"joint": self.joint.summary(), "no_effect_sd": NO_EFFECT_SD}


def net_probability(p: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """``expit(logit(p) + shift)``, with ``p`` kept inside (0, 1)."""
    return np.asarray(expit(logit(np.clip(np.asarray(p, dtype=float), P_CLIP, 1 - P_CLIP)) + shift))


def inspector_correction(data: DataSet | Tables, as_of: DateLike, *, kinds: str = "random") -> InspectorCorrection:
    """Both fits on the inspections before ``as_of`` (random ones by default: their teams were drawn at random)."""
    joint = estimate_stringency(data, as_of, kinds=kinds)
    plain = estimate_stringency(data, as_of, kinds=kinds, sigma=NO_EFFECT_SD)
    return InspectorCorrection(joint, plain)
