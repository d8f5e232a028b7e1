"""The research notebooks run top to bottom on a small demo output.

A demo at scale 0.05 (`certrisk demo --out OUT --scale 0.05`, about half a minute) is built
once per test run and shared by the pytest-xdist workers (a file lock decides
which worker builds it); ``tests/test_report.py`` uses the same one through
:func:`shared_demo`. Each notebook is executed with nbclient in a python3
kernel of this interpreter, with ``CERTRISK_DEMO`` pointing at the demo, and
must finish without an error in any cell and without a warning box: no output
on stderr (Jupyter's red box) and no "Warning" in any output. Notebook 04 needs
the real data in ``../shared/data/real``; without them it must still run and
show its skip note.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

from certrisk.cli import main  # noqa: E402
from features.adapters import REAL_DATA_DIR  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DEMO_SCALE = "0.05"
CELL_TIMEOUT = 300  # seconds per cell
REAL_DATA = (REAL_DATA_DIR / "boston").is_dir() and (REAL_DATA_DIR / "sf").is_dir()


def shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `certrisk demo` output at scale 0.05, built once per test run (shared by xdist workers).

    The folder is read-only for the tests: notebooks and reports write elsewhere.
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # shared by the workers of one run
    final = root / f"certrisk-demo-{DEMO_SCALE}"
    done = root / f"certrisk-demo-{DEMO_SCALE}.done"  # beside it: the demo folder stays as the demo wrote it
    with open(root / f"certrisk-demo-{DEMO_SCALE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder; the others wait, then reuse
        try:
            if not done.is_file():
                # Built in place, not renamed: the MLflow store records absolute artifact paths.
                shutil.rmtree(final, ignore_errors=True)
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    code = main(["demo", "--out", str(final), "--scale", DEMO_SCALE])
                assert code == 0, f"`certrisk demo --out {final} --scale {DEMO_SCALE}` failed with exit code {code}"
                demo_printed(final).write_text(printed.getvalue(), encoding="utf-8")
                done.write_text("ok\n", encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return final


def demo_printed(demo: Path) -> Path:
    """The file beside the shared demo that holds what `certrisk demo` printed."""
    return demo.with_name(demo.name + ".out")


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory) -> Path:
    return shared_demo(tmp_path_factory)


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.append(data.get("text/markdown", "") + data.get("text/plain", ""))
    return "\n".join(parts)


def warning_boxes(nb) -> list[str]:
    """Outputs a reader would see as a warning: any stderr stream, any text output saying "Warning"."""
    boxes = []
    for number, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] + [v for k, v in out.get("data", {}).items() if k.startswith("text/")]
            text = "".join(t if isinstance(t, str) else "".join(t) for t in texts)
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                boxes.append(f"cell {number} wrote to stderr: {text[:300]!r}")
            elif "Warning" in text:
                boxes.append(f"cell {number} shows a warning: {text[:300]!r}")
    return boxes


def test_warning_boxes_are_found():
    """The check above catches what a kernel shows in red, and ignores a plain output."""
    nb = nbformat.v4.new_notebook()
    stderr = nbformat.v4.new_output("stream", name="stderr", text="TqdmWarning: IProgress not found.")
    html = nbformat.v4.new_output("display_data", data={"text/html": "<b>FutureWarning</b>"})
    plain = nbformat.v4.new_output("stream", name="stdout", text="118 bodies in the frame")
    nb.cells = [nbformat.v4.new_code_cell(outputs=[plain]), nbformat.v4.new_code_cell(outputs=[stderr, html])]
    assert [b.split(":")[0] for b in warning_boxes(nb)] == ["cell 1 wrote to stderr", "cell 1 shows a warning"]


def _kernel_import(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` where tqdm believes it is in a Jupyter kernel (it looks for ipykernel.zmqshell)."""
    probe = "import sys, types\nsys.modules['ipykernel.zmqshell'] = types.ModuleType('ipykernel.zmqshell')\n" + code
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, check=True)


@pytest.mark.e2e
def test_mlflow_through_riskmodel_shows_no_iprogress_warning():
    """MLflow imports tqdm.auto, which in a kernel without ipywidgets warns "IProgress not found" (the red box
    the notebooks showed); riskmodel.tracking silences that one warning (its MLflow sessions show no bars)."""
    bare = _kernel_import("import IPython\nimport tqdm.auto")
    if "IProgress not found" not in bare.stderr:
        pytest.skip("ipywidgets is installed: tqdm.auto gives no warning to silence")
    through = _kernel_import(
        "import IPython\nfrom riskmodel import load_model\nimport mlflow\nprint(sorted(sys.modules))"
    )
    assert "'tqdm.auto'" in through.stdout  # MLflow did import tqdm.auto: the warning was due here
    assert "IProgress" not in through.stderr, through.stderr


def test_notebooks_found():
    names = [p.name for p in NOTEBOOKS]
    assert names == ["01_quick_start.ipynb", "02_risk_analysis.ipynb", "03_policy_analysis.ipynb", "04_real_data.ipynb"]


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{path.name}: clear the outputs"


def test_notebooks_import_only_public_api():
    """Notebooks import the libraries' top-level names (plus features.adapters for the real data)."""
    allowed = {"features", "riskmodel", "sampling", "simulator", "features.adapters"}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                words = line.strip().split()
                if len(words) >= 2 and words[0] in ("import", "from"):
                    module = words[1].rstrip(",")
                    if module.split(".")[0] in ("features", "riskmodel", "sampling", "simulator", "certrisk"):
                        assert module in allowed, f"{path.name}: imports {module!r}, not a public API"


@pytest.mark.e2e
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, demo_output: Path, monkeypatch):
    monkeypatch.setenv("CERTRISK_DEMO", str(demo_output))
    # The kernel imports the packages from this checkout whatever the installation state.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{str(exc)[-4000:]}")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert warning_boxes(nb) == [], f"{path.name} shows warnings"
    text = _outputs_text(nb)
    if path.name.startswith("03"):  # the what-if section runs on the demo's own world
        generation = json.loads((demo_output / "generation.json").read_text(encoding="utf-8"))
        bodies = len(pd.read_parquet(demo_output / "data" / "bodies.parquet"))
        assert f"the demo's world: scale {generation['scale']}, seed {generation['seed']}, {bodies} bodies" in text
    if path.name.startswith("04"):
        if REAL_DATA:
            assert "AUC" in text
        else:
            assert "Skipped: the real data are not here" in text
