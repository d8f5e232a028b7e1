"""The report to circulate: one self-contained HTML file, a summary first, current grades, reliability notes.

Built from the small hand-made inputs of ``tests/report_inputs.py`` (every
count worked out by hand there): the English Markdown and HTML reports are
written side by side once per module, and the Chinese HTML beside them.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest
from report_inputs import DRAW_ID, estimates, write_report_inputs

from certrisk.catalogue import area
from certrisk.catalogue import words as catalogue_words
from certrisk.cli import main
from certrisk.report import write_report
from certrisk.report.document import _Doc, _render_markdown
from certrisk.report.figures import _Figures
from certrisk.report.rule_words import UNKNOWN_ZH, rule_in
from certrisk.report.sections import _estimates_section
from riskmodel.selection import select_model
from riskmodel.tracking.promotion import promotion_rule

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIGURES = {"calibration", "lift", "grade_distribution", "psi", "migration", "draw_composition", "estimates"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    return write_report_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def reports(inputs, tmp_path_factory) -> dict[str, Path]:
    """``r.md`` then ``r.html`` (English) side by side, and ``r_zh.html``, every input given."""
    out = tmp_path_factory.mktemp("reports")
    given = {k: inputs[k] for k in ("draw", "estimates", "monitor")}
    args = {"draw_folder": given["draw"], "estimates": given["estimates"], "monitor": given["monitor"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # without a CJK font the figures fall back to English labels
        paths = {"md": write_report(inputs["training"], out=out / "r.md", **args)}
        paths["md_figures"] = {p.name: p.read_bytes() for p in (out / "r_files").iterdir()}
        paths["html"] = write_report(inputs["training"], out=out / "r.html", **args)
        paths["zh"] = write_report(inputs["training"], out=out / "r_zh.html", lang="zh", **args)
    return paths


def _section(text: str, heading: str) -> str:
    """The HTML of one h2 section: from its heading to the next h2."""
    return text.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]


# ------------------------------------------------------------- self-contained
def test_the_html_report_is_one_file_that_refers_to_nothing_outside_itself(reports):
    text = reports["html"].read_text(encoding="utf-8")
    folder = reports["html"].parent
    assert sorted(p.name for p in folder.iterdir()) == ["r.html", "r.md", "r_files", "r_zh.html"]  # no r_zh_files
    sources = re.findall(r'\bsrc="([^"]*)"', text)
    assert len(sources) == len(FIGURES) and all(s.startswith("data:image/png;base64,") for s in sources)
    for source in sources:
        assert base64.b64decode(source.split(",", 1)[1]).startswith(PNG_MAGIC)
    assert set(re.findall(r'<figure id="figure-([\w-]+)"', text)) == FIGURES
    for external in ("href=", "<link", "<script", "url(", "@import", "r_files", "http://", "https://"):
        assert external not in text, external
    assert "default-src 'none'; img-src data:" in text  # the page may load nothing else


def test_the_print_style_breaks_pages_before_sections_and_keeps_tables_readable(reports):
    style = reports["html"].read_text(encoding="utf-8").split("<style>")[1].split("</style>")[0]
    assert "@media print" in style
    printing = style.split("@media print")[1]
    assert re.search(r"h2\{break-before:page;page-break-before:always\}", printing)
    assert ".summary h2{break-before:avoid" in printing  # the summary opens the first page
    assert "thead{display:table-header-group}" in printing  # a long table repeats its header on each page
    assert ".table-wrap,pre{overflow:visible}" in printing and "overflow-wrap:anywhere" in printing


def test_markdown_and_html_side_by_side_keep_their_own_figures(reports, inputs):
    folder = reports["md"].parent
    md = reports["md"].read_text(encoding="utf-8")
    assert set(re.findall(r"\]\(r_files/(\w+)\.png\)", md)) == FIGURES
    # writing r.html (and r_zh.html) after r.md left r.md's figures byte for byte
    assert {p.name: p.read_bytes() for p in (folder / "r_files").iterdir()} == reports["md_figures"]
    assert all(data.startswith(PNG_MAGIC) for data in reports["md_figures"].values())
    # and writing r.md again (in Chinese, from a run with two figures) replaces its folder, not the HTML
    html_before = reports["html"].read_bytes()
    again = folder.parent / "again"
    shutil.copytree(folder, again)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        write_report(_light_run(inputs["training"], again / "run"), out=again / "r.md", lang="zh")
    assert (again / "r.html").read_bytes() == html_before
    assert sorted(p.name for p in (again / "r_files").iterdir()) == ["grade_distribution.png", "migration.png"]


# ------------------------------------------------------------------ summary
def test_the_summary_comes_first_and_says_what_was_drawn_found_and_changed(reports):
    text = reports["html"].read_text(encoding="utf-8")
    body = text.split("<body>")[1]
    assert re.findall(r"<h[12]>[^<]*</h[12]>", body)[:2] == [
        "<h1>Quarterly risk report (as of 2026-10-01)</h1>",
        "<h2>Summary</h2>",
    ]
    summary = body.split('<section class="summary">')[1].split("</section>")[0]
    for words in (
        # frame.csv: 10 bodies with pi > 0 (sum 4.00), B01 certain and national, B03, B05, B08 provincial
        f"Draw <code>{DRAW_ID}</code>: 4 bodies drawn out of 10 in the frame (expected 4.00), 1 of them certainties",
        "1 national (SAMR), 3 provincial",
        "8 certificates to check at 4 drawn bodies",  # 3 + 2 + 2 + 1
        "4 inspection teams drawn, 6 inspectors from 4 units",  # I1-I6; SAMR, 北京局, 上海局, 天津局
        "Serious rate of the population: 25.0% (95 % interval 12.0% to 42.0%), from 40 inspections; unstable: "
        "coefficient of variation 0.32 above 0.30",
        "Share of problem certificates: 20.0% (95 % interval 15.0% to 26.0%); reliable",
        "3 of the 5 estimates are unstable or suppressed",
        "Model: logistic is the new champion (version 4). Challenger: boosting.",
        "Current grades (12 bodies): A 3, B 4, C 3, D 2.",  # the draw's grades.csv
        "15 of 20 bodies graded in both kept their grade (75.0%), 4 moved to a riskier grade, 1 to a less risky "
        "one; 2 newly graded, 1 no longer graded",
        "the score&#39;s PSI is 0.120 (watch); 0 features to watch, 1 shifted",
        "Warnings: 5 raised among 12 bodies monitored (red 1, orange 1, yellow 2, blue 1); 3 new, 1 escalated, "
        "1 persisting; 1 overdue",
    ):
        assert words in summary, words


def test_the_summary_in_chinese(reports):
    summary = reports["zh"].read_text(encoding="utf-8").split('<section class="summary">')[1].split("</section>")[0]
    for words in (
        "<h2>概要</h2>",
        "抽样框 10 家机构中抽中 4 家（期望 4.00 家），其中必抽机构（CCC 指定机构）1 家；国家级 1 家，省级 3 家。",
        "第二阶段在 4 家抽中机构抽查证书 8 张。",
        "随机选派检查组 4 个，检查人员 6 名，来自 4 个单位。",
        "总体严重问题率：25.0%（95% 区间 12.0% 至 42.0%），依据 40 次检查；不稳定：变异系数 0.32，高于 0.30",
        "模型：逻辑回归成为新的冠军模型（版本 4）。挑战者模型：梯度提升。",
        "当前风险等级（12 家机构）：A 3，B 4，C 3，D 2。",
        "两个季度均有等级的 20 家机构中 15 家等级未变（75.0%），4 家升至更高风险等级，1 家降至更低风险等级",
        "风险预警：监测机构 12 家，发出预警 5 条（红色 1、橙色 1、黄色 2、蓝色 1）；新增 3 条，升级 1 条，持续 1 条；逾期未办结 1 条。",
    ):
        assert words in summary, words


def _light_run(training: Path, copy: Path) -> Path:
    """A copy of the training run without the tables of three figures (calibration, lift, PSI): faster."""
    shutil.copytree(training, copy)
    for name in ("calibration", "lift", "psi"):
        (copy / f"{name}.csv").unlink()
    return copy


def test_a_summary_without_draw_or_estimates_says_so(inputs, tmp_path):
    path = write_report(_light_run(inputs["training"], tmp_path / "run"), out=tmp_path / "r.md")
    summary = path.read_text(encoding="utf-8").split("## The model of the quarter")[0]
    assert "No draw folder was given (`--draw`)." in summary
    assert "No population estimates were given (`--estimates`)." in summary
    assert "Current grades (22 bodies): A 7, B 7, C 5, D 3." in summary  # migration.csv's column sums
    assert "Warnings" not in summary


# ------------------------------------------------------------------- grades
def test_the_grades_section_shows_the_current_grades_not_the_evaluation_weights(reports):
    grades = _section(reports["html"].read_text(encoding="utf-8"), "Grades")
    assert "12 bodies by their current grade (the grades the draw used, grades.csv of the draw folder)" in grades
    rows = re.findall(r"<tr><td>([A-D])</td><td>(\d+)</td><td>([\d.]+%)</td></tr>", grades)
    assert rows == [("A", "3", "25.0%"), ("B", "4", "33.3%"), ("C", "3", "25.0%"), ("D", "2", "16.7%")]
    assert "72.0%" not in grades and "share of the evaluation" not in grades  # by_grade.csv's weight shares
    assert "<td>C</td><td>40.0%</td><td>50.0%</td>" in grades  # predicted and observed rates out of time
    zh = _section(reports["zh"].read_text(encoding="utf-8"), "风险等级")
    assert "现行风险等级：12 家机构按当前等级分布" in zh and "<td>B</td><td>4</td><td>33.3%</td>" in zh


# -------------------------------------------------------------- reliability
def test_every_estimate_carries_its_reliability_note_in_both_languages(reports):
    for key, heading, notes in (
        (
            "html",
            "Population estimates",
            [
                "unstable: coefficient of variation 0.32 above 0.30; read with caution, pool more quarters (--since)",
                "reliable: 20 random inspections, coefficient of variation 0.20",
                "suppressed: fewer than 3 random inspections (1)",
                "unstable: fewer than 10 random inspections (6); read with caution",
                "reliable: 38 random inspections, coefficient of variation 0.15",
            ],
        ),
        (
            "zh",
            "总体估计",
            [
                "不稳定：变异系数 0.32，高于 0.30；请谨慎解读，宜合并更多季度（--since）",
                "可靠：随机抽查 20 次，变异系数 0.20",
                "不公布：随机抽查少于 3 次（1 次）",
                "不稳定：随机抽查少于 10 次（6 次）；请谨慎解读",
                "可靠：随机抽查 38 次，变异系数 0.15",
            ],
        ),
    ):
        section = _section(reports[key].read_text(encoding="utf-8"), heading)
        rows = re.findall(r"<tr( class=\"\w+\")?>(.*?)</tr>", section.split("<tbody>")[1])
        assert len(rows) == len(notes)
        for (_, cells), expected in zip(rows, notes, strict=True):
            assert expected in cells.split("<td>")[-1], (cells, expected)
        assert [cls for cls, _ in rows] == [' class="unstable"', "", ' class="suppressed"', ' class="unstable"', ""]
        assert 'class="caution"' in section
    assert "coefficient" not in _section(reports["zh"].read_text(encoding="utf-8"), "总体估计")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_table_without_the_flag_is_flagged_by_the_same_rule(tmp_path, lang):
    """An older estimates table: province 12 shows 100 % with SE 0 from one inspection, and no caution."""
    doc = _Doc()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _estimates_section(doc, _Figures(None, "f"), estimates(flagged=False), lang, catalogue_words(lang, "report"))
    lines = [line for line in _render_markdown(doc).splitlines() if line.startswith("| ")]
    province = next(line for line in lines if f"| {'Tianjin' if lang == 'en' else '天津'} |" in line)  # 12, named
    assert "100.0%" not in province  # suppressed: not published
    assert (
        "suppressed: fewer than 3 random inspections (1)" if lang == "en" else "不公布：随机抽查少于 3 次（1 次）"
    ) in province
    overall = lines[1]  # se / estimate = 0.08 / 0.25 = 0.32 > 0.30
    assert (
        "unstable: coefficient of variation 0.32 above 0.30" if lang == "en" else "变异系数 0.32，高于 0.30"
    ) in overall
    grade = lines[2]  # 20 random inspections, 0.1 / 0.5 = 0.20
    assert (
        "reliable: 20 random inspections, coefficient of variation 0.20" if lang == "en" else "可靠：随机抽查 20 次"
    ) in grade


# -------------------------------------------------------------- model choice
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
MODELS = {k.removeprefix("model_") for k in area("report_codes")["zh"] if k.startswith("model_")}
NAMES = {"AUC", "oot_brier", "oot_auc", "run", "json", *MODELS}


def _english_words(text: str) -> set[str]:
    return {w for w in ENGLISH_WORD.findall(text) if w not in NAMES and not any(w in n for n in NAMES)}


def test_the_zh_report_holds_no_english_sentence_of_the_rule(reports, inputs):
    import json

    rule = json.loads((inputs["training"] / "run.json").read_text(encoding="utf-8"))["outputs"]["decision"]["rule"]
    text = reports["zh"].read_text(encoding="utf-8")
    for clause in rule.rstrip(".").split("; "):
        assert clause not in text, clause
    line = text.split("模型选择：")[1].split("</li>")[0]
    assert _english_words(line) == set(), line
    assert "冠军模型：逻辑回归；挑战者模型：梯度提升。" in line


def _rules() -> list[str]:
    """Rules as riskmodel writes them: a model kept, a model beaten, the gate failed or waived; the promotions."""
    rng = np.random.default_rng(5)
    n = 1500
    risk = rng.uniform(size=n)
    good = 0.6 * risk**2
    y = (rng.uniform(size=n) < good).astype(int)
    coarse = np.where(risk > 0.5, y[risk > 0.5].mean(), y[risk <= 0.5].mean())  # calibrated, ranks poorly
    kinds = {"logistic": "logistic", "scorecard": "scorecard", "boosting": "boosting"}
    cases = [  # (candidates, the last-outcome baseline)
        ({"logistic": coarse, "scorecard": good, "boosting": 0.5 * good + 0.5 * coarse}, coarse),  # scorecard wins
        ({"logistic": good, "scorecard": np.clip(3 * good, 0, 1), "boosting": good[::-1]}, good),  # gates failed
        ({"logistic": np.clip(3 * good, 0, 1), "scorecard": 0.2 * good, "boosting": np.full(n, 0.9)}, good),  # waived
    ]
    rules = [select_model(y, np.ones(n), c, kinds, baseline=b, replicates=40, rng=1).rule for c, b in cases]
    rules += [
        promotion_rule(0.103, 0.1, margin=0.002, metric="oot_brier").rule,
        promotion_rule(0.81, 0.8, margin=0.002, lower_is_better=False, metric="oot_auc").rule,
        promotion_rule(0.07, None, margin=0.002, metric="oot_brier").rule,
    ]
    return rules


def test_every_phrase_of_the_rules_riskmodel_writes_has_its_chinese():
    rules = _rules()
    phrases = " ".join(rules)
    for phrase in (
        "better beyond the noise: kept",
        "not better beyond the noise",
        "the gate is waived",
        "decile calibration gap",
        "observed / predicted",
        "AUC below the last_outcome baseline",
        "is true",
        "is false",
    ):
        assert phrase in phrases, phrase  # the cases reach every branch of the wording
    for rule in rules:
        zh = rule_in("zh", rule)
        assert UNKNOWN_ZH not in zh and _english_words(zh) == set(), (rule, zh)
        assert rule_in("en", rule) == rule


def test_a_clause_no_pattern_knows_is_not_shown_in_english():
    zh = rule_in("zh", "champion: logistic; a new kind of clause; another one.")
    assert zh == f"冠军模型：逻辑回归；{UNKNOWN_ZH}。"


# --------------------------------------------------------- command, browser
def test_the_command_says_the_figures_are_embedded(inputs, tmp_path, capsys):
    training = tmp_path / "run"
    training.mkdir()
    shutil.copy(inputs["training"] / "run.json", training)
    out = tmp_path / "q.html"
    assert main(["report", str(training), "--out", str(out)]) == 0
    assert f"report written to {out} (0 figures embedded)" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.html", "run"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_the_page_renders_in_a_headless_browser_without_console_messages(reports, tmp_path):
    """Chromium loads the page (the policy would report any load it blocks) and takes a screenshot."""
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,1800",
            reports["html"].as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    assert shot.read_bytes().startswith(PNG_MAGIC) and shot.stat().st_size > 50_000
