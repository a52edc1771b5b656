"""End to end, the issue-14 lessons in headless Chromium, both languages, with a screenshot of each
section (test-artifacts/screenshots/lesson-*.png) for a person to look at."""

import pytest

from rnn_core.i18n import translate
from tests.test_e2e import SCREENSHOTS, SETTLED, _assert_healthy, _open, browser, server

pytestmark = pytest.mark.e2e
__all__ = ["browser", "server"]  # the shared fixtures, re-exported for pytest
MAX_SHOT = 7000  # px: the tallest section screenshot


def _section_screenshot(page, anchor: str, until: str, name: str) -> None:
    """From the header with ``anchor`` down to the next section's header ``until``: Streamlit
    scrolls inside its main block, so scroll the header to the top and clip the viewport."""
    page.set_viewport_size({"width": 1280, "height": MAX_SHOT})
    page.wait_for_timeout(1_000)
    page.locator(f"#{anchor}").first.evaluate("node => node.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    top = page.locator(f"#{anchor}").first.bounding_box()
    bottom = page.locator(f"#{until}").first.bounding_box()
    assert top and bottom, (anchor, until)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    y = max(top["y"] - 20, 0)
    page.screenshot(path=SCREENSHOTS / f"lesson-{name}.png", timeout=120_000,
                    clip={"x": 0, "y": y, "width": 1280,
                          "height": min(bottom["y"], MAX_SHOT) - y})
    page.set_viewport_size({"width": 1280, "height": 900})


def _wait_chart_count(page, count: int) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length"
        f" >= {count}", timeout=180_000)
    page.wait_for_function(SETTLED, timeout=180_000)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_order_experiment_in_the_browser(server, browser, lang):
    page = _open(browser, server, "fundamentals", lang)
    choice = page.get_by_text(translate("order.predict_some", lang)).first
    choice.wait_for(timeout=180_000)  # the section is near the end of a long page
    page.wait_for_function(SETTLED, timeout=180_000)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    choice.click()
    page.get_by_text(translate("order.you_predicted_some", lang).split("*")[0]).first.wait_for(
        timeout=180_000)
    _wait_chart_count(page, charts + 1)
    _assert_healthy(page)
    _section_screenshot(page, "order", "quiz", f"order-{lang}")
    page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_skip_path_and_attention_timing_in_the_browser(server, browser, lang):
    page = _open(browser, server, "compare", lang)
    switch = page.get_by_text(translate("residual.switch", lang)).first
    switch.wait_for(timeout=180_000)
    page.wait_for_function(SETTLED, timeout=180_000)
    switch.click()
    reading = translate("residual.read_grows", lang, factor="", plain="", total="",
                        overall="").replace("*", "")[:20]  # measured at the defaults
    page.get_by_text(reading).first.wait_for(timeout=180_000)
    page.wait_for_function(SETTLED, timeout=180_000)
    _assert_healthy(page)
    _section_screenshot(page, "gradients", "attention", f"residual-{lang}")
    _section_screenshot(page, "attention", "merits", f"attention-{lang}")
    _section_screenshot(page, "merits", "quiz", f"merits-{lang}")
    page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_word_vectors_and_code_in_the_browser(server, browser, lang):
    page = _open(browser, server, "sentiment", lang)
    expander = page.get_by_text(translate("pipeline.show", lang), exact=True).first
    expander.wait_for(timeout=180_000)
    page.wait_for_function(SETTLED, timeout=180_000)
    expander.click()
    page.locator('[data-testid="stCode"]').filter(has_text="MaskedMaxMeanPool").first.wait_for(
        timeout=60_000)
    _assert_healthy(page)
    _section_screenshot(page, "word-vectors", "code", f"vectors-{lang}")
    _section_screenshot(page, "code", "quiz", f"code-{lang}")
    page.close()


def test_a_merits_link_opens_the_other_page_at_its_section(server, browser):
    """The "read order" row of the merits table (compare page, in Japanese) opens the
    fundamentals page scrolled to its order section, still in Japanese."""
    from rnn_core.comparison.merits import MERITS

    row = next(row for row in MERITS if row.key == "order")
    page = _open(browser, server, "compare", "ja")
    label = f"{translate(f'nav.{row.page}', 'ja')} › {translate(row.section, 'ja')}"
    link = page.get_by_role("link", name=label).first
    link.wait_for(timeout=180_000)
    link.click()
    header = page.locator(f"#{row.anchor}").first
    header.wait_for(timeout=180_000)
    page.wait_for_function(
        f"() => {{ const box = document.getElementById('{row.anchor}')"
        ".getBoundingClientRect(); return box.top >= 0 && box.top < 300; }", timeout=60_000)
    assert f"/{row.page}?" in page.url and "lang=ja" in page.url
    page.wait_for_function("() => !window.location.search.includes('section=')",
                           timeout=30_000)
    _assert_healthy(page)
    page.close()
