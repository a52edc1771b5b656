"""Small Streamlit helpers several pages use: a bounded number, work in the training slot, a
per-session memo of results that only a new model or new settings may change, and expanders and
views whose content is built only while it is shown."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import streamlit as st

from rnn_core.runtime.concurrency import TrainingBusy, training_slot
from rnn_ui.session import kept, learner_id, translator

Result = TypeVar("Result")


def bounded_number(container: Any, label: str, bound: tuple[float, float],
                   default: float | None, key: str, *, help_text: str | None = None,
                   fmt: str | None = None, step: float | None = None, keep: bool = True):
    """A number the page uses only within ``bound``; whole numbers stay ``int`` (the type of
    ``default`` decides), decimals step by ``step``, else by the last digit ``fmt`` shows. The
    value is kept across page visits (``kept``) unless ``keep`` is false. With ``default=None``
    the input starts empty and the result is ``None`` until the learner types a number (an
    answer not given yet).

    The bound is checked here, not by the widget: a widget given ``min_value``/``max_value``
    refuses an out-of-range entry with Streamlit's own English message and leaves a form's
    button doing nothing. Here the nearest allowed value is used and the learner is told so, in
    their language, right under the input.
    """
    whole = isinstance(default, int)
    cast = int if whole else float
    low, high = cast(bound[0]), cast(bound[1])
    if step is None and not whole:
        step = 10 ** -(int(fmt[2]) if fmt else 2)
    value = container.number_input(label, value=None if default is None else cast(default),
                                   key=kept(key) if keep else key, help=help_text, format=fmt,
                                   step=step)
    if value is None or not math.isfinite(value):
        if default is None:
            return None
        container.caption(translator()("common.number_missing", used=_shown(default)))
        return cast(default)
    used = min(max(cast(value), low), high)
    if used != value:
        container.warning(translator()("common.number_outside", value=_shown(value),
                                       low=_shown(low), high=_shown(high), used=_shown(used)))
    return used


def lazy_expander(label: str, key: str, icon: str | None = None) -> Any:
    """An expander whose content the page builds only while it is open (read ``.open``).

    Streamlit sends a closed expander's content all the same, and the browser pays for every
    element on the page at the start and the end of every run, fragment runs included. Code
    listings and detail tables are opened on purpose; opening one reruns the fragment it sits
    in (the whole page outside one), so place it inside the fragment it belongs to."""
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def lazy_views(label: str, names: Sequence[str], key: str,
               format_name: Callable[[str], str] = str) -> str:
    """Which of ``names`` the learner is looking at, picked in a row of buttons (labelled
    ``label`` for screen readers); the page builds only that view. A pick reruns the enclosing
    fragment (the whole page outside one), and the pick is kept across page visits.

    Not ``st.tabs``: a tab bar is known by its labels, so a language switch made it a new one:
    back on its first tab, and everything under it drawn anew (redrawing the sentiment reading's
    chart was about a quarter of the switch). A segmented control is known by its key alone and
    holds a name, the same in every language."""
    chosen = st.segmented_control(label, names, format_func=format_name, default=names[0],
                                  required=True, key=kept(key), label_visibility="collapsed")
    return chosen if chosen in names else names[0]


def _shown(number: float) -> str:
    return f"{number:g}"


def in_training_slot(compute: Callable[[], Result], slot: Any = None) -> Result | None:
    """``compute()`` in the server's one training slot. While it is taken, ``slot`` (an
    ``st.empty``; a new one by default) says by whom: another learner, or this learner's own
    previous run still finishing, in this tab or another one of their link (``learner_id``);
    the note goes as soon as this run starts. If the slot stays busy past its timeout, an error
    says so and the result is ``None``."""
    t = translator()
    slot = slot if slot is not None else st.empty()

    def waiting(mine: bool) -> None:
        key = "common.training_waiting_own" if mine else "common.training_waiting"
        slot.info(t(key), icon=":material/hourglass:")

    try:
        with training_slot(on_wait=waiting, owner=learner_id()):
            slot.empty()
            return compute()
    except TrainingBusy:
        slot.error(t("common.training_busy"))
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
