"""The report's section on unifying enforcement standards (统一执法尺度), from an inspector table."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from certrisk.cli import main
from certrisk.report import write_report

MORE, LESS, IN_LINE, NONE = (
    "finds more than expected",
    "finds less than expected",
    "in line with expectations",
    "no inspections in the data",
)


@pytest.fixture
def training(tmp_path):
    """A training run folder holding only its record (the training sections then say what is missing)."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps({"config": {"as_of": "2026-10-01"}}), encoding="utf-8")
    return folder


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "inspector_id": ["I1", "I2", "I3", "I4", "I5"],
            "as_of": "2026-10-01",
            "unit": ["SAMR", "SAMR", "北京局", "北京局", "上海局"],
            "province": ["00", "00", "11", "11", "31"],
            "stringency": [0.9, 0.1, -0.05, -0.7, 0.0],
            "ci_low": [0.2, -0.5, -0.6, -1.3, -0.7],
            "ci_high": [1.6, 0.7, 0.5, -0.1, 0.7],
            "n_inspections": [40, 12, 8, 30, 0],
            "assessment_en": [MORE, IN_LINE, IN_LINE, LESS, NONE],
        }
    )


def test_the_section_counts_shows_and_lists_who_finds_more_or_less(training, table, tmp_path):
    path = write_report(training, stringency=table, out=tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    section = text.split("## Unifying enforcement standards (统一执法尺度)")[1]
    assert "1 find more than expected, 1 less, 2 in line with expectations; 1 have no inspections" in section
    assert "Inspections before 2026-10-01." in section
    flagged = section.split("### Inspectors whose interval excludes 0")[1].split("###")[0]
    assert "| I1 | SAMR | SAMR | +0.90 | 2.46 | +0.20 to +1.60 | 40 | finds more than expected |" in flagged
    assert "| I4 |" in flagged and "| I2 |" not in flagged and "| I5 |" not in flagged
    # by province, named (00 is SAMR itself): the mean weighted by inspections taken part in,
    # (0.9 * 40 + 0.1 * 12) / 52 = +0.72
    assert "| SAMR | 2 | 52 | +0.72 | 1 | 0 |" in section and "| Beijing | 2 | 38 | -0.56 | 0 | 1 |" in section
    assert (tmp_path / "r_files" / "stringency.png").stat().st_size > 5_000
    assert "- inspector table: `DataFrame`" in text


def test_the_section_in_chinese_and_when_nobody_is_flagged(training, table, tmp_path):
    calm = table.assign(assessment_en=[IN_LINE, IN_LINE, IN_LINE, IN_LINE, NONE], ci_low=-2.0, ci_high=2.0)
    csv = tmp_path / "inspector_stringency.csv"
    calm.to_csv(csv, index=False, encoding="utf-8-sig")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # without a CJK font the figure falls back to English labels
        path = write_report(training, stringency=csv, out=tmp_path / "r.md", lang="zh")
    section = path.read_text(encoding="utf-8").split("## 统一执法尺度")[1]
    assert "0 人发现问题多于预期，0 人少于预期，4 人与预期一致；1 人尚无检查记录。" in section
    assert "没有检查人员的区间不含 0" in section and "| 国家市场监管总局 | 2 | 52 |" in section  # 00 kept its zeros


def test_a_bad_inspector_table_is_refused_naming_the_argument(training, table, tmp_path):
    with pytest.raises(ValueError, match="`stringency` must have columns .* lacks ci_low, assessment_en"):
        write_report(training, stringency=table.drop(columns=["ci_low", "assessment_en"]), out=tmp_path / "r.md")
    with pytest.raises(ValueError, match="`stringency` must be an existing .csv inspector table"):
        write_report(training, stringency=tmp_path / "missing.csv", out=tmp_path / "r.md")
    assert not (tmp_path / "r.md").exists()


def test_the_command_takes_the_table(training, table, tmp_path, capsys):
    csv = tmp_path / "t.csv"
    table.to_csv(csv, index=False)
    out = tmp_path / "report.html"
    assert main(["report", str(training), "--stringency", str(csv), "--out", str(out)]) == 0
    assert "Unifying enforcement standards" in out.read_text(encoding="utf-8")
    assert main(["report", str(training), "--stringency", str(tmp_path / "nope.csv"), "--out", str(out)]) == 1
    assert "`--stringency` must be an existing .csv inspector table" in capsys.readouterr().err
