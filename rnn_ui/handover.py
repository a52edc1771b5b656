"""Cross-page hand-over: a page gives the fundamentals step-through a model's own numbers.

The sender puts a ``StepThroughInput`` (typed, frozen, checked when it was built) into the
session and switches page; the step-through takes it once. Nothing but this module knows the
session key.
"""

from __future__ import annotations

import streamlit as st

from rnn_core import course
from rnn_core.fundamentals.stepthrough import StepThroughInput

_STEPTHROUGH = "handover:stepthrough"


def send_to_stepthrough(numbers: StepThroughInput) -> None:
    """Hand ``numbers`` to the fundamentals page and go there."""
    st.session_state[_STEPTHROUGH] = numbers
    st.switch_page(course.page("fundamentals").file)


def take_for_stepthrough() -> StepThroughInput | None:
    """What another page handed over since the last look, if anything (taken only once)."""
    return st.session_state.pop(_STEPTHROUGH, None)
