"""What the commands print, in both languages (certrisk/phrases.py): the same keys and fields, and --lang zh
prints no English line of the catalogue."""

from __future__ import annotations

import re
import string

import pytest
from catalogue_cli import GOOD_GRADES
from minimal_data import AS_OF, write_minimal_data

from certrisk.cli import LANGUAGES, main
from certrisk.phrases import TEXT, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_phrase_exists_in_both_languages_with_the_same_fields():
    assert set(TEXT) == set(LANGUAGES)
    assert set(TEXT["en"]) == set(TEXT["zh"])
    for key, english in TEXT["en"].items():
        assert _fields(english) == _fields(TEXT["zh"][key]), key
        assert re.search(r"[\u4e00-\u9fff]", TEXT["zh"][key]), f"{key} is not in Chinese"


def test_a_phrase_is_filled_in():
    assert text("en", "not_verified", draw_id="D1", n=2) == "draw D1 does NOT verify: 2 difference(s)"
    assert text("zh", "not_verified", draw_id="D1", n=2) == "抽查批次 D1 复核未通过：2 处不一致"
    with pytest.raises(KeyError, match="n"):
        text("en", "not_verified", draw_id="D1")


def _english_pieces() -> set[str]:
    """The words of the English catalogue between its fields, where at least two words stand together (a command
    line such as ``certrisk draw`` is the same in both languages)."""
    pieces = set()
    for template in TEXT["en"].values():
        for literal, *_ in string.Formatter().parse(template):
            for piece in re.split(r"[^A-Za-z' ]+", literal):
                if len(piece.split()) >= 2 and "certrisk" not in piece and "mlflow" not in piece:
                    pieces.add(piece.strip())
    return pieces


def test_the_chinese_messages_of_features_commit_draw_and_verify_hold_no_english_line(tmp_path, capsys):
    data = write_minimal_data(tmp_path / "data")
    core = write_minimal_data(tmp_path / "core", tables=("bodies", "inspections"))  # no inspectors: no teams
    grades = tmp_path / "grades.csv"
    grades.write_text(GOOD_GRADES, encoding="utf-8")
    policy = [str(core), "--grades", str(grades), "--budget", "10", "--out", str(tmp_path / "draws")]
    policy += ["--draw-id", "Z1", "--lang", "zh"]
    runs = [
        ["features", str(data), "--as-of", AS_OF, "--out", str(tmp_path / "f.csv"), "--lang", "zh"],
        ["commit", *policy],
        ["draw", *policy, "--seed", "s1"],
    ]
    said = ""
    for argv in runs:
        assert main(argv) == 0, argv
        said += capsys.readouterr().out
    hash_line = next(line for line in said.splitlines() if re.fullmatch(r"  [0-9a-f]{64}", line))
    verify = ["verify", str(tmp_path / "draws" / "Z1"), "--data", str(core), "--commitment", hash_line.strip()]
    assert main([*verify, "--seed", "s1", "--lang", "zh"]) == 0
    said += capsys.readouterr().out
    assert main([*verify, "--seed", "s2", "--lang", "zh"]) == 1  # another seed: the verdict on stderr
    said += capsys.readouterr().err.splitlines()[0]
    for key in ("features_built", "committed", "drawn", "verified", "not_verified"):
        assert TEXT["zh"][key].split("{")[0] in said, key
    english = sorted(piece for piece in _english_pieces() if piece in said)
    assert english == [], english
