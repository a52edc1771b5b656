"""Predict, then reveal: a guess asked before an interactive shows its result, then compared.

A page wraps one of its results in two calls, keeping the edit local::

    if predict.ask(PAGE, "predict_params", signature):   # False: the guess is being asked
        ...draw the result...
        predict.compare(PAGE, "predict_params", signature, outcome)

``ask`` draws the question (its own ``st.fragment``: typing a guess reruns only it) until the
learner locks in a guess or chooses to just see the result; ``compare`` then says whether the
guess came true and why, and records the round in the learner's progress
(``rnn_core.study.records``). ``signature`` is what the result depends on (settings, a text): a new
one asks again, unless ``sticky`` (ask once, then let the learner explore freely). The sidebar
switch turns asking off for the session.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

import streamlit as st

from rnn_core.study import quiz, records
from rnn_ui.glossary import linked
from rnn_ui.session import answers, save_answers, translator
from rnn_ui.widgets import bounded_number

ASK = "predict_first"  # this session's preference (the sidebar switch mirrors it)
_SWITCH = "predict_first_switch"


def asking() -> bool:
    return bool(st.session_state.get(ASK, True))


def prediction_switch() -> None:
    """The sidebar switch: ask for a prediction before showing results (on by default)."""
    def switch() -> None:
        st.session_state[ASK] = st.session_state[_SWITCH]

    st.session_state[_SWITCH] = asking()
    st.sidebar.toggle(translator()("predict.switch"), key=_SWITCH, on_change=switch,
                      help=translator()("predict.switch_help"))


def _state_key(page: str, prediction_id: str) -> str:
    return f"predict:{page}:{prediction_id}"


def ask(page: str, prediction_id: str, signature: Hashable = None, *,
        sticky: bool = False) -> bool:
    """Whether the result may be shown; if not, the prediction is asked here instead."""
    state = st.session_state.get(_state_key(page, prediction_id))
    if state is not None and (sticky or state["signature"] == signature):
        return True
    if not asking():
        return True
    _ask_ui(page, prediction_id, signature)
    return False


@st.fragment
def _ask_ui(page: str, prediction_id: str, signature: Hashable) -> None:
    t = translator()
    prediction = quiz.load_quiz(page).prediction(prediction_id)
    key = _state_key(page, prediction_id)
    with st.container(border=True):
        st.markdown(f"**{t('predict.heading')}**  \n{prediction.text('prompt', t.lang)}")
        if prediction.kind == "choice":
            guess = st.radio(t("predict.your_guess"), prediction.options, index=None,
                             format_func=lambda k: prediction.option_label(k, t.lang),
                             key=key + ":input")
        else:
            guess = bounded_number(st, t("predict.your_number"),
                                   (-quiz.MAX_NUMERIC, quiz.MAX_NUMERIC), None,
                                   key + ":input", step=1.0, fmt="%.0f", keep=False)
        left, right = st.columns(2)
        lock = left.button(t("predict.lock"), key=key + ":lock", type="primary",
                           icon=":material/lock:", width="stretch")
        skip = right.button(t("predict.skip"), key=key + ":skip", width="stretch")
    if lock:
        try:
            value = prediction.normalize(guess)
        except quiz.InvalidResponse:
            st.warning(t("predict.no_guess"))
            return
        at = round(time.time(), 3)
        page_answers = answers().setdefault(page, {})
        page_answers[prediction_id] = records.add_round(page_answers.get(prediction_id), value, at)
        save_answers(page, prediction_id)
        st.session_state[key] = {"signature": signature, "guess": value, "at": at}
        st.rerun()
    if skip:
        st.session_state[key] = {"signature": signature, "guess": None, "at": None}
        st.rerun()


def compare(page: str, prediction_id: str, signature: Hashable, outcome: Any) -> None:
    """After the result: the learner's guess next to what happened, recorded once."""
    key = _state_key(page, prediction_id)
    state = st.session_state.get(key)
    if state is None or state["guess"] is None:
        return
    t = translator()
    prediction = quiz.load_quiz(page).prediction(prediction_id)
    if state["signature"] != signature:
        st.button(t("predict.again"), key=key + ":again", icon=":material/refresh:",
                  on_click=st.session_state.pop, args=(key, None))
        return
    outcome = prediction.normalize(outcome)
    if state.get("outcome") != outcome:
        page_answers = answers().setdefault(page, {})
        record = page_answers.get(prediction_id)
        if record is not None:
            page_answers[prediction_id] = records.set_outcome(record, state["at"], outcome)
            save_answers(page, prediction_id)
        st.session_state[key] = {**state, "outcome": outcome}
    came_true = prediction.matches(state["guess"], outcome)
    message = t("predict.came_true" if came_true else "predict.missed",
                guess=label(prediction, state["guess"], t.lang),
                outcome=label(prediction, outcome, t.lang))
    show = st.success if came_true else st.warning
    show(f"{message}  \n{linked(prediction.text('explanation', t.lang))}",
         icon=":material/psychology:")
    st.button(t("predict.again"), key=key + ":again", icon=":material/refresh:",
              on_click=st.session_state.pop, args=(key, None))


def label(prediction: quiz.Prediction, value: str | float, lang: str) -> str:
    """A guess or an outcome as the learner reads it."""
    if prediction.kind == "choice":
        return prediction.option_label(str(value), lang)
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.4g}"
