"""Streamlit glue for live training: progress bar, growing charts, a stop button, the model file,
the forecasts of the session's model, and the hand-over to the fundamentals step-through.

How stopping works in Streamlit: a button clicked while the script runs cannot be read by that
run. Streamlit instead asks for a rerun, and the running script is interrupted at its next
``st.*`` call, here inside the progress callback, between two batches. Everything learned so
far survives because the session's model and its history (appended in place every epoch) were
put in ``st.session_state`` *before* training began; the next run finds the run still marked
"running", knows it was interrupted and shows it as stopped. The stop button's ``on_click`` also
sets a ``threading.Event`` that ``rnn_core.training.train`` honours, so the same button works
wherever the script is not interrupted (e.g. if Streamlit's fast reruns are turned off).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from rnn_core import course, forecaster, sine_figures
from rnn_core.concurrency import TrainingBusy
from rnn_core.forecast import teacher_forced
from rnn_core.training import EpochReport, simple_rnn_weights
from rnn_core.weight_cache import WeightCache
from rnn_ui.session import translator

PAGE_KEY = "sine:"
RUN = PAGE_KEY + "run"  # {"trained", "problem", "running"} of this session
STOP = PAGE_KEY + "stop_event"  # threading.Event of this session
# What the fundamentals page reads to step through a trained forecaster (import_for_stepthrough).
STEPTHROUGH_IMPORT = "fund:import"
STEPTHROUGH_MAX_UNITS = 4  # the step-through's own limit
STEPTHROUGH_STEPS = 10  # a short input sequence from the series


@st.cache_resource(show_spinner=False)
def weight_cache() -> WeightCache:
    """The process's disk cache of trained models (a directory handle: no model is shared)."""
    return WeightCache()


def stop_event() -> threading.Event:
    """This session's stop flag (created once per session, cleared before each run)."""
    return st.session_state.setdefault(STOP, threading.Event())


def stop_button(slot: Any, label: str) -> None:
    """A Stop button in ``slot`` (an ``st.empty``) that sets this session's stop flag."""
    slot.button(label, icon=":material/stop_circle:", on_click=stop_event().set,
                key="sine:stop")


def live_progress(bar_slot: Any, loss_slot: Any, fit_slot: Any, *, texts: dict[str, str],
                  loss_labels: dict[str, str], fit_curve: Callable[[], Any] | None,
                  history: Any, total_epochs: int) -> Callable[[EpochReport], None]:
    """A progress callable for ``rnn_core.training.train`` that streams to the page.

    Every epoch: the bar and its text (epoch, loss, seconds per epoch), the loss chart with one
    more point; every ``redraw`` epochs the model's fit over the series (``fit_curve``).
    """
    redraw = max(1, total_epochs // 20)

    def report(progress: EpochReport) -> None:
        if progress.loss is None:  # batch progress within a long epoch
            bar_slot.progress(min(progress.batch / progress.batches, 1.0), text=texts[
                "batch"].format(epoch=progress.epoch, epochs=progress.epochs,
                                batch=progress.batch, batches=progress.batches))
            return
        bar_slot.progress(min(progress.epoch / progress.epochs, 1.0), text=texts["epoch"].format(
            epoch=progress.epoch, epochs=progress.epochs, loss=f"{progress.loss:.4f}",
            seconds=f"{progress.seconds:.2f}"))
        loss_slot.plotly_chart(
            sine_figures.loss_figure(history.loss, history.val_loss, loss_labels,
                                     total_epochs=progress.epochs),
            width="stretch", key=f"sine:live_loss:{progress.epoch}")
        if fit_curve is not None and (progress.epoch % redraw == 0
                                      or progress.epoch == progress.epochs):
            fit_slot.plotly_chart(fit_curve(), width="stretch",
                                  key=f"sine:live_fit:{progress.epoch}")

    return report


def model_bytes(trained: forecaster.Trained) -> bytes:
    """The model as a ``.keras`` file's bytes (saved to a private temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="rnn-lab-") as folder:
        path = Path(folder) / "forecaster.keras"
        trained.model.save(path)
        return path.read_bytes()


def stepthrough_eligible(trained: forecaster.Trained) -> bool:
    weights = simple_rnn_weights(trained.model)
    return weights is not None and weights[0].shape[1] <= STEPTHROUGH_MAX_UNITS


def import_for_stepthrough(trained: forecaster.Trained, problem: forecaster.Problem) -> bool:
    """Put a one-layer SimpleRNN's weights and a short scaled input into the session for the
    fundamentals page, then switch to it. Returns False if the model does not qualify.

    ``st.session_state["fund:import"]`` becomes a dict of plain lists (no Keras objects):
    ``kernel`` (1, units), ``recurrent`` (units, units), ``bias`` (units,), ``inputs``
    (steps, 1): the first ``STEPTHROUGH_STEPS`` values of the model series of the held-out part
    (the scaled values the model really reads), ``dense_kernel`` (units, 1), ``dense_bias``
    (1,), ``scaling`` {method, mean, std}, and ``source`` "sine". Values are rounded to 4
    decimals (the step-through shows 2-4) and clipped to the step-through's [-5, 5].
    """
    weights = simple_rnn_weights(trained.model)
    if weights is None or weights[0].shape[1] > STEPTHROUGH_MAX_UNITS:
        return False
    kernel, recurrent, bias = weights
    dense_kernel, dense_bias = trained.model.layers[-1].get_weights()
    z = problem.scaling.forward(problem.values)
    start = max(problem.n_train - problem.scaling.offset - STEPTHROUGH_STEPS, 0)
    inputs = z[start:start + STEPTHROUGH_STEPS][:, None]  # (steps, 1)

    def plain(array: np.ndarray) -> list:
        return np.round(np.clip(np.asarray(array, float), -5, 5), 4).tolist()

    st.session_state[STEPTHROUGH_IMPORT] = {
        "kernel": plain(kernel), "recurrent": plain(recurrent), "bias": plain(bias),
        "inputs": plain(inputs), "dense_kernel": plain(dense_kernel),
        "dense_bias": plain(dense_bias), "source": "sine",
        "scaling": {"method": problem.scaling.method, "mean": problem.scaling.mean,
                    "std": problem.scaling.std},
    }
    st.switch_page(course.page("fundamentals").file)
    return True


def loss_labels() -> dict[str, str]:
    t = translator()
    return {"loss": t("sine.loss"), "val_loss": t("sine.val_loss"), "title": t("sine.loss_title"),
            "x": t("sine.epoch"), "y": t("sine.mse")}


def fit_labels() -> dict[str, str]:
    t = translator()
    return {"truth": t("sine.truth"), "one_step": t("sine.one_step"),
            "closed_loop": t("sine.closed_loop"), "persistence": t("sine.persistence"),
            "validation": t("sine.validation"), "title": t("sine.fit_title"),
            "x": t("sine.time"), "y": t("sine.value")}


def fit_figure(trained: forecaster.Trained, problem: forecaster.Problem, x: np.ndarray):
    """The model's one-step predictions over the whole series (redrawn while training)."""
    first = problem.config.window + problem.scaling.offset
    one_step = teacher_forced(trained.model, problem.values, problem.scaling,
                              problem.config.window, first)
    return sine_figures.forecast_figure(x, problem.values, problem.n_train, fit_labels(),
                                        one_step=one_step, one_step_from=first)


def run_training(problem: forecaster.Problem, x: np.ndarray, slots: tuple, epochs: int,
                 fresh: bool) -> None:
    """Train (a new model, or the session's model one more epoch) with live progress.

    A fresh run first looks in the disk cache; a trained model is cached once it completes.
    """
    t = translator()
    bar_slot, stop_slot, loss_slot, fit_slot = slots
    state = st.session_state
    if fresh:
        trained = forecaster.load_cached(problem, weight_cache())
        if trained is not None:
            state[RUN] = {"trained": trained, "problem": problem, "running": False}
            return
        trained = forecaster.new_model(problem)
        state[RUN] = {"trained": trained, "problem": problem, "running": True}
    run = state[RUN]
    run["running"] = True  # still True on the next run if this one gets interrupted (Stop)
    stop_event().clear()
    stop_button(stop_slot, t("sine.stop"))
    texts = {"epoch": t("sine.progress_epoch"), "batch": t("sine.progress_batch")}
    trained = run["trained"]
    report = live_progress(
        bar_slot, loss_slot, fit_slot, texts=texts, loss_labels=loss_labels(),
        fit_curve=lambda: fit_figure(trained, problem, x), history=trained.history,
        total_epochs=trained.history.epochs + epochs)
    try:
        forecaster.train_more(trained, problem, epochs, on_progress=report,
                              stop=stop_event(),
                              on_wait=lambda: bar_slot.info(t("sine.waiting")))
    except TrainingBusy:
        st.error(t("sine.busy"))
    run["running"] = False
    stop_slot.empty()
    if fresh:
        forecaster.store(trained, problem, weight_cache())


def cached_evaluation(trained: forecaster.Trained, problem: forecaster.Problem, horizon: int,
                      period: int | None) -> forecaster.Evaluation:
    """The forecasts, recomputed only when the model, the horizon or the period changed (a long
    closed loop costs one model call per step)."""
    signature = (trained.history.epochs, horizon, period)
    if (st.session_state.get(PAGE_KEY + "evaluated") is not trained
            or st.session_state.get(PAGE_KEY + "evaluation_for") != signature):
        st.session_state[PAGE_KEY + "evaluation"] = forecaster.evaluate(trained, problem, horizon,
                                                                   period)
        st.session_state[PAGE_KEY + "evaluation_for"] = signature
        st.session_state[PAGE_KEY + "evaluated"] = trained
    return st.session_state[PAGE_KEY + "evaluation"]
