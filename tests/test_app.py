"""AppTest: the app runs every page in both languages and the widgets do what they say."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from rnn_core import course
from rnn_core.fundamentals.stepthrough import StepThroughInput
from rnn_core.i18n import translate
from rnn_core.study import progress, quiz, records
from tests.apptest import button, open_app, plain


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", course.PAGES, ids=lambda page: page.name)
def test_every_page_runs_in_both_languages(page, lang):
    at = open_app(lang, page.name)
    assert at.title[0].value == translate(page.title_key, lang)
    assert at.query_params["lang"] == lang


@pytest.mark.parametrize("junk", ["xx", "", "<script>alert(1)</script>", "ja" * 5000])
def test_unknown_language_falls_back_to_english(junk):
    at = open_app(junk, "fundamentals")
    assert at.title[0].value == translate("fundamentals.title", "en")
    assert at.query_params["lang"] == "en"


def test_language_switch_rewrites_the_page_and_the_url():
    # The default page: AppTest drops router.py's sidebar after switch_page (the browser test
    # covers the switch on other pages).
    at = open_app("en")
    at.radio(key="lang_switch").set_value("ja").run()
    assert not at.exception
    assert at.title[0].value == translate("home.title", "ja")
    assert at.markdown[0].value == translate("home.tagline", "ja")
    assert at.query_params["lang"] == "ja"


def test_a_picked_view_survives_the_language_switch():
    """The learner who picked the many-to-one pattern still sees it in Japanese (as the switch's
    callback does, the session's language is set; a tab bar went back to its first tab)."""
    at = open_app("en", "fundamentals")
    at.session_state["fund:pattern"] = "many_to_one"
    at.run()
    at.session_state["lang"] = "ja"
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert translate("fundamentals.pattern_many_to_one_text", "ja") in shown
    assert translate("fundamentals.pattern_one_to_one_text", "ja") not in shown


def _latex_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.latex)


def test_step_through_moves_in_time_and_matches_keras():
    at = open_app("en", "fundamentals")
    assert at.slider(key="fund:step").value == 1
    assert "h_{1,1}" in _latex_text(at)
    button(at, translate("fundamentals.next", "en")).click().run()
    assert at.slider(key="fund:step").value == 2
    assert "h_{2,1}" in _latex_text(at) and "h_{1,1}" not in _latex_text(at)
    matched = translate("fundamentals.keras_match", "en", difference="")[:40]
    assert any(s.value.startswith(matched) for s in at.success)
    at.number_input(key="fund:units").set_value(4).run()
    assert not at.exception
    assert "h_{2,4}" in _latex_text(at)
    at.number_input(key="fund:steps").set_value(2).run()  # the step is clamped to the new length
    assert at.slider(key="fund:step").value == 2
    button(at, translate("fundamentals.next", "en")).click().run()
    assert at.slider(key="fund:step").value == 2


def test_random_weights_keep_keras_agreement():
    at = open_app("ja", "fundamentals")
    button(at, translate("fundamentals.random_weights", "ja")).click().run()
    assert not at.exception
    assert any(s.value.startswith(translate("fundamentals.keras_match", "ja", difference="")[:20])
               for s in at.success)


def shapes_table(at: AppTest):
    """The shapes section's table (the step-through's data editors come first)."""
    header = translate("fundamentals.col_layer", "en")
    return next(d.value for d in at.dataframe if header in d.value.columns)


def test_shapes_table_follows_the_settings():
    at = open_app("en", "fundamentals")
    at.number_input(key="fund:U").set_value(64).run()
    at.toggle(key="fund:rs").set_value(True).run()
    table = shapes_table(at)
    assert table.iloc[0, 1] == "(32, 20, 64)"
    at.toggle(key="fund:rs").set_value(False).run()
    at.selectbox(key="fund:cell").set_value("lstm").run()
    at.toggle(key="fund:bi").set_value(True).run()
    table = shapes_table(at)
    assert table.iloc[0, 1] == "(32, 128)"
    assert translate("fundamentals.shapes_agree", "en") in [c.value for c in at.caption]


def _answer_first_question(at: AppTest, correct: bool) -> quiz.Question:
    question = quiz.load_quiz("fundamentals").questions[0]
    assert question.kind == "single"
    choice = question.answer if correct else (question.answer + 1) % len(question.choices)
    at.radio(key=f"quiz:fundamentals:{question.id}:input").set_value(choice)
    button(at, translate("quiz.check", at.query_params["lang"])).click().run()
    assert not at.exception
    return question


@pytest.mark.parametrize("correct", [True, False])
def test_quiz_answer_gets_feedback_and_is_saved_under_the_learner_code(correct):
    at = open_app("en", "fundamentals")
    question = _answer_first_question(at, correct)
    explanation = question.text("explanation", "en")
    assert any(explanation in plain(element.value) for element in at.success) is correct
    if not correct:  # the chosen choice's own feedback, and never the explanation yet
        wrong = (question.answer + 1) % len(question.choices)
        why = question.choices[wrong].why["en"]
        assert any(why in plain(element.value) for element in at.error)
        assert not any(explanation in plain(e.value) for e in [*at.error, *at.success, *at.info])
    code = at.query_params["learner"]
    assert progress.is_learner_code(code)
    assert progress.ProgressStore().load(code) == {
        "fundamentals": {question.id: at.session_state["answers"]["fundamentals"][question.id]}}
    # A new session (reload) with the same link gets the answers back.
    again = open_app("en", "progress", learner=code)
    total = len(quiz.load_quiz("fundamentals").questions)
    table = again.dataframe[0].value.set_index(translate("progress.col_page", "en"))
    fundamentals = translate("nav.fundamentals", "en")
    assert table.loc[fundamentals, translate("progress.col_answered", "en")] == f"1 / {total}"
    assert table.loc[fundamentals, translate("progress.col_first_try", "en")] == int(correct)


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"format": "rnn-lab-progress", "version": 1, "answers": {}, "checksum": "x", "score": 9}',
     "forged"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not_json"),
    (b"<script>alert(1)</script>", "not_json"),
])
def test_progress_page_refuses_bad_uploads_and_keeps_the_page(content, reason):
    at = open_app("ja", "progress")
    at.file_uploader(key="progress:upload:0").set_value(("p.json", content, "application/json"))
    at.run()
    assert not at.exception
    assert translate(f"progress.err_{reason}", "ja") in [e.value for e in at.error]
    assert at.title[0].value == translate("progress.title", "ja")  # the rest of the page is there


def test_progress_upload_replaces_answers_after_confirmation():
    question = quiz.load_quiz("fundamentals").questions[0]
    record = records.add_try(None, question.answer, 1.0)
    document = progress.to_json({"fundamentals": {question.id: record}}).encode()
    at = open_app("en", "progress")
    at.file_uploader(key="progress:upload:0").set_value(("p.json", document, "application/json"))
    at.run()
    assert at.session_state["answers"] == {}  # nothing replaced before the learner confirms
    button(at, translate("progress.upload_apply", "en")).click().run()
    assert not at.exception
    assert at.session_state["answers"] == {"fundamentals": {question.id: record}}
    assert translate("progress.upload_done", "en") in [s.value for s in at.success]


def test_progress_reset_clears_answers():
    at = open_app("en", "fundamentals")
    _answer_first_question(at, True)
    at.switch_page(course.page("progress").file).run()
    at.checkbox(key="progress:sure").check().run()
    button(at, translate("progress.reset_button", "en")).click().run()
    assert not at.exception
    assert at.session_state["answers"] == {}
    assert translate("progress.reset_done", "en") in [s.value for s in at.success]


def test_weights_handed_over_by_the_forecaster_fill_the_step_through():
    """The sine page hands a trained SimpleRNN over (rnn_ui.handover) and switches page."""
    at = open_app("en", "home")
    numbers = StepThroughInput(
        "simple_rnn", inputs=np.array([[0.1], [0.5], [0.9], [0.4], [-0.2]]),
        kernel=np.array([[0.7, -0.3, 0.2]]),
        recurrent=np.array([[0.1, 0.2, 0.0], [0.0, 0.3, 0.1], [0.2, 0.0, 0.4]]),
        bias=np.array([0.05, -0.1, 0.0]))
    at.session_state["handover:stepthrough"] = numbers
    at.switch_page(course.page("fundamentals").file).run()
    assert not at.exception and not at.warning
    assert at.number_input(key="fund:units").value == 3
    assert at.number_input(key="fund:steps").value == 5
    assert translate("fundamentals.imported_note", "en") in [i.value for i in at.info]
    assert "0.7" in _latex_text(at)  # step 1 uses the handed-over W_x
