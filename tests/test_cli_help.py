"""The help of the command line: --version, an example and every default in each --help, --lang everywhere, and
every --help in Chinese under --lang zh."""

from __future__ import annotations

import argparse
import re
import shlex
import string
import subprocess
import sys
from pathlib import Path

import pytest

from certrisk import __version__
from certrisk.catalogue import area
from certrisk.cli import LANGUAGES, build_parser, main
from certrisk.commands.help import EXAMPLES
from certrisk.terminal import width

PARSER = build_parser()
COMMANDS: dict[str, argparse.ArgumentParser] = dict(PARSER._subparsers._group_actions[0].choices)


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_version_prints_the_package_version(capsys):
    assert _help(["--version"], capsys) == f"certrisk {__version__}\n"


def test_version_from_the_console_script():
    script = Path(sys.executable).with_name("certrisk")
    if not script.exists():
        pytest.skip("the console script certrisk is not installed beside this interpreter")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"certrisk {__version__}\n", "")


def test_every_command_has_examples():
    assert set(EXAMPLES) == set(COMMANDS)


def _shown_defaults(action: argparse.Action) -> set[str]:
    """How a default may be written in the help: as Python prints it, or a float in short form (1.0 as 1)."""
    default = action.default
    return {str(default)} | ({f"{default:g}"} if isinstance(default, float) else set())


def _option_help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The help lines of one option, as --help prints them, with the line breaks undone."""
    formatter = parser._get_formatter()
    formatter.add_argument(action)
    return " ".join(formatter.format_help().split())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_shows_an_example_and_every_default(command, capsys):
    out = _help([command, "--help"], capsys)
    head = "Examples:" if len(EXAMPLES[command]) > 1 else "Example:"
    assert f"\n{head}\n" in out
    for line in EXAMPLES[command]:
        assert f"\n  {line}\n" in out + "\n"  # kept on one line, as it is copied
    parser = COMMANDS[command]
    with_default = [
        a
        for a in parser._actions
        if a.default not in (None, argparse.SUPPRESS) and not isinstance(a.default, bool) and a.nargs != 0
    ]
    for action in with_default:
        text = _option_help(parser, action)
        assert "default" in text and any(d in text for d in _shown_defaults(action)), (action.dest, text)
        assert text in " ".join(out.split())


def test_a_default_is_said_once():
    """An option whose help already names its default gets no second one; one whose help does not gets it."""
    demo = COMMANDS["demo"]
    scale = next(a for a in demo._actions if a.dest == "scale")
    assert _option_help(demo, scale).count("default") == 1
    train = COMMANDS["train"]
    seed = next(a for a in train._actions if a.dest == "seed")
    assert _option_help(train, seed).endswith("(default: 0)")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_example_is_a_command_line_the_parser_accepts(command):
    for line in EXAMPLES[command]:
        words = shlex.split(line)
        assert words[:2] == ["certrisk", command]
        args = PARSER.parse_args(words[1:])
        assert args.command == command and callable(args.func)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_accepts_lang(command):
    words = shlex.split(EXAMPLES[command][0])[1:]
    words = [w for i, w in enumerate(words) if w != "--lang" and (i == 0 or words[i - 1] != "--lang")]
    lang = next(a for a in COMMANDS[command]._actions if "--lang" in a.option_strings)
    assert tuple(lang.choices) == LANGUAGES
    for code in LANGUAGES:
        assert PARSER.parse_args([*words, "--lang", code]).lang == code


def test_positional_arguments_are_named_as_in_the_usage(capsys):
    """argparse's own error names a missing argument as the usage shows it (DRAW_FOLDER), not by its Python name."""
    with pytest.raises(SystemExit) as exit_info:
        main(["verify"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("certrisk verify: the following arguments are required: DRAW_FOLDER, --data")
    assert "draw_folder" not in err
    assert "usage: certrisk report [-h] [--draw DRAW_FOLDER]" in COMMANDS["report"].format_usage()
    assert "TRAINING_DIR" in COMMANDS["report"].format_usage()


def test_the_output_folder_is_an_option_and_the_old_positional_still_works(tmp_path, monkeypatch, capsys):
    from certrisk.commands.common import out_folder

    monkeypatch.chdir(tmp_path)
    assert out_folder(PARSER.parse_args(["demo"]), "demo-output") == Path("demo-output")
    assert out_folder(PARSER.parse_args(["demo", "--out", "d1"]), "demo-output") == Path("d1")
    assert capsys.readouterr().err == ""
    assert out_folder(PARSER.parse_args(["generate", "old"])) == Path("old")  # the deprecated form, said so
    assert capsys.readouterr().err == "certrisk generate: OUT without --out is deprecated; write `--out old`.\n"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep").write_text("keep")
    assert main(["generate", "full", "--scale", "0.01"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "certrisk generate: OUT without --out is deprecated; write `--out full`.",
        "certrisk generate: OUT 'full' exists and is not empty; choose a new one.",
    ]
    assert "deprecated: the same as --out OUT" in " ".join(COMMANDS["generate"].format_help().split())


ZH_COMMANDS: dict[str, argparse.ArgumentParser] = dict(build_parser("zh")._subparsers._group_actions[0].choices)


def _dropped_english() -> set[str]:
    """The English of the help's catalogue (areas help and help_options) in pieces of two words or more between
    its fields, each one its Chinese does not keep as written (a name such as `certrisk grade` stays in both)."""
    pieces = set()
    for name in ("help", "help_options"):
        words = area(name)
        for key, english in words["en"].items():
            for literal, *_ in string.Formatter().parse(english):
                for piece in re.split(r"[^A-Za-z' ]+", literal):
                    if len(piece.split()) >= 2 and piece.strip() not in words["zh"][key]:
                        pieces.add(piece.strip())
    return pieces


DROPPED = _dropped_english()


def _usage(text: str, prefix: str) -> str:
    """The usage of a help without its prefix, its line breaks undone."""
    assert text.startswith(prefix), text[:40]
    return " ".join(text[len(prefix) : text.index("\n\n")].split())


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS)])
def test_help_in_chinese_lists_every_option_and_default(command, capsys, monkeypatch):
    """`certrisk [COMMAND] --help --lang zh`: Chinese, no English sentence of the help's catalogue, argparse's
    own words in Chinese, the same usage (options, metavars) as in English, every default said, lines that fit."""
    monkeypatch.setenv("COLUMNS", "80")
    argv = [command] if command else []
    english, out = _help([*argv, "--help"], capsys), _help([*argv, "--help", "--lang", "zh"], capsys)
    assert re.search(r"[\u4e00-\u9fff]", out)
    assert _usage(out, "用法：") == _usage(english, "usage: ")  # every option and metavar, as typed
    assert "位置参数：" in out and "\n选项：\n" in out and "显示此帮助信息并退出" in out and "示例：" in out
    assert [w for w in ("usage:", "options:", "Example", "show this help") if w in out] == []
    assert sorted(piece for piece in DROPPED if piece in out) == []
    examples = EXAMPLES[command] if command else ()
    assert all(f"\n  {line}\n" in out + "\n" for line in examples)  # kept on one line, as written
    assert max(width(line) for line in out.splitlines() if line.strip() not in examples) <= 80
    if command is None:
        assert all(f"    {name}" in out for name in COMMANDS)
        return
    parser, zh = COMMANDS[command], ZH_COMMANDS[command]
    for action, chinese in zip(parser._actions, zh._actions, strict=True):
        invocation = parser._get_formatter()._format_action_invocation(action)
        assert f"  {invocation}" in out, invocation  # listed under the same name
        if action.default in (None, argparse.SUPPRESS) or isinstance(action.default, bool) or action.nargs == 0:
            continue
        said = _option_help(zh, chinese)
        assert "默认" in said and any(d in said for d in _shown_defaults(action)), (action.dest, said)
        assert "".join(said.split()) in "".join(out.split())  # Chinese breaks lines without a space


def test_chinese_help_from_the_console_script():
    """The real console script, the language read from the words typed after --help."""
    script = Path(sys.executable).with_name("certrisk")
    if not script.exists():
        pytest.skip("the console script certrisk is not installed beside this interpreter")
    done = subprocess.run([str(script), "draw", "--help", "--lang", "zh"], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("用法：certrisk draw [-h] --grades GRADES --budget BUDGET")
    assert "要抽取的机构数" in done.stdout and "最低入样概率（默认 0.02）" in done.stdout
    assert f"示例：\n  {EXAMPLES['draw'][0]}\n" in done.stdout
