"""The one catalogue of words (certrisk/catalogue/): every area, every key in both languages with the same fields,
no Chinese value that is its English one unless it is language-neutral, every key the code names exists; and
--lang zh prints no English sentence of it (the demo's Chinese outputs: tests/test_zh_outputs.py)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from catalogue_cli import GOOD_GRADES
from minimal_data import AS_OF, write_minimal_data

import certrisk.catalogue as catalogue
from certrisk.catalogue import AREAS, area, fields_of, neutral, say
from certrisk.cli import LANGUAGES, main

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_areas_are_the_modules_of_the_catalogue():
    from features.codes import LANGUAGES as CONTRACT

    assert catalogue.LANGUAGES == CONTRACT == LANGUAGES  # a mirror: the catalogue imports no library
    modules = {p.stem for p in (ROOT / "certrisk" / "catalogue").glob("*.py") if p.stem != "__init__"}
    assert set(AREAS) == modules and len(AREAS) == len(set(AREAS))


@pytest.mark.parametrize("name", AREAS)
def test_every_key_in_both_languages_with_the_same_fields(name):
    words = area(name)
    assert set(words) == set(LANGUAGES), name
    assert words["en"].keys() == words["zh"].keys(), set(words["en"]) ^ set(words["zh"])
    left_out = getattr(importlib_module(name), "LEFT_OUT", {})
    same = neutral(name)
    assert same <= words["en"].keys(), same - words["en"].keys()
    for key, english in words["en"].items():
        chinese = words["zh"][key]
        assert fields_of(english) - set(left_out.get(key, ())) == fields_of(chinese), f"{name}.{key}"
        assert (english == chinese) == (key in same), f"{name}.{key}: {chinese!r}"
        filled = {field: 1.5 for field in fields_of(english)}  # every format of the template takes a number
        say("en", f"{name}.{key}", **filled), say("zh", f"{name}.{key}", **filled)


def importlib_module(name: str) -> object:
    return getattr(catalogue, "_module")(name)  # noqa: B009 - the area's module, for its LEFT_OUT


def test_the_chinese_is_chinese():
    """Every Chinese value that is not language-neutral holds a Chinese character or Chinese punctuation."""
    chinese = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
    latin = [
        f"{name}.{key}"
        for name in AREAS
        for key, value in area(name)["zh"].items()
        if key not in neutral(name) and not chinese.search(value)
    ]
    assert latin == ["profile.html_lang"]  # zh-CN, the page's language tag


def _named_keys() -> list[tuple[str, str]]:
    """Every string of the code that names a key of the catalogue (``"area.key"``): (where, key)."""
    found = []
    files = "csv|xlsx|json|md|html|png|parquet|toml|txt"  # estimates.csv is a file, not a key
    pattern = re.compile(rf"^({'|'.join(AREAS)})\.(?!({files})$)\w+$")
    for path in sorted((ROOT / "certrisk").rglob("*.py")):
        if path.parent.name == "catalogue":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_f = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in inside_f
                and pattern.match(node.value)
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def test_every_key_the_code_names_exists():
    named = _named_keys()
    assert len(named) >= 200, len(named)
    missing = [(where, key) for where, key in named if key.partition(".")[2] not in area(key.partition(".")[0])["en"]]
    assert missing == []


def test_a_key_that_does_not_exist_and_a_missing_field_are_refused():
    with pytest.raises(KeyError, match="no area 'nowhere'"):
        say("en", "nowhere.key")
    with pytest.raises(KeyError, match="no_such_key"):
        say("zh", "errors.no_such_key")
    with pytest.raises(KeyError, match="got"):
        say("zh", "errors.out_suffix", option="--out", allowed=".csv")


def _english_pieces() -> set[str]:
    """The words of the English catalogue between its fields, where at least two words stand together (a command
    line such as ``certrisk draw`` is the same in both languages)."""
    pieces = set()
    for name in AREAS:
        for template in area(name)["en"].values():
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
    assert main([*verify, "--seed", "s2", "--lang", "zh"]) == 1  # another seed: the verdict and differences
    said += capsys.readouterr().err
    words = area("commands")["zh"]
    for key in ("features_built", "committed", "drawn", "verified", "not_verified"):
        assert words[key].split("{")[0] in said, key
    english = sorted(piece for piece in _english_pieces() if piece in said)
    assert english == [], english
