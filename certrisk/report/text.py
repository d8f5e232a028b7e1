"""The names the report gives to the codes it shows, in its language (the words themselves are in the catalogue:
:mod:`certrisk.catalogue.report` and :mod:`certrisk.catalogue.report_codes`).

:func:`code_name` names a model, a PSI band, an estimate scope or an
estimator (codes without a name are shown as they are); :func:`domain_name`
names the domain of an estimate (a province by its name in the report's
language).

>>> code_name("model", "scorecard", "zh"), code_name("model", "scorecard", "en"), code_name("model", "new", "zh")
('评分卡', 'scorecard', 'new')
>>> domain_name("province", "37", "en"), domain_name("province", "37", "zh"), domain_name("overall", "all", "zh")
('Shandong', '山东', '全部')
"""

from __future__ import annotations

from features.codes import province_name

from ..catalogue import words

__all__ = ["ASSISTED", "code_name", "domain_name"]

ASSISTED = ("difference", "difference_two_stage")  # the model-assisted estimators of `certrisk estimate`


def code_name(kind: str, code: object, lang: str) -> str:
    """The name of ``code`` of ``kind`` (``model``, ``band``, ``scope``, ``estimator``) in ``lang``; the code itself
    when the catalogue has no name for it."""
    return words(lang, "report_codes").get(f"{kind}_{code}", str(code))


def domain_name(scope: object, domain: object, lang: str) -> str:
    """The domain of an estimate as the report shows it: a province by its name, ``all`` in words, a grade as is."""
    if str(scope) == "province":
        return province_name(domain, lang)
    return code_name("scope", domain, lang)
