"""The code a learner copies runs, and reproduces the model and the numbers the page shows."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from rnn_core.cells import random_weights, simple_rnn_trace
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
