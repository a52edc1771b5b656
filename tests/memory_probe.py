"""One learner at the pages' largest sizes, in a fresh process, and what the server keeps after.

Run by ``tests/test_memory.py`` as ``python -m tests.memory_probe``; prints one JSON object.
AppTest runs the app's scripts in this process, as the server runs them in its own: the
"every page" level is this process after every page was opened (the sentiment models loaded)
and a tiny training (as the server's warm-up does); the learner then trains a forecaster and
the three-cell comparison (plain, then bidirectional) at the largest sizes the pages accept;
their session is dropped and the server's janitor runs as it does in the server (nothing else
collects or trims), and the resident size is read again. A sampling thread records
the peak while the learner works.
"""

from __future__ import annotations

import gc
import json
import threading
import time

from rnn_core import course
from rnn_core.i18n import translate
from rnn_core.runtime import memory
from rnn_ui import warmup
from tests.apptest import button, open_app

TIMEOUT_S = 900  # a training at the bounds takes minutes on two shared cores
AFTER_MB = 150  # what the session may leave behind (tests/test_memory.py asserts it)
JANITOR_STALE_S = 5.0  # the server's janitor waits memory.STALE_S; the probe need not
JANITOR_WAIT_S = 60.0


def _peak_while(work) -> float:
    peak, done = [memory.rss_mb()], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], memory.rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        work()
    finally:
        done.set()
        sampler.join()
    return max(peak[0], memory.rss_mb())


def _every_page() -> None:
    at = open_app("en")
    for page in course.PAGES:
        at.switch_page(page.file).run(timeout=TIMEOUT_S)
        assert not at.exception, (page.name, [e.value for e in at.exception])
    warmup._training()
    warmup._sentiment_models()  # as the server's warm-up: its janitor then re-warms them


def _at_bound_learner() -> None:
    at = open_app("en", "sine")
    settings = {"points": 3000, "units": 64, "layers": 3, "window": 50, "epochs": 2}
    for name, value in settings.items():
        at.number_input(key=f"sine:sine:{name}").set_value(value)
    at.selectbox(key="sine:sine:cell").set_value("lstm")
    button(at, translate("sine.train", "en")).click().run(timeout=TIMEOUT_S)
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(course.page("compare").file).run(timeout=TIMEOUT_S)
    for key, value in {"units": 64, "side_T": 60, "layers": 3, "side_epochs": 2}.items():
        at.number_input(key=f"cmp:{key}").set_value(value)
    for bidirectional in (False, True):  # then the same three cells, bidirectional
        at.toggle(key="cmp:bidirectional").set_value(bidirectional)
        button(at, translate("compare.train_three", "en")).click().run(timeout=TIMEOUT_S)
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.dataframe[0].value) == 3  # the three cells were trained


def _released_by_the_janitor(every_page: float) -> float:
    """The size once the server's own janitor has given the ended session's memory back, as a
    server would: nothing here collects or trims; waits at most ``JANITOR_WAIT_S``."""
    stop = threading.Event()
    threading.Thread(target=memory.janitor, args=(stop,), daemon=True,
                     kwargs={"every": 1.0, "stale": JANITOR_STALE_S,
                             "rewarm": warmup.eager_kernels}).start()
    deadline = time.monotonic() + JANITOR_WAIT_S
    try:
        while time.monotonic() < deadline and memory.rss_mb() - every_page >= AFTER_MB:
            time.sleep(1.0)
    finally:
        stop.set()
    return memory.rss_mb()


def main() -> None:
    _every_page()
    gc.collect()
    memory.release()
    every_page = memory.rss_mb()
    peak = _peak_while(_at_bound_learner)  # the learner's AppTest, their session, ends with it
    after = _released_by_the_janitor(every_page)
    print(json.dumps({"every_page_mb": round(every_page), "peak_mb": round(peak),
                      "after_mb": round(after)}))


if __name__ == "__main__":
    main()
