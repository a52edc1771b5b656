"""The quiz widget every page ends with: one fragment per question, feedback that teaches.

Each question is its own ``st.fragment``, so checking an answer reruns that question only. The
choices appear in the learner's own order (``quiz.choice_order``). A wrong answer shows the
feedback of what was chosen and invites another try; the explanation comes only after a
correct answer or "Show the answer", which the record keeps (``rnn_core.study.records``).
"""

from __future__ import annotations

import time

import streamlit as st

from rnn_core.study import quiz, records
from rnn_ui.glossary import linked
from rnn_ui.session import LEARNER, answers, save_answers, translator
from rnn_ui.widgets import bounded_number, lazy_expander


def quiz_ui(page: str) -> records.Score:
    """Show ``page``'s quiz; returns the learner's current score on it."""
    t = translator()
    page_quiz = quiz.load_quiz(page)
    st.header(t("quiz.heading"), anchor="quiz")
    st.caption(t("quiz.how"))
    score_slot = st.empty()
    for number, question in enumerate(page_quiz.questions, start=1):
        question_ui(page, number, question, score_slot)
    return records.score(page_quiz, answers().get(page, {}))


def show_score(slot, page_quiz: quiz.Quiz) -> records.Score:
    """The page's score in ``slot``, a container outside the questions' fragments: each
    question writes it on every run (a fragment may only refill an outside container it also
    filled in the last full run), so a check updates it without rerunning the page."""
    t = translator()
    result = records.score(page_quiz, answers().get(page_quiz.page, {}))
    slot.progress(result.completion, text=t(
        "quiz.score", correct=result.correct, first=result.first_try, revealed=result.revealed,
        answered=result.answered, total=result.total))
    return result


@st.fragment
def question_ui(page: str, number: int, question: quiz.Question, score_slot) -> None:
    """One question: its input, its check button, and what the record says so far."""
    t = translator()
    key = f"quiz:{page}:{question.id}"
    with st.container(border=True):
        st.markdown(f"**{t('quiz.question', number=number)}** "
                    f"{question.text('prompt', t.lang)}")
        with st.form(key=key, border=False):
            raw = _response_widget(key, question, t.lang)
            submitted = st.form_submit_button(t("quiz.check"))
        if submitted:
            _check(page, question, raw, key)
        record = answers().get(page, {}).get(question.id)
        _state_ui(page, question, record, key)
    show_score(score_slot, quiz.load_quiz(page))


def _check(page: str, question: quiz.Question, raw: object, key: str) -> None:
    """Grade a checked answer; record it as a try unless the question is settled already."""
    t = translator()
    try:
        response = quiz.normalize_response(question, raw)
    except quiz.InvalidResponse:
        st.warning(t("quiz.no_answer"))
        return
    st.session_state[key + ":checked"] = response  # what the feedback below is about
    page_answers = answers().setdefault(page, {})
    record = page_answers.get(question.id)
    if not records.is_settled(question, record):
        page_answers[question.id] = records.add_try(record, response, round(time.time(), 3))
        save_answers(page, question.id)


def _state_ui(page: str, question: quiz.Question, record: records.Record | None,
              key: str) -> None:
    t = translator()
    status = records.status(question, record)
    checked = st.session_state.get(key + ":checked")
    if checked is None and status == "trying":
        checked = records.responses(record)[-1]  # a reload: the last try's feedback
    if status in ("first_try", "after_retries"):
        tries = len(records.responses(record))
        verdict = t("quiz.correct_first") if status == "first_try" else t(
            "quiz.correct_after", tries=tries)
        if checked is not None and not quiz.is_correct(question, checked):
            _wrong_ui(question, checked, settled=True)
        st.success(f"{verdict}  \n{linked(question.text('explanation', t.lang))}",
                   icon=":material/check_circle:")
        _every_choice_ui(question, key)
    elif status == "revealed":
        if checked is not None:
            if quiz.is_correct(question, checked):
                st.caption(t("quiz.right_after_reveal"))
            else:
                _wrong_ui(question, checked, settled=True)
        st.info(f"{t('quiz.revealed', answer=answer_text(question, t.lang))}  \n"
                f"{linked(question.text('explanation', t.lang))}  \n{t('quiz.revealed_note')}",
                icon=":material/visibility:")
        _every_choice_ui(question, key)
    elif checked is not None:
        _wrong_ui(question, checked, settled=False)

        def reveal() -> None:
            page_answers = answers().setdefault(page, {})
            page_answers[question.id] = records.add_reveal(page_answers.get(question.id),
                                                           round(time.time(), 3))
            st.session_state.pop(key + ":checked", None)
            save_answers(page, question.id)

        st.button(t("quiz.reveal"), key=key + ":reveal", on_click=reveal,
                  icon=":material/visibility:")


def _wrong_ui(question: quiz.Question, response: quiz.Response, *, settled: bool) -> None:
    """The feedback for a wrong answer: why each wrong pick is wrong, never the key."""
    t = translator()
    result = quiz.feedback(question, response)
    lines = [t("quiz.incorrect")]
    if result.missing:
        lines.append(t("quiz.missing"))
    lines += [linked(quiz.in_language(reason, t.lang)) for reason in result.reasons]
    if not settled:
        lines.append(t("quiz.try_again"))
    st.error("  \n".join(lines), icon=":material/lightbulb:")


def _every_choice_ui(question: quiz.Question, key: str) -> None:
    """After the answer is known: every choice with its own feedback, in the learner's order."""
    if question.kind == "numeric":
        return
    t = translator()
    right = question.correct_choices()
    box = lazy_expander(t("quiz.every_choice"), key + ":every", icon=":material/fact_check:")
    with box:
        if not box.open:
            return
        for index in quiz.choice_order(question, st.session_state[LEARNER]):
            choice = question.choices[index]
            mark = "✅" if index in right else "❌"
            st.markdown(f"{mark} **{quiz.in_language(choice.text, t.lang)}**  \n"
                        f"{linked(quiz.in_language(choice.why, t.lang))}")


def answer_text(question: quiz.Question, lang: str) -> str:
    """The key as a learner reads it: the choice text(s), or the number."""
    if question.kind == "numeric":
        value = float(question.answer)  # type: ignore[arg-type]
        return f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    texts = question.choice_texts(lang)
    return "; ".join(texts[i] for i in sorted(question.correct_choices()))


def _response_widget(key: str, question: quiz.Question, lang: str) -> object:
    """The input for one question, in the shape ``quiz.normalize_response`` expects."""
    t = translator()
    key += ":input"
    labels = question.choice_texts(lang)
    order = quiz.choice_order(question, st.session_state[LEARNER])
    if question.kind == "single":
        return st.radio(t("quiz.choose_one"), order, index=None,
                        format_func=labels.__getitem__, key=key)
    if question.kind == "multiple":
        st.caption(t("quiz.choose_all"))
        return sorted(i for i in order if st.checkbox(labels[i], key=f"{key}:{i}"))
    integer = float(question.answer).is_integer() and question.tolerance < 1
    return bounded_number(st, t("quiz.your_number"), (-quiz.MAX_NUMERIC, quiz.MAX_NUMERIC), None,
                          key, step=1.0 if integer else 0.01,
                          fmt="%.0f" if integer else "%.4f", keep=False)
