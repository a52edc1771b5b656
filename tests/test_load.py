"""Load: eight browser sessions at once against one ``streamlit run`` (issue: hardening).

Three sessions train the sine forecaster (each with its own number of units), two train the cell
comparison, three ask the IMDB models about reviews of opposite sentiment. Every session must see
no exception and its *own* result; the weight cache must stay loadable; and a second identical
round must not leave the server holding more memory than the first (nothing leaks per session).
Run alone with ``pytest -m load``; it is part of the default suite as well.
"""

import asyncio

import pytest

from rnn_core import bench
from rnn_core.forecasting.weight_cache import WeightCache
from rnn_core.i18n import translate
from tests.test_e2e import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.e2e, pytest.mark.load]
SESSIONS = 8
TIMEOUT_MS = 480_000  # trainings queue behind one lock on two cores
SETTLED = bench.SETTLED
POSITIVE = "A wonderful, moving film. Brilliant acting and a beautiful story: I loved it."
NEGATIVE = "Awful. Boring, badly acted and far too long: the worst film I have seen this year."


def t(key: str, **values) -> str:
    return translate(key, "en", **values)


async def _open(context, url: str, page_name: str):
    page = await context.new_page()
    await page.goto(f"{url}/{page_name}?lang=en")
    await page.get_by_role("heading", name=t(f"{page_name}.title")).first.wait_for(
        timeout=TIMEOUT_MS)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    return page


async def _no_exception(page) -> None:
    assert await page.locator('[data-testid="stException"]').count() == 0


async def sine_session(context, url: str, units: int) -> str:
    page = await _open(context, url, "sine")
    box = page.get_by_label(t("sine.units"), exact=True)
    await box.fill(str(units))
    await page.get_by_role("button", name=t("sine.train")).click()
    params = page.locator('[data-testid="stMetric"]').filter(has_text=t("sine.params"))
    await params.first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    await _no_exception(page)
    return await params.first.locator('[data-testid="stMetricValue"]').inner_text()


async def compare_session(context, url: str) -> None:
    page = await _open(context, url, "compare")
    await page.get_by_role("button", name=t("compare.train_three")).click()
    await page.wait_for_timeout(1_000)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    await _no_exception(page)


async def sentiment_session(context, url: str, review: str, marker: str) -> list[str]:
    """Type ``review`` and ``marker`` (a made-up word, out of vocabulary); wait until the page's
    coloured words show the marker, i.e. this session's own text was read."""
    page = await _open(context, url, "sentiment")
    box = page.get_by_role("textbox", name=t("sentiment.text_label"))
    await box.fill(f"{review} {marker}")
    await box.press("Control+Enter")
    words = page.locator('[data-testid="stMarkdown"]').filter(has_text=marker)
    await words.first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    await page.locator('[data-testid="stMetricDelta"]').first.wait_for(timeout=TIMEOUT_MS)
    await _no_exception(page)
    metrics = page.locator('[data-testid="stMetricDelta"]')
    return [text.strip() for text in await metrics.all_inner_texts()]


async def one_round(browser, url: str) -> list:
    contexts = [await browser.new_context() for _ in range(SESSIONS)]
    for context in contexts:  # clicks wait while another session holds the training slot
        context.set_default_timeout(TIMEOUT_MS)
    jobs = [
        sine_session(contexts[0], url, 3),
        sine_session(contexts[1], url, 8),
        sine_session(contexts[2], url, 13),
        compare_session(contexts[3], url),
        compare_session(contexts[4], url),
        sentiment_session(contexts[5], url, POSITIVE, "qzxalpha"),
        sentiment_session(contexts[6], url, NEGATIVE, "qzxbeta"),
        sentiment_session(contexts[7], url, POSITIVE, "qzxgamma"),
    ]
    try:
        return await asyncio.gather(*jobs)
    finally:
        for context in contexts:
            await context.close()


def _expected_params(units: int) -> str:
    from rnn_core.forecasting.training import TrainConfig, build_model

    return f"{build_model(TrainConfig(units=units)).count_params():,}"


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_eight_sessions_at_once_each_get_their_own_results(tmp_path):
    async_api = pytest.importorskip("playwright.async_api")

    async def main():
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)
            with bench.streamlit_server(home=str(tmp_path)) as (url, process):
                first = await one_round(browser, url)
                rss_first = bench.rss_mb(process.pid)
                second = await one_round(browser, url)
                rss_second = bench.rss_mb(process.pid)
            await browser.close()
        return first, second, rss_first, rss_second

    first, second, rss_first, rss_second = asyncio.run(main())
    for results in (first, second):
        assert results[0:3] == [_expected_params(3), _expected_params(8), _expected_params(13)]
        positive, negative, positive_again = results[5:8]
        assert positive and all(v == t("sentiment.verdict_positive") for v in positive)
        assert negative and all(v == t("sentiment.verdict_negative") for v in negative)
        assert positive_again == positive
    cache = WeightCache(tmp_path / "models")  # the server's cache (RNN_LAB_HOME=tmp_path)
    keys = cache.keys()
    assert len(keys) >= 3  # one per sine setting; round two loaded them back
    for key in keys:
        assert cache.load(key) is not None, f"cache entry {key} no longer loads"
    print(f"server RSS after round 1: {rss_first:.0f} MB, after round 2: {rss_second:.0f} MB")
    assert rss_second - rss_first < 200, (rss_first, rss_second)
