"""Streamlit caching for the fundamentals page: the real Keras layers behind its checks, built
once per distinct input (many learners open the page with the same defaults)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core.cells import keras_sequence
from rnn_core.fundamentals.shapes import RNNSpec, keras_describe


@st.cache_data(max_entries=256, show_spinner=False)
def keras_hidden_states(
    x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """Hidden states of a real ``keras.layers.SimpleRNN`` with these weights: (T, units)."""
    weights = [kernel, recurrent, bias]
    return keras_sequence("simple_rnn", x[None], weights, return_sequences=True)[0]


@st.cache_data(max_entries=256, show_spinner=False)
def keras_layer_rows(spec: dict) -> list[tuple[str, tuple, int]]:
    """(layer, output shape, parameters) from a real Keras model built for ``spec``."""
    return keras_describe(RNNSpec(**spec))
