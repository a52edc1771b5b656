"""The NumPy cells compute exactly what Keras's SimpleRNN, LSTM, GRU and Bidirectional compute."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import cells

BATCH, STEPS, FEATURES, UNITS = 3, 5, 4, 6
ATOL = 1e-5  # float64 NumPy against float32 Keras


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _inputs(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=(BATCH, STEPS, FEATURES))


def _weights(cell: str, seed: int) -> list[np.ndarray]:
    return cells.random_weights(cell, FEATURES, UNITS, np.random.default_rng(seed))


def _keras_output(keras, layer, x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """Load ``weights`` into a freshly made Keras layer and run it on ``x``."""
    layer.build(x.shape)
    layer.set_weights([w.astype(np.float32) for w in weights])
    return keras.ops.convert_to_numpy(layer(x.astype(np.float32))).astype(np.float64)


@pytest.mark.parametrize("cell", cells.CELLS)
def test_random_weights_have_the_keras_layout(keras, cell):
    layer = getattr(keras.layers, cells.CELL_NAMES[cell])(UNITS)
    layer.build((None, STEPS, FEATURES))
    expected = [w.shape for w in layer.get_weights()]
    assert [w.shape for w in _weights(cell, 0)] == expected


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("cell", cells.CELLS)
def test_run_sequence_matches_keras(keras, cell, return_sequences):
    x, weights = _inputs(1), _weights(cell, 2)
    layer = getattr(keras.layers, cells.CELL_NAMES[cell])(
        UNITS, return_sequences=return_sequences)
    expected = _keras_output(keras, layer, x, weights)
    ours = cells.run_sequence(cell, x, weights, return_sequences=return_sequences)
    shape = (BATCH, STEPS, UNITS) if return_sequences else (BATCH, UNITS)
    assert ours.shape == expected.shape == shape
    np.testing.assert_allclose(ours, expected, atol=ATOL, rtol=0)
    # The batch rows are independent sequences, not one mixed computation.
    single = cells.run_sequence(cell, x[1:2], weights, return_sequences=return_sequences)
    np.testing.assert_allclose(single[0], ours[1], atol=1e-12)


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("cell", cells.CELLS)
def test_go_backwards_matches_keras(keras, cell, return_sequences):
    x, weights = _inputs(3), _weights(cell, 4)
    layer = getattr(keras.layers, cells.CELL_NAMES[cell])(
        UNITS, return_sequences=return_sequences, go_backwards=True)
    expected = _keras_output(keras, layer, x, weights)
    ours = cells.run_sequence(cell, x, weights, return_sequences, go_backwards=True)
    np.testing.assert_allclose(ours, expected, atol=ATOL, rtol=0)
    # Going backwards is running forwards on the time-reversed input, outputs in that order.
    flipped = cells.run_sequence(cell, x[:, ::-1], weights, return_sequences)
    np.testing.assert_allclose(ours, flipped, atol=1e-12)


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("merge_mode", cells.MERGE_MODES)
@pytest.mark.parametrize("cell", cells.CELLS)
def test_bidirectional_matches_keras(keras, cell, merge_mode, return_sequences):
    x, forward, backward = _inputs(5), _weights(cell, 6), _weights(cell, 7)
    inner = getattr(keras.layers, cells.CELL_NAMES[cell])(
        UNITS, return_sequences=return_sequences)
    layer = keras.layers.Bidirectional(inner, merge_mode=merge_mode)
    expected = _keras_output(keras, layer, x, [*forward, *backward])
    ours = cells.run_bidirectional(cell, x, forward, backward, merge_mode, return_sequences)
    width = 2 * UNITS if merge_mode == "concat" else UNITS
    assert ours.shape == expected.shape
    assert ours.shape[-1] == width
    np.testing.assert_allclose(ours, expected, atol=ATOL, rtol=0)


def test_bidirectional_realigns_the_backward_sequence_in_time():
    """Position t of the backward half is the backward pass's state at input step t."""
    x, forward, backward = _inputs(8), _weights("gru", 9), _weights("gru", 10)
    out = cells.run_bidirectional("gru", x, forward, backward, "concat", return_sequences=True)
    backward_states = cells.run_sequence("gru", x, backward, True, go_backwards=True)
    # The backward pass reaches input step 0 last; Keras puts that state at position 0.
    np.testing.assert_allclose(out[:, 0, UNITS:], backward_states[:, -1], atol=1e-12)
    last = cells.run_bidirectional("gru", x, forward, backward, "concat", return_sequences=False)
    np.testing.assert_allclose(last[:, UNITS:], out[:, 0, UNITS:], atol=1e-12)
    np.testing.assert_allclose(last[:, :UNITS], out[:, -1, :UNITS], atol=1e-12)


@pytest.mark.parametrize("cell", cells.CELLS)
def test_keras_helpers_equal_numpy(cell):
    x, forward, backward = _inputs(11), _weights(cell, 12), _weights(cell, 13)
    np.testing.assert_allclose(cells.keras_sequence(cell, x, forward, return_sequences=True),
                               cells.run_sequence(cell, x, forward, return_sequences=True),
                               atol=ATOL, rtol=0)
    np.testing.assert_allclose(cells.keras_bidirectional(cell, x, forward, backward, "sum"),
                               cells.run_bidirectional(cell, x, forward, backward, "sum"),
                               atol=ATOL, rtol=0)


def test_simple_rnn_trace_shows_the_arithmetic_of_each_step():
    x = _inputs(14)[0]  # (T, features)
    kernel, recurrent, bias = _weights("simple_rnn", 15)
    trace = cells.simple_rnn_trace(x, kernel, recurrent, bias)
    np.testing.assert_allclose(trace.hidden, cells.run_sequence(
        "simple_rnn", x[None], [kernel, recurrent, bias], return_sequences=True)[0], atol=1e-12)
    np.testing.assert_array_equal(trace.h0, np.zeros(UNITS))
    np.testing.assert_allclose(trace.input_part, x @ kernel, atol=1e-12)
    np.testing.assert_array_equal(trace.recurrent_part[0], np.zeros(UNITS))  # h0 is zero
    np.testing.assert_allclose(trace.recurrent_part[1:], trace.hidden[:-1] @ recurrent,
                               atol=1e-12)
    np.testing.assert_allclose(trace.pre_activation,
                               trace.input_part + trace.recurrent_part + bias, atol=1e-12)
    np.testing.assert_allclose(trace.hidden, np.tanh(trace.pre_activation), atol=1e-12)


@pytest.mark.parametrize("cell", cells.CELLS)
def test_steps_accept_unbatched_vectors(cell):
    x, weights = _inputs(16), _weights(cell, 17)
    x_t, h = x[:, 0], np.random.default_rng(18).uniform(-1, 1, size=(BATCH, UNITS))
    if cell == "simple_rnn":
        batched = cells.simple_rnn_step(x_t, h, *weights)
        single = cells.simple_rnn_step(x_t[0], h[0], *weights)
    elif cell == "lstm":
        batched = np.concatenate(cells.lstm_step(x_t, h, h, *weights), axis=-1)
        single = np.concatenate(cells.lstm_step(x_t[0], h[0], h[0], *weights), axis=-1)
    else:
        batched = cells.gru_step(x_t, h, *weights)
        single = cells.gru_step(x_t[0], h[0], *weights)
    np.testing.assert_allclose(single, batched[0], atol=1e-12)


def test_gate_order_follows_keras():
    """With only biases, one open gate decides the step: i,f,c,o for LSTM and z,r,h for GRU."""
    x_t, h_prev, c_prev = np.zeros(1), np.array([0.3, -0.7]), np.array([0.9, -0.4])
    big = 50.0  # sigmoid(50) == 1 and sigmoid(-50) == 0 in float64 for our purpose
    lstm = [np.zeros((1, 8)), np.zeros((2, 8)), np.repeat([-big, big, 0.0, big], 2)]
    h_t, c_t = cells.lstm_step(x_t, h_prev, c_prev, *lstm)  # input gate shut, forget open
    np.testing.assert_allclose(c_t, c_prev, atol=1e-12)
    np.testing.assert_allclose(h_t, np.tanh(c_prev), atol=1e-12)
    gru = [np.zeros((1, 6)), np.zeros((2, 6)), np.zeros((2, 6))]
    gru[2][0, :2] = big  # update gate z open: the GRU keeps its previous state
    np.testing.assert_allclose(cells.gru_step(x_t, h_prev, *gru), h_prev, atol=1e-12)


def test_bad_names_are_refused_with_the_choices():
    x, weights = _inputs(19), _weights("lstm", 20)
    with pytest.raises(ValueError, match="simple_rnn, lstm, gru"):
        cells.run_sequence("transformer", x, weights)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="concat"):
        cells.run_bidirectional("lstm", x, weights, weights, "max")  # type: ignore[arg-type]
