"""Benchmarks of the running app: cold start, page switches and the server's memory.

Speed and memory goals are checked here, never in timed unit tests: ``rnn-lab bench --json``
starts ``streamlit run app.py`` on a free localhost port, opens it in headless Chromium
(Playwright, a development dependency), and records

* ``cold_start_s``: from starting the server to the first page usable (title drawn, script done);
* ``page_switch_s``: for each page, from clicking its link in the navigation to the same state;
* ``rss_mb``: the server's resident memory after every page has been visited (the sentiment
  page loads every shipped model), read from ``/proc/<pid>/status``.
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

from rnn_core import course
from rnn_core.i18n import translate
from rnn_core.storage import REPO_ROOT

GOALS = {"cold_start_s": 5.0, "page_switch_s": 1.0, "rss_mb": 800.0}
SETTLED = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


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


@contextmanager
def streamlit_server(
    home: str | None = None, log: IO[bytes] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` on a free port; yields (url, process) once it is healthy.

    The server's output goes to ``log`` (tests read it back to look for tracebacks).
    """
    port = free_port()
    env = {**os.environ, "RNN_LAB_HOME": home or tempfile.mkdtemp(prefix="rnn-lab-bench-")}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    output = log if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=output,
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


def _wait_usable(page, lang: str, entry: course.CoursePage, timeout_ms: int = 120_000) -> None:
    title = translate(entry.title_key, lang)
    page.get_by_role("heading", name=title).first.wait_for(timeout=timeout_ms)
    page.wait_for_function(SETTLED, timeout=timeout_ms)


def measure_app(lang: str = "en") -> dict[str, object]:
    """Cold start, page switches (twice: first visit, then warm) and RSS, in one server."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # a development dependency
        raise ValueError("playwright is not installed: pip install -e '.[dev]'") from error
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=["--no-sandbox", "--disable-gpu"])
        started = time.perf_counter()
        with streamlit_server() as (url, process):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/?lang={lang}")
            _wait_usable(page, lang, course.HOME)
            cold_start = time.perf_counter() - started
            first_visit = _visit_all(page, lang)
            warm_visit = _visit_all(page, lang)
            memory = rss_mb(process.pid)
            page.close()
        browser.close()
    return {
        "cold_start_s": round(cold_start, 3),
        "page_switch_first_s": first_visit,
        "page_switch_s": warm_visit,
        "page_switch_max_s": max(warm_visit.values()),
        "rss_mb": round(memory, 1),
        "goals": GOALS,
    }


def _visit_all(page, lang: str) -> dict[str, float]:
    """Click every page's navigation link in course order; seconds until each is usable."""
    timings = {}
    for entry in (*course.LESSONS, course.HOME):
        link = page.locator('[data-testid="stSidebarNav"] a').filter(
            has_text=translate(f"nav.{entry.name}", lang)).first
        started = time.perf_counter()
        link.click()
        _wait_usable(page, lang, entry)
        timings[entry.name] = round(time.perf_counter() - started, 3)
    return timings
