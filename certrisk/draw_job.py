"""Producing a draw: frame -> commitment -> seed -> stage 1 -> stage 2 -> teams -> lists.

All randomness comes from the seed material = SHA-256 of the frame digest and
the public seed string (see docs/sampling.md). Outputs go into
``OUT/<draw_id>/`` (never overwritten); ``manifest.json`` records everything
needed to re-run the draw, and :func:`verify_draw` re-runs it and reports any
difference, file by file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sampling import SizePolicy, assign_probabilities, draw, draw_certificates, frame_digest, seed_material, stage2_sample_sizes

from . import __version__
from .atomic import atomic_path
from .runinfo import input_hashes

ALGORITHM = {
    "name": "certrisk-draw",
    "version": "1",
    "stage1": "sampling.draw: conditional Poisson (sequential, one SHA-256 uniform per body, stream 'stage1')",
    "stage2": "sampling.draw_certificates: simple random sampling by SHA-256 order, stream 'stage2:<body_id>'",
    "teams": "sampling.assign_teams: uniform among eligible inspectors by SHA-256 keys, stream 'team:<body_id>'",
}
ALERT_MONTHS = 6
ALERT_KINDS = ("risk_alert", "referral")
NEW_YEARS = 2.0
FRAME_FILE, MANIFEST, GRADES_FILE = "frame.csv", "manifest.json", "grades.csv"
DEFAULT_STAGE2 = {"A": 5, "B": 10, "C": 20, "D": 40}


class DrawError(ValueError):
    """A draw that cannot be made or verified as asked (reported in words)."""


@dataclass
class DrawConfig:
    as_of: pd.Timestamp
    budget: int
    public_seed: str
    policy: SizePolicy = field(default_factory=SizePolicy)
    stage2: dict = field(default_factory=lambda: dict(DEFAULT_STAGE2))
    team_size: int = 2
    lang: str = "en"
    draw_id: str | None = None

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.date().isoformat(), "budget": self.budget, "policy": self.policy.to_dict(),
                "stage2_per_grade": self.stage2, "team_size": self.team_size, "lang": self.lang,
                "alert_rule": f"{' or '.join(ALERT_KINDS)} signal, or complaint of severity 3, in the last {ALERT_MONTHS} months",
                "newly_approved_rule": f"approved less than {NEW_YEARS:g} years before the as-of date",
                "batch_rule": "CCC-designated bodies: national batch (SAMR); others: provincial batch"}

    @classmethod
    def from_manifest(cls, manifest: dict) -> "DrawConfig":
        c = manifest["config"]
        policy = {k: tuple(v) if isinstance(v, list) else v for k, v in c["policy"].items()}
        return cls(as_of=pd.Timestamp(c["as_of"]), budget=int(c["budget"]), public_seed=manifest["public_seed"],
                   policy=SizePolicy(**policy), stage2=dict(c["stage2_per_grade"]), team_size=int(c["team_size"]),
                   lang=c["lang"], draw_id=manifest["draw_id"])


# --- the frame ---------------------------------------------------------------------
def _grades(grades: pd.DataFrame, bodies: pd.DataFrame) -> pd.Series:
    missing = {"body_id", "grade"} - set(grades.columns)
    if missing:
        raise DrawError(f"the grades file must have columns body_id and grade; missing: {', '.join(sorted(missing))}.")
    g = grades.drop_duplicates("body_id").set_index("body_id")["grade"].astype(str)
    active = bodies.loc[bodies["status"].isin(["active", "unreachable"]), "body_id"]
    lacking = active[~active.isin(g.index)]
    if len(lacking):
        raise DrawError(f"{len(lacking)} bodies in the frame have no grade in the grades file: "
                        f"{', '.join(lacking.head(5))}{' ...' if len(lacking) > 5 else ''}; grade them first (certrisk grade).")
    return g


def build_frame(tables, grades: pd.DataFrame, config: DrawConfig) -> pd.DataFrame:
    """Every body of the registry with its draw probability and the reason for it."""
    as_of = config.as_of
    bodies = tables["bodies"][tables["bodies"]["approved_on"] < as_of].sort_values("body_id").reset_index(drop=True)
    grade = _grades(grades, bodies)
    sig = tables["signals"]
    recent = sig[(sig["observed_on"] < as_of) & (sig["observed_on"] >= as_of - pd.DateOffset(months=ALERT_MONTHS))]
    alerted = recent[recent["kind"].isin(ALERT_KINDS) | ((recent["kind"] == "complaint") & (recent["severity"] >= 3))]
    ins = tables["inspections"]
    last = ins[ins["inspected_on"] < as_of].groupby("body_id")["inspected_on"].max()
    frame = pd.DataFrame({
        "body_id": bodies["body_id"].astype(str),
        "grade": bodies["body_id"].map(grade).fillna("A").astype(str),
        "ccc_designated": bodies["ccc_designated"].astype(bool),
        "status": bodies["status"].astype(str),
        "newly_approved": ((as_of - bodies["approved_on"]).dt.days / 365.25 < NEW_YEARS).to_numpy(),
        "alert": bodies["body_id"].isin(alerted["body_id"]).to_numpy(),
        "years_since_inspection": ((as_of - bodies["body_id"].map(last)).dt.days / 365.25).to_numpy(dtype=float),
    })
    try:
        frame = assign_probabilities(frame, config.budget, config.policy)
    except ValueError as exc:
        raise DrawError(str(exc)) from None
    frame.insert(1, "name", bodies["name"].astype(str).to_numpy())
    frame.insert(2, "province", bodies["province"].astype(str).to_numpy())
    frame["fields"] = bodies["fields"].astype(str).to_numpy()
    frame["batch"] = np.where(frame["ccc_designated"], "national", "provincial")
    return frame


def commitment(frame: pd.DataFrame) -> str:
    """SHA-256 of the canonical frame: published before the seed is known."""
    cols = ["grade", "ccc_designated", "status", "newly_approved", "alert", "years_since_inspection",
            "in_frame", "certain", "size", "pi", "batch"]
    return frame_digest(frame["body_id"].tolist(), {c: frame[c] for c in cols})


def default_draw_id(config: DrawConfig, digest: str) -> str:
    return config.draw_id or f"D{config.as_of:%Y%m%d}-{digest[:8]}"


# --- the draw ----------------------------------------------------------------------
def _stage1(frame: pd.DataFrame, material: str) -> tuple[pd.DataFrame, str]:
    live = frame["in_frame"].to_numpy() & (frame["pi"].to_numpy() > 0)
    result = draw(frame.loc[live, "body_id"].tolist(), frame.loc[live, "pi"].to_numpy(), material, "stage1")
    selected = np.zeros(len(frame), dtype=bool)
    selected[np.flatnonzero(live)[result.selected]] = True
    return frame.assign(selected=selected), result.method


def _stage2(tables, drawn: pd.DataFrame, config: DrawConfig, material: str) -> pd.DataFrame:
    certs = tables["certificates"]
    as_of = config.as_of
    valid = certs[(certs["issued_on"] < as_of) & (certs["expires_on"] >= as_of) & certs["body_id"].isin(drawn["body_id"])
                  & ((certs["status"] == "valid") | (certs["status_changed_on"] >= as_of))]
    held = valid.groupby("body_id").size().reindex(drawn["body_id"], fill_value=0)
    sizes = stage2_sample_sizes(drawn["grade"].to_numpy(), held.to_numpy(), config.stage2)
    chosen = draw_certificates(valid[["cert_id", "body_id"]], dict(zip(drawn["body_id"], sizes.tolist())), material,
                               dict(zip(drawn["body_id"], drawn["pi"])))
    detail = valid.set_index("cert_id")[["org_id", "scheme"]]
    chosen = chosen.join(detail, on="cert_id")
    chosen["certs_held"] = chosen["body_id"].map(held).to_numpy()
    return chosen


def _teams(tables, drawn: pd.DataFrame, config: DrawConfig, material: str) -> pd.DataFrame:
    inspectors = tables["inspectors"]
    if inspectors.empty:
        return pd.DataFrame({"body_id": drawn["body_id"], "inspector_ids": "", "units": ""})
    from sampling import assign_teams  # noqa: PLC0415 - teams are optional for a registry without inspectors

    bodies = drawn[["body_id", "name", "province", "fields", "ccc_designated", "batch"]]
    try:
        teams = assign_teams(bodies, inspectors, tables["conflicts"], material, team_size=config.team_size)
    except ValueError as exc:
        raise DrawError(str(exc)) from None
    return teams[["body_id", "inspector_ids", "units"]]


@dataclass
class DrawOutputs:
    draw_id: str
    frame_sha256: str
    seed_material: str
    stage1_method: str
    tables: dict  # file name -> DataFrame (CSV outputs); XLSX mirrors the lists
    teams: pd.DataFrame  # body_id, inspector_ids, units of every drawn body


def run_draw(tables, grades: pd.DataFrame, config: DrawConfig) -> DrawOutputs:
    """Make the draw in memory (nothing written)."""
    frame = build_frame(tables, grades, config)
    digest = commitment(frame)
    material = seed_material(digest, config.public_seed)
    frame, method = _stage1(frame, material)
    drawn = frame[frame["selected"]].reset_index(drop=True)
    certs = _stage2(tables, drawn, config, material)
    teams = _teams(tables, drawn, config, material)
    draw_id = default_draw_id(config, digest)
    used = canonical_grades(grades)
    lists = make_lists(draw_id, config.as_of, frame, drawn, certs, teams, used.set_index("body_id")["reasons"], config.lang)
    lists[GRADES_FILE] = used
    return DrawOutputs(draw_id, digest, material, method, lists, teams)


def canonical_grades(grades: pd.DataFrame) -> pd.DataFrame:
    """The grades input as kept in the draw folder: body_id, grade, reasons, sorted by body_id."""
    used = grades.drop_duplicates("body_id")
    reasons = used["reasons"].fillna("").astype(str) if "reasons" in used else ""
    out = pd.DataFrame({"body_id": used["body_id"].astype(str), "grade": used["grade"].astype(str), "reasons": reasons})
    return out.sort_values("body_id", kind="stable").reset_index(drop=True)


LABELS = {
    "draw_id": ("draw id", "抽查批次号"), "as_of": ("as-of date", "基准日期"), "body_id": ("body id", "机构编号"), "name": ("body", "认证机构名称"),
    "province": ("province", "省份"), "batch": ("batch", "批次"), "method": ("inspection method", "检查方式"),
    "grade": ("risk grade", "风险等级"), "pi": ("inclusion probability", "入样概率"),
    "probability_reason": ("why this probability", "概率依据"), "risk_reasons": ("risk reasons", "风险原因"),
    "certificates_to_check": ("certificates to check", "抽查证书数"), "certificates": ("certificates drawn", "抽中证书"),
    "inspector_ids": ("inspectors", "检查人员"), "units": ("inspectors' units", "检查人员单位"),
}
BATCH_ZH = {"national": "国家市场监管总局", "provincial": "省级市场监管部门"}
METHOD = ("on-site inspection, file review, check of certified organisations", "现场检查、书面审查、获证组织查验")


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    k = 0 if lang == "en" else 1
    return frame.rename(columns={c: LABELS[c][k] for c in frame.columns if c in LABELS})


def make_lists(draw_id, as_of, frame, drawn, certs, teams, reasons, lang) -> dict[str, pd.DataFrame]:
    zh = lang == "zh"
    per_body = certs.groupby("body_id")["cert_id"].agg(lambda s: ";".join(sorted(s)))
    team = teams.set_index("body_id")
    batch = drawn["batch"].map(BATCH_ZH) if zh else drawn["batch"]
    day = as_of.date().isoformat()
    internal = pd.DataFrame({
        "draw_id": draw_id, "as_of": day, "body_id": drawn["body_id"], "name": drawn["name"], "province": drawn["province"],
        "batch": batch, "grade": drawn["grade"], "pi": drawn["pi"], "probability_reason": drawn["reason"],
        "risk_reasons": drawn["body_id"].map(reasons).fillna(""),
        "certificates_to_check": drawn["body_id"].map(certs.groupby("body_id").size()).fillna(0).astype(int),
        "certificates": drawn["body_id"].map(per_body).fillna(""),
        "inspector_ids": drawn["body_id"].map(team["inspector_ids"]).fillna(""),
        "units": drawn["body_id"].map(team["units"]).fillna(""),
    })
    public = internal[["draw_id", "as_of", "body_id", "name", "batch"]].assign(method=METHOD[1 if zh else 0], units=internal["units"])
    stage2 = certs.assign(draw_id=draw_id, as_of=day)[["draw_id", "as_of", "body_id", "cert_id", "org_id", "scheme",
                                                       "certs_held", "pi_conditional", "pi_overall"]]
    return {
        FRAME_FILE: frame.drop(columns=["fields"]).assign(as_of=day),
        "draw_list.csv": _headers(internal, lang),
        "certificates.csv": stage2,
        "public_list.csv": _headers(public, lang),
    }


# --- writing and verifying -----------------------------------------------------------
def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n", float_format=None).encode("utf-8-sig")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_for(outputs: DrawOutputs, config: DrawConfig, data_dir: Path, committed: bool) -> dict:
    return {
        "draw_id": outputs.draw_id,
        "frame_sha256": outputs.frame_sha256,
        "commitment_published_before_seed": committed,
        "public_seed": config.public_seed,
        "seed_material": outputs.seed_material,
        "seed_material_rule": "SHA-256 hex of the frame digest and the public seed, see docs/sampling.md",
        "algorithm": {**ALGORITHM, "stage1_design_used": outputs.stage1_method},
        "software": {"certrisk": __version__},
        "config": config.to_dict(),
        "inputs": {"data": input_hashes(data_dir), "grades": f"{GRADES_FILE} in this folder"},
        "outputs": {name: _sha(_csv_bytes(t)) for name, t in outputs.tables.items()},
    }


def write_draw(out_root: Path, outputs: DrawOutputs, manifest: dict) -> Path:
    """Write the draw folder atomically; refuse to overwrite an existing draw."""
    folder = Path(out_root) / outputs.draw_id
    if folder.exists():
        raise DrawError(f"draw {outputs.draw_id} already exists in {out_root}; a draw folder is never overwritten.")
    with atomic_path(folder) as tmp:
        tmp.mkdir()
        for name, table in outputs.tables.items():
            (tmp / name).write_bytes(_csv_bytes(table))
            if name in ("draw_list.csv", "public_list.csv"):
                table.to_excel(tmp / name.replace(".csv", ".xlsx"), index=False, engine="openpyxl")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def commitment_file(out_root: Path, draw_id: str) -> Path:
    return Path(out_root) / f"{draw_id}.commitment.json"


def commit_frame(tables, grades: pd.DataFrame, config: DrawConfig, out_root: Path) -> dict:
    """Freeze the frame: write OUT/<draw_id>.commitment.json with its SHA-256 (before the seed is known)."""
    frame = build_frame(tables, grades, config)
    digest = commitment(frame)
    record = {"draw_id": default_draw_id(config, digest), "frame_sha256": digest, "as_of": config.as_of.date().isoformat(),
              "budget": config.budget, "bodies_in_frame": int(frame["in_frame"].sum())}
    target = commitment_file(out_root, record["draw_id"])
    if target.exists():
        raise DrawError(f"draw {record['draw_id']} was already committed: {target}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)
    return record


def make_draw(tables, grades: pd.DataFrame, config: DrawConfig, data_dir: Path, out_root: Path) -> tuple[Path, DrawOutputs]:
    """Draw, check the frame against its commitment if one was published, write the folder."""
    outputs = run_draw(tables, grades, config)
    promised = commitment_file(out_root, outputs.draw_id)
    committed = promised.exists()
    if committed:
        digest = json.loads(promised.read_text(encoding="utf-8"))["frame_sha256"]
        if digest != outputs.frame_sha256:
            raise DrawError(f"the frame changed since it was committed ({digest[:16]}... then, "
                            f"{outputs.frame_sha256[:16]}... now); the draw was not made.")
    folder = write_draw(out_root, outputs, manifest_for(outputs, config, data_dir, committed))
    return folder, outputs


def _same_content(xlsx: Path, csv: Path) -> bool:
    """An XLSX mirror holds the same values as its CSV (XLSX bytes carry timestamps, so values are compared)."""
    a = pd.read_excel(xlsx)
    b = pd.read_csv(csv, encoding="utf-8-sig")
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-12)
    except AssertionError:
        return False
    return True


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise DrawError(f"{folder} is not a draw folder: {MANIFEST} is missing.")
    return json.loads(path.read_text(encoding="utf-8"))


def verify_draw(folder: Path, tables, data_dir: Path) -> list[str]:
    """Re-run the draw of ``folder`` from its manifest and inputs; every difference in words."""
    manifest = read_manifest(folder)
    problems = []
    for name, digest in manifest["outputs"].items():
        file = Path(folder) / name
        if not file.exists():
            problems.append(f"{name}: missing from the draw folder")
        elif _sha(file.read_bytes()) != digest:
            problems.append(f"{name}: changed since the draw (SHA-256 differs from the manifest)")
    for name in ("draw_list.xlsx", "public_list.xlsx"):
        csv = Path(folder) / name.replace(".xlsx", ".csv")
        if (Path(folder) / name).exists() and csv.exists() and not _same_content(Path(folder) / name, csv):
            problems.append(f"{name}: its content differs from {csv.name}")
    recorded, now = manifest["inputs"]["data"], input_hashes(data_dir)
    for name in sorted(set(recorded) | set(now)):
        if recorded.get(name) != now.get(name):
            problems.append(f"input {name}: differs from the one the draw was made with")
    grades = pd.read_csv(Path(folder) / GRADES_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    config = DrawConfig.from_manifest(manifest)
    try:
        again = run_draw(tables, grades, config)
    except ValueError as exc:
        return problems + [f"re-running the draw failed: {exc}"]
    if again.frame_sha256 != manifest["frame_sha256"]:
        problems.append(f"frame: SHA-256 {again.frame_sha256[:16]}... differs from the committed {manifest['frame_sha256'][:16]}...")
    for name, table in again.tables.items():
        if _sha(_csv_bytes(table)) != manifest["outputs"].get(name):
            problems.append(f"{name}: re-running the draw gives a different file")
    return problems
