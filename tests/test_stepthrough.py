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


def latex_value(text: str) -> float:
    """A number as ``latex_number`` prints it: ``0.5`` or, a negative factor, ``(-0.5)``."""
    return float(text.strip().removeprefix("(").removesuffix(")"))


def underbraces(line: str) -> list[str]:
    r"""What each ``\underbrace{...}`` of a printed line holds, in order (``\big(`` dropped)."""
    return [group.replace("\\big(", "").replace("\\big)", "")
            for group in re.findall(r"\\underbrace\{([^{}]*)\}_", line)]


def terms(group: str) -> list[list[float]]:
    r"""The terms of a printed sum, each as its factors: ``a\cdot b + c`` -> [[a, b], [c]]."""
    return [[latex_value(factor) for factor in term.split("\\cdot")]
            for term in group.split(" + ")]


def pairs(group: str) -> tuple[np.ndarray, np.ndarray]:
    """The first and second factors of a printed sum of products."""
    factors = np.array(terms(group))
    assert factors.shape[1] == 2, group
    return factors[:, 0], factors[:, 1]


SHOWN = 0.5 * 10.0 ** -stepthrough.HANDOVER_DECIMALS  # a state printed to 4 decimals is this close


def handed_over_numbers(rng: np.random.Generator, steps: int, features: int, units: int):
    """Inputs and SimpleRNN weights as a trained model hands them over: 4 decimals."""
    numbers = stepthrough.StepThroughInput.rounded(
        "simple_rnn", rng.uniform(-1, 1, (steps, features)), rng.uniform(-1, 1, (features, units)),
        rng.uniform(-0.8, 0.8, (units, units)), rng.uniform(-0.3, 0.3, units))
    assert np.any(np.round(numbers.kernel, 3) != numbers.kernel)  # the 4th decimal matters
    return numbers.inputs, *numbers.weights


def test_latex_arithmetic_prints_every_factor_of_every_unit_and_the_true_state():
    """Each product's factors are x_t, the unit's column of W_x, h_{t-1} and its column of W_h,
    with every decimal a hand-over carries; they add up to what tanh is applied to."""
    steps, features, units = 5, 2, 3
    x, kernel, recurrent, bias = handed_over_numbers(np.random.default_rng(3), steps, features,
                                                     units)
    hidden = simple_rnn_trace(x, kernel, recurrent, bias).hidden
    for step in range(1, steps + 1):
        h_prev = hidden[step - 2] if step > 1 else np.zeros(units)
        lines = stepthrough.step_latex(x[step - 1], h_prev, kernel, recurrent, bias, step)
        assert len(lines) == units
        for unit, line in enumerate(lines):
            assert line.startswith(f"h_{{{step},{unit + 1}}} = ")
            x_part, h_part, b_part = underbraces(line)
            inputs, weights = pairs(x_part)
            np.testing.assert_allclose(inputs, x[step - 1], atol=1e-12)
            np.testing.assert_allclose(weights, kernel[:, unit], atol=1e-12)
            states, recurrent_weights = pairs(h_part)
            np.testing.assert_allclose(states, h_prev, atol=SHOWN + 1e-12)
            np.testing.assert_allclose(recurrent_weights, recurrent[:, unit], atol=1e-12)
            assert terms(b_part) == [[pytest.approx(bias[unit], abs=1e-12)]]
            printed_sum = inputs @ weights + states @ recurrent_weights + bias[unit]
            true_sum = x[step - 1] @ kernel[:, unit] + h_prev @ recurrent[:, unit] + bias[unit]
            bound = SHOWN * np.abs(recurrent[:, unit]).sum() + 1e-9
            assert printed_sum == pytest.approx(true_sum, abs=bound)
            total, shown = re.search(r"\\tanh\((-?[0-9.]+)\) = \(?(-?[0-9.]+)\)?$", line).groups()
            assert float(total) == pytest.approx(true_sum, abs=SHOWN + 1e-12)
            assert float(shown) == pytest.approx(hidden[step - 1, unit], abs=SHOWN + 1e-12)
