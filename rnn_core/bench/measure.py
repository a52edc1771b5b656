"""One learner's clicks, timed in a real browser against ``streamlit run app.py``.

* Fresh servers (``REPEATS`` of them): the first page, the first visit of every page and the
  first training, each on a server that has just started (so TensorFlow, models and caches are
  whatever the server prepared by itself).
* One warm server: every other action ``REPEATS`` times: page switches, the step-through's
  Next / Back and a weight edit, the LSTM step-through's Next, a shapes setting, a quiz answer
  on each page, an example review, a training with the default settings, and the language
  switch on every page (it redraws the whole page in the other language).

The learner first switches "predict before I see results" off, so each action's timing ends
with its result on screen (with it on, a training or a review first shows a question).

Each sample is the time from the click until the script run it caused has finished
(``browser.timed_run``), with the server's CPU seconds over the same span. The browser runs on
the same machine as the server, so on a small machine its own work inflates the wall times a
little; the CPU seconds are the server's alone.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import numpy as np

from rnn_core import course
from rnn_core.bench import actions
from rnn_core.bench.browser import CHARTS_DRAWN, DEFAULT_TIMEOUT_MS, timed_load, timed_run
from rnn_core.bench.server import (
    CHROMIUM_ARGS,
    chromium_path,
    cpu_seconds,
    rss_mb,
    streamlit_server,
)
from rnn_core.i18n import translate
from rnn_core.sentiment.user_text import EXAMPLES

REPEATS = 5
# p90 goals in seconds, script finished in the browser, on the 2-core machine.
GOALS: dict[str, float] = {
    "stepthrough_next": 0.25, "stepthrough_back": 0.25, "gates_next": 0.25, "weight_edit": 0.25,
    "quiz_answer": 0.25,
    "shapes_setting": 0.5, "sentiment_example": 0.5, "language_switch": 0.5,
    "page_switch": 1.0, "first_visit_sentiment": 2.5, "first_page_cold": 3.0,
    "sine_train_defaults": 3.0,
}
FRESH_EXTRA_GOAL_S = 2.0  # a fresh server's first visit or training vs the same action warm
VIEWPORT = {"width": 1280, "height": 1400}  # a tall window: the step-through's tables in view


class Recorder:
    """Samples per action: (wall seconds, server CPU seconds)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: dict[str, list[tuple[float, float]]] = {}

    async def time(self, name: str, page, act: Callable[[], Awaitable[object]],
                   charts: bool = False, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> float:
        cpu = cpu_seconds(self.pid)
        seconds = await timed_run(page, act, timeout_ms)
        if charts:
            await page.wait_for_function(CHARTS_DRAWN)
        self.samples.setdefault(name, []).append((seconds, cpu_seconds(self.pid) - cpu))
        return seconds


def summary(samples: list[tuple[float, float]], goal: float | None = None) -> dict:
    walls = [wall for wall, _ in samples]
    result = {"samples_s": [round(wall, 3) for wall in walls],
              "p50_s": round(float(np.percentile(walls, 50)), 3),
              "p90_s": round(float(np.percentile(walls, 90)), 3),
              "server_cpu_s": round(statistics.mean(cpu for _, cpu in samples), 3)}
    if goal is not None:
        result.update(goal_p90_s=goal, meets_goal=result["p90_s"] <= goal)
    return result


async def fresh_server(browser, lang: str) -> dict[str, tuple[float, float]]:
    """First page, first visit of each lesson, first training: one sample each."""
    with streamlit_server() as (url, process):
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        cpu = cpu_seconds(process.pid)
        first = await timed_load(page, f"{url}/?lang={lang}")
        found = {"first_page_cold": (first, cpu_seconds(process.pid) - cpu)}
        await timed_run(page, lambda: actions.predictions_off(page, lang))
        record = Recorder(process.pid)
        for entry in course.LESSONS:  # usable once its run is over; its Keras checks may follow
            await record.time(f"first_visit_{entry.name}", page,
                              lambda n=entry.name: actions.open_page(page, n, lang))
            await actions.keras_checks_shown(page, lang)
        await record.time("page_switch_sine", page, lambda: actions.open_page(page, "sine", lang))
        await record.time("first_training", page, lambda: actions.click(page, "sine.train", lang),
                          charts=True)
        await context.close()
    return found | {name: values[0] for name, values in record.samples.items()}


async def warm_server(browser, lang: str, repeats: int) -> tuple[dict, float]:
    """Every interactive action ``repeats`` times on one server (after a first visit of all):
    the samples and the server's memory at the end."""
    with streamlit_server() as (url, process):
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        await timed_load(page, f"{url}/?lang={lang}")
        await timed_run(page, lambda: actions.predictions_off(page, lang))
        record = Recorder(process.pid)
        for entry in (*course.LESSONS, course.HOME):  # first visits, not recorded
            await timed_run(page, lambda n=entry.name: actions.open_page(page, n, lang))
        await server_idle(process.pid)  # "warm": the server's own warm-up has finished too
        for _ in range(repeats):
            for entry in (*course.LESSONS, course.HOME):
                await record.time(f"page_switch_{entry.name}", page,
                                  lambda n=entry.name: actions.open_page(page, n, lang))
        await _fundamentals(page, record, lang, repeats)
        await _gates(page, record, lang, repeats)
        await _sine(page, record, lang, repeats)
        for name in ("compare", "sentiment"):
            await timed_run(page, lambda n=name: actions.open_page(page, n, lang))
            if name == "sentiment":
                await _sentiment(page, record, lang, repeats)
            await _quiz(page, record, lang, repeats)
        for entry in (*course.LESSONS, course.HOME):
            await timed_run(page, lambda n=entry.name: actions.open_page(page, n, lang))
            await _language_switches(page, record, lang, repeats, entry.name)
        memory = rss_mb(process.pid)
        await context.close()
    return record.samples, memory


async def server_idle(pid: int, window_s: float = 2.0, share: float = 0.05,
                      timeout_s: float = 300.0) -> float:
    """Wait until the server used under ``share`` of one core over ``window_s`` (its background
    warm-up, which reads every example review with every model, is done); seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        before = cpu_seconds(pid)
        await asyncio.sleep(window_s)
        if cpu_seconds(pid) - before < share * window_s:
            break
    return time.monotonic() - started


async def _fundamentals(page, record: Recorder, lang: str, repeats: int) -> None:
    await timed_run(page, lambda: actions.open_page(page, "fundamentals", lang))
    for _ in range(repeats):
        await record.time("stepthrough_next", page,
                          lambda: actions.click(page, "fundamentals.next", lang))
    for _ in range(repeats):
        await record.time("stepthrough_back", page,
                          lambda: actions.click(page, "fundamentals.previous", lang))
    for index in range(repeats):  # W_x's first cell, a new value each time, from the Enter
        await actions.type_weight(page, lang, round(0.31 + index / 100, 2))
        await record.time("weight_edit", page, lambda: actions.commit_edit(page))
    for index in range(repeats):  # the shapes explorer's own "hidden units" input
        await record.time("shapes_setting", page, lambda u=60 + index: actions.set_number(
            page, "fundamentals.units", lang, u, nth=1))
    await _quiz(page, record, lang, repeats)


async def _gates(page, record: Recorder, lang: str, repeats: int) -> None:
    """The LSTM step-through's Next (its pictures and arithmetic are those of a new step)."""
    await timed_run(page, lambda: actions.open_page(page, "gates", lang))
    for _ in range(repeats):
        await record.time("gates_next", page, lambda: actions.click(page, "gates.next", lang))


async def _sine(page, record: Recorder, lang: str, repeats: int) -> None:
    await timed_run(page, lambda: actions.open_page(page, "sine", lang))
    for seed in range(1, repeats + 1):  # a new seed each time: a real training, never the cache
        await actions.set_number(page, "sine.model_seed", lang, seed, commit=False)
        await record.time("sine_train_defaults", page,
                          lambda: actions.click(page, "sine.train", lang), charts=True)
    await _quiz(page, record, lang, repeats)


async def _sentiment(page, record: Recorder, lang: str, repeats: int) -> None:
    names = list(EXAMPLES)
    for index in range(repeats):
        option = translate(f"sentiment.example_{names[(index + 1) % len(names)]}", lang)
        await record.time("sentiment_example", page, lambda o=option: actions.choose(
            page, "sentiment.example_label", lang, o), charts=True)


async def _language_switches(page, record: Recorder, lang: str, repeats: int, name: str) -> None:
    """The sidebar's language switch on page ``name``, back and forth; the page is left in
    ``lang`` (the other actions find their controls by ``lang``'s labels)."""
    other = "ja" if lang == "en" else "en"
    shown = lang
    for _ in range(repeats):
        shown = other if shown == lang else lang
        await record.time(f"language_switch_{name}", page,
                          lambda to=shown: actions.switch_language(page, to))
    if shown != lang:
        await timed_run(page, lambda: actions.switch_language(page, lang))


async def _quiz(page, record: Recorder, lang: str, repeats: int) -> None:
    for _ in range(repeats):
        await record.time("quiz_answer", page, lambda: actions.answer_first_question(page, lang))


def _goal(name: str) -> float | None:
    for action in ("page_switch", "language_switch"):
        if name.startswith(action + "_"):
            return GOALS[action]
    return GOALS.get(name)


async def measure_app(lang: str = "en", repeats: int = REPEATS) -> dict:
    """Every figure of one learner's session; see the module docstring."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(),
                                                   args=CHROMIUM_ARGS)
        fresh_runs = [await fresh_server(browser, lang) for _ in range(repeats)]
        warm, rss = await warm_server(browser, lang, repeats)
        await browser.close()
    fresh = {name: summary([run[name] for run in fresh_runs], _goal(name))
             for name in fresh_runs[0]}
    warm_summary = {name: summary(values, _goal(name)) for name, values in warm.items()}
    return {"fresh_server": fresh, "warm_server": warm_summary,
            "fresh_vs_warm": _fresh_vs_warm(fresh, warm_summary), "rss_mb": round(rss, 1),
            "capacity": capacity(warm), "repeats": repeats, "lang": lang,
            "note": "browser and server share this machine; CPU seconds are the server's"}


def _fresh_vs_warm(fresh: dict, warm: dict) -> dict:
    """How much slower each first visit (and the first training) is than the same action on a
    warm server: p50 differences, and whether each stays within FRESH_EXTRA_GOAL_S."""
    pairs = {f"first_visit_{e.name}": f"page_switch_{e.name}" for e in course.LESSONS}
    pairs["first_training"] = "sine_train_defaults"
    result = {}
    for cold, hot in pairs.items():
        if cold in fresh and hot in warm:
            extra = round(fresh[cold]["p50_s"] - warm[hot]["p50_s"], 3)
            result[cold] = {"extra_s": extra, "meets_goal": extra <= FRESH_EXTRA_GOAL_S}
    return result


def capacity(warm: dict[str, list[tuple[float, float]]], seconds_between: float = 10.0) -> dict:
    """Learners one core serves if each acts once every ``seconds_between`` seconds: the CPU a
    typical action costs the server (the mean over every interactive action, trainings apart,
    which queue behind one lock anyway)."""
    costs = [cpu for name, values in warm.items() if name != "sine_train_defaults"
             for _, cpu in values]
    per_action = statistics.mean(costs)
    return {"server_cpu_s_per_action": round(per_action, 4),
            "learners_per_core": int(seconds_between / per_action) if per_action else None,
            "seconds_between_actions": seconds_between}
