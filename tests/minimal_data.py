"""A small, hand-made, valid data directory with all seven tables.

``write_minimal_data(folder, fmt)`` writes it as CSV (``"csv"``), CSV with a
byte-order mark (``"csv-bom"``) or Parquet with native column types
(``"parquet"``). Every table has a dozen rows of realistic values; the data
are valid as of ``AS_OF``. Tests damage a copy to make bad inputs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from features.contracts import COLUMN_KINDS

AS_OF = "2026-10-01"

CSV: dict[str, str] = {
    "bodies": """\
body_id,name,province,approved_on,ccc_designated,accredited,status,status_changed_on,fields
CB001,中国质量认证中心,11,2005-03-18,true,true,active,,QMS;EMS;OHSMS;CCC;PRODUCT
CB002,北京华信认证有限公司,11,2012-07-02,false,true,active,,QMS;EMS;ISMS;ITSMS
CB003,上海浦江质量认证有限公司,31,2009-11-23,false,true,active,,QMS;FSMS;ORGANIC
CB004,广东南粤认证有限公司,44,2016-04-15,false,false,suspended,2024-09-16,QMS;SERVICE
CB005,江苏苏信认证有限公司,32,2018-09-30,false,true,active,,QMS;EMS;EnMS
CB006,浙江之江检验认证有限公司,33,2011-01-12,true,true,active,,CCC;PRODUCT;GREEN
CB007,四川天府认证有限公司,51,2020-06-08,false,false,active,,QMS;IPMS
CB008,山东齐鲁质量认证有限公司,37,2014-12-19,false,true,revoked,2024-11-20,QMS;OHSMS
CB009,湖北楚天认证有限公司,42,2019-03-27,false,true,active,,ORGANIC;FSMS
CB010,陕西秦川认证有限公司,61,2022-10-10,false,false,unreachable,2025-01-20,QMS
CB011,新疆天山认证有限公司,65,2023-05-05,false,false,active,,SERVICE;OTHER
CB012,福建海峡认证有限公司,35,2017-08-21,false,true,active,,QMS;EMS;ISMS
""",
    "inspections": """\
inspection_id,body_id,inspected_on,kind,inclusion_prob,draw_id,inspector_ids,outcome,findings,certs_checked,certs_with_problems,entered_by,decision
INS2024001,CB001,2024-05-14,random,0.12,D2024Q2,IN001;IN002,none,0,20,0,国家市场监督管理总局认证监督管理司,无需处理
INS2024002,CB003,2024-05-20,random,0.35,D2024Q2,IN003;IN004,general,2,15,1,上海市市场监督管理局,责令整改
INS2024003,CB004,2024-08-07,targeted,,,IN005;IN006,major,4,12,5,广东省市场监督管理局,责令限期整改
INS2024004,CB008,2024-09-12,complaint,,,IN007,severe,6,10,8,山东省市场监督管理局,立案调查
INS2025001,CB002,2025-03-11,random,0.2,D2025Q1,IN001;IN008,none,0,18,0,国家市场监督管理总局认证监督管理司,无需处理
INS2025002,CB005,2025-03-19,random,0.5,D2025Q1,IN009;IN010,general,1,16,1,江苏省市场监督管理局,责令整改
INS2025003,CB007,2025-06-25,random,1,D2025Q2,IN011;IN012,major,3,14,4,四川省市场监督管理局,责令限期整改
INS2025004,CB010,2025-07-02,targeted,,,,severe,5,0,0,陕西省市场监督管理局,立案调查
INS2025005,CB009,2025-09-16,complaint,,,IN003,general,1,6,1,上海市市场监督管理局,责令整改
INS2026001,CB012,2026-03-10,random,0.25,D2026Q1,IN002;IN009,none,0,20,0,,
INS2026002,CB006,2026-04-22,random,0.08,D2026Q1,IN004;IN012,general,2,25,2,上海市质量监督检验技术研究院,责令整改
INS2026003,CB011,2026-06-03,targeted,,,IN010,none,0,8,0,新疆维吾尔自治区市场监督管理局,
""",
    "signals": """\
signal_id,body_id,observed_on,kind,severity
SIG0001,CB004,2024-06-30,complaint,2
SIG0002,CB004,2024-07-15,risk_alert,3
SIG0003,CB008,2024-08-01,penalty,3
SIG0004,CB008,2024-10-09,blacklist,3
SIG0005,CB010,2025-01-20,unreachable,2
SIG0006,CB007,2025-04-02,media,1
SIG0007,CB009,2025-08-28,referral,2
SIG0008,CB002,2025-11-11,complaint,1
SIG0009,CB005,2026-01-06,risk_alert,2
SIG0010,CB011,2026-02-14,accreditation_suspended,3
SIG0011,CB003,2026-05-19,complaint,1
SIG0012,CB012,2026-08-30,media,1
""",
    "audits": """\
audit_id,body_id,auditor_id,org_id,scheme,planned_start,planned_end,checkin_at,checkout_at,checkin_distance_km,remote
AUD000001,CB001,AU0101,ORG000001,QMS,2026-03-02T09:00:00,2026-03-03T17:00:00,2026-03-02T08:52:10,2026-03-03T17:05:44,0.3,false
AUD000002,CB001,AU0102,ORG000002,CCC,2026-03-09T09:00:00,2026-03-09T17:00:00,2026-03-09T09:01:00,2026-03-09T16:58:00,0.1,false
AUD000003,CB002,AU0201,ORG000003,ISMS,2026-04-13T08:30:00,2026-04-14T17:30:00,2026-04-13T08:29:30,,1.2,false
AUD000004,CB003,AU0301,ORG000004,FSMS,2026-04-20T09:00:00,2026-04-21T12:00:00,,,,false
AUD000005,CB004,AU0401,ORG000005,QMS,2026-05-06T09:00:00,2026-05-06T17:00:00,2026-05-06T10:45:00,2026-05-06T11:30:00,48.7,false
AUD000006,CB005,AU0501,ORG000006,EnMS,2026-05-11T09:00:00,2026-05-12T17:00:00,2026-05-11T09:00:00,2026-05-12T17:00:00,,true
AUD000007,CB006,AU0601,ORG000007,PRODUCT,2026-05-18T09:00:00,2026-05-18T17:00:00,2026-05-18T08:40:00,2026-05-18T17:20:00,0.0,false
AUD000008,CB007,AU0701,ORG000008,IPMS,2026-06-01T09:00:00,2026-06-02T17:00:00,2026-06-01T09:15:00,2026-06-02T16:45:00,2.5,false
AUD000009,CB009,AU0901,ORG000009,ORGANIC,2026-06-15T08:00:00,2026-06-17T17:00:00,2026-06-15T07:58:00,2026-06-17T17:02:00,0.8,false
AUD000010,CB011,AU1101,ORG000010,SERVICE,2026-07-06T09:00:00,2026-07-06T17:00:00,2026-07-06T09:03:00,2026-07-06T17:01:00,0.2,true
AUD000011,CB012,AU1201,ORG000011,EMS,2026-08-03T09:00:00,2026-08-04T17:00:00,2026-08-03T09:10:00,2026-08-04T16:50:00,0.4,false
AUD000012,CB012,AU1202,ORG000012,QMS,2026-09-07T09:00:00,2026-09-08T17:00:00,2026-09-07T09:00:00,2026-09-08T17:00:00,0.6,false
""",
    "certificates": """\
cert_id,body_id,org_id,scheme,issued_on,expires_on,status,status_changed_on
CERT00000001,CB001,ORG000001,QMS,2024-03-05,2027-03-04,valid,
CERT00000002,CB001,ORG000002,CCC,2023-09-14,2028-09-13,valid,
CERT00000003,CB002,ORG000003,ISMS,2023-04-20,2026-04-19,expired,2026-04-20
CERT00000004,CB003,ORG000004,FSMS,2025-04-22,2028-04-21,valid,
CERT00000005,CB004,ORG000005,QMS,2024-05-08,2027-05-07,suspended,2026-06-01
CERT00000006,CB005,ORG000006,EnMS,2025-05-13,2028-05-12,valid,
CERT00000007,CB006,ORG000007,PRODUCT,2022-05-19,2027-05-18,valid,
CERT00000008,CB007,ORG000008,IPMS,2024-06-03,2027-06-02,withdrawn,2025-02-17
CERT00000009,CB008,ORG000013,QMS,2021-11-30,2024-11-29,withdrawn,2024-10-15
CERT00000010,CB009,ORG000009,ORGANIC,2026-06-18,2027-06-17,valid,
CERT00000011,CB011,ORG000010,SERVICE,2025-07-07,2028-07-06,valid,
CERT00000012,CB012,ORG000011,EMS,2023-08-05,2026-08-04,expired,2026-08-05
""",
    "inspectors": """\
inspector_id,unit,province,expertise,active,max_assignments
IN001,国家市场监督管理总局认证监督管理司,00,QMS;EMS;OHSMS,true,3
IN002,北京市市场监督管理局,11,QMS;ISMS;ITSMS,true,2
IN003,上海市市场监督管理局,31,FSMS;ORGANIC,true,2
IN004,上海市质量监督检验技术研究院,31,CCC;PRODUCT,true,1
IN005,广东省市场监督管理局,44,QMS;SERVICE,true,2
IN006,广东产品质量监督检验研究院,44,PRODUCT;GREEN,false,1
IN007,山东省市场监督管理局,37,QMS;OHSMS,true,2
IN008,北京市市场监督管理局,11,ISMS;IPMS,true,1
IN009,江苏省市场监督管理局,32,QMS;EMS;EnMS,true,3
IN010,新疆维吾尔自治区市场监督管理局,65,SERVICE;OTHER,true,1
IN011,四川省市场监督管理局,51,IPMS;QMS,true,2
IN012,浙江省市场监督管理局,33,CCC;GREEN;PRODUCT,true,2
""",
    "conflicts": """\
inspector_id,body_id,reason
IN001,CB006,曾在该机构任职
IN002,CB002,近亲属在该机构任职
IN003,CB003,曾参与该机构的认可评审
IN004,CB006,所在单位与该机构存在业务往来
IN005,CB004,曾在该机构任职
IN006,CB004,所在单位与该机构存在业务往来
IN007,CB008,近亲属在该机构任职
IN008,CB002,曾在该机构兼职审核员
IN009,CB005,曾在该机构任职
IN010,CB011,近亲属在该机构任职
IN011,CB007,曾参与该机构的认可评审
IN012,CB001,所在单位与该机构存在业务往来
""",
}
"""The tables as CSV text (header row, then a dozen data rows)."""

FORMATS = ("csv", "csv-bom", "parquet")


def _typed(text: pd.Series, kind: str) -> pd.Series:
    """One text column converted to its canonical dtype (independent of the loader)."""
    empty = text == ""
    if kind == "str":
        return text.mask(empty).astype("str")
    if kind in ("date", "datetime"):
        return pd.to_datetime(text.mask(empty)).astype("datetime64[ns]")
    if kind == "int":
        return text.astype("int64")
    if kind == "float":
        return pd.to_numeric(text.mask(empty)).astype("float64")
    return (text == "true").astype(bool)


def minimal_frames() -> dict[str, pd.DataFrame]:
    """The expected canonical frames of the minimal data directory."""
    frames = {}
    for name, text in CSV.items():
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frames[name] = pd.DataFrame({c: _typed(raw[c], COLUMN_KINDS[name][c]) for c in raw.columns})
    return frames


def write_minimal_data(folder: str | Path, fmt: str = "csv", tables: tuple[str, ...] | None = None) -> Path:
    """Write the minimal valid data directory into ``folder`` and return it.

    Parameters
    ----------
    folder : str or Path
        Created if needed.
    fmt : {"csv", "csv-bom", "parquet"}
        File format of every table.
    tables : tuple of str, optional
        Write only these tables (default: all seven).

    Examples
    --------
    >>> path = write_minimal_data(tmp_path / "data", "parquet")  # doctest: +SKIP
    >>> sorted(p.name for p in path.iterdir())[0]  # doctest: +SKIP
    'audits.parquet'
    """
    if fmt not in FORMATS:
        raise ValueError(f"`fmt` must be one of {FORMATS}; got {fmt!r}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = tuple(CSV) if tables is None else tables
    frames = minimal_frames() if fmt == "parquet" else {}
    for name in names:
        if fmt == "parquet":
            frames[name].to_parquet(folder / f"{name}.parquet", index=False)
        else:
            bom = "\ufeff" if fmt == "csv-bom" else ""
            (folder / f"{name}.csv").write_text(bom + CSV[name], encoding="utf-8")
    return folder


def assert_same_frames(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    """Equal tables, columns, values and dtypes."""
    assert list(left) == list(right)
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_dtype=True, obj=name)


__all__ = ["AS_OF", "CSV", "FORMATS", "assert_same_frames", "minimal_frames", "write_minimal_data"]
