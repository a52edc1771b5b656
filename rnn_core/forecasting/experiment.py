"""One forecasting experiment end to end: series -> windows -> trained (or cached) model -> errors.

The forecasting page, the ``sine`` / ``forecast`` commands and the benchmark all go through these
few functions, so the page and the CLI print the same numbers for the same settings.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from rnn_core.forecasting import forecasts
from rnn_core.forecasting.series import (
    SINE_SCALING,
    Scaling,
    ScalingMethod,
    SineSettings,
    WindowSplit,
    fit_scaling,
    noisy_sine,
    split_windows,
    train_size,
)
from rnn_core.forecasting.training import (
    History,
    ProgressFn,
    TrainConfig,
    build_model,
    single_layer_weights,
    train,
)
from rnn_core.forecasting.weight_cache import WeightCache, cache_key
from rnn_core.fundamentals.stepthrough import MAX_UNITS as STEPTHROUGH_MAX_UNITS
from rnn_core.fundamentals.stepthrough import StepThroughInput

if TYPE_CHECKING:
    import keras

# Defaults of the "your own series" forecaster (page and `rnn-lab forecast`), chosen on real
# series of different kinds (yearly sunspots, weekly CO2, monthly turnover), not tuned to one:
# differences scaled on the training part follow trends; 24 steps of context cover a year of
# monthly data or two sunspot cycles.
FORECAST_CONFIG = TrainConfig(cell="gru", units=16, window=24, framing="many_to_one",
                              learning_rate=0.005, epochs=20, batch_size=32, clipnorm=1.0)
FORECAST_SCALING: ScalingMethod = "difference"


def scaling_for(source: str) -> ScalingMethod:
    """How the page scales a series from ``source``: the noisy sine has no trend to follow,
    every other series (bundled or uploaded) is scaled as its differences."""
    return SINE_SCALING if source == "sine" else FORECAST_SCALING


@dataclass(frozen=True)
class Problem:
    """A series prepared for training: scaling fitted on the first ``n_train`` values only."""

    values: np.ndarray  # (n,) in the series' own units
    n_train: int
    scaling: Scaling
    windows: WindowSplit
    config: TrainConfig

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        w = self.windows
        return w.x_train, w.y_train, w.x_val, w.y_val

    @property
    def n_test(self) -> int:
        return len(self.values) - self.n_train

    def settings(self) -> dict[str, Any]:
        """Everything besides the data that decides the trained model (the cache key's part)."""
        return {"config": self.config.as_dict(), "scaling": self.scaling.method,
                "n_train": self.n_train}


def prepare(values: np.ndarray, config: TrainConfig, scaling: ScalingMethod) -> Problem:
    """Split chronologically (last 20% held out), fit the scaling, cut the windows."""
    values = np.asarray(values, float)
    n_train = train_size(len(values))
    fitted = fit_scaling(values[:n_train], scaling)
    z = fitted.forward(values)  # z[j] belongs to value index j + offset
    windows = split_windows(z, config.window, config.framing, n_train - fitted.offset)
    return Problem(values, n_train, fitted, windows, config)


@dataclass
class Trained:
    """A model of one session with its loss history; ``from_cache`` says how it was obtained."""

    model: keras.Model
    history: History
    from_cache: bool = False
    train_seconds: float = 0.0
    params: int = 0


def sine_problem(settings: SineSettings, config: TrainConfig) -> Problem:
    """The page's noisy sine, prepared for ``config`` (scaling fitted on the training part)."""
    _, values = noisy_sine(settings)
    return prepare(values, config, scaling_for("sine"))


def load_cached(problem: Problem, cache: WeightCache) -> Trained | None:
    """This session's own copy of the cached model for these settings and data, if any."""
    hit = cache.load(cache_key(problem.settings(), problem.values))
    if hit is None:
        return None
    model, meta = hit
    return Trained(model, History.from_dict(meta["history"]), from_cache=True,
                   train_seconds=float(meta.get("train_seconds", 0.0)),
                   params=int(model.count_params()))


def new_model(problem: Problem) -> Trained:
    """A freshly initialised (seeded) model with an empty history."""
    model = build_model(problem.config)
    return Trained(model, History(), params=int(model.count_params()))


def train_more(trained: Trained, problem: Problem, epochs: int, *,
               on_progress: ProgressFn | None = None,
               stop: threading.Event | None = None) -> Trained:
    """Train ``trained.model`` ``epochs`` more epochs (a server holds its one training slot,
    ``rnn_core.runtime.concurrency.training_slot``, around this).

    The history grows in place, so a caller that keeps ``trained`` keeps every finished epoch
    even if this call is interrupted. Also serves "one more epoch".
    """
    started = time.perf_counter()
    try:
        train(trained.model, problem.data, epochs=epochs, batch_size=problem.config.batch_size,
              history=trained.history, on_progress=on_progress, stop=stop)
    finally:
        trained.train_seconds += time.perf_counter() - started
    trained.from_cache = False
    return trained


def store(trained: Trained, problem: Problem, cache: WeightCache) -> bool:
    """Cache a model trained exactly as configured; a stopped or extended run is not stored."""
    if trained.history.stopped_early or trained.history.epochs != problem.config.epochs:
        return False
    cache.save(cache_key(problem.settings(), problem.values), trained.model, {
        "history": trained.history.to_dict(), "train_seconds": trained.train_seconds,
        "settings": problem.settings()})
    return True


def fit_or_load(
    problem: Problem,
    *,
    cache: WeightCache | None = None,
    on_progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> Trained:
    """The cached model for these settings and data, else a newly trained one (then cached)."""
    if cache is not None and (hit := load_cached(problem, cache)) is not None:
        return hit
    trained = train_more(new_model(problem), problem, problem.config.epochs,
                         on_progress=on_progress, stop=stop)
    if cache is not None:
        store(trained, problem, cache)
    return trained


@dataclass(frozen=True)
class Evaluation:
    """Forecasts over the held-out part, in the series' own units, and their errors."""

    start: int  # index of the first held-out value
    truth: np.ndarray  # values[start:]
    one_step: np.ndarray  # one-step-ahead predictions of values[start:]
    closed_loop: np.ndarray  # free-running forecast of values[start:start + horizon]
    persistence: np.ndarray
    seasonal: np.ndarray | None  # seasonal-naive predictions, when a period is known
    period: int | None
    metrics: dict[str, float]


def evaluate(trained: Trained, problem: Problem, horizon: int | None = None,
             period: int | None = None, detect: bool = True) -> Evaluation:
    """One-step-ahead and closed-loop forecasts of the held-out part, with both baselines.

    ``horizon`` defaults to the held-out length; ``period`` to the detected one (if ``detect``).
    """
    values, start = problem.values, problem.n_train
    horizon = min(horizon or problem.n_test, forecasts.MAX_HORIZON)
    window = problem.config.window
    one_step = forecasts.one_step_ahead(trained.model, values, problem.scaling, window, start)
    free = forecasts.closed_loop(trained.model, values[:start], problem.scaling, window, horizon)
    truth = values[start:]
    naive = forecasts.persistence(values, start)
    if period is None and detect:
        period = forecasts.detect_period(values[:start])
    seasonal = (forecasts.seasonal_naive(values, start, period)
                if period is not None and period <= start else None)
    scored = min(horizon, len(truth))
    metrics = {
        "one_step_mse": forecasts.mse(truth, one_step),
        "one_step_mae": forecasts.mae(truth, one_step),
        "closed_loop_mse": forecasts.mse(truth[:scored], free[:scored]),
        "closed_loop_mae": forecasts.mae(truth[:scored], free[:scored]),
        "persistence_mse": forecasts.mse(truth, naive),
        "persistence_mae": forecasts.mae(truth, naive),
    }
    if seasonal is not None:
        metrics["seasonal_naive_mse"] = forecasts.mse(truth, seasonal)
        metrics["seasonal_naive_mae"] = forecasts.mae(truth, seasonal)
    return Evaluation(start, truth, one_step, free, naive, seasonal,
                      period if seasonal is not None else None, metrics)


STEPTHROUGH_STEPS = 10  # a short stretch of the series: enough steps to watch the state move


def stepthrough_input(trained: Trained, problem: Problem) -> StepThroughInput | None:
    """A one-layer model's weights and the last ``STEPTHROUGH_STEPS`` scaled values before the
    held-out part (the window the model reads to predict the first held-out value), for a
    step-through (SimpleRNN: the fundamentals page; LSTM, GRU: their own page); ``None`` if the
    model does not qualify (several layers, more units than the step-through's tables hold).
    """
    found = single_layer_weights(trained.model)
    if found is None or found[1][1].shape[0] > STEPTHROUGH_MAX_UNITS:
        return None
    cell, weights = found
    z = problem.scaling.forward(problem.values)
    start = max(problem.n_train - problem.scaling.offset - STEPTHROUGH_STEPS, 0)
    inputs = z[start:start + STEPTHROUGH_STEPS][:, None]  # (steps, 1)
    return StepThroughInput.rounded(cell, inputs, *weights)
