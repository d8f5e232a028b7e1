"""The HTML pages in a real browser: a body's profile page (English and Chinese), the index of a draw's pages
and the quarterly report, opened in headless chromium (Debian's ``chromium``).

Each page must render with no console message (the pages carry no script, and
their Content-Security-Policy makes the browser report any load it blocks),
its DOM must hold what was written, and a screenshot is kept under the test's
temporary folder (the artefact a CI run keeps). A planted page with a script
error and a blocked load shows that the check can fail. Every wait is bounded
by a subprocess timeout. Without chromium the tests are skipped, saying why.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from report_inputs import write_report_inputs

from certrisk.profile_page import Draw, Profiler, write_profile_page, write_profile_pages
from certrisk.report import write_report
from features import load_data_dir
from features.build import build_features
from features.dictionary import FEATURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed (apt-get install chromium): the pages are not opened in a browser",
    ),
]
WINDOW = (1280, 2000)
TIMEOUT = 120  # seconds a browser run may take before the test fails
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
AS_OF = pd.Timestamp("2026-10-01")


@dataclass(frozen=True)
class Rendered:
    """What the browser made of a page: its screenshot, its console messages and its DOM after loading."""

    screenshot: Path
    console: list[str]
    dom: str


def open_in_chromium(page: Path, folder: Path) -> Rendered:
    """Load ``page`` in headless chromium once: its screenshot, its console messages and its DOM."""
    assert CHROMIUM is not None
    shot = folder / f"{page.stem}.png"
    argv = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={folder / 'chromium-profile'}",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={shot}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--dump-dom",
        page.as_uri(),
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return Rendered(shot, console, result.stdout)


def assert_screenshot(shot: Path) -> None:
    """A PNG of the window's size that shows more than a blank page."""
    data = shot.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000, shot
    with Image.open(shot) as image:
        assert image.size == WINDOW
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 100  # text, figures and tables, not a blank page


@pytest.fixture(scope="module")
def profiler(small_data_dir):
    data = load_data_dir(small_data_dir)
    grades = pd.DataFrame(
        {
            "body_id": data.tables["bodies"]["body_id"],
            "grade": "C",
            "override": "penalty_12m",
            "reasons": "complaints in 12 months: 4 (peers 1); audits without sign-in: 9.7% (peers 3.5%)",
        }
    )
    return Profiler(data.tables, build_features(data, AS_OF), grades=grades)


def test_a_profile_page_renders_without_console_messages(profiler, tmp_path):
    page = write_profile_page(profiler, "CB00011", tmp_path / "CB00011.html")
    seen = open_in_chromium(page, tmp_path)
    assert seen.console == []
    assert seen.dom.count('<tr class="feature') == len(FEATURES)
    assert "Panoramic profile of" in seen.dom and "Internal: for the supervising authority only" in seen.dom
    assert seen.dom.count('<tr class="event') > 0 and '<span class="grade grade-C">C</span>' in seen.dom
    assert_screenshot(seen.screenshot)


def test_chinese_pages_and_the_index_render_without_console_messages(profiler, small_data_dir, tmp_path):
    data = load_data_dir(small_data_dir)
    zh = Profiler(data.tables, profiler.features, lang="zh")
    folder = write_profile_pages(zh, Draw("D20261001-test", "2026-10-01", ["CB00002", "CB00019"]), tmp_path / "pages")
    for name, expected in (("index.html", "抽中机构全景画像"), ("CB00019.html", "全部特征与同行比较")):
        seen = open_in_chromium(folder / name, tmp_path)
        assert seen.console == [], name
        assert expected in seen.dom and 'lang="zh-CN"' in seen.dom
        assert_screenshot(seen.screenshot)


def test_the_quarterly_report_renders_without_console_messages(tmp_path):
    inputs = write_report_inputs(tmp_path / "inputs")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # without a CJK font the figures fall back to English labels
        report = write_report(inputs["training"], draw_folder=inputs["draw"], out=tmp_path / "report.html")
    seen = open_in_chromium(report, tmp_path)
    assert seen.console == []
    assert "Quarterly risk report" in seen.dom and seen.dom.count("<img") >= 2
    assert_screenshot(seen.screenshot)


def test_the_check_catches_a_script_error_and_a_blocked_load(tmp_path):
    """A page that loads an image from the network and runs a script: the policy blocks both and says so."""
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    planted = tmp_path / "planted.html"
    planted.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}"></head>'
        '<body><p>planted</p><img src="https://example.invalid/x.png"><script>missing();</script></body></html>',
        encoding="utf-8",
    )
    seen = open_in_chromium(planted, tmp_path)
    assert any("Content Security Policy" in line and "example.invalid" in line for line in seen.console)
    assert any("Executing inline script violates" in line for line in seen.console)  # reported, never run
    assert seen.screenshot.read_bytes().startswith(PNG_MAGIC)
