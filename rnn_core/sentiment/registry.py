"""The shipped IMDB models: finding them with their manifests, predicting, evaluating, benchmarking.

``models/imdb/<name>.keras`` + ``<name>.json`` (manifest written by ``training``). The page,
``rnn-lab predict``, ``eval-imdb`` and ``bench-imdb`` all go through ``Predictor`` so the figures
the benchmark reports are the ones a learner gets: one compiled ``tf.function`` per model whose
input is a 1-D string tensor of any length (traced once, so a review costs one graph call, not
one eager Python step per word).
"""

from __future__ import annotations

import json
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_core.runtime.machine import hardware
from rnn_core.storage import REPO_ROOT, read_json, write_json

MODELS_DIR = REPO_ROOT / "models" / "imdb"
MODELS_ENV = "RNN_LAB_IMDB_MODELS"  # another folder of models (tests, a deployment's own models)
# The kinds of model a manifest may name, in the course's order: simple → gated → bidirectional.
MODEL_KINDS = ("simple_rnn", "lstm", "gru", "bilstm", "bigru")
BENCH_FILE = "benchmark.json"
BENCH_REVIEW = (
    "I went in expecting very little, and for the first half hour the film did nothing to "
    "change my mind: the dialogue is stiff, the plot is borrowed from a dozen better thrillers "
    "and the lead seems bored. Then something changes. The score drops away, the camera slows "
    "down and the story finally trusts its actors. The last act is genuinely moving, and the "
    "final scene between the two brothers is one of the best things I have seen this year. "
    "It is not a perfect movie, and it is too long by twenty minutes, but I would recommend it "
    "to anyone who is patient enough to get past a weak start. ") * 2


def models_dir() -> Path:
    """``$RNN_LAB_IMDB_MODELS`` if set, else the shipped ``models/imdb``."""
    return Path(os.environ.get(MODELS_ENV) or MODELS_DIR)


def manifests(folder: Path | None = None) -> dict[str, dict]:
    """Every manifest with a matching .keras file, in the course's order (name → manifest)."""
    found = {}
    for path in sorted(Path(folder or models_dir()).glob("*.json")):
        if path.name != BENCH_FILE and path.with_suffix(".keras").is_file():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # an unreadable manifest: that model is not offered
            if isinstance(manifest, dict):
                found[path.stem] = manifest
    rank = {name: i for i, name in enumerate(MODEL_KINDS)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], 99), item[0])))


@dataclass
class Predictor:
    """A loaded model, its manifest and a compiled call on a batch of strings."""

    name: str
    model: object
    manifest: dict

    def __post_init__(self) -> None:
        import tensorflow as tf

        self._call = tf.function(lambda texts: self.model(texts, training=False),
                                 input_signature=[tf.TensorSpec([None], tf.string)],
                                 autograph=False)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        import tensorflow as tf

        return self._call(tf.constant(texts, dtype=tf.string)).numpy().reshape(-1)


def load_all(folder: Path | None = None, names: list[str] | None = None) -> dict[str, Predictor]:
    """Load the shipped models once (``safe_mode=True``); unknown names raise ValueError."""
    from rnn_core.sentiment import models

    folder = Path(folder or models_dir())
    available = manifests(folder)
    unknown = sorted(set(names or ()) - set(available))
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; shipped: {sorted(available)}")
    return {name: Predictor(name, models.load(folder / f"{name}.keras"), manifest)
            for name, manifest in available.items() if not names or name in names}


def load_usable(folder: Path | None = None) -> tuple[dict[str, Predictor], dict[str, str]]:
    """Every model that loads, and for each one that does not, why (name → error type).

    A corrupt, truncated or unreadable ``.keras`` file costs that model only: the page keeps
    the others and says which one is broken.
    """
    from rnn_core.sentiment import models

    folder = Path(folder or models_dir())
    usable, broken = {}, {}
    for name, manifest in manifests(folder).items():
        try:
            usable[name] = Predictor(name, models.load(folder / f"{name}.keras"), manifest)
        except Exception as error:  # Keras raises many kinds of error for a bad file
            broken[name] = type(error).__name__
    return usable, broken


def probabilities(predictor: Predictor, texts: list[str], batch_size: int = 128) -> list[float]:
    """Probabilities for many texts, batched by length so padding stays small."""
    order = np.argsort([len(text) for text in texts], kind="stable")
    result = np.zeros(len(texts), dtype=np.float64)
    for start in range(0, len(texts), batch_size):
        index = order[start : start + batch_size]
        result[index] = predictor.probabilities([texts[i] for i in index])
    return [float(p) for p in result]


def balanced_head(reviews, limit: int):
    """The first ``limit`` reviews of each label (all when ``limit`` is 0), for quick checks."""
    if limit <= 0:
        return reviews
    index = np.concatenate([np.flatnonzero(reviews.labels == label)[:limit] for label in (0, 1)])
    return reviews.subset(np.sort(index))


def evaluate(folder: Path | None, reviews, names: list[str] | None = None) -> dict[str, dict]:
    """Accuracy of each model on ``reviews`` (raw texts through the saved model's front end)."""
    labels = np.asarray(reviews.labels)
    results = {}
    for name, predictor in load_all(folder, names).items():
        probs = np.array(probabilities(predictor, reviews.texts))
        results[name] = {"accuracy": round(float(np.mean((probs >= 0.5) == labels)), 4),
                         "n": len(labels),
                         "manifest_test_accuracy": predictor.manifest.get("test", {}).get(
                             "accuracy")}
    return results


def rss_mib() -> float:
    """Resident memory of this process now (Linux /proc), else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentiles(call, repeats: int) -> dict[str, float]:
    call()  # the first call traces the graph
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(float(np.percentile(times, 50)), 2),
            "p90_ms": round(float(np.percentile(times, 90)), 2)}


def benchmark(folder: Path | None = None, repeats: int = 30, write: bool = False) -> dict:
    """Latency of one ~220-word review per model, and RSS before and after loading.

    ``page``: ``Explainer.explain`` — exactly what the page runs per model (verdict + word-by-word
    trajectory). ``predict``: ``Predictor.probabilities`` — the verdict alone (CLI, eval).
    """
    from rnn_core.sentiment import explain

    folder = Path(folder or models_dir())
    before = rss_mib()
    predictors = load_all(folder)
    explainers = {name: explain.Explainer(p) for name, p in predictors.items()}
    loaded = rss_mib()
    figures = {}
    for name, predictor in predictors.items():
        page = _percentiles(lambda e=explainers[name]: e.explain(BENCH_REVIEW), repeats)
        verdict = _percentiles(lambda p=predictor: p.probabilities([BENCH_REVIEW]), repeats)
        figures[name] = {"page_p50_ms": page["p50_ms"], "page_p90_ms": page["p90_ms"],
                         "predict_p50_ms": verdict["p50_ms"], "predict_p90_ms": verdict["p90_ms"],
                         "trajectory": explainers[name].explain(BENCH_REVIEW).method}
    result = {"review_words": len(BENCH_REVIEW.split()), "repeats": repeats,
              "rss_before_mib": before, "rss_all_loaded_mib": loaded,
              "rss_after_mib": rss_mib(), "models": figures,
              "page_total_p50_ms": round(sum(f["page_p50_ms"] for f in figures.values()), 1),
              "cpu_threads": os.cpu_count(), "load_average": _load_average()}
    if write:
        result["hardware"] = hardware()
        write_json(folder / BENCH_FILE, result)
    return result


def _load_average() -> float | None:
    """1-minute load average: the benchmark is only comparable on a similarly busy machine."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def load_benchmark(folder: Path | None = None) -> dict:
    """``benchmark.json`` of the models folder (``bench-imdb --write``), or {} without one."""
    found = read_json(Path(folder or models_dir()) / BENCH_FILE)
    return found if isinstance(found, dict) else {}


def latency_ms(benchmark: dict, name: str) -> float | None:
    """What a learner waits for one model on the page (verdict + word-by-word curve, p50), the
    figure every page calls that model's latency."""
    figures = benchmark.get("models", {}).get(name, {}) if isinstance(benchmark, dict) else {}
    value = figures.get("page_p50_ms") if isinstance(figures, dict) else None
    return float(value) if isinstance(value, int | float) else None


def model_figures(folder: Path | None = None) -> list[dict]:
    """One row per shipped model for a summary table: its figures from the manifest (``None``
    where one lacks them) and its latency from the benchmark."""
    benchmark = load_benchmark(folder)
    rows = []
    for name, manifest in manifests(folder).items():
        test = manifest.get("test") if isinstance(manifest.get("test"), dict) else {}
        rows.append({"name": name, "cell": manifest.get("cell", name),
                     "parameters": manifest.get("parameters"),
                     "file_bytes": manifest.get("file_bytes"),
                     "test_accuracy": test.get("accuracy"),
                     "latency_ms": latency_ms(benchmark, name)})
    return rows
