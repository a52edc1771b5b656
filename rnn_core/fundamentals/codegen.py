"""Keras code, as text, that reproduces what a page shows, for the learner to copy and run.

Every snippet is complete (imports included) and is executed by the tests, so what the learner
copies is known to run and to give the numbers the page displayed.
"""

from __future__ import annotations

import numpy as np

from rnn_core.cells import CELL_NAMES
from rnn_core.fundamentals.shapes import RNNSpec

INDENT = "    "
# Decimals of the printed hidden states: well below the 1e-5 the page calls "the same".
PRINT_DECIMALS = 6


def _recurrent_call(spec: RNNSpec, returns_sequences: bool) -> str:
    cell = f"keras.layers.{CELL_NAMES[spec.cell]}({spec.units}"
    cell += ", return_sequences=True)" if returns_sequences else ")"
    if spec.bidirectional:
        return f'keras.layers.Bidirectional({cell}, merge_mode="{spec.merge_mode}")'
    return cell


def _layer_lines(spec: RNNSpec) -> list[str]:
    """One constructor per line, in the same order as ``shapes.build_keras_model``."""
    lines = [f"keras.Input(shape=({spec.timesteps}, {spec.features}), batch_size={spec.batch})"]
    for index in range(spec.layers):
        is_last = index == spec.layers - 1
        lines.append(_recurrent_call(spec, spec.return_sequences or not is_last))
    if spec.dense_units:
        lines.append(f"keras.layers.Dense({spec.dense_units})")
    return lines


def model_code(spec: RNNSpec) -> str:
    """A runnable script that builds the model ``spec`` describes and prints its summary."""
    body = "".join(f"{INDENT}{line},\n" for line in _layer_lines(spec))
    return (
        "import keras\n"
        "\n"
        "model = keras.Sequential([\n"
        f"{body}"
        "])\n"
        "model.summary()\n"
    )


def _array_literal(values: np.ndarray, indent: str = INDENT) -> str:
    """``np.array([...])`` with every float written by ``repr``: exact, so results match.

    Rounding the literals (say to 6 decimals) would shift the hidden states by more than the
    1e-5 tolerance after a few steps; ``repr`` round-trips float64 exactly.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        return "np.array([" + ", ".join(repr(float(v)) for v in values) + "])"
    rows = ",\n".join(
        f"{indent}[" + ", ".join(repr(float(v)) for v in row) + "]" for row in values
    )
    return "np.array([\n" + rows + ",\n])"


def simple_rnn_code(
    x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> str:
    """A runnable script: SimpleRNN with exactly these weights, run on ``x`` (T, features).

    It prints one line per step, ``h_t: ...``, which should equal the page's step-through.
    """
    x = np.asarray(x, dtype=np.float64)
    steps, features = x.shape
    units = np.shape(kernel)[1]
    return (
        "import keras\n"
        "import numpy as np\n"
        "\n"
        f"x = {_array_literal(x)}  # (T, features) = ({steps}, {features})\n"
        f"kernel = {_array_literal(kernel)}  # W_x: (features, units)\n"
        f"recurrent_kernel = {_array_literal(recurrent_kernel)}  # W_h: (units, units)\n"
        f"bias = {_array_literal(bias)}  # b: (units,)\n"
        "\n"
        f"layer = keras.layers.SimpleRNN({units}, return_sequences=True)\n"
        f"layer.build((1, {steps}, {features}))  # (batch, T, features)\n"
        "layer.set_weights([kernel, recurrent_kernel, bias])\n"
        "\n"
        "batch = x[np.newaxis].astype(\"float32\")  # (1, T, features): a batch of one\n"
        "hidden = keras.ops.convert_to_numpy(layer(batch))[0]  # (T, units)\n"
        "for t, h in enumerate(hidden, start=1):\n"
        f"    print(f\"h_{{t}}:\", *(f\"{{v:+.{PRINT_DECIMALS}f}}\" for v in h))\n"
    )
