"""Design-based estimators for completed inspections (engine section 6).

Each drawn body ``k`` comes with its inclusion probability ``pi_k`` (from the
draw that selected it) and an outcome ``y_k`` (e.g. 1 if the inspection found
a serious problem). The estimators are:

* :func:`ht_total`: Horvitz-Thompson total ``sum_s y_k / pi_k``.
* :func:`hajek_mean`: Hajek mean ``sum_s (y_k / pi_k) / sum_s (1 / pi_k)``,
  a ratio, linearised as ``z_k = (y_k - R) / N_hat``.
* :func:`pooled_rate`: the Hajek ratio over several independent draws
  (quarters), overall or by domain (grade, province), one row per domain.
* :func:`two_stage_rate`: the rate of problem certificates when ``m_k`` of the
  ``N_k`` certificates of each drawn body were checked.

Variances. With the joint inclusion probabilities of the sampled units
(``joint``, e.g. from :func:`sampling.joint_inclusion_probabilities`) the
Sen-Yates-Grundy (fixed size) or Horvitz-Thompson form is used; these agree
with R ``survey`` (``pps = ppsmat(J)``) to rounding. Without them (the usual
case: only the sample's ``pi`` are recorded) the high-entropy approximation of
Hajek (1964) and Deville (1999) for fixed-size maximum-entropy designs, as
evaluated by Matei & Tille (2005):

    V = f * sum_k (1 - pi_k) (e_k - A)^2,   e_k = y_k / pi_k,
    A = sum_k (1 - pi_k) e_k / sum_k (1 - pi_k),

over the units with ``pi_k < 1`` (certainties add no variance), with
``f = n / (n - 1)`` (``"deville1"``, the default) or
``f = 1 / (1 - sum_k a_k^2)``, ``a_k = (1 - pi_k) / sum_l (1 - pi_l)``
(``"deville2"``, R's ``sampling::varest``), ``n`` the number of sampled units
with ``pi < 1``. Independent draws add their variances. See
``docs/estimation.md`` for the formulas, the interval choice and the
simulation that checks bias and coverage.

Modules: :mod:`.result` (:class:`Estimate`, :data:`COLUMNS`), :mod:`.checks`
(argument checks), :mod:`.variance` (the variance estimators),
:mod:`.intervals` (confidence intervals), :mod:`.reliability` (the flag of
each domain row), :mod:`.one_sample`,
:mod:`.horvitz_thompson` and :mod:`.hajek` (one sample), :mod:`.domains`,
:mod:`.pooled` and :mod:`.two_stage` (several draws, by domain), :mod:`.model_assisted`
(the difference estimator, docs/model-assisted.md).
"""

from __future__ import annotations

from .hajek import hajek_mean
from .horvitz_thompson import ht_total
from .model_assisted import difference_rate, difference_two_stage_rate
from .pooled import pooled_rate
from .result import COLUMNS as COLUMNS
from .result import Estimate
from .two_stage import two_stage_rate

__all__ = [
    "Estimate",
    "difference_rate",
    "difference_two_stage_rate",
    "ht_total",
    "hajek_mean",
    "pooled_rate",
    "two_stage_rate",
]

# doctest.testmod on this package only sees objects defined here; this hands it the estimators' examples too.
__test__ = {name: globals()[name] for name in __all__}
