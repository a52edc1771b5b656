"""The quiz, the predictions, the glossary and the default language, driven through AppTest.

A wrong answer shows that choice's feedback and invites another try; the explanation comes only
after a right answer or "Show the answer", which the record keeps and the Progress page counts
apart from right answers. Choices appear in the learner's own order. Each page asks for its
prediction before it shows the result, then compares and records it.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from rnn_core import course
from rnn_core.fundamentals.shapes import EXPLORER_DEFAULTS, total_params
from rnn_core.i18n import translate
from rnn_core.sentiment import registry
from rnn_core.study import progress, quiz, records
from tests.apptest import button, open_app, open_lazy, plain
from tests.conftest import ROOT

SINE = quiz.load_quiz("sine")


def _key(question: quiz.Question) -> str:
    return f"quiz:sine:{question.id}"


def check(at: AppTest, question: quiz.Question, response) -> AppTest:
    """Give ``response`` (YAML indices, or a number) to a sine question and press its button."""
    key = _key(question) + ":input"
    if question.kind == "single":
        at.radio(key=key).set_value(response)
    elif question.kind == "multiple":
        for index in range(len(question.choices)):
            at.checkbox(key=f"{key}:{index}").set_value(index in response)
    else:
        at.number_input(key=key).set_value(response)
    label = translate("quiz.check", at.query_params["lang"])
    buttons = [b for b in at.button if b.label == label]
    buttons[SINE.questions.index(question)].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def record(at: AppTest, question: quiz.Question) -> records.Record:
    return at.session_state["answers"]["sine"][question.id]


def texts(elements) -> list[str]:
    return [plain(element.value) for element in elements]


def test_a_wrong_answer_explains_that_choice_and_a_retry_counts_as_after_retries():
    question = SINE.question("many_to_many_targets")
    wrong = next(i for i in range(4) if i != question.answer)
    at = check(open_app("en", "sine"), question, wrong)
    errors = " ".join(texts(at.error))
    assert question.choices[wrong].why["en"] in errors
    assert translate("quiz.try_again", "en") in errors
    explanation = question.explanation["en"]
    assert not any(explanation in text for text in texts([*at.success, *at.info, *at.error]))
    assert records.status(question, record(at, question)) == "trying"
    check(at, question, question.answer)
    assert records.status(question, record(at, question)) == "after_retries"
    success = " ".join(texts(at.success))
    assert explanation in success and translate("quiz.correct_after", "en", tries=2) in success
    every = at.expander[-1]  # "why each choice": each choice's own feedback, once solved
    assert not every.markdown  # built only once opened
    every = open_lazy(at, _key(question) + ":every").expander[-1]
    shown = " ".join(plain(m.value) for m in every.markdown)
    assert all(choice.why["en"] in shown for choice in question.choices)


def test_the_first_try_is_recognised_and_saved():
    question = SINE.question("closed_loop_first_step")
    at = check(open_app("en", "sine"), question, question.answer)
    assert translate("quiz.correct_first", "en") in " ".join(texts(at.success))
    code = at.query_params["learner"]
    stored = progress.ProgressStore().load(code)["sine"][question.id]
    assert records.status(question, stored) == "first_try"


def test_show_the_answer_is_recorded_and_never_counts_as_right():
    question = SINE.question("chronological_split")
    wrong = next(i for i in range(4) if i != question.answer)
    at = check(open_app("en", "sine"), question, wrong)
    at.button(key=_key(question) + ":reveal").click().run()
    assert not at.exception
    answer = question.choice_texts("en")[question.answer]
    info = " ".join(texts(at.info))
    assert translate("quiz.revealed", "en", answer=answer) in info
    assert question.explanation["en"] in info
    check(at, question, question.answer)  # right, but after the reveal
    assert translate("quiz.right_after_reveal", "en") in [c.value for c in at.caption]
    assert records.status(question, record(at, question)) == "revealed"
    at.switch_page(course.page("progress").file).run()
    table = at.dataframe[0].value.set_index(translate("progress.col_page", "en"))
    row = table.loc[translate("nav.sine", "en")]
    assert row[translate("progress.col_revealed", "en")] == 1
    assert row[translate("progress.col_first_try", "en")] == 0
    assert row[translate("progress.col_after_retries", "en")] == 0


def test_the_choices_appear_in_the_learners_own_order():
    question = SINE.question("differencing_trend")
    labels = question.choice_texts("en")
    orders = []
    for code in ("learner-one-0001", "learner-two-0002", "learner-three-03"):
        at = open_app("en", "sine", learner=code)
        order = quiz.choice_order(question, code)
        assert at.radio(key=_key(question) + ":input").options == [labels[i] for i in order]
        orders.append(order)
    assert len({tuple(order) for order in orders}) > 1


def test_multiple_choice_feedback_names_wrong_ticks_and_says_when_one_is_missing():
    question = SINE.question("teacher_forcing")
    at = check(open_app("en", "sine"), question, [0, 1])
    assert question.choices[1].why["en"] in " ".join(texts(at.error))
    check(at, question, [0])
    errors = " ".join(texts(at.error))
    assert translate("quiz.missing", "en") in errors
    assert question.choices[2].why["en"] not in errors  # the missing ones stay unnamed


def test_a_numeric_slip_gets_its_own_feedback_and_any_other_number_the_hint():
    question = SINE.question("window_count")
    at = check(open_app("ja", "sine"), question, 41)
    assert question.mistakes[0].why["ja"] in " ".join(texts(at.error))
    check(at, question, 7)
    assert question.hint["ja"] in " ".join(texts(at.error))


def test_a_version_1_progress_file_uploads_and_is_regraded():
    document = (ROOT / "tests" / "data" / "progress_v1_right.json").read_bytes()
    at = open_app("en", "progress")
    at.file_uploader(key="progress:upload:0").set_value(("p.json", document, "application/json"))
    at.run()
    button(at, translate("progress.upload_apply", "en")).click().run()
    assert not at.exception
    table = at.dataframe[0].value.set_index(translate("progress.col_page", "en"))
    first = table[translate("progress.col_first_try", "en")]
    assert first.sum() == 41
    assert translate("progress.totals", "en", first_try=41, after_retries=0, revealed=0,
                     predicted=0, predicted_right=0) in [c.value for c in at.caption]


# ---------------------------------------------------------------- predictions
def _prediction_record(at: AppTest, page: str, prediction_id: str) -> records.Record:
    return at.session_state["answers"][page][prediction_id]


def test_fundamentals_hides_the_shapes_table_until_the_total_is_predicted():
    at = open_app("en", "fundamentals", predict_first=True)
    layer = translate("fundamentals.col_layer", "en")
    assert not any(layer in d.value.columns for d in at.dataframe)
    at.number_input(key="predict:fundamentals:predict_total_params:input").set_value(1000)
    at.button(key="predict:fundamentals:predict_total_params:lock").click().run()
    assert not at.exception
    assert any(layer in d.value.columns for d in at.dataframe)  # revealed
    total = total_params(EXPLORER_DEFAULTS)  # what Keras counts for the settings as they open
    warning = " ".join(texts(at.warning))
    assert translate("predict.missed", "en", guess="1,000", outcome=f"{total:,}") in warning
    rounds = _prediction_record(at, "fundamentals", "predict_total_params")["rounds"]
    assert [(r["guess"], r["outcome"]) for r in rounds] == [(1000.0, float(total))]
    at.number_input(key="fund:U").set_value(8).run()  # sticky: exploring keeps the table
    assert any(layer in d.value.columns for d in at.dataframe)


def test_just_show_me_reveals_without_recording_a_guess():
    at = open_app("ja", "fundamentals", predict_first=True)
    at.button(key="predict:fundamentals:predict_total_params:skip").click().run()
    layer = translate("fundamentals.col_layer", "ja")
    assert any(layer in d.value.columns for d in at.dataframe)
    assert "predict_total_params" not in at.session_state["answers"].get("fundamentals", {})


def test_the_comparison_page_asks_which_cell_fails_before_the_sweep_and_compares():
    at = open_app("en", "compare", predict_first=True)
    assert not any("compare-sweep" in c.value for c in at.caption)  # the chart is not out yet
    at.radio(key="predict:compare:predict_memory_failure:input").set_value("simple_rnn")
    at.button(key="predict:compare:predict_memory_failure:lock").click().run()
    assert not at.exception
    assert any("compare-sweep" in c.value for c in at.caption)
    assert translate("predict.came_true", "en", guess="SimpleRNN only",
                     outcome="SimpleRNN only") in " ".join(texts(at.success))
    rounds = _prediction_record(at, "compare", "predict_memory_failure")["rounds"]
    assert rounds[0]["outcome"] == "simple_rnn"
    at.switch_page(course.page("progress").file).run()
    table = at.dataframe[0].value.set_index(translate("progress.col_page", "en"))
    assert table.loc[translate("nav.compare", "en"),
                     translate("progress.col_predictions", "en")] == "1 / 1"


def test_the_gates_page_asks_what_the_state_keeps_before_drawing_its_path():
    at = open_app("en", "gates", predict_first=True)
    assert not at.image  # the state's path is not drawn yet
    hint = translate("gates.hint_lstm_remember", "en", pulse=2, reset=6)  # it states the outcome
    assert hint not in texts(at.info)
    at.radio(key="predict:gates:predict_memory_kept:input").set_value("faded")
    at.button(key="predict:gates:predict_memory_kept:lock").click().run()
    assert not at.exception
    assert len(at.image) == 2  # the path and the heatmap
    assert hint in texts(at.info)
    missed = translate("predict.missed", "en", guess="Some of it: between a tenth and a half",
                       outcome="Most of it: half or more")  # the default LSTM keeps its pulse
    assert missed in " ".join(texts(at.warning))
    rounds = _prediction_record(at, "gates", "predict_memory_kept")["rounds"]
    assert rounds[0]["guess"] == "faded" and rounds[0]["outcome"] == "kept"


def test_the_gates_hint_comes_with_the_result_when_the_prediction_is_skipped():
    at = open_app("ja", "gates", predict_first=True)
    hint = translate("gates.hint_lstm_remember", "ja", pulse=2, reset=6)
    assert hint not in texts(at.info)
    at.button(key="predict:gates:predict_memory_kept:skip").click().run()
    assert not at.exception
    assert hint in texts(at.info) and len(at.image) == 2


def test_the_sidebar_switch_turns_predictions_off():
    at = open_app("en", predict_first=True)
    at.toggle(key="predict_first_switch").set_value(False).run()
    at.switch_page(course.page("compare").file).run()
    assert any("compare-sweep" in c.value for c in at.caption)


@pytest.mark.skipif(not registry.manifests(registry.MODELS_DIR), reason="no shipped models")
def test_the_sentiment_page_asks_for_a_verdict_before_the_models_read():
    at = open_app("en", "sentiment", predict_first=True)
    assert not [m for m in at.metric if m.label == "GRU"]  # no verdict before the guess
    at.selectbox(key="sent:example").set_value("negation").run()
    at.radio(key="predict:sentiment:predict_verdict:input").set_value("positive")
    at.button(key="predict:sentiment:predict_verdict:lock").click().run()
    assert not at.exception
    assert [m for m in at.metric if m.label == "GRU"]
    assert translate("predict.missed", "en", guess="Positive", outcome="Negative") in " ".join(
        texts(at.warning))
    at.selectbox(key="sent:example").set_value("tricky").run()  # a new review: a new guess
    assert not [m for m in at.metric if m.label == "GRU"]


@pytest.mark.slow
def test_the_forecasting_page_asks_about_the_closed_loop_before_drawing_the_forecasts():
    at = open_app("en", "sine", predict_first=True)
    at.number_input(key="sine:sine:epochs").set_value(3)
    at.number_input(key="sine:sine:units").set_value(4)
    button(at, translate("sine.train", "en")).click().run()
    assert not at.exception
    table = "MSE"
    assert not any(table in d.value.columns for d in at.dataframe)
    at.radio(key="predict:sine:predict_closed_loop:input").set_value("larger")
    at.button(key="predict:sine:predict_closed_loop:lock").click().run()
    assert not at.exception
    assert any(table in d.value.columns for d in at.dataframe)
    rounds = _prediction_record(at, "sine", "predict_closed_loop")["rounds"]
    assert rounds[0]["outcome"] in {"larger", "about_same", "smaller"}


# ---------------------------------------------------------------- glossary and language
def test_the_glossary_page_searches_and_opens_the_linked_term():
    at = open_app("ja", "glossary", term="forget_gate")
    assert translate("glossary.linked_term", "ja") in [i.value for i in at.info]
    names = [m.value for m in at.markdown if m.value.startswith("**")]
    assert names[0].startswith("**忘却ゲート** ・ forget gate")  # the linked term comes first
    at.text_input(key="glossary:search").input("勾配").run()
    assert not at.exception
    found = [m.value for m in at.markdown if m.value.startswith("**")]
    assert found and all("勾配" in text or "gradient" in text.lower() for text in found[:3])


def test_the_glossary_page_shows_avoided_variants_as_words_in_the_pages_language():
    """Stems are for matching (押しつぶ catches 押しつぶす and 押しつぶし); a reader sees words,
    joined as Japanese joins a list."""
    at = open_app("ja", "glossary", term="tanh")
    assert not at.exception
    expected = translate("glossary.avoid", "ja", variants="押しつぶす、押し込む")
    assert any(expected in caption.value for caption in at.caption)
    at = open_app("en", "glossary", term="flatten")
    words = "平らにする (日本語), 平らにして (日本語)"
    expected = translate("glossary.avoid", "en", variants=words)
    assert any(expected in caption.value for caption in at.caption)


def test_quiz_texts_link_their_terms_to_the_glossary():
    question = SINE.question("many_to_many_targets")
    at = check(open_app("en", "sine"), question, question.answer)
    assert any("./glossary?term=" in s.value for s in at.success)


@pytest.mark.parametrize(("lang", "locale", "title_lang"), [
    (None, "ja-JP", "ja"), (None, "en-US", "en"), ("en", "ja-JP", "en"), ("ja", "en-US", "ja"),
])
def test_a_japanese_browser_gets_japanese_unless_the_url_says_otherwise(lang, locale,
                                                                        title_lang):
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.context = {"locale": locale}
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert at.title[0].value == translate("home.title", title_lang)
    assert at.markdown[0].value == translate("home.tagline", title_lang)
    assert at.query_params["lang"] == title_lang
    if title_lang == "ja":  # the switch still wins
        at.radio(key="lang_switch").set_value("en").run()
        assert at.markdown[0].value == translate("home.tagline", "en")


def test_the_progress_file_of_a_session_records_tries_and_reveals():
    question = SINE.question("window_count")
    at = check(open_app("en", "sine"), question, 41)
    at.button(key=_key(question) + ":reveal").click().run()
    document = json.loads(progress.to_json(at.session_state["answers"]))
    stored = document["answers"]["sine"]["window_count"]
    assert [t["response"] for t in stored["tries"]] == [41.0] and stored["revealed_at"]
    assert document["version"] == progress.VERSION
