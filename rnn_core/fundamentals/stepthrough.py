"""The fundamentals step-through: ready-made inputs and weights, and the arithmetic as LaTeX.

The default is a single pulse followed by zeros: the hidden state keeps an echo of the pulse
that fades step by step, which is the clearest picture of an RNN's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.cells import CELLS, GATES, CellName

Preset = Literal["pulse", "ones", "sine", "random"]
PRESETS: tuple[Preset, ...] = get_args(Preset)
MAX_FEATURES, MAX_UNITS, MAX_STEPS = 3, 4, 20
GATED_MAX_STEPS = 12  # the LSTM / GRU step-through shows 3-4 blocks per step: fewer steps
DEFAULT_SIZES = (1, 2, 6)  # (features, units, steps) when the page opens
VALUE_LIMIT = 5.0  # every editable number stays in [-5, 5]: tanh saturates long before
HANDOVER_DECIMALS = 4  # handed-over numbers are rounded to this; the arithmetic prints as many


@dataclass(frozen=True, eq=False)
class StepThroughInput:
    """Weights and an input sequence to step through, handed over by another page (a model the
    learner trained on the forecasting page). Checked on construction, so the step-through can
    take one without looking inside: the sizes fit its tables and every value its bounds.

    Arrays are in Keras's layout: ``inputs`` (steps, features), ``kernel`` (features, gates·units),
    ``recurrent`` (units, gates·units), ``bias`` (gates·units,), or (2, 3·units) for a GRU
    (``reset_after=True``: one bias for the input side, one for the recurrent side).
    """

    cell: CellName
    inputs: np.ndarray
    kernel: np.ndarray
    recurrent: np.ndarray
    bias: np.ndarray

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, CELLS)
        for name in ("inputs", "kernel", "recurrent", "bias"):  # frozen all the way down
            array = np.array(getattr(self, name), dtype=float)
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        steps, features = np.shape(self.inputs)
        units = np.shape(self.recurrent)[0]
        max_steps = MAX_STEPS if self.cell == "simple_rnn" else GATED_MAX_STEPS
        check_range("steps", steps, (2, max_steps), whole=True)
        check_range("features", features, (1, MAX_FEATURES), whole=True)
        check_range("units", units, (1, MAX_UNITS), whole=True)
        width = GATES[self.cell] * units
        bias_shape = (2, width) if self.cell == "gru" else (width,)
        if (np.shape(self.kernel), np.shape(self.recurrent), np.shape(self.bias)) != (
                (features, width), (units, width), bias_shape):
            raise ValueError("the weights do not fit the input and the number of units")
        for array in (self.inputs, self.kernel, self.recurrent, self.bias):
            if not np.all(np.abs(array) <= VALUE_LIMIT):
                raise ValueError(f"every value must lie in [-{VALUE_LIMIT}, {VALUE_LIMIT}]")

    @classmethod
    def rounded(cls, cell: CellName, inputs: np.ndarray, kernel: np.ndarray,
                recurrent: np.ndarray, bias: np.ndarray) -> StepThroughInput:
        """Trained numbers made legible: clipped to the tables' bounds, rounded for display."""
        def legible(array: np.ndarray) -> np.ndarray:
            clipped = np.clip(np.asarray(array, float), -VALUE_LIMIT, VALUE_LIMIT)
            return np.round(clipped, HANDOVER_DECIMALS)

        return cls(cell, *(legible(a) for a in (inputs, kernel, recurrent, bias)))

    @property
    def page(self) -> str:
        """The course page that steps through this cell: the SimpleRNN on the fundamentals page,
        LSTM and GRU on their own page."""
        return "fundamentals" if self.cell == "simple_rnn" else "gates"

    @property
    def weights(self) -> list[np.ndarray]:
        """[kernel, recurrent, bias], the order of ``layer.get_weights()``."""
        return [self.kernel, self.recurrent, self.bias]

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(features, units, steps), the step-through's size settings for these numbers."""
        steps, features = np.shape(self.inputs)
        return features, int(np.shape(self.recurrent)[0]), steps


def example_sequence(preset: Preset, steps: int, features: int, seed: int = 0) -> np.ndarray:
    """An input sequence of shape (steps, features) for the chosen preset."""
    t = np.arange(steps, dtype=float)[:, None]  # (T, 1)
    if preset == "pulse":
        x = np.zeros((steps, features))
        x[0] = 1.0
    elif preset == "ones":
        x = np.ones((steps, features))
    elif preset == "sine":
        x = np.sin(2 * np.pi * t / 8 + np.arange(features) * np.pi / 4)
    else:
        x = np.random.default_rng(seed).uniform(-1, 1, size=(steps, features))
    return np.round(x, 2)


def example_weights(
    features: int, units: int, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(W_x, W_h, b) in Keras layout: (features, units), (units, units), (units,).

    ``seed=None`` gives fixed, readable weights whose recurrent part is contractive (the echo
    fades); a seed gives random ones rounded to two decimals so the arithmetic stays legible.
    """
    if seed is None:
        kernel = np.resize([0.8, -0.5, 0.3, 0.6], (features, units)).astype(float)
        recurrent = 0.5 * np.eye(units) + np.resize([0.0, 0.3, -0.4, 0.2], (units, units))
        bias = np.resize([0.0, 0.1, -0.1, 0.05], units).astype(float)
        return kernel, np.round(recurrent, 2), bias
    rng = np.random.default_rng(seed)
    kernel = rng.uniform(-1, 1, size=(features, units))
    recurrent = rng.uniform(-0.8, 0.8, size=(units, units))
    bias = rng.uniform(-0.3, 0.3, size=units)
    return np.round(kernel, 2), np.round(recurrent, 2), np.round(bias, 2)


def clean_matrix(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Replace non-finite entries by 0 and clip to ``VALUE_LIMIT``; report whether any changed."""
    array = np.vectorize(_as_float, otypes=[float])(np.asarray(values, dtype=object))
    finite = np.isfinite(array)
    cleaned = np.clip(np.where(finite, array, 0.0), -VALUE_LIMIT, VALUE_LIMIT)
    return cleaned, bool((~finite).any() or (cleaned != np.where(finite, array, 0.0)).any())


def _as_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return float("nan")


def latex_number(value: float, digits: int = HANDOVER_DECIMALS, bracket: bool = True) -> str:
    """A short decimal for LaTeX (at most ``digits`` decimals, no trailing zeros); negative
    factors in parentheses so products read clearly. The default prints every decimal a
    handed-over weight carries, so the products show the numbers that are computed with."""
    text = np.format_float_positional(float(value), precision=digits, unique=True, trim="-")
    text = "0" if text in ("-0", "0.") else text
    return f"({text})" if bracket and value < 0 and text != "0" else text


def step_latex(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    step: int,
) -> list[str]:
    """One LaTeX line per hidden unit showing how h_t is computed from these exact numbers.

    Unit j: h_{t,j} = tanh(sum_i x_{t,i} W_x[i,j] + sum_k h_{t-1,k} W_h[k,j] + b_j), Keras's
    row-vector layout (``x_t @ kernel``), which is W_x·x_t with W_x stored transposed.
    """
    lines = []
    for j in range(kernel.shape[1]):
        x_pairs = zip(x_t, kernel[:, j], strict=True)
        h_pairs = zip(h_prev, recurrent_kernel[:, j], strict=True)
        x_terms = " + ".join(f"{latex_number(x)}\\cdot{latex_number(w)}" for x, w in x_pairs)
        h_terms = " + ".join(f"{latex_number(h)}\\cdot{latex_number(w)}" for h, w in h_pairs)
        z = float(x_t @ kernel[:, j] + h_prev @ recurrent_kernel[:, j] + bias[j])
        lines.append(
            f"h_{{{step},{j + 1}}} = \\tanh\\Big(\\underbrace{{{x_terms}}}_{{x_{{{step}}} W_x}}"
            f" + \\underbrace{{{h_terms}}}_{{h_{{{step - 1}}} W_h}}"
            f" + \\underbrace{{{latex_number(bias[j])}}}_{{b}}\\Big)"
            f" = \\tanh({latex_number(z, 4, False)}) = {latex_number(np.tanh(z), 4, False)}"
        )
    return lines
