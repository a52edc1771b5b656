"""Keras code, as text, that reproduces what a page shows, for the learner to copy and run.

Every snippet is complete (imports included) and is executed by the tests, so what the learner
copies is known to run and to give the numbers the page displayed.
"""

from __future__ import annotations

import numpy as np

from rnn_core.cells import CELL_NAMES
from rnn_core.fundamentals.shapes import RNNSpec, cell_param_formula, latex_int

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
    return keras_code("simple_rnn", x, kernel, recurrent_kernel, bias)


# Each cell's weight shapes as the snippets' comments write them (Keras's layout).
_SHAPE_NOTES = {
    "simple_rnn": ("(features, units): W_x", "(units, units): W_h", "(units,): b"),
    "lstm": ("(features, 4 * units): blocks i, f, c (the candidate g), o side by side",
             "(units, 4 * units)", "(4 * units,)"),
    "gru": ("(features, 3 * units): blocks z, r, h side by side", "(units, 3 * units)",
            "(2, 3 * units): row 0 input side, row 1 recurrent side"),
}


def _weights_lines(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
                   bias: np.ndarray, cell: str) -> str:
    """The four ``np.array`` literals of a snippet, each with its Keras shape in a comment."""
    steps, features = np.shape(x)
    kernel_note, recurrent_note, bias_note = _SHAPE_NOTES[cell]
    return (
        f"x = {_array_literal(x)}  # (T, features) = ({steps}, {features})\n"
        f"kernel = {_array_literal(kernel)}  # {kernel_note}\n"
        f"recurrent_kernel = {_array_literal(recurrent_kernel)}  # {recurrent_note}\n"
        f"bias = {_array_literal(bias)}  # {bias_note}\n"
    )


def _print_state(name: str) -> str:
    """The loop line that prints one state the way every snippet does: ``h_3: +0.123456 ...``."""
    return f"    print(f\"{name}_{{t}}:\", *(f\"{{v:+.{PRINT_DECIMALS}f}}\" for v in {name}))\n"


def keras_code(cell: str, x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
               bias: np.ndarray) -> str:
    """A runnable script: ``keras.layers.SimpleRNN`` / ``LSTM`` / ``GRU`` holding exactly these
    weights, run on ``x`` (T, features); prints ``h_t: ...`` per step, as the step-throughs
    show it."""
    steps, features = np.shape(x)
    units = np.shape(recurrent_kernel)[0]
    return (
        "import keras\n"
        "import numpy as np\n"
        "\n"
        f"{_weights_lines(x, kernel, recurrent_kernel, bias, cell)}"
        "\n"
        f"layer = keras.layers.{CELL_NAMES[cell]}({units}, return_sequences=True)\n"
        f"layer.build((1, {steps}, {features}))  # (batch, T, features)\n"
        "layer.set_weights([kernel, recurrent_kernel, bias])\n"
        "\n"
        "batch = x[np.newaxis].astype(\"float32\")  # (1, T, features): a batch of one\n"
        "hidden = keras.ops.convert_to_numpy(layer(batch))[0]  # (T, units)\n"
        "for t, h in enumerate(hidden, start=1):\n"
        f"{_print_state('h')}"
    )


_SIGMOID = (
    "\n\n"
    "def sigmoid(z):\n"
    "    return 1 / (1 + np.exp(-z))  # Keras's recurrent_activation\n"
    "\n\n"
)
# The loop body of each cell, computed from the weights exactly as Keras does.
_NUMPY_LOOPS = {
    "simple_rnn": (
        "h = np.zeros(units)  # h_0: Keras starts from zeros\n"
        "for t, x_t in enumerate(x, start=1):\n"
        "    h = np.tanh(x_t @ kernel + h @ recurrent_kernel + bias)\n"
        + _print_state("h")
    ),
    "lstm": (
        _SIGMOID
        + "h = np.zeros(units)  # h_0\n"
        "c = np.zeros(units)  # c_0: the cell state\n"
        "for t, x_t in enumerate(x, start=1):\n"
        "    z = x_t @ kernel + h @ recurrent_kernel + bias  # the four blocks side by side\n"
        "    i = sigmoid(z[:units])  # input gate\n"
        "    f = sigmoid(z[units:2 * units])  # forget gate\n"
        "    g = np.tanh(z[2 * units:3 * units])  # candidate\n"
        "    o = sigmoid(z[3 * units:])  # output gate\n"
        "    c = f * c + i * g  # the cell state meets one product and one sum\n"
        "    h = o * np.tanh(c)\n"
        + _print_state("h") + _print_state("c")
    ),
    "gru": (
        _SIGMOID
        + "h = np.zeros(units)  # h_0\n"
        "for t, x_t in enumerate(x, start=1):\n"
        "    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3)  # input side\n"
        "    h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3)  # recurrent side\n"
        "    z = sigmoid(x_z + h_z)  # update gate: how much of the old state to keep\n"
        "    r = sigmoid(x_r + h_r)  # reset gate\n"
        "    h_tilde = np.tanh(x_h + r * h_h)  # reset_after=True: r scales U h + b'\n"
        "    h = z * h + (1 - z) * h_tilde\n"
        + _print_state("h")
    ),
}


def numpy_code(cell: str, x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
               bias: np.ndarray) -> str:
    """The same layer from scratch: a plain NumPy loop over the steps, no Keras.

    It prints ``h_t: ...`` (and ``c_t: ...`` for the LSTM) per step, the states Keras computes
    with these weights; the tests run it in a fresh interpreter and compare.
    """
    return (
        "import numpy as np\n"
        "\n"
        f"{_weights_lines(x, kernel, recurrent_kernel, bias, cell)}"
        "units = recurrent_kernel.shape[0]\n"
        f"{_NUMPY_LOOPS[cell]}"
    )


# The seed tutorial's example: SimpleRNN(64) reading 32 sequences of 20 steps with 10 features.
TORCH_EXAMPLE = {"batch": 32, "steps": 20, "features": 10, "units": 64}


def torch_rnn_params(features: int, units: int) -> int:
    """Parameters of PyTorch's ``nn.RNN(features, units)``: two bias vectors, b_ih and b_hh."""
    return units * (features + units + 2)


def torch_param_formula(features: int = TORCH_EXAMPLE["features"],
                        units: int = TORCH_EXAMPLE["units"]) -> str:
    """PyTorch's ``nn.RNN`` count beside Keras's ``SimpleRNN``, as LaTeX with the numbers in:
    the same weights, one more bias vector."""
    torch = (rf"{units} \times ({features} + {units} + 2)"
             rf" = {latex_int(torch_rnn_params(features, units))}")
    keras = cell_param_formula("simple_rnn", features, units)
    return (rf"\texttt{{nn.RNN({features}, {units})}}:\ {torch} \qquad "
            rf"\texttt{{SimpleRNN({units})}}:\ {keras}")


def torch_rnn_code(batch: int = TORCH_EXAMPLE["batch"], steps: int = TORCH_EXAMPLE["steps"],
                   features: int = TORCH_EXAMPLE["features"],
                   units: int = TORCH_EXAMPLE["units"]) -> str:
    """The PyTorch equivalent of ``keras.layers.SimpleRNN(units, return_sequences=True)``, as
    text: PyTorch is not a dependency of the course, so this is shown, parsed by the tests,
    never run. It copies a Keras layer's weights in and compares the outputs."""
    keras_params = units * (features + units + 1)
    return (
        "import keras\n"
        "import numpy as np\n"
        "import torch\n"
        "from torch import nn\n"
        "\n"
        f"# batch_first=True reads (batch, T, features) like Keras; the default is (T, batch, "
        "features).\n"
        f"rnn = nn.RNN(input_size={features}, hidden_size={units}, batch_first=True)"
        "  # tanh, like Keras\n"
        f"x = torch.randn({batch}, {steps}, {features})  # (batch, T, features)\n"
        f"h0 = torch.zeros(1, {batch}, {units})  # (layers * directions, batch, units): "
        "PyTorch takes h_0 explicitly\n"
        "output, h_n = rnn(x, h0)  # every step's h (like return_sequences=True), and the last\n"
        f"print(output.shape)  # torch.Size([{batch}, {steps}, {units}])\n"
        f"print(h_n.shape)  # torch.Size([1, {batch}, {units}])\n"
        "\n"
        "# Two bias vectors (bias_ih_l0 and bias_hh_l0) where Keras has one:\n"
        f"print(sum(p.numel() for p in rnn.parameters()))  # {torch_rnn_params(features, units)}"
        f" = {units} * ({features} + {units} + 2); Keras: {keras_params}\n"
        "\n"
        "# The same layer in Keras, its weights copied in: PyTorch stores them transposed.\n"
        f"layer = keras.layers.SimpleRNN({units}, return_sequences=True)\n"
        f"layer.build((None, {steps}, {features}))\n"
        "kernel, recurrent_kernel, bias = layer.get_weights()\n"
        "with torch.no_grad():\n"
        "    rnn.weight_ih_l0.copy_(torch.from_numpy(kernel.T))  # (units, features)\n"
        "    rnn.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))  # (units, units)\n"
        "    rnn.bias_ih_l0.copy_(torch.from_numpy(bias))\n"
        "    rnn.bias_hh_l0.zero_()  # Keras's single bias went into bias_ih\n"
        "    output, _ = rnn(x, h0)\n"
        "keras_output = keras.ops.convert_to_numpy(layer(x.numpy()))\n"
        "print(np.abs(keras_output - output.numpy()).max())  # about 1e-7: the same layer\n"
    )
