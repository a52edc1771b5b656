"""The trained models' gate view: NumPy states over the embedded words are the model's own RNN
output (tiny models always, the shipped 64-unit models when present), and the three readings
(gate means, units that follow the verdict, words that let go) say what they claim."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("keras")

import keras
import tensorflow as tf

from rnn_core.sentiment import explain, gate_figures, gates, registry
from rnn_core.sentiment.registry import BENCH_REVIEW
from tests.test_imdb_models import tiny_model

SHIPPED = registry.manifests(registry.MODELS_DIR)
LONG_REVIEW = BENCH_REVIEW * 4  # 896 words: past the shipped models' 800-word window
TEXTS = ["A great film, wonderful cast but a weak and boring end.", "awful", ""]


def rnn_output(model, text: str) -> np.ndarray:
    """The model's own RNN layer output for ``text``: (words read, units)."""
    twin = keras.Model(model.inputs, [model.get_layer("truncate").output,
                                      model.get_layer("rnn").output])
    ids, sequence = twin(tf.constant([text]))
    n = int(np.sum(ids.numpy()[0] != 0))
    return sequence.numpy()[0, :n].astype(np.float64)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gate_models")
    return {cell: tiny_model(cell, folder, keep=keep)[0]
            for cell, keep in (("simple_rnn", "last"), ("lstm", "first"), ("gru", "last"))}


@pytest.mark.parametrize("cell", gates.READABLE)
def test_numpy_states_are_the_tiny_models_rnn_output(tiny, cell):
    reader = gates.GateReader(tiny[cell])
    for text in [*TEXTS, " ".join(["great"] * 5 + ["awful"] * 20)]:  # the last is truncated
        reading = reader.read(text)
        expected = rnn_output(tiny[cell], text)
        assert reading.hidden.shape == expected.shape
        np.testing.assert_allclose(reading.hidden, expected, atol=1e-5, rtol=0)
        assert len(reading.words) == len(reading.in_vocabulary) == len(reading.probabilities)
        if cell == "lstm":
            assert reading.cell_state.shape == reading.hidden.shape
        assert set(reading.gate_means) == set(gates.MEAN_GATES[cell])


def keep_gate_from_keras_states(model, text: str) -> np.ndarray:
    """(words, units) of the keep gate (LSTM f, GRU z), from the Keras layer's own h (and the
    embedded words) with the kernels split in Keras's order, not through ``cells``."""
    rnn = model.get_layer("rnn")
    kernel, recurrent, bias = (np.asarray(w, np.float64) for w in rnn.get_weights())
    units = recurrent.shape[0]
    twin = keras.Model(model.inputs, [model.get_layer("truncate").output,
                                      model.get_layer("embedding").output])
    ids, vectors = twin(tf.constant([text]))
    n = int(np.sum(ids.numpy()[0] != 0))
    x = vectors.numpy()[0, :n].astype(np.float64)
    h_before = np.vstack([np.zeros((1, units)), rnn_output(model, text)[:-1]])
    block = 1 if isinstance(rnn, keras.layers.LSTM) else 0  # i, f, c, o / z, r, h
    cut = slice(block * units, (block + 1) * units)
    if bias.ndim == 2:  # GRU, reset_after=True: an input bias and a recurrent bias
        pre = x @ kernel[:, cut] + bias[0, cut] + h_before @ recurrent[:, cut] + bias[1, cut]
    else:
        pre = x @ kernel[:, cut] + h_before @ recurrent[:, cut] + bias[cut]
    return 1 / (1 + np.exp(-pre))


@pytest.mark.skipif(not SHIPPED, reason="no shipped models in models/imdb")
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_units_letting_go_are_the_share_of_keep_gates_below_one_half(cell):
    model = registry.load_all(names=[cell])[cell].model
    reader = gates.GateReader(model)
    text = BENCH_REVIEW
    keep = keep_gate_from_keras_states(model, text)
    reading = reader.read(text)
    np.testing.assert_allclose(reading.gate_means[gates.KEEP_GATE[cell]], keep.mean(axis=1),
                               atol=1e-5)
    np.testing.assert_allclose(reading.let_go, (keep < gates.LET_GO).mean(axis=1), atol=1e-6)
    assert 0 < reading.let_go.max() < 1  # some units shut the gate, not all: a real check


@pytest.mark.skipif(not SHIPPED, reason="no shipped models in models/imdb")
@pytest.mark.parametrize("name", gates.READABLE)
def test_numpy_states_are_the_shipped_models_rnn_output_over_800_words(name):
    predictor = registry.load_all(names=[name])[name]
    reader, explainer = gates.GateReader(predictor.model), explain.Explainer(predictor)
    for text in (BENCH_REVIEW, LONG_REVIEW):
        reading = reader.read(text)
        np.testing.assert_allclose(reading.hidden, rnn_output(predictor.model, text),
                                   atol=1e-5, rtol=0)
        explanation = explainer.explain(text)
        assert reading.words == explanation.words  # the same words, the same end kept
        np.testing.assert_allclose(reading.probabilities, explanation.probabilities[1:],
                                   atol=1e-5)
        for means in reading.gate_means.values():
            assert means.shape == (len(reading.words),)
            assert 0 < means.min() <= means.max() < 1
    assert len(reading.words) == reading.max_len == 800 and reading.truncated


def test_a_bidirectional_model_is_refused(tmp_path):
    model, _ = tiny_model("bigru", tmp_path)
    with pytest.raises(ValueError, match="bidirectional"):
        gates.GateReader(model)


def test_an_empty_text_reads_as_no_words(tiny):
    reading = gates.GateReader(tiny["lstm"]).read("")
    assert reading.words == [] and reading.hidden.shape == (0, 6)
    assert gates.letting_go(reading) == [] and np.all(reading.correlations == 0)


def _reading(hidden: np.ndarray, probabilities: np.ndarray, forget: np.ndarray,
             let_go: np.ndarray | None = None):
    words = [f"w{t}" for t in range(len(probabilities))]
    let_go = np.zeros(len(words)) if let_go is None else let_go
    return gates.GateReading("lstm", words, [True] * len(words), hidden.astype(np.float32),
                             hidden.astype(np.float32), {"f": forget, "i": forget, "o": forget},
                             probabilities.astype(np.float32), len(words), 800, "last",
                             let_go.astype(np.float32))


def test_followers_are_ranked_by_their_correlation_with_the_verdict():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 30)
    hidden = np.stack([rng.normal(size=30), -p + 0.01 * rng.normal(size=30), 0.5 * p,
                       np.full(30, 0.3)], axis=1)  # noise, upside down, follows, constant
    reading = _reading(hidden, p, np.full(30, 0.9))
    followers = gates.verdict_followers(reading, top=4)
    assert [unit for unit, _ in followers][:2] in ([2, 1], [1, 2])
    assert followers[0][1] == pytest.approx(1.0, abs=1e-3) or followers[0][1] < -0.99
    for unit, r in followers:
        expected = 0.0 if unit == 3 else np.corrcoef(hidden[:, unit], p)[0, 1]
        assert r == pytest.approx(expected, abs=1e-5)
    assert gates.verdict_followers(_reading(hidden[:2], p[:2], np.ones(2)))[0][1] == 0.0


def test_letting_go_lists_where_most_units_shut_the_keep_gate_and_movers_the_biggest_changes():
    # w1 has the lowest mean gate, but only w3 and w5 shut it in many units (the mean of a
    # gate shut in a few units and open in the rest barely moves)
    forget = np.array([0.9, 0.2, 0.8, 0.6, 0.95, 0.6])
    let_go = np.array([0.0, 0.1, 0.0, 0.4, 0.0, 0.4])
    hidden = np.array([[0.1], [0.1], [0.7], [0.6], [-0.4], [-0.3]])
    reading = _reading(hidden, np.linspace(0.2, 0.8, 6), forget.astype(np.float32), let_go)
    assert [t for t, *_ in gates.letting_go(reading, top=2)] == [3, 5]
    assert [t for t, *_ in gates.letting_go(reading, top=6)] == [1, 3, 5]  # never a 0 share
    assert gates.letting_go(reading, top=1)[0][1:] == ("w3", pytest.approx(0.4),
                                                       pytest.approx(0.6))
    moved = gates.movers(reading, 0, top=2)
    assert [(t, round(change, 3)) for t, _, change in moved] == [(4, -1.0), (2, 0.6)]


def test_the_live_check_compares_with_the_models_own_curve(tiny):
    from rnn_core.sentiment.registry import Predictor

    text = "a great film but a boring end"
    explanation = explain.Explainer(Predictor("gru", tiny["gru"], {})).explain(text)
    reading = gates.GateReader(tiny["gru"]).read(text)
    assert gates.probability_difference(reading, explanation.probabilities) < 1e-5
    assert gates.probability_difference(reading, explanation.probabilities[:-1]) is None


@pytest.mark.parametrize("count", [7, gate_figures.WORD_TICKS + 20])  # words, then positions
def test_every_gate_view_chart_shows_the_word_under_the_cursor(count):
    """Hovering any of the three charts names the word at that position (customdata), also
    when the axis is labelled by position because the text is long."""
    words = [f"word{t}" for t in range(count)]
    rng = np.random.default_rng(0)
    means = {"f": rng.uniform(0, 1, count), "i": rng.uniform(0, 1, count)}
    states = rng.uniform(-1, 1, (count, 6))
    figures = [
        gate_figures.gate_means_figure(words, means, {"f": "forget", "i": "input"}, title="m",
                                       x_label="word", y_label="mean"),
        gate_figures.units_heatmap(words, states, [4, 1], "h", title="u", x_label="word"),
        gate_figures.unit_figure(words, {"h5": states[:, 4], "c5": states[:, 4] / 2},
                                 title="5", x_label="word"),
    ]
    for figure in figures:
        assert figure.data
        for trace in figure.data:
            assert "%{customdata}" in trace.hovertemplate
            assert list(trace.x) == list(range(1, count + 1))  # position k+1 is words[k]
            hover = np.asarray(trace.customdata, dtype=object)
            for row in hover.reshape(-1, count):  # a heatmap: every row of units
                assert list(row) == words
    means_figure, heatmap, unit_figure = figures
    assert [trace.name for trace in unit_figure.data] == ["h5", "c5"]
    assert [trace.name for trace in means_figure.data] == ["forget", "input"]
    assert list(heatmap.data[0].y) == ["h5", "h2"]
    np.testing.assert_array_equal(heatmap.data[0].z, states[:, [4, 1]].T)
    ticks = means_figure.layout.xaxis.ticktext
    assert (list(ticks) == words) if count <= gate_figures.WORD_TICKS else ticks is None


def test_the_page_reads_each_text_once(monkeypatch):
    """``rnn_ui.sentiment.gate_reading`` is cached per (models folder, model, text): the same
    text again is not read again (a pick of a unit or of the h / c view reruns the page)."""
    from rnn_ui import sentiment as cached

    reads = []

    class CountingReader:
        def read(self, text: str):
            reads.append(text)
            return _reading(np.zeros((3, 1)), np.linspace(0.2, 0.8, 3), np.full(3, 0.9))

    monkeypatch.setattr(cached, "gate_readers", lambda folder: {"lstm": CountingReader()})
    cached.gate_reading.clear()
    try:
        first = cached.gate_reading("folder-under-test", "lstm", "a text")
        again = cached.gate_reading("folder-under-test", "lstm", "a text")
        assert reads == ["a text"] and again.words == first.words
        cached.gate_reading("folder-under-test", "lstm", "another text")
        assert reads == ["a text", "another text"]
    finally:
        cached.gate_reading.clear()


# short words: 5,000 of them fit in the characters the model reads (text.MAX_CHARS, 20,000)
FIVE_THOUSAND_WORDS = " ".join(["it is a bad but fun film so ok yes"] * 500)


def recurrence_lengths(monkeypatch) -> list[int]:
    """How many steps each NumPy recurrence a ``GateReader.read`` runs has: what its work
    (O(steps × units²)) grows with."""
    lengths: list[int] = []
    gated, simple = gates.gated_trace, gates.simple_rnn_trace

    def counted_gated(cell, x, weights):
        lengths.append(len(x))
        return gated(cell, x, weights)

    def counted_simple(x, *weights):
        lengths.append(len(x))
        return simple(x, *weights)

    monkeypatch.setattr(gates, "gated_trace", counted_gated)
    monkeypatch.setattr(gates, "simple_rnn_trace", counted_simple)
    return lengths


def _assert_bounded(reader: gates.GateReader, monkeypatch) -> None:
    from rnn_core.sentiment.text import MAX_CHARS

    assert len(FIVE_THOUSAND_WORDS) < MAX_CHARS
    lengths = recurrence_lengths(monkeypatch)
    reading = reader.read(FIVE_THOUSAND_WORDS)
    assert reading.total_words == 5000 and reading.truncated
    assert lengths == [reader.max_len]  # one pass over the window, never over the whole text
    assert len(reading.words) == len(reading.probabilities) == reader.max_len
    assert reading.hidden.shape == (reader.max_len, reader.units)
    for values in (*reading.gate_means.values(), reading.let_go):
        assert len(values) in (0, reader.max_len)


@pytest.mark.parametrize("cell", gates.READABLE)
def test_a_long_text_is_read_over_the_models_window_only(tiny, cell, monkeypatch):
    _assert_bounded(gates.GateReader(tiny[cell]), monkeypatch)


@pytest.mark.skipif(not SHIPPED, reason="no shipped models in models/imdb")
@pytest.mark.parametrize("name", gates.READABLE)
def test_the_shipped_models_read_at_most_800_of_5000_words(name, monkeypatch):
    reader = gates.GateReader(registry.load_all(names=[name])[name].model)
    assert reader.max_len == 800
    _assert_bounded(reader, monkeypatch)
