"""Widgets both step-throughs share (SimpleRNN on the fundamentals page, LSTM / GRU on their
own page): a bounded table of numbers and Back / Next through time."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core.fundamentals import stepthrough
from rnn_ui.number_grid import number_grid
from rnn_ui.session import translator


def matrix_editor(values: np.ndarray, rows: list[str], columns: list[str], key: str,
                  label: str) -> np.ndarray:
    """An editable table of numbers (``number_grid``); blanks and junk become 0 and values
    beyond the bound are brought back to it, with a note in the learner's language.

    The learner's edits survive a visit to another page: Streamlit drops a widget's state when
    its page is not drawn, so a new table (its key not in the session yet) starts from the
    numbers the learner last had rather than from the preset. ``forget_table_edits`` drops them.
    """
    base_key, last_key = key + ":base", key + ":last"
    if key not in st.session_state:
        st.session_state[base_key] = st.session_state.get(last_key, values)
    edited = number_grid(st.session_state[base_key], rows, columns, key, label)
    cleaned, changed = stepthrough.clean_matrix(edited)
    st.session_state[last_key] = cleaned
    if changed:
        st.caption(translator()("common.invalid_value", limit=f"{stepthrough.VALUE_LIMIT:g}"))
    return cleaned


def kept_table(values: np.ndarray, key: str) -> np.ndarray:
    """The numbers of ``matrix_editor``'s table ``key`` while it is not drawn (another view is
    shown): the learner's last ones, else ``values``."""
    return st.session_state.get(key + ":last", values)


def forget_table_edits(prefix: str) -> None:
    """New numbers asked for (random or default weights): drop every kept edit of the tables
    whose keys start with ``prefix``, so they show the new numbers.

    The table's own state goes too: a table drawn again under the same key (the default
    weights asked for while they are shown) would otherwise keep the learner's edits, and
    ``matrix_editor`` would find its key without the numbers it starts from."""
    tables = {str(k).removesuffix(":base").removesuffix(":last") for k in st.session_state
              if str(k).startswith(prefix) and str(k).endswith((":base", ":last"))}
    for table in tables:
        for key in (table, table + ":base", table + ":last"):
            if key in st.session_state:
                del st.session_state[key]


def time_step_ui(steps: int, key: str, labels: tuple[str, str, str]) -> int:
    """The current time step (1-based), with Back / Next buttons around a slider; ``labels``
    are (back, next, slider). The step is kept within ``steps`` when the length shrinks."""
    back_label, next_label, slider_label = labels

    def move(delta: int) -> None:
        st.session_state[key] = min(max(st.session_state[key] + delta, 1), steps)

    st.session_state[key] = min(st.session_state.get(key, 1), steps)
    back, slider, forward = st.columns([1, 4, 1], vertical_alignment="bottom")
    back.button(back_label, icon=":material/arrow_back:", on_click=move, args=(-1,),
                width="stretch", key=key + ":back")
    forward.button(next_label, icon=":material/arrow_forward:", on_click=move, args=(1,),
                   width="stretch", key=key + ":next")
    return slider.slider(slider_label, 1, steps, key=key)
