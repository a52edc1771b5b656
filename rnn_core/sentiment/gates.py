"""What a trained model's gates and units did on one review, word by word.

A ``GateReader`` is built once per loaded unidirectional model (SimpleRNN, LSTM, GRU). Per text,
the model's own front end gives the words it reads (cleaned, vectorized, truncated) and its own
embedding their vectors; then the NumPy cells of ``rnn_core.cells`` run over those vectors with
the model's own RNN weights, keeping every gate Keras computes but does not return. The tests
check that the states are the model's RNN output. The work is bounded by the model's window
(800 words): O(words × units²), a few milliseconds for 800 words and 64 units.

From a reading, three views: per word the mean of each gate over the units; which units follow
the verdict (the correlation, over the words, of a unit's h with p(positive) after each word);
where the keep gate drops (the LSTM's forget gate f, the GRU's update gate z, which in Keras's
convention is the share of the old state kept), i.e. where the model lets go of what it read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rnn_core.cells import CELL_NAMES, CELLS, gated_trace, simple_rnn_trace
from rnn_core.sentiment.explain import OOV_ID, prefix_probabilities

READABLE = CELLS  # unidirectional models: the state at a word is its prefix's
# The gates whose per-word means the view shows, in the order the course names them.
MEAN_GATES: dict[str, tuple[str, ...]] = {"simple_rnn": (), "lstm": ("f", "i", "o"),
                                          "gru": ("z", "r")}
KEEP_GATE = {"lstm": "f", "gru": "z"}
LET_GO = 0.5  # a unit whose keep gate is below this keeps less than half of what it carried
TOP = 5  # units / words listed by default
MIN_WORDS_FOR_CORRELATION = 3  # fewer points give a correlation of ±1 that means nothing


@dataclass(frozen=True, eq=False)
class GateReading:
    """One model's states and gates over one text (float32: a cached value stays small).

    ``hidden`` and ``cell_state`` are (words, units); ``gate_means`` maps each gate of
    ``MEAN_GATES[cell]`` to its mean over the units at each word (words,); ``probabilities``
    is p(positive) after each word, from these states through the model's head; ``let_go``
    is, at each word, the share of units whose keep gate (``KEEP_GATE``) is below ``LET_GO``
    (empty for a SimpleRNN, which has no gate).
    """

    cell: str
    words: list[str]
    in_vocabulary: list[bool]
    hidden: np.ndarray
    cell_state: np.ndarray | None
    gate_means: dict[str, np.ndarray]
    probabilities: np.ndarray
    total_words: int
    max_len: int
    keep: str
    let_go: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    correlations: np.ndarray = field(init=False)  # (units,) corr(h_j, p) over the words

    def __post_init__(self) -> None:
        object.__setattr__(self, "correlations", _correlations(self.hidden, self.probabilities))

    @property
    def units(self) -> int:
        return int(self.hidden.shape[1])

    @property
    def truncated(self) -> bool:
        return self.total_words > self.max_len

    def states(self, kind: str = "h") -> np.ndarray:
        """(words, units) of h, or of c for an LSTM."""
        if kind == "c" and self.cell_state is not None:
            return self.cell_state
        if kind != "h":
            raise ValueError(f"no state {kind!r} in a {CELL_NAMES[self.cell]}")
        return self.hidden


def _correlations(hidden: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Pearson correlation of each unit's h with p over the words; 0 where either is constant
    or the text is too short for a correlation to mean anything."""
    units = hidden.shape[1]
    if len(probabilities) < MIN_WORDS_FOR_CORRELATION:
        return np.zeros(units, dtype=np.float32)
    h = hidden.astype(np.float64) - hidden.mean(axis=0)
    p = probabilities.astype(np.float64) - probabilities.mean()
    scale = np.sqrt((h**2).sum(axis=0) * (p**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(scale > 1e-12, (h * p[:, None]).sum(axis=0) / scale, 0.0)
    return r.astype(np.float32)


def probability_difference(reading: GateReading, model_probabilities: list[float]) -> float | None:
    """Largest |p from these NumPy states − p the model gave| over the words (the page's live
    check): ``model_probabilities`` is an explanation's curve, p(empty) first. ``None`` when the
    two did not read the same number of words."""
    theirs = np.asarray(model_probabilities[1:], dtype=np.float64)
    if len(theirs) != len(reading.probabilities) or not len(theirs):
        return None
    return float(np.max(np.abs(reading.probabilities - theirs)))


def verdict_followers(reading: GateReading, top: int = TOP) -> list[tuple[int, float]]:
    """(unit, correlation) of the ``top`` units whose h follows p(positive) most closely,
    strongest |r| first (a negative r follows it too, upside down)."""
    order = np.argsort(-np.abs(reading.correlations), kind="stable")[:top]
    return [(int(j), float(reading.correlations[j])) for j in order]


def letting_go(reading: GateReading, top: int = TOP) -> list[tuple[int, str, float, float]]:
    """(word index, word, share of units letting go, mean keep gate) of the ``top`` words where
    most units keep less than half of their state, the lower mean keep gate first on a tie;
    words where no unit lets go are not listed. In reading order; [] for a SimpleRNN.

    Why the share of units rather than the mean gate alone: averaged over 64 units, a gate that
    shuts in a dozen of them and stays open in the rest barely moves the mean."""
    gate = KEEP_GATE.get(reading.cell)
    if gate is None or not len(reading.let_go):
        return []
    means = reading.gate_means[gate]
    ranked = np.lexsort((means, -reading.let_go))[:top]
    chosen = np.sort([t for t in ranked if reading.let_go[t] > 0]).astype(int)
    return [(int(t), reading.words[t], float(reading.let_go[t]), float(means[t]))
            for t in chosen]


def movers(reading: GateReading, unit: int, top: int = TOP,
           kind: str = "h") -> list[tuple[int, str, float]]:
    """(word index, word, change) of the ``top`` words that changed ``unit``'s state most,
    largest |change| first; the first word's change is from the zero initial state."""
    states = reading.states(kind)[:, unit].astype(np.float64)
    change = np.diff(states, prepend=0.0)
    order = np.argsort(-np.abs(change), kind="stable")[:top]
    return [(int(t), reading.words[t], float(change[t])) for t in order]


class GateReader:
    """Built once per loaded model (the page caches it with the model)."""

    def __init__(self, model) -> None:
        import keras
        import tensorflow as tf

        rnn = model.get_layer("rnn")
        if isinstance(rnn, keras.layers.Bidirectional):
            raise ValueError("a bidirectional model's states depend on the words after them")
        by_class = {name: cell for cell, name in CELL_NAMES.items()}
        self.cell = by_class[type(rnn).__name__]
        self.weights = [np.asarray(w, dtype=np.float64) for w in rnn.get_weights()]
        kernel, bias = model.get_layer("positive").get_weights()
        self._head = (kernel.astype(np.float64), bias.astype(np.float64))
        truncate = model.get_layer("truncate")
        self.max_len, self.keep = int(truncate.max_len), getattr(truncate, "keep", "first")
        front = keras.Model(model.inputs, truncate.output)
        clean, embedding = model.get_layer("clean"), model.get_layer("embedding")

        def read(texts):  # one graph call: the words as split, their ids, their vectors
            ids = front(texts, training=False)
            return tf.strings.split(clean(texts)).flat_values, ids, embedding(ids)

        self._read = tf.function(read, input_signature=[tf.TensorSpec([None], tf.string)],
                                 autograph=False)

    @property
    def units(self) -> int:
        return int(self.weights[1].shape[0])

    def read(self, text: str) -> GateReading:
        """The states and gates of this model over ``text`` (at most ``max_len`` words)."""
        import tensorflow as tf

        words, ids, vectors = self._read(tf.constant([text]))
        words = [w.decode("utf-8") for w in words.numpy()]
        n = min(len(words), self.max_len)
        ids = ids.numpy()[0, :n]
        x = vectors.numpy()[0, :n].astype(np.float64)  # (n, embedding_dim)
        seen = words[len(words) - n:] if self.keep == "last" else words[:n]
        gates: dict[str, np.ndarray] = {}
        cell_state, let_go = None, np.zeros(0)
        if n == 0:
            hidden = np.zeros((0, self.units))
            gates = {name: np.zeros(0, dtype=np.float32) for name in MEAN_GATES[self.cell]}
            if self.cell == "lstm":
                cell_state = np.zeros((0, self.units), dtype=np.float32)
        elif self.cell == "simple_rnn":
            hidden = simple_rnn_trace(x, *self.weights).hidden
        else:
            trace = gated_trace(self.cell, x, self.weights)
            hidden = trace.hidden
            cell_state = trace.carried.astype(np.float32) if self.cell == "lstm" else None
            gates = {name: trace.gates[name].mean(axis=1).astype(np.float32)
                     for name in MEAN_GATES[self.cell]}
            let_go = (trace.gates[KEEP_GATE[self.cell]] < LET_GO).mean(axis=1)
        probabilities = (prefix_probabilities(hidden, *self._head) if n else np.zeros(0))
        return GateReading(self.cell, seen, [bool(i != OOV_ID) for i in ids],
                           hidden.astype(np.float32), cell_state, gates,
                           probabilities.astype(np.float32), len(words), self.max_len,
                           self.keep, let_go.astype(np.float32))
