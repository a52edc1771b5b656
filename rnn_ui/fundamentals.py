"""Streamlit caching for the fundamentals page: the real Keras layers behind its checks, built
once per distinct input (many learners open the page with the same defaults), and the unrolled
diagrams, built once per process."""

from __future__ import annotations

import functools
from collections.abc import Collection

import numpy as np
import streamlit as st

from rnn_core.cells import keras_sequence
from rnn_core.fundamentals import diagram
from rnn_core.fundamentals.shapes import RNNSpec, keras_describe

UNROLLED_CACHED = 256  # distinct diagrams kept: every (steps, highlighted step) of the step-through


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


@functools.lru_cache(maxsize=UNROLLED_CACHED)
def shared_unrolled_diagram(steps: int, highlight: int | None, inputs: frozenset[int] | None,
                            outputs: frozenset[int] | None, backward: bool) -> str:
    """``diagram.unrolled_diagram``, drawn once per process and shared by every session: the
    drawings know no language and depend on a few numbers only."""
    return diagram.unrolled_diagram(steps, highlight=highlight, inputs=inputs, outputs=outputs,
                                    backward=backward)


def unrolled_chart(steps: int, *, highlight: int | None = None,
                   inputs: Collection[int] | None = None, outputs: Collection[int] | None = None,
                   backward: bool = False) -> None:
    """Show an unrolled RNN (``diagram.unrolled_diagram``'s arguments): a picture at its own
    size, narrowed to fit a smaller column."""
    frozen = [None if steps_given is None else frozenset(steps_given)
              for steps_given in (inputs, outputs)]
    st.image(shared_unrolled_diagram(steps, highlight, *frozen, backward), width="content")
