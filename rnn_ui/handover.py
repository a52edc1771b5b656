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
_KEPT = "imported"  # after a step-through's key prefix: the numbers it was handed, kept


def _key(page: str) -> str:
    return _STEPTHROUGH if page == "fundamentals" else f"{_STEPTHROUGH}:{page}"


def send_to_stepthrough(numbers: StepThroughInput) -> None:
    """Hand ``numbers`` to the page that steps through their cell and go there."""
    st.session_state[_key(numbers.page)] = numbers
    st.switch_page(course.page(numbers.page).file)


def take_for_stepthrough(page: str = "fundamentals") -> StepThroughInput | None:
    """What another page handed over to ``page`` since its last look, if anything (taken once)."""
    return st.session_state.pop(_key(page), None)


def receive(page: str, key: str) -> StepThroughInput | None:
    """Keep what was handed over to ``page``, if anything, and size its step-through (widget
    keys ``key`` + features / units / steps) to fit it; a fresh seed would overwrite it, so
    none. Returns the numbers taken."""
    numbers = take_for_stepthrough(page)
    if numbers is not None:
        features, units, steps = numbers.sizes
        st.session_state[key + _KEPT] = numbers
        st.session_state.update({key + "features": features, key + "units": units,
                                 key + "steps": steps, key + "seed": None})
    return numbers


def received(key: str, cell: str, sizes: tuple[int, int, int]) -> StepThroughInput | None:
    """The handed-over numbers, while the learner keeps the cell and sizes they came with."""
    numbers = st.session_state.get(key + _KEPT)
    if numbers is None or numbers.cell != cell or numbers.sizes != sizes:
        return None
    return numbers


def drop(key: str) -> None:
    """The learner asked for other numbers: forget what was handed over."""
    st.session_state.pop(key + _KEPT, None)
