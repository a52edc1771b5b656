"""Timing what a learner feels, in a real browser: from the click until the script run it caused
has finished, by Streamlit's own signals.

``[data-testid="stApp"]`` carries ``data-test-script-state``, which goes ``running`` when a script
run (a whole page or one fragment) starts and back to ``notRunning`` when it is done; Streamlit's
own end-to-end tests wait for it. That attribute alone cannot tell whether a run happened: a
short run on a busy browser starts and finishes within one React render (all its messages
arrive before the page draws again; a class of six on two cores lost about one click in ten
that way), and a fragment that calls ``st.rerun()`` reads ``notRunning`` for a moment before
the page's own run. So a timing arms a watcher first (``ARM``) that reads the messages the app
reads from its WebSocket, acts, then waits (``RUN_FINISHED``) until a ``script_finished``
message (``ForwardMsg`` field 6) came after the click, the latest of them not "finished early
for a rerun", and the attribute reads ``notRunning`` on a frame after it. A click that reruns
nothing never counts as answered, and neither does the quiet moment before a run begins. (The
status widget that older timings waited for never shows with ``toolbarMode = "minimal"``.)

Both ends are read on the page's own clock: the start is the learner's click (or key) that led
to the app's first message to the server after arming, the end the first frame on which the run
reads finished. What the driver adds around them (Playwright finding the element and checking
it can be clicked, the round trips of its protocol, its polling) is not what a learner waits
for: on two cores it came to 50-150 ms per action, as much as some actions' goals left.

Playwright's async API throughout, so one browser can drive many learners at once (``lesson``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

STATE = "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
ARM = """() => {
  if (window.__rnnlabInput === undefined) {  // the learner's last click or key, on the page clock
    const input = window.__rnnlabInput = {last: null};
    for (const type of ['click', 'keydown']) {
      window.addEventListener(type, event => { input.last = event.timeStamp; }, true);
    }
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {  // the app asks the server for a run
      const run = window.__rnnlabRun;
      if (run !== undefined && run.start === undefined) {
        run.start = input.last !== null && input.last >= run.armed ? input.last
          : performance.now();
      }
      return send.call(this, data);
    };
  }
  if (window.__rnnlabFinished === undefined) {
    const seen = window.__rnnlabFinished = {count: 0, early: false};
    const read = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get;
    Object.defineProperty(MessageEvent.prototype, 'data', {configurable: true, get() {
      const value = read.call(this);
      const status = this.target instanceof WebSocket && value instanceof ArrayBuffer
        ? scriptFinished(new Uint8Array(value)) : null;
      if (status !== null) {  // counted once the page has drawn what came before it
        requestAnimationFrame(() => setTimeout(() => {
          seen.count += 1;
          seen.early = status === 2;  // FINISHED_EARLY_FOR_RERUN: another run follows
        }));
      }
      return value;
    }});
  }
  window.__rnnlabRun = {finished: window.__rnnlabFinished.count, armed: performance.now()};

  function scriptFinished(bytes) {  // a ForwardMsg's top-level field 6 (its status), or null
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
        if (field === 6) return value;
      } else if (wire === 2) {
        const length = varint();  // read before moving: `at += varint()` reads `at` first
        at += length;
      } else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  }
}"""
RUN_FINISHED = f"""() => {{
  const run = window.__rnnlabRun, seen = window.__rnnlabFinished;
  const finished = run !== undefined && seen.count > run.finished && !seen.early
    && {STATE} === 'notRunning';
  if (finished && run.end === undefined) run.end = performance.now();
  return finished;
}}"""
# Seconds from the click to the end, on the page clock (null when no message was sent).
RUN_SECONDS = """() => {
  const run = window.__rnnlabRun;
  return run.start === undefined ? null : (run.end - run.start) / 1000;
}"""
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
    """Seconds from the click (or key) of ``act()`` until the run it started has finished, on
    the page's clock (see the module docstring); the driver's own clock only where the page saw
    no message sent (a run no message asked for)."""
    await wait_quiet(page, timeout_ms)
    await page.evaluate(ARM)
    started = time.perf_counter()
    await act()
    await page.wait_for_function(RUN_FINISHED, timeout=timeout_ms, polling="raf")
    seconds = await page.evaluate(RUN_SECONDS)
    return time.perf_counter() - started if seconds is None else seconds


async def timed_load(page, url: str, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> float:
    """Seconds from asking for ``url`` until the page's first run has finished."""
    started = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(PAGE_READY, timeout=timeout_ms)
    return time.perf_counter() - started
