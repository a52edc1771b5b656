"""NumPy reference implementations of SimpleRNN, LSTM and GRU, in Keras's exact weight layout.

The course claims "an RNN is just this loop"; these functions are that loop, written so each
line maps to one equation on the page. They take weights exactly as ``layer.get_weights()``
returns them, so the tests (and the page) can check that Keras computes the very same numbers.
Keras/TensorFlow is imported only inside ``keras_sequence`` / ``keras_bidirectional``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from rnn_core.bounds import check_choice

CellName = Literal["simple_rnn", "lstm", "gru"]
CELLS: tuple[CellName, ...] = get_args(CellName)
MergeMode = Literal["concat", "sum", "mul", "ave"]
MERGE_MODES: tuple[MergeMode, ...] = get_args(MergeMode)
# How many gate blocks each cell packs side by side in its kernel's last axis.
GATES: dict[str, int] = {"simple_rnn": 1, "lstm": 4, "gru": 3}
GatedCellName = Literal["lstm", "gru"]
GATED_CELLS: tuple[GatedCellName, ...] = get_args(GatedCellName)
# The blocks of each gated cell, in Keras's order along the kernel's last axis (block k holds
# columns k*units to (k+1)*units): LSTM input gate, forget gate, candidate g (Keras's "c"
# block), output gate; GRU update gate, reset gate, candidate h~.
BLOCKS: dict[str, tuple[str, ...]] = {"lstm": ("i", "f", "g", "o"),
                                      "gru": ("z", "r", "h_tilde")}
# Each cell's Keras class name, which is also how every page writes it.
CELL_NAMES: dict[str, str] = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
BIDIRECTIONAL_PREFIX = "bi"  # a model named "bigru" is a Bidirectional GRU


def display_name(name: str) -> str:
    """How the course writes a cell or a model kind: "lstm" -> LSTM, "bigru" -> Bidirectional
    GRU; any other name is shown as it is."""
    if name in CELL_NAMES:
        return CELL_NAMES[name]
    inner = name.removeprefix(BIDIRECTIONAL_PREFIX)
    if name != inner and inner in CELL_NAMES:
        return f"Bidirectional {CELL_NAMES[inner]}"
    return name


def _check_cell(cell: str) -> None:
    """Fail early with the allowed names: a typo would otherwise surface as a KeyError deep down."""
    check_choice("cell", cell, CELLS)


def _check_merge_mode(merge_mode: str) -> None:
    check_choice("merge_mode", merge_mode, MERGE_MODES)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The standard logistic, Keras 3's default ``recurrent_activation`` for LSTM and GRU.

    Written via tanh so large negative inputs do not overflow ``exp``.
    """
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def simple_rnn_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
) -> np.ndarray:
    """One SimpleRNN step: h_t = tanh(x_t W + h_{t-1} U + b).

    ``x_t`` is (batch, features) or (features,), ``h_prev`` (batch, units) or (units,);
    matmul broadcasting makes the same line work for both.
    """
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


@dataclass(frozen=True)
class SimpleRNNTrace:
    """Every intermediate of a SimpleRNN run over one sequence, so a page can show the sums.

    All arrays are (T, units) except ``h0`` (units,): row t holds step t+1's numbers.
    """

    input_part: np.ndarray  # x_t @ kernel
    recurrent_part: np.ndarray  # h_{t-1} @ recurrent_kernel
    pre_activation: np.ndarray  # input_part + recurrent_part + bias
    hidden: np.ndarray  # tanh(pre_activation)
    h0: np.ndarray  # the initial state: zeros, as in Keras


def simple_rnn_trace(
    x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> SimpleRNNTrace:
    """Run a SimpleRNN over one sequence ``x`` of shape (T, features), keeping each term."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be (T, features), got shape {x.shape}")
    kernel, recurrent_kernel, bias = (np.asarray(a, dtype=np.float64)
                                      for a in (kernel, recurrent_kernel, bias))
    steps, units = x.shape[0], kernel.shape[1]
    h0 = np.zeros(units)
    input_part = x @ kernel  # (T, units): no recurrence, so all steps at once
    recurrent_part = np.zeros((steps, units))
    pre_activation = np.zeros((steps, units))
    hidden = np.zeros((steps, units))
    h = h0
    for t in range(steps):
        recurrent_part[t] = h @ recurrent_kernel
        pre_activation[t] = input_part[t] + recurrent_part[t] + bias
        h = np.tanh(pre_activation[t])
        hidden[t] = h
    return SimpleRNNTrace(input_part, recurrent_part, pre_activation, hidden, h0)


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step in Keras's gate order i, f, c (candidate), o; returns (h_t, c_t).

    kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,).
    """
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (batch, 4u)
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)  # 4 x (batch, u)
    i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)
    c_t = f * c_prev + i * np.tanh(z_c)
    h_t = o * np.tanh(c_t)
    return h_t, c_t


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
) -> np.ndarray:
    """One Keras GRU step with ``reset_after=True`` (the default): gate order z, r, h.

    bias is (2, 3u): row 0 is added to the input projection, row 1 to the recurrent one, so the
    reset gate r scales the recurrent candidate term *including* its bias (keras gru.py, call()).
    """
    x_proj = x_t @ kernel + bias[0]  # (batch, 3u)
    h_proj = h_prev @ recurrent_kernel + bias[1]  # (batch, 3u)
    x_z, x_r, x_h = np.split(x_proj, 3, axis=-1)
    h_z, h_r, h_h = np.split(h_proj, 3, axis=-1)
    z = sigmoid(x_z + h_z)
    r = sigmoid(x_r + h_r)
    hh = np.tanh(x_h + r * h_h)
    return z * h_prev + (1.0 - z) * hh


def _units(weights: Sequence[np.ndarray]) -> int:
    """Units of a layer from its recurrent kernel: (units, gates * units)."""
    return int(np.shape(weights[1])[0])


def run_sequence(
    cell: CellName,
    x: np.ndarray,
    weights: Sequence[np.ndarray],
    return_sequences: bool = False,
    go_backwards: bool = False,
) -> np.ndarray:
    """Run a recurrent layer over a batch ``x`` of shape (batch, T, features), like Keras.

    ``weights`` is the list from ``layer.get_weights()``. With ``go_backwards`` the steps run
    from the last input to the first and, as in Keras, the returned sequence is in that
    processing order (row 0 is the state after reading x[:, T-1]).
    Returns (batch, units) or, with ``return_sequences``, (batch, T, units).
    """
    _check_cell(cell)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x must be (batch, T, features), got shape {x.shape}")
    kernel, recurrent_kernel, bias = (np.asarray(w, dtype=np.float64) for w in weights)
    batch, steps = x.shape[0], x.shape[1]
    units = _units(weights)
    h = np.zeros((batch, units))  # (batch, units)
    c = np.zeros((batch, units))  # LSTM cell state, unused by the others
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs = []
    for t in order:
        x_t = x[:, t, :]  # (batch, features)
        if cell == "simple_rnn":
            h = simple_rnn_step(x_t, h, kernel, recurrent_kernel, bias)
        elif cell == "lstm":
            h, c = lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)
        else:
            h = gru_step(x_t, h, kernel, recurrent_kernel, bias)
        outputs.append(h)
    if not return_sequences:
        return h
    return np.stack(outputs, axis=1)  # (batch, T, units)


def merge(forward: np.ndarray, backward: np.ndarray, merge_mode: MergeMode) -> np.ndarray:
    """Combine the two directions of a Bidirectional layer the way Keras does."""
    _check_merge_mode(merge_mode)
    if merge_mode == "concat":
        return np.concatenate([forward, backward], axis=-1)  # (..., 2 * units)
    if merge_mode == "sum":
        return forward + backward
    if merge_mode == "mul":
        return forward * backward
    return (forward + backward) / 2.0


def run_bidirectional(
    cell: CellName,
    x: np.ndarray,
    forward_weights: Sequence[np.ndarray],
    backward_weights: Sequence[np.ndarray],
    merge_mode: MergeMode = "concat",
    return_sequences: bool = False,
) -> np.ndarray:
    """``keras.layers.Bidirectional`` in NumPy: a forward and a go_backwards layer, merged.

    Keras flips the backward layer's output sequence back in time before merging, so position t
    of both halves refers to input step t. Without ``return_sequences`` the backward half is
    its state after reading x[:, 0], i.e. having seen the whole sequence.
    """
    _check_merge_mode(merge_mode)
    forward = run_sequence(cell, x, forward_weights, return_sequences)
    backward = run_sequence(cell, x, backward_weights, return_sequences, go_backwards=True)
    if return_sequences:
        backward = backward[:, ::-1, :]  # (batch, T, units), re-aligned with input time
    return merge(forward, backward, merge_mode)


def random_weights(
    cell: CellName, features: int, units: int, rng: np.random.Generator, scale: float = 0.5
) -> list[np.ndarray]:
    """Uniform(-scale, scale) weights in Keras layout: [kernel, recurrent_kernel, bias].

    Modest scales keep tanh/sigmoid away from saturation, so the examples stay informative
    and float32 Keras stays within 1e-5 of float64 NumPy.
    """
    _check_cell(cell)
    width = GATES[cell] * units
    kernel = rng.uniform(-scale, scale, size=(features, width))
    recurrent = rng.uniform(-scale, scale, size=(units, width))
    bias_shape = (2, width) if cell == "gru" else (width,)
    bias = rng.uniform(-scale, scale, size=bias_shape)
    return [kernel, recurrent, bias]


def _keras_layer(cell: CellName, units: int, return_sequences: bool):  # -> keras.layers.Layer
    import keras

    layer_class = getattr(keras.layers, CELL_NAMES[cell])
    return layer_class(units, return_sequences=return_sequences, name=cell)


def _as_float32(weights: Sequence[np.ndarray]) -> list[np.ndarray]:
    return [np.asarray(w, dtype=np.float32) for w in weights]


def keras_sequence(
    cell: CellName,
    x: np.ndarray,
    weights: Sequence[np.ndarray],
    return_sequences: bool = False,
) -> np.ndarray:
    """The output of a real ``keras.layers.SimpleRNN/LSTM/GRU`` holding ``weights``, as float64.

    This is the independent check behind "Keras gives the same numbers" on the page.
    """
    _check_cell(cell)
    x = np.asarray(x, dtype=np.float32)  # (batch, T, features)
    layer = _keras_layer(cell, _units(weights), return_sequences)
    layer.build(x.shape)
    layer.set_weights(_as_float32(weights))
    return np.asarray(layer(x), dtype=np.float64)


def keras_bidirectional(
    cell: CellName,
    x: np.ndarray,
    forward_weights: Sequence[np.ndarray],
    backward_weights: Sequence[np.ndarray],
    merge_mode: MergeMode = "concat",
    return_sequences: bool = False,
) -> np.ndarray:
    """The output of a real ``keras.layers.Bidirectional`` holding these weights, as float64."""
    import keras

    _check_cell(cell)
    _check_merge_mode(merge_mode)
    x = np.asarray(x, dtype=np.float32)  # (batch, T, features)
    inner = _keras_layer(cell, _units(forward_weights), return_sequences)
    layer = keras.layers.Bidirectional(inner, merge_mode=merge_mode, name="bidirectional")
    layer.build(x.shape)
    # Bidirectional.get_weights() lists the forward layer's weights, then the backward's.
    layer.set_weights(_as_float32([*forward_weights, *backward_weights]))
    return np.asarray(layer(x), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class GatedTrace:
    """Every gate and state of an LSTM or GRU run over one sequence, so a page can show them.

    Arrays are (T, units): row t holds step t+1's numbers. ``gates`` maps each block of
    ``BLOCKS[cell]`` to its value (σ of the gates, tanh of the candidate) and
    ``pre_activations`` to what went into σ or tanh. ``carried`` is the state that runs along
    the sequence through multiplications and additions only: the LSTM's cell state c_t, the
    GRU's h_t. ``reset_part`` is the GRU's h_{t-1} U_h + b'_h, the term the reset gate scales
    (``None`` for an LSTM). The initial states are zeros, as in Keras.
    """

    cell: GatedCellName
    gates: dict[str, np.ndarray]
    pre_activations: dict[str, np.ndarray]
    hidden: np.ndarray
    carried: np.ndarray
    reset_part: np.ndarray | None = None

    @property
    def previous_carried(self) -> np.ndarray:
        """c_{t-1} (LSTM) or h_{t-1} (GRU) for every step: the carried state shifted by one."""
        return np.vstack([np.zeros((1, self.carried.shape[1])), self.carried[:-1]])

    @property
    def kept(self) -> np.ndarray:
        """What the carried state keeps of its last value: f ⊙ c_{t-1} or z ⊙ h_{t-1}."""
        keep = self.gates["f"] if self.cell == "lstm" else self.gates["z"]
        return keep * self.previous_carried

    @property
    def written(self) -> np.ndarray:
        """What is added to it: i ⊙ g (LSTM) or (1 - z) ⊙ h~ (GRU); carried = kept + written."""
        if self.cell == "lstm":
            return self.gates["i"] * self.gates["g"]
        return (1.0 - self.gates["z"]) * self.gates["h_tilde"]


def gated_trace(cell: GatedCellName, x: np.ndarray, weights: Sequence[np.ndarray]) -> GatedTrace:
    """Run an LSTM or GRU over one sequence ``x`` (T, features), keeping every gate.

    ``weights`` is ``layer.get_weights()``: [kernel (features, k·u), recurrent_kernel (u, k·u),
    bias (k·u,) for the LSTM, (2, k·u) for the GRU]. The same arithmetic as ``lstm_step`` and
    ``gru_step``, written out so each gate can be kept; the input projections of all steps are
    computed at once (they do not depend on the state), the recurrence step by step.
    """
    check_choice("cell", cell, GATED_CELLS)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be (T, features), got shape {x.shape}")
    kernel, recurrent_kernel, bias = (np.asarray(w, dtype=np.float64) for w in weights)
    steps, units = x.shape[0], recurrent_kernel.shape[0]
    blocks = BLOCKS[cell]
    pre = {name: np.zeros((steps, units)) for name in blocks}
    hidden, carried = np.zeros((steps, units)), np.zeros((steps, units))
    reset_part = np.zeros((steps, units)) if cell == "gru" else None
    input_bias = bias if cell == "lstm" else bias[0]
    x_proj = x @ kernel + input_bias  # (T, k·u): the input side of every block, all steps
    h, c = np.zeros(units), np.zeros(units)
    for t in range(steps):
        if cell == "lstm":
            parts = np.split(x_proj[t] + h @ recurrent_kernel, 4)  # i, f, g, o: (u,) each
            for name, part in zip(blocks, parts, strict=True):
                pre[name][t] = part
            i, f, g, o = (sigmoid(parts[0]), sigmoid(parts[1]), np.tanh(parts[2]),
                          sigmoid(parts[3]))
            c = f * c + i * g
            h = o * np.tanh(c)
            carried[t] = c
        else:
            x_z, x_r, x_h = np.split(x_proj[t], 3)
            h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3)
            pre["z"][t], pre["r"][t] = x_z + h_z, x_r + h_r
            r = sigmoid(pre["r"][t])
            reset_part[t] = h_h
            pre["h_tilde"][t] = x_h + r * h_h  # reset_after=True: r scales U_h h + b'_h
            z = sigmoid(pre["z"][t])
            h = z * h + (1.0 - z) * np.tanh(pre["h_tilde"][t])
            carried[t] = h
        hidden[t] = h
    candidate = "g" if cell == "lstm" else "h_tilde"
    gates = {name: np.tanh(pre[name]) if name == candidate else sigmoid(pre[name])
             for name in blocks}
    return GatedTrace(cell, gates, pre, hidden, carried, reset_part)
