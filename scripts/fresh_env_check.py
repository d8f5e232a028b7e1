"""The champion loads and predicts in a fresh environment that has only MLflow and the project's wheel.

    python scripts/fresh_env_check.py [--keep DIR] [--pip-args "--no-index --find-links wheels/"]

(``make fresh-env-check``.) Steps, each timed:

1. build the project's wheel (``pip wheel --no-deps``);
2. make a small store: the tiny synthetic system (40 bodies) retrained by
   ``run_training`` into ``made/mlflow.db`` and ``made/mlruns/``; the
   champion's predictions on 20 rows are kept as the expected answer;
3. copy the store (database and artifacts) to another folder and delete the
   original, so nothing can be read from where it was made;
4. create a new virtual environment and install only the wheel and MLflow
   (this MLflow's version; their dependencies from the package index or
   pip's cache);
5. in that environment, isolated from the source tree (``python -I``, run
   from the work folder): open the copied store (``prepare_store`` re-points
   its artifact locations), load ``models:/certrisk-risk-model@champion``
   with plain ``mlflow.pyfunc.load_model``, predict the 20 rows and compare.

Exit 0 when the predictions agree (to 1e-9: the fresh environment may
resolve other patch versions of numpy or scikit-learn), 1 otherwise. The work folder is
removed unless ``--keep`` names one.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import json, sys
import numpy as np, pandas as pd
import mlflow, riskmodel
from riskmodel.tracking import prepare_store
work = sys.argv[1]
uri = "sqlite:///" + work + "/copied/demo/mlflow.db"
prepare_store(uri)  # the copied store's artifact locations now point at its own mlruns/
mlflow.set_tracking_uri(uri)
model = mlflow.pyfunc.load_model("models:/certrisk-risk-model@champion")
X = pd.read_parquet(work + "/rows.parquet")
expected = np.array(json.load(open(work + "/expected.json")))
got = np.asarray(model.predict(X))
print(json.dumps({
    "riskmodel_from": riskmodel.__file__,
    "mlflow": mlflow.__version__,
    "rows": len(X),
    "max_abs_difference": float(np.max(np.abs(got - expected))),
    "equal": bool(np.allclose(got, expected, rtol=0, atol=1e-9)),
}))
"""


@contextmanager
def step(timings: dict[str, float], name: str) -> Iterator[None]:
    print(f"- {name} ...", flush=True)
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 1)
    print(f"  {timings[name]} s", flush=True)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {shlex.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


def make_store(work: Path) -> None:
    """The tiny system retrained into work/made; the champion's predictions on 20 rows in work/expected.json."""
    from certrisk.training_job import run_training
    from features.loading import load_data_dir
    from riskmodel.tracking import load_model
    from simulator import generate_world

    world = generate_world(scale=0.02, seed=11)
    world.write(work / "world")
    data = load_data_dir(work / "world" / "data", as_of=world.as_of)
    uri = f"sqlite:///{work / 'made' / 'mlflow.db'}"
    job = run_training(data, work / "world" / "data", world.as_of, out_dir=work / "made" / "run", tracking_uri=uri)
    rows = job["result"].training.X.head(20)
    rows.to_parquet(work / "rows.parquet")
    expected = load_model(tracking_uri=uri).predict_proba(rows)
    (work / "expected.json").write_text(json.dumps(expected.tolist()))


def copy_store(work: Path) -> None:
    target = work / "copied" / "demo"
    target.mkdir(parents=True)
    shutil.copy2(work / "made" / "mlflow.db", target / "mlflow.db")
    shutil.copytree(work / "made" / "mlruns", target / "mlruns")
    shutil.rmtree(work / "made")


def check(work: Path, pip_args: list[str]) -> dict[str, object]:
    import mlflow

    timings: dict[str, float] = {}
    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "build the wheel",
            lambda: run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "wheel"), str(ROOT)]
            ),
        ),
        ("make a small store (one retraining)", lambda: make_store(work)),
        ("copy the store, delete the original", lambda: copy_store(work)),
        ("new venv: only the wheel and mlflow", lambda: install(work, mlflow.__version__, pip_args)),
    ]
    for name, action in steps:
        with step(timings, name):
            action()
    with step(timings, "load the champion and predict (fresh venv)"):
        done = run([str(work / "venv" / "bin" / "python"), "-I", "-c", CHECK, str(work)], cwd=work)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    freeze = run([str(work / "venv" / "bin" / "python"), "-m", "pip", "freeze"]).stdout.split()
    result.update(timings_s=timings, total_s=round(sum(timings.values()), 1), packages_in_venv=len(freeze))
    return result


def install(work: Path, mlflow_version: str, pip_args: list[str]) -> None:
    run([sys.executable, "-m", "venv", str(work / "venv")])
    (wheel,) = (work / "wheel").glob("certrisk-*.whl")
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", *pip_args]
    run([*pip, str(wheel), f"mlflow=={mlflow_version}"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (must not exist) and keep it")
    parser.add_argument("--pip-args", default="", help="more arguments for pip install, e.g. a local wheel cache")
    args = parser.parse_args()
    if args.keep and Path(args.keep).exists():
        sys.exit(f"--keep: {args.keep} already exists; name a new folder.")
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="certrisk-fresh-env-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = check(work, shlex.split(args.pip_args))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    ok = result["equal"] and "site-packages" in str(result["riskmodel_from"])
    print("fresh environment: the champion loads and predicts" if ok else "fresh environment: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
