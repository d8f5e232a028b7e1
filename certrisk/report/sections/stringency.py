"""The section on unifying enforcement standards (统一执法尺度): who finds more or less than expected.

Built from an inspector table (``certrisk stringency``: ``inspector_id``,
``stringency``, ``ci_low``, ``ci_high``, ``n_inspections``, ``assessment_en``
and optionally ``unit``, ``province``, ``as_of``): the counts of each
assessment, a figure of every inspected inspector's estimate with its 95 %
interval, the inspectors whose interval excludes 0, and the provinces.

>>> set(WORDS["en"]) == set(WORDS["zh"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from features.codes import province_name
from riskmodel.figures.style import new_figure

from ...errors import KeyedError
from ..document import _Doc
from ..figures import _Figures, _font_kwargs

REQUIRED = ("inspector_id", "stringency", "ci_low", "ci_high", "n_inspections", "assessment_en")
MORE, LESS, IN_LINE, NONE = (
    "finds more than expected",
    "finds less than expected",
    "in line with expectations",
    "no inspections in the data",
)  # riskmodel.stringency.WORDS, English
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Unifying enforcement standards",
        "source": "inspector table",
        "note": "Each inspector's stringency is how much more, or less, often the inspections they took part in find "
        "problems than the bodies' own risk predicts, on the log-odds scale (0: as expected; +0.69: twice the odds), "
        "estimated jointly with body risk from past inspections (random ones unless the table was made with "
        "--kinds all) and shrunk towards 0, so an inspector with "
        "few inspections stays near 0. An inspector finds more (or less) than expected when the whole 95 % interval "
        "lies above (or below) 0. The estimates are for calibrating standards between inspectors and bureaus, "
        "not a verdict on one inspection.",
        "as_of": "Inspections before {as_of}.",
        "counts": "{more} find more than expected, {less} less, {in_line} in line with expectations; {none} have no "
        "inspections in the data.",
        "flagged": "Inspectors whose interval excludes 0",
        "none_flagged": "No inspector's interval excludes 0: with the inspections so far, every inspector is in line "
        "with expectations.",
        "provinces": "By province",
        "inspector": "inspector",
        "unit": "unit",
        "province": "province",
        "stringency": "stringency (log-odds)",
        "odds": "odds ratio",
        "ci": "95 % interval",
        "to": "to",
        "n": "inspections",
        "assessment": "assessment",
        "inspectors": "inspectors",
        "taken_part": "inspections taken part in",
        "mean": "mean stringency",
        "more": "find more",
        "less": "find less",
        "fig_title": "Inspector stringency with 95 % intervals",
        "fig_x": "inspectors, from the least to the most stringent",
        "fig_y": "stringency (log-odds)",
    },
    "zh": {
        "heading": "统一执法尺度",
        "source": "检查人员执法尺度表",
        "note": "检查人员的执法尺度，指其参加的检查发现问题的频率比被检查机构自身风险所预期的高或低多少（对数优势比；0 表示与预期一致，"
        "+0.69 表示优势翻倍）。该估计依据以往检查（除非以 --kinds all 生成，仅用随机抽查），与机构风险联合估计，并向 0 收缩：检查次数少的人员估计值接近 0。"
        "95% 区间整体高于（低于）0 时，视为发现问题多于（少于）预期。结果用于校准人员和部门之间的执法尺度，不是对单次检查的评判。",
        "as_of": "依据 {as_of} 之前的检查。",
        "counts": "{more} 人发现问题多于预期，{less} 人少于预期，{in_line} 人与预期一致；{none} 人尚无检查记录。",
        "flagged": "区间不含 0 的检查人员",
        "none_flagged": "没有检查人员的区间不含 0：按目前的检查记录，所有人员均与预期一致。",
        "provinces": "分省情况",
        "inspector": "检查人员",
        "unit": "单位",
        "province": "省份",
        "stringency": "执法尺度（对数优势比）",
        "odds": "优势比",
        "ci": "95% 区间",
        "to": "至",
        "n": "检查次数",
        "assessment": "评价",
        "inspectors": "人数",
        "taken_part": "参加检查人次",
        "mean": "平均执法尺度",
        "more": "多于预期",
        "less": "少于预期",
        "fig_title": "检查人员执法尺度及 95% 区间",
        "fig_x": "检查人员（由宽到严）",
        "fig_y": "执法尺度（对数优势比）",
    },
}
ZH_ASSESSMENT = {MORE: "发现问题多于预期", LESS: "发现问题少于预期", IN_LINE: "与预期一致", NONE: "尚无检查记录"}


def check_stringency_table(table: pd.DataFrame, shown: str) -> pd.DataFrame:
    """The inspector table with the columns the section needs (a ValueError naming ``stringency`` otherwise)."""
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        columns, lacking = ", ".join(REQUIRED), ", ".join(missing)
        raise KeyedError("report_errors.columns", name="stringency", columns=columns, shown=shown, missing=lacking)
    if table.empty:
        raise KeyedError("report_errors.no_rows", name="stringency", shown=shown)
    out = table.copy()
    for column in ("stringency", "ci_low", "ci_high", "n_inspections"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    for column in ("unit", "province"):
        out[column] = out[column].fillna("").astype(str) if column in out else ""
    return out


def _stringency_section(doc: _Doc, figs: _Figures, table: pd.DataFrame, lang: str) -> None:
    """Add the section: counts, the figure, the inspectors whose interval excludes 0, the provinces."""
    w = WORDS[lang]
    doc.heading(2, w["heading"] if lang == "zh" else f"{w['heading']} (统一执法尺度)")
    doc.para(w["note"])
    if "as_of" in table and table["as_of"].nunique() == 1:
        doc.para(w["as_of"].format(as_of=str(table["as_of"].iloc[0])[:10]))
    shown = table["assessment_en"].value_counts()
    keys = {"more": MORE, "less": LESS, "in_line": IN_LINE, "none": NONE}
    doc.para(w["counts"].format(**{key: int(shown.get(words, 0)) for key, words in keys.items()}))
    seen = table[table["n_inspections"] > 0]
    if len(seen):
        doc.image(figs.save(_caterpillar(seen, lang), "stringency"), w["fig_title"])
    flagged = table[table["assessment_en"].isin([MORE, LESS])].sort_values("stringency", ascending=False)
    doc.heading(3, w["flagged"])
    if flagged.empty:
        doc.para(w["none_flagged"])
    else:
        doc.table(_inspector_rows(flagged, lang, w))
    if (seen["province"] != "").any():
        doc.heading(3, w["provinces"])
        doc.table(_province_rows(seen, w, lang))


def _inspector_rows(flagged: pd.DataFrame, lang: str, w: dict[str, str]) -> pd.DataFrame:
    words = flagged["assessment_en"].map(ZH_ASSESSMENT) if lang == "zh" else flagged["assessment_en"]
    return pd.DataFrame(
        {
            w["inspector"]: flagged["inspector_id"].astype(str),
            w["unit"]: flagged["unit"],
            w["province"]: flagged["province"].map(lambda code: province_name(code, lang)),
            w["stringency"]: flagged["stringency"].map(lambda v: f"{v:+.2f}"),
            w["odds"]: np.exp(flagged["stringency"]).map(lambda v: f"{v:.2f}"),
            w["ci"]: [
                f"{lo:+.2f} {w['to']} {hi:+.2f}" for lo, hi in zip(flagged["ci_low"], flagged["ci_high"], strict=True)
            ],
            w["n"]: flagged["n_inspections"].astype(int).astype(str),
            w["assessment"]: words,
        }
    )


def _province_rows(seen: pd.DataFrame, w: dict[str, str], lang: str) -> pd.DataFrame:
    """Per province (by its name, in code order): inspectors, inspections taken part in, their weighted mean
    stringency, who finds more or less."""
    rows = []
    for province, group in seen.groupby("province", sort=True):
        weight = group["n_inspections"].to_numpy(dtype=float)
        rows.append(
            {
                w["province"]: province_name(province, lang),
                w["inspectors"]: str(len(group)),
                w["taken_part"]: str(int(weight.sum())),
                w["mean"]: f"{np.average(group['stringency'], weights=weight):+.2f}",
                w["more"]: str(int((group["assessment_en"] == MORE).sum())),
                w["less"]: str(int((group["assessment_en"] == LESS).sum())),
            }
        )
    return pd.DataFrame(rows)


def _caterpillar(seen: pd.DataFrame, lang: str) -> Figure:
    """Every inspected inspector's estimate and 95 % interval, sorted; those whose interval excludes 0 in colour."""
    font, _, shown_lang = _font_kwargs(lang)
    w = WORDS[shown_lang]
    ordered = seen.sort_values("stringency").reset_index(drop=True)
    fig = new_figure(8, 4)
    ax = fig.add_subplot()
    x = np.arange(len(ordered))
    colors: Any = np.where(
        ordered["assessment_en"] == MORE, "#c8553d", np.where(ordered["assessment_en"] == LESS, "#1f5f8b", "#9a9a9a")
    )
    ax.vlines(x, ordered["ci_low"], ordered["ci_high"], colors=colors, linewidth=0.8, alpha=0.7)
    ax.scatter(x, ordered["stringency"], c=colors, s=8, zorder=3)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks([])
    ax.set_xlabel(w["fig_x"], **font)
    ax.set_ylabel(w["fig_y"], **font)
    ax.set_title(w["fig_title"], **font)
    return fig
