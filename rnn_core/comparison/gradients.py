"""The gradient lab: how far back in time a gradient reaches, for each cell.

``gradient_norms_over_time`` runs one Keras recurrent layer over a batch of sequences and asks
``tf.GradientTape`` for the gradient of the last hidden state (projected on a fixed direction, so
it is one number) with respect to every input x_t. Its norm at step t says how much the output
still "hears" step t: in a SimpleRNN it is a product of T - t Jacobians, so it shrinks
geometrically when the recurrent kernel's spectral radius is below 1 and grows above 1 (as long
as tanh stays in its linear part). ``clipping_demo`` trains the same cell with and without
gradient clipping to show the fix for the exploding side.

TensorFlow/Keras are imported inside the functions; seeds go to initializers and ``default_rng``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.comparison.memory_task import REMEMBER_BIAS, set_remember_bias
from rnn_core.runtime.keras_fixes import keep_graphs_collectable

# What a config accepts; the page's sliders cover the part a lesson needs (PAGE_*).
BOUNDS: dict[str, tuple[int, int]] = {"seq_len": (1, 200), "units": (1, 64), "features": (1, 64),
                                      "batch": (1, 256)}
CLIPPING_STEPS_RANGE = (1, 500)
CLIPNORM_RANGE = (1e-6, 100.0)
RADIUS_RANGE = (0.1, 3.0)
INPUT_SCALE_RANGE = (1e-6, 10.0)
PAGE_RADIUS = (0.5, 2.0, 0.05)  # slider: low, high, step (default: GradientLabConfig.radius)
PAGE_SEQ_LEN = (10, BOUNDS["seq_len"][1], 10)  # one gradient computation well under a second
PAGE_INPUT_SCALES = (0.01, 0.1, 1.0)


def scale_to_spectral_radius(matrix: np.ndarray, radius: float) -> np.ndarray:
    """``matrix`` rescaled so that its largest |eigenvalue| is exactly ``radius``.

    Scaling by a factor multiplies every eigenvalue by it, so one division does it.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"need a square matrix, got shape {matrix.shape}")
    current = spectral_radius(matrix)
    if current == 0.0:
        raise ValueError("the matrix has spectral radius 0 and cannot be rescaled")
    return matrix * (radius / current)


def spectral_radius(matrix: np.ndarray) -> float:
    """Largest absolute eigenvalue: the growth factor per step of a linear recurrence."""
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


@dataclass(frozen=True)
class GradientLabConfig:
    """One gradient measurement. ``radius`` applies to SimpleRNN only (None = Keras's init)."""

    cell: str = "simple_rnn"
    seq_len: int = 50
    units: int = 32
    features: int = 8
    radius: float | None = 0.8  # the page's default: SimpleRNN visibly loses its gradient
    input_scale: float = 0.1  # std of the random inputs; small keeps tanh near-linear
    remember_bias: float = REMEMBER_BIAS  # gated cells: as in the memory task (0: Keras's)
    batch: int = 16
    seed: int = 0

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, CELLS)
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)
        if self.radius is not None:
            check_range("radius", self.radius, RADIUS_RANGE)
        check_range("input_scale", self.input_scale, INPUT_SCALE_RANGE)


def build_recurrent_layer(config: GradientLabConfig):  # -> keras.layers.RNN subclass
    """A built layer with seeded weights; SimpleRNN's recurrent kernel set to ``radius``."""
    import keras

    seed = config.seed * 10
    layer = getattr(keras.layers, CELL_NAMES[config.cell])(
        config.units,
        name=f"gradient_lab_{config.cell}",  # explicit: automatic names race between sessions
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2),
    )
    layer.build((None, config.seq_len, config.features))
    if config.cell == "simple_rnn" and config.radius is not None:
        recurrent = layer.cell.recurrent_kernel
        recurrent.assign(scale_to_spectral_radius(recurrent.numpy(), config.radius))
    if config.cell != "simple_rnn" and config.remember_bias:
        set_remember_bias(layer, config.remember_bias)
    return layer


def random_inputs(config: GradientLabConfig) -> np.ndarray:
    """Gaussian inputs (batch, T, features) with std ``input_scale``, from ``default_rng``."""
    rng = np.random.default_rng([config.seed, 7])
    shape = (config.batch, config.seq_len, config.features)
    return (config.input_scale * rng.standard_normal(shape)).astype(np.float32)


def gradient_norms_over_time(config: GradientLabConfig) -> np.ndarray:
    """||d (v . h_T) / d x_t||, averaged over the batch, for t = 1..T: shape (T,).

    v is a fixed random unit vector, so the quantity is a scalar "last output" and the gradient
    is one backward pass. Index 0 is the first step (the farthest from the output).
    """
    return gradient_norms_through(build_recurrent_layer(config), config)


def gradient_norms_through(layer, config: GradientLabConfig) -> np.ndarray:
    """``gradient_norms_over_time`` for a given recurrent layer (a variant of the lab's cells,
    such as ``residual``'s skip path), on the lab's inputs and direction for ``config``."""
    import tensorflow as tf

    x = tf.constant(random_inputs(config))
    rng = np.random.default_rng([config.seed, 8])
    direction = rng.standard_normal(config.units)
    direction = tf.constant(direction / np.linalg.norm(direction), dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        last_state = layer(x)  # (batch, units)
        output = tf.reduce_sum(last_state * direction)  # one scalar per batch, summed
    gradient = tape.gradient(output, x).numpy()  # (batch, T, features)
    return np.linalg.norm(gradient, axis=-1).mean(axis=0)  # (T,)


def decay_per_step(norms: np.ndarray) -> float:
    """Geometric-mean ratio between consecutive steps, going back in time (< 1: vanishing)."""
    norms = np.asarray(norms, dtype=np.float64)
    positive = norms[norms > 0]
    if positive.size < 2:
        return 0.0
    return float(np.exp(np.mean(np.diff(np.log(positive[::-1])))))


@dataclass(frozen=True)
class ClippingConfig:
    """A short SimpleRNN regression run, started with an exploding recurrent kernel."""

    radius: float = 1.5  # spectral radius of the initial recurrent kernel
    seq_len: int = 30
    units: int = 16
    features: int = 4
    samples: int = 64  # one fixed batch: the run is about the gradient, not generalisation
    input_scale: float = 0.01
    learning_rate: float = 0.1  # plain SGD, so a huge gradient means a huge step
    steps: int = 40
    clipnorm: float = 1.0  # global norm the clipped run scales gradients down to
    seed: int = 0

    def __post_init__(self) -> None:
        check_range("radius", self.radius, RADIUS_RANGE)
        check_range("steps", self.steps, CLIPPING_STEPS_RANGE, whole=True)
        check_range("clipnorm", self.clipnorm, CLIPNORM_RANGE)


@dataclass
class ClippingRun:
    """Loss and (unclipped) gradient norm at each training step."""

    clipnorm: float | None
    loss: list[float]
    gradient_norm: list[float]

    @property
    def diverged(self) -> bool:
        """NaN/inf or a loss that ended far above where it started."""
        return not np.all(np.isfinite(self.loss)) or self.loss[-1] > 10 * self.loss[0]


def clipping_demo(config: ClippingConfig) -> tuple[ClippingRun, ClippingRun]:
    """The same model and data trained twice: without clipping, then with ``clipnorm``.

    Task: recall the first step's first feature (standardised) after ``seq_len - 1`` steps.
    Plain SGD with ``global_clipnorm``: the clipped run takes steps of at most
    ``learning_rate * clipnorm``, however large the gradient.
    """
    rng = np.random.default_rng([config.seed, 9])
    x = (config.input_scale * rng.standard_normal(
        (config.samples, config.seq_len, config.features))).astype(np.float32)
    y = (x[:, 0, :1] / config.input_scale).astype(np.float32)  # (samples, 1)
    lab = GradientLabConfig(cell="simple_rnn", seq_len=config.seq_len, units=config.units,
                            features=config.features, radius=config.radius,
                            input_scale=config.input_scale, seed=config.seed)
    return (_train_clipping_run(lab, config, x, y, None),
            _train_clipping_run(lab, config, x, y, config.clipnorm))


def _train_clipping_run(lab: GradientLabConfig, config: ClippingConfig, x: np.ndarray,
                        y: np.ndarray, clipnorm: float | None) -> ClippingRun:
    import keras
    import tensorflow as tf

    layer = build_recurrent_layer(lab)
    head = keras.layers.Dense(1, kernel_initializer=keras.initializers.GlorotUniform(
        seed=config.seed * 10 + 4), name="recall")
    model = keras.Sequential([keras.Input((config.seq_len, config.features), name="inputs"),
                              layer, head], name="clipping")
    keep_graphs_collectable()
    optimizer = keras.optimizers.SGD(config.learning_rate, global_clipnorm=clipnorm)
    variables = model.trainable_variables

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        gradients = tape.gradient(loss, variables)
        optimizer.apply(gradients, variables)
        return loss, tf.linalg.global_norm(gradients)

    run = ClippingRun(clipnorm, [], [])
    x, y = tf.constant(x), tf.constant(y)
    for _ in range(config.steps):
        loss, norm = train_step(x, y)
        run.loss.append(float(loss))
        run.gradient_norm.append(float(norm))
        if not np.isfinite(run.loss[-1]):
            break
    return run
