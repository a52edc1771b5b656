"""A class at once: many learners following a scripted lesson against one server.

Learners arrive a moment apart (``ARRIVAL_S``) and read between two clicks for ``think_s``
seconds on average (0 for a stress run: each click as soon as the last was answered). Each
opens the course, steps through the SimpleRNN, answers a question, trains the forecaster with a
number of units of their own (pressing Train again if the page says the server stayed busy, or
asks for Train with no forecaster shown, as a learner would; the figures count both), asks the
sentiment models about a review of their own sentiment, and answers another question. Every
action is timed like one learner's (``browser.timed_run``); the server's memory is sampled
throughout. A learner's own results are checked: the forecaster's parameter count must be the
one for *their* units, the verdicts those of *their* review, so no session ever shows another's
work.

All learners share one browser process (a context each) on the server's machine, in Linux's
idle scheduling class (``yielding_chromium``), so they take only the CPU the server leaves:
on two cores their own drawing is slow and is part of what the learners' timings show. So each
action is also timed where the browsers' drawing cannot reach it: by the server's own stamps
(``stamps``), from the learner's request until their script finished. That is the server's
answer time, which one small server owes a class; drawing the answer is each learner's own
machine's work (the one-learner figures).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import numpy as np

from rnn_core.bench import actions
from rnn_core.bench import stamps as stamp_log
from rnn_core.bench.browser import CHARTS_DRAWN, STATE, timed_load, timed_run
from rnn_core.bench.server import CHROMIUM_ARGS, rss_mb, streamlit_server, yielding_chromium
from rnn_core.i18n import translate
from rnn_core.runtime import concurrency

REVIEWS = {  # the learner's own review, and the verdict every model must give it
    "positive": "A wonderful, moving film. Brilliant acting and a beautiful story: I loved it.",
    "negative": "Awful. Boring, badly acted and far too long: the worst film I have seen.",
}
TIMEOUT_MS = 600_000  # trainings queue behind one lock: the last learner waits for the others
ARRIVAL_S = 2.0  # learner i opens the course i * ARRIVAL_S seconds after the first, as a class does
EXCEPTION = '[data-testid="stException"]'  # Streamlit's error box (details redacted or not)
STATE_JS = f"() => {STATE}"  # the page's script state, read when a learner lacks a result
TRAIN_TRIES = 3  # Train pressed at most this often (``_train_again`` says when to press again)


class SessionIds:
    """The Streamlit sessions a learner's page was given (each ``new_session`` message names
    its session): whose stamps in the server's log (``stamps``) are this learner's."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def watch(self, page) -> None:
        page.on("websocket", self._opened)

    def _opened(self, socket) -> None:
        """Read a new connection's frames until it names its session (the first few), then
        stop: the bench's own process shares the server's cores."""
        def received(payload: bytes | str) -> None:
            if isinstance(payload, bytes) and (session := new_session_id(payload)):
                self.ids.add(session)
                socket.remove_listener("framereceived", received)

        socket.on("framereceived", received)


def new_session_id(data: bytes) -> str | None:
    """The session id a ForwardMsg hands a new session, or None for any other message."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg.FromString(data)
    if message.WhichOneof("type") != "new_session":
        return None
    return message.new_session.initialize.session_id or None


def expected_parameters(units: int) -> str:
    """The page's parameter count for a default forecaster with ``units`` (SimpleRNN + Dense)."""
    return f"{units * (1 + units + 1) + units + 1:,}"


async def learner(context, url: str, index: int, lang: str = "en", think_s: float = 0.0) -> dict:
    """One learner's lesson; returns their action timings and what their pages showed."""
    page = await context.new_page()
    pauses = np.random.default_rng(index)  # each learner reads at their own pace
    sessions = SessionIds()
    sessions.watch(page)
    timings: list[tuple[str, float]] = []
    windows: list[tuple[str, float, float]] = []  # (action, asked after, answered by): wall time
    errors: dict[str, int] = {}  # page address -> error boxes seen on it (most at one time)

    async def step(name: str, act, charts: bool = False) -> None:
        await asyncio.sleep(think_s * pauses.uniform(0.5, 1.5))
        armed = time.time()
        seconds = await timed_run(page, act, TIMEOUT_MS)
        windows.append((name, armed, time.time()))
        if charts:
            await page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
        timings.append((name, seconds))
        shown = await page.locator(EXCEPTION).count()  # read on every page: leaving clears it
        address = page.url.split("?")[0]
        errors[address] = max(errors.get(address, 0), shown)

    await asyncio.sleep(index * ARRIVAL_S)
    timings.append(("first_page", await timed_load(page, f"{url}/?lang={lang}", TIMEOUT_MS)))
    await step("open_fundamentals", lambda: actions.open_page(page, "fundamentals", lang))
    await actions.keras_checks_shown(page, lang, TIMEOUT_MS)
    for _ in range(3):
        await step("stepthrough_next", lambda: actions.click(page, "fundamentals.next", lang))
    await step("quiz_answer", lambda: actions.answer_first_question(page, lang))
    await step("open_sine", lambda: actions.open_page(page, "sine", lang))
    units = 2 + index  # every learner their own model size
    await actions.set_number(page, "sine.units", lang, units, commit=False)
    tries, asked_again = 0, []
    while tries < TRAIN_TRIES and (tries == 0 or (reason := await _train_again(page, lang))):
        if tries:
            asked_again.append(reason)
        tries += 1
        await step("sine_train", lambda: actions.click(page, "sine.train", lang), charts=True)
    params = page.locator('[data-testid="stMetric"]').filter(has_text=translate("sine.params",
                                                                                 lang))
    shown_params = await _text_or_empty(params.first.locator('[data-testid="stMetricValue"]'))
    sine_alerts = [] if shown_params else await page.locator(
        '[data-testid="stAlert"]').all_inner_texts()  # what the page said instead
    sine_page = "" if shown_params else {  # and what it showed: its address, state and text
        "url": page.url, "state": await page.evaluate(STATE_JS),
        "text": (await page.locator('[data-testid="stMain"]').inner_text())[-1500:]}
    await step("open_sentiment", lambda: actions.open_page(page, "sentiment", lang))
    sentiment = "positive" if index % 2 == 0 else "negative"
    box = page.get_by_role("textbox", name=translate("sentiment.text_label", lang))
    await box.fill(REVIEWS[sentiment])
    await step("review", lambda: box.press("Control+Enter"))
    await step("prediction_skip", lambda: actions.click(page, "predict.skip", lang), charts=True)
    verdicts = [text.strip() for text in
                await page.locator('[data-testid="stMetricDelta"]').all_inner_texts()]
    await step("quiz_answer", lambda: actions.answer_first_question(page, lang))
    await page.close()
    expected_verdict = translate(f"sentiment.verdict_{sentiment}", lang)
    return {"timings": timings, "windows": windows, "sessions": sessions.ids,
            "exceptions": sum(errors.values()), "learner": index,
            "params_ok": shown_params.strip() == expected_parameters(units),
            "verdicts_ok": bool(verdicts) and all(v == expected_verdict for v in verdicts),
            "shown": {"params": shown_params.strip(), "expected_params": expected_parameters(units),
                      "train_tries": tries, "asked_again": asked_again,
                      "sine_alerts": sine_alerts, "sine_page": sine_page,
                      "verdicts": verdicts, "expected_verdict": expected_verdict}}


async def _train_again(page, lang: str) -> str | None:
    """Why a learner presses Train again (the key of what the page said), or None: the server
    stayed busy, or the page asks for Train with no forecaster shown (a rerun of the learner's
    session, such as a reconnect under load, cancels a training still waiting for the slot)."""
    for key in ("common.training_busy", "sine.status_cancelled", "sine.status_none"):
        shown = page.get_by_text(translate(key, lang).replace("**", ""), exact=True)
        if await shown.count():
            return key
    return None


async def _text_or_empty(locator, timeout_ms: int = 60_000) -> str:
    """The element's text, or "" when it is not there (a learner without a result is reported
    in the class's ``not_own``, not left waiting)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        return await locator.inner_text(timeout=timeout_ms)
    except PlaywrightTimeout:
        return ""


async def _sample_memory(pid: int, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(rss_mb(pid))
        await asyncio.sleep(1.0)


async def run_class(url: str, pid: int, sessions: int, lang: str = "en",
                    think_s: float = 0.0, stamps: Path | None = None) -> dict:
    """``sessions`` learners at once on the server at ``url``, each reading ``think_s`` seconds
    between clicks on average; the figures of the class (the server's answer times when the
    server writes ``stamps``: ``streamlit_server(stamps=…)``)."""
    from playwright.async_api import async_playwright

    memory: list[float] = []
    stop = asyncio.Event()
    async with async_playwright() as playwright:
        with yielding_chromium() as chromium:
            browser = await playwright.chromium.launch(executable_path=chromium,
                                                       args=CHROMIUM_ARGS)
        contexts = [await browser.new_context() for _ in range(sessions)]
        for context in contexts:
            context.set_default_timeout(TIMEOUT_MS)
        sampler = asyncio.create_task(_sample_memory(pid, memory, stop))
        started = time.perf_counter()
        try:
            results = await asyncio.gather(*(learner(context, url, index, lang, think_s)
                                             for index, context in enumerate(contexts)))
        finally:
            stop.set()
            await sampler
            for context in contexts:
                await context.close()
            await browser.close()
        wall = time.perf_counter() - started
    await asyncio.sleep(5)  # the sessions are gone: what does the server keep?
    if stamps is not None:
        server_answers(results, stamp_log.read(stamps))
    return summarize_class(results, memory, rss_mb(pid), wall, think_s)


def server_answers(results: list[dict], stamps: stamp_log.Stamps) -> None:
    """Each learner's actions as the server timed them, into their result's ``server``."""
    for result in results:
        result["server"] = [
            (name, seconds) for name, since, until in result["windows"]
            if (seconds := stamp_log.answer(stamps, result["sessions"], since, until)) is not None]


def summarize_class(results: list[dict], memory: list[float], rss_after: float,
                    wall: float, think_s: float = 0.0) -> dict:
    interactive = [seconds for result in results for name, seconds in result["timings"]
                   if name not in ("sine_train", "first_page")]
    answered = [seconds for result in results for name, seconds in result.get("server", ())
                if name != "sine_train"]
    trainings = [seconds for result in results for name, seconds in result["timings"]
                 if name == "sine_train"]
    return {
        "sessions": len(results), "think_s": think_s, "wall_s": round(wall, 1),
        "exceptions": sum(result["exceptions"] for result in results),
        "own_results": all(result["params_ok"] and result["verdicts_ok"] for result in results),
        "not_own": [{"learner": result["learner"], **result["shown"]} for result in results
                    if not (result["params_ok"] and result["verdicts_ok"])],
        "action_p50_s": round(float(np.percentile(interactive, 50)), 3),
        "action_p90_s": round(float(np.percentile(interactive, 90)), 3),
        "server_answer_p50_s": round(float(np.percentile(answered, 50)), 3) if answered else None,
        "server_answer_p90_s": round(float(np.percentile(answered, 90)), 3) if answered else None,
        "training_p50_s": round(float(np.percentile(trainings, 50)), 3),
        "training_max_s": round(max(trainings), 3),
        "learners_told_busy": sum("common.training_busy" in result["shown"]["asked_again"]
                                  for result in results),
        "learners_asked_to_train_again": sum(
            any(key.startswith("sine.status_") for key in result["shown"]["asked_again"])
            for result in results),
        "rss_peak_mb": round(max(memory), 1) if memory else None,
        "rss_after_mb": round(rss_after, 1),
        "note": ("every browser shares the server's machine; learners arrive "
                 f"{ARRIVAL_S:g} s apart and {_pace(think_s)}; trainings queue behind one "
                 "lock (a wait of at most "
                 f"{concurrency.WAIT_TIMEOUT_S:.0f} s, then the learner presses Train again)"),
    }


def _pace(think_s: float) -> str:
    if think_s <= 0:
        return "click again as soon as their page has answered"
    return f"read {think_s * 0.5:g}-{think_s * 1.5:g} s between clicks"


def measure_class(sessions: int = 16, lang: str = "en", think_s: float = 0.0) -> dict:
    """A fresh server that stamps its answers, and ``sessions`` learners: ``run_class``'s
    figures."""
    with tempfile.TemporaryDirectory(prefix="rnn-lab-class-") as folder:
        stamps = Path(folder) / "stamps.jsonl"
        with streamlit_server(stamps=stamps) as (url, process):
            return asyncio.run(run_class(url, process.pid, sessions, lang, think_s, stamps))
