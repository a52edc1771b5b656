"""Benchmarks of the running app, in a real browser: speed and memory goals are checked here
(``rnn-lab bench`` writes ``results/bench.json``), never in timed unit tests.

* ``server``: a real ``streamlit run app.py`` on a free port, its memory and CPU time;
* ``browser``: timing from a click until the script run it caused has finished;
* ``actions``: a learner's clicks, by translated label;
* ``measure``: one learner's session on fresh and warm servers, with goals;
* ``lesson``: a class of learners at once on one server.
"""

from rnn_core.bench.browser import PAGE_READY, timed_load, timed_run, wait_quiet
from rnn_core.bench.server import (
           CHROMIUM_ARGS,
           chromium_path,
           cpu_seconds,
           rss_mb,
           streamlit_server,
)

__all__ = ["CHROMIUM_ARGS", "PAGE_READY", "chromium_path", "cpu_seconds", "rss_mb",
           "streamlit_server", "timed_load", "timed_run", "wait_quiet"]
