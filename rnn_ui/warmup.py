"""Warm-up, once per server process, of what every learner needs (run in a background thread by
``rnn_ui.server.lifespan``, so the first page never waits for it).

A fresh process pays several seconds the first time TensorFlow is imported, a recurrent layer
is called, a model is trained or the sentiment models are loaded. Without a warm-up the first
learner of the day pays them all on their first clicks. Each step fills the same Streamlit
caches the pages read (their inputs are the pages' own defaults), or exercises the same code
path once (a tiny throw-away training), and a step that fails only costs its own speed-up.

Every step gives way to learners (``rnn_ui.background``): it starts once no learner's script
is running, TensorFlow's import waits module by module while one is, and the heap is kept frozen
meanwhile and after, so Streamlit's collection after each script run stays small.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict

from streamlit.logger import get_logger

from rnn_ui.background import freeze_heap, frozen_meanwhile, learners_first, wait_quiet

LOG = get_logger(__name__)  # Streamlit's logger: shown with the server's own log lines


def _stepthrough_defaults() -> None:
    from rnn_core.fundamentals import stepthrough
    from rnn_core.fundamentals.shapes import EXPLORER_DEFAULTS
    from rnn_ui.fundamentals import keras_hidden_states, keras_layer_rows

    features, units, steps = stepthrough.DEFAULT_SIZES
    x = stepthrough.example_sequence(stepthrough.PRESETS[0], steps, features)
    kernel, recurrent, bias = stepthrough.example_weights(features, units)
    cleaned = [stepthrough.clean_matrix(a)[0] for a in (x, kernel, recurrent, bias[None])]
    keras_hidden_states(cleaned[0], cleaned[1], cleaned[2], cleaned[3][0])
    keras_layer_rows(asdict(EXPLORER_DEFAULTS))


def _training() -> None:
    """One epoch of a two-unit forecaster: TensorFlow's first training step costs seconds of
    graph building that every later model reuses (nothing is cached or kept)."""
    from rnn_core.forecasting import experiment
    from rnn_core.forecasting.series import SineSettings
    from rnn_core.forecasting.training import TrainConfig

    problem = experiment.sine_problem(SineSettings(), TrainConfig(units=2, epochs=1))
    experiment.train_more(experiment.new_model(problem), problem, 1)


def _sentiment_models() -> None:
    from rnn_core.sentiment.user_text import EXAMPLES
    from rnn_ui.sentiment import explain, loaded_models, models_folder

    folder = models_folder()
    usable, _ = loaded_models(folder)
    first_example = next(iter(EXAMPLES.values()))
    for name in usable:
        wait_quiet()
        explain(folder, name, first_example)
    SENTIMENT_LOADED.set()


def eager_kernels() -> None:
    """Each loaded sentiment model reads a review past the cache, so TensorFlow compiles again
    the eager kernels the janitor has just dropped (``memory.forget_eager_kernels``) and the
    next learner's review answers in milliseconds, not 0.3 s. The janitor's ``rewarm``; does
    nothing before the warm-up has loaded the models."""
    if not SENTIMENT_LOADED.is_set():
        return
    from rnn_core.sentiment.user_text import EXAMPLES
    from rnn_ui.sentiment import loaded_models, models_folder

    usable, _ = loaded_models(models_folder())
    review = next(iter(EXAMPLES.values()))
    for explainer in usable.values():
        wait_quiet()
        explainer.explain(review)


def _sentiment_examples() -> None:
    """Every example review read by each model, with the gates of the model the gate view opens
    on: the page's example picker then answers from the cache (last: it takes longest)."""
    from rnn_core.sentiment import gates as gate_view
    from rnn_core.sentiment.user_text import EXAMPLES, check_review
    from rnn_ui.sentiment import explain, gate_reading, loaded_models, models_folder

    folder = models_folder()
    usable, _ = loaded_models(folder)
    readable = [name for name in usable if name in gate_view.READABLE]
    for example in EXAMPLES.values():
        wait_quiet()  # one review at a time: a learner's click goes first
        checked = check_review(example)  # the text as the page reads it
        if not checked.readable:
            continue
        for name in usable:
            explain(folder, name, checked.text)
        if readable:  # the gate view opens on the LSTM when there is one
            gate_reading(folder, "lstm" if "lstm" in readable else readable[0], checked.text)


def _comparison() -> None:
    """The comparison page at its defaults: each cell's Keras parameter count and its gradients
    (the gradient lab's chart: a few seconds of tapes, once per process)."""
    from rnn_core.cells import CELLS
    from rnn_core.comparison import gradients, side_by_side
    from rnn_ui.comparison import gradient_norms, keras_param_counts

    keras_param_counts(asdict(side_by_side.ComparisonConfig()))
    lab = gradients.GradientLabConfig()
    for cell in CELLS:
        wait_quiet()
        gradient_norms(cell, lab.seq_len, lab.radius, lab.input_scale, lab.remember_bias)


def _tensorflow() -> None:
    """Keras (which imports TensorFlow): about 5 s on two cores, thousands of modules, each
    imported only while no learner's script is running (``learners_first``)."""
    try:
        with learners_first():
            import keras  # noqa: F401
    finally:
        TENSORFLOW_PENDING.clear()


STEPS: tuple[tuple[str, Callable[[], None]], ...] = (  # in the course's order of pages
    ("tensorflow", _tensorflow),
    ("fundamentals", _stepthrough_defaults),
    ("training", _training),
    ("comparison", _comparison),
    ("sentiment models", _sentiment_models),
    ("sentiment examples", _sentiment_examples),
)


FIRST_PAGE = threading.Event()  # set once a page has been drawn (``page_drawn``)
SENTIMENT_LOADED = threading.Event()  # the warm-up has loaded the sentiment models
START_LATEST_S = 20.0  # a server nobody has visited yet warms up after this long anyway
GRACE_S = 1.0  # after the first page's script: the browser still loads its charts and styles
TENSORFLOW_PENDING = threading.Event()  # a warm-up is on its way and has not imported Keras yet


def page_drawn() -> None:
    """Called by the router after every page run; the first one lets the warm-up start."""
    FIRST_PAGE.set()


def run(after: threading.Event | None = None) -> dict[str, float]:
    """Every step in turn; seconds per step (a failed step is logged and skipped).

    With ``after`` (the server passes ``FIRST_PAGE``), the steps wait until it is set, or at
    most ``START_LATEST_S``: importing TensorFlow holds Python's interpreter lock for seconds at
    a time while it loads its libraries, so a warm-up started with the process made the first
    learner's first page wait about 8 s on two cores instead of 3.
    """
    if after is not None:
        TENSORFLOW_PENDING.set()  # Keras checks wait for the warm-up's import (``keras_check``)
        after.wait(START_LATEST_S)
        time.sleep(GRACE_S)
    seconds = {}
    try:
        with frozen_meanwhile():
            for name, step in STEPS:
                if name != "tensorflow":  # the import steps aside by itself, module by module
                    wait_quiet()
                started = time.perf_counter()
                try:
                    step()
                    seconds[name] = round(time.perf_counter() - started, 2)
                except Exception as error:  # a warm-up must never take the server down
                    LOG.warning("warm-up step %r failed: %s", name, error)
    finally:
        TENSORFLOW_PENDING.clear()
    frozen = freeze_heap()
    LOG.info("warm-up done: %s; %d objects frozen", seconds, frozen)
    return seconds


def tensorflow_pending() -> bool:
    """Whether the warm-up is yet to import Keras: a page's Keras check should wait for it
    rather than import it on the learner's click."""
    return TENSORFLOW_PENDING.is_set()
