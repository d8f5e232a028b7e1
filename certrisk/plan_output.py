"""How a plan is shown: its summary in words (English or Chinese) and the yield-precision frontier figure.

The summary reads the plan's table (:func:`certrisk.plan_job.plan_quarter_from_data`):
half-widths in percentage points, the difference (model-assisted) estimate
beside the Hajek one with the median ratio of their widths, and the domains
expected to be suppressed or unstable with the reason. Nothing here prints;
matplotlib is loaded only when the figure is drawn.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from features.codes import province_name
from sampling.planning import Plan

from .catalogue import words
from .plan_job import flag_reason

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .draw import DrawConfig

__all__ = ["PLAN_FILES", "frontier_figure", "frontier_summary", "plan_summary", "plan_writers"]

#: The files of ``certrisk plan --out DIR``: the plan's table, and with ``--frontier`` the frontier and its figure.
PLAN_FILES = ("plan.csv", "frontier.csv", "frontier.png")

COLUMNS = ("scope", "hajek", "assisted", "ratio", "flag")  # of the plan table (catalogue: plan.column_*)
FRONTIER_COLUMNS = ("t", "multipliers", "serious", "hajek", "assisted", "certificates")
_SHOWN_SUPPRESSED = 8  # suppressed provinces named in the summary; the rest are counted


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _grid(cells: list[tuple[str, ...]], left: tuple[int, ...]) -> list[str]:
    """Rows of cells in aligned columns: the columns in ``left`` flush left, the others flush right."""
    widths = [max(_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    out = []
    for row in cells:
        pads = [" " * (w - _width(c)) for c, w in zip(row, widths, strict=True)]
        out.append(
            "  "
            + "  ".join(c + pad if i in left else pad + c for i, (c, pad) in enumerate(zip(row, pads, strict=True)))
        )
    return out


def _points(value: float) -> str:
    return "-" if not np.isfinite(value) else f"±{100 * value:.1f}"


def _label(t: dict[str, Any], scope: str, domain: str, lang: str) -> str:
    """A domain in words: "grade A", a province by its name in ``lang`` ("Shandong", "山东")."""
    shown = province_name(domain, lang) if scope == "province" else domain
    return t[scope].format(domain=shown) if scope in ("grade", "province") else t[scope]


def _rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per rate estimate: the Hajek (or two-stage) row with its difference row's half-width and ratio."""
    base = table[table["estimator"].isin(["pooled_hajek_ratio", "two_stage_ratio"])]
    diff = table[table["estimator"].isin(["difference", "difference_two_stage"])].set_index(["scope", "domain"])
    key = pd.MultiIndex.from_frame(base[["scope", "domain"]])
    out = base.assign(
        difference=diff["half_width"].reindex(key).to_numpy(),
        ratio=diff["width_vs_hajek"].reindex(key).to_numpy(),
    )
    order = {"overall": 0, "grade": 1, "province": 2, "certificates": 3}
    return out.assign(order=out["scope"].map(order)).sort_values(["order", "domain"]).reset_index(drop=True)


def _table_lines(t: dict[str, Any], rows: pd.DataFrame, lang: str) -> list[str]:
    """The half-width table: every rate except the provinces expected to be suppressed."""
    shown = rows[(rows["expected_flag"] != "suppressed") | (rows["scope"] != "province")]
    cells = [tuple(t[f"column_{c}"] for c in COLUMNS)] + [
        (
            _label(t, r.scope, r.domain, lang),
            _points(r.half_width),
            _points(r.difference),
            "-" if not np.isfinite(r.ratio) else f"{r.ratio:.2f}",
            t[f"flag_{r.expected_flag}"],
        )
        for r in shown.itertuples()
    ]
    return _grid(cells, left=(0,))


def _flag_lines(t: dict[str, Any], rows: pd.DataFrame, lang: str) -> list[str]:
    """The domains expected to be suppressed or unstable, one per line with the reason (many provinces counted)."""
    lines = []
    for flag in ("suppressed", "unstable"):
        hit = rows[rows["expected_flag"] == flag]
        if hit.empty:
            continue
        lines.append(t[flag])
        provinces = hit[hit["scope"] == "province"]
        many = flag == "suppressed" and len(provinces) > _SHOWN_SUPPRESSED
        for _, r in (hit[hit["scope"] != "province"] if many else hit).iterrows():
            lines.append(f"  - {_label(t, r['scope'], r['domain'], lang)}{t['colon']}{flag_reason(r, lang)}")
        if many:
            names = ("、" if lang == "zh" else ", ").join(
                province_name(code, lang) for code in provinces["domain"].head(_SHOWN_SUPPRESSED)
            )
            lines.append(f"  - {t['more'].format(n=len(provinces), names=names)}{t['colon']}{t['few_drawn']}")
    return lines


def plan_summary(plan: Plan, config: DrawConfig, lang: str = "en") -> str:
    """A plan in a few lines: yield, certificates, half-widths (Hajek beside model-assisted), expected flags."""
    t: dict[str, Any] = words(lang, "plan")
    policy = config.policy
    grades = ", ".join(f"{g} {m:g}" for g, m in policy.grade_multipliers.items())
    ccc = {
        "en": {"inside": "inside the budget", "on_top": "on top of the budget"},
        "zh": {"inside": "（计入预算）", "on_top": "（预算外）"},
    }
    rows = _rows(plan.table)
    lines = [
        t["head"].format(budget=plan.budget, as_of=config.as_of.date(), reps=plan.reps),
        t["policy"].format(
            grades=grades, floor=policy.floor, weight=policy.certificate_weight, ccc=ccc[lang][policy.ccc_budget]
        ),
        t["serious"].format(serious=plan.expected_serious, rate=plan.expected_rate),
        t["certs"].format(checked=plan.expected_checked, problems=plan.expected_problems),
        t["table"],
        *_table_lines(t, rows, lang),
        *_flag_lines(t, rows, lang),
    ]
    return "\n".join(lines)


def frontier_summary(table: pd.DataFrame, lang: str = "en") -> str:
    """The frontier as a small text table: yield and the overall and certificate half-widths per steepness."""
    t: dict[str, Any] = words(lang, "plan")
    cells = [tuple(t[f"frontier_column_{c}"] for c in FRONTIER_COLUMNS)] + [
        (
            f"{r.steepness:g}",
            r.grade_multipliers,
            f"{r.expected_serious:.1f}",
            _points(r.hajek_half_width),
            _points(r.difference_half_width),
            _points(r.certificates_half_width),
        )
        for r in table.itertuples()
    ]
    return "\n".join([t["frontier"], *_grid(cells, left=(1,))])


def frontier_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Yield (x) against the overall half-width (y), one labelled point per steepness, Hajek and model-assisted."""
    from riskmodel.figures.style import new_figure, style_for

    style = style_for(lang)
    t: dict[str, Any] = words(style.lang, "plan")
    fig = new_figure(7.0, 4.8)
    ax = fig.add_subplot()
    x = table["expected_serious"].to_numpy(dtype=float)
    for column, key, color, marker in (
        ("hajek_half_width", "fig_hajek", "#1f5f8b", "o"),
        ("difference_half_width", "fig_difference", "#c8553d", "s"),
    ):
        ax.plot(x, 100 * table[column].to_numpy(dtype=float), marker=marker, color=color, label=t[key])
    for xi, yi, steep in zip(x, 100 * table["hajek_half_width"], table["steepness"], strict=True):
        text = f"t = {steep:g}" + (f" ({t['fig_policy']})" if steep == 1 else "")
        ax.annotate(text, (xi, yi), textcoords="offset points", xytext=(4, 6), fontsize=8, **style.font)
    ax.set_xlabel(t["fig_x"], **style.font)
    ax.set_ylabel(t["fig_y"], **style.font)
    ax.set_title(t["fig_title"], **style.font)
    ax.margins(x=0.12)
    top = np.nanmax(100 * table[["hajek_half_width", "difference_half_width"]].to_numpy(dtype=float))
    ax.set_ylim(0, 1.2 * top if np.isfinite(top) and top > 0 else 1)  # from zero: a few per cent is noise
    ax.grid(alpha=0.3)
    ax.legend(prop=style.prop, frameon=False, loc="lower right")
    return fig


def plan_writers(
    out: Path, plan: Plan, curve: pd.DataFrame | None, lang: str = "en"
) -> dict[Path, Callable[[Path], None]]:
    """The writer of every file of ``out`` (:data:`PLAN_FILES`; the frontier's only with ``curve``), for one atomic write."""
    from .tables import write_table

    writers: dict[Path, Callable[[Path], None]] = {out / PLAN_FILES[0]: lambda path: write_table(plan.table, path)}
    if curve is not None:
        fig = frontier_figure(curve, lang)
        writers[out / PLAN_FILES[1]] = lambda path: write_table(curve, path)
        writers[out / PLAN_FILES[2]] = lambda path: fig.savefig(path, format="png", dpi=150)
    return writers
