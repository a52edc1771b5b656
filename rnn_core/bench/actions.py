"""What a learner does, as Playwright steps (async): each function performs one click or entry on
a page that is already open; ``browser.timed_run`` times the run it causes.

Widgets are found by their translated labels, so the same steps drive either language.
"""

from __future__ import annotations

from rnn_core.bench.browser import PAGE_READY
from rnn_core.i18n import LANGUAGE_NAMES, translate

CHOOSE_TRIES = 3  # clicks on a select box before its list must have opened
CHOOSE_WAIT_MS = 5_000  # for the option to show after one click


async def open_page(page, name: str, lang: str) -> None:
    """A page's link in the sidebar navigation."""
    await page.locator('[data-testid="stSidebarNav"] a').filter(
        has_text=translate(f"nav.{name}", lang)).first.click()


async def click(page, key: str, lang: str) -> None:
    """The first button labelled with the translation of ``key``."""
    await page.get_by_role("button", name=translate(key, lang)).first.click()


async def type_weight(page, lang: str, value: float) -> None:
    """Type ``value`` into the first box of the step-through's W_x table, short of committing
    it: the learner's answer is timed from their Enter (``commit_edit``)."""
    box = page.get_by_label(f"{translate('fundamentals.table_kernel', lang)} x1 h1", exact=True)
    await box.click()
    await box.fill(f"{value:g}")


async def commit_edit(page) -> None:
    await page.keyboard.press("Enter")


async def set_number(page, key: str, lang: str, value: float, nth: int = 0,
                     commit: bool = True) -> None:
    """Type ``value`` into the ``nth`` number input labelled with the translation of ``key``;
    ``commit`` presses Enter (inside a form that would submit it, so forms leave it off)."""
    box = page.get_by_label(translate(key, lang), exact=True).nth(nth)
    await box.fill(f"{value}")
    if commit:
        await box.press("Enter")


async def choose(page, key: str, lang: str, option: str) -> None:
    """Pick ``option`` (its shown text) in the select box labelled with ``key``'s translation.

    Now and then the box's list does not show the option after the click (once in six bench
    runs here, on the sentiment page): the driver then closes whatever opened and clicks again.
    The timing starts at the click on the option, the one that sends the learner's choice, so a
    retry adds nothing to it.
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_label(translate(key, lang)).first
    entry = page.get_by_role("option", name=option, exact=True).first
    for _ in range(CHOOSE_TRIES - 1):
        await box.click()
        try:
            await entry.click(timeout=CHOOSE_WAIT_MS)
            return
        except PlaywrightTimeout:
            await page.keyboard.press("Escape")
    await box.click()
    await entry.click()


async def switch_language(page, lang: str) -> None:
    """The sidebar's language radio, to ``lang``."""
    await page.locator('[data-testid="stSidebar"]').get_by_text(
        LANGUAGE_NAMES[lang], exact=True).first.click()


async def predictions_off(page, lang: str) -> None:
    """The sidebar's "predict before I see results" switch, flipped (on by default): with it off
    every action draws its result at once, so a timing covers the result and not the question."""
    await page.locator('[data-testid="stSidebar"]').get_by_text(
        translate("predict.switch", lang), exact=True).first.click()


async def answer_first_question(page, lang: str) -> None:
    """Pick the first choice of the page's first single-choice question and check it (other
    forms on a page, such as the review picker, may hold radio buttons too)."""
    form = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name=translate("quiz.check", lang))).filter(
        has=page.get_by_role("radiogroup")).first
    await form.locator('[role="radiogroup"] label').first.click()
    await form.get_by_role("button", name=translate("quiz.check", lang)).click()


async def keras_checks_shown(page, lang: str, timeout_ms: int = 180_000) -> None:
    """Until no "TensorFlow is still loading" note is left on the page (a freshly started
    server draws one in place of each Keras check, then reruns the page itself) and that rerun
    is over: a timing started before would end at the page's own rerun."""
    note = page.get_by_text(translate("common.keras_loading", lang), exact=True)
    await note.first.wait_for(state="detached", timeout=timeout_ms)
    await page.wait_for_function(PAGE_READY, timeout=timeout_ms)
