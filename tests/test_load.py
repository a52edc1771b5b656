"""Load: a class of sixteen learners following the scripted lesson at once against one
``streamlit run`` (``rnn_core.bench.lesson``): no exception anywhere, every learner sees their
own forecaster and their own review's verdicts, the weight cache stays loadable, and a second,
smaller class leaves the server holding no more memory than the first (nothing kept per
session). Run alone with ``pytest -m load``; it is part of the default suite as well.
"""

import asyncio
import tempfile

import pytest

from rnn_core import bench
from rnn_core.bench.lesson import run_class
from rnn_core.forecasting.weight_cache import WeightCache
from tests.test_e2e import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.load]
CLASS = 16


@pytest.mark.timeout(2100)  # 24 browsers and 24 trainings on two cores: well past the default
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_a_class_of_sixteen_each_get_their_own_results_and_memory_comes_back(tmp_path):
    pytest.importorskip("playwright.async_api")
    with tempfile.TemporaryFile() as log:
        with bench.streamlit_server(home=str(tmp_path), log=log) as (url, process):
            first = asyncio.run(run_class(url, process.pid, CLASS))
            second = asyncio.run(run_class(url, process.pid, CLASS // 2))
        log.seek(0)
        output = log.read().decode(errors="replace")
    print("class of", CLASS, first)
    print("class of", CLASS // 2, second)
    assert "Traceback" not in output, output[-4000:]
    for figures in (first, second):
        assert figures["exceptions"] == 0
        assert figures["own_results"], figures["not_own"]
    assert second["rss_after_mb"] - first["rss_after_mb"] < 150, (first, second)
    cache = WeightCache(tmp_path / "models")  # the server's cache (RNN_LAB_HOME=tmp_path)
    keys = cache.keys()
    assert len(keys) >= CLASS  # one forecaster per size of model; round two loaded them back
    for key in keys:
        assert cache.load(key) is not None, f"cache entry {key} no longer loads"
