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


@pytest.mark.parametrize(("lang", "shandong", "samr"), [("en", "Shandong", "SAMR"), ("zh", "山东", "国家市场监管总局")])
def test_the_report_names_the_provinces_of_warnings_and_estimates(lang, shandong, samr):
    from certrisk.report.document import _Doc, _render_markdown
    from certrisk.report.sections.warnings import _warnings_section
    from certrisk.report.text import domain_name

    summary = {"as_of": "2026-10-01", "by_level": {"red": 3}, "by_status": {"new": 3}}
    doc = _Doc()
    _warnings_section(doc, summary | {"by_province": {"37": {"red": 2}, "99": {"red": 1}}}, lang)
    rows = [line for line in _render_markdown(doc).splitlines() if line.startswith("| ")]
    assert any(line.startswith(f"| {shandong} | 2 |") for line in rows)
    assert any(line.startswith("| 99 | 1 |") for line in rows)  # an unknown code as written
    assert domain_name("province", "37", lang) == shandong and domain_name("province", "00", lang) == samr
    assert domain_name("grade", "A", lang) == "A"


def test_the_monitor_lists_keep_the_code_and_name_the_province(tmp_path):
    from minimal_data import AS_OF, write_minimal_data

    from certrisk.monitor_job import run_monitor
    from certrisk.monitor_output import count_table, special_table, summary, warnings_table
    from features import load_data_dir
    from supervision.rules import load_rules

    data = load_data_dir(write_minimal_data(tmp_path / "data", "csv"), as_of=AS_OF)
    monitor = run_monitor(data, pd.Timestamp(AS_OF), load_rules())
    # CB010 (陕西秦川认证有限公司) is registered in 61, unreachable since 2025-01-20: warned and specially checked
    en = warnings_table(monitor, data.bodies).set_index("body_id")
    assert (en.loc["CB010", "province"], en.loc["CB010", "province_name"]) == ("61", "Shaanxi")
    zh = warnings_table(monitor, data.bodies, "zh").set_index("机构编号")
    assert (zh.loc["CB010", "省份代码"], zh.loc["CB010", "省份"]) == ("61", "陕西")
    special = special_table(monitor, "unreachable", data.bodies, "zh").set_index("机构编号")
    assert special.loc["CB010", "省份"] == "陕西"
    counts = count_table(monitor, data.bodies, "zh").set_index("省份代码")
    assert counts.loc["61", "省份"] == "陕西" and counts.loc["total", "省份"] == "合计"
    assert count_table(monitor, data.bodies).set_index("province").loc["total", "province_name"] == "total"
    assert "61" in summary(monitor, data.bodies)["by_province"]  # monitor.json keeps the codes
