"""Streamlit glue of the forecasting page: this session's run (model, problem, state), live
training with a progress bar, growing charts and a stop button, the model file and the forecasts.

How stopping works in Streamlit: a button clicked while the script runs cannot be read by that
run. Streamlit instead asks for a rerun, and the running script is interrupted at its next
``st.*`` call, here inside the progress callback, between two batches. Everything learned so
far survives because the session's ``ForecastRun`` (its model, and the history appended in place
every epoch) was put in ``st.session_state`` *before* training began; the next run finds it still
marked ``running``, knows it was interrupted and shows it as stopped (``current_run``). The stop
button's ``on_click`` also sets a ``threading.Event`` that
``rnn_core.forecasting.training.train`` honours, so the same button works wherever the script is
not interrupted (e.g. if Streamlit's fast reruns are turned off).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import streamlit as st

from rnn_core.forecasting import experiment, figures
from rnn_core.forecasting.forecasts import one_step_ahead
from rnn_core.forecasting.training import EpochReport
from rnn_core.forecasting.weight_cache import WeightCache
from rnn_ui.session import translator
from rnn_ui.widgets import in_training_slot, memo

PAGE_KEY = "sine:"
RUN = PAGE_KEY + "run"  # this session's ForecastRun
UPLOAD = PAGE_KEY + "upload"  # the file uploader's widget key
UPLOADED = PAGE_KEY + "uploaded_file"  # the last uploaded file, kept across page visits
STOP = PAGE_KEY + "stop_event"  # threading.Event of this session
ONE_MORE = PAGE_KEY + "more"  # set by the "one more epoch" button, read by the next run
RunStatus = Literal["none", "cancelled", "current", "stale"]


@dataclass
class ForecastRun:
    """This session's model and the problem (data and settings) it was trained on."""

    trained: experiment.Trained
    problem: experiment.Problem
    running: bool = False  # True while training; still True on the next run if interrupted

    def fits(self, problem: experiment.Problem) -> bool:
        """Whether the model was trained on exactly this data with exactly these settings."""
        return (self.problem.settings() == problem.settings()
                and np.array_equal(self.problem.values, problem.values))


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes  # empty for a file over the page's limit: it is refused, never kept
    kept: bool = False  # True when the uploader is empty because the learner left the page
    size: int = 0  # bytes, as uploaded

    @property
    def too_large(self) -> bool:
        return self.size > len(self.data)


def uploaded_file(uploader: Callable[[], Any], max_bytes: int) -> UploadedFile | None:
    """The learner's CSV: what ``uploader`` (an ``st.file_uploader`` keyed ``UPLOAD``) holds,
    else the file uploaded before a visit to another page.

    Streamlit empties an upload widget whose page was not drawn: an uploader that is new in this
    run (its key absent before it is drawn) while a file is stored is the learner coming back,
    and the stored file stays in use until another is uploaded; an uploader that held the file
    and is now empty is the learner removing it. A file over ``max_bytes`` replaces the stored
    one (its message replaces the previous file's) but its bytes are not kept in the session
    (``too_large``): the server's own ceiling (``server.maxUploadSize``) is far above it.
    """
    coming_back = UPLOAD not in st.session_state
    upload = uploader()
    if upload is not None and upload.size > max_bytes:
        st.session_state.pop(UPLOADED, None)
        return UploadedFile(upload.name, b"", size=upload.size)
    if upload is not None:
        data = upload.getvalue()
        stored = UploadedFile(upload.name, data, size=len(data))
        st.session_state[UPLOADED] = stored
        return stored
    stored = st.session_state.get(UPLOADED)
    if stored is not None and (coming_back or stored.kept):
        stored = UploadedFile(stored.name, stored.data, kept=True, size=stored.size)
        st.session_state[UPLOADED] = stored
        return stored
    st.session_state.pop(UPLOADED, None)
    return None


def current_run() -> ForecastRun | None:
    """This session's run; one the previous script run left ``running`` was interrupted by Stop,
    and is from now on a stopped run (its epochs so far are kept)."""
    run = st.session_state.get(RUN)
    if run is not None and run.running:
        run.running = False
        run.trained.history.stopped_early = True
    return run


def run_status(run: ForecastRun | None, problem: experiment.Problem) -> RunStatus:
    """``current``: results to show; ``stale``: a model trained on other data or settings;
    ``cancelled``: a training that was asked for but ended before its first epoch (the page
    reran while it waited for the training slot); ``none``: nothing trained yet."""
    if run is None:
        return "none"
    if not run.trained.history.epochs:
        return "cancelled" if run.trained.history.stopped_early else "none"
    return "current" if run.fits(problem) else "stale"


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
                key=PAGE_KEY + "stop")


def one_more_button(container: Any, label: str) -> None:
    """The "one more epoch" button: the next script run trains the session's model once more."""
    container.button(label, icon=":material/add:", key=PAGE_KEY + "one_more",
                     on_click=st.session_state.__setitem__, args=(ONE_MORE, True))


def wants_one_more() -> bool:
    """Whether "one more epoch" was pressed (asked once per click)."""
    return bool(st.session_state.pop(ONE_MORE, False))


LOSS_REDRAW_S = 0.5  # the live loss chart is redrawn at most this often (wall seconds)
FIT_REDRAW_S = 1.5  # the live fit, which runs the model over the whole series, less often


def live_progress(bar_slot: Any, loss_slot: Any, fit_slot: Any, *, texts: dict[str, str],
                  fit_curve: Callable[[], Any] | None, history: Any,
                  clock: Callable[[], float] = time.monotonic) -> Callable[[EpochReport], None]:
    """A progress callable for ``rnn_core.forecasting.training.train`` that streams to the page.

    Every epoch: the bar and its text (epoch, loss, seconds per epoch). The loss chart with its
    new points at most every ``LOSS_REDRAW_S``, the model's fit over the series (``fit_curve``)
    at most every ``FIT_REDRAW_S``, and neither after the last epoch, which the results draw.
    Why by the clock: each chart costs the browser a Plotly draw of 0.1-0.2 s, so one per
    epoch made the page's 20 default epochs (1.5 s of training) take 5 s on screen, while a
    long training still shows its curves growing.
    """
    drawn = {"loss": clock(), "fit": clock()}  # the first charts wait for a first interval

    def due(chart: str, every: float) -> bool:
        if clock() - drawn[chart] < every:
            return False
        drawn[chart] = clock()
        return True

    def report(progress: EpochReport) -> None:
        if progress.loss is None:  # batch progress within a long epoch
            bar_slot.progress(min(progress.batch / progress.batches, 1.0), text=texts[
                "batch"].format(epoch=progress.epoch, epochs=progress.epochs,
                                batch=progress.batch, batches=progress.batches))
            return
        bar_slot.progress(min(progress.epoch / progress.epochs, 1.0), text=texts["epoch"].format(
            epoch=progress.epoch, epochs=progress.epochs, loss=f"{progress.loss:.4f}",
            seconds=f"{progress.seconds:.2f}"))
        if progress.epoch == progress.epochs:
            return
        if due("loss", LOSS_REDRAW_S):
            loss_slot.plotly_chart(
                figures.loss_figure(history.loss, history.val_loss, loss_labels(),
                                    total_epochs=progress.epochs),
                width="stretch", key=f"{PAGE_KEY}live_loss:{progress.epoch}")
        if fit_curve is not None and due("fit", FIT_REDRAW_S):
            fit_slot.plotly_chart(fit_curve(), width="stretch",
                                  key=f"{PAGE_KEY}live_fit:{progress.epoch}")

    return report


def model_bytes(trained: experiment.Trained) -> bytes:
    """The model as a ``.keras`` file's bytes, made once per model and epoch count."""
    def save() -> bytes:
        with tempfile.TemporaryDirectory(prefix="rnn-lab-") as folder:
            path = Path(folder) / "forecaster.keras"
            trained.model.save(path)
            return path.read_bytes()

    return memo(PAGE_KEY + "bytes", trained, trained.history.epochs, save)


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


def fit_figure(trained: experiment.Trained, problem: experiment.Problem, x: np.ndarray):
    """The model's one-step predictions over the whole series (redrawn while training)."""
    first = problem.config.window + problem.scaling.offset
    one_step = one_step_ahead(trained.model, problem.values, problem.scaling,
                              problem.config.window, first)
    return figures.forecast_figure(x, problem.values, problem.n_train, fit_labels(),
                                   one_step=one_step, one_step_from=first)


def train_new(problem: experiment.Problem, x: np.ndarray, slots: tuple) -> None:
    """This session's new run for ``problem``: from the disk cache if it was trained before,
    else trained live (and cached once it completes)."""
    trained = experiment.load_cached(problem, weight_cache())
    if trained is not None:
        st.session_state[RUN] = ForecastRun(trained, problem)
        return
    run = ForecastRun(experiment.new_model(problem), problem)
    st.session_state[RUN] = run
    _train_live(run, x, slots, problem.config.epochs)
    experiment.store(run.trained, problem, weight_cache())


def train_one_more(run: ForecastRun, x: np.ndarray, slots: tuple) -> None:
    """One more epoch of this session's model, live."""
    _train_live(run, x, slots, 1)


def _train_live(run: ForecastRun, x: np.ndarray, slots: tuple, epochs: int) -> None:
    t = translator()
    bar_slot, stop_slot, loss_slot, fit_slot = slots
    trained, problem = run.trained, run.problem
    run.running = True  # still True on the next run if this one gets interrupted (Stop)
    stop_event().clear()
    stop_button(stop_slot, t("sine.stop"))
    report = live_progress(
        bar_slot, loss_slot, fit_slot,
        texts={"epoch": t("sine.progress_epoch"), "batch": t("sine.progress_batch")},
        fit_curve=lambda: fit_figure(trained, problem, x), history=trained.history)
    in_training_slot(
        lambda: experiment.train_more(trained, problem, epochs, on_progress=report,
                                      stop=stop_event()),
        slot=bar_slot)
    run.running = False
    stop_slot.empty()


def evaluation(trained: experiment.Trained, problem: experiment.Problem, horizon: int,
               period: int | None) -> experiment.Evaluation:
    """The forecasts, recomputed only when the model, its epochs, the horizon or the period
    changed (a long closed loop costs one model call per step)."""
    return memo(PAGE_KEY + "evaluation", trained, (trained.history.epochs, horizon, period),
                lambda: experiment.evaluate(trained, problem, horizon, period))
