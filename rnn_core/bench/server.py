"""A real ``streamlit run app.py`` on a free localhost port, and what it costs the machine.

Used by ``rnn-lab bench`` and by the browser tests: a fresh server per measurement of a cold
start, its resident memory (``/proc/<pid>/status``) and the CPU time it spent
(``/proc/<pid>/stat``: user + system, every thread of the process), so an action's cost on the
server can be told apart from the browser's, which shares the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rnn_core.storage import REPO_ROOT

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, over all its threads (Linux)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()  # the name may hold spaces; fields after it
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


@contextmanager
def streamlit_server(
    home: str | None = None, log: IO[bytes] | None = None, env: dict[str, str] | None = None,
    script: str = "app.py", stamps: Path | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run <script>`` on a free port; yields (url, process) once it is healthy.

    The server's output goes to ``log`` (tests read it back to look for tracebacks); with
    ``stamps``, the server stamps each request and each script's finish there
    (``rnn_core.bench.stamps``).
    """
    port = free_port()
    environment = {**os.environ, "RNN_LAB_HOME": home or tempfile.mkdtemp(prefix="rnn-lab-"),
                   **(env or {})}
    launcher = ["rnn_core.bench.stamps", str(stamps)] if stamps is not None else ["streamlit"]
    command = [sys.executable, "-m", *launcher, "run", script, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    output = log if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=output,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("streamlit did not become healthy")


def chromium_path() -> str:
    path = os.environ.get("RNN_LAB_CHROMIUM") or shutil.which("chromium")
    if path is None:
        raise ValueError("no chromium found (Debian: apt-get install chromium)")
    return path


@contextmanager
def yielding_chromium() -> Iterator[str]:
    """A Chromium whose every process runs under Linux's ``SCHED_IDLE`` policy, so on a shared
    machine it takes only the CPU the server leaves: a class's browsers stand in for the
    learners' own machines without slowing the server they measure. (Not ``nice 19``: Chromium
    sets its processes' nice values itself.)"""
    with tempfile.TemporaryDirectory(prefix="rnn-lab-chromium-") as folder:
        wrapper = Path(folder) / "chromium"
        wrapper.write_text(
            f"#!{sys.executable}\nimport os, sys\n"
            "os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\n"
            f"os.execv({chromium_path()!r}, [{chromium_path()!r}, *sys.argv[1:]])\n",
            encoding="utf-8")
        wrapper.chmod(0o755)
        yield str(wrapper)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
