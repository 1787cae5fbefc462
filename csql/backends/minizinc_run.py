"""Running the `minizinc` binary under a wall-clock watchdog, without asyncio.

minizinc-python's synchronous API calls `asyncio.run`, which fails inside a running event
loop (a notebook, an async service), so csql drives the command line itself: one
`subprocess.Popen` in its own session (so its process group holds `minizinc` and the
`fzn-gecode` it forks), two reader threads for stdout and stderr, and a deadline. MiniZinc's
own `--time-limit` is passed as well, but it covers flattening only loosely (libminizinc
#142, #452), so at the deadline the whole group gets SIGTERM and, after a short grace period,
SIGKILL: no solver process outlives the call.

Output is `--json-stream`: one JSON object per line (`solution`, `status`, `statistics`,
`error`, `warning`), parsed as it arrives so that a time-out keeps the last incumbent.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

GRACE_SECONDS = 0.2  # between SIGTERM and SIGKILL of the process group
_MARGIN_SECONDS = 0.15  # MiniZinc's own limit fires this much before our watchdog


@dataclass(slots=True)
class RunOutcome:
    """What one run printed, already parsed."""

    solutions: list[dict] = field(default_factory=list)  # the `output` objects, in order
    status: str | None = None  # the last `status` message (OPTIMAL_SOLUTION, ...)
    statistics: dict[str, object] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stderr: str = ""
    returncode: int | None = None
    killed: bool = False  # the watchdog ended it
    pid: int = 0  # of `minizinc`, which is also its process group id
    seconds: float = 0.0


def run(command: list[str], deadline: float | None) -> RunOutcome:
    """Run `command` until it exits or `deadline` (a `time.perf_counter()` value) passes."""
    started = time.perf_counter()
    outcome = RunOutcome()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        start_new_session=True, text=True, encoding="utf-8", errors="replace")
    outcome.pid = proc.pid
    lines: queue.Queue[str | None] = queue.Queue()
    stderr_parts: list[str] = []

    def read_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def read_stderr() -> None:
        assert proc.stderr is not None
        stderr_parts.append(proc.stderr.read())

    readers = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    try:
        while True:
            timeout = None if deadline is None else deadline - time.perf_counter()
            if timeout is not None and timeout <= 0:
                outcome.killed = True
                break
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                outcome.killed = True
                break
            if line is None:
                break
            _take(outcome, line)
    finally:
        if not outcome.killed:
            # stdout closed: the process is exiting; give it the rest of the time to do so
            try:
                proc.wait(timeout=_wait_seconds(deadline))
            except subprocess.TimeoutExpired:
                outcome.killed = True
        _kill_group(proc, terminate=outcome.killed)
        proc.wait()
        for reader in readers:
            reader.join(timeout=1.0)
    # lines that arrived between the deadline and the kill still count (a final solution)
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            _take(outcome, line)
    outcome.stderr = "".join(stderr_parts)
    outcome.returncode = proc.returncode
    outcome.seconds = time.perf_counter() - started
    return outcome


def minizinc_time_limit_ms(deadline: float | None) -> int | None:
    """MiniZinc's own `--time-limit`, a little before our watchdog so it can stop cleanly."""
    if deadline is None:
        return None
    return max(1, int((deadline - time.perf_counter() - _MARGIN_SECONDS) * 1000))


def _take(outcome: RunOutcome, line: str) -> None:
    line = line.strip()
    if not line:
        return
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        outcome.warnings.append(line)
        return
    kind = message.get("type")
    if kind == "solution":
        outcome.solutions.append(message.get("output", {}))
    elif kind == "status":
        outcome.status = message.get("status")
    elif kind == "statistics":
        outcome.statistics.update(message.get("statistics", {}))
    elif kind == "error":
        outcome.errors.append(message)
    elif kind == "warning":
        outcome.warnings.append(str(message.get("message", message)))


def _wait_seconds(deadline: float | None) -> float:
    if deadline is None:
        return 5.0
    return max(0.0, deadline - time.perf_counter())


def _kill_group(proc: subprocess.Popen, *, terminate: bool) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after the grace period.

    Without `terminate` (MiniZinc exited by itself) only stragglers of its group are killed.
    The group id is the child's pid (`start_new_session`), so it is known even after the
    child itself has been reaped."""
    pgid = proc.pid
    if not _group_alive(pgid):
        return
    if terminate:
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            return
    ends = time.perf_counter() + GRACE_SECONDS
    while time.perf_counter() < ends:
        if proc.poll() is not None and not _group_alive(pgid):
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
