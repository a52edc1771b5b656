"""The code a learner copies runs, and reproduces the model and the numbers the page shows."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys

import numpy as np
import pytest

from rnn_core.cells import gated_trace, keras_sequence, random_weights, simple_rnn_trace
from rnn_core.fundamentals import codegen, shapes
from rnn_core.fundamentals.shapes import RNNSpec

SPECS = [
    RNNSpec(),
    RNNSpec(cell="lstm", units=16, layers=2, bidirectional=True, merge_mode="ave",
            return_sequences=True, dense_units=3, batch=None, timesteps=None, features=4),
    RNNSpec(cell="gru", units=5, layers=3, bidirectional=True, merge_mode="concat",
            dense_units=1, batch=8, timesteps=7, features=2),
]


def _run(code: str) -> tuple[dict, str]:
    """Execute ``code`` as a script; return its globals and what it printed."""
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<generated>", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.cell}-{s.layers}")
def test_model_code_builds_the_described_model(spec):
    code = codegen.model_code(spec)
    assert code.isascii()
    namespace, printed = _run(code)
    model = namespace["model"]
    assert model.count_params() == shapes.keras_total_params(spec) == shapes.total_params(spec)
    assert tuple(model.output_shape) == shapes.describe(spec)[-1].output_shape
    assert [type(layer).__name__ for layer in model.layers] == [
        row.kind for row in shapes.describe(spec)]
    assert "Total params" in printed  # model.summary() ran


def test_model_code_states_the_non_default_choices():
    code = codegen.model_code(SPECS[1])
    assert 'merge_mode="ave"' in code
    assert "keras.Input(shape=(None, 4), batch_size=None)" in code
    assert code.count("return_sequences=True") == 2


@pytest.mark.parametrize(("steps", "features", "units", "seed"), [(6, 1, 2, 0), (20, 3, 4, 1)])
def test_simple_rnn_code_prints_the_step_through_states(steps, features, units, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(steps, features))  # full-precision floats, not round numbers
    kernel, recurrent, bias = random_weights("simple_rnn", features, units, rng, scale=0.9)
    code = codegen.simple_rnn_code(x, kernel, recurrent, bias)
    assert code.isascii()
    namespace, printed = _run(code)
    # The literals round-trip exactly: the learner runs the very weights the page used.
    for name, value in [("x", x), ("kernel", kernel), ("recurrent_kernel", recurrent),
                        ("bias", bias)]:
        np.testing.assert_array_equal(namespace[name], value)
    lines = printed.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [f"h_{t}" for t in range(1, steps + 1)]
    hidden = np.array([[float(v) for v in line.split(":")[1].split()] for line in lines])
    expected = simple_rnn_trace(x, kernel, recurrent, bias).hidden
    assert hidden.shape == (steps, units)
    np.testing.assert_allclose(hidden, expected, atol=1e-5, rtol=0)
    np.testing.assert_allclose(namespace["hidden"], expected, atol=1e-5, rtol=0)


def _states(printed: str, name: str) -> np.ndarray:
    """The ``name_t: v v ...`` lines a snippet printed, as (T, units)."""
    rows = [line.split(":")[1].split() for line in printed.splitlines()
            if line.startswith(f"{name}_")]
    return np.array([[float(v) for v in row] for row in rows])


def _fresh_interpreter(code: str) -> str:
    """Run ``code`` as a script in a new Python process (nothing imported but what it imports)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_numpy_code_from_scratch_prints_what_keras_computes(cell):
    """Each cell's from-scratch loop, run alone, prints Keras's states for the same weights."""
    from rnn_core.fundamentals import gates

    rng = np.random.default_rng({"simple_rnn": 0, "lstm": 1, "gru": 2}[cell])
    steps, features, units = 12, 3, 4
    x = rng.uniform(-1, 1, size=(steps, features))
    weights = random_weights(cell, features, units, rng, scale=1.0)
    code = codegen.numpy_code(cell, x, *weights)
    assert code.isascii() and "keras" not in code  # NumPy only: the loop is the whole layer
    printed = _fresh_interpreter(code)
    hidden = _states(printed, "h")
    keras_hidden = keras_sequence(cell, x[None], weights, return_sequences=True)[0]
    assert hidden.shape == (steps, units)
    np.testing.assert_allclose(hidden, keras_hidden, atol=1e-5, rtol=0)
    if cell == "lstm":  # the cell state too: every step against the trace, the last vs Keras
        cell_state = _states(printed, "c")
        np.testing.assert_allclose(cell_state, gated_trace(cell, x, weights).carried,
                                   atol=1e-5, rtol=0)
        _, keras_last = gates.keras_states(cell, x, weights)
        np.testing.assert_allclose(cell_state[-1], keras_last, atol=1e-5, rtol=0)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_keras_code_prints_the_step_through_states(cell):
    from rnn_core.fundamentals import gates

    x = gates.example_sequence("noise", 8, 3)
    weights = gates.example_weights(cell, 3, 4, seed=2)
    code = codegen.keras_code(cell, x, *weights)
    namespace, printed = _run(code)
    for name, value in zip(("kernel", "recurrent_kernel", "bias"), weights, strict=True):
        np.testing.assert_array_equal(namespace[name], value)
    np.testing.assert_allclose(_states(printed, "h"), gated_trace(cell, x, weights).hidden,
                               atol=1e-5, rtol=0)


def test_pytorch_code_parses_and_its_parameter_arithmetic_is_right():
    """PyTorch is not installed, so its code is checked as text: it parses, it states the
    differences, and the counts it and the page print are right (Keras's from Keras)."""
    import ast

    import keras

    example = codegen.TORCH_EXAMPLE
    features, units = example["features"], example["units"]
    code = codegen.torch_rnn_code()
    ast.parse(code)
    assert code.isascii()
    assert f"nn.RNN(input_size={features}, hidden_size={units}, batch_first=True)" in code
    assert f"h0 = torch.zeros(1, {example['batch']}, {units})" in code
    assert "bias_ih_l0" in code and "bias_hh_l0" in code and ".T)" in code
    layer = keras.layers.SimpleRNN(units)
    layer.build((None, example["steps"], features))
    keras_count = layer.count_params()
    assert (keras_count, codegen.torch_rnn_params(features, units)) == (4_800, 4_864)
    assert codegen.torch_rnn_params(features, units) == keras_count + units  # one more bias
    assert f"# 4864 = {units} * ({features} + {units} + 2); Keras: {keras_count}" in code
    formula = codegen.torch_param_formula()
    sides = re.findall(r"(\d+) \\times \((\d+) \+ (\d+) \+ (\d)\) = ([\d{},]+)", formula)
    assert [bias for *_, bias, _ in sides] == ["2", "1"]  # PyTorch's two biases, Keras's one
    for units_shown, *terms, total in sides:  # "u \times (f + u + b) = total", computed
        assert int(units_shown) * sum(map(int, terms)) == int(total.replace("{,}", ""))
    assert [total for *_, total in sides] == ["4{,}864", "4{,}800"]
