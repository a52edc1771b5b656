"""The LSTM / GRU step-through: every gate matches Keras, the presets show what gates are for,
the tables and the printed arithmetic are the computation, the hand-over carries gated cells."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rnn_core import cells
from rnn_core.cells import BLOCKS, GATED_CELLS, GATES, gated_trace, sigmoid
from rnn_core.fundamentals import gates, stepthrough
from rnn_core.fundamentals.stepthrough import StepThroughInput
from tests.test_stepthrough import SHOWN, latex_value, pairs, terms, underbraces

ATOL = 1e-5  # float64 NumPy against float32 Keras
SIZES = [(1, 1, 2), (2, 3, 8), (3, 4, 12)]  # (features, units, steps), the page's range


def _keras(cell: str, x: np.ndarray, weights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return gates.keras_states(cell, x, weights)


def _assert_matches_keras(cell: str, x: np.ndarray, weights: list[np.ndarray]) -> None:
    trace = gated_trace(cell, x, weights)
    hidden, carried = _keras(cell, x, weights)
    np.testing.assert_allclose(trace.hidden, hidden, atol=ATOL, rtol=0)
    np.testing.assert_allclose(trace.carried[-1], carried, atol=ATOL, rtol=0)
    assert gates.keras_difference(trace, hidden, carried) < ATOL


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("cell", GATED_CELLS)
def test_random_weights_match_keras_at_every_size(cell, sizes):
    features, units, steps = sizes
    rng = np.random.default_rng(features * 10 + units)
    for scale in (0.5, 2.0):  # 2.0 drives the gates near 0 and 1
        weights = cells.random_weights(cell, features, units, rng, scale=scale)
        _assert_matches_keras(cell, rng.uniform(-1, 1, size=(steps, features)), weights)


@pytest.mark.parametrize("features", [1, 2, 3])
@pytest.mark.parametrize("cell", GATED_CELLS)
def test_every_preset_with_preset_and_random_weights_matches_keras(cell, features):
    units, steps = 4, stepthrough.GATED_MAX_STEPS
    for preset in gates.presets_for(features):
        x = gates.example_sequence(preset, steps, features, seed=3)
        _assert_matches_keras(cell, x, gates.example_weights(cell, features, units))
        _assert_matches_keras(cell, x, gates.example_weights(cell, features, units, seed=5))


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_trace_is_the_reference_cell_and_each_gate_is_its_own_slice(cell):
    """Every named gate is σ (or tanh) of its own column block, in Keras's order."""
    features, units, steps = 3, 4, 9
    rng = np.random.default_rng(1)
    kernel, recurrent, bias = weights = cells.random_weights(cell, features, units, rng, 1.0)
    x = rng.uniform(-1, 1, size=(steps, features))
    trace = gated_trace(cell, x, weights)
    np.testing.assert_allclose(trace.hidden, cells.run_sequence(cell, x[None], weights, True)[0],
                               atol=1e-12)
    h_prev = np.vstack([np.zeros(units), trace.hidden[:-1]])  # (T, units)
    for block, name in enumerate(BLOCKS[cell]):
        cols = slice(block * units, (block + 1) * units)
        if cell == "lstm":
            total = x @ kernel[:, cols] + h_prev @ recurrent[:, cols] + bias[cols]
        else:
            recurrent_part = h_prev @ recurrent[:, cols] + bias[1, cols]
            scale = trace.gates["r"] if name == "h_tilde" else 1.0
            total = x @ kernel[:, cols] + bias[0, cols] + scale * recurrent_part
        squash = np.tanh if name == gates.CANDIDATES[cell] else sigmoid
        np.testing.assert_allclose(trace.pre_activations[name], total, atol=1e-12)
        np.testing.assert_allclose(trace.gates[name], squash(total), atol=1e-12)
    np.testing.assert_allclose(trace.kept + trace.written, trace.carried, atol=1e-12)
    if cell == "lstm":
        np.testing.assert_allclose(trace.hidden, trace.gates["o"] * np.tanh(trace.carried),
                                   atol=1e-12)
    else:
        np.testing.assert_array_equal(trace.carried, trace.hidden)


def _keras_with_one_block_pinned(cell: str, x: np.ndarray, block: int, value: float,
                                 recurrent: np.ndarray | None = None):
    """Keras's output with every weight 0.8 and one block's bias pinned at ``value``."""
    units, width = 2, GATES[cell] * 2
    bias = np.zeros(width if cell == "lstm" else (2, width))
    (bias if cell == "lstm" else bias[0])[block * units:(block + 1) * units] = value
    weights = [np.full((1, width), 0.8), np.zeros((units, width)) if recurrent is None
               else recurrent, bias]
    return _keras(cell, x, weights)


X_ORDER = np.array([[1.0], [0.5], [0.9]])


def test_keras_lstm_reads_its_blocks_in_the_order_i_f_c_o():
    """Shut each block in turn (bias -20) and Keras shows which gate it is: so the names we
    give the kernel's column blocks are Keras's."""
    shut = {name: _keras_with_one_block_pinned("lstm", X_ORDER, k, -20.0)
            for k, name in enumerate(BLOCKS["lstm"])}
    hidden, cell_state = shut["i"]  # nothing is ever written
    assert np.abs(hidden).max() < 1e-6 and np.abs(cell_state).max() < 1e-6
    hidden, cell_state = shut["o"]  # written, never shown
    assert np.abs(hidden).max() < 1e-6 and np.abs(cell_state).min() > 0.1
    hidden, cell_state = shut["f"]  # no memory: c_T is the last step's i * g alone
    last = 0.8 * X_ORDER[-1, 0]
    np.testing.assert_allclose(cell_state, sigmoid(last) * np.tanh(last), atol=ATOL)
    hidden, cell_state = shut["g"]  # the candidate pinned at -1: c is driven negative
    assert cell_state.max() < -0.5


def test_keras_gru_reads_its_blocks_in_the_order_z_r_h():
    keep_all, _ = _keras_with_one_block_pinned("gru", X_ORDER, 0, 20.0)  # z = 1: h stays h_0
    assert np.abs(keep_all).max() < 1e-6
    candidate_up, _ = _keras_with_one_block_pinned("gru", X_ORDER, 2, 20.0)  # h~ = 1
    assert candidate_up[-1].min() > 0.5
    recurrent = np.zeros((2, 6))
    recurrent[:, 4:] = 3 * np.eye(2)  # the candidate would read the old state strongly
    no_reset, _ = _keras_with_one_block_pinned("gru", X_ORDER, 1, -20.0, recurrent)  # r = 0
    h = np.zeros(2)
    for x_t in X_ORDER[:, 0]:  # what r = 0 means: the candidate ignores the old state
        z = sigmoid(0.8 * x_t)
        h = z * h + (1 - z) * np.tanh(0.8 * x_t)
    np.testing.assert_allclose(no_reset[-1], h, atol=ATOL)


def test_keras_gru_uses_reset_after_and_its_second_bias():
    """The reset gate scales U_h h + b'_h (reset_after=True): applying it before U_h, or
    dropping b'_h, gives numbers Keras does not."""
    rng = np.random.default_rng(4)
    features, units = 2, 3
    weights = cells.random_weights("gru", features, units, rng, scale=1.5)
    x = rng.uniform(-1, 1, size=(6, features))
    hidden, _ = _keras("gru", x, weights)
    np.testing.assert_allclose(gated_trace("gru", x, weights).hidden, hidden, atol=ATOL)
    kernel, recurrent, bias = weights
    no_second_bias = [kernel, recurrent, np.stack([bias[0] + bias[1], np.zeros(3 * units)])]
    assert np.abs(gated_trace("gru", x, no_second_bias).hidden - hidden).max() > 1e-3
    reset_before = _reset_before_gru(x, weights)
    assert np.abs(reset_before - hidden).max() > 1e-3


def _reset_before_gru(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """The other GRU (reset_after=False): r multiplies h before U_h. Not what Keras runs."""
    kernel, recurrent, bias = weights
    units = recurrent.shape[0]
    h, out = np.zeros(units), []
    for x_t in x:
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3)
        u_z, u_r, u_h = np.split(recurrent, 3, axis=1)
        z = sigmoid(x_z + h @ u_z + bias[1, :units])
        r = sigmoid(x_r + h @ u_r + bias[1, units:2 * units])
        h = z * h + (1 - z) * np.tanh(x_h + (r * h) @ u_h + bias[1, 2 * units:])
        out.append(h)
    return np.array(out)


# ---------------------------------------------------------------- the presets do their jobs
def _carried(cell: str, preset: str, features: int = 2, units: int = 4,
             steps: int = 8) -> np.ndarray:
    x = gates.example_sequence(preset, steps, features)
    return gated_trace(cell, x, gates.example_weights(cell, features, units))


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_the_keeper_remembers_a_pulse_and_the_leaky_unit_forgets_it(cell):
    trace = _carried(cell, "remember")
    pulse = gates.pulse_step(8)
    keeper = trace.carried[:, 0]
    assert np.all(keeper[:pulse] == 0) and keeper[pulse] > 0.8
    assert keeper[-1] > 0.6 * keeper[pulse]  # still there six steps later
    leaky = trace.carried[:, 1 if cell == "lstm" else 2]
    assert leaky[-1] < 0.05 * leaky[pulse]  # halves every step


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_the_reset_signal_lets_the_keeper_go(cell):
    trace = _carried(cell, "reset")
    reset = gates.reset_step(8)
    keeper = trace.carried[:, 0]
    assert keeper[reset - 1] > 0.6 and keeper[reset] < 0.25 and keeper[-1] < 0.25
    keep = trace.gates[gates.KEEP_GATES[cell]][:, 0]
    assert keep[reset] < 0.15 < 0.9 < keep[reset - 1]  # the keep gate drops at the reset only


def test_an_lstm_forgets_without_writing_and_a_gru_needs_its_reset_gate():
    lstm = _carried("lstm", "reset")
    reset = gates.reset_step(8)
    assert lstm.gates["i"][reset, 0] < 0.06 and abs(lstm.written[reset, 0]) < 1e-6
    gru = _carried("gru", "reset")
    assert gru.gates["r"][reset, 0] < 0.15 and gru.gates["r"][reset, 1] > 0.95
    assert gru.carried[reset, 0] < 0.25 < 0.6 < gru.carried[reset, 1]  # no reset gate: kept


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_noise_is_ignored_by_the_keeper_and_not_by_the_always_open_unit(cell):
    remember, noise = _carried(cell, "remember"), _carried(cell, "noise")
    assert np.abs(noise.carried[:, 0] - remember.carried[:, 0]).max() < 0.1
    open_unit = 2 if cell == "lstm" else 3
    assert np.abs(noise.carried[:, open_unit] - remember.carried[:, open_unit]).max() > 0.3


def test_an_lstm_cell_state_counts_past_one_and_a_shut_output_gate_hides_it():
    steady = _carried("lstm", "steady")
    assert steady.carried[-1, 0] > 3 and steady.hidden[:, 0].max() < 1
    remember = _carried("lstm", "remember")
    np.testing.assert_allclose(remember.carried[:, 3], remember.carried[:, 0], atol=1e-12)
    assert remember.hidden[:, 3].max() < 0.1 < 0.5 < remember.hidden[:, 0].max()


def test_the_hints_numbers_are_the_preset_numbers():
    """The texts beside the presets quote these values (gates.yaml hint_*)."""
    lstm, gru = _carried("lstm", "reset"), _carried("gru", "reset")
    pulse, reset = gates.pulse_step(8), gates.reset_step(8)
    assert lstm.gates["i"][pulse, 0] == pytest.approx(0.88, abs=0.01)
    assert lstm.gates["g"][pulse, 0] == pytest.approx(0.96, abs=0.01)
    assert lstm.carried[pulse, 0] == pytest.approx(0.85, abs=0.01)
    assert lstm.gates["f"][pulse + 1, 0] == pytest.approx(0.95, abs=0.01)
    assert lstm.gates["f"][reset, 0] == pytest.approx(0.12, abs=0.01)
    assert gru.gates["z"][pulse, 0] == pytest.approx(0.12, abs=0.01)
    assert gru.gates["r"][reset, 0] == pytest.approx(0.12, abs=0.01)
    assert gru.carried[reset, 0] == pytest.approx(0.18, abs=0.01)
    assert gru.carried[reset, 1] == pytest.approx(0.7, abs=0.02)
    noise = _carried("lstm", "noise")
    assert noise.gates["i"][pulse + 1:, 0].max() <= 0.12


# ---------------------------------------------------------------- inputs, tables, LaTeX
@pytest.mark.parametrize("features", [1, 2, 3])
@pytest.mark.parametrize("steps", [2, 3, 8, 12])
def test_presets_fit_their_sizes_and_bounds(features, steps):
    for preset in gates.presets_for(features):
        x = gates.example_sequence(preset, steps, features, seed=2)
        assert x.shape == (steps, features)
        assert np.all(np.abs(x) <= stepthrough.VALUE_LIMIT)
    assert ("reset" in gates.presets_for(features)) == (features >= 2)
    assert 0 <= gates.pulse_step(steps) < gates.reset_step(steps) <= steps - 1


def test_a_reset_needs_the_reset_line():
    with pytest.raises(ValueError, match="2 features"):
        gates.example_sequence("reset", 8, 1)


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_preset_weights_have_the_keras_layout_and_stay_in_bounds(cell):
    import keras

    for features, units, _ in SIZES:
        layer = getattr(keras.layers, cells.CELL_NAMES[cell])(units)
        layer.build((None, 5, features))
        shapes = [w.shape for w in layer.get_weights()]
        for seed in (None, 3):
            weights = gates.example_weights(cell, features, units, seed)
            assert [w.shape for w in weights] == shapes
            assert all(np.abs(w).max() <= stepthrough.VALUE_LIMIT for w in weights)


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_block_tables_round_trip_and_follow_keras_columns(cell):
    features, units = 3, 2
    weights = cells.random_weights(cell, features, units, np.random.default_rng(0))
    tables = gates.block_tables(cell, weights)
    assert list(tables) == list(BLOCKS[cell])
    rows = gates.block_rows(cell, features, units)
    assert all(table.shape == (len(rows), units) for table in tables.values())
    for original, rebuilt in zip(weights, gates.from_block_tables(cell, tables, features),
                                 strict=True):
        np.testing.assert_array_equal(original, rebuilt)
    second = BLOCKS[cell][1]  # the forget gate / the reset gate: Keras's columns u..2u
    np.testing.assert_array_equal(tables[second][:features], weights[0][:, units:2 * units])
    assert gates.keras_columns(cell, units)[units:2 * units] == [
        f"{gates.TEXT_SYMBOLS[second]}{j}" for j in (1, 2)]


def _block_line_parts(cell: str, line: str) -> dict[str, object]:
    """A block's printed line cut into its parts: the x_t W products, the h_{t-1} U products,
    the bias(es), the reset gate scaling the GRU candidate's recurrent part (or None), the
    total inside σ / tanh and the value shown last."""
    groups = underbraces(line)
    if cell == "lstm":
        x_part, h_part, b_part = groups
        biases, recurrent = [latex_value(b_part)], h_part
    else:
        x_part, b_part, recurrent_part = groups
        recurrent, second_bias = recurrent_part.rsplit(" + ", 1)
        biases = [latex_value(b_part), latex_value(second_bias)]
        h_part = recurrent
    scale = re.search(r" \+ (\(?-?[0-9.]+\)?)\\cdot\\underbrace\{\\big\(", line)
    total, shown = re.search(r"\((-?[0-9.]+)\) = \(?(-?[0-9.]+)\)?$", line).groups()
    return {"x": pairs(x_part), "h": pairs(h_part), "biases": biases,
            "reset": None if scale is None else latex_value(scale.group(1)),
            "total": float(total), "shown": float(shown)}


# A trained model's numbers, as the forecasting page hands them over: 4 decimals.
def _handed_over(cell: str, features: int, units: int, steps: int, seed: int):
    rng = np.random.default_rng(seed)
    kernel, recurrent, bias = cells.random_weights(cell, features, units, rng, scale=1.0)
    numbers = StepThroughInput.rounded(cell, rng.uniform(-1, 1, (steps, features)), kernel,
                                       recurrent, bias)
    assert np.any(np.round(numbers.kernel, 3) != numbers.kernel)  # the 4th decimal matters
    return numbers.inputs, numbers.weights


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_the_printed_arithmetic_is_the_trace_for_every_unit_and_step(cell):
    """Every printed factor is the learner's number: x_t, the unit's column of the block's table
    (W, U, the bias, b′), h_{t-1} and, for the GRU candidate, r_t; with every decimal a
    hand-over carries. The products add up to what σ / tanh is applied to, and the state lines
    multiply the gates the lines above printed."""
    features, units, steps = 2, 3, 5
    x, weights = _handed_over(cell, features, units, steps, seed=6)
    trace = gated_trace(cell, x, weights)
    tables = gates.block_tables(cell, weights)
    for step in range(1, steps + 1):
        t = step - 1
        h_prev = trace.hidden[t - 1] if t else np.zeros(units)
        for unit in range(units):
            lines = gates.step_latex(trace, x, tables, step, unit)
            blocks = BLOCKS[cell]
            assert len(lines) == len(blocks) + (2 if cell == "lstm" else 1)
            for name, line in zip(blocks, lines, strict=False):
                assert line.startswith(f"{gates.SYMBOLS[name]}_{{{step},{unit + 1}}} = ")
                column = tables[name][:, unit]
                w, u, b = column[:features], column[features:features + units], \
                    column[features + units:]
                parts = _block_line_parts(cell, line)
                inputs, input_weights = parts["x"]
                np.testing.assert_allclose(inputs, x[t], atol=1e-12)
                np.testing.assert_allclose(input_weights, w, atol=1e-12)
                states, recurrent_weights = parts["h"]
                np.testing.assert_allclose(states, h_prev, atol=SHOWN + 1e-12)
                np.testing.assert_allclose(recurrent_weights, u, atol=1e-12)
                np.testing.assert_allclose(parts["biases"], b, atol=1e-12)
                is_candidate = cell == "gru" and name == "h_tilde"
                assert (parts["reset"] is not None) == is_candidate
                reset = parts["reset"] if is_candidate else 1.0
                if is_candidate:
                    assert reset == pytest.approx(trace.gates["r"][t, unit], abs=SHOWN + 1e-12)
                recurrent_sum = states @ recurrent_weights + (b[1] if cell == "gru" else 0.0)
                printed = inputs @ input_weights + b[0] + reset * recurrent_sum
                bound = SHOWN * (np.abs(u).sum() + abs(recurrent_sum)) + 1e-9
                total = trace.pre_activations[name][t, unit]
                assert printed == pytest.approx(total, abs=bound)
                assert parts["total"] == pytest.approx(total, abs=SHOWN + 1e-12)
                assert parts["shown"] == pytest.approx(trace.gates[name][t, unit],
                                                       abs=SHOWN + 1e-12)
            _check_state_lines(trace, lines[len(blocks):], t, unit)


def _check_state_lines(trace, lines: list[str], t: int, unit: int) -> None:
    """c_t (LSTM) or h_t (GRU) = keep · previous + written, each factor the trace's number."""
    gate = trace.gates
    keep_part, write_part = underbraces(lines[0])
    (keep, previous), = terms(keep_part)
    assert keep == pytest.approx(gate[gates.KEEP_GATES[trace.cell]][t, unit], abs=SHOWN + 1e-12)
    assert previous == pytest.approx(trace.previous_carried[t, unit], abs=SHOWN + 1e-12)
    if trace.cell == "lstm":
        (i, g), = terms(write_part)
        assert (i, g) == (pytest.approx(gate["i"][t, unit], abs=SHOWN + 1e-12),
                          pytest.approx(gate["g"][t, unit], abs=SHOWN + 1e-12))
        o, c = re.search(r"= \(?(-?[0-9.]+)\)?\\cdot\\tanh\((-?[0-9.]+)\)", lines[1]).groups()
        assert float(o) == pytest.approx(gate["o"][t, unit], abs=SHOWN + 1e-12)
        assert float(c) == pytest.approx(trace.carried[t, unit], abs=SHOWN + 1e-12)
    else:
        z, candidate = re.fullmatch(r"\(1 - (-?[0-9.]+)\)\\cdot\(?(-?[0-9.]+)\)?",
                                    write_part).groups()
        assert float(z) == keep
        assert float(candidate) == pytest.approx(gate["h_tilde"][t, unit], abs=SHOWN + 1e-12)
    kept, written, new = (latex_value(v) for v in re.search(
        r"= (\(?-?[0-9.]+\)?) \+ (\(?-?[0-9.]+\)?) = (\(?-?[0-9.]+\)?)$", lines[0]).groups())
    assert kept == pytest.approx(trace.kept[t, unit], abs=SHOWN + 1e-12)
    assert written == pytest.approx(trace.written[t, unit], abs=SHOWN + 1e-12)
    assert new == pytest.approx(trace.carried[t, unit], abs=SHOWN + 1e-12)
    shown_h = re.search(r"= \(?(-?[0-9.]+)\)?$", lines[-1]).group(1)
    assert float(shown_h) == pytest.approx(trace.hidden[t, unit], abs=SHOWN + 1e-12)


# ---------------------------------------------------------------- the hand-over
def test_a_gated_hand_over_is_checked_and_goes_to_the_gates_page():
    rng = np.random.default_rng(0)
    kernel, recurrent, bias = cells.random_weights("gru", 1, 2, rng)
    numbers = StepThroughInput("gru", rng.uniform(-1, 1, (10, 1)), kernel, recurrent, bias)
    assert numbers.page == "gates" and numbers.sizes == (1, 2, 10)
    assert numbers.weights[2].shape == (2, 6)
    with pytest.raises(ValueError, match="do not fit"):
        StepThroughInput("gru", rng.uniform(-1, 1, (10, 1)), kernel, recurrent, bias[0])
    with pytest.raises(ValueError, match="steps"):  # the gated tables hold 12 steps
        StepThroughInput("gru", rng.uniform(-1, 1, (13, 1)), kernel, recurrent, bias)
    lstm = cells.random_weights("lstm", 1, 2, rng)
    assert StepThroughInput("lstm", rng.uniform(-1, 1, (12, 1)), *lstm).page == "gates"
    simple = cells.random_weights("simple_rnn", 1, 2, rng)
    assert StepThroughInput("simple_rnn", rng.uniform(-1, 1, (20, 1)), *simple).page == (
        "fundamentals")


def test_a_hand_over_is_frozen_down_to_its_numbers():
    """A page that takes a hand-over cannot change what the sender (or another rerun) sees."""
    kernel, recurrent, bias = cells.random_weights("lstm", 1, 2, np.random.default_rng(1))
    inputs = np.zeros((4, 1))
    numbers = StepThroughInput("lstm", inputs, kernel, recurrent, bias)
    inputs[0, 0] = 1.0  # the sender's own array, changed afterwards
    assert numbers.inputs[0, 0] == 0.0
    with pytest.raises(ValueError, match="read-only"):
        numbers.kernel[0, 0] = 3.0


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_a_trained_one_layer_forecaster_is_handed_to_its_step_through(cell):
    from rnn_core.forecasting import experiment
    from rnn_core.forecasting.series import SineSettings
    from rnn_core.forecasting.training import TrainConfig

    config = TrainConfig(cell=cell, units=3, epochs=1)
    problem = experiment.sine_problem(SineSettings(), config)
    numbers = experiment.stepthrough_input(experiment.new_model(problem), problem)
    assert numbers is not None and numbers.cell == cell
    assert numbers.page == ("fundamentals" if cell == "simple_rnn" else "gates")
    assert numbers.sizes == (1, 3, experiment.STEPTHROUGH_STEPS)
    too_big = TrainConfig(cell=cell, units=stepthrough.MAX_UNITS + 1, epochs=1)
    problem = experiment.sine_problem(SineSettings(), too_big)
    assert experiment.stepthrough_input(experiment.new_model(problem), problem) is None


# ---------------------------------------------------------------- the quiz's numbers
def test_the_quiz_answers_are_what_the_page_computes():
    from rnn_core.study.quiz import load_quiz

    quiz = load_quiz("gates")
    lstm = _carried("lstm", "reset", units=1)
    reset = gates.reset_step(gates.DEFAULT_SIZES[2])
    assert gates.DEFAULT_SIZES[2] == 8
    assert lstm.carried[reset - 1, 0] == pytest.approx(0.73, abs=0.01)
    assert lstm.gates["f"][reset, 0] == pytest.approx(0.12, abs=0.01)
    assert lstm.gates["i"][reset, 0] == pytest.approx(0.05, abs=0.01)
    assert lstm.carried[reset, 0] == pytest.approx(0.09, abs=0.01)
    assert quiz.question("lstm_reset_prediction").choice_texts("en")[
        quiz.question("lstm_reset_prediction").answer].startswith("About 0.09")
    forget = BLOCKS["lstm"].index("f")  # LSTM(3): the forget gate's columns, 1-based
    order = quiz.question("lstm_kernel_order")
    assert order.choice_texts("en")[order.answer] == f"Columns {3 * forget + 1}-{3 * forget + 3}"
    gru = _carried("gru", "remember", units=1, steps=12)  # the z ≈ 0.95 the page shows
    assert gru.gates["z"][gates.pulse_step(12) + 1:, 0] == pytest.approx(0.95, abs=0.005)


# (row, is a gate: drawn on the 0..1 scale) of the gate heatmap, top to bottom
HEATMAP_ROWS = {
    "lstm": [("i", True), ("f", True), ("g", False), ("o", True), ("c", False), ("h", False)],
    "gru": [("z", True), ("r", True), ("h_tilde", False), ("h", False)],
}


@pytest.mark.parametrize("cell", GATED_CELLS)
def test_the_figures_show_every_row_and_only_the_steps_computed_so_far(cell):
    from xml.etree import ElementTree

    from rnn_core.drawing import palette
    from rnn_core.fundamentals import gate_figures
    from tests.test_diagram import SVG, texts

    features, units, steps = 3, 4, 12
    trace = gated_trace(cell, gates.example_sequence("noise", steps, features),
                        gates.example_weights(cell, features, units))
    rows = gate_figures.heatmap_rows(trace)
    # every block of the cell (written out here, not read from BLOCKS), then c (LSTM) and h
    assert [(name, is_gate) for name, _, is_gate in rows] == HEATMAP_ROWS[cell]
    states = {"c": trace.carried, "h": trace.hidden}
    for name, values, _ in rows:
        np.testing.assert_array_equal(values, trace.gates.get(name, states.get(name)))
    titles = {name: f"title <{name}>" for name, _, _ in rows}  # escaped, never markup
    for current in (1, 5, steps):
        svg = ElementTree.fromstring(gate_figures.gates_heatmap(trace, current, titles=titles))
        labels = texts(svg)
        assert [label for label in labels if label.startswith("title")] == list(titles.values())
        for _, values, _ in rows:  # every value computed so far is printed, in its row
            for t in range(current):
                assert all(f"{values[t, j]:.2f}" in labels for j in range(units))
        cells = [r for r in svg.iter(f"{SVG}rect") if r.get("fill", "").startswith("rgb")]
        assert len(cells) == len(rows) * units * current  # each computed cell once
        blanks = [r for r in svg.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
        assert len(blanks) == len(rows) * units * (steps - current)  # the future is blank
        outline = [r for r in svg.iter(f"{SVG}rect") if r.get("stroke") == palette.ACCENT]
        assert len(outline) == 1
        path = ElementTree.fromstring(gate_figures.carried_path(trace, units - 1, current))
        states = [e.text for e in path.iter(f"{SVG}text") if e.get("font-weight") == "bold"]
        assert len(states) == current
        assert states[-1] == f"{trace.carried[current - 1, units - 1]:.3f}"
        keeps = [label for label in texts(path) if label.startswith("×") and label[1:2].isdigit()]
        keep = trace.gates[gates.KEEP_GATES[cell]][:, units - 1]
        assert keeps == [f"×{v:.3f}" for v in keep[:current]]
