"""Small Streamlit helpers several pages use: a bounded number, work in the training slot, and a
per-session memo of results that only a new model or new settings may change."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from rnn_core.concurrency import TrainingBusy, training_slot
from rnn_ui.session import translator

Result = TypeVar("Result")


def bounded_number(container: Any, label: str, bound: tuple[float, float], default: float,
                   key: str, *, help_text: str | None = None, fmt: str | None = None,
                   step: float | None = None):
    """A number input that cannot leave ``bound``; whole numbers stay ``int`` (the type of
    ``default`` decides), decimals step by ``step``, else by the last digit ``fmt`` shows."""
    whole = isinstance(default, int)
    cast = int if whole else float
    low, high = bound
    if step is None and not whole:
        step = 10 ** -(int(fmt[2]) if fmt else 2)
    value = container.number_input(label, cast(low), cast(high), cast(default), key=key,
                                   help=help_text, format=fmt, step=step)
    return cast(value)


def in_training_slot(compute: Callable[[], Result],
                     show_wait: Callable[[str], object] | None = None) -> Result | None:
    """``compute()`` in the server's one training slot. While another session holds it, the
    learner is told so (through ``show_wait``, default ``st.info``); if it stays busy past the
    slot's timeout, an error says so and the result is ``None``."""
    t = translator()
    show = show_wait or (lambda text: st.info(text, icon=":material/hourglass:"))
    try:
        with training_slot(on_wait=lambda: show(t("common.training_waiting"))):
            return compute()
    except TrainingBusy:
        st.error(t("common.training_busy"))
        return None


def memo(key: str, owner: object, signature: Hashable, compute: Callable[[], Result]) -> Result:
    """``compute()``, kept in this session under ``key`` while it is asked for the same
    ``owner`` (compared by identity: a session's trained model) and an equal ``signature``
    (what else the result depends on: the model's epochs, a horizon)."""
    stored = st.session_state.get(key)
    if stored is None or stored[0] is not owner or stored[1] != signature:
        stored = (owner, signature, compute())
        st.session_state[key] = stored
    return stored[2]
