"""Forecasting with a trained model, errors, and the naive baselines an RNN has to beat.

Two ways to forecast: *one step ahead* (every input window taken from the true history; an
evaluation, not teacher forcing, which is a way of training) and *closed-loop* (each prediction
is fed back as the next input, so errors compound).
Values here are in the series' own units: the model's scaled outputs go back through
``Scaling.value_from``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rnn_core.forecasting.series import Scaling

if TYPE_CHECKING:
    import keras

MAX_HORIZON = 500  # closed-loop steps: one model call each


def mse(truth: np.ndarray, prediction: np.ndarray) -> float:
    return float(np.mean((np.asarray(truth) - np.asarray(prediction)) ** 2))


def mae(truth: np.ndarray, prediction: np.ndarray) -> float:
    return float(np.mean(np.abs(np.asarray(truth) - np.asarray(prediction))))


def persistence(values: np.ndarray, start: int) -> np.ndarray:
    """The naive forecast y_hat_{t+1} = y_t for every index from ``start`` on."""
    return np.asarray(values, float)[start - 1:-1]


def seasonal_naive(values: np.ndarray, start: int, period: int) -> np.ndarray:
    """y_hat_t = y_{t - period}: "same as one season ago", for every index from ``start`` on."""
    if not 1 <= period <= start:
        raise ValueError(f"period must be between 1 and {start}, got {period}")
    values = np.asarray(values, float)
    return values[start - period:len(values) - period]


def detect_period(values: np.ndarray, max_period: int | None = None,
                  min_correlation: float = 0.3) -> int | None:
    """The lag of the strongest autocorrelation peak of the linearly detrended series.

    Only peaks after the autocorrelation first drops below zero count (lag 1 of any smooth
    series is close to 1 and is not a season); ``None`` when no peak reaches
    ``min_correlation``, so a series without a season gets no seasonal baseline.
    """
    values = np.asarray(values, float)
    n = len(values)
    max_period = min(max_period or n // 3, n // 2)
    if max_period < 3:
        return None
    time = np.arange(n)
    residual = values - np.polyval(np.polyfit(time, values, 1), time)
    residual = residual - residual.mean()
    denominator = float(residual @ residual)
    if denominator <= 1e-12:
        return None
    acf = np.array([residual[:-lag] @ residual[lag:] / denominator
                    for lag in range(1, max_period + 1)])  # acf[k] is lag k + 1
    negative = np.flatnonzero(acf < 0)
    if not len(negative):
        return None
    candidates = np.arange(negative[0], len(acf))
    peaks = [k for k in candidates
             if acf[k] >= acf[max(k - 1, 0)] and acf[k] >= acf[min(k + 1, len(acf) - 1)]]
    if not peaks:
        return None
    best = max(peaks, key=lambda k: acf[k])
    return int(best + 1) if acf[best] >= min_correlation else None


def _model_outputs(model: keras.Model, windows: np.ndarray) -> np.ndarray:
    """The model's next-step prediction for each window (N, window, 1) -> (N,)."""
    output = np.asarray(model.predict_on_batch(windows.astype("float32")))  # compiled once
    return output[:, -1, 0] if output.ndim == 3 else output[:, 0]  # many-to-many: last step


def one_step_ahead(model: keras.Model, values: np.ndarray, scaling: Scaling, window: int,
                   start: int) -> np.ndarray:
    """One-step-ahead predictions of values[start:], each from the true history before it."""
    values = np.asarray(values, float)
    z = scaling.forward(values)  # model series; z[j] belongs to value index j + offset
    first = start - scaling.offset  # model index of the first target
    if first < window:
        raise ValueError(f"a one-step-ahead forecast needs {window + scaling.offset} values of "
                         "history")
    targets = np.arange(first, len(z))
    windows = z[targets[:, None] - window + np.arange(window)[None, :]][..., None]
    z_hat = _model_outputs(model, windows)  # (N,)
    return scaling.value_from(z_hat, values[start - 1:-1])


def closed_loop(model: keras.Model, history: np.ndarray, scaling: Scaling, window: int,
                horizon: int) -> np.ndarray:
    """``horizon`` values after ``history``, each prediction fed back as the next input.

    Any error becomes part of the next input window, which is why closed-loop error grows with
    the horizon while one-step error stays flat.
    """
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be between 1 and {MAX_HORIZON}, got {horizon}")
    values = list(np.asarray(history, float))
    if len(values) < window + scaling.offset:
        raise ValueError(f"closed-loop forecasting needs {window + scaling.offset} values")
    for _ in range(horizon):
        recent = np.asarray(values[-(window + scaling.offset):])
        z = scaling.forward(recent)[None, :, None]  # (1, window, 1)
        values.append(float(scaling.value_from(_model_outputs(model, z)[0], values[-1])))
    return np.asarray(values[len(values) - horizon:])
