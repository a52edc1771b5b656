"""End to end, in headless Chromium: the quiz's feedback, retry and reveal, a prediction before a
result, the glossary and its links, and Japanese for a Japanese browser. Screenshots of every
page's quiz and of the glossary, in both languages, land in ``test-artifacts/screenshots/``."""

import re

import pytest

from rnn_core import course, glossary
from rnn_core.i18n import translate
from rnn_core.study import quiz
from tests import test_e2e as e2e
from tests.test_e2e import SCREENSHOTS, SETTLED, _assert_healthy, _open, _settle

pytestmark = pytest.mark.e2e
server, browser = e2e.server, e2e.browser  # the same fixtures: one server for this module


def _screenshot_from(page, heading: str, name: str, height: int = 5_000) -> None:
    """``height`` pixels of the page from ``heading`` down: a window that tall, scrolled so
    the heading is at its top (Streamlit scrolls inside its main block, not the document)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": height})
    target = page.get_by_role("heading", name=heading).first
    target.wait_for(timeout=180_000)  # a first visit builds Keras models before the quiz
    page.wait_for_function(SETTLED, timeout=180_000)
    target.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", timeout=120_000)
    page.set_viewport_size({"width": width, "height": 900})


def _question_form(page, question: quiz.Question, lang: str):
    """The form of one question, found by the text of its first choice."""
    label = question.choice_texts(lang)[0]
    return page.locator('[data-testid="stForm"]').filter(has_text=label).first


def _alert(page, text: str):
    return page.locator('[data-testid="stAlert"]').filter(has_text=text).first


def test_a_wrong_answer_explains_itself_then_a_retry_and_a_reveal(server, browser):
    page = _open(browser, server, "sine", "en")
    questions = quiz.load_quiz("sine")
    question = questions.question("many_to_many_targets")
    wrong = next(i for i in range(4) if i != question.answer)
    form = _question_form(page, question, "en")
    form.get_by_text(question.choice_texts("en")[wrong], exact=True).click()
    form.get_by_role("button", name=translate("quiz.check", "en")).click()
    why = question.choices[wrong].why["en"].split(".")[0]
    _alert(page, why).wait_for(timeout=90_000)
    page.get_by_role("button", name=translate("quiz.reveal", "en")).first.wait_for()
    form.get_by_text(question.choice_texts("en")[question.answer], exact=True).click()
    form.get_by_role("button", name=translate("quiz.check", "en")).click()
    done = translate("quiz.correct_after", "en", tries=2).replace("*", "")
    _alert(page, done).wait_for(timeout=90_000)
    total = len(questions.questions)  # the score above the questions follows the fragment
    score = translate("quiz.score", "en", correct=1, first=0, revealed=0, answered=1,
                      total=total)
    page.get_by_text(score).wait_for(timeout=90_000)
    other = questions.question("chronological_split")
    second = _question_form(page, other, "en")
    wrong = next(i for i in range(4) if i != other.answer)
    second.get_by_text(other.choice_texts("en")[wrong], exact=True).click()
    second.get_by_role("button", name=translate("quiz.check", "en")).click()
    page.wait_for_function(SETTLED, timeout=90_000)
    page.get_by_role("button", name=translate("quiz.reveal", "en")).first.click()
    shown = translate("quiz.revealed", "en", answer="").replace("*", "").strip()
    _alert(page, shown).wait_for(timeout=90_000)
    _assert_healthy(page)
    _screenshot_from(page, translate("quiz.heading", "en"), "quiz-feedback-sine-en", 2_400)
    page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_screenshots_of_every_quiz(server, browser, lang):
    for name in course.quiz_pages():
        page = _open(browser, server, name, lang)
        _assert_healthy(page)
        _screenshot_from(page, translate("quiz.heading", lang), f"quiz-{name}-{lang}")
        page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_fundamentals_page_asks_for_a_prediction_before_the_table(server, browser, lang):
    page = _open(browser, server, "fundamentals", lang)
    layer = translate("fundamentals.col_layer", lang)
    heading = translate("fundamentals.shapes_heading", lang)
    assert page.get_by_role("columnheader", name=layer).count() == 0
    _screenshot_from(page, heading, f"predict-fundamentals-before-{lang}", 900)
    box = page.get_by_label(translate("predict.your_number", lang))
    box.fill("4800")
    box.press("Enter")
    page.wait_for_function(SETTLED, timeout=90_000)
    page.get_by_role("button", name=translate("predict.lock", lang)).click()
    verdict = translate("predict.came_true", lang, guess="", outcome="").split("**")[1]
    _alert(page, verdict).wait_for(timeout=60_000)
    page.wait_for_function(SETTLED, timeout=60_000)
    _assert_healthy(page)
    _screenshot_from(page, heading, f"predict-fundamentals-after-{lang}", 1_600)
    page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_glossary_searches_and_the_quiz_links_to_it(server, browser, lang):
    page = _open(browser, server, "glossary", lang)
    _screenshot_from(page, translate("glossary.title", lang), f"glossary-top-{lang}", 2_000)
    search = page.get_by_label(translate("glossary.search", lang))
    query = "忘却ゲート" if lang == "ja" else "forget gate"
    search.fill(query)
    search.press("Enter")
    count = len(glossary.search(query, lang))
    found = translate("glossary.found", lang, count=count, total=len(glossary.terms()))
    page.get_by_text(found).wait_for(timeout=90_000)
    _assert_healthy(page)
    _screenshot_from(page, translate("glossary.title", lang), f"glossary-search-{lang}", 900)
    page.close()
    quiz_page = _open(browser, server, "compare", lang)
    quiz_page.wait_for_function(SETTLED, timeout=180_000)
    link = quiz_page.locator('a[href*="glossary?term="]').first
    href = link.get_attribute("href")
    assert re.search(rf"glossary\?term=[a-z0-9_]+&lang={lang}&learner=", href), href
    link.scroll_into_view_if_needed()
    with quiz_page.context.expect_page(timeout=180_000) as opened:  # a new tab: work is kept
        link.click(timeout=120_000)
    term_page = opened.value
    _settle(term_page, translate("glossary.title", lang))
    term_page.get_by_text(translate("glossary.linked_term", lang)).wait_for(timeout=90_000)
    _assert_healthy(term_page)
    term_page.close()
    quiz_page.close()


def test_a_japanese_browser_gets_japanese_by_default(server, browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/fundamentals")
    _settle(page, translate("fundamentals.title", "ja"))
    page.wait_for_function("() => location.search.includes('lang=ja')", timeout=30_000)
    _assert_healthy(page)
    page.goto(f"{server}/fundamentals?lang=en")  # the URL still wins
    _settle(page, translate("fundamentals.title", "en"))
    context.close()
