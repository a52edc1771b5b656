"""SimpleRNN, LSTM and GRU side by side: same units, same input, same task, same seed.

For each cell ``compare_cells`` reports the parameter count twice (the textbook formula with the
learner's numbers, from ``rnn_core.shapes``, and Keras's ``count_params()``), the training time
per epoch measured on this machine, the loss curve and the final metrics. The task is the recall
task of ``rnn_core.memory_task`` at a short length, so all three can learn it in a few seconds and
the curves show how fast each one does. A Bidirectional and a stacked variant are options.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnn_core.cells import CELLS, KERAS_CLASS_NAMES
from rnn_core.memory_task import make_recall_data, set_remember_bias
from rnn_core.shapes import RNNSpec, describe

MAX_UNITS = 64  # page bounds: keep one comparison within a few seconds on 2 cores
MAX_LAYERS = 3
MAX_SEQ_LEN = 60
MAX_EPOCHS = 20
MAX_SAMPLES = 4096
IMDB_MODELS_DIR = Path(__file__).resolve().parent.parent / "models" / "imdb"
REMEMBER_BIAS = 3.0  # initial forget (LSTM) / update (GRU) gate bias, as in the memory task


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
        for name, value, low, high in (
                ("units", self.units, 1, MAX_UNITS), ("layers", self.layers, 1, MAX_LAYERS),
                ("seq_len", self.seq_len, 2, MAX_SEQ_LEN), ("epochs", self.epochs, 1, MAX_EPOCHS),
                ("samples", self.samples, 64, MAX_SAMPLES),
                ("symbols", self.symbols, 2, 16), ("distractors", self.distractors, 1, 16)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high}, "
                                 f"got {value!r}")

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

    if cell not in CELLS:
        raise ValueError(f"unknown cell {cell!r}; expected one of {', '.join(CELLS)}")
    cell_class = getattr(keras.layers, KERAS_CLASS_NAMES[cell])
    layers: list = [keras.Input((config.seq_len, config.features))]
    for index in range(config.layers):
        seed = config.seed * 100 + index * 10
        recurrent = cell_class(
            config.units, return_sequences=index < config.layers - 1,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
            recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2))
        if config.bidirectional:
            recurrent = keras.layers.Bidirectional(recurrent)
        layers.append(recurrent)
    layers.append(keras.layers.Dense(
        config.symbols, activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=config.seed * 100 + 99)))
    model = keras.Sequential(layers)
    if cell != "simple_rnn":  # the same "start remembering" gate bias as the memory task
        for layer in _recurrent_layers(model):
            set_remember_bias(layer, REMEMBER_BIAS)
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


def imdb_model_figures(models_dir: Path | None = None) -> list[dict]:
    """The shipped IMDB models' figures from their manifests (empty if none shipped yet).

    Read defensively: a model counts only with both ``<name>.json`` and ``<name>.keras``, a
    manifest that cannot be read is skipped, and a figure it lacks stays ``None``. Latency comes
    from ``benchmark.json`` (median ms for one review) when that file exists.
    """
    models_dir = Path(models_dir) if models_dir is not None else IMDB_MODELS_DIR
    benchmark = _read_json(models_dir / "benchmark.json") or {}
    latencies = benchmark.get("models", {}) if isinstance(benchmark, dict) else {}
    rows = []
    for path in sorted(models_dir.glob("*.json")):
        manifest = _read_json(path)
        if path.name == "benchmark.json" or not isinstance(manifest, dict) \
                or not path.with_suffix(".keras").is_file():
            continue
        test = manifest.get("test") if isinstance(manifest.get("test"), dict) else {}
        latency = latencies.get(path.stem, {}) if isinstance(latencies, dict) else {}
        rows.append({
            "name": path.stem, "cell": manifest.get("cell", path.stem),
            "parameters": manifest.get("parameters"),
            "file_bytes": manifest.get("file_bytes"),
            "test_accuracy": test.get("accuracy"),
            "latency_ms": latency.get("predict_p50_ms") if isinstance(latency, dict) else None,
        })
    return rows


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
