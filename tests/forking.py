"""Kill a real process at a chosen moment of one call, the imports paid once for all the kills.

``Forker(imports, call)`` starts one interpreter that runs ``imports``; then
each :meth:`Forker.kill_when` makes it fork a child that runs
``call(argument)`` at once, and sends that child SIGKILL as soon as
``condition()`` holds, polling every few milliseconds as
``killing.kill_when`` does. A forked child is the state of a fresh process
that has done ``imports``: the moments that matter (what the call has written)
are the same, only the seconds of importing are not repeated for every kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import TracebackType

from killing import ENV, POLL_S

_SERVER = """
import os, sys
{imports}
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            {call}(line.rstrip("\\n"))
        except BaseException:
            code = 1
        os._exit(code)
    print(pid, flush=True)
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class Forker:
    """A process that has done ``imports`` and forks one child per kill, each running ``call(argument)``."""

    def __init__(self, imports: str, call: str) -> None:
        code = _SERVER.format(imports=imports, call=call)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV, text=True
        )
        assert self._readline() == "ready", "the forking process did not start"

    def _readline(self) -> str:
        assert self._proc.stdout is not None
        return self._proc.stdout.readline().strip()

    def kill_when(self, argument: str, condition: Callable[[], bool], *, timeout: float = 300) -> bool:
        """Fork a child running ``call(argument)`` and kill it when ``condition()`` holds; True if killed running."""
        assert self._proc.stdin is not None
        self._proc.stdin.write(argument + "\n")
        self._proc.stdin.flush()
        pid = int(self._readline())
        for _ in range(int(timeout / POLL_S)):  # a bounded number of polls, not a clock
            if condition() or not _alive(pid):
                break
            time.sleep(POLL_S)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        status = int(self._readline())  # the forking process reaps its child and reports how it ended
        return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    def __enter__(self) -> Forker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=30)


def _alive(pid: int) -> bool:
    """Whether the child still runs (or has ended and is not reaped yet: its parent reaps it at once)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
