"""The Chinese demo says nothing in English: what `certrisk demo --lang zh` prints, the lists it writes and the
report made from it hold no English sentence of the catalogues, and no run of English words at all.

One demo at scale 0.05 in Chinese (the smallest scale that runs the whole quarter) and one Markdown report from
it, in one test, so that pytest-xdist never builds it twice. The English sentences are the literal parts of the
English catalogue between their fields (every area of ``certrisk/catalogue/``, and the libraries' own words: the
features, the risk points, the indicators and the responses) that hold three words or more; every key exists in
both languages with the same fields (``tests/test_catalogue.py``).

What people read is checked; the files programs read back are not: ``frame.csv`` (sampling's English reason, the
record a draw is verified from), ``estimates.csv`` (its notes are read back by the report, which says them in
Chinese), the training tables, the bilingual feature dictionary, the JSON records. The public XLSX's statement
that it holds no risk class is in both languages on purpose.
"""

from __future__ import annotations

import contextlib
import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from certrisk.cli import main
from features.codes import PROVINCES

pytestmark = pytest.mark.e2e  # a whole demo: in `make test-long`, not `make test`

MIN_WORDS = 3  # a shorter piece ("grade A", "red") may be a code or a name the two languages share
#: Commands and their options are the same in both languages.
SHARED = ("certrisk", "mlflow")
#: A run of this many English words (letters only, between blanks) is a sentence, wherever it comes from.
ENGLISH_RUN = re.compile(r"(?<![\w-])[A-Za-z][a-z']*(?: [A-Za-z][a-z']*){3,}(?![\w-])")


def _strings(value: object) -> Iterator[str]:
    """Every string in a catalogue: a string, or the values of a dict, tuple or list, recursively."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def _catalogues() -> dict[str, object]:
    """The English half of every catalogue of words shown to people, by name: every area of the one catalogue, and
    the words the libraries keep themselves."""
    from certrisk.catalogue import AREAS, area
    from features.dictionary import FEATURES
    from supervision.catalogue import INDICATORS, RISK_POINTS
    from supervision.handling import RESPONSE_NAMES

    return {f"catalogue {name}": area(name)["en"] for name in AREAS} | {
        "responses": RESPONSE_NAMES["en"],
        "features": [spec.label_en for spec in FEATURES],
        "risk points": [point.label_en for point in RISK_POINTS.values()],
        "indicators": [indicator.label_en for indicator in INDICATORS.values()],
    }


def english_sentences() -> dict[str, str]:
    """The English pieces of the catalogues, each with its catalogue: the words between fields and punctuation,
    blanks folded, of at least MIN_WORDS words, commands left out."""
    pieces: dict[str, str] = {}
    for name, catalogue in _catalogues().items():
        for template in _strings(catalogue):
            for literal, *_ in string.Formatter().parse(template):
                for piece in re.split(r"[^A-Za-z' -]+", literal):
                    words = piece.split()
                    if len(words) >= MIN_WORDS and not any(shared in piece for shared in SHARED):
                        pieces.setdefault(" ".join(words), name)
    return pieces


def _cells(path: Path) -> str:
    """Every cell of every sheet of a workbook, one a line."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    finally:
        book.close()


def read_outputs(demo: Path) -> dict[str, str]:
    """What people read of a demo output, by file: the grades with their reasons, the public results, the draw's
    lists, the monitor's lists (CSV and XLSX, about sheets included)."""
    names = ["grades.csv", "grades.xlsx", "public_results.csv", "public_results.xlsx"]
    names += [str(p.relative_to(demo)) for p in sorted(demo.glob("draws/*/*_list.*"))]
    names += [str(p.relative_to(demo)) for p in sorted(demo.glob("monitor/*/*")) if p.suffix in (".csv", ".xlsx")]
    return {
        name: _cells(demo / name) if name.endswith(".xlsx") else (demo / name).read_text(encoding="utf-8-sig")
        for name in names
    }


def _bilingual() -> tuple[str, ...]:
    """What is said in both languages on purpose: the public XLSX's statement that it holds no risk class."""
    from certrisk.draw.xlsx import PUBLIC_STATEMENT

    return tuple(PUBLIC_STATEMENT.values())


def english_in(texts: dict[str, str], sentences: dict[str, str]) -> list[str]:
    """Where an English sentence of the catalogues, or a run of four English words, stands in ``texts`` (what is
    said in both languages on purpose left out)."""
    found = []
    for name, said in texts.items():
        text = said
        for both in _bilingual():
            text = text.replace(both, "")
        folded = " ".join(text.split())
        found += [f"{name}: {piece!r} ({where})" for piece, where in sentences.items() if piece in folded]
        found += [f"{name}: {run!r}" for run in sorted(set(ENGLISH_RUN.findall(text)))]
    return found


def test_the_checker_finds_a_planted_english_sentence_and_a_run_of_english_words():
    from certrisk.catalogue import area, say

    sentences = english_sentences()
    assert len(sentences) > 600  # the catalogue holds that many English pieces of three words or more
    assert "estimates weight each random inspection by" in sentences
    assert sentences["must be a positive integer"] == "catalogue errors"  # the errors and the report's words too
    zh = say("zh", "commands.demo_estimate_note")
    assert english_in({"zh": zh}, sentences) == []
    planted = english_in({"out": zh + say("en", "commands.demo_inspected", n=5, serious=2, share=0.4)}, sentences)
    assert "out: 'drawn bodies inspected' (catalogue commands)" in planted
    assert english_in({"list": "等级 A ×1；风险原因：grade A without events"}, {}) == ["list: 'grade A without events'"]
    assert english_in({"list": "certrisk verify D1 --data DATA；2026-10-01 A B C"}, {}) == []  # no run of words
    assert english_in({"about": "\n".join(_bilingual())}, sentences) == []  # the public statement, on purpose
    assert area("commands")["en"].keys() == area("commands")["zh"].keys()  # tests/test_catalogue.py: every area


@pytest.mark.filterwarnings("ignore:No CJK font is installed")  # then the figures (images) have English labels
def test_the_chinese_demo_and_its_report_say_nothing_in_english(tmp_path):
    out = tmp_path / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--out", str(out), "--scale", "0.05", "--lang", "zh"]) == 0
        (draw,) = sorted(out.glob("draws/*/manifest.json"))
        monitor = sorted(out.glob("monitor/*/monitor.json"))[-1]  # the second quarter, against the first
        report = tmp_path / "报告.md"
        argv = ["report", str(out / "training"), "--draw", str(draw.parent), "--estimates", str(out / "estimates.csv")]
        assert main([*argv, "--monitor", str(monitor.parent), "--lang", "zh", "--out", str(report)]) == 0
    texts = {"printed": printed.getvalue(), "report": report.read_text(encoding="utf-8")} | read_outputs(out)
    assert "[第 9/9 步]" in texts["printed"] and "风险监测预警" in texts["report"]
    assert len(texts) >= 24, sorted(
        texts
    )  # the grades, results and 2 draw lists with XLSX, 2 quarters of monitor files
    assert english_in(texts, english_sentences()) == []
    named = [name for name in texts if name.endswith(("/warnings.csv", "/draw_list.csv"))]  # a province by name
    assert len(named) == 3 and all(any(f",{p}," in texts[n] for p in PROVINCES.values()) for n in named), named
