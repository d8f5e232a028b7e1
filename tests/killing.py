"""Kill a real ``certrisk`` process at a chosen moment: after some seconds, or when a file appears.

``console(...)`` is the argument list of the installed console script (or
``python -m certrisk.cli``); ``kill_when(argv, condition)`` starts the process
and sends it SIGKILL as soon as ``condition()`` is true, polling every few
milliseconds; ``kill_after(argv, seconds)`` kills it after a wall-clock delay.
Both return whether the process was still running when killed, so a test can
insist that the moment it meant to hit was really hit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from features.partials import PARTIAL_PREFIX

POLL_S = 0.003


def console(*args: str) -> list[str]:
    """The real console script with ``args`` (the module when the script is not installed)."""
    script = Path(sys.executable).with_name("certrisk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "certrisk.cli"]
    return [*command, *args]


def python(code: str, *args: str) -> list[str]:
    """A fresh interpreter running ``code`` with ``args`` in ``sys.argv[1:]``."""
    return [sys.executable, "-c", code, *args]


# one thread per process: processes that are killed anyway should not spend CPU spinning up thread pools
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def _start(argv: Sequence[str], cwd: Path | None, umask: int = -1) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv), cwd=cwd, env=ENV, umask=umask, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def run(argv: Sequence[str], *, cwd: Path | None = None, umask: int = -1) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` to its end; stdout and stderr kept apart."""
    return subprocess.run(list(argv), cwd=cwd, env=ENV, umask=umask, capture_output=True, text=True, timeout=600)


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL ``proc``; True if it was still running (then it dies by the signal)."""
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return running and proc.returncode == -signal.SIGKILL


def kill_when(
    argv: Sequence[str],
    condition: Callable[[], bool],
    *,
    timeout: float = 300,
    cwd: Path | None = None,
    umask: int = -1,
) -> bool:
    """Run ``argv`` and kill it the moment ``condition()`` holds; True if it was killed while running."""
    proc = _start(argv, cwd, umask)
    for _ in range(int(timeout / POLL_S)):  # a bounded number of polls, not a clock: tests never read the time
        if proc.poll() is not None or condition():
            break
        time.sleep(POLL_S)
    return _kill(proc)


def kill_after(argv: Sequence[str], seconds: float, *, cwd: Path | None = None, umask: int = -1) -> bool:
    """Run ``argv`` and kill it after ``seconds`` of wall-clock time; True if it was still running."""
    proc = _start(argv, cwd, umask)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass
    return _kill(proc)


def partials(folder: Path) -> list[Path]:
    """The temporaries of outputs in ``folder`` (named with the partial prefix)."""
    return sorted(p for p in folder.iterdir() if p.name.startswith(PARTIAL_PREFIX)) if folder.is_dir() else []


def has_partial_holding(folder: Path, name: str) -> Callable[[], bool]:
    """A condition: some temporary in ``folder`` already holds a file called ``name`` (writing is under way)."""

    def holds() -> bool:
        try:
            return any(next(p.rglob(name), None) is not None for p in partials(folder))
        except OSError:  # a temporary removed while it was being looked through
            return False

    return holds
