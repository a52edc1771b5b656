"""Word-by-word trajectories: how a model's probability of "positive" moves as it reads.

Unidirectional models (SimpleRNN, LSTM, GRU) read left to right, so the probability after word
``t`` is what the model would say about the text cut after word ``t``. One pass is enough: a twin
model shares the loaded model's layers and returns the RNN's output at every step; the head is
``Dense([running max ‖ running mean])``, so applying it to the running max / running mean over
each prefix gives exactly the model's output on that prefix (tests check this to ~1e-5).

Bidirectional models also read right to left, so the state after word ``t`` depends on the words
after it; there is no honest "one pass" trajectory. We run the model on every prefix instead
(batched, ``PREFIX_BATCH`` prefixes per call), which is exactly model(prefix) but costs about
n²/2 steps; ``MAX_BIDIRECTIONAL_WORDS`` bounds the curve (it equals the shipped models' 800-word
window, so in practice the curve covers every word). Past the bound the curve stops, and the
verdict still comes from the model reading every word it keeps.

"Moved the probability" for word ``t`` is p(prefix ending at t) − p(prefix ending at t−1), with
p(empty) = the model's output on an empty text (the head's bias alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PREFIX_BATCH = 64
MAX_BIDIRECTIONAL_WORDS = 800
OOV_ID = 1


def head(pooled: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The model's last layer, Dense(1, sigmoid), on pooled vectors (n, 2·units) -> (n,)."""
    return 1 / (1 + np.exp(-(pooled @ kernel + bias).reshape(-1)))


def prefix_probabilities(outputs: np.ndarray, kernel: np.ndarray,
                         bias: np.ndarray) -> np.ndarray:
    """p(positive) of every prefix of a unidirectional model's RNN outputs (n, units) -> (n,):
    the head on [running max ‖ running mean], which is the pooling of each prefix."""
    n = len(outputs)
    running_max = np.maximum.accumulate(outputs, axis=0)
    running_mean = np.cumsum(outputs, axis=0) / np.arange(1, n + 1)[:, None]
    return head(np.concatenate([running_max, running_mean], axis=1), kernel, bias)


@dataclass(frozen=True)
class Explanation:
    """What one model saw in one text and how its probability moved word by word."""

    words: list[str]  # the cleaned, lowercased tokens the model read (after truncation)
    in_vocabulary: list[bool]
    probabilities: list[float]  # p(empty), then p after each word: len(words) + 1 values
    total_words: int  # tokens before truncation
    max_len: int
    method: str  # "twin" (one pass), "prefixes" (every prefix, batched) or "empty"
    keep: str = "first"  # which end of a long text the model kept ("first" or "last")
    verdict: float | None = None  # the model's output on all it read, when the curve stops early
    deltas: list[float] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "deltas", np.diff(self.probabilities).tolist())

    @property
    def probability(self) -> float:
        return self.probabilities[-1] if self.verdict is None else self.verdict

    @property
    def truncated(self) -> bool:
        return self.total_words > self.max_len

    @property
    def oov_share(self) -> float:
        return 1 - float(np.mean(self.in_vocabulary)) if self.words else 0.0


class Explainer:
    """Built once per loaded model (the page caches it with the model)."""

    def __init__(self, predictor) -> None:
        import keras
        import tensorflow as tf

        model = predictor.model
        self.predictor = predictor
        self.max_len = int(model.get_layer("truncate").max_len)
        self.keep = getattr(model.get_layer("truncate"), "keep", "first")
        self.bidirectional = isinstance(model.get_layer("rnn"), keras.layers.Bidirectional)
        self._clean = model.get_layer("clean")
        kernel, bias = model.get_layer("positive").get_weights()
        self._kernel, self._bias = kernel.astype(np.float64), bias.astype(np.float64)
        twin = keras.Model(model.inputs, [model.get_layer("truncate").output,
                                          model.get_layer("rnn").output])
        clean = self._clean

        def read(texts):  # one graph call: the words as split by the model, ids, RNN outputs
            ids, sequence = twin(texts, training=False)
            return tf.strings.split(clean(texts)).flat_values, ids, sequence

        self._twin = tf.function(read, input_signature=[tf.TensorSpec([None], tf.string)],
                                 autograph=False)
        ids = keras.Input(shape=(None,), dtype="int32")
        tensor = ids
        for name in ("embedding", "spatial_dropout", "rnn", "pool", "dropout", "positive"):
            tensor = model.get_layer(name)(tensor)
        core = keras.Model(ids, tensor)
        self._core = tf.function(lambda batch: core(batch, training=False),
                                 input_signature=[tf.TensorSpec([None, None], tf.int32)],
                                 autograph=False)
        front = keras.Model(model.inputs, model.get_layer("truncate").output)
        self._front = tf.function(lambda texts: front(texts, training=False),
                                  input_signature=[tf.TensorSpec([None], tf.string)],
                                  autograph=False)

    def words(self, text: str) -> list[str]:
        """The cleaned tokens, split exactly as TextVectorization splits them."""
        import tensorflow as tf

        cleaned = self._clean(tf.constant([text]))
        return [w.decode("utf-8") for w in tf.strings.split(cleaned)[0].numpy()]

    def token_ids(self, texts: list[str]) -> list[np.ndarray]:
        """The ids the model reads for each text (its cleaning, vocabulary and truncation)."""
        import tensorflow as tf

        ids = self._front(tf.constant(texts, dtype=tf.string)).numpy()  # (batch, time), 0-padded
        return [row[row != 0] for row in ids]

    def probabilities_of_ids(self, ids: np.ndarray) -> np.ndarray:
        """The model's output for rows of token ids, zero-padded at the end (padding is masked,
        so a row's probability does not depend on the others): shape (batch,)."""
        return self._core(np.asarray(ids, dtype=np.int32)).numpy().reshape(-1)

    def _head(self, pooled: np.ndarray) -> np.ndarray:
        return head(pooled, self._kernel, self._bias)

    def explain(self, text: str) -> Explanation:
        import tensorflow as tf

        words, ids, sequence = self._twin(tf.constant([text]))
        words = [w.decode("utf-8") for w in words.numpy()]
        n = min(len(words), self.max_len)
        ids = ids.numpy()[0, :n]
        p_empty = float(self._head(np.zeros((1, 2 * sequence.shape[-1])))[0])
        verdict = None
        if n == 0:
            probs = np.array([], dtype=np.float64)
            method = "empty"
        elif self.bidirectional:
            probs = self._prefix_probabilities(ids[:MAX_BIDIRECTIONAL_WORDS])
            method = "prefixes"
            if n > MAX_BIDIRECTIONAL_WORDS:
                verdict = float(self._core(ids[None, :]).numpy()[0, 0])
        else:
            outputs = sequence.numpy()[0, :n].astype(np.float64)
            probs = prefix_probabilities(outputs, self._kernel, self._bias)
            method = "twin"
        kept = len(probs)
        seen = words[len(words) - n :] if self.keep == "last" else words[:n]
        return Explanation(seen[:kept], [bool(i != OOV_ID) for i in ids[:kept]],
                           [p_empty, *map(float, probs)], len(words), self.max_len, method,
                           self.keep, verdict)

    def _prefix_probabilities(self, ids: np.ndarray) -> np.ndarray:
        """model(prefix) for every prefix, PREFIX_BATCH prefixes per call (zero-padded, masked)."""
        n = len(ids)
        probs = np.zeros(n)
        for start in range(0, n, PREFIX_BATCH):
            stop = min(start + PREFIX_BATCH, n)
            batch = np.zeros((stop - start, stop), dtype=np.int32)
            for row, length in enumerate(range(start + 1, stop + 1)):
                batch[row, :length] = ids[:length]
            probs[start:stop] = self._core(batch).numpy().reshape(-1)
        return probs
