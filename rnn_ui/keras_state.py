"""Keras's global state is left alone between script runs.

After every script run of every session, whole pages and fragments alike, Streamlit calls
``keras.backend.clear_session()`` (``script_runner._clean_problem_modules``, meant for scripts
that build a new model each run). Here sessions are threads of one process and several may be
training or predicting at that moment: ``clear_session`` swaps Keras's global state under them,
resets TensorFlow's default graph, empties its kernel cache and runs a full garbage collection.
Measured on two cores, a training in one thread while another cleared the session 100 times a
second took 150 s instead of 9 s, and ``train_on_batch`` returned ``[loss, loss]`` instead of
the loss, the error that crashed one learner's training in a class of sixteen. The course
never needs the clearing: its models are built with explicit names and kept per session or per
process, so nothing accumulates between runs.

``keep_keras_state`` replaces that hook with one that still does the rest of Streamlit's
cleaning (closing Matplotlib figures), once per process.
"""

from __future__ import annotations

import sys
import threading

_LOCK = threading.Lock()


def keep_keras_state() -> None:
    """Stop Streamlit clearing Keras's session after each script run (idempotent, thread-safe)."""
    from streamlit.runtime.scriptrunner import script_runner

    with _LOCK:
        hook = getattr(script_runner, "_clean_problem_modules", None)
        if hook is None:  # a Streamlit without the hook: nothing to replace (the tests say so)
            return
        if hook is not _clean_all_but_keras:
            script_runner._clean_problem_modules = _clean_all_but_keras


def _clean_all_but_keras() -> None:
    """Streamlit's cleaning after a script run, less ``keras.backend.clear_session()``."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
