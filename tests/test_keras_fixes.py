"""Keras's TensorFlow optimizer no longer leaves every training's graph behind
(``rnn_core.runtime.keras_fixes``)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("keras")

import keras
import tensorflow as tf
from tensorflow.python.framework import ops

from rnn_core.runtime.keras_fixes import keep_graphs_collectable


def _fit_a_new_model() -> None:
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(3),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 4, 1)).astype("float32")
    model.fit(x, x[:, -1], epochs=1, batch_size=4, verbose=0)


def test_a_training_registers_no_gradient_function_for_ever():
    """TensorFlow's all-reduce registered one gradient function per traced training step in
    a registry nothing empties; each held its whole graph."""
    keep_graphs_collectable()
    _fit_a_new_model()
    registered = len(ops._gradient_registry.list())
    for _ in range(3):
        _fit_a_new_model()
    assert len(ops._gradient_registry.list()) == registered


def test_one_replica_keeps_its_gradients_and_a_strategy_still_sums():
    keep_graphs_collectable()
    keep_graphs_collectable()  # idempotent: the second call patches nothing again
    variable = keras.Variable(np.ones(2, "float32"))
    optimizer = keras.optimizers.SGD(0.5)
    gradient = tf.constant([1.0, -2.0])
    [(kept, _)] = optimizer._all_reduce_sum_gradients([(gradient, variable)])
    assert kept is gradient
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():  # Keras's own path
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    assert np.all(np.isfinite(model.get_weights()[0]))
