"""What replaced RNNs: time per batch against sequence length, a GRU beside one attention block.

Both read the same (batch, T, d) float32 tensor and return (batch, T, d); they are about the same
size (``d = 64``: the GRU has 24,960 parameters, the block 25,216):

* ``GRU(d, return_sequences=True)``: T steps, each waiting for the one before (h_t needs
  h_{t-1}), so T steps that cannot run in parallel, each a small (batch × d)·(d × 3d) product;
* one Transformer block: ``MultiHeadAttention(heads, d / heads)`` on the sequence with itself,
  residual + LayerNorm, a two-layer feed-forward part, residual + LayerNorm. Every position is
  computed at once: no step waits for another, but the attention scores are T × T, so the work
  grows as T² (``multiply_adds``).

How the timing compares like with like: one model pair built once, each wrapped in a
``tf.function`` with the same input signature; the same input tensor for both; ``warmup`` calls
first (tracing and caches, not counted); then ``repeats`` rounds that alternate which model goes
first, each call timed up to ``.numpy()`` (the result is really computed); the median per model.
The machine (``rnn_core.runtime.machine.run_environment``) and its load average are stored
beside the figures, because on another machine, a GPU above all, the curves differ.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rnn_core.bounds import check_range
from rnn_core.storage import REPO_ROOT, read_json

KINDS = ("gru", "attention")
SWEEP_LENGTHS = (16, 32, 64, 128, 256, 512)
BOUNDS: dict[str, tuple[int, int]] = {"d_model": (8, 256), "heads": (1, 16), "batch": (1, 256),
                                      "repeats": (3, 50), "warmup": (1, 10)}
SEQ_LEN_BOUND = (1, 1024)
TIMING_FILE = REPO_ROOT / "results" / "attention_timing.json"


@dataclass(frozen=True)
class TimingConfig:
    """One timing setup; every point of a sweep uses the same one."""

    d_model: int = 64  # GRU units = attention width = the input's features
    heads: int = 4  # key_dim = d_model / heads, so the projections are d × d like the GRU's
    batch: int = 32
    repeats: int = 9  # timed calls per model and length (the median is reported)
    warmup: int = 2  # untimed calls first
    seed: int = 0

    def __post_init__(self) -> None:
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)
        if self.d_model % self.heads:
            raise ValueError(f"heads ({self.heads}) must divide d_model ({self.d_model})")


def build_gru(config: TimingConfig):  # -> keras.Model
    import keras

    seed = config.seed * 10
    inputs = keras.Input((None, config.d_model), name="timing_gru_input")
    outputs = keras.layers.GRU(
        config.d_model, return_sequences=True, name="timing_gru",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2))(inputs)
    return keras.Model(inputs, outputs, name="timing_gru_model")


def build_attention_block(config: TimingConfig):  # -> keras.Model
    """One Transformer encoder block of width d_model (feed-forward width d_model as well)."""
    import keras

    seed = config.seed * 10 + 5
    d = config.d_model
    glorot = keras.initializers.GlorotUniform
    x = keras.Input((None, d), name="timing_attention_input")
    attended = keras.layers.MultiHeadAttention(
        config.heads, d // config.heads, kernel_initializer=glorot(seed=seed),
        name="timing_attention")(x, x)
    h = keras.layers.LayerNormalization(name="timing_attention_norm1")(
        keras.layers.Add(name="timing_attention_residual1")([x, attended]))
    f = keras.layers.Dense(d, activation="relu", kernel_initializer=glorot(seed=seed + 1),
                           name="timing_attention_ff1")(h)
    f = keras.layers.Dense(d, kernel_initializer=glorot(seed=seed + 2),
                           name="timing_attention_ff2")(f)
    y = keras.layers.LayerNormalization(name="timing_attention_norm2")(
        keras.layers.Add(name="timing_attention_residual2")([h, f]))
    return keras.Model(x, y, name="timing_attention_model")


def multiply_adds(kind: str, seq_len: int, config: TimingConfig) -> int:
    """Multiply-adds of one forward pass over the batch (weights only; softmax, norms, biases
    and the GRU's gate products are small beside them).

    GRU: per step and sample, x_t·W (d × 3d) and h·U (d × 3d). Attention block: Q, K, V and the
    output projection (4 · T · d²), scores QKᵀ and their weighted sum of V (2 · T² · d), the
    feed-forward part (2 · T · d²).
    """
    d, t = config.d_model, seq_len
    per_sample = {"gru": t * 3 * d * (d + d), "attention": 6 * t * d * d + 2 * t * t * d}[kind]
    return config.batch * per_sample


def sequential_steps(kind: str, seq_len: int) -> int:
    """Steps that must run one after another in one layer: T for the GRU, 1 for attention."""
    return seq_len if kind == "gru" else 1


@dataclass(frozen=True)
class TimingPoint:
    seq_len: int
    gru_ms: float  # median
    attention_ms: float
    gru_all_ms: tuple[float, ...]
    attention_all_ms: tuple[float, ...]

    def to_dict(self, config: TimingConfig) -> dict:
        row = {"seq_len": self.seq_len, "gru_ms": round(self.gru_ms, 3),
               "attention_ms": round(self.attention_ms, 3),
               "gru_all_ms": [round(v, 3) for v in self.gru_all_ms],
               "attention_all_ms": [round(v, 3) for v in self.attention_all_ms]}
        for kind in KINDS:
            row[f"{kind}_sequential_steps"] = sequential_steps(kind, self.seq_len)
            row[f"{kind}_multiply_adds"] = multiply_adds(kind, self.seq_len, config)
        return row


class TimingPair:
    """The two models, built once and compiled, timed on the same inputs (the page caches one)."""

    def __init__(self, config: TimingConfig) -> None:
        import tensorflow as tf

        self.config = config
        self.models = {"gru": build_gru(config), "attention": build_attention_block(config)}
        signature = [tf.TensorSpec([None, None, config.d_model], tf.float32)]
        self._calls = {kind: tf.function(lambda x, m=model: m(x, training=False),
                                         input_signature=signature, autograph=False)
                       for kind, model in self.models.items()}

    def parameters(self) -> dict[str, int]:
        return {kind: int(model.count_params()) for kind, model in self.models.items()}

    def inputs(self, seq_len: int) -> np.ndarray:
        check_range("seq_len", seq_len, SEQ_LEN_BOUND, whole=True)
        rng = np.random.default_rng([self.config.seed, seq_len])
        return rng.standard_normal((self.config.batch, seq_len, self.config.d_model),
                                   dtype=np.float32)

    def time_point(self, seq_len: int,
                   on_call: Callable[[int, int], None] | None = None) -> TimingPoint:
        """Median milliseconds per batch for both models at ``seq_len`` (see the module's
        docstring for how); ``on_call(done, total)`` after every call, for a progress bar."""
        import tensorflow as tf

        x = tf.constant(self.inputs(seq_len))
        total = 2 * (self.config.warmup + self.config.repeats)
        done = 0

        def call(kind: str) -> float:
            nonlocal done
            started = time.perf_counter()
            self._calls[kind](x).numpy()
            done += 1
            if on_call is not None:
                on_call(done, total)
            return (time.perf_counter() - started) * 1000

        for _ in range(self.config.warmup):
            for kind in KINDS:
                call(kind)
        times: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for repeat in range(self.config.repeats):
            for kind in KINDS if repeat % 2 == 0 else KINDS[::-1]:
                times[kind].append(call(kind))
        return TimingPoint(seq_len, float(np.median(times["gru"])),
                           float(np.median(times["attention"])), tuple(times["gru"]),
                           tuple(times["attention"]))


LIVE = TimingConfig(repeats=5)  # the page's one live point: 2 warm-up + 5 timed calls each
LIVE_LENGTH = 128  # the length the page's live point starts at


def sweep(config: TimingConfig, lengths: Sequence[int] = SWEEP_LENGTHS,
          on_point: Callable[[TimingPoint], None] | None = None) -> tuple[dict, list[dict]]:
    """Every length, one model pair: (the models' parameter counts, one row per length)."""
    pair = TimingPair(config)
    rows = []
    for seq_len in lengths:
        point = pair.time_point(int(seq_len))
        rows.append(point.to_dict(config))
        if on_point is not None:
            on_point(point)
    return pair.parameters(), rows


def gru_ms_per_step(rows: Sequence[dict]) -> float | None:
    """The slope of the GRU's time against T (least squares, ms per step): what each extra step
    that has to wait for the one before costs, whatever else the machine could do at once."""
    if len(rows) < 2:
        return None
    lengths = np.array([row["seq_len"] for row in rows], dtype=float)
    times = np.array([row["gru_ms"] for row in rows], dtype=float)
    return float(np.polyfit(lengths, times, 1)[0])


def gru_fit(rows: Sequence[dict]) -> tuple[float, float, float] | None:
    """The GRU's time as a straight line in T: (ms per step, ms at T = 0, R²), None with fewer
    than two lengths. R² near 1 is what lets the page say "grows linearly"."""
    if len(rows) < 2:
        return None
    lengths = np.array([row["seq_len"] for row in rows], dtype=float)
    times = np.array([row["gru_ms"] for row in rows], dtype=float)
    slope, offset = np.polyfit(lengths, times, 1)
    residual = float(np.sum((times - (slope * lengths + offset)) ** 2))
    spread = float(np.sum((times - times.mean()) ** 2))
    return float(slope), float(offset), 1.0 - residual / spread if spread else 1.0


LINEAR_R2 = 0.95  # a fit this good reads as "grows linearly with T"


def clearly_faster(row: dict) -> str:
    """Which model was clearly faster at one length: "gru" or "attention" when the middle
    halves (25th to 75th percentile) of their timed calls do not overlap, else "overlap".
    A row without its calls is judged by its medians."""
    gru, other = row.get("gru_all_ms"), row.get("attention_all_ms")
    if not gru or not other:
        gru, other = [row["gru_ms"]], [row["attention_ms"]]
    gru_low, gru_high = np.percentile(gru, [25, 75])
    other_low, other_high = np.percentile(other, [25, 75])
    if gru_high < other_low:
        return "gru"
    return "attention" if other_high < gru_low else "overlap"


def speed_verdict(rows: Sequence[dict]) -> tuple[str, int | None, list[int]]:
    """What the sweep says about speed: ("every", None, []) when the GRU was clearly faster at
    every length; ("from", L, overlapping lengths) when it was from length L on and neither was
    clearly faster below; ("mixed", None, []) otherwise (attention faster somewhere, or no
    length where the GRU clearly led)."""
    ordered = sorted(rows, key=lambda row: row["seq_len"])
    verdicts = [clearly_faster(row) for row in ordered]
    if verdicts and all(v == "gru" for v in verdicts):
        return "every", None, []
    if "attention" in verdicts or "gru" not in verdicts:
        return "mixed", None, []
    first = verdicts.index("gru")
    if all(v == "gru" for v in verdicts[first:]):
        return "from", ordered[first]["seq_len"], [row["seq_len"] for row in ordered[:first]]
    return "mixed", None, []


def has_accelerator(environment: dict) -> bool:
    """Whether the measuring machine named an accelerator (``run_environment``: a GPU's name,
    or "none (CPU only)")."""
    name = str(environment.get("accelerator", "")).strip().lower()
    return bool(name) and not name.startswith("none")


def load_average() -> float | None:
    """1-minute load average: a busy machine slows both models, so it is stored with them."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def load_timing(path=None) -> dict | None:
    """The committed sweep (``rnn-lab attention-timing --json --output ...``), or None."""
    data = read_json(TIMING_FILE if path is None else path)
    if not isinstance(data, dict) or not isinstance(data.get("points"), list):
        return None
    return data
