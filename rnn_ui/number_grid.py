"""A table of numbers the learner edits, as a small Streamlit component (``st.components.v2``):
one text box per cell, sent to the server as soon as an entry is committed.

Streamlit's data editor waits 150 ms after every edit before it asks for a run; a weight edit
is meant to answer within 250 ms, and the run and the drawing take most of the rest. The boxes
here send at once, Tab and the arrow keys move between them, and every box carries its row and
column in its accessible name. The browser's numbers are not trusted: ``grid_values`` returns
them only when they form a table of the right shape, and ``stepthrough.clean_matrix`` then
turns what is not a number into 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
import streamlit as st

ASSETS = Path(__file__).with_name("assets")
DIGITS = 2  # decimals shown while a box is not being edited (its full value while it is)


@cache
def _component():
    """Registered once per process (a second registration under one name only warns)."""
    return st.components.v2.component(
        "rnn_lab.number_grid",
        js=(ASSETS / "number_grid.js").read_text(encoding="utf-8"),
        css=(ASSETS / "number_grid.css").read_text(encoding="utf-8"))


def number_grid(values: np.ndarray, rows: list[str], columns: list[str], key: str,
                label: str) -> np.ndarray:
    """The table ``values`` (rows × columns) as the learner left it: the numbers they typed,
    NaN where a box holds no number; ``values`` itself until they edit it. ``label`` names the
    table for a screen reader (plain text)."""
    start = np.asarray(values, dtype=float)
    kept = st.session_state.get(key)  # the learner's last entry, read before the table is drawn
    current = (grid_values(kept.get("values"), start.shape)
               if isinstance(kept, Mapping) and "values" in kept else start)
    shown = [[float(v) if np.isfinite(v) else None for v in row] for row in current]
    data = {"values": shown, "rows": rows, "columns": columns, "digits": DIGITS, "label": label}
    _component()(key=key, data=data, default={"values": start.tolist()},
                 on_values_change=lambda: None)
    return current


def grid_values(sent: object, shape: tuple[int, ...]) -> np.ndarray:
    """What the browser sent, as floats of ``shape`` (NaN for a blank or not a number); an
    answer of another shape (a forged message) counts as blank boxes."""
    blank = np.full(shape, np.nan)
    if not isinstance(sent, list) or len(sent) != shape[0]:
        return blank
    if not all(isinstance(row, list) and len(row) == shape[1] for row in sent):
        return blank
    return np.array([[_number(v) for v in row] for row in sent], dtype=float)


def _number(value: object) -> float:
    number_like = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if number_like else np.nan
