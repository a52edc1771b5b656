"""Streamlit caching for the comparison page: the Keras parameter counts and the gradient lab's
measurements, shared by every learner (and filled at the page's defaults by the warm-up, so the
first visitor of a fresh server does not wait seconds for them)."""

from __future__ import annotations

import streamlit as st

from rnn_core.cells import CELLS
from rnn_core.comparison import gradients, side_by_side


@st.cache_data(max_entries=64, show_spinner=False)
def keras_param_counts(config: dict) -> dict[str, int]:
    """count_params() of each cell's real model (built, not trained)."""
    settings = side_by_side.ComparisonConfig(**config)
    return {cell: int(side_by_side.build_comparison_model(settings, cell).count_params())
            for cell in CELLS}


def gradient_norms(cell: str, seq_len: int, radius: float, input_scale: float,
                   remember_bias: float) -> list[float]:
    """The gradient's norm k steps back, k = 0..seq_len - 1, for one cell (see
    ``gradients.gradient_norms_over_time``); the numbers are normalised first, so a slider's
    ``1`` and the defaults' ``1.0`` find the same cache entry."""
    return _gradient_norms(cell, int(seq_len), float(radius), float(input_scale),
                           float(remember_bias))


@st.cache_data(max_entries=128, show_spinner=False)
def _gradient_norms(cell: str, seq_len: int, radius: float, input_scale: float,
                    remember_bias: float) -> list[float]:
    config = gradients.GradientLabConfig(cell=cell, seq_len=seq_len, radius=radius,
                                         input_scale=input_scale, remember_bias=remember_bias)
    return gradients.gradient_norms_over_time(config).tolist()
