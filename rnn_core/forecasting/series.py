"""Series for the forecasting page: a noisy sine, sliding windows, a chronological split, scaling.

Everything here is NumPy. Statistics used for scaling come from the training part only, so the
validation part stays unseen, as it would be when forecasting the future for real.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from rnn_core.bounds import check_choice, check_range

Framing = Literal["many_to_many", "many_to_one"]
FRAMINGS: tuple[Framing, ...] = get_args(Framing)
ScalingMethod = Literal["none", "standardize", "difference"]
SCALINGS: tuple[ScalingMethod, ...] = get_args(ScalingMethod)

# Bounds of the sine settings (shown to the learner next to each widget).
POINTS_RANGE = (20, 3000)  # default 50: small enough to train in about a second
NOISE_RANGE = (0.0, 1.0)  # default 0.1, standard deviation of the Gaussian noise
WINDOW_RANGE = (2, 50)  # default 10 time steps per input window
SEED_RANGE = (0, 10_000)  # of the noise, and of a model's initial weights
VALIDATION_FRACTION = 0.2  # the last 20% of the series, in time order
SOURCES = ("sine", "example", "upload")  # where the page's series comes from
SINE_SCALING: ScalingMethod = "standardize"  # the sine has no trend: standardising suffices


@dataclass(frozen=True)
class SineSettings:
    """The noisy sine y = sin(t) + N(0, noise²) sampled at ``points`` points on [-2π, 2π]."""

    points: int = 50  # samples on [-2π, 2π] (about 4 samples per radian)
    noise: float = 0.1  # σ of the added Gaussian noise
    seed: int = 0  # seed of the noise; the same seed always gives the same series

    def __post_init__(self) -> None:
        check_range("points", self.points, POINTS_RANGE, whole=True)
        check_range("noise", self.noise, NOISE_RANGE)
        check_range("seed", self.seed, SEED_RANGE, whole=True)

    @property
    def period(self) -> int:
        """Samples per period of sin(t): two full periods on [-2π, 2π], rounded."""
        return max(1, round((self.points - 1) / 2))


def noisy_sine(settings: SineSettings) -> tuple[np.ndarray, np.ndarray]:
    """(t, y), both of shape (points,): the time axis and sin(t) plus seeded noise."""
    t = np.linspace(-2 * np.pi, 2 * np.pi, settings.points)
    noise = np.random.default_rng(settings.seed).normal(0.0, settings.noise, settings.points)
    return t, np.sin(t) + noise


def make_windows(series: np.ndarray, window: int, framing: Framing) -> tuple[np.ndarray, ...]:
    """Inputs and next-step targets from every window of ``window`` consecutive values.

    X is (N, window, 1) with N = len(series) - window. Many-to-many targets are the same window
    shifted by one step, (N, window, 1): the model predicts the next value at every step.
    Many-to-one targets are only the value after the window, (N, 1).
    """
    check_range("window", window, WINDOW_RANGE, whole=True)
    check_choice("framing", framing, FRAMINGS)
    count = len(series) - window
    if count < 1:
        raise ValueError(f"a series of {len(series)} values is too short for window {window}")
    index = np.arange(window)[None, :] + np.arange(count)[:, None]  # (N, window)
    x = series[index][..., None].astype("float32")  # (N, window, 1)
    if framing == "many_to_many":
        y = series[index + 1][..., None].astype("float32")  # (N, window, 1)
    else:
        y = series[index[:, -1] + 1][:, None].astype("float32")  # (N, 1)
    return x, y


@dataclass(frozen=True)
class WindowSplit:
    """Training and validation windows; a window is "validation" if its last target is."""

    x_train: np.ndarray  # (N_train, window, 1)
    y_train: np.ndarray  # (N_train, window, 1) or (N_train, 1)
    x_val: np.ndarray
    y_val: np.ndarray


def split_windows(series: np.ndarray, window: int, framing: Framing,
                  n_train: int) -> WindowSplit:
    """Windows whose final target lies before index ``n_train`` train; the rest validate.

    Validation inputs may reach back into the training part (that is the history a forecaster
    would have), but no validation target is ever used for training.
    """
    x, y = make_windows(series, window, framing)
    last_target = np.arange(len(x)) + window  # index of each window's final target
    train = last_target < n_train
    if train.sum() < 1:
        raise ValueError("the training part is shorter than one window; use a smaller window")
    return WindowSplit(x[train], y[train], x[~train], y[~train])


def train_size(length: int, validation_fraction: float = VALIDATION_FRACTION) -> int:
    """Values in the (chronologically first) training part."""
    return length - max(1, round(length * validation_fraction))


@dataclass(frozen=True)
class Scaling:
    """How values map to what the model sees; fitted on the training part only.

    ``standardize``: z = (y - mean) / std. ``difference``: z_i = (y_{i+1} - y_i - mean) / std,
    the standardised change, which copes with trends a tanh network cannot extrapolate.
    """

    method: ScalingMethod = "standardize"
    mean: float = 0.0
    std: float = 1.0

    @property
    def offset(self) -> int:
        """How many values the model series is shorter by (1 for differences)."""
        return 1 if self.method == "difference" else 0

    def forward(self, values: np.ndarray) -> np.ndarray:
        """Values -> model series (one shorter when differencing)."""
        base = np.diff(values) if self.method == "difference" else np.asarray(values, float)
        return (base - self.mean) / self.std

    def value_from(self, z_hat: np.ndarray | float, previous: np.ndarray | float) -> np.ndarray:
        """The predicted value from a model output and the true (or forecast) previous value."""
        level = np.asarray(z_hat, float) * self.std + self.mean
        return level + previous if self.method == "difference" else level


def fit_scaling(train_values: np.ndarray, method: ScalingMethod) -> Scaling:
    """Scaling statistics from the training values only (no peeking at the future)."""
    check_choice("scaling", method, SCALINGS)
    if method == "none":
        return Scaling("none")
    base = np.diff(train_values) if method == "difference" else np.asarray(train_values, float)
    std = float(np.std(base))
    return Scaling(method, float(np.mean(base)), std if std > 1e-12 else 1.0)
