"""The data contract as pandera models: one ``DataFrameModel`` per input table.

Each model documents every column (``description=``, English with the Chinese
term), its kind (``metadata["kind"]``: str, date, datetime, int, float, bool)
and its value rules. Models are strict about unknown columns and validate the
canonical in-memory form produced by :func:`features.load_data_dir`. Rules
between columns of a row come from :mod:`features.contracts.row_rules`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .. import codes
from .row_rules import row_rules_ok

__all__ = [
    "BodiesModel",
    "InspectionsModel",
    "SignalsModel",
    "AuditsModel",
    "CertificatesModel",
    "InspectorsModel",
    "ConflictsModel",
    "FIELD_LIST_PATTERN",
    "FIELD_LIST_RULE",
    "ID_LIST_PATTERN",
    "SINGLE_ID_PATTERN",
    "SINGLE_ID_RULE",
    "PROVINCE_RULE",
]

FIELD_LIST_PATTERN = r"^(?:{0})(?:;(?:{0}))*$".format("|".join(codes.FIELDS))
ID_LIST_PATTERN = r"^[^;\s]+(?:;[^;\s]+)*$"
# An inspector id may not hold the separator that joins the ids of a team (inspections.inspector_ids, draw lists),
# nor a blank, which those lists refuse: a team drawn with it could not be recorded.
SINGLE_ID_PATTERN = r"^[^;\s]+$"
SINGLE_ID_RULE = "must not contain ; or blanks (; separates the members of a team, whose lists hold no blanks)"
PROVINCE_RULE = "must be a GB/T 2260 province code (11 .. 65)"
FIELD_LIST_RULE = "must be ;-separated field codes (" + ", ".join(codes.FIELDS) + ")"


def _field(kind: str, description: str, *, nullable: bool = False, not_after_as_of: bool = False, **checks: Any) -> Any:
    """A pandera ``Field`` that also records the column's kind and as-of rule."""
    meta = {"kind": kind, "not_after_as_of": not_after_as_of}
    return pa.Field(description=description, nullable=nullable, metadata=meta, **checks)


def _body_id(description: str = "Certification body (认证机构); must exist in bodies.body_id.") -> Any:
    return _field("str", description)


class _Contract(pa.DataFrameModel):
    """Common configuration: strict about unknown columns, no coercion."""

    class Config:
        strict = True
        coerce = False


# -------------------------------------------------------------------- models


class BodiesModel(_Contract):
    """认证机构名录: one row per approved certification body (required)."""

    body_id: Series[str] = _field(
        "str",
        "Identifier of the certification body (认证机构编号); unique, non-empty.",
        unique=True,
    )
    name: Series[str] = _field("str", "Name of the certification body (机构名称); non-empty.")
    province: Series[str] = _field(
        "str",
        "Province of registration (所在省份): GB/T 2260 two-digit code, e.g. 11 Beijing, 44 Guangdong.",
    )
    approved_on: Series[pd.Timestamp] = _field(
        "date",
        "Date of approval (批准日期); not after the as-of date.",
        not_after_as_of=True,
    )
    ccc_designated: Series[bool] = _field(
        "bool",
        "Designated for compulsory product certification (CCC指定机构).",
    )
    accredited: Series[bool] = _field("bool", "Holds accreditation by CNAS (获得认可).")
    status: Series[str] = _field(
        "str",
        "Status of the approval (机构状态): active 正常, suspended 暂停, revoked 撤销, unreachable 失联.",
        isin=codes.BODY_STATUSES,
    )
    status_changed_on: Series[pd.Timestamp] | None = _field(
        "date",
        "Day the status took its current value (状态变更日期); empty if it never changed. Before that day the "
        "body is taken to have been active. An optional column; not before approved_on, not after the as-of date.",
        nullable=True,
        not_after_as_of=True,
    )
    fields: Series[str] = _field(
        "str",
        "Approved certification fields (认证领域): ;-separated codes, e.g. QMS;EMS.",
        str_matches=FIELD_LIST_PATTERN,
    )

    @pa.check("province", name="province_code", error=PROVINCE_RULE)
    def _province(cls, s: Series[str]) -> Series[bool]:
        return s.isin(list(codes.PROVINCES))

    @pa.dataframe_check(error="row rules of bodies (see features.contracts.ROW_RULES)")
    def _rows(cls, df: pd.DataFrame) -> Series[bool]:
        return row_rules_ok("bodies", df)

    class Config:
        name = "bodies"


class InspectionsModel(_Contract):
    """检查记录: one row per past inspection of a body (required, may be empty)."""

    inspection_id: Series[str] = _field(
        "str",
        "Identifier of the inspection (检查记录编号); unique.",
        unique=True,
    )
    body_id: Series[str] = _body_id(
        "Inspected certification body (被检查机构); must exist in bodies.body_id.",
    )
    inspected_on: Series[pd.Timestamp] = _field(
        "date",
        "Date of the inspection (检查日期); not after the as-of date.",
        not_after_as_of=True,
    )
    kind: Series[str] = _field(
        "str",
        "How the body was chosen (检查方式): random 随机抽查, targeted 定向检查, complaint 投诉举报核查.",
        isin=codes.INSPECTION_KINDS,
    )
    inclusion_prob: Series[float] = _field(
        "float",
        "Inclusion probability of the random draw (入样概率), in (0, 1]; required when kind = random, empty otherwise.",
        nullable=True,
        in_range={"min_value": 0, "max_value": 1, "include_min": False, "include_max": True},
    )
    draw_id: Series[str] = _field(
        "str",
        "Draw that selected the body (抽取批次编号); empty unless kind = random.",
        nullable=True,
    )
    inspector_ids: Series[str] = _field(
        "str",
        "Inspectors of the team (检查人员): ;-separated inspector ids; may be empty.",
        nullable=True,
        str_matches=ID_LIST_PATTERN,
    )
    outcome: Series[str] = _field(
        "str",
        "Conclusion (检查结论): none 未发现问题, general 一般问题, major 较严重问题, severe 严重问题.",
        isin=codes.OUTCOMES,
    )
    findings: Series[np.int64] = _field(
        "int",
        "Number of problems found (发现问题数), >= 0; 0 if and only if outcome = none.",
        ge=0,
    )
    certs_checked: Series[np.int64] = _field(
        "int",
        "Certificates or certified organisations checked (抽查证书数), >= 0.",
        ge=0,
    )
    certs_with_problems: Series[np.int64] = _field(
        "int",
        "Checked certificates with problems (问题证书数), 0 .. certs_checked.",
        ge=0,
    )
    entered_by: Series[str] | None = _field(
        "str",
        "Who entered the record (录入单位或人员), as it is to be published (谁检查、谁录入、谁负责); empty if not "
        "recorded. An optional column.",
        nullable=True,
    )
    decision: Series[str] | None = _field(
        "str",
        "Handling decision after the inspection (处理决定), free text as it is to be published, e.g. 责令整改; "
        "empty if none was recorded. An optional column.",
        nullable=True,
    )

    @pa.dataframe_check(error="row rules of inspections (see features.contracts.ROW_RULES)")
    def _rows(cls, df: pd.DataFrame) -> Series[bool]:
        return row_rules_ok("inspections", df)

    class Config:
        name = "inspections"


class SignalsModel(_Contract):
    """监测信号: complaints, alerts, penalties and other signals about a body (optional)."""

    signal_id: Series[str] = _field("str", "Identifier of the signal (信号编号); unique.", unique=True)
    body_id: Series[str] = _body_id()
    observed_on: Series[pd.Timestamp] = _field(
        "date",
        "Date the signal was observed (发现日期); not after the as-of date.",
        not_after_as_of=True,
    )
    kind: Series[str] = _field(
        "str",
        "Kind of signal (信号类型): complaint 投诉举报, risk_alert 风险监测预警, penalty 行政处罚, "
        "blacklist 严重违法失信名单, accreditation_suspended 认可暂停, unreachable 失联, media 舆情, "
        "referral 转办交办线索.",
        isin=codes.SIGNAL_KINDS,
    )
    severity: Series[np.int64] = _field(
        "int",
        "Severity (严重程度): 1 low .. 3 high.",
        in_range={"min_value": 1, "max_value": 3},
    )

    class Config:
        name = "signals"


class AuditsModel(_Contract):
    """审核计划与签到: one row per reported audit with its check-in record (optional)."""

    audit_id: Series[str] = _field("str", "Identifier of the audit (审核编号); unique.", unique=True)
    body_id: Series[str] = _body_id()
    auditor_id: Series[str] = _field("str", "Lead auditor (审核员).")
    org_id: Series[str] = _field("str", "Audited organisation (受审核组织).")
    scheme: Series[str] = _field(
        "str",
        "Certification field of the audit (认证领域), a code as in bodies.fields.",
        isin=codes.FIELDS,
    )
    planned_start: Series[pd.Timestamp] = _field("datetime", "Planned start (计划开始时间), local time.")
    planned_end: Series[pd.Timestamp] = _field(
        "datetime",
        "Planned end (计划结束时间), local time; not before planned_start.",
    )
    checkin_at: Series[pd.Timestamp] = _field(
        "datetime",
        "Check-in time (签到时间), local time; empty = no check-in.",
        nullable=True,
        not_after_as_of=True,
    )
    checkout_at: Series[pd.Timestamp] = _field(
        "datetime",
        "Check-out time (签退时间), local time; empty = no check-out; not before checkin_at.",
        nullable=True,
        not_after_as_of=True,
    )
    checkin_distance_km: Series[float] = _field(
        "float",
        "Distance between check-in location and audited site (签到距离, km), >= 0; empty if unknown.",
        nullable=True,
        ge=0,
    )
    remote: Series[bool] = _field("bool", "Remote audit (远程审核).")

    @pa.dataframe_check(error="row rules of audits (see features.contracts.ROW_RULES)")
    def _rows(cls, df: pd.DataFrame) -> Series[bool]:
        return row_rules_ok("audits", df)

    class Config:
        name = "audits"


class CertificatesModel(_Contract):
    """证书: one row per certificate issued by a body (optional)."""

    cert_id: Series[str] = _field(
        "str",
        "Identifier of the certificate (证书编号); unique.",
        unique=True,
    )
    body_id: Series[str] = _body_id(
        "Issuing certification body (发证机构); must exist in bodies.body_id.",
    )
    org_id: Series[str] = _field("str", "Certified organisation (获证组织).")
    scheme: Series[str] = _field(
        "str",
        "Certification field (认证领域), a code as in bodies.fields.",
        isin=codes.FIELDS,
    )
    issued_on: Series[pd.Timestamp] = _field(
        "date",
        "Date of issue (发证日期); not after the as-of date.",
        not_after_as_of=True,
    )
    expires_on: Series[pd.Timestamp] = _field(
        "date",
        "Date of expiry (有效期至); after issued_on.",
    )
    status: Series[str] = _field(
        "str",
        "Status (证书状态): valid 有效, suspended 暂停, withdrawn 撤销, expired 过期.",
        isin=codes.CERT_STATUSES,
    )
    status_changed_on: Series[pd.Timestamp] = _field(
        "date",
        "Date of the last status change (状态变更日期); empty if never changed; not before issued_on, "
        "not after the as-of date.",
        nullable=True,
        not_after_as_of=True,
    )

    @pa.dataframe_check(error="row rules of certificates (see features.contracts.ROW_RULES)")
    def _rows(cls, df: pd.DataFrame) -> Series[bool]:
        return row_rules_ok("certificates", df)

    class Config:
        name = "certificates"


class InspectorsModel(_Contract):
    """执法检查人员名录: inspectors who can be sent (required for team assignment only)."""

    inspector_id: Series[str] = _field(
        "str",
        "Identifier of the inspector (检查人员编号); unique, without ; (the team separator) or blanks.",
        unique=True,
        str_matches=SINGLE_ID_PATTERN,
    )
    unit: Series[str] = _field("str", "Employing agency or institute (所在单位).")
    province: Series[str] = _field(
        "str",
        "Province (所属省份): GB/T 2260 code, or 00 for SAMR (国家市场监管总局).",
    )
    expertise: Series[str] = _field(
        "str",
        "Fields of expertise (专业领域): ;-separated field codes.",
        str_matches=FIELD_LIST_PATTERN,
    )
    active: Series[bool] = _field("bool", "Available for assignment (在岗).")
    max_assignments: Series[np.int64] = _field(
        "int",
        "Most assignments per draw (每次抽取最多任务数), >= 1.",
        ge=1,
    )

    @pa.check("province", name="province_code", error=PROVINCE_RULE + " or 00 (national)")
    def _province(cls, s: Series[str]) -> Series[bool]:
        return s.isin([*codes.PROVINCES, codes.NATIONAL])

    class Config:
        name = "inspectors"


class ConflictsModel(_Contract):
    """回避关系: an inspector who must never be assigned to a body (optional)."""

    inspector_id: Series[str] = _field(
        "str",
        "Inspector (检查人员); must exist in inspectors.inspector_id when inspectors are given.",
    )
    body_id: Series[str] = _body_id()
    reason: Series[str] = _field(
        "str",
        "Reason for the conflict of interest (回避原因), e.g. former employee.",
    )

    class Config:
        name = "conflicts"
