"""Why a body has its inclusion probability, in Chinese (certrisk/draw/reason_words.py): every reason that
sampling.policy writes reads in Chinese, with its numbers kept."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_sampling_policy import _frame as policy_frame

from certrisk.draw.reason_words import reason_zh
from sampling import SizePolicy, assign_probabilities


def _frame() -> pd.DataFrame:
    """Every branch of the reason: the policy tests' frame (floor, new and never inspected, alert and overdue,
    unreachable in the frame, CCC, out of frame: suspended, revoked) with certificates, one body large enough
    for probability 1."""
    return policy_frame(certs_held=[0, 0, 30, 0, 2_500_000, 0, 0, 0])


POLICIES = [
    (5, SizePolicy(floor=0.1, certificate_weight=0.3)),
    (3, SizePolicy(floor=0.1)),
    (3, SizePolicy(floor=0.0, ccc_budget="on_top")),
    (3, SizePolicy(undisturbed_grades=("A",), floor=0.05)),
    (3, SizePolicy(undisturbed_grades=("A",), floor=0.0)),
]


@pytest.mark.parametrize(("budget", "policy"), POLICIES)
def test_every_reason_the_policy_writes_reads_in_chinese_with_its_numbers(budget, policy):
    out = assign_probabilities(_frame(), budget, policy)
    for reason in out["reason"]:
        words = reason_zh(reason)
        assert not re.search(r"[a-z]{2,}", words.replace("CCC", "")), (reason, words)  # no English word left
        assert re.findall(r"\d+(?:\.\d+)?", reason) == re.findall(r"\d+(?:\.\d+)?", words), (reason, words)


def test_the_frames_reach_every_branch_of_the_reason():
    said = " ".join(
        reason_zh(r) for budget, policy in POLICIES for r in assign_probabilities(_frame(), budget, policy)["reason"]
    )
    branches = (
        "新获批",
        "风险监测预警",
        "从未检查",
        "年以上未检查",
        "证书",
        "不予打扰",
        "仅按下限",
        "无下限",
        "达到 1",
    )
    branches += ("适用下限", "-> 入样概率", "必抽（计入预算）", "必抽（预算之外）", "不在抽样框")
    assert [b for b in branches if b not in said] == []


def test_the_reasons_by_hand():
    # tests/test_sampling_policy.py writes these reasons for the same frame
    assert reason_zh("grade A x1; floor 0.1 applies") == "等级 A ×1；适用下限 0.1"
    assert reason_zh("grade A x1; newly approved x2; never inspected x1.5; size 3 -> pi 0.2714") == (
        "等级 A ×1；新获批 ×2；从未检查 ×1.5；规模 3 -> 入样概率 0.2714"
    )
    assert reason_zh("grade B x2; monitoring alert x2; not inspected for 3+ years x1.5; size 6 -> pi 0.5429") == (
        "等级 B ×2；风险监测预警 ×2；3 年以上未检查 ×1.5；规模 6 -> 入样概率 0.5429"
    )
    assert reason_zh("out of frame: suspended") == "不在抽样框：暂停"
    assert reason_zh("grade A without events: not disturbed; probability 0 (no floor)") == (
        "等级 A，无风险事件：不予打扰；概率 0（无下限）"
    )
    assert reason_zh("2.5e+06 certificates +0.8") == "证书 2.5e+06 张 +0.8"


def test_an_unknown_part_is_kept_and_nothing_stays_nothing():
    assert reason_zh("grade A x1; something new") == "等级 A ×1；something new"
    assert reason_zh("") == reason_zh(None) == reason_zh(float("nan")) == ""
