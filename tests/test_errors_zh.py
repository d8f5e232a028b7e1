"""Under ``--lang zh`` every mistake is said in Chinese: argparse's own, every refusal of the commands (a key of
the catalogue and its fields), the output locations, the operating system's errors; a library's English sentence
is said again in Chinese where the catalogue knows it, else after a Chinese headline.

The option cases of the catalogue of bad inputs (``catalogue_cli.OPTION_CASES``, the English sentences checked
in tests/test_bad_inputs.py) run again in process with ``--lang zh``; a handful run in the real console script.
"""

from __future__ import annotations

import argparse
import ast
import errno
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_cli import GOOD_GRADES, OPTION_CASES, OptionCase
from minimal_data import AS_OF, write_minimal_data

from certrisk.catalogue import Foreign, area, fields_of, read_back
from certrisk.cli import CommandLineParser, main, os_error_message
from certrisk.commands.mistakes import argparse_in, language_of
from certrisk.errors import KeyedError, UsageError, said_in

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Cases whose sentence comes from a library the catalogue has no template for: English after the headline.
LIBRARY_ENGLISH = {"plan budget too large": "无法按要求执行（以下原因为英文原文）："}
#: What a case names that is a description in English words rather than something typed (said in Chinese).
DESCRIBED = {"run folder": "运行目录"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pristine")
    write_minimal_data(root / "data")
    write_minimal_data(root / "core", tables=("bodies", "inspections"))
    (root / "grades.csv").write_text(GOOD_GRADES, encoding="utf-8")
    return root


def _argv(case: OptionCase, pristine: Path, tmp: Path) -> list[str]:
    names = {"data": pristine / "data", "core": pristine / "core", "grades": pristine / "grades.csv", "tmp": tmp}
    return [arg.format(bad=None, **names) for arg in case.argv] + ["--lang", "zh"]


#: Left out to keep the test fast (loading MLflow, making a draw, the report library): their kinds of sentence are
#: said by other cases (a date, a draw folder, a report argument) and the library sentences are pinned below.
SLOW = {"score year only", "profile unknown body", "publish an uncommitted draw", "publish a changed public list"}
SLOW |= {"report missing run"}
ZH_CASES = [c for c in OPTION_CASES if "--lang" not in c.argv and c.id not in SLOW]


@pytest.mark.parametrize("case", ZH_CASES, ids=[c.id for c in ZH_CASES])
def test_every_bad_option_is_said_in_chinese(pristine, tmp_path, capsys, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    if case.setup is not None:
        case.setup(tmp_path, pristine / "data")
    try:
        code = main(_argv(case, pristine, tmp_path))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 1 and out == "", (out, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("certrisk"), err
    assert CJK.search(err), err
    assert DESCRIBED.get(case.option, case.option) in err, err  # the option, the path or the value as typed
    if case.id in LIBRARY_ENGLISH:
        assert LIBRARY_ENGLISH[case.id] in err and case.message in err, err
    else:
        assert case.message not in err, err  # the English sentence is not repeated
    if case.unwritten:
        assert not (tmp_path / case.unwritten).exists()


CONSOLE = ["validate year only", "features without --out", "draw floor in words", "plan reps zero", "unknown command"]


@pytest.mark.parametrize("name", CONSOLE)
def test_the_console_script_refuses_in_chinese(pristine, tmp_path, name):
    case = next(c for c in OPTION_CASES if c.id == name)
    if case.setup is not None:
        case.setup(tmp_path, pristine / "data")
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    done = subprocess.run([*command, *_argv(case, pristine, tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    assert CJK.search(done.stderr) and case.option in done.stderr and case.message not in done.stderr, done.stderr


# ------------------------------------------------------------------ the language, before the arguments are parsed


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["validate", "d", "--lang", "zh"], "zh"),
        (["validate", "d", "--lang=zh"], "zh"),
        (["validate", "--la", "zh", "d"], "zh"),  # an abbreviation argparse accepts
        (["validate", "--lang", "zh", "--lang", "en"], "en"),  # the last one counts, as in argparse
        (["validate", "--lang", "fr"], "en"),  # not a language of the engine
        (["validate", "--lang"], "en"),  # no value
        (["validate", "--", "--lang", "zh"], "en"),  # after --, words are not options
        (["validate", "-l", "zh"], "en"),
    ],
)
def test_the_language_is_read_from_the_words_typed(argv, lang):
    assert language_of(argv) == lang


def _argparse_error(build, argv: list[str], capsys) -> str:
    parser = CommandLineParser(prog="certrisk x")
    parser.lang = "zh"
    build(parser)
    with pytest.raises(SystemExit, match="1"):
        parser.parse_args(argv)
    return capsys.readouterr().err


def _exclusive(parser: argparse.ArgumentParser, required: bool = False) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--alpha", action="store_true")
    group.add_argument("--beta", action="store_true")


ARGPARSE_CASES = {
    "required": (lambda p: p.add_argument("--out", required=True), [], "缺少必需的参数：--out"),
    "invalid choice": (lambda p: p.add_argument("--kinds", choices=["a", "b"]), ["--kinds", "c"], "无效的取值 'c'"),
    "invalid int": (lambda p: p.add_argument("--seed", type=int), ["--seed", "x"], "'x' 不是有效的整数"),
    "invalid float": (lambda p: p.add_argument("--scale", type=float), ["--scale", "x"], "'x' 不是有效的数值"),
    "expected one": (lambda p: p.add_argument("--out"), ["--out"], "参数 --out：需要给出一个值"),
    "at least one": (lambda p: p.add_argument("--ids", nargs="+"), ["--ids"], "至少需要给出一个值"),
    "unrecognized": (lambda p: None, ["--colour", "red"], "无法识别的参数：--colour red"),
    "ambiguous": (
        lambda p: (p.add_argument("--seed"), p.add_argument("--seen")),
        ["--se", "1"],
        "选项 --se 有歧义",
    ),
    "not allowed with": (_exclusive, ["--alpha", "--beta"], "不能与参数 --alpha 同时使用"),
    "one required": (lambda p: _exclusive(p, required=True), [], "参数 --alpha --beta 中必须给出一个"),
    "ignored explicit": (lambda p: p.add_argument("--frontier", action="store_true"), ["--frontier=1"], "'1'"),
}


@pytest.mark.parametrize("name", ARGPARSE_CASES)
def test_argparse_says_its_mistakes_in_chinese(name, capsys):
    build, argv, said = ARGPARSE_CASES[name]
    err = _argparse_error(build, argv, capsys)
    assert said in err and err.startswith("certrisk x：") and err.endswith("（参见 certrisk x --help）。\n"), err
    assert not re.search(r"[a-z]{4,} [a-z]{3,} [a-z]{3,}", err), err  # no English sentence left


def test_a_sentence_of_argparse_no_template_knows_keeps_its_english_after_a_headline():
    said = argparse_in("zh", "argument --x: something new in a later Python")
    assert said == "命令行参数有误（以下为 argparse 的英文原文）：argument --x: something new in a later Python"
    assert argparse_in("en", "anything at all") == "anything at all"


# ------------------------------------------------------------------ keys of the catalogue at every raise


def _raised_keys() -> list[tuple[str, int, str, set[str]]]:
    """Every ``XError("area.key", field=...)`` in certrisk: (file, line, key, keyword names)."""
    kinds = {"UsageError", "KeyedError", "DrawError", "PlanError"}
    found = []
    for path in sorted((ROOT / "certrisk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in kinds:
                first = node.args[0] if node.args else None
                key = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
                assert key is not None, f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id} without a key"
                names = {k.arg for k in node.keywords if k.arg is not None}
                found.append((str(path.relative_to(ROOT)), node.lineno, key, names))
    return found


def test_every_error_raised_names_a_key_of_the_catalogue_with_its_fields():
    raised = _raised_keys()
    assert len(raised) >= 90, len(raised)  # the commands' refusals, the draw's, the report's
    for where, line, key, names in raised:
        name, _, item = key.partition(".")
        english = area(name)["en"]
        assert item in english, f"{where}:{line}: no key {key}"
        assert fields_of(english[item]) == names, f"{where}:{line}: {key} takes {fields_of(english[item])}"


def test_a_keyed_error_is_english_as_a_string_chinese_in_chinese_and_survives_pickling():
    err = UsageError("errors.positive_integer", option="--budget", got=0)
    assert str(err) == "`--budget` must be a positive integer; got 0."
    assert err.in_language("zh") == "`--budget` 须为正整数；实际为 0。"
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is UsageError and again.in_language("zh") == err.in_language("zh")
    with pytest.raises(ValueError, match=r"^`--budget` must be a positive integer; got 0\.$"):
        raise err
    assert UsageError.of(KeyedError("errors.seed_empty")).key == "errors.seed_empty"  # the key is kept


def test_a_library_sentence_is_said_in_chinese_where_known_else_after_the_headline():
    known = UsageError.of(FileNotFoundError("data directory sim/data does not exist."))
    assert known.in_language("zh") == "数据目录 sim/data 不存在。"
    unknown = ValueError("the frame is empty")
    assert said_in("zh", unknown) == "无法按要求执行（以下原因为英文原文）：the frame is empty"
    assert said_in("en", unknown) == "the frame is empty"


def _raised_text(path: Path, kind: str, start: str) -> str:
    """The sentence of the ``kind(...)`` in ``path`` that starts with ``start``, its fields written as ``{name}``
    (what the library says without running it: MLflow's registry is slow to load)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == kind and node.args:
            text = node.args[0]
            parts = text.values if isinstance(text, ast.JoinedStr) else [text]
            said = "".join(p.value if isinstance(p, ast.Constant) else "{x}" for p in parts)
            if said.startswith(start):
                return said
    raise AssertionError(f"no {kind} saying {start!r} in {path}")


def test_the_templates_of_the_libraries_are_their_sentences(tmp_path):
    """Each library says its sentence, and the catalogue reads it back (a changed sentence fails here)."""
    from features import load_data_dir
    from features.panorama import panoramic_profile
    from supervision.rules import RulesError, load_rules

    said = []
    for target in (tmp_path / "none", (tmp_path / "file.csv")):
        if target.suffix:
            target.write_text("x")
        with pytest.raises(FileNotFoundError) as caught:
            load_data_dir(target)
        said.append(str(caught.value))
    import pandas as pd

    features = pd.DataFrame({"body_id": ["CB001"], "as_of": [pd.Timestamp(AS_OF)]})
    with pytest.raises(ValueError, match="is not in the feature table") as caught:
        panoramic_profile(features, "CB999")
    said.append(str(caught.value))
    rules = tmp_path / "rules.toml"
    rules.write_text('version = ""\nsurprise = 1\n[levels]\nblue = 2\nyellow = 1\norange = 3\nred = "x"\n[peers]\n')
    with pytest.raises(RulesError) as problems:
        load_rules(rules)
    said += [rule for _, rule, _ in problems.value.problems]
    assert len(said) >= 7
    for sentence in said:
        assert read_back("zh", sentence) is not None, sentence
    said.append(_raised_text(ROOT / "riskmodel" / "tracking" / "registry.py", "LookupError", "No version of model"))


# ------------------------------------------------------------------ what the command line prints itself


def test_the_operating_systems_errors_in_chinese():
    denied = PermissionError(errno.EACCES, "Permission denied", "out/grades.csv")
    assert os_error_message(denied, "zh") == "out/grades.csv：权限不足；命令已停止，未写入任何输出文件。"
    odd = OSError(errno.ELOOP, "Too many levels of symbolic links", "a")
    assert os_error_message(odd, "zh") == "a：too many levels of symbolic links；命令已停止，未写入任何输出文件。"
    assert (
        os_error_message(denied)
        == "out/grades.csv: permission denied; the command stopped and wrote none of its output files."
    )


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (KeyboardInterrupt(), "已中断；未写入任何内容\n"),
        (OSError(errno.ENOSPC, "No space left on device", "out.csv"), "certrisk validate：out.csv：磁盘空间不足；"),
        (
            FileExistsError("draws/D1 already exists; it is never replaced."),
            "无法按要求执行（以下原因为英文原文）：draws/D1",
        ),
    ],
)
def test_an_interruption_and_a_failed_write_are_said_in_chinese(monkeypatch, capsys, raised, said):
    import certrisk.commands as commands

    def fail(args: argparse.Namespace) -> int:
        raise raised

    monkeypatch.setattr(commands, "validate", fail)
    assert main(["validate", "data", "--lang", "zh"]) == 1
    assert said in capsys.readouterr().err


def test_the_deprecated_positional_out_is_said_in_chinese(tmp_path, capsys):
    from certrisk.commands.common import out_folder

    args = argparse.Namespace(command="generate", out=None, out_alias=str(tmp_path / "sim"), lang="zh")
    assert out_folder(args) == tmp_path / "sim"
    assert (
        capsys.readouterr().err
        == f"certrisk generate：不带 --out 的 OUT 写法已弃用；请写作 `--out {tmp_path / 'sim'}`。\n"
    )


def test_a_library_sentence_without_a_template_is_english_after_a_chinese_headline():
    assert Foreign("no template knows this").in_language("zh") == "no template knows this"
    assert UsageError.of(ValueError("no template knows this")).in_language("zh").startswith("无法按要求执行")
