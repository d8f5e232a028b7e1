"""The house rules, checked on the code itself.

- Import contract between the packages (see docs/architecture.md):
  ``features`` imports none of the others; ``simulator`` only the data
  contract, code lists and output helpers of ``features``; ``sampling``
  none of the others; ``riskmodel`` and ``supervision`` only ``features``; no library imports
  ``certrisk``.
- Only ``certrisk/cli.py`` and ``certrisk/commands/`` parse arguments or
  print.
- ``certrisk --help`` imports no library and ``certrisk validate`` never
  MLflow or matplotlib.
- ``make test`` runs ruff, mypy and the doctests of every package.
- Public functions carry type annotations.

Each checker is also run on a planted violation, to show that it can fail.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("features", "riskmodel", "sampling", "simulator", "supervision")
PACKAGES = (*LIBRARIES, "certrisk")
ALLOWED: dict[str, tuple[str, ...]] = {
    "features": ("features",),
    "simulator": ("simulator", "features.codes", "features.contracts", "features.atomic", "features.tables"),
    "sampling": ("sampling",),
    "riskmodel": ("riskmodel", "features"),
    "supervision": ("supervision", "features"),
    "certrisk": PACKAGES,
}
COMMAND_LINE = {
    "certrisk/cli.py",
    *(f"certrisk/commands/{p.name}" for p in (ROOT / "certrisk" / "commands").glob("*.py")),
}
PRINTING_MODULES = ("argparse", "tqdm")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str, root: Path) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``, relative imports resolved."""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.append((node.lineno, full if _is_module(full, root) else module))
    return found


def _within(module: str, allowed: tuple[str, ...]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def import_violations(package: str, root: Path = ROOT) -> list[str]:
    """Every import of a project package that the contract forbids to ``package``."""
    bad = []
    for path in sorted((root / package).rglob("*.py")):
        for line, module in imported_modules(path, root):
            if module.split(".")[0] in PACKAGES and not _within(module, ALLOWED[package]):
                bad.append(f"{path.relative_to(root)}:{line} imports {module}")
    return bad


def printing_violations(root: Path = ROOT) -> list[str]:
    """Code outside the command line that prints, writes to the console or parses arguments."""
    bad = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel in COMMAND_LINE:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                    bad.append(f"{rel}:{node.lineno} calls print")
                elif (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("stdout", "stderr")
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "sys"
                ):
                    bad.append(f"{rel}:{node.lineno} uses sys.{node.attr}")
            for line, module in imported_modules(path, root):
                if module.split(".")[0] in PRINTING_MODULES:
                    bad.append(f"{rel}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", PACKAGES)
def test_import_contract(package):
    assert import_violations(package) == []


def test_no_library_imports_the_application():
    for package in LIBRARIES:
        assert not any(m.endswith("imports certrisk") or " imports certrisk." in m for m in import_violations(package))
        assert "certrisk" not in ALLOWED[package]


def test_import_checker_catches_a_planted_forbidden_import(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "features" / "codes.py").write_text("", encoding="utf-8")
    (tmp_path / "sampling" / "bad.py").write_text("from features import codes\n", encoding="utf-8")
    (tmp_path / "simulator" / "bad.py").write_text(
        "from features.builders import x\nfrom features import codes\n", encoding="utf-8"
    )
    (tmp_path / "riskmodel" / "bad.py").write_text("import certrisk.draw\n", encoding="utf-8")
    (tmp_path / "features" / "bad.py").write_text("from .codes import X\nfrom ..riskmodel import y\n", encoding="utf-8")
    assert import_violations("sampling", tmp_path) == ["sampling/bad.py:1 imports features.codes"]
    assert import_violations("simulator", tmp_path) == ["simulator/bad.py:1 imports features.builders"]
    assert import_violations("riskmodel", tmp_path) == ["riskmodel/bad.py:1 imports certrisk.draw"]
    assert import_violations("features", tmp_path) == ["features/bad.py:2 imports riskmodel"]


def test_only_the_command_line_prints_or_parses_arguments():
    assert printing_violations() == []


def test_printing_checker_catches_a_planted_print(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    (tmp_path / "riskmodel" / "noisy.py").write_text(
        "import sys\nprint('x')\nsys.stderr.write('y')\n", encoding="utf-8"
    )
    (tmp_path / "certrisk" / "job.py").write_text("import argparse\n", encoding="utf-8")
    assert printing_violations(tmp_path) == [
        "riskmodel/noisy.py:2 calls print",
        "riskmodel/noisy.py:3 uses sys.stderr",
        "certrisk/job.py:1 imports argparse",
    ]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split("\n")[-2].split())


def test_help_imports_no_library():
    loaded = _loaded_after("from certrisk.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not loaded & {"pandas", "numpy", "features", "riskmodel", "sampling", "mlflow", "matplotlib"}


def test_help_runs_from_the_console_script():
    script = Path(sys.executable).with_name("certrisk")
    if not script.exists():
        pytest.skip("the console script certrisk is not installed beside this interpreter")
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "COMMAND" in out.stdout and "Traceback" not in out.stderr


def test_validate_imports_neither_mlflow_nor_matplotlib(small_data_dir):
    loaded = _loaded_after(
        "import contextlib, io\nfrom certrisk.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    rc = main(['validate', {str(small_data_dir)!r}])\n"
        "assert rc == 0, rc"
    )
    assert "features" in loaded
    assert not loaded & {"mlflow", "matplotlib", "riskmodel", "sklearn"}


def test_command_line_mirrors_of_shared_names_match_their_source():
    from certrisk import cli
    from features.codes import LANGUAGES

    assert cli.LANGUAGES == LANGUAGES


def test_make_test_runs_lint_types_and_every_doctest():
    recipe = re.search(r"^test:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe is not None
    text = recipe.group(1)
    assert "ruff check" in text and "ruff format --check" in text and "mypy" in text
    pytest_line = next(line for line in text.splitlines() if "pytest" in line)
    assert "--doctest-modules" in pytest_line
    for package in PACKAGES:
        assert re.search(rf"\b{package}\b", pytest_line), package


def test_a_broken_docstring_example_fails(tmp_path):
    (tmp_path / "broken_example.py").write_text(
        textwrap.dedent('''
        def double(x):
            """
            >>> double(2)
            5
            """
            return 2 * x
    '''),
        encoding="utf-8",
    )
    spec = importlib.util.spec_from_file_location("broken_example", tmp_path / "broken_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = doctest.testmod(module, report=False)
    assert (result.attempted, result.failed) == (1, 1)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--doctest-modules",
            str(tmp_path / "broken_example.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1 and "1 failed" in done.stdout


def _public_functions():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = _module_name(path, ROOT)
            if any(part.startswith("_") and part != "__init__" for part in name.split(".")):
                continue
            module = importlib.import_module(name)
            for attr, obj in vars(module).items():
                if not attr.startswith("_") and inspect.isfunction(obj) and obj.__module__ == name:
                    yield f"{name}.{attr}", obj


def _unannotated(func) -> list[str]:
    sig = inspect.signature(func)
    missing = [p.name for p in sig.parameters.values() if p.annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_public_functions_are_annotated():
    bad = {name: _unannotated(f) for name, f in _public_functions() if _unannotated(f)}
    assert bad == {}
