"""Cross-page hand-over: a page gives a step-through a model's own numbers.

The sender puts a ``StepThroughInput`` (typed, frozen, checked when it was built) into the
session and switches to the page that steps through its cell (``StepThroughInput.page``: the
SimpleRNN on the fundamentals page, LSTM and GRU on their own page); that page takes it once.
Nothing but this module knows the session keys.
"""

from __future__ import annotations

import streamlit as st

from rnn_core import course
from rnn_core.fundamentals.stepthrough import StepThroughInput

_STEPTHROUGH = "handover:stepthrough"


def _key(page: str) -> str:
    return _STEPTHROUGH if page == "fundamentals" else f"{_STEPTHROUGH}:{page}"


def send_to_stepthrough(numbers: StepThroughInput) -> None:
    """Hand ``numbers`` to the page that steps through their cell and go there."""
    st.session_state[_key(numbers.page)] = numbers
    st.switch_page(course.page(numbers.page).file)


def take_for_stepthrough(page: str = "fundamentals") -> StepThroughInput | None:
    """What another page handed over to ``page`` since its last look, if anything (taken once)."""
    return st.session_state.pop(_key(page), None)
