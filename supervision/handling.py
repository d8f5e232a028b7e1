"""Handling (风险处置): the recommended response to each warning, by the 三书一函 ladder or a special check.

The ladder of annex 2 §3 of the 2024-2026 plan, from the mildest rung:
提醒敦促函 (reminder letter), 整改通知书 (rectification notice), 约谈通知书
(interview notice), 挂牌督办通知书 (supervised listing). A warning's level sets
its rung (blue the first .. red the fourth); a body that has had a response
before and is warned again at escalation goes at least one rung above its
last response (history), capped at the top. An unreachable body (失联) cannot
be sent a letter: it gets the special check of unreachable bodies instead.

>>> recommend("orange", "", previous="")
'interview_notice'
>>> recommend("blue", "", previous="rectification_notice")
'interview_notice'
>>> recommend("red", "unreachable", previous="")
'special_check'
"""

from __future__ import annotations

from features.codes import DISPOSITION_ACTIONS

from .rules import LEVELS

LADDER = ("reminder_letter", "rectification_notice", "interview_notice", "supervised_listing")
SPECIAL_CHECK = "special_check"
RESPONSE_NAMES = {
    "en": {
        "reminder_letter": "reminder letter",
        "rectification_notice": "rectification notice",
        "interview_notice": "interview notice",
        "supervised_listing": "supervised listing",
        "special_check": "special check",
        "": "",
    },
    "zh": {
        "reminder_letter": "提醒敦促函",
        "rectification_notice": "整改通知书",
        "interview_notice": "约谈通知书",
        "supervised_listing": "挂牌督办通知书",
        "special_check": "专项检查",
        "": "",
    },
}
ACTIONS = DISPOSITION_ACTIONS
"""What a disposition may record as done (``dispositions.action``): the ladder, a special check, other."""
assert ACTIONS[: len(LADDER) + 1] == (*LADDER, SPECIAL_CHECK)


def recommend(level: str, risk_points: str, previous: str) -> str:
    """The response to a warning of ``level`` given its risk points and the body's last response (``""`` if none)."""
    if "unreachable" in risk_points.split(";"):
        return SPECIAL_CHECK
    rung = LEVELS.index(level)
    if previous in LADDER:
        rung = max(rung, LADDER.index(previous) + 1)
    return LADDER[min(rung, len(LADDER) - 1)]
