"""Widgets both step-throughs share (SimpleRNN on the fundamentals page, LSTM / GRU on their
own page): a bounded table of numbers and Back / Next through time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.fundamentals import stepthrough
from rnn_ui.session import translator


def matrix_editor(values: np.ndarray, rows: list[str], columns: list[str], key: str) -> np.ndarray:
    """An editable table of numbers; blanks and junk become 0 with a note, values are bounded."""
    limit = stepthrough.VALUE_LIMIT
    number = st.column_config.NumberColumn(min_value=-limit, max_value=limit, step=0.01,
                                           format="%.2f")
    edited = st.data_editor(
        pd.DataFrame(values, index=rows, columns=columns),
        key=key,
        num_rows="fixed",
        width="stretch",
        column_config=dict.fromkeys(columns, number),
    )
    cleaned, changed = stepthrough.clean_matrix(edited.to_numpy())
    if changed:
        st.caption(translator()("common.invalid_value"))
    return cleaned


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
