"""One learner at the pages' largest sizes, in a fresh process, and what the server keeps after.

Run by ``tests/test_memory.py`` as ``python -m tests.memory_probe``; prints one JSON object.
AppTest runs the app's scripts in this process, as the server runs them in its own: the
"every page" level is this process after every page was opened (the sentiment models loaded)
and a tiny training (as the server's warm-up does); the learner then trains a forecaster and
the three-cell comparison at the largest sizes the pages accept; their session is dropped, the
janitor's ``release()`` runs, and the resident size is read again. A sampling thread records
the peak while the learner works.
"""

from __future__ import annotations

import gc
import json
import threading

from rnn_core import course
from rnn_core.i18n import translate
from rnn_core.runtime import memory
from rnn_ui import warmup
from tests.apptest import button, open_app

TIMEOUT_S = 900  # a training at the bounds takes minutes on two shared cores


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
    button(at, translate("compare.train_three", "en")).click().run(timeout=TIMEOUT_S)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value) == 3  # the three cells were trained


def main() -> None:
    _every_page()
    gc.collect()
    memory.release()
    every_page = memory.rss_mb()
    peak = _peak_while(_at_bound_learner)
    gc.collect()  # the learner's AppTest (their session) is gone with the call
    memory.release()
    print(json.dumps({"every_page_mb": round(every_page), "peak_mb": round(peak),
                      "after_mb": round(memory.rss_mb())}))


if __name__ == "__main__":
    main()
