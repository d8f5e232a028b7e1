"""The lists people read: the internal draw list, the public list and the stage-2 certificates."""

from __future__ import annotations

import pandas as pd

from features.codes import province_name

from .config import CERTIFICATES, DRAW_LIST, FRAME_FILE, PUBLIC_LIST
from .reason_words import reason_zh

LABELS = {
    "draw_id": ("draw id", "抽查批次号"),
    "as_of": ("as-of date", "基准日期"),
    "body_id": ("body id", "机构编号"),
    "name": ("body", "认证机构名称"),
    "province": ("province", "省份代码"),
    "province_name": ("province name", "省份"),
    "batch": ("batch", "批次"),
    "method": ("inspection method", "检查方式"),
    "grade": ("risk grade", "风险等级"),
    "pi": ("inclusion probability", "入样概率"),
    "probability_reason": ("why this probability", "概率依据"),
    "risk_reasons": ("risk reasons", "风险原因"),
    "certificates_to_check": ("certificates to check", "抽查证书数"),
    "certificates": ("certificates drawn", "抽中证书"),
    "inspector_ids": ("inspectors", "检查人员"),
    "units": ("inspectors' units", "检查人员单位"),
    "p_serious_team": ("P(serious) with this team", "该检查组发现严重问题的概率"),
    "commitment": ("commitment", "承诺值"),
}
UNCOMMITTED = (
    "uncommitted: an exercise, no commitment was published before the seed",
    "未承诺：演练抽取，抽取前未公布承诺值",
)


def commitment_label(commitment_sha256: str | None, lang: str) -> str:
    """What the lists say about the commitment: its SHA-256, or "uncommitted" in words."""
    return commitment_sha256 or UNCOMMITTED[0 if lang == "en" else 1]


BATCH_ZH = {"national": "国家市场监管总局", "provincial": "省级市场监管部门"}
METHOD = ("on-site inspection, file review, check of certified organisations", "现场检查、书面审查、获证组织查验")


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    k = 0 if lang == "en" else 1
    return frame.rename(columns={c: LABELS[c][k] for c in frame.columns if c in LABELS})


def make_lists(
    draw_id: str,
    as_of: pd.Timestamp,
    frame: pd.DataFrame,
    drawn: pd.DataFrame,
    certs: pd.DataFrame,
    teams: pd.DataFrame,
    reasons: pd.Series,
    lang: str,
    commitment_sha256: str | None,
    team_probability: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """The frame, the internal draw list, the certificates and the public list, by file name.

    Every list carries the draw id, the as-of date and the commitment (its
    SHA-256, or "uncommitted" in words for an exercise). ``team_probability``
    (by body id): P(serious) with the drawn team, in the internal list only.
    """
    zh = lang == "zh"
    per_body = certs.groupby("body_id")["cert_id"].agg(lambda s: ";".join(sorted(s)))
    team = teams.set_index("body_id")
    batch = drawn["batch"].map(BATCH_ZH) if zh else drawn["batch"]
    day = as_of.date().isoformat()
    internal = pd.DataFrame(
        {
            "draw_id": draw_id,
            "as_of": day,
            "body_id": drawn["body_id"],
            "name": drawn["name"],
            "province": drawn["province"],
            "province_name": drawn["province"].map(lambda code: province_name(code, lang)),
            "batch": batch,
            "grade": drawn["grade"],
            "pi": drawn["pi"],
            "probability_reason": drawn["reason"].map(reason_zh) if zh else drawn["reason"],
            "risk_reasons": drawn["body_id"].map(reasons).fillna(""),
            "certificates_to_check": drawn["body_id"].map(certs.groupby("body_id").size()).fillna(0).astype(int),
            "certificates": drawn["body_id"].map(per_body).fillna(""),
            "inspector_ids": drawn["body_id"].map(team["inspector_ids"]).fillna(""),
            "units": drawn["body_id"].map(team["units"]).fillna(""),
        }
    )
    if team_probability is not None:
        internal["p_serious_team"] = drawn["body_id"].map(team_probability).to_numpy(dtype=float)
    promised = commitment_label(commitment_sha256, lang)
    internal["commitment"] = promised
    public = internal[["draw_id", "as_of", "body_id", "name", "batch"]].assign(
        method=METHOD[1 if zh else 0], units=internal["units"], commitment=promised
    )
    stage2 = certs.assign(draw_id=draw_id, as_of=day, commitment=promised)[
        [
            "draw_id",
            "as_of",
            "body_id",
            "cert_id",
            "org_id",
            "scheme",
            "certs_held",
            "pi_conditional",
            "pi_overall",
            "commitment",
        ]
    ]
    return {
        FRAME_FILE: frame.assign(as_of=day),
        DRAW_LIST: _headers(internal, lang),
        CERTIFICATES: stage2,
        PUBLIC_LIST: _headers(public, lang),
    }
