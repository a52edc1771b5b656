"""The benchmark times what a learner feels: a click counts as answered only once the run it
started has finished (a page that sleeps 2 s after a click must read as at least 2 s)."""

import asyncio
import time

import pytest

from rnn_core import bench
from rnn_core.bench import measure
from rnn_core.bench import stamps as stamp_log
from tests.test_e2e import CHROMIUM

pytestmark = pytest.mark.e2e

SLOW_PAGE = '''
import time
import streamlit as st

st.title("Slow page")

@st.fragment
def part():
    if st.button("Slow fragment"):
        time.sleep(1.0)
    st.write("fragment drawn")

part()

@st.fragment
def rerunner():
    if st.button("Rerun the page"):
        st.session_state.slow_rerun = True
        st.rerun()

rerunner()
if st.session_state.pop("slow_rerun", False):
    time.sleep(1.5)
if st.button("Slow page button"):
    time.sleep(2.0)
st.write("page drawn")
'''


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_a_timed_click_waits_for_the_run_it_started(tmp_path):
    async_api = pytest.importorskip("playwright.async_api")
    script = tmp_path / "slow.py"
    script.write_text(SLOW_PAGE)

    windows: dict[str, tuple[float, float]] = {}  # wall time around each timed click

    async def timed(name: str, page, act) -> float:
        since = time.time()
        seconds = await bench.timed_run(page, act)
        windows[name] = (since, time.time())
        return seconds

    async def main(url: str) -> tuple[float, float, float, float, float]:
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=bench.CHROMIUM_ARGS)
            page = await browser.new_page()
            load = await bench.timed_load(page, url)
            whole = await timed("whole", page, lambda: page.get_by_role(
                "button", name="Slow page button").click())
            fragment = await timed("fragment", page, lambda: page.get_by_role(
                "button", name="Slow fragment").click())
            rerun = await timed("rerun", page, lambda: page.get_by_role(
                "button", name="Rerun the page").click())

            async def hesitant_click() -> None:  # the driver dawdles before it clicks
                await asyncio.sleep(1.5)
                await page.get_by_role("button", name="Slow page button").click()

            from_click = await bench.timed_run(page, hesitant_click)
            await browser.close()
            return load, whole, fragment, rerun, from_click

    stamps = tmp_path / "stamps.jsonl"
    with bench.streamlit_server(home=str(tmp_path), script=str(script), stamps=stamps) as (
            url, _):
        load, whole, fragment, rerun, from_click = asyncio.run(main(url))
    assert 0 < load < 60
    assert 2.0 <= whole < 30  # the page slept 2 s after the click
    assert 1.0 <= fragment < 30  # a fragment's own run is seen too
    assert 1.5 <= rerun < 30  # a fragment's st.rerun(): the page run it asked for, not the fragment
    assert 2.0 <= from_click < 3.4  # from the click: the driver's 1.5 s before it is not counted
    log = stamp_log.read(stamps)  # the server's own clock: the same runs, no longer than felt
    server = {name: stamp_log.answer(log, log, *window) for name, window in windows.items()}
    assert len(log) == 1  # one browser tab, one session
    assert 2.0 <= server["whole"] <= whole and 1.0 <= server["fragment"] <= fragment
    assert 1.5 <= server["rerun"] <= rerun  # the page run after the fragment's early finish


QUICK_PAGE = '''
import streamlit as st

@st.fragment
def counter():
    clicks = st.session_state.setdefault("clicks", 0)
    if st.button("Count"):
        st.session_state.clicks = clicks = clicks + 1
    st.write(f"clicks: {clicks}")

counter()
'''
CLICKS = 12


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_a_run_too_short_to_draw_running_still_counts_as_answered(tmp_path):
    """On a slowed-down browser a fragment run's messages all arrive before the page draws
    again, so the script state never reads "running"; every click must still be answered."""
    async_api = pytest.importorskip("playwright.async_api")
    script = tmp_path / "quick.py"
    script.write_text(QUICK_PAGE)

    async def main(url: str) -> str:
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=bench.CHROMIUM_ARGS)
            page = await browser.new_page()
            await bench.timed_load(page, url)
            cdp = await page.context.new_cdp_session(page)
            await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 20})
            button = page.get_by_role("button", name="Count")
            for _ in range(CLICKS):
                await bench.timed_run(page, button.click, timeout_ms=30_000)
            shown = await page.get_by_text("clicks:").inner_text()
            await browser.close()
            return shown

    with bench.streamlit_server(home=str(tmp_path), script=str(script)) as (url, _):
        shown = asyncio.run(main(url))
    assert shown == f"clicks: {CLICKS}"  # each timing ended after its own run, none early


def test_summaries_report_percentiles_cpu_and_the_goal():
    samples = [(0.1, 0.01), (0.2, 0.02), (0.3, 0.03), (0.4, 0.04), (1.0, 0.05)]
    summary = measure.summary(samples, goal=0.5)
    assert summary["p50_s"] == 0.3 and summary["p90_s"] == pytest.approx(0.76)
    assert summary["server_cpu_s"] == pytest.approx(0.03) and summary["meets_goal"] is False
    capacity = measure.capacity({"quiz_answer": samples, "sine_train_defaults": [(3.0, 2.0)]})
    assert capacity["server_cpu_s_per_action"] == pytest.approx(0.03)  # trainings left out
    assert capacity["learners_per_core"] == 333  # 10 s between actions / 0.03 s each


def test_the_server_clock_pairs_a_request_with_its_last_finish_in_the_window():
    """The class's server answer time: from the learner's request to the last "script
    finished" that is not "finished early for a rerun" (a fragment's st.rerun() is followed by
    the page's run), only within the action's window and only the learner's own sessions."""
    from rnn_core.bench.stamps import answer

    stamps = {"mine": [("finished", 0.5, 0),  # an earlier action's, before the window
                       ("asked", 1.0, None), ("finished", 1.2, 2), ("asked", 1.25, None),
                       ("finished", 1.5, 3), ("asked", 9.0, None), ("finished", 9.5, 0)],
              "theirs": [("asked", 0.9, None), ("finished", 1.9, 0)]}
    assert answer(stamps, {"mine"}, 0.8, 2.0) == pytest.approx(0.5)
    assert answer(stamps, {"mine"}, 0.4, 0.8) is None  # a finish without its request
    assert answer(stamps, {"nobody"}, 0.0, 10.0) is None


def test_a_learner_is_known_by_the_session_id_of_their_new_session_message():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from rnn_core.bench.lesson import new_session_id

    hello, delta = ForwardMsg(), ForwardMsg()
    hello.new_session.initialize.session_id = "a1b2"
    delta.delta.new_element.markdown.body = "a1b2"
    assert new_session_id(hello.SerializeToString()) == "a1b2"
    assert new_session_id(delta.SerializeToString()) is None
