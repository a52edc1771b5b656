"""SimpleRNN, LSTM and GRU side by side: same units, same input, same task, same seed.

For each cell ``compare_cells`` reports the parameter count twice (the textbook formula with the
learner's numbers, from ``rnn_core.fundamentals.shapes``, and Keras's ``count_params()``), the
training time per epoch measured on this machine, the loss curve and the final metrics. The task
is the memory task of ``memory_task`` at a short length, so all three can learn it in a few
seconds and the curves show how fast each one does. A Bidirectional and a stacked variant are
options.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from rnn_core.bounds import check_choice, check_flag, check_range
from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.comparison.memory_task import REMEMBER_BIAS, make_recall_data, set_remember_bias
from rnn_core.fundamentals.shapes import RNNSpec, describe
from rnn_core.runtime.keras_fixes import keep_graphs_collectable

# Page bounds: keep one comparison within a few seconds on 2 cores (the widgets show them).
BOUNDS: dict[str, tuple[int, int]] = {
    "units": (1, 64), "layers": (1, 3), "seq_len": (2, 60), "epochs": (1, 20),
    "samples": (64, 4096), "symbols": (2, 16), "distractors": (1, 16),
}


@dataclass(frozen=True)
class ComparisonConfig:
    """One side-by-side run; every cell gets exactly these settings."""

    units: int = 16
    layers: int = 1  # stacked recurrent layers (all but the last return sequences)
    bidirectional: bool = False
    seq_len: int = 20  # recall the first of seq_len symbols
    symbols: int = 4
    distractors: int = 4
    samples: int = 1024
    batch_size: int = 64
    epochs: int = 5
    learning_rate: float = 1e-2
    seed: int = 0

    def __post_init__(self) -> None:
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)
        check_flag("bidirectional", self.bidirectional)

    @property
    def features(self) -> int:
        return self.symbols + self.distractors

    def spec(self, cell: str) -> RNNSpec:
        """The model as the shapes module describes it (recurrent stack + Dense head)."""
        return RNNSpec(cell=cell, units=self.units, layers=self.layers,
                       bidirectional=self.bidirectional, dense_units=self.symbols,
                       batch=None, timesteps=self.seq_len, features=self.features)


@dataclass
class CellResult:
    """One row of the side-by-side table, plus the curves behind it."""

    cell: str
    formula_params: int  # from the formulas
    keras_params: int  # model.count_params()
    formulas: list[str]  # LaTeX per layer, the learner's numbers substituted
    loss: list[float] = field(default_factory=list)  # training loss per epoch
    accuracy: list[float] = field(default_factory=list)  # held-out accuracy per epoch
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def seconds_per_epoch(self) -> float:
        """Median over epochs after the first (the first also builds the TF graph)."""
        timed = self.epoch_seconds[1:] or self.epoch_seconds
        return float(np.median(timed))


def build_comparison_model(config: ComparisonConfig, cell: str):  # -> keras.Sequential
    """The model for one cell, every initializer seeded from ``config.seed``."""
    import keras

    check_choice("cell", cell, CELLS)
    cell_class = getattr(keras.layers, CELL_NAMES[cell])
    layers: list = [keras.Input((config.seq_len, config.features), name="symbols")]
    for index in range(config.layers):
        seed = config.seed * 100 + index * 10
        recurrent = cell_class(
            config.units, return_sequences=index < config.layers - 1,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
            recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2),
            name=f"{cell}_{index + 1}")  # explicit: automatic names race between sessions
        if config.bidirectional:
            recurrent = keras.layers.Bidirectional(recurrent, name=f"bidirectional_{index + 1}")
        layers.append(recurrent)
    layers.append(keras.layers.Dense(
        config.symbols, activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=config.seed * 100 + 99),
        name="answer"))
    model = keras.Sequential(layers, name=f"compare_{cell}")
    if cell != "simple_rnn":  # the same "start remembering" gate bias as the memory task
        for layer in _recurrent_layers(model):
            set_remember_bias(layer, REMEMBER_BIAS)
    keep_graphs_collectable()
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _recurrent_layers(model) -> list:
    """Every recurrent layer, looking inside Bidirectional wrappers (one copy per direction)."""
    found = []
    for layer in model.layers:
        if hasattr(layer, "forward_layer"):
            found += [layer.forward_layer, layer.backward_layer]
        elif hasattr(layer, "cell"):
            found.append(layer)
    return found


ProgressCallback = Callable[[str, int, int], None]  # (cell, epochs done, epochs in total)


def compare_cells(config: ComparisonConfig, cells: tuple[str, ...] = CELLS,
                  on_epoch: ProgressCallback | None = None) -> list[CellResult]:
    """Train each cell on the same data from the same seed; one ``CellResult`` per cell."""
    rng = np.random.default_rng([config.seed, 11])
    shape = (config.seq_len, config.symbols, config.distractors)
    x, y = make_recall_data(*shape, config.samples, rng)
    x_val, y_val = make_recall_data(*shape, 512, rng)
    return [_train_one(config, cell, (x, y, x_val, y_val), on_epoch) for cell in cells]


def _train_one(config: ComparisonConfig, cell: str, data: tuple,
               on_epoch: ProgressCallback | None) -> CellResult:
    """One ``fit`` call; a small callback times each epoch and scores the held-out set."""
    import keras

    x, y, x_val, y_val = data
    rows = describe(config.spec(cell))
    model = build_comparison_model(config, cell)
    result = CellResult(cell, sum(r.params for r in rows), int(model.count_params()),
                        [r.formula for r in rows])

    class EpochRecorder(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            result.epoch_seconds.append(time.perf_counter() - self.started)
            result.loss.append(float((logs or {})["loss"]))
            probabilities = np.asarray(model(x_val, training=False))  # eager: no extra trace
            result.accuracy.append(float(np.mean(np.argmax(probabilities, axis=-1) == y_val)))
            if on_epoch is not None:
                on_epoch(cell, epoch + 1, config.epochs)

    model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs, shuffle=False,
              verbose=0, callbacks=[EpochRecorder()])
    return result
