"""A skip path through time: the SimpleRNN of the gradient lab with a residual connection.

Two ways to let the old state through untouched, both with the SimpleRNN's own candidate
``h̃_t = tanh(x_t W + h_{t-1} U + b)`` and a step size ``α`` (``mix``):

* ``additive`` (a residual connection in time): ``h_t = h_{t-1} + α·h̃_t``. The Jacobian
  ∂h_t/∂h_{t-1} = I + α·diag(1 − h̃_t²)·Uᵀ: the identity is always there, so for a small α the
  gradient does not vanish; nothing keeps it from growing either.
* ``gated`` (a fixed mix, a leaky state): ``h_t = (1 − α)·h_{t-1} + α·h̃_t``. The Jacobian
  (1 − α)·I + α·diag(1 − h̃_t²)·Uᵀ: close to the identity for small α, never above 1 when the
  recurrent kernel's spectral radius is at most 1. ``α = 1`` is exactly the SimpleRNN.

The LSTM's cell state is the gated kind with a learned, per-unit, per-step mix:
``c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t``, so ∂c_t/∂c_{t-1} = diag(f_t) along that path, no weight
matrix and no tanh′ in between; the GRU's ``h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t`` is the same.

The cell reuses the gradient lab's SimpleRNN weights (same seed, same spectral radius), so the
only difference between the two lines on the chart is the skip path. TensorFlow/Keras are
imported inside the functions, like the rest of the lab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.comparison.gradients import (
    GradientLabConfig,
    build_recurrent_layer,
    decay_per_step,
    gradient_norms_through,
)

SKIP_KINDS = ("additive", "gated")
MIX_BOUND = (0.01, 1.0)
PAGE_MIX = (0.05, 1.0, 0.05)  # slider: low, high, step (default: SkipPathConfig.mix)
SURVIVAL_FLOOR = 0.01  # "the gradient survives" while it is at least 1% of its size at the output


@dataclass(frozen=True)
class SkipPathConfig:
    """Which skip path and how much of the new candidate enters the state per step."""

    kind: str = "additive"
    mix: float = 0.1  # α

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, SKIP_KINDS)
        check_range("mix", self.mix, MIX_BOUND)

    @property
    def carry(self) -> float:
        """What multiplies h_{t-1} on the skip path: 1 (additive) or 1 − α (gated)."""
        return 1.0 if self.kind == "additive" else 1.0 - self.mix


def skip_step(x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray,
              bias: np.ndarray, skip: SkipPathConfig) -> np.ndarray:
    """One step in NumPy, Keras's weight layout: carry·h_{t-1} + α·tanh(x_t W + h_{t-1} U + b)."""
    candidate = np.tanh(x_t @ kernel + h_prev @ recurrent + bias)
    return skip.carry * h_prev + skip.mix * candidate


@cache
def _cell_class() -> type:
    """The Keras cell class, made on first use (Keras is imported lazily in this package)."""
    import keras

    class SkipPathCell(keras.layers.Layer):
        """A SimpleRNNCell whose state also flows around it: h = carry·h_prev + α·cell(x, h)."""

        def __init__(self, units: int, carry: float, mix: float, **kwargs) -> None:
            super().__init__(**kwargs)
            self.units, self.carry, self.mix = units, carry, mix
            self.state_size = self.output_size = units
            self.candidate = keras.layers.SimpleRNNCell(units, name=f"{self.name}_candidate")

        def build(self, input_shape) -> None:
            self.candidate.build(input_shape)

        def call(self, inputs, states, training=False):
            h_prev = states[0] if isinstance(states, list | tuple) else states
            candidate, _ = self.candidate(inputs, [h_prev], training=training)
            h = self.carry * h_prev + self.mix * candidate
            return h, [h]

    return SkipPathCell


def build_skip_layer(lab: GradientLabConfig, skip: SkipPathConfig):  # -> keras.layers.RNN
    """The lab's SimpleRNN (same seeded weights, same radius) with the skip path around it."""
    import keras

    if lab.cell != "simple_rnn":
        raise ValueError("the skip path is added to the SimpleRNN")
    plain = build_recurrent_layer(lab)
    cell = _cell_class()(lab.units, skip.carry, skip.mix, name=f"skip_{skip.kind}_cell")
    layer = keras.layers.RNN(cell, name=f"skip_{skip.kind}_rnn")
    layer.build((None, lab.seq_len, lab.features))
    cell.candidate.set_weights(plain.get_weights())
    return layer


def skip_path_norms(lab: GradientLabConfig, skip: SkipPathConfig) -> np.ndarray:
    """||d (v . h_T) / d x_t|| per step with the skip path, exactly as the lab measures the
    plain cells (same inputs, same direction v): shape (T,), index 0 the farthest step."""
    return gradient_norms_through(build_skip_layer(lab, skip), lab)


def steps_survived(norms: np.ndarray, floor: float = SURVIVAL_FLOOR) -> int:
    """How many steps back the gradient stays at least ``floor`` × its size at the last step
    (T − 1 when it never falls below: it reaches the first step)."""
    backwards = np.asarray(norms, dtype=np.float64)[::-1]  # index k = k steps back
    if backwards[0] <= 0:
        return 0
    below = np.flatnonzero(backwards < floor * backwards[0])
    return int(below[0] - 1) if below.size else len(backwards) - 1


HOLDS_WITHIN = 2.0  # farthest / last within ×[1/2, 2] over all T steps: the gradient "holds"
READINGS = ("grows", "holds", "shrinks_slower", "shrinks")


def overall_change(norms: np.ndarray) -> float:
    """The gradient at the farthest step as a multiple of its size at the last step."""
    norms = np.asarray(norms, dtype=np.float64)
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else 0.0


def reading(skip_norms: np.ndarray, plain_norms: np.ndarray) -> str:
    """What the skip path's measurement shows, for the page to word: the gradient ``grows``
    or ``holds`` going back, or it shrinks, ``shrinks_slower`` than the plain SimpleRNN's on
    the same weights or not (``shrinks``). Chosen from the numbers, since either kind can do
    any of these (the gated mix grows too with a radius above 1)."""
    change = overall_change(skip_norms)
    if change > HOLDS_WITHIN:
        return "grows"
    if change >= 1 / HOLDS_WITHIN:
        return "holds"
    slower = decay_per_step(skip_norms) > decay_per_step(plain_norms)
    return "shrinks_slower" if slower else "shrinks"
