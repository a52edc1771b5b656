"""IMDB sentiment models: building, assembling the raw-string model, saving and loading.

A shipped model is one ``.keras`` file that takes raw strings::

    strings → CleanText → TextVectorization (vocabulary inside the file) → Truncate(max_len)
            → Embedding(mask_zero=True) → SpatialDropout1D → RNN(return_sequences=True)
            → masked [max-pool ‖ mean-pool] over time → Dropout → Dense(1, sigmoid)

The embedding can start from word vectors learned on unlabeled reviews (``pretrain``; the
shipped models do) instead of random numbers; everything else is the same either way.

Training runs on the integer part only (``core`` below), on pre-vectorized, length-bucketed
batches, which is several times faster on a CPU than padding every review to ``max_len``. The
same layer objects are then wired behind the text front end, so nothing is copied.

Masking: ``mask_zero=True`` makes the RNN skip padding and the pooling ignore it, so a review's
probability does not depend on how long the other reviews in its batch were. cuDNN: the RNNs
keep Keras's cuDNN-compatible defaults (tanh / sigmoid, ``recurrent_dropout=0``,
``reset_after=True`` for GRU), so on a GPU they run the fused kernel; dropout is applied outside
the recurrence (SpatialDropout1D, Dropout) for that reason.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnn_core.sentiment.hyperparameters import HyperParameters
from rnn_core.sentiment.text import PACKAGE, CleanText, Truncate

MAX_PARAMS = 5_000_000
MAX_FILE_BYTES = 10 * 1024 * 1024


@keras.saving.register_keras_serializable(package=PACKAGE)
class MaskedMaxMeanPool(keras.layers.Layer):
    """[max over time ‖ mean over time] of the RNN outputs, counting only unmasked steps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, sequence, mask=None):
        if mask is None:
            mask = tf.ones(tf.shape(sequence)[:2], dtype="bool")
        weights = tf.cast(mask, sequence.dtype)[:, :, None]
        count = tf.reduce_sum(weights, axis=1)
        mean = tf.reduce_sum(sequence * weights, axis=1) / tf.maximum(count, 1.0)
        masked = tf.where(mask[:, :, None], sequence, tf.fill(tf.shape(sequence), -1e9))
        maximum = tf.where(count > 0, tf.reduce_max(masked, axis=1), 0.0)
        return tf.concat([maximum, mean], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2 * input_shape[-1])


def _recurrent(hp: HyperParameters) -> keras.layers.Layer:
    kind = hp.cell.removeprefix("bi")
    layer_class = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
                   "gru": keras.layers.GRU}[kind]

    def make(seed: int, name: str, backwards: bool = False) -> keras.layers.Layer:
        return layer_class(hp.units, return_sequences=True, name=name, go_backwards=backwards,
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                           recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1))

    if hp.cell.startswith("bi"):
        backward = make(hp.seed + 20, f"backward_{kind}", True)
        return keras.layers.Bidirectional(make(hp.seed + 10, f"forward_{kind}"),
                                          backward_layer=backward, name="rnn")
    return make(hp.seed + 10, "rnn")


def build_core_layers(hp: HyperParameters) -> list[keras.layers.Layer]:
    """The trainable layers, in order, from token ids to the probability of "positive"."""
    return [
        keras.layers.Embedding(hp.vocab_size, hp.embedding_dim, mask_zero=True, name="embedding",
                               trainable=hp.train_embedding,
                               embeddings_initializer=keras.initializers.RandomUniform(
                                   -0.05, 0.05, seed=hp.seed)),
        keras.layers.SpatialDropout1D(hp.spatial_dropout, seed=hp.seed + 1,
                                      name="spatial_dropout"),
        _recurrent(hp),
        MaskedMaxMeanPool(name="pool"),
        keras.layers.Dropout(hp.dropout, seed=hp.seed + 2, name="dropout"),
        keras.layers.Dense(1, activation="sigmoid", name="positive",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=hp.seed + 3)),
    ]


def _chain(tensor, layers: list[keras.layers.Layer]):
    for layer in layers:
        tensor = layer(tensor)
    return tensor


def build_core(hp: HyperParameters, layers: list[keras.layers.Layer]) -> keras.Model:
    """Token ids (batch, time) → probability; what ``fit`` trains."""
    ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    return keras.Model(ids, _chain(ids, layers), name=f"imdb_{hp.cell}_core")


def build_text_model(hp: HyperParameters, vectorizer: keras.layers.TextVectorization,
                     layers: list[keras.layers.Layer]) -> keras.Model:
    """Raw strings (batch,) → probability of "positive", sharing ``layers`` with the core."""
    texts = keras.Input(shape=(), dtype="string", name="review")
    ids = Truncate(hp.max_len, hp.keep, name="truncate")(
        vectorizer(CleanText(name="clean")(texts)))
    return keras.Model(texts, _chain(ids, layers), name=f"imdb_{hp.cell}")


def load(path: str | Path) -> keras.Model:
    """Load a shipped model safely (``safe_mode=True``; our layers are registered above)."""
    return keras.saving.load_model(str(path), safe_mode=True, compile=False)


def count_params(model: keras.Model) -> int:
    return int(sum(int(np.prod(w.shape)) for w in model.weights))
