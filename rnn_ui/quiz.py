"""The quiz widget every page ends with: one small form per question, instant feedback."""

from __future__ import annotations

import streamlit as st

from rnn_core import quiz
from rnn_ui.session import answers, save_answers, translator


def quiz_ui(page: str) -> quiz.Score:
    """Show ``page``'s quiz; returns the learner's current score on it."""
    t = translator()
    page_quiz = quiz.load_quiz(page)
    st.header(t("quiz.heading"), anchor="quiz")
    for number, question in enumerate(page_quiz.questions, start=1):
        with st.container(border=True):
            _question_ui(page, number, question)
    result = quiz.score(page_quiz, answers().get(page, {}))
    st.progress(result.completion, text=t("quiz.score", correct=result.correct,
                                          answered=result.answered, total=result.total))
    return result


def _question_ui(page: str, number: int, question: quiz.Question) -> None:
    t = translator()
    st.markdown(f"**{t('quiz.question', number=number)}** {question.text('prompt', t.lang)}")
    with st.form(key=f"quiz:{page}:{question.id}", border=False):
        raw = _response_widget(page, question, t.lang)
        submitted = st.form_submit_button(t("quiz.check"))
    page_answers = answers().setdefault(page, {})
    if submitted:
        try:
            page_answers[question.id] = quiz.normalize_response(question, raw)
            save_answers()
        except quiz.InvalidResponse:
            st.warning(t("quiz.no_answer"))
    if question.id in page_answers:
        _feedback(question, page_answers[question.id])


def _response_widget(page: str, question: quiz.Question, lang: str) -> object:
    """The input for one question, in the shape ``quiz.normalize_response`` expects."""
    key = f"quiz:{page}:{question.id}:input"
    t = translator()
    if question.kind == "single":
        labels = question.choice_texts(lang)
        return st.radio(t("quiz.choose_one"), range(len(labels)), index=None,
                        format_func=labels.__getitem__, key=key)
    if question.kind == "multiple":
        st.caption(t("quiz.choose_all"))
        return [i for i, label in enumerate(question.choice_texts(lang))
                if st.checkbox(label, key=f"{key}:{i}")]
    integer = float(question.answer).is_integer() and question.tolerance < 1
    return st.number_input(
        t("quiz.your_number"), value=None, key=key,
        min_value=-quiz.MAX_NUMERIC, max_value=quiz.MAX_NUMERIC,
        step=1.0 if integer else 0.01, format="%.0f" if integer else "%.4f",
    )


def _feedback(question: quiz.Question, response: quiz.Response) -> None:
    t = translator()
    correct = quiz.is_correct(question, response)
    message = t("quiz.correct") if correct else t("quiz.incorrect")
    show = st.success if correct else st.error
    icon = ":material/check_circle:" if correct else ":material/lightbulb:"
    show(f"{message}  \n{question.text('explanation', t.lang)}", icon=icon)
