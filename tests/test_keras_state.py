"""Streamlit's cleaning after a script run must leave Keras alone (``rnn_ui.keras_state``): it
would clear Keras's session under another session's training, which then crashes or crawls."""

from __future__ import annotations

import threading

import numpy as np

from rnn_ui.keras_state import keep_keras_state
from tests.apptest import open_app


def keras_state():
    """The object Keras keeps its global state in (``clear_session`` replaces it)."""
    from keras.src.backend.common import global_state

    return global_state.GLOBAL_STATE_TRACKER


def test_a_page_run_leaves_the_keras_session_as_it_was():
    import keras

    keras.layers.Dense(1)  # some global state to lose
    before = keras_state()
    open_app("en", "home")  # the router installs the guard before its first run ends
    assert keras_state() is before


def test_a_training_survives_other_sessions_finishing_their_runs():
    """One session trains while others' runs finish (the hook called 100 times a second):
    every epoch's loss is a number (``clear_session`` made ``train_on_batch`` return a list)."""
    from streamlit.runtime.scriptrunner import script_runner

    from rnn_core.forecasting.training import TrainConfig, build_model, train

    keep_keras_state()
    done = threading.Event()

    def other_sessions() -> None:
        while not done.is_set():
            script_runner._clean_problem_modules()
            done.wait(0.01)

    others = threading.Thread(target=other_sessions, daemon=True)
    others.start()
    try:
        rng = np.random.default_rng(0)
        x, y = rng.random((32, 10, 1), "float32"), rng.random((32, 10, 1), "float32")
        history = train(build_model(TrainConfig(units=3)), (x, y, x[:8], y[:8]), epochs=3,
                        batch_size=8)
    finally:
        done.set()
        others.join()
    assert history.epochs == 3
    assert all(isinstance(loss, float) and np.isfinite(loss) for loss in history.loss)
