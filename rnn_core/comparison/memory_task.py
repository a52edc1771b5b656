"""The long-range memory task: recall the first symbol after T - 1 distractors.

Each sequence starts with one of ``symbols`` signal symbols, followed by ``seq_len - 1`` symbols
drawn from a separate set of ``distractors``; every step is one-hot. The answer is the first
symbol, so a model can only do better than chance (1 / symbols) if information survives T - 1
recurrent steps. Random distractors keep the state busy, so a SimpleRNN's gradient from the answer
back to step 1 vanishes as T grows, while LSTM and GRU learn to hold it in a gated state.

Training here is self-contained (a small loop around ``model.fit`` with fresh data every epoch)
and reports progress through plain callables, so the page, the CLI and the tests share it.
Keras is imported lazily; every random draw is seeded per layer or per ``default_rng``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.runtime.keras_fixes import keep_graphs_collectable
from rnn_core.storage import REPO_ROOT, read_json

# What a config accepts (the CLI's reach); the page's live run stays within LIVE_BOUNDS.
BOUNDS: dict[str, tuple[int, int]] = {
    "seq_len": (2, 400), "symbols": (2, 16), "distractors": (1, 16), "units": (1, 128),
    "samples_per_epoch": (16, 20_000), "test_samples": (16, 20_000), "batch_size": (1, 1024),
    "epochs": (1, 100),
}
LEARNING_RATE_RANGE = (1e-6, 1.0)
REMEMBER_BIAS = 3.0  # initial bias of LSTM's forget / GRU's update gate: sigmoid(3) = 0.95
SOLVED_ACCURACY = 0.9  # test accuracy from which a run counts as solved (chance is 1 / symbols)


@dataclass(frozen=True)
class MemoryTaskConfig:
    """One training run of one cell on the memory task. Defaults are the quick sweep's."""

    cell: str = "lstm"
    seq_len: int = 100  # T: the answer sits T - 1 steps before the end
    symbols: int = 4  # signal symbols; chance accuracy is 1 / symbols
    distractors: int = 4  # separate symbols that fill steps 2..T
    units: int = 32
    samples_per_epoch: int = 2048  # fresh sequences drawn every epoch
    test_samples: int = 512
    batch_size: int = 64
    learning_rate: float = 3e-3  # Adam
    epochs: int = 30  # upper bound; training stops early at ``stop_at_accuracy``
    stop_at_accuracy: float = 0.98  # validation accuracy that ends training early
    remember_bias: float = REMEMBER_BIAS  # 0: Keras's initial gate biases
    seed: int = 0

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, CELLS)
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)
        check_range("learning_rate", self.learning_rate, LEARNING_RATE_RANGE)
        check_range("stop_at_accuracy", self.stop_at_accuracy, (0.0, 1.0))

    @property
    def chance(self) -> float:
        """Accuracy of guessing: the answer is uniform over the signal symbols."""
        return 1.0 / self.symbols

    @property
    def input_dim(self) -> int:
        return self.symbols + self.distractors


def make_recall_data(
    seq_len: int, symbols: int, distractors: int, samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Sequences (samples, seq_len, symbols + distractors) one-hot, and answers (samples,).

    Step 0 holds a signal symbol (index < symbols); later steps hold distractors (index >=
    symbols), so the first symbol is never repeated and can only be known by remembering it.
    """
    answers = rng.integers(0, symbols, size=samples)
    tokens = symbols + rng.integers(0, distractors, size=(samples, seq_len))
    tokens[:, 0] = answers
    x = np.eye(symbols + distractors, dtype=np.float32)[tokens]  # (samples, T, symbols + dis.)
    return x, answers.astype(np.int32)


def build_memory_model(config: MemoryTaskConfig):  # -> keras.Model
    """Input -> one recurrent layer (last state) -> softmax over the signal symbols.

    Initializers are seeded per layer (never process-wide); Keras defaults otherwise (orthogonal
    recurrent kernel, LSTM forget-gate bias 1).
    """
    import keras

    seed = config.seed * 10
    recurrent = getattr(keras.layers, CELL_NAMES[config.cell])(
        config.units,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2),
        name=config.cell,  # explicit names: Keras's automatic ones race between sessions
    )
    model = keras.Sequential([
        keras.Input(shape=(config.seq_len, config.input_dim), name="symbols"),
        recurrent,
        keras.layers.Dense(config.symbols, activation="softmax", name="answer",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 3)),
    ], name=f"memory_{config.cell}")
    if config.remember_bias and config.cell != "simple_rnn":
        set_remember_bias(recurrent, config.remember_bias)
    keep_graphs_collectable()
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def set_remember_bias(layer, value: float) -> None:
    """Start a gated layer "remembering": the gate that keeps the old state opens to sigmoid(value).

    LSTM bias is (4u,) in gate order i, f, c, o: the forget gate f is block 1. Keras's GRU
    (reset_after=True) has bias (2, 3u) in order z, r, h and keeps ``z * h_prev``: z is block 0 of
    the input row. A large value makes the initial gradient reach far back (sigmoid(3) = 0.95).
    """
    bias = layer.cell.bias
    values = np.array(bias.numpy())
    units = layer.cell.units
    if values.ndim == 1:  # LSTM
        values[units:2 * units] = value
    else:  # GRU
        values[0, :units] = value
        values[1, :units] = 0.0
    bias.assign(values)


@dataclass
class MemoryRun:
    """What one training run produced: per-epoch curves and the final test accuracy."""

    config: MemoryTaskConfig
    loss: list[float] = field(default_factory=list)  # training loss per epoch
    val_accuracy: list[float] = field(default_factory=list)  # fresh validation set per run
    accuracy: float = 0.0  # on a separate test set, after training
    epochs_run: int = 0
    seconds: float = 0.0

    @property
    def solved(self) -> bool:
        return self.accuracy >= SOLVED_ACCURACY

    def to_dict(self) -> dict:
        return {
            "cell": self.config.cell, "seq_len": self.config.seq_len, "seed": self.config.seed,
            "accuracy": round(self.accuracy, 4), "chance": round(self.config.chance, 4),
            "epochs_run": self.epochs_run, "seconds": round(self.seconds, 2),
            "final_loss": round(self.loss[-1], 4) if self.loss else None,
            "config": asdict(self.config),
        }


EpochCallback = Callable[[int, float, float], None]  # (epoch 1-based, loss, val accuracy)


def train_memory_task(
    config: MemoryTaskConfig, on_epoch: EpochCallback | None = None
) -> MemoryRun:
    """Train one model on fresh data each epoch; stop once validation accuracy reaches
    ``stop_at_accuracy``.

    Data streams come from three independent ``default_rng`` generators (train, validation,
    test) derived from the seed, so a run is repeatable and never touches global random state.
    """
    start = time.perf_counter()
    train_rng, val_rng, test_rng = (np.random.default_rng([config.seed, stream])
                                    for stream in (1, 2, 3))
    shape = (config.seq_len, config.symbols, config.distractors)
    x_val, y_val = make_recall_data(*shape, config.test_samples, val_rng)
    model = build_memory_model(config)
    run = MemoryRun(config)
    for epoch in range(1, config.epochs + 1):
        x, y = make_recall_data(*shape, config.samples_per_epoch, train_rng)
        history = model.fit(x, y, batch_size=config.batch_size, epochs=1, shuffle=False,
                            verbose=0)
        loss = float(history.history["loss"][-1])
        val_accuracy = _accuracy(model, x_val, y_val, config.batch_size)
        run.loss.append(loss)
        run.val_accuracy.append(val_accuracy)
        run.epochs_run = epoch
        if on_epoch is not None:
            on_epoch(epoch, loss, val_accuracy)
        if val_accuracy >= config.stop_at_accuracy or not np.isfinite(loss):
            break
    x_test, y_test = make_recall_data(*shape, config.test_samples, test_rng)
    run.accuracy = _accuracy(model, x_test, y_test, config.batch_size)
    run.seconds = time.perf_counter() - start
    return run


def _accuracy(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """Share of sequences whose most probable symbol is the answer."""
    probabilities = model.predict(x, batch_size=max(batch_size, 256), verbose=0)
    return float(np.mean(np.argmax(probabilities, axis=-1) == y))


# The page's live run: smaller epochs than the sweep's, so one click answers in seconds.
LIVE_RUN = MemoryTaskConfig(seq_len=50, epochs=5, samples_per_epoch=1024, test_samples=256)
LIVE_BOUNDS: dict[str, tuple[int, int]] = {"seq_len": (2, 200), "epochs": (1, 10)}


@dataclass(frozen=True)
class SweepSettings:
    """Which (cell, T, seed) runs a sweep trains; everything else is ``MemoryTaskConfig``'s."""

    seq_lens: tuple[int, ...]
    seeds: tuple[int, ...]
    epochs: int
    cells: tuple[str, ...] = CELLS

    def __post_init__(self) -> None:
        """Each run is a ``MemoryTaskConfig``: checked by the same bounds, before any trains."""
        for cell in self.cells:
            check_choice("cell", cell, CELLS)
        for seq_len in self.seq_lens:
            check_range("seq_len", seq_len, BOUNDS["seq_len"], whole=True)
        for seed in self.seeds:
            check_range("seed", seed, (0, 2**31 - 1), whole=True)
        check_range("epochs", self.epochs, BOUNDS["epochs"], whole=True)


# The CLI's --quick: the two lengths the claim is about, one seed, a few minutes on 2 cores.
QUICK_SWEEP = SweepSettings(seq_lens=(10, 100), seeds=(0,), epochs=20)
# The committed sweep (results/compare_sweep.json): lengths up to 200, three seeds (~20 min).
FULL_SWEEP = SweepSettings(seq_lens=(10, 25, 50, 100, 150, 200), seeds=(0, 1, 2), epochs=30)


def run_sweep(
    settings: SweepSettings, on_run: Callable[[MemoryRun], None] | None = None
) -> list[MemoryRun]:
    """Train every (seed, T, cell) in that order, so a cut-short sweep still covers each cell."""
    runs = []
    for seed in settings.seeds:
        for seq_len in settings.seq_lens:
            for cell in settings.cells:
                config = MemoryTaskConfig(cell=cell, seq_len=seq_len, seed=seed,
                                          epochs=settings.epochs)
                run = train_memory_task(config)
                runs.append(run)
                if on_run is not None:
                    on_run(run)
    return runs


def summarize_runs(runs: list[dict]) -> list[dict]:
    """Mean accuracy over seeds per (cell, seq_len), from ``MemoryRun.to_dict()`` rows."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for row in runs:
        groups.setdefault((row["cell"], row["seq_len"]), []).append(row)
    summary = []
    for cell in CELLS:
        for (group_cell, seq_len), rows in sorted(groups.items(), key=lambda item: item[0][1]):
            if group_cell != cell:
                continue
            accuracies = [row["accuracy"] for row in rows]
            summary.append({
                "cell": cell, "seq_len": seq_len,
                "accuracy": round(float(np.mean(accuracies)), 4),
                "min_accuracy": round(float(np.min(accuracies)), 4),
                "max_accuracy": round(float(np.max(accuracies)), 4),
                "seeds": len(rows), "chance": rows[0]["chance"],
            })
    return summary


SWEEP_FILE = REPO_ROOT / "results" / "compare_sweep.json"


def load_sweep(path: Path | None = None) -> dict | None:
    """The committed sweep (``rnn-lab compare-sweep --json`` output; default ``SWEEP_FILE``),
    or None if it is missing or unreadable."""
    data = read_json(SWEEP_FILE if path is None else path)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None
    return data
