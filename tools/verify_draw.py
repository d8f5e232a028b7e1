#!/usr/bin/env python3
"""Check a certrisk draw folder against the published commitment and seed, with the Python standard library only.

    python verify_draw.py DRAW_FOLDER --commitment HASH --seed TEXT [--json]

prints "verified" (exit 0) or one line per difference (exit 1); bad usage exits 2. The draw is re-derived from the
folder's files and the two published values by the recipe of docs/sampling.md and docs/teams.md; nothing of
certrisk, numpy or pandas is imported, so this checks the published recipe, not the code that wrote the folder.

1. published: the folder's commitment record hashes to HASH (it was published before the seed); the seed is TEXT;
   the folder is named after the draw id;
2. frame: frame.csv is the committed frame, so every probability was fixed before the seed was known;
3. stage 1: the drawn bodies are exactly those the design gives for these probabilities and this seed;
4. stage 2: the certificates drawn in each body are those the SHA-256 order gives;
5. teams: the inspector teams are those of docs/teams.md section 7;
6. files: no file was changed, added or removed since the draw, and every list names the draw and HASH;
   each XLSX list holds exactly its sheets (the list, its certificates, teams or units one row per item, about).

It trusts the folder's stage2_frame.csv, inspectors.csv and conflicts.csv (the stage-2 population and the team
inputs); `certrisk verify --data` checks those against the data directory (docs/standalone-verifier.md).
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import itertools
import json
import math
import re
import sys
import zipfile
from pathlib import Path

Rows = list[dict[str, str]]
Cands = list[tuple[str, int]]  # a body's eligible inspectors and their expertise class
MANIFEST = "manifest.json"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")  # features/cells.py: such a text cell got one leading quote
# The frame columns the commitment covers (certrisk/draw/frame.py COMMITTED_COLUMNS), by kind of value.
BOOL_COLUMNS = ("ccc_designated", "newly_approved", "alert", "in_frame", "certain")
FLOAT_COLUMNS = ("years_since_inspection", "size", "pi", "certs_held", "prediction")
COMMITTED = ("grade", "status", "batch", *BOOL_COLUMNS, *FLOAT_COLUMNS)
CPS_MAX_WORK = 2_000_000  # sampling/_design_args.py: CPS while N x n <= this, systematic beyond
CCC_EXPERTISE, NATIONAL = frozenset({"CCC", "PRODUCT"}), "00"
# The sheets of each XLSX list (certrisk/draw/xlsx.py SHEETS, then the about sheet).
XLSX_SHEETS = {
    "draw_list.xlsx": ("draw_list", "certificates", "teams", "about"),
    "public_list.xlsx": ("public_list", "units", "about"),
}
# What certrisk writes and its rules fix; each a copy pinned to its source by tests/test_standalone_verifier.py.
MANIFEST_FORMAT = "certrisk-draw-manifest-v2"  # certrisk/draw/folder.py, and the fields manifest_for writes
MANIFEST_FIELDS = ("format", "draw_id", "commitment", "public_seed", "frame_sha256", "seed_material")
MANIFEST_FIELDS += ("seed_material_rule", "algorithm", "teams", "software", "config", "inputs", "outputs")
COMMITTED_STATUS = "committed before the seed"
SEED_MATERIAL_RULE = "SHA-256 hex of 'certrisk-seed-v1|' + frame SHA-256 + '|' + public seed (docs/sampling.md)"
# The columns of the lists (certrisk/draw/lists.py COLUMNS; p_serious_team only with stringency.csv) and their
# headers (LABELS): English, Chinese. The public list's batch and method in Chinese (BATCH_ZH, METHOD).
DRAW_COLUMNS = ("draw_id", "as_of", "body_id", "name", "province", "province_name", "batch", "grade", "pi")
DRAW_COLUMNS += ("probability_reason", "risk_reasons", "certificates_to_check", "certificates", "inspector_ids")
DRAW_COLUMNS += ("units", "p_serious_team", "commitment")
PUBLIC_COLUMNS = ("draw_id", "as_of", "body_id", "name", "batch", "method", "units", "commitment")
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
BATCH_ZH = {"national": "国家市场监管总局", "provincial": "省级市场监管部门"}
METHOD = ("on-site inspection, file review, check of certified organisations", "现场检查、书面审查、获证组织查验")


class Refusal(Exception):
    """The folder cannot be checked at all (one sentence for the auditor)."""


def restore(text: str) -> str:
    """A CSV cell as the draw made it, before the spreadsheet-injection quote was added."""
    return text[1:] if text.startswith("'") and text[1:].startswith(TRIGGERS) else text


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def differences(where: str, found: dict[str, str], want: dict[str, str]) -> list[str]:
    """One line for each field whose value in the folder is not the re-derived one."""
    return [f"{where}: {k} is {found.get(k)!r}, re-derived {v!r}" for k, v in want.items() if found.get(k) != v]


def listed(items: list[str]) -> str:
    """At most five items, then how many there are."""
    return (", ".join(items[:5]) + (f" ... ({len(items)} in all)" if len(items) > 5 else "")) or "none"


def key52(material: str, purpose: str, unit: str | None = None) -> int:
    """First 8 bytes of SHA-256(material|purpose[|unit]) as a big-endian integer, shifted right by 12: K < 2^52."""
    text = f"{material}|{purpose}" + ("" if unit is None else f"|{unit}")
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 12


def uniform(material: str, purpose: str, unit: str | None = None) -> float:
    """The unit uniform (K + 0.5) / 2^52 of docs/sampling.md (the stream uniform without ``unit``); exact."""
    return (key52(material, purpose, unit) + 0.5) / 2**52


class Draw:
    """The folder under check, its manifest, the published values and (once the frame is checked) the seed material."""

    def __init__(self, folder: Path, manifest: dict, promised: str, seed: str) -> None:
        self.folder, self.manifest, self.promised, self.seed, self.material = folder, manifest, promised, seed, ""

    @property
    def config(self) -> dict:
        """The committed settings (the record's, covered by HASH)."""
        return self.manifest["commitment"]["record"]["config"]

    def header(self, name: str) -> list[str]:
        """The header of one CSV file of the folder."""
        with open(self.folder / name, encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])

    def rows(self, name: str) -> Rows:
        """The rows of one CSV file of the folder (UTF-8 with BOM), every cell restored."""
        with open(self.folder / name, encoding="utf-8-sig", newline="") as handle:
            return [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """The JSON object of ``pairs``; a key named twice is refused (a reader keeping the first sees another value)."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise Refusal(f"the key {key!r} appears twice in one of its objects (a reader could take either value)")
        seen[key] = value
    return seen


def read_manifest(folder: Path) -> dict:
    """The manifest, or a Refusal that says what is missing or damaged."""
    if not (folder / MANIFEST).is_file():
        raise Refusal(f"{folder} is not a draw folder: {MANIFEST} is missing.")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"), object_pairs_hook=unique_keys)
    except Refusal as twice:
        raise Refusal(f"{folder / MANIFEST} is damaged: {twice}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refusal(f"{folder / MANIFEST} is damaged: it is not readable JSON ({type(exc).__name__}).") from None
    needed = ("draw_id", "public_seed", "frame_sha256", "seed_material", "config", "outputs", "algorithm", "teams")
    lacking = [k for k in (*needed, "commitment") if not isinstance(manifest, dict) or k not in manifest]
    if lacking or not isinstance(manifest["outputs"], dict):
        raise Refusal(f"{folder / MANIFEST} is damaged: it lacks {', '.join(lacking) or 'a table of outputs'}.")
    if not isinstance(manifest["commitment"], dict) or not isinstance(manifest["commitment"].get("record"), dict):
        raise Refusal(f"{folder.name} is uncommitted (an exercise): no commitment was published before the seed.")
    return manifest


# --- 1. the published values ----------------------------------------------------------------------------------------
def check_published(d: Draw) -> list[str]:
    """The record hashes to HASH (canonical JSON), the draw used the published seed, and the manifest agrees."""
    record = d.manifest["commitment"]["record"]
    got = sha256_hex(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    problems = []
    if got != d.promised:
        problems.append(f"commitment: the record hashes to {got}, not to the published {d.promised}")
    if d.manifest["commitment"].get("sha256") != d.promised:
        problems.append(f"manifest: commitment.sha256 is {d.manifest['commitment'].get('sha256')}, not {d.promised}")
    if d.manifest["public_seed"] != d.seed:
        problems.append(f"seed: the draw used {d.manifest['public_seed']!r}, not the published {d.seed!r}")
    name = d.folder.resolve().name  # the draw writes OUT/<draw_id>/: a renamed copy would show another draw
    if name != d.manifest["draw_id"]:
        problems.append(
            f"the folder is named {name}, the draw is {d.manifest['draw_id']} (a draw folder is named "
            "after its draw id)"
        )
    differ = [k for k in ("draw_id", "config") if record.get(k) != d.manifest[k]]
    return problems + [f"manifest: its {k} differs from the committed record's" for k in differ]


def check_manifest(d: Draw) -> list[str]:
    """The manifest's fields that the rules fix: its fields, format, commitment status and seed-material rule; and
    the algorithm, software, input digests and team fallback rule, as the committed record gives them."""
    m, record = d.manifest, d.manifest["commitment"]["record"]
    algorithm = {k: v for k, v in m["algorithm"].items() if k != "stage1_design_used"}
    teams = m["teams"] if isinstance(m["teams"], dict) else {}
    found = {
        "its fields": ", ".join(sorted(m)),
        "format": m.get("format"),
        "commitment.status": m["commitment"].get("status"),
        "seed_material_rule": m["seed_material_rule"],
        "software": m["software"],
        "inputs": m["inputs"],
        "teams.fallback_rule": teams.get("fallback_rule"),
        **{f"algorithm.{k}": v for k, v in algorithm.items()},
    }
    want = {
        "its fields": ", ".join(sorted(MANIFEST_FIELDS)),
        "format": MANIFEST_FORMAT,
        "commitment.status": COMMITTED_STATUS,
        "seed_material_rule": SEED_MATERIAL_RULE,
        "software": record.get("software"),
        "inputs": {k: v for k, v in record.get("inputs", {}).items() if k != "grades"},
        "teams.fallback_rule": record["config"].get("team_fallback_rule"),
        **{f"algorithm.{k}": v for k, v in record.get("algorithm", {}).items()},
    }
    problems = differences("manifest", found, want)
    problems += [
        f"manifest: algorithm.{k} is not part of the committed algorithm"
        for k in algorithm.keys() - record.get("algorithm", {}).keys()
    ]
    if sorted(teams) != ["fallback_applied", "fallback_rule"] or not isinstance(teams["fallback_applied"], bool):
        problems.append(f"manifest: teams is {teams!r}, not fallback_applied (true or false) and fallback_rule")
    return problems


# --- 2. the frame and the seed material -----------------------------------------------------------------------------
def canonical(column: str, text: str) -> str:
    """A frame.csv cell as the digest writes it: True/False as true/false, floats in Python repr, empty as empty."""
    if column in BOOL_COLUMNS:
        return {"True": "true", "False": "false"}.get(text, text)
    return repr(float(text)) if column in FLOAT_COLUMNS and text != "" else text


def frame_digest(frame: Rows, columns: tuple[str, ...]) -> str:
    """certrisk-frame-v1: the format line, ``id`` and the columns in byte order, one line per body in id byte order."""
    names = sorted(columns)
    lines = ["certrisk-frame-v1", "\t".join(["id", *names])]
    for r in sorted(frame, key=lambda r: r["body_id"]):
        lines.append("\t".join([r["body_id"], *(canonical(c, r[c]) for c in names)]))
    return sha256_hex(("\n".join(lines) + "\n").encode())


def check_frame(d: Draw, frame: Rows) -> tuple[list[str], str]:
    """frame.csv digests to the committed frame (else: which columns differ); returns the seed material."""
    committed, digest, problems = d.manifest["commitment"]["record"]["frame"], frame_digest(frame, COMMITTED), []
    if digest != committed["sha256"]:
        bad = ["body_id"] if frame_digest(frame, ()) != committed["bodies"] else []
        bad += [c for c in COMMITTED if frame_digest(frame, (c,)) != committed["columns"].get(c)]
        problems.append(f"frame.csv: not the committed frame (digest {digest}); columns that differ: {listed(bad)}")
    if d.manifest["frame_sha256"] != digest:
        problems.append(f"manifest: frame_sha256 is {d.manifest['frame_sha256']}, frame.csv digests to {digest}")
    material = sha256_hex(f"certrisk-seed-v1|{digest}|{d.seed}".encode())
    if d.manifest["seed_material"] != material:
        problems.append(f"manifest: seed_material is {d.manifest['seed_material']}, the frame and seed give {material}")
    return problems, material


# --- 3. stage 1: conditional Poisson sampling (or systematic) -------------------------------------------------------
def exact_size(pi: list[float]) -> tuple[list[float], int]:
    """n = sum(pi); as sampling.draw does, the 0 < pi < 1 part is rescaled when the sum is off by more than 1e-12 n."""
    total = math.fsum(pi)
    n = round(total)
    if n < 1 or abs(total - n) > 1e-6:
        raise ValueError(f"the probabilities sum to {total!r}, not to a whole sample size")
    if abs(total - n) <= 1e-12 * n:
        return pi, n
    factor = (n - math.fsum(p for p in pi if not 0 < p < 1)) / math.fsum(p for p in pi if 0 < p < 1)
    return [p * factor if 0 < p < 1 else p for p in pi], n


def count_distribution(dist: list[float], p: float, q: float, m: int, degree: int) -> list[float]:
    """``dist(x) (q + p x)^m`` (q = 1 - p) truncated at ``degree``: the elementary symmetric polynomials of the odds
    p / q rescaled by prod(1 + odds), so every coefficient is a probability and nothing overflows."""
    for _ in range(m):
        grown = dist + [0.0] if len(dist) <= degree else dist
        dist = [q * a + p * b for a, b in zip(grown, [0.0, *grown[:-1]])]
    return dist


def first_order(log_odds: list[float], counts: list[int], n: int) -> list[float]:
    """The CPS inclusion probability w_k e_{n-1}(w without k) / e_n(w) of a unit of each group (prefix x suffix)."""
    p, q, size = [1 / (1 + math.exp(-v)) for v in log_odds], [1 / (1 + math.exp(v)) for v in log_odds], len(log_odds)
    pre, suf = [[1.0]], [[1.0]] * (size + 1)
    for a in range(size):
        pre.append(count_distribution(pre[a], p[a], q[a], counts[a], n))
    for a in reversed(range(size)):
        suf[a] = count_distribution(suf[a + 1], p[a], q[a], counts[a], n)
    out = []
    for a in range(size):
        t, s = count_distribution(pre[a][:n], p[a], q[a], counts[a] - 1, n - 1), suf[a + 1]
        out.append(p[a] * math.fsum(t[i] * s[n - 1 - i] for i in range(len(t)) if n - 1 - i < len(s)) / pre[size][n])
    return out


def solve_log_odds(values: list[float], counts: list[int], n: int) -> tuple[list[float], float]:
    """Working log odds whose CPS probabilities are ``values``: Newton steps with the Jacobian's diagonal pi(1 - pi)
    from logit(pi) (Tille's fixed point), halved when the error grows, until max |pi(w) - pi| < 1e-12."""
    best, best_err, step, damping = [math.log(v) - math.log1p(-v) for v in values], math.inf, [0.0] * len(values), 1.0
    for _ in range(300):
        trial = [b + damping * s for b, s in zip(best, step)]
        got = first_order(trial, counts, n)
        err = max(abs(g - v) for g, v in zip(got, values))
        if err < best_err:
            best, best_err, damping = trial, err, 1.0
            if err < 1e-12:
                break
            step = [max(-4.0, min(4.0, (v - g) / (g * (1.0 - g)))) for g, v in zip(got, values)]
        else:
            damping /= 2.0
            if damping < 1e-3:
                break
    return best, best_err


def log_add(a: float, b: float) -> float:
    a, b = max(a, b), min(a, b)
    return a if b == -math.inf else a + math.log1p(math.exp(b - a))


def cps_select(units: list[tuple[str, float]], n: int, material: str, purpose: str) -> tuple[set[str], float]:
    """The sequential draw (Chen, Dempster & Liu 1994) over the units in id byte order: unit k is taken when
    u_k < q_k = w_k e_{j-1}(w_{k+1}, ..., w_N) / e_j(w_k, ..., w_N), j units still to take. Also min |u_k - q_k|."""
    counts = collections.Counter(p for _, p in units)
    values = sorted(counts)
    log_odds, err = solve_log_odds(values, [counts[v] for v in values], n)
    if err > 1e-9:
        raise ValueError(f"the CPS working odds did not converge (error {err:.2g})")
    odds = dict(zip(values, log_odds))
    lw = [odds[p] for _, p in units]
    size = len(units)
    table = [[]] * size + [[0.0] + [-math.inf] * n]  # table[k][j] = log e_j(w_k, ..., w_{N-1})
    for k in reversed(range(size)):
        table[k] = [0.0] + [log_add(table[k + 1][j], lw[k] + table[k + 1][j - 1]) for j in range(1, n + 1)]
    chosen, left, margin = set(), n, math.inf
    for k, (unit, _) in enumerate(units):
        if left == 0 or left >= size - k:  # nothing left to take, or all the rest
            chosen.update(u for u, _ in units[k:] if left)
            break
        gap = table[k + 1][left] - lw[k] - table[k + 1][left - 1]
        q, u = 0.0 if gap > 700 else 1.0 / (1.0 + math.exp(gap)), uniform(material, purpose, unit)
        margin = min(margin, abs(u - q))
        if u < q:
            chosen.add(unit)
            left -= 1
    return chosen, margin


def systematic_select(units: list[tuple[str, float]], n: int, material: str, purpose: str) -> tuple[set[str], float]:
    """Units ordered by their uniform (ties by id), pi cumulated and rescaled to end at exactly n; a unit is taken
    when its interval holds one of u0, u0 + 1, ... (u0: stream ``purpose:start``). Also the least distance to a point."""
    order = sorted((uniform(material, purpose, i), i, p) for i, p in units)
    cum = list(itertools.accumulate(p for _, _, p in order))
    factor = n / cum[-1]
    cum = [c * factor for c in cum[:-1]] + [float(n)]
    start, chosen, before, margin = uniform(material, f"{purpose}:start"), set(), -1.0, math.inf
    for (_, unit, _), c in zip(order, cum):
        if math.floor(c - start) > before:
            chosen.add(unit)
        before, margin = math.floor(c - start), min(margin, abs(c - start - round(c - start)))
    return chosen, margin


def draw(ids: list[str], pi: list[float], material: str, purpose: str, design: str) -> tuple[set[str], float]:
    """As sampling.draw: units with pi = 1 are taken, pi = 0 never, the design runs on the others."""
    pi, n = exact_size(pi)
    certain, part = {i for i, p in zip(ids, pi) if p == 1.0}, sorted((i, p) for i, p in zip(ids, pi) if 0 < p < 1)
    if n == len(certain):
        return certain, math.inf
    chosen, margin = (cps_select if design == "cps" else systematic_select)(part, n - len(certain), material, purpose)
    return certain | chosen, margin


def check_stage1(d: Draw, frame: Rows) -> tuple[list[str], list[str], float]:
    """The bodies in the frame with pi > 0 drawn again (stream stage1) by the design the auto rule picks; compared
    with frame.csv ``selected``, the manifest's design and the committed budget. Returns the drawn ids and margin."""
    live = sorted((r["body_id"], float(r["pi"])) for r in frame if r["in_frame"] == "True" and float(r["pi"]) > 0)
    ids, pi = [i for i, _ in live], [p for _, p in live]
    n, certain = exact_size(pi)[1], sum(p == 1.0 for p in pi)
    rule = "cps" if (len(pi) - certain) * (n - certain) <= CPS_MAX_WORK else "systematic"
    design = d.manifest["algorithm"].get("stage1_design_used")
    problems = [] if design == rule else [f"manifest: stage-1 design {design!r}, the auto rule gives {rule!r}"]
    chosen, margin = draw(ids, pi, d.material, "stage1", rule)
    for r in frame:
        if (r["selected"] == "True") != (r["body_id"] in chosen):
            problems.append(f"frame.csv: body {r['body_id']} has selected={r['selected']}; the draw says otherwise")
    on_top = d.config["policy"].get("ccc_budget") == "on_top"
    budget = d.config["budget"] + (sum(r["certain"] == "True" for r in frame) if on_top else 0)
    if n != budget:
        problems.append(f"frame.csv: the probabilities sum to {n}, not to the committed budget {budget}")
    return problems, sorted(chosen), margin


# --- 4. stage 2: certificates by SHA-256 order ----------------------------------------------------------------------
def check_stage2(d: Draw, frame: Rows, drawn: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """m_b = min(stage2_per_grade[grade], N_b) of the N_b certificates of stage2_frame.csv, drawn with equal
    probabilities by the systematic design (stream stage2:<body>); compared with certificates.csv."""
    body, population = {r["body_id"]: r for r in frame}, collections.defaultdict(list)
    for row in d.rows("stage2_frame.csv"):
        population[row["body_id"]].append(row["cert_id"])
    problems = [f"stage2_frame.csv: lists body {b}, which is not drawn" for b in sorted(set(population) - set(drawn))]
    expected, chosen = {}, {}
    for b in drawn:
        certs = sorted(population.get(b, []))
        m = min(int(d.config["stage2_per_grade"][body[b]["grade"]]), len(certs))
        share = m / len(certs) if m else 0.0
        chosen[b] = sorted(draw(certs, [share] * len(certs), d.material, f"stage2:{b}", "systematic")[0]) if m else []
        expected |= {(b, c): (str(len(certs)), share, float(body[b]["pi"]) * share) for c in chosen[b]}
    found = {}
    for r in d.rows("certificates.csv"):
        found[(r["body_id"], r["cert_id"])] = (r["certs_held"], float(r["pi_conditional"]), float(r["pi_overall"]))
    missing, extra = expected.keys() - found, found.keys() - expected
    wrong = {key for key in expected.keys() & found if expected[key] != found[key]}
    for b in sorted({b for b, _ in missing | extra | wrong}):
        of_b = [sorted(c for o, c in keys if o == b) for keys in (missing, extra, wrong)]
        problems.append(
            f"certificates.csv: body {b}: drawn, not listed: {listed(of_b[0])}; listed, not drawn: "
            f"{listed(of_b[1])}; certs_held or probabilities differ: {listed(of_b[2])}"
        )
    return problems, chosen


# --- 5. inspector teams (docs/teams.md sections 1-3, 5 and 7) -------------------------------------------------------
def codes(text: str) -> frozenset[str]:
    return frozenset(c.strip() for c in text.split(";") if c.strip())


def candidates(body: dict[str, str], inspectors: Rows, conflicts: set[tuple[str, str]]) -> Cands:
    """The body's eligible inspectors (id order) and their class: 0 field and CCC expert, 1 field expert only,
    2 CCC expert only, 3 neither (for a body that is not CCC-designated everybody counts as a CCC expert)."""
    national, ccc = body["batch"] == "national" or body["province"] == NATIONAL, body["ccc_designated"] == "True"
    own = {"".join(body["name"].split()), "".join(body["body_id"].split())}  # whitespace removed, U+3000 included
    out = []
    for i in inspectors:
        if i["province"] != NATIONAL and (national or i["province"] != body["province"]):
            continue  # not in the body's pool
        unit, expertise = "".join(i["unit"].split()), codes(i["expertise"])
        if i["active"] != "True" or (i["inspector_id"], body["body_id"]) in conflicts or (unit and unit in own):
            continue
        x, c = bool(expertise & codes(body["fields"])), bool(expertise & CCC_EXPERTISE) or not ccc
        out.append((i["inspector_id"], 0 if x and c else 1 if x else 2 if c else 3))
    return out


def uniform_team(cands: Cands, keys: list[float], avail: list[bool], k: int, mix: int) -> list[str] | None:
    """docs/teams.md section 3: the make-up holding team number t = ((2K + 1) T) >> 53 among the feasible make-ups
    in lexicographic order, then the smallest keys in each class; None when no team is feasible."""
    groups = [[j for j, (_, cls) in enumerate(cands) if avail[j] and cls == g] for g in range(4)]
    makeups = [
        (mk, math.prod(math.comb(len(g), m) for g, m in zip(groups, mk)))
        for mk in itertools.product(range(k + 1), repeat=4)
        if sum(mk) == k and mk[0] + mk[1] and mk[0] + mk[2]
    ]
    t = ((2 * mix + 1) * sum(count for _, count in makeups)) >> 53
    for makeup, count in makeups:
        if t < count:
            by_key = [sorted(g, key=lambda j: (keys[j], cands[j][0]))[:m] for g, m in zip(groups, makeup)]
            return sorted(cands[j][0] for taken in by_key for j in taken)
        t -= count
    return None


class TeamDraw:
    """The team draw of the drawn bodies from the folder's inspectors.csv and conflicts.csv."""

    def __init__(self, d: Draw, bodies: Rows, inspectors: Rows) -> None:
        self.material, self.k = d.material, int(d.config["team_size"])
        conflicts = {(r["inspector_id"], r["body_id"]) for r in d.rows("conflicts.csv")}
        inspectors = sorted(inspectors, key=lambda r: r["inspector_id"])
        self.units = {i["inspector_id"]: i["unit"] for i in inspectors}
        self.caps = {i["inspector_id"]: int(i["max_assignments"]) if i["active"] == "True" else 0 for i in inspectors}
        self.cands = {b["body_id"]: candidates(b, inspectors, conflicts) for b in bodies}

        def rank(b: str) -> tuple:  # most constrained first: scarcer rule, eligible count, team-order uniform, id
            cls = [c for _, c in self.cands[b]]
            scarce = min(sum(c < 2 for c in cls), sum(c in (0, 2) for c in cls))
            return scarce, len(cls), uniform(self.material, "team-order", b), b

        self.order = sorted(self.cands, key=rank)

    def keys(self, b: str, r: int = 0) -> dict[str, float]:
        """The candidates' keys for body ``b`` in rejection round ``r`` (0: the sequential pass)."""
        return {i: uniform(self.material, f"team-r{r}:{b}" if r else f"team:{b}", i) for i, _ in self.cands[b]}

    def pick(self, b: str, cap: dict[str, int], r: int = 0) -> list[str] | None:
        """Body ``b``'s uniform team among the candidates with capacity left, with round ``r``'s keys."""
        keys, cands = self.keys(b, r), self.cands[b]
        mix = key52(self.material, f"team-mix-r{r}" if r else "team-mix", b)
        return uniform_team(cands, [keys[i] for i, _ in cands], [cap[i] > 0 for i, _ in cands], self.k, mix)

    def sequential(self, cap: dict[str, int]) -> dict[str, list[str]] | None:
        """The sequential pass in processing order; None when some body has no feasible team left."""
        cap, teams = dict(cap), {}
        for b in self.order:
            if (team := self.pick(b, cap)) is None:
                return None
            teams[b] = team
            for i in team:
                cap[i] -= 1
        return teams

    def repaired(self, b: str, team: list[str], r: int, method: str, cap: dict[str, int]) -> list[str]:
        """A repaired team obeys every rule and, for ``lookahead``, is the one round ``r``'s keys pick."""
        cls = dict(self.cands[b])
        broken = [] if len(set(team)) == len(team) == self.k else [f"it has not {self.k} distinct members"]
        broken += [f"{i} is not eligible or has no assignment left" for i in team if i not in cls or cap[i] <= 0]
        broken += [] if any(cls.get(i) in (0, 1) for i in team) else ["it has no field expert"]
        broken += [] if any(cls.get(i) in (0, 2) for i in team) else ["it has no CCC or PRODUCT expert"]
        if method == "lookahead" and self.pick(b, cap, r) != team:
            broken.append(f"it is not the team that round {r}'s keys pick")
        if method not in ("lookahead", "constructed") or (method == "constructed" and r):
            broken.append(f"method {method!r}, round {r} is not a repair step")
        return [f"teams.csv: body {b}: {why}" for why in broken]


def check_teams(d: Draw, bodies: Rows) -> tuple[list[str], list[str], dict[str, tuple[str, str]]]:
    """Each team re-derived by the sequential pass (caps lifted when the manifest says the fallback applied) or, in
    a repaired draw, checked rule by rule; compared with teams.csv. Returns problems, notes and body -> team, units."""
    rows, inspectors = {r["body_id"]: r for r in d.rows("teams.csv")}, d.rows("inspectors.csv")
    if not inspectors:  # a registry without inspectors: no teams
        staffed = [b for b, r in rows.items() if r["inspector_ids"]]
        return [f"teams.csv: body {b} has a team, but there are no inspectors" for b in staffed], [], {}
    t, problems, notes = TeamDraw(d, bodies, inspectors), [], []
    cap = dict(t.caps)
    if d.manifest["teams"].get("fallback_applied") is True:
        if t.sequential(cap) is not None:
            problems.append("manifest: the workload caps were lifted, but the teams fit within them")
        notes.append("whether the workload caps had to be lifted was not re-derived (that needs a feasibility solver)")
        cap = {i: max(len(bodies), 1) if c else 0 for i, c in cap.items()}
    if (teams := t.sequential(cap)) is None:
        notes.append(
            "the team draw was repaired: each team was checked against the rules and its round's keys, "
            "not the acceptance step (the bodies after it can still be staffed)"
        )
    shown = {}
    for rank, b in enumerate(t.order, start=1):
        if (row := rows.get(b)) is None:
            problems.append(f"teams.csv: no team for drawn body {b}")
            continue
        if teams is not None:
            team, r, method = teams[b], 0, "uniform"
        else:
            team, r, method = row["inspector_ids"].split(";"), int(row["round"]), row["method"]
            problems += t.repaired(b, team, r, method, cap)
            cap |= {i: cap.get(i, 0) - 1 for i in team}
        keys, units = t.keys(b, r), ";".join(sorted({t.units.get(i, "") for i in team}))
        key_text = ";".join(repr(keys.get(i)) for i in team)
        want = dict(inspector_ids=";".join(team), units=units, keys=key_text, round=str(r), method=method)
        want |= dict(draw_order=str(rank), n_eligible=str(len(keys)), team_size=str(t.k))
        problems += differences(f"teams.csv: body {b}", row, want)
        shown[b] = (";".join(team), units)
    return problems + [f"teams.csv: body {b} is not drawn" for b in sorted(set(rows) - set(t.cands))], notes, shown


# --- 6. files and lists ---------------------------------------------------------------------------------------------
def check_files(d: Draw) -> list[str]:
    """Every file has the SHA-256 the manifest records (XLSX included); none is missing and none was added."""
    problems, outputs = [], d.manifest["outputs"]
    for name, digest in sorted(outputs.items()):
        if Path(name).name != name or not (d.folder / name).is_file():
            problems.append(f"{name}: missing from the draw folder")
        elif sha256_hex((d.folder / name).read_bytes()) != digest:
            problems.append(f"{name}: changed since the draw (SHA-256 differs from the manifest)")
    present = {p.name for p in d.folder.iterdir()} - {MANIFEST}
    return problems + [f"{name}: not part of the draw (not in the manifest)" for name in sorted(present - set(outputs))]


def check_lists(
    d: Draw, frame: dict[str, dict[str, str]], teams: dict[str, tuple[str, str]], certs: dict[str, list[str]]
) -> list[str]:
    """Every row of every list names the draw id, the committed as-of date and HASH; the lists have their columns
    and show the drawn bodies (``frame``: their frame.csv rows), teams, certificates and grades.csv's reasons."""
    lang = 0 if d.config["lang"] == "en" else 1
    col = {c: pair[lang] for c, pair in LABELS.items()}
    problems, draw_id, as_of = [], d.manifest["draw_id"], d.config["as_of"]
    plain = {"draw_id": "draw_id", "as_of": "as_of", "commitment": "commitment"}
    kept = "stringency.csv" in d.manifest["outputs"]
    columns = {
        "draw_list.csv": [col[c] for c in DRAW_COLUMNS if c != "p_serious_team" or kept],
        "public_list.csv": [col[c] for c in PUBLIC_COLUMNS],
    }
    for name, want in columns.items():
        if (head := d.header(name)) != want:
            problems.append(f"{name}: its columns are {', '.join(head)}; a draw writes {', '.join(want)}")
    for name, head in (("draw_list.csv", col), ("public_list.csv", col), ("certificates.csv", plain)):
        if any([r[head[c]] for c in plain] != [draw_id, as_of, d.promised] for r in d.rows(name)):
            problems.append(
                f"{name}: not every row names draw {draw_id}, as-of date {as_of} and commitment {d.promised}"
            )
    reasons = {r["body_id"]: r["reasons"] for r in d.rows("grades.csv")}
    for name in ("draw_list.csv", "public_list.csv"):
        rows = d.rows(name)
        if [r[col["body_id"]] for r in rows] != sorted(frame):
            problems.append(f"{name}: its bodies are not the drawn bodies")
        for r in rows:
            b = r[col["body_id"]]
            (ids, units), chosen, body = teams.get(b, ("", "")), certs.get(b, []), frame.get(b, {})
            batch = body.get("batch", "")
            want = {col["name"]: body.get("name"), col["units"]: units}
            want[col["batch"]] = BATCH_ZH.get(batch, batch) if lang else batch
            if name == "public_list.csv":
                want[col["method"]] = METHOD[lang]
            else:
                want |= {col[c]: body.get(c) for c in ("province", "grade", "pi")}
                want |= {col["probability_reason"]: body.get("reason")} if not lang else {}
                want |= {
                    col["risk_reasons"]: reasons.get(b, ""),
                    col["inspector_ids"]: ids,
                    col["certificates"]: ";".join(chosen),
                    col["certificates_to_check"]: str(len(chosen)),
                }
            problems += differences(f"{name}: body {b}", r, want)
    return problems


def check_xlsx(d: Draw) -> list[str]:
    """Each XLSX list holds exactly its sheets and names the draw id and HASH (its SHA-256: check_files)."""
    problems = []
    for name, expected in XLSX_SHEETS.items():
        try:
            with zipfile.ZipFile(d.folder / name) as book:
                sheets = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', book.read("xl/workbook.xml").decode())
                text = " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            problems.append(f"{name}: cannot be read as a workbook ({type(exc).__name__})")
            continue
        if sheets != list(expected):
            problems.append(f"{name}: holds the sheet(s) {', '.join(sheets)}; expected exactly {', '.join(expected)}")
        if d.manifest["draw_id"] not in text or d.promised not in text:
            problems.append(f"{name}: does not name draw {d.manifest['draw_id']} and commitment {d.promised}")
    return problems


# --- the whole check ------------------------------------------------------------------------------------------------
def verify(folder: Path, promised: str, seed: str) -> tuple[list[str], list[str], float | None]:
    """Every difference between the folder and what HASH and the seed give; notes; the stage-1 margin."""
    d = Draw(folder, read_manifest(folder), promised.strip().lower(), seed)
    problems, notes, margin = check_published(d) + check_files(d), [], math.inf
    try:
        problems += check_manifest(d)
        problems += check_xlsx(d)
        frame = d.rows("frame.csv")
        found, d.material = check_frame(d, frame)
        problems += found
        found, drawn, margin = check_stage1(d, frame)
        problems += found
        found, certs = check_stage2(d, frame, drawn)
        problems += found
        by_id = {r["body_id"]: r for r in frame}
        found, notes, teams = check_teams(d, [by_id[b] for b in drawn])
        problems += found + check_lists(d, {b: by_id[b] for b in drawn}, teams, certs)
    except (OSError, KeyError, ValueError, TypeError, AttributeError, IndexError, ZeroDivisionError) as exc:
        problems.append(f"the folder cannot be re-derived: {type(exc).__name__}: {exc}")
    return problems, notes, None if margin == math.inf else margin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a certrisk draw folder against its published commitment and seed."
    )
    parser.add_argument("folder", type=Path, help="the draw folder OUT/<draw_id>/")
    parser.add_argument("--commitment", required=True, help="the commitment SHA-256 published before the seed")
    parser.add_argument("--seed", required=True, help="the public seed, verbatim")
    parser.add_argument("--json", action="store_true", help='print {"verified", "problems", "margin", "notes"}')
    args = parser.parse_args(argv)
    try:
        problems, notes, margin = verify(args.folder, args.commitment, args.seed)
    except Refusal as refusal:
        problems, notes, margin = [str(refusal)], [], None
    if args.json:
        result = {"verified": not problems, "problems": problems, "margin": margin, "notes": notes}
        print(json.dumps(result, ensure_ascii=False))
    else:
        print("\n".join(problems) if problems else "verified")
        print("".join(f"note: {n}\n" for n in notes), end="", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
