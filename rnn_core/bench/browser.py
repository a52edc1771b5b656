"""Timing what a learner feels, in a real browser: from the click until the script run it caused
has finished, by Streamlit's own signal.

``[data-testid="stApp"]`` carries ``data-test-script-state``, which goes ``running`` when a script
run (a whole page or one fragment) starts and back to ``notRunning`` when it is done; Streamlit's
own end-to-end tests wait for it. A timing arms a watcher first (``ARM``), acts, then waits until
the watcher has seen a run start *and* finish (``RUN_FINISHED``): a click that reruns nothing
never counts as answered, and neither does the quiet moment before a run begins. (The status
widget that older timings waited for never shows with ``toolbarMode = "minimal"``.)

A short run on a busy browser can start and finish within one React render: all of its messages
arrive before the page draws again, and the attribute never reads ``running`` (a class of six on
two cores lost about one click in ten that way). So the watcher also reads the messages the app
reads from its WebSocket: a ``script_finished`` (``ForwardMsg`` field 6, any status but
"finished early for a rerun") counts as a run seen, answered once the attribute reads
``notRunning`` on a frame after it.

Playwright's async API throughout, so one browser can drive many learners at once (``lesson``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

STATE = "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
ARM = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__rnnlabFinished === undefined) {
    window.__rnnlabFinished = {count: 0};
    const read = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get;
    Object.defineProperty(MessageEvent.prototype, 'data', {configurable: true, get() {
      const value = read.call(this);
      if (this.target instanceof WebSocket && value instanceof ArrayBuffer
          && scriptFinished(new Uint8Array(value))) {
        requestAnimationFrame(() => setTimeout(() => { window.__rnnlabFinished.count += 1; }));
      }
      return value;
    }});
  }
  window.__rnnlabRun = {seen: false, done: false, finished: window.__rnnlabFinished.count};
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

  function scriptFinished(bytes) {  // a ForwardMsg whose top-level field 6 is not 2
    let at = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; }
      while (byte & 128 && at < bytes.length);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) {
        const value = varint();
        if (field === 6) return value !== 2;
      } else if (wire === 2) {
        const length = varint();  // read before moving: `at += varint()` reads `at` first
        at += length;
      } else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return false;
    }
    return false;
  }
}"""
RUN_FINISHED = f"""() => {{
  const run = window.__rnnlabRun;
  if (run === undefined) return false;
  return run.done || (window.__rnnlabFinished.count > run.finished && {STATE} === 'notRunning');
}}"""
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
