"""The training's progress bar and the estimates' reliability in the language asked: riskmodel's and sampling's
English sentences read back from the catalogue, ``estimates.csv``'s ``note`` in Chinese beside its English codes."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from minimal_data import AS_OF, write_minimal_data

from certrisk.catalogue import read_back
from certrisk.cli import main
from certrisk.commands.common import progress_bar, step_words
from certrisk.errors import KeyedError
from certrisk.estimate_assisted import assisted_note
from certrisk.estimate_job import reliability_note
from sampling.estimators.reliability import reliability

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}")  # three English words in a row


def _said(path: Path, name: str) -> list[str]:
    """Every ``name(...)`` of ``path`` with a sentence: its text, each field written ``{x}``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name and node.args:
            text = node.args[0]
            parts = text.values if isinstance(text, ast.JoinedStr) else [text]
            if all(isinstance(p, ast.Constant | ast.FormattedValue) for p in parts):
                found.append("".join(p.value if isinstance(p, ast.Constant) else "{x}" for p in parts))
    return found


def test_every_step_of_the_retraining_is_said_in_chinese(capsys):
    steps = _said(ROOT / "riskmodel" / "quarterly.py", "say")
    assert len(steps) == 4, steps  # the training set, the C search, the out-of-time fits, the final fits
    for step in steps:
        zh = read_back("zh", step, "progress")
        assert zh is not None and CJK.search(zh), step
    with progress_bar(2, "retraining", "zh") as advance:
        advance("out-of-time evaluation: scorecard")
        assert "跨时段评估：scorecard" in capsys.readouterr().err
        advance("something riskmodel says one day")  # unknown to the catalogue: shown as it is
        assert "something riskmodel says one day" in capsys.readouterr().err
    assert step_words("en", "out-of-time evaluation: scorecard") == "out-of-time evaluation: scorecard"


def _reasons() -> list[str]:
    """Every reason sampling's reliability rule gives (its eight branches)."""
    cases = [(0.1, 0.02, 1), (math.nan, math.nan, 5), (0.1, 0.02, 5), (0.0, 0.0, 20), (-0.3, 0.1, 20), (0.2, 0.0, 20)]
    cases += [(0.1, 0.05, 20), (0.1, 0.01, 20)]
    return [reliability(estimate, se, n).reason for estimate, se, n in cases]


def test_every_reliability_reason_of_sampling_is_said_in_chinese():
    reasons = _reasons()
    assert len(set(reasons)) == 8, reasons
    for reason in reasons:
        zh = read_back("zh", reason, "estimates")
        assert zh is not None and not ENGLISH.search(zh), reason
    assert reliability_note("unstable", reasons[2], "en") == f"unstable: {reasons[2]}; pool more quarters (--since)"
    assert reliability_note("suppressed", reasons[0], "zh") == "不公布：随机抽查少于 3 次（1 次）"
    assert reliability_note("reliable", reasons[-1], "zh") == ""


def test_estimate_writes_its_notes_in_chinese_and_keeps_the_english_codes(tmp_path, capsys):
    data = write_minimal_data(tmp_path / "data")
    ins = pd.read_csv(data / "inspections.csv", dtype=str, keep_default_na=False)
    ins[["certs_checked", "certs_with_problems"]] = "0"  # the minimal registry holds too few certificates
    ins.to_csv(data / "inspections.csv", index=False)
    out = tmp_path / "estimates.csv"
    assert (
        main(["estimate", str(data), "--as-of", AS_OF, "--since", "2024-01-01", "--out", str(out), "--lang", "zh"]) == 0
    )
    printed = capsys.readouterr().out
    assert "  没有模型辅助（差分）估计：请给出 --draws DIR" in printed and not ENGLISH.search(printed), printed
    table = pd.read_csv(out, keep_default_na=False)
    flagged = table[table["reliability"] != "reliable"]
    assert len(flagged) >= 2 and set(table["reliability"]) <= {"reliable", "unstable", "suppressed"}
    assert flagged["reliability_reason"].str.startswith("fewer than").all()  # sampling's English, read back
    assert flagged["note"].map(lambda n: bool(CJK.search(n)) and not ENGLISH.search(n)).all(), flagged["note"]
    assert table.loc[0, "note"] == "不稳定：随机抽查少于 10 次（6 次）；宜合并更多季度（--since）"


def test_the_refusals_of_the_estimates_are_keyed(tmp_path, capsys):
    data = write_minimal_data(tmp_path / "data")  # its inspections checked more certificates than were held
    argv = ["estimate", str(data), "--as-of", AS_OF, "--since", "2024-01-01", "--out", str(tmp_path / "e.csv")]
    assert main([*argv, "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "次随机抽查检查的证书多于该机构在抽查时持有的证书" in err and "，前 5 条如下：" in err, err
    assert "；批次 D2024Q2，机构 CB003，2024-05-20 检查：检查 15 张，持有 0 张；" in err
    from certrisk.estimate_draws import check_draws_dir

    with pytest.raises(KeyedError, match=r"^`--draws` must be an existing folder of draws") as caught:
        check_draws_dir(tmp_path / "none")
    assert caught.value.in_language("zh").startswith("`--draws` 须为已存在的抽查汇总目录")


def test_why_no_model_assisted_rows_in_chinese():
    note = assisted_note(True, ["D1", "D2"], {})
    assert (
        note == "no model-assisted (difference) rows: 2 of the 2 draws of the window have no folder in --draws (D1, D2)"
    )
    assert (
        note.in_language("zh")
        == "没有模型辅助（差分）估计：时间窗口内的 2 个批次中有 2 个在 --draws 中没有目录（D1, D2）"
    )
