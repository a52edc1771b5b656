"""The LSTM / GRU step-through: inputs that show what gates are for, weights that make the gates
do it, every block's arithmetic as LaTeX, and the live check against Keras.

The inputs tell one story in their features: x1 carries content (a pulse of 1 is something to
remember), x2 is a control line (a 1 says "forget what you hold") and x3 a distraction. The
preset weights give each unit one role, so a learner sees what each gate is for by comparing
units: unit 1 keeps the pulse until the reset; the others each lack one gate's help (an LSTM
unit whose forget gate sits at 0.5, one whose input gate never closes, one whose output gate
hides its memory; a GRU unit without a working reset gate, one half-forgetting, one overwriting
at every step). ``tests/test_gates.py`` checks that they do.

Weights are in Keras's layout (``layer.get_weights()``); the page edits them one block at a
time (``block_tables`` / ``from_block_tables``): a table per block whose column j holds what
unit j of that block adds up (rows: the features' weights W, the recurrent weights U, the bias).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, get_args

import numpy as np

from rnn_core.bounds import check_choice
from rnn_core.cells import BLOCKS, CELL_NAMES, GATED_CELLS, GATES, GatedCellName, GatedTrace
from rnn_core.fundamentals.stepthrough import latex_number

GatedPreset = Literal["remember", "reset", "noise", "steady", "random"]
PRESETS: tuple[GatedPreset, ...] = get_args(GatedPreset)
DEFAULT_SIZES = (2, 2, 8)  # (features, units, steps) when the page opens: content + reset line
CONTENT, RESET, DISTRACTION = 0, 1, 2  # what each input feature carries in the presets
NOISE = 0.2  # amplitude of the "noise to ignore": the keeper's input gate stays nearly shut
RANDOM_SCALE = 1.0  # random weights lie in [-1, 1]
# How each block is written: in LaTeX, and in plain text (table headers).
SYMBOLS = {"i": "i", "f": "f", "g": "g", "o": "o", "z": "z", "r": "r", "h_tilde": r"\tilde h"}
TEXT_SYMBOLS = {**SYMBOLS, "h_tilde": "h\u0303"}  # h + combining tilde: h̃
CANDIDATES = {"lstm": "g", "gru": "h_tilde"}
KEEP_GATES = {"lstm": "f", "gru": "z"}  # the gate that multiplies the carried state

# Each unit's role as (weight from x1, weight from x2, bias) per block, in Keras's block order.
# Units 1..4 of the preset weights take these roles in this order.
_LSTM_ROLES: tuple[dict[str, tuple[float, float, float]], ...] = (
    # keeper: writes a pulse (i opens on x1), keeps it (f = σ(3) ≈ 0.95), drops it on x2
    {"i": (5, 0, -3), "f": (0, -5, 3), "g": (2, 0, 0), "o": (0, 0, 2)},
    # leaky: the forget gate sits at σ(0) = 0.5, so the memory halves every step
    {"i": (5, 0, -3), "f": (0, 0, 0), "g": (2, 0, 0), "o": (0, 0, 2)},
    # always writing: the input gate never closes, so noise gets into the memory
    {"i": (0, 0, 3), "f": (0, -5, 3), "g": (2, 0, 0), "o": (0, 0, 2)},
    # hidden memory: the keeper with its output gate shut, c_t holds the pulse, h_t barely shows
    {"i": (5, 0, -3), "f": (0, -5, 3), "g": (2, 0, 0), "o": (0, 0, -3)},
)
_GRU_ROLES: tuple[dict[str, tuple[float, float, float]], ...] = (
    # keeper: z = σ(3) ≈ 0.95 keeps h; x1 or x2 open it (z → 0.12); on x2 r shuts too, so the
    # candidate ignores the old state and h resets
    {"z": (-5, -5, 3), "r": (0, -5, 3), "h_tilde": (2, 0, 0)},
    # no reset gate: r stays ≈ 0.98, so at the reset the candidate still reads the old state
    {"z": (-5, -5, 3), "r": (0, 0, 4), "h_tilde": (2, 0, 0)},
    # half-forgetting: z sits at 0.5
    {"z": (-5, -5, 0), "r": (0, -5, 3), "h_tilde": (2, 0, 0)},
    # always overwriting: z ≈ 0.05, h is the latest candidate (no memory, like a feed-forward net)
    {"z": (0, 0, -3), "r": (0, -5, 3), "h_tilde": (2, 0, 0)},
)
_ROLES = {"lstm": _LSTM_ROLES, "gru": _GRU_ROLES}
# The only recurrent weights of the preset: U_h[j, j] of each GRU role. The keepers' candidates
# read their own old state, which is what the reset gate must switch off at a reset. Every other
# recurrent weight is 0: the memory is carried by the c / h path, not by a matrix.
_GRU_CANDIDATE_SELF = (1.0, 1.0, 0.0, 0.0)
_DISTRACTION_WEIGHT = 0.2  # x3 reaches every block weakly: a term in the sums, not a signal


def _check_cell(cell: str) -> None:
    check_choice("cell", cell, GATED_CELLS)


def presets_for(features: int) -> tuple[GatedPreset, ...]:
    """The presets that make sense with this many features: a reset needs the x2 line."""
    return PRESETS if features > RESET else tuple(p for p in PRESETS if p != "reset")


def pulse_step(steps: int) -> int:
    """Index of the pulse: step 2, so step 1 shows the empty memory (step 1 on short inputs)."""
    return 1 if steps >= 4 else 0


def reset_step(steps: int) -> int:
    """Index of the reset signal: past the middle, so the memory is seen held for a while."""
    return min(max(pulse_step(steps) + 1, steps // 2 + 1), steps - 1)


def example_sequence(preset: GatedPreset, steps: int, features: int, seed: int = 0) -> np.ndarray:
    """An input sequence (steps, features) for a preset, rounded to two decimals."""
    if preset == "reset" and features <= RESET:
        raise ValueError("the reset preset needs at least 2 features: x2 is the reset line")
    check_choice("preset", preset, PRESETS)
    x = np.zeros((steps, features))
    pulse = pulse_step(steps)
    rng = np.random.default_rng(seed)
    if preset == "random":
        x = rng.uniform(-1, 1, size=(steps, features))
    elif preset == "steady":
        x[:, CONTENT] = 1.0
    else:
        x[pulse, CONTENT] = 1.0
    if preset == "reset":
        x[reset_step(steps), RESET] = 1.0
    if preset == "noise":  # after the pulse, noise on the content line (and the distraction)
        noisy = [CONTENT] + ([DISTRACTION] if features > DISTRACTION else [])
        x[pulse + 1:, noisy] = rng.uniform(-NOISE, NOISE, size=(steps - pulse - 1, len(noisy)))
    return np.round(x, 2)


def example_weights(cell: GatedCellName, features: int, units: int,
                    seed: int | None = None) -> list[np.ndarray]:
    """[kernel, recurrent, bias] in Keras's layout for ``cell``.

    ``seed=None`` gives the role weights described in the module docstring; a seed gives
    random weights in [-1, 1], rounded to two decimals so the arithmetic stays legible.
    """
    _check_cell(cell)
    width = GATES[cell] * units
    bias_shape = (2, width) if cell == "gru" else (width,)
    if seed is not None:
        rng = np.random.default_rng(seed)
        drawn = [rng.uniform(-RANDOM_SCALE, RANDOM_SCALE, size=shape)
                 for shape in ((features, width), (units, width), bias_shape)]
        return [np.round(w, 2) for w in drawn]
    kernel, recurrent, bias = np.zeros((features, width)), np.zeros((units, width)), np.zeros(
        bias_shape)
    input_bias = bias if cell == "lstm" else bias[0]  # a view: writing it fills ``bias``
    for unit in range(units):
        role = _ROLES[cell][unit % len(_ROLES[cell])]
        for block, name in enumerate(BLOCKS[cell]):
            column = block * units + unit
            from_content, from_reset, constant = role[name]
            kernel[CONTENT, column] = from_content
            if features > RESET:
                kernel[RESET, column] = from_reset
            input_bias[column] = constant
    if features > DISTRACTION:
        kernel[DISTRACTION] = np.resize([_DISTRACTION_WEIGHT, -_DISTRACTION_WEIGHT], width)
    if cell == "gru":
        for unit in range(units):
            recurrent[unit, 2 * units + unit] = _GRU_CANDIDATE_SELF[unit % len(_GRU_ROLES)]
    return [kernel, recurrent, bias]


# ---------------------------------------------------------------- one table per block
def block_rows(cell: GatedCellName, features: int, units: int) -> list[str]:
    """Row names of a block table: the features (W), the previous state (U), the bias(es)."""
    biases = ["b", "b′"] if cell == "gru" else ["b"]
    return [f"x{i + 1}" for i in range(features)] + [f"h{j + 1}" for j in range(units)] + biases


def block_tables(cell: GatedCellName, weights: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """Block name -> table (features + units + biases, units) cut from Keras's layout."""
    _check_cell(cell)
    kernel, recurrent, bias = (np.asarray(w, float) for w in weights)
    units = recurrent.shape[0]
    bias_rows = bias.reshape(-1, bias.shape[-1])  # (1 or 2, k·u)
    tables = {}
    for block, name in enumerate(BLOCKS[cell]):
        columns = slice(block * units, (block + 1) * units)
        tables[name] = np.vstack([kernel[:, columns], recurrent[:, columns],
                                  bias_rows[:, columns]])
    return tables


def from_block_tables(cell: GatedCellName, tables: Mapping[str, np.ndarray],
                      features: int) -> list[np.ndarray]:
    """The inverse of ``block_tables``: [kernel, recurrent, bias] in Keras's layout."""
    _check_cell(cell)
    ordered = [np.asarray(tables[name], float) for name in BLOCKS[cell]]
    units = ordered[0].shape[1]
    side_by_side = np.hstack(ordered)  # (features + units + biases, k·u), Keras's column order
    kernel = side_by_side[:features]
    recurrent = side_by_side[features:features + units]
    bias = side_by_side[features + units:]
    return [kernel, recurrent, bias if cell == "gru" else bias[0]]


def keras_columns(cell: GatedCellName, units: int) -> list[str]:
    """Column names of Keras's kernel, e.g. i1 i2 f1 f2 g1 g2 o1 o2: the blocks side by side."""
    return [f"{TEXT_SYMBOLS[name]}{j + 1}" for name in BLOCKS[cell] for j in range(units)]


# ---------------------------------------------------------------- the arithmetic as LaTeX
def _products(values: np.ndarray, weights: np.ndarray) -> str:
    """value·weight + ...; every number with as many decimals as a hand-over carries."""
    return " + ".join(f"{latex_number(v)}\\cdot{latex_number(w)}"
                      for v, w in zip(values, weights, strict=True))


def _sum(x_t: np.ndarray, h_prev: np.ndarray, table: np.ndarray, unit: int,
         gru_reset: str | None = None) -> str:
    """x_t W + h_{t-1} U + b of one unit of one block, every product written out.

    For the GRU the recurrent part carries its own bias b′; for its candidate ``gru_reset`` is
    the value of r that scales that whole recurrent part (``reset_after=True``).
    """
    features, units = len(x_t), len(h_prev)
    column = table[:, unit]
    w, u = column[:features], column[features:features + units]
    biases = column[features + units:]
    x_part = f"\\underbrace{{{_products(x_t, w)}}}_{{x_t W}}"
    if len(biases) == 1:  # LSTM: one bias
        return (f"{x_part} + \\underbrace{{{_products(h_prev, u)}}}_{{h_{{t-1}} U}}"
                f" + \\underbrace{{{latex_number(biases[0])}}}_{{b}}")
    x_part += f" + \\underbrace{{{latex_number(biases[0])}}}_{{b}}"
    recurrent = f"{_products(h_prev, u)} + {latex_number(biases[1])}"
    label = "_{h_{t-1} U + b'}"
    if gru_reset is None:
        return f"{x_part} + \\underbrace{{{recurrent}}}{label}"
    return f"{x_part} + {gru_reset}\\cdot\\underbrace{{\\big({recurrent}\\big)}}{label}"


def step_latex(trace: GatedTrace, x: np.ndarray, tables: Mapping[str, np.ndarray], step: int,
               unit: int) -> list[str]:
    """One LaTeX line per block, then the state update(s), for one unit (0-based) at one step
    (1-based), with the learner's numbers; each line ends with the value the trace holds."""
    t, j = step - 1, unit
    h_prev = trace.hidden[t - 1] if t > 0 else np.zeros(trace.hidden.shape[1])
    x_t = x[t]
    lines = []
    for name in BLOCKS[trace.cell]:
        symbol = f"{SYMBOLS[name]}_{{{step},{j + 1}}}"
        candidate = name == CANDIDATES[trace.cell]
        squash = "\\tanh" if candidate else "\\sigma"
        reset = None
        if trace.cell == "gru" and candidate:
            reset = latex_number(trace.gates["r"][t, j], 4)
        total = trace.pre_activations[name][t, j]
        lines.append(f"{symbol} = {squash}\\Big({_sum(x_t, h_prev, tables[name], j, reset)}\\Big)"
                     f" = {squash}({latex_number(total, 4, False)})"
                     f" = {latex_number(trace.gates[name][t, j], 4, False)}")
    keep = KEEP_GATES[trace.cell]
    previous = trace.previous_carried[t, j]
    kept, written, new = trace.kept[t, j], trace.written[t, j], trace.carried[t, j]
    if trace.cell == "lstm":
        i, g, o = (trace.gates[name][t, j] for name in ("i", "g", "o"))
        lines.append(
            f"c_{{{step},{j + 1}}} = \\underbrace{{{latex_number(trace.gates[keep][t, j], 4)}"
            f"\\cdot{latex_number(previous, 4)}}}_{{f_t \\odot c_{{t-1}}}}"
            f" + \\underbrace{{{latex_number(i, 4)}\\cdot{latex_number(g, 4)}}}"
            f"_{{i_t \\odot g_t}} = {latex_number(kept, 4, False)} + {latex_number(written, 4)}"
            f" = {latex_number(new, 4, False)}")
        lines.append(f"h_{{{step},{j + 1}}} = o_t \\odot \\tanh(c_t) = {latex_number(o, 4)}"
                     f"\\cdot\\tanh({latex_number(new, 4, False)})"
                     f" = {latex_number(trace.hidden[t, j], 4, False)}")
    else:
        z, candidate = trace.gates["z"][t, j], trace.gates["h_tilde"][t, j]
        lines.append(
            f"h_{{{step},{j + 1}}} = \\underbrace{{{latex_number(z, 4)}"
            f"\\cdot{latex_number(previous, 4)}}}_{{z_t \\odot h_{{t-1}}}}"
            f" + \\underbrace{{(1 - {latex_number(z, 4)})\\cdot{latex_number(candidate, 4)}}}"
            f"_{{(1 - z_t) \\odot \\tilde h_t}} = {latex_number(kept, 4, False)}"
            f" + {latex_number(written, 4)} = {latex_number(new, 4, False)}")
    return lines


# The update equations shown above the step-through, in Keras's conventions.
EQUATIONS: dict[str, tuple[str, ...]] = {
    "lstm": (
        r"i_t = \sigma(x_t W_i + h_{t-1} U_i + b_i),\quad "
        r"f_t = \sigma(x_t W_f + h_{t-1} U_f + b_f),\quad "
        r"o_t = \sigma(x_t W_o + h_{t-1} U_o + b_o)",
        r"g_t = \tanh(x_t W_g + h_{t-1} U_g + b_g)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t,\qquad h_t = o_t \odot \tanh(c_t),"
        r"\qquad h_0 = c_0 = 0",
    ),
    "gru": (
        r"z_t = \sigma(x_t W_z + b_z + h_{t-1} U_z + b'_z),\quad "
        r"r_t = \sigma(x_t W_r + b_r + h_{t-1} U_r + b'_r)",
        r"\tilde h_t = \tanh\left(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h)\right)",
        r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t,\qquad h_0 = 0",
    ),
}


# ---------------------------------------------------------------- the check against Keras
def keras_states(cell: GatedCellName, x: np.ndarray,
                 weights: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """What a real ``keras.layers.LSTM`` / ``GRU`` with these weights returns for ``x``
    (T, features): h at every step (T, units) and its last carried state (the LSTM's c_T,
    the GRU's h_T), as float64. Keras is imported here only."""
    import keras

    _check_cell(cell)
    batch = np.asarray(x, dtype=np.float32)[None]  # (1, T, features)
    layer_class = getattr(keras.layers, CELL_NAMES[cell])
    units = int(np.shape(weights[1])[0])
    layer = layer_class(units, return_sequences=True, return_state=True,
                        name=f"stepthrough_{cell}")
    layer.build(batch.shape)
    layer.set_weights([np.asarray(w, dtype=np.float32) for w in weights])
    sequence, *states = layer(batch)
    last = states[-1]  # LSTM: [h_T, c_T]; GRU: [h_T]
    return (np.asarray(sequence, dtype=np.float64)[0], np.asarray(last, dtype=np.float64)[0])


def keras_difference(trace: GatedTrace, keras_hidden: np.ndarray,
                     keras_carried: np.ndarray) -> float:
    """Largest |NumPy − Keras| over every step's h and the last carried state."""
    return float(max(np.max(np.abs(trace.hidden - keras_hidden)),
                     np.max(np.abs(trace.carried[-1] - keras_carried))))
