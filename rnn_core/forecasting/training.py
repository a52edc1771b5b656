"""Build and train a small recurrent forecaster, reporting progress to a callable.

Shared by the forecasting page and the CLI: a bounded ``TrainConfig``, ``build_model``
(SimpleRNN / LSTM / GRU, 1-3 stacked layers, a Dense head) and ``train`` (a loop over
``train_on_batch`` that reports to a callable and honours a stop flag). Safe with many sessions
in one process: weights are seeded per initializer (never process-wide), nothing clears the
Keras session, and each call builds its own model. Keras is imported lazily.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.cells import CELL_NAMES, CellName
from rnn_core.forecasting.series import FRAMINGS, SEED_RANGE, WINDOW_RANGE, Framing
from rnn_core.runtime.keras_fixes import keep_graphs_collectable

if TYPE_CHECKING:
    import keras

OptimizerName = Literal["adam", "rmsprop", "sgd"]
OPTIMIZERS: tuple[OptimizerName, ...] = get_args(OptimizerName)
# Each optimizer's Keras class name, which is also how the page writes it.
OPTIMIZER_CLASSES = {"adam": "Adam", "rmsprop": "RMSprop", "sgd": "SGD"}

# Every setting is bounded so one run stays small on a shared 2-core server; the page shows these.
BOUNDS: dict[str, tuple[float, float]] = {
    "units": (1, 64),
    "layers": (1, 3),
    "learning_rate": (1e-4, 0.5),
    "epochs": (1, 200),
    "batch_size": (1, 256),
    "clipnorm": (0.0, 10.0),  # 0 means no clipping
    "dropout": (0.0, 0.5),
    "window": WINDOW_RANGE,
}
BATCH_REPORT_MIN_STEPS = 20  # epochs with more batches than this also report batch progress


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run (and therefore the weight-cache key)."""

    cell: CellName = "simple_rnn"
    units: int = 20  # hidden units per recurrent layer
    layers: int = 1  # stacked recurrent layers
    framing: Framing = "many_to_many"  # next-step target at every step, or only after the window
    window: int = 10  # time steps per input window
    optimizer: OptimizerName = "adam"
    learning_rate: float = 0.01  # larger than Adam's 0.001 default: 20 short epochs must suffice
    epochs: int = 20
    batch_size: int = 8  # 40 windows of the default sine -> 4 updates per epoch
    clipnorm: float = 0.0  # gradient-norm clipping (0: off; it adds ~30% to the start-up trace)
    dropout: float = 0.0  # input dropout of each recurrent layer
    seed: int = 0  # seeds the initializers and dropout of this model only

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, CELL_NAMES)
        check_choice("framing", self.framing, FRAMINGS)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound,
                        whole=isinstance(getattr(TrainConfig, name), int))
        check_range("seed", self.seed, SEED_RANGE, whole=True)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainConfig:
        """A config from a dict, ignoring unknown keys (e.g. settings of another page)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


def build_model(config: TrainConfig) -> keras.Model:
    """A compiled ``Sequential``: Input (window, 1) -> 1-3 recurrent layers -> Dense(1).

    Many-to-many keeps every step's output, so the Dense head predicts at each step:
    (batch, window, 1); many-to-one predicts once: (batch, 1).
    """
    import keras

    cell_class = getattr(keras.layers, CELL_NAMES[config.cell])
    layers: list[Any] = [keras.Input(shape=(config.window, 1), name="window")]
    for index in range(config.layers):
        last = index == config.layers - 1
        seed = config.seed * 100 + index
        layers.append(cell_class(
            config.units,
            return_sequences=(not last) or config.framing == "many_to_many",
            dropout=config.dropout,
            seed=seed,  # dropout masks of this layer only
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
            recurrent_initializer=keras.initializers.Orthogonal(seed=seed),
            name=f"{config.cell}_{index + 1}",
        ))
    layers.append(keras.layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=config.seed * 100 + 99),
        name="next_value"))
    model = keras.Sequential(layers, name="forecaster")
    model.compile(optimizer=make_optimizer(config), loss="mse")
    # Create the optimizer's slots now: created inside the first train step, they make
    # TensorFlow trace that step twice, which doubled the start-up cost of every run.
    model.optimizer.build(model.trainable_variables)
    return model


def make_optimizer(config: TrainConfig) -> keras.optimizers.Optimizer:
    import keras

    keep_graphs_collectable()
    optimizer_class = getattr(keras.optimizers, OPTIMIZER_CLASSES[config.optimizer])
    clip = {"clipnorm": config.clipnorm} if config.clipnorm > 0 else {}
    return optimizer_class(learning_rate=config.learning_rate, **clip)


@dataclass(frozen=True)
class EpochReport:
    """What the progress callable receives after every epoch (and for batch progress)."""

    epoch: int  # 1-based, counted over the model's whole life (continuations included)
    epochs: int  # the last epoch of this run
    loss: float | None  # None in a batch-progress report
    val_loss: float | None
    seconds: float  # wall time of this epoch (so far, for batch reports)
    batch: int | None = None  # 1-based batch within the epoch, only in batch reports
    batches: int | None = None


@dataclass
class History:
    """Losses per epoch, appended to by every run of the same model (so "one more epoch" grows
    the same curves)."""

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    stopped_early: bool = False  # the last run ended on the stop flag

    @property
    def epochs(self) -> int:
        return len(self.loss)

    @property
    def diverged(self) -> bool:
        """Whether the training loss stopped being a finite number (a learning rate too large
        for the data): from then on every weight is NaN or infinite."""
        return bool(self.loss) and not math.isfinite(self.loss[-1])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> History:
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


ProgressFn = Callable[[EpochReport], None]


def train(
    model: keras.Model,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    epochs: int,
    batch_size: int,
    history: History | None = None,
    on_progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> History:
    """Train ``model`` for ``epochs`` more epochs on (x_train, y_train, x_val, y_val).

    Appends to ``history`` (a continuation keeps counting epochs) and calls ``on_progress``
    after every epoch, and every tenth of an epoch when an epoch has many batches. Once ``stop``
    is set, training ends cleanly after the current batch: the weights learned so far stay in
    ``model`` and the epochs run (a partial last one included) stay in the history.

    Why a loop over ``train_on_batch`` rather than ``fit``: on the 2-core server ``fit``'s
    per-epoch machinery (data adapters, callbacks, a separate evaluation) cost about twice the
    CPU time of the training itself for the page's 20 tiny epochs. The caller holds
    ``rnn_core.runtime.concurrency.training_slot`` around this.
    """
    x_train, y_train, x_val, y_val = data
    history = history if history is not None else History()
    history.stopped_early = False
    last_epoch = history.epochs + epochs
    size = min(batch_size, len(x_train))
    steps = int(np.ceil(len(x_train) / size))
    report_every = max(1, steps // 10) if steps > BATCH_REPORT_MIN_STEPS else 0
    for _ in range(epochs):
        started = time.perf_counter()
        # A seeded shuffle per epoch: reproducible runs, no process-wide random state.
        # Every batch has the same size (the last one topped up from a second shuffle), so
        # TensorFlow traces the training step once instead of once more for a short last batch.
        rng = np.random.default_rng(history.epochs)
        order = np.concatenate([rng.permutation(len(x_train)),
                                rng.permutation(len(x_train))[:steps * size - len(x_train)]])
        losses = []
        for step in range(steps):
            batch = order[step * size:(step + 1) * size]
            losses.append(float(model.train_on_batch(x_train[batch], y_train[batch])))
            if stop is not None and stop.is_set():
                break
            if on_progress is not None and report_every and (step + 1) % report_every == 0:
                on_progress(EpochReport(history.epochs + 1, last_epoch, None, None,
                                        time.perf_counter() - started, step + 1, steps))
        val_loss = float(model.test_on_batch(x_val, y_val)) if len(x_val) else float("nan")
        history.loss.append(float(np.mean(losses)))
        history.val_loss.append(val_loss)
        history.epoch_seconds.append(time.perf_counter() - started)
        if on_progress is not None:
            on_progress(EpochReport(history.epochs, last_epoch, history.loss[-1], val_loss,
                                    history.epoch_seconds[-1]))
        if stop is not None and stop.is_set():
            history.stopped_early = True
            break
    return history


def single_layer_weights(model: keras.Model) -> tuple[CellName, list[np.ndarray]] | None:
    """(cell, [kernel, recurrent, bias]) of a forecaster with one recurrent layer (SimpleRNN,
    LSTM or GRU) in Keras's layout; ``None`` for a stack."""
    if len(model.layers) != 2:
        return None
    layer = model.layers[0]
    cell = layer.name.rsplit("_", 1)[0]  # build_model names it "<cell>_1"
    if cell not in CELL_NAMES:
        return None
    return cell, [np.asarray(w, float) for w in layer.get_weights()]
