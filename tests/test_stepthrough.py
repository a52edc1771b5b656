"""The step-through's presets, input cleaning and printed arithmetic."""

import re

import numpy as np
import pytest

from rnn_core.cells import simple_rnn_trace
from rnn_core.fundamentals import stepthrough


@pytest.mark.parametrize("preset", stepthrough.PRESETS)
def test_presets_have_the_requested_shape_and_stay_in_bounds(preset):
    x = stepthrough.example_sequence(preset, 7, 3, seed=1)
    assert x.shape == (7, 3)
    assert np.all(np.abs(x) <= stepthrough.VALUE_LIMIT)


def test_default_weights_make_the_pulse_echo_fade():
    """The page's default example: memory of the first input decays but is not gone at once."""
    x = stepthrough.example_sequence("pulse", 10, 1)
    kernel, recurrent, bias = stepthrough.example_weights(1, 2)
    hidden = simple_rnn_trace(x, kernel, recurrent, bias).hidden
    silent = simple_rnn_trace(np.zeros_like(x), kernel, recurrent, bias).hidden
    echo = np.abs(hidden - silent).sum(axis=1)  # what the pulse still changes at each step
    assert echo[1] > 0.05 and echo[-1] < echo[1] / 4


def test_clean_matrix_zeroes_junk_and_clips():
    cleaned, changed = stepthrough.clean_matrix(
        np.array([[1.0, np.nan], [None, "abc"], [99.0, -np.inf]], dtype=object))
    assert changed
    assert cleaned.tolist() == [[1.0, 0.0], [0.0, 0.0], [5.0, 0.0]]
    same, changed = stepthrough.clean_matrix(np.array([[0.5, -0.25]]))
    assert not changed and same.tolist() == [[0.5, -0.25]]


def test_latex_arithmetic_shows_the_true_hidden_state_of_every_unit():
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(-1, 1, (5, 2)), 2)
    kernel, recurrent, bias = stepthrough.example_weights(2, 3, seed=7)
    hidden = simple_rnn_trace(x, kernel, recurrent, bias).hidden
    for step in range(1, 6):
        h_prev = hidden[step - 2] if step > 1 else np.zeros(3)
        lines = stepthrough.step_latex(x[step - 1], h_prev, kernel, recurrent, bias, step)
        assert len(lines) == 3
        for unit, line in enumerate(lines):
            shown = float(re.search(r"= \(?(-?[0-9.]+)\)?$", line).group(1))
            assert shown == pytest.approx(hidden[step - 1, unit], abs=1e-4)
            assert f"h_{{{step},{unit + 1}}}" in line
            assert line.count("\\cdot") == 2 + 3  # every input and recurrent product is shown
