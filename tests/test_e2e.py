"""End to end: `streamlit run app.py` on localhost, every page in headless Chromium, both languages.

Chromium is Debian's package (installed by scripts/install-browser.sh); Playwright drives it
through ``executable_path``. Screenshots land in ``test-artifacts/screenshots/`` for a person to
look at. Skips with a reason where no browser is installed.
"""

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from rnn_core import bench, course
from rnn_core.bench import browser as browser_timing
from rnn_core.i18n import LANGUAGE_NAMES, translate
from rnn_core.study.quiz import load_quiz
from tests.conftest import ROOT

# No script run in progress (the page, or the fragment a click reran, is done). A test that must
# not read the page before its click's run has even started uses ``_after_run`` instead.
SETTLED = browser_timing.PAGE_READY

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("RNN_LAB_CHROMIUM") or shutil.which("chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = bench.CHROMIUM_ARGS


@contextmanager
def _streamlit_server() -> Iterator[str]:
    """A fresh ``streamlit run app.py`` on a free port; fails the test on any server traceback."""
    with tempfile.TemporaryFile() as log:
        with bench.streamlit_server(home=tempfile.mkdtemp(prefix="rnn-lab-e2e-"), log=log) as (
            url, _,
        ):
            yield url
        log.seek(0)
        output = log.read().decode(errors="replace")
    assert "Traceback" not in output, output[-4000:]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (scripts/install-browser.sh installs it as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _settle(page, title: str) -> None:
    """After a page load: its title shown, its first run finished, every chart drawn."""
    page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)
    page.wait_for_function(browser_timing.PAGE_READY, timeout=90_000)
    page.wait_for_function(browser_timing.CHARTS_DRAWN, timeout=90_000)


def _after_run(page, act, timeout_ms: int = 180_000) -> None:
    """Do ``act()`` (a click) and wait until the script run it started has finished."""
    page.wait_for_function(browser_timing.PAGE_READY, timeout=timeout_ms)
    page.evaluate(browser_timing.ARM)
    act()
    page.wait_for_function(browser_timing.RUN_FINISHED, timeout=timeout_ms)
    page.wait_for_function(browser_timing.CHARTS_DRAWN, timeout=timeout_ms)


def _skip_prediction(page, lang: str) -> None:
    """Answer the page's "predict first" box with "just show me": the result it hid is drawn."""
    skip = page.get_by_role("button", name=translate("predict.skip", lang)).first
    skip.wait_for(timeout=120_000)
    _after_run(page, skip.click)


def _open(browser, server: str, name: str, lang: str):
    """A new tab on course page ``name`` in ``lang``, settled."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/{name}?lang={lang}")
    _settle(page, translate(course.page(name).title_key, lang))
    return page


def _quiz_feedback(page):
    """The feedback box of a checked quiz answer (right or wrong), in English."""
    verdicts = [translate(key, "en").replace("*", "")
                for key in ("quiz.correct_first", "quiz.incorrect")]
    pattern = re.compile("|".join(re.escape(verdict) for verdict in verdicts))
    return page.locator('[data-testid="stAlert"]').filter(has_text=pattern).first


def _screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it."""
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 900")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 900), 12_000)})
    page.wait_for_timeout(1_000)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, timeout=120_000)
    page.set_viewport_size({"width": width, "height": 900})


def test_a_shared_deep_link_works_as_the_first_visit(browser):
    """A fresh server's first visitor arrives on a page's link: router.py must still route it."""
    with _streamlit_server() as url:
        page = browser.new_page()
        page.goto(f"{url}/fundamentals?lang=ja")
        _settle(page, translate("fundamentals.title", "ja"))
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text(translate("nav.home", "ja")).first.wait_for(timeout=30_000)
        _assert_healthy(page)
        page.close()


@pytest.mark.parametrize(("path", "landing", "missing"), [
    ("/sine/extra/path?lang=ja", "sine", None),
    ("/progress/x?lang=ja", "progress", None),
    ("/views/sine?lang=ja", "home", "/views/sine"),
    ("/nowhere?lang=ja", "home", "/nowhere"),
    ("/x/static?lang=ja", "home", "/x/static"),
    ("/app/x?lang=ja", "home", "/app/x"),
    ("/x/media/y?lang=ja", "home", "/x/media/y"),
    ("/static?lang=ja", "home", "/static"),
    ("/media?lang=ja", "home", "/media"),
    ("/sine/?lang=ja", "sine", None),
])
def test_an_unknown_address_gets_a_page_never_a_blank_one(server, browser, path, landing,
                                                           missing):
    page = browser.new_page()
    page.goto(server + path)
    _settle(page, translate(course.page(landing).title_key, "ja"))
    if missing is not None:  # the start page says, in the learner's language, what was missing
        note = translate("home.not_found", "ja", path=missing)
        page.get_by_text(note).first.wait_for(timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's own English dialog
    _assert_healthy(page)
    page.close()


# Elements Streamlit's Markdown makes of markup: links, images, headings, code, KaTeX, icons
# (role=img) and colours. None may appear inside a message that quotes a visitor's text.
MARKUP_ELEMENTS = ("a, img, h1, h2, h3, h4, h5, h6, pre, code, .katex, [role=img], strong, em, "
                   "span.stMarkdownColoredText, span.stMarkdownColoredBackground")
HOSTILE_COLUMNS = ["https://evil.example/x", "user@example.com", ":material/warning:",
                   "big\n===", "www.example.com", "$x^2$", ":red[red]", "**bold**"]


def _markup_in_messages(page, text: str) -> list[str]:
    """The markup elements inside the captions and alert texts of the main area that contain
    ``text`` (word joiners ignored), or ``["no message"]`` if none does."""
    return page.evaluate(
        """([text, markup]) => {
            const messages = [...document.querySelectorAll(
                '[data-testid=stMain] [data-testid=stCaptionContainer], ' +
                '[data-testid=stMain] [data-testid=stAlert] [data-testid=stMarkdownContainer]')]
                .filter(m => m.innerText.replaceAll('\u2060', '').includes(text));
            if (!messages.length) return ['no message'];
            return messages.flatMap(m => [...m.querySelectorAll(markup)].map(
                e => e.outerHTML.slice(0, 80)));
        }""", [text, MARKUP_ELEMENTS])


def test_visitor_text_never_becomes_markup_in_the_browser(server, browser):
    """Column names of an upload and an address that had no page are quoted as typed: no link,
    heading, icon, colour or formula, whatever Streamlit's renderer would make of them."""
    page = _open(browser, server, "sine", "ja")
    _after_run(page, page.get_by_text(translate("sine.source_upload", "ja"), exact=True).click)
    header = ",".join(f'"{name}"' for name in HOSTILE_COLUMNS) + ",value"
    rows = "".join(",".join(["x"] * len(HOSTILE_COLUMNS) + [f"{i % 7}.5"]) + "\n"
                   for i in range(60))
    upload = {"name": "hostile.csv", "mimeType": "text/csv",
              "buffer": (header + "\n" + rows).encode()}
    _after_run(page, lambda: page.locator('input[type="file"]').set_input_files(upload))
    assert _markup_in_messages(page, "https://evil.example/x, user@example.com") == []
    assert _markup_in_messages(page, "big ===, www.example.com") == []
    for address, quoted in [("/nowhere%20www.evil.example?lang=ja", "www.evil.example"),
                            ("/?lang=ja&missing=x%20https%3A%2F%2Fevil.example%2Flogin"
                             "%20:material/lock:", "https://evil.example/login :material/lock:")]:
        page.goto(server + address)
        _settle(page, translate("home.title", "ja"))
        assert _markup_in_messages(page, quoted) == [], address
    _assert_healthy(page)
    page.close()


def _assert_healthy(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the screen"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_page_renders_without_exception(server, browser, lang):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for entry in course.PAGES:
        name = entry.name
        page.goto(f"{server}/{name}?lang={lang}")
        _settle(page, translate(entry.title_key, lang))
        _assert_healthy(page)
        assert f"lang={lang}" in page.url
        _screenshot(page, f"{name}-{lang}")
    page.close()


def test_step_through_and_quiz_in_the_browser(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/fundamentals?lang=en")
    _settle(page, translate("fundamentals.title", "en"))
    page.get_by_role("button", name=translate("fundamentals.next", "en")).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.katex-mathml annotation')]"
        ".some(a => a.textContent.includes('h_{2,1}'))", timeout=30_000)
    check = translate("quiz.check", "en")
    quiz_box = page.locator('[data-testid="stForm"]').first
    quiz_box.locator('[role="radiogroup"] label').first.click()
    quiz_box.get_by_role("button", name=check).click()
    _quiz_feedback(page).wait_for(timeout=30_000)
    _assert_healthy(page)
    page.close()


def test_a_typed_weight_answers_at_once_and_outlives_a_language_switch_and_a_page_visit(
        server, browser):
    """W_x's first cell typed in the step-through's table: the arithmetic uses it, Keras
    still agrees, and the number is still there after 日本語 and a visit to another page."""
    en = lambda key, **values: translate(key, "en", **values)  # noqa: E731
    page = _open(browser, server, "fundamentals", "en")
    cell = f"{en('fundamentals.table_kernel')} x1 h1"
    _edit_cell(page, cell, "1,5")  # a decimal comma reads as a point
    _latex_shows(page, "\\tanh(1.5) = 0.9051")  # h_{1,1} = tanh(1·1.5 + 0 + 0): was tanh(0.8)
    page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text="keras.layers.SimpleRNN").first.wait_for(timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    _after_run(page, lambda: sidebar.get_by_text(LANGUAGE_NAMES["ja"], exact=True).click())
    box = page.get_by_label(f"{translate('fundamentals.table_kernel', 'ja')} x1 h1", exact=True)
    assert box.input_value() == "1.50"
    for name in (course.HOME.name, "fundamentals"):  # away and back
        _after_run(page, lambda n=name: page.locator('[data-testid="stSidebarNav"] a').filter(
            has_text=translate(f"nav.{n}", "ja")).first.click())
    _latex_shows(page, "\\tanh(1.5) = 0.9051")
    assert box.input_value() == "1.50"
    _assert_healthy(page)
    _screenshot(page, "fundamentals-table-ja")
    page.close()


QUICK_CLICK_GAP_MS = 300  # between clicks: half the gap at which whole-page reruns lost one


def test_quick_clicks_on_next_each_move_the_step_through_one_step(server, browser):
    """Five clicks on Next in quick succession move five steps: the step-through is a fragment
    whose run is short, and each click's callback moves the step kept in the session (before,
    clicks that came while the whole page reran were merged and lost)."""
    from playwright.sync_api import expect

    en = lambda key: translate(key, "en")  # noqa: E731
    page = _open(browser, server, "fundamentals", "en")
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=en("fundamentals.step"))
    thumb = slider.locator('[data-testid="stSliderThumbValue"]').first
    expect(thumb).to_have_text("1", timeout=60_000)  # drawn with the page (slow when busy)
    next_button = page.get_by_role("button", name=en("fundamentals.next"))
    for _ in range(5):
        next_button.click()
        page.wait_for_timeout(QUICK_CLICK_GAP_MS)
    expect(thumb).to_have_text("6", timeout=60_000)
    _latex_shows(page, "h_{6,1}")
    page.wait_for_function(SETTLED, timeout=60_000)
    expect(thumb).to_have_text("6")
    _assert_healthy(page)
    page.close()


def test_phone_width_pages_fit_the_screen(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for lang in ("en", "ja"):
        page.goto(f"{server}/fundamentals?lang={lang}")
        _settle(page, translate("fundamentals.title", lang))
        _assert_healthy(page)
        _screenshot(page, f"fundamentals-phone-{lang}")
    context.close()


def test_progress_survives_a_reload(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/fundamentals?lang=en")
    _settle(page, translate("fundamentals.title", "en"))
    quiz_box = page.locator('[data-testid="stForm"]').first
    quiz_box.locator('[role="radiogroup"] label').first.click()
    quiz_box.get_by_role("button", name=translate("quiz.check", "en")).click()
    _quiz_feedback(page).wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('learner=')")
    learner_url = page.url.replace("/fundamentals", "/progress")
    page.close()
    fresh = browser.new_page()  # a new tab: a new Streamlit session, same link
    fresh.goto(learner_url)
    _settle(fresh, translate("progress.title", "en"))
    total = sum(len(load_quiz(name).questions) for name in course.quiz_pages())
    overall = translate("progress.overall", "en", percent=round(100 / total))
    fresh.get_by_text(overall).first.wait_for(timeout=30_000)
    fresh.close()


def test_train_forecast_and_download_a_sine_model(server, browser, tmp_path):
    en = lambda key, **values: translate(key, "en", **values)  # noqa: E731
    page = _open(browser, server, "sine", "en")
    page.get_by_label(en("sine.epochs"), exact=True).fill("3")
    page.get_by_label(en("sine.units"), exact=True).fill("4")
    _after_run(page, page.get_by_role("button", name=en("sine.train")).click)
    page.locator('[data-testid="stMetric"]').filter(has_text=en("sine.final_loss")).first.wait_for(
        timeout=30_000)
    page.get_by_role("heading", name=en("sine.forecast_heading")).wait_for(timeout=30_000)
    _after_run(page, page.get_by_role("button", name=en("sine.one_more")).click)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=en("sine.download")).click()
    saved = tmp_path / "model.keras"
    download.value.save_as(saved)
    assert saved.stat().st_size > 1000 and saved.read_bytes()[:2] == b"PK"  # a .keras zip
    _assert_healthy(page)
    _screenshot(page, "sine-trained-en")
    page.close()


def test_cell_comparison_trains_and_clips_in_the_browser(server, browser):
    page = _open(browser, server, "compare", "ja")
    _after_run(page, page.get_by_role("button", name=translate("compare.clip_run", "ja")).click)
    without = translate("compare.clip_without", "ja")
    page.locator('[data-testid="stMarkdown"]').filter(has_text=without).first.wait_for(
        timeout=30_000)
    _assert_healthy(page)
    _screenshot(page, "compare-clipping-ja")
    page.close()


def test_a_review_gets_a_verdict_from_every_model(server, browser):
    page = _open(browser, server, "sentiment", "en")
    box = page.get_by_role("textbox", name=translate("sentiment.text_label", "en"))
    box.fill("<script>alert('x')</script> I loved this film, a wonderful story.")
    _after_run(page, lambda: box.press("Control+Enter"))
    warning = translate("sentiment.input_markup", "en").split(".")[0]
    page.locator('[data-testid="stAlert"]').filter(has_text=warning).wait_for(timeout=120_000)
    skip = page.get_by_role("button", name=translate("predict.skip", "en"))
    _after_run(page, skip.click)  # no guess here
    page.locator('[data-testid="stMetricDelta"]').first.wait_for(timeout=120_000)
    verdicts = page.locator('[data-testid="stMetricDelta"]').all_inner_texts()
    assert verdicts, "no verdicts shown"
    assert page.locator("script", has_text="alert('x')").count() == 0  # shown, never run
    _assert_healthy(page)
    _screenshot(page, "sentiment-en")
    page.close()


def _latex_shows(page, text: str) -> None:
    """Wait until a KaTeX formula on the page contains ``text`` (its LaTeX source)."""
    page.wait_for_function(
        "text => [...document.querySelectorAll('.katex-mathml annotation')]"
        ".some(a => a.textContent.includes(text))", arg=text, timeout=60_000)


def _edit_cell(page, label: str, value: str) -> None:
    """Type ``value`` into the number table's box named ``label`` (table, row, column) and
    commit it with Enter, as a learner does."""
    box = page.get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(value)
    box.press("Enter")


def test_gates_step_through_in_the_browser(server, browser):
    """Next, edit a weight, switch the cell: each answers with new arithmetic, no error."""
    en = lambda key, **values: translate(key, "en", **values)  # noqa: E731
    page = _open(browser, server, "gates", "en")
    page.get_by_label(f"{en('gates.row_i')} b i1", exact=True).wait_for(timeout=60_000)
    page.get_by_role("button", name=en("gates.next")).click()
    _latex_shows(page, "f_{2,1}")
    page.wait_for_function(SETTLED, timeout=60_000)
    # the input gate's b of unit 1, typed with the minus sign a Japanese IME gives (U+FF0D)
    _edit_cell(page, f"{en('gates.row_i')} b i1", "\uff0d１")
    _latex_shows(page, "\\sigma(4) = 0.982")  # i_{2,1} = σ(1·5 + ... + (−1)): was σ(2)
    cells = page.get_by_role("radiogroup", name=en("gates.cell"), exact=True)
    cells.get_by_text("GRU", exact=True).click()  # the picker, not the intro's glossary link
    _latex_shows(page, "z_{2,1}")
    page.wait_for_function(SETTLED, timeout=60_000)
    page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text="keras.layers.GRU").first.wait_for(timeout=60_000)
    _assert_healthy(page)
    _screenshot(page, "gates-gru-en")
    page.close()


def _open_gate_view(page, lang: str) -> None:
    """The reading's second view (drawn only once chosen)."""
    button = page.get_by_role("radio", name=translate("sentiment.tab_gates", lang), exact=True)
    button.wait_for(timeout=120_000)
    button.click()


def test_the_gate_view_follows_a_picked_unit_in_the_browser(server, browser):
    en = lambda key, **values: translate(key, "en", **values)  # noqa: E731
    page = _open(browser, server, "sentiment", "en")
    _skip_prediction(page, "en")
    _open_gate_view(page, "en")
    heading = page.get_by_role("heading", name=en("gates.view_heading"))
    heading.wait_for(timeout=120_000)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=en("gates.unit_pick"))
    picker.scroll_into_view_if_needed()
    picker.locator("input").click()
    page.keyboard.type("12")
    page.get_by_role("option", name="12", exact=True).click()
    movers = en("gates.movers_heading", unit=12).replace("**", "").split("(")[0].strip()
    page.get_by_text(movers).first.wait_for(timeout=60_000)
    page.wait_for_function(SETTLED, timeout=60_000)
    _assert_healthy(page)
    _screenshot(page, "sentiment-gates-en")
    page.close()


# The script has finished and every element is drawn (lazy ones show a skeleton until then).
FINISHED = ("() => document.querySelector('[data-testid=\"stApp\"]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'"
            " && !document.querySelector('[data-testid=\"stSkeleton\"]')")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_gates_page_and_the_gate_view_in_both_languages(server, browser, lang):
    """Both new views, fully drawn (the Keras check passed, the gate view's last table is
    there), in each language: screenshots for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, server, "gates", lang)
    _skip_prediction(page, lang)
    page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text="keras.layers.LSTM").first.wait_for(timeout=120_000)
    page.wait_for_function(FINISHED, timeout=120_000)
    _assert_healthy(page)
    _screenshot(page, f"gates-stepthrough-{lang}")
    page.goto(f"{server}/sentiment?lang={lang}")
    _skip_prediction(page, lang)
    _open_gate_view(page, lang)
    page.get_by_role("heading", name=translate("gates.view_heading", lang)).wait_for(
        timeout=120_000)
    movers = translate("gates.movers_heading", lang, unit=0).split("0")[0].replace("**", "")
    page.get_by_text(movers.strip()).first.wait_for(timeout=120_000)
    page.wait_for_function(FINISHED, timeout=120_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(chart => chart.querySelector('.main-svg'))", timeout=90_000)
    _assert_healthy(page)
    _screenshot(page, f"sentiment-gates-{lang}")
    page.close()
