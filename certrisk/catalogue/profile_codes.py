"""The words for the codes of the data contract on the profile pages (``column.code``: ``outcome.major``).

English here; Chinese from the contract's own code table (:data:`features.codes.LABELS_ZH`), the one the
problem reports use too.
"""

from __future__ import annotations

from features.codes import LABELS_ZH

_EN = {
    "status.active": "active",
    "status.suspended": "suspended",
    "status.revoked": "revoked",
    "status.unreachable": "unreachable",
    "inspection_kind.random": "random inspection",
    "inspection_kind.targeted": "targeted inspection",
    "inspection_kind.complaint": "complaint check",
    "outcome.none": "no problem",
    "outcome.general": "general problems",
    "outcome.major": "major problems",
    "outcome.severe": "severe problems",
    "signal_kind.complaint": "complaint",
    "signal_kind.risk_alert": "monitoring alert",
    "signal_kind.penalty": "administrative penalty",
    "signal_kind.blacklist": "serious-dishonesty list",
    "signal_kind.accreditation_suspended": "accreditation suspended",
    "signal_kind.unreachable": "unreachable",
    "signal_kind.media": "media report",
    "signal_kind.referral": "referral",
}
WORDS: dict[str, dict[str, str]] = {
    "en": _EN,
    "zh": {key: LABELS_ZH[key.split(".")[0]][key.split(".")[1]] for key in _EN},
}
