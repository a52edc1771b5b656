"""Timing what a learner feels, in a real browser: from the click until the script run it caused
has finished, by Streamlit's own signal.

``[data-testid="stApp"]`` carries ``data-test-script-state``, which goes ``running`` when a script
run (a whole page or one fragment) starts and back to ``notRunning`` when it is done; Streamlit's
own end-to-end tests wait for it. A timing arms a watcher first (``ARM``), acts, then waits until
the watcher has seen a run start *and* finish (``RUN_FINISHED``): a click that reruns nothing
never counts as answered, and neither does the quiet moment before a run begins. (The status
widget that older timings waited for never shows with ``toolbarMode = "minimal"``.)

Playwright's async API throughout, so one browser can drive many learners at once (``lesson``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

STATE = "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
ARM = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__rnnlabRun = {seen: false, done: false};
  if (window.__rnnlabWatched === app) return;
  window.__rnnlabWatched = app;
  new MutationObserver(records => {
    const run = window.__rnnlabRun;
    for (const record of records) if (record.oldValue === 'running') run.seen = true;
    const now = app.getAttribute('data-test-script-state');
    if (now === 'running') run.seen = true;
    if (run.seen && now === 'notRunning') run.done = true;
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
}"""
RUN_FINISHED = "() => window.__rnnlabRun !== undefined && window.__rnnlabRun.done"
# A page just loaded: its state starts as "initial", so "notRunning" means its first run is done.
PAGE_READY = f"() => {STATE} === 'notRunning'"
CHARTS_DRAWN = ("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                ".every(chart => chart.querySelector('.main-svg'))")
DEFAULT_TIMEOUT_MS = 180_000


async def wait_quiet(page, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
    """Until no script runs (say, before arming the next timing)."""
    await page.wait_for_function(PAGE_READY, timeout=timeout_ms)


async def timed_run(page, act: Callable[[], Awaitable[object]],
                    timeout_ms: int = DEFAULT_TIMEOUT_MS) -> float:
    """Seconds from ``act()`` (a click, a key) until the run it started has finished."""
    await wait_quiet(page, timeout_ms)
    await page.evaluate(ARM)
    started = time.perf_counter()
    await act()
    await page.wait_for_function(RUN_FINISHED, timeout=timeout_ms)
    return time.perf_counter() - started


async def timed_load(page, url: str, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> float:
    """Seconds from asking for ``url`` until the page's first run has finished."""
    started = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(PAGE_READY, timeout=timeout_ms)
    return time.perf_counter() - started
