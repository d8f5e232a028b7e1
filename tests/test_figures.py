"""Figures: each returns a titled Figure in English or Chinese and saves a PNG."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from features.dictionary import FEATURE_NAMES
from riskmodel.figures import (
    LABELS,
    calibration_figure,
    grade_distribution_figure,
    lift_figure,
    migration_figure,
    psi_figure,
    save_figure,
)
from riskmodel.figures import style as figures
from riskmodel.monitoring import migration_matrix, psi_table

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def calibration_table():
    predicted = np.linspace(0.01, 0.4, 10)
    return pd.DataFrame(
        {
            "bin": range(1, 11),
            "weight": np.linspace(80, 120, 10),
            "predicted": predicted,
            "observed": predicted * np.r_[0.9, 1.1].repeat(5),
        }
    )


def lift_table():
    rate = np.linspace(0.4, 0.01, 10)
    return pd.DataFrame(
        {
            "decile": range(1, 11),
            "weight": 100.0,
            "serious_rate": rate,
            "lift": rate / rate.mean(),
            "cumulative_capture": np.cumsum(rate) / rate.sum(),
        }
    )


def by_grade_table():
    return pd.DataFrame(
        {
            "grade": list("ABCD"),
            "share": [0.6, 0.25, 0.1, 0.05],
            "predicted": [0.03, 0.08, 0.2, 0.45],
            "observed": [0.02, 0.09, 0.18, 0.5],
        }
    )


def psi_result():
    rng = np.random.default_rng(0)
    prev = pd.DataFrame(rng.normal(size=(300, 5)), columns=list(FEATURE_NAMES[:4]) + ["score"])
    cur = prev + rng.normal(0, 0.5, size=prev.shape)
    return psi_table(prev, cur)


def migration_result():
    prev = pd.Series(list("AABCDB"), index=range(6))
    cur = pd.Series(list("ABBDAC"), index=[0, 1, 2, 3, 6, 7])
    return migration_matrix(prev, cur)


MAKERS = {
    "calibration": lambda lang: calibration_figure(calibration_table(), lang),
    "lift": lambda lang: lift_figure(lift_table(), lang),
    "grades_by_grade_table": lambda lang: grade_distribution_figure(by_grade_table(), lang),
    "grades_series": lambda lang: grade_distribution_figure(pd.Series({"A": 0.6, "B": 0.3, "D": 0.1}), lang),
    "grades_quarters": lambda lang: grade_distribution_figure(
        pd.DataFrame({"2025Q1": [0.6, 0.25, 0.1, 0.05], "2025Q2": [0.55, 0.3, 0.1, 0.05]}, index=list("ABCD")), lang
    ),
    "psi": lambda lang: psi_figure(psi_result(), lang),
    "migration": lambda lang: migration_figure(migration_result(), lang),
    "migration_counts": lambda lang: migration_figure(migration_result().counts, lang),
}
TITLE_KEYS = {
    "calibration": "calibration_title",
    "lift": "lift_title",
    "psi": "psi_title",
    "migration": "migration_title",
    "grades": "grade_title",
}


def title_key(name):
    return next(v for k, v in TITLE_KEYS.items() if name.startswith(k))


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_english_figure_has_title_labels_and_saves_png(name, tmp_path):
    fig = MAKERS[name]("en")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == LABELS["en"][title_key(name)]
    assert ax.get_xlabel() and ax.get_ylabel()
    out = save_figure(fig, tmp_path / "sub" / f"{name}.png")
    assert out == tmp_path / "sub" / f"{name}.png"
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 5_000
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary left behind


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_chinese_figure_uses_chinese_labels_when_a_cjk_font_exists(name, tmp_path, monkeypatch):
    font = figures.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-noto-cjk)")
    fig = MAKERS[name]("zh")
    ax = fig.axes[0]
    assert ax.get_title() == LABELS["zh"][title_key(name)]
    assert font in ax.title.get_fontfamily()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph warning when drawing
        data = save_figure(fig, tmp_path / f"{name}.png").read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 5_000


def test_chinese_falls_back_to_english_and_warns_once_without_a_cjk_font(monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    monkeypatch.setattr(figures, "_warned_no_cjk", False)
    with pytest.warns(UserWarning, match=r"No CJK font is installed .*figures use English labels.*fonts-noto-cjk"):
        fig = lift_figure(lift_table(), "zh")
    assert fig.axes[0].get_title() == LABELS["en"]["lift_title"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: the second figure is silent
        fig2 = calibration_figure(calibration_table(), "zh")
    assert fig2.axes[0].get_title() == LABELS["en"]["calibration_title"]
    assert save_figure(fig2, tmp_path / "c.png").stat().st_size > 0


def test_labels_cover_the_same_keys_in_both_languages():
    assert LABELS["en"].keys() == LABELS["zh"].keys()


def test_psi_figure_names_features_by_their_dictionary_label():
    fig = psi_figure(psi_result(), "en")
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert "risk score" in labels and "years since approval" in labels  # score, age_years


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: calibration_figure(calibration_table(), "fr"),
            ValueError,
            r"`lang` must be one of \['en', 'zh'\]; got 'fr'",
        ),
        (
            lambda: calibration_figure(calibration_table().drop(columns="observed")),
            ValueError,
            r"`table` lacks column\(s\) \['observed'\]",
        ),
        (
            lambda: lift_figure(lift_table().iloc[:0]),
            ValueError,
            r"`table` must have at least one row; got an empty table",
        ),
        (lambda: lift_figure(lift_table().to_dict()), TypeError, r"`table` must be a pandas DataFrame; got dict"),
        (
            lambda: psi_figure(pd.DataFrame({"column": ["x"], "psi": [0.1]})),
            ValueError,
            r"`psi_table` lacks column\(s\) \['band'\]",
        ),
        (
            lambda: grade_distribution_figure(pd.Series({"A": 0.5, "E": 0.5})),
            ValueError,
            r"`shares` must be indexed by grades \['A', 'B', 'C', 'D'\]; got \['E'\]",
        ),
        (
            lambda: grade_distribution_figure([0.5, 0.5]),
            TypeError,
            r"`shares` must be a pandas Series or DataFrame; got list",
        ),
        (
            lambda: grade_distribution_figure(pd.Series([], dtype=float)),
            ValueError,
            r"`shares` must hold at least one grade",
        ),
        (
            lambda: migration_figure("AB"),
            TypeError,
            r"`matrix` must be a MigrationMatrix or a DataFrame of counts; got str",
        ),
        (lambda: migration_figure(pd.DataFrame([[1, -1]])), ValueError, r"`matrix` counts must be non-negative"),
        (lambda: save_figure(Figure(), "out.pdf"), ValueError, r"`path` must end in .png; got 'out.pdf'"),
        (lambda: save_figure("fig", "out.png"), TypeError, r"`fig` must be a matplotlib Figure; got str"),
    ],
)
def test_figure_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
