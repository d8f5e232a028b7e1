"""Province names in both languages (features/codes.py): one name per code in each language, the code kept
when unknown."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from features.codes import LANGUAGES, NATIONAL, PROVINCE_NAMES, PROVINCES, PROVINCES_EN, province_name


def test_every_province_has_a_name_in_both_languages():
    assert set(PROVINCE_NAMES) == set(LANGUAGES)
    assert set(PROVINCES_EN) == set(PROVINCES)
    assert len(PROVINCES) == 31  # the mainland provincial-level divisions of GB/T 2260
    for lang in LANGUAGES:
        assert set(PROVINCE_NAMES[lang]) == set(PROVINCES) | {NATIONAL}
        assert len(set(PROVINCE_NAMES[lang].values())) == 32, lang  # no two codes share a name
    assert all(re.fullmatch(r"[A-Z][a-z]+( [A-Z][a-z]+)?", name) for name in PROVINCES_EN.values())
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", name) for name in PROVINCE_NAMES["zh"].values())


def test_the_two_shanxis_and_the_autonomous_regions():
    # GB/T 2260: 14 山西 Shanxi, 61 陕西 Shaanxi, 15 内蒙古, 54 西藏.
    expected = ["Shanxi", "Shaanxi", "Inner Mongolia", "Tibet"]
    assert [province_name(c, "en") for c in ("14", "61", "15", "54")] == expected
    assert [province_name(c, "zh") for c in ("14", "61", "15", "54")] == ["山西", "陕西", "内蒙古", "西藏"]


def test_samr_and_unknown_codes():
    assert province_name(NATIONAL, "en") == "SAMR"
    assert province_name("00", "zh") == "国家市场监管总局"
    assert province_name("99", "zh") == "99"
    assert province_name(44, "en") == "Guangdong"  # a code read as a number
    missing = (None, float("nan"), pd.NA)
    assert [province_name(v, lang) for v in missing for lang in LANGUAGES] == [""] * 6  # missing: no name


def test_an_unknown_language_is_refused():
    with pytest.raises(KeyError, match="fr"):
        province_name("11", "fr")
