"""Training one IMDB model (``rnn-lab train-imdb``) and writing its ``.keras`` file + manifest.

Never trains on test: the vocabulary is adapted on the fit part of train only, early stopping
watches a seeded validation hold-out of train, and test is only evaluated once at the end.
Batches are bucketed by length (sorted, then shuffled as whole batches) so a CPU does not spend
its time on padding; the saved model still takes raw strings (see ``models``).
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnn_core.runtime.keras_fixes import keep_graphs_collectable
from rnn_core.runtime.machine import hardware
from rnn_core.sentiment import dataset, models, pretrain
from rnn_core.sentiment.text import CleanText, Truncate, make_vectorizer
from rnn_core.storage import write_atomic, write_json

BUCKET_ROUND = 16  # batch lengths are rounded up to a multiple of this (fewer graph shapes)
MISCLASSIFIED_SHOWN = 6
LOSS = "binary_crossentropy"
METRICS = ("accuracy",)
EARLY_STOPPING_MONITOR = "val_accuracy"
VALIDATION_BATCH = 256  # batch size for the validation pass (it only predicts)


def vectorize(texts: list[str], vectorizer, hp, chunk: int = 2000) -> np.ndarray:
    """(n, max_len) int32 ids, zero-padded at the end, through the model's own front end
    (the same CleanText, vocabulary and Truncate as the saved model)."""
    clean, truncate = CleanText(), Truncate(hp.max_len, hp.keep)
    out = np.zeros((len(texts), hp.max_len), dtype=np.int32)
    for start in range(0, len(texts), chunk):
        ids = truncate(vectorizer(clean(tf.constant(texts[start : start + chunk])))).numpy()
        out[start : start + len(ids), : ids.shape[1]] = ids
    return out


def bucket_batches(ids: np.ndarray, labels: np.ndarray, batch_size: int,
                   rng: np.random.Generator | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Batches of similar length, each cut to its longest review (rounded up to BUCKET_ROUND).

    With ``rng`` the order is noisy-sorted and the batch order shuffled (training); without,
    plain sorted (evaluation).
    """
    lengths = np.maximum((ids != 0).sum(axis=1), 1)
    keys = lengths + (rng.uniform(0, 8, len(lengths)) if rng is not None else 0)
    order = np.argsort(keys, kind="stable")
    batches = []
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        width = int(-(-lengths[index].max() // BUCKET_ROUND) * BUCKET_ROUND)
        batches.append((ids[index, :width], labels[index].astype(np.float32)))
    if rng is not None:
        rng.shuffle(batches)
    return batches


def _dataset(make: Callable[[], list]) -> tf.data.Dataset:
    def generate() -> Iterator:
        yield from make()

    signature = (tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.float32))
    return tf.data.Dataset.from_generator(generate, output_signature=signature).prefetch(2)


def _predict_ids(core: keras.Model, ids: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Probabilities for pre-vectorized reviews through one traced graph (eager RNN loops are
    many times slower)."""
    call = tf.function(lambda batch: core(batch, training=False),
                       input_signature=[tf.TensorSpec([None, None], tf.int32)],
                       autograph=False)
    lengths = np.maximum((ids != 0).sum(axis=1), 1)
    order = np.argsort(lengths, kind="stable")
    probs = np.zeros(len(ids), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        width = int(lengths[index].max())
        probs[index] = call(tf.constant(ids[index, :width])).numpy().reshape(-1)
    return probs


def confusion(labels: np.ndarray, probs: np.ndarray) -> dict:
    predicted = probs >= 0.5
    return {"true_neg": int(np.sum(~predicted & (labels == 0))),
            "false_pos": int(np.sum(predicted & (labels == 0))),
            "false_neg": int(np.sum(~predicted & (labels == 1))),
            "true_pos": int(np.sum(predicted & (labels == 1)))}


def misclassified(reviews: dataset.Reviews, probs: np.ndarray, shown: int) -> list[dict]:
    """The most confidently wrong short validation reviews (for the model card)."""
    wrong = np.flatnonzero((probs >= 0.5) != (reviews.labels == 1))
    short = [i for i in wrong if len(reviews.texts[i]) <= 700] or list(wrong)
    short.sort(key=lambda i: -abs(float(probs[i]) - 0.5))
    return [{"name": reviews.names[i], "label": int(reviews.labels[i]),
             "probability": round(float(probs[i]), 4), "text": reviews.texts[i]}
            for i in short[:shown]]


def check_round_trip(path: Path, model: keras.Model, texts: list[str]) -> float:
    """Largest difference between the in-memory model and the file loaded with safe_mode."""
    loaded = models.load(path)
    batch = tf.constant(texts)
    return float(np.max(np.abs(loaded(batch).numpy() - model(batch).numpy())))


def _start_from_vectors(embedding: keras.layers.Embedding, vectorizer,
                        hp: models.HyperParameters) -> dict:
    """Set the embedding to the pretrained word vectors; what they were, for the manifest."""
    vectors = pretrain.load(hp.word_vectors)
    if vectors.vectors.shape[1] != hp.embedding_dim:
        raise ValueError(f"{hp.word_vectors}: {vectors.vectors.shape[1]}-dimensional vectors, "
                         f"but embedding_dim is {hp.embedding_dim}")
    matrix, coverage = pretrain.embedding_matrix(vectorizer.get_vocabulary(), vectors,
                                                      hp.seed, rows=hp.vocab_size)
    embedding.set_weights([matrix])
    return {**vectors.info, "vocabulary_coverage": round(coverage, 4)}


def compile_core(core: keras.Model, hp: models.HyperParameters) -> None:
    """The optimizer, loss and metric every shipped model was trained with."""
    keep_graphs_collectable()
    core.compile(optimizer=keras.optimizers.Adam(hp.learning_rate), loss=LOSS,
                 metrics=list(METRICS))


def early_stopping(hp: models.HyperParameters) -> keras.callbacks.EarlyStopping:
    """Stop when validation accuracy stops improving and go back to the best epoch's weights."""
    return keras.callbacks.EarlyStopping(monitor=EARLY_STOPPING_MONITOR, patience=hp.patience,
                                         restore_best_weights=True, verbose=1)


def train(data: Path, hp: models.HyperParameters, out_dir: Path, name: str,
          log: Callable[[str], None] = print) -> dict:
    """Train, evaluate and save ``out_dir/<name>.keras`` and ``out_dir/<name>.json``."""
    started = time.perf_counter()
    reviews = dataset.load_reviews(data)
    if "train" not in reviews:
        raise ValueError(f"{data}: no train split to learn from")
    fit_part, val_part = dataset.split_validation(reviews["train"])
    vectorizer = make_vectorizer(hp.vocab_size)
    clean = CleanText()
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices(fit_part.texts).batch(1000).map(clean))
    fit_ids = vectorize(fit_part.texts, vectorizer, hp)
    val_ids = vectorize(val_part.texts, vectorizer, hp)
    log(f"vectorized {len(fit_part)} + {len(val_part)} reviews in "
        f"{time.perf_counter() - started:.0f} s")

    layers = models.build_core_layers(hp)
    core = models.build_core(hp, layers)
    pretraining = _start_from_vectors(layers[0], vectorizer, hp) if hp.word_vectors else None
    compile_core(core, hp)
    rng = np.random.default_rng(hp.seed)
    train_data = _dataset(lambda: bucket_batches(fit_ids, fit_part.labels, hp.batch_size, rng))
    val_data = _dataset(lambda: bucket_batches(val_ids, val_part.labels, VALIDATION_BATCH,
                                               None))
    stop = early_stopping(hp)
    fit_started = time.perf_counter()
    history = core.fit(train_data, validation_data=val_data, epochs=hp.max_epochs,
                       callbacks=[stop], verbose=2)
    fit_seconds = time.perf_counter() - fit_started

    val_probs = _predict_ids(core, val_ids)
    manifest = {
        "name": name, "cell": hp.cell, "hyperparameters": hp.as_dict(),
        "vocabulary_size": int(vectorizer.vocabulary_size()),
        "epochs_run": len(history.history["loss"]),
        "best_epoch": int(np.argmax(history.history["val_accuracy"])) + 1,
        "history": {key: [round(float(v), 4) for v in values]
                    for key, values in history.history.items()},
        "validation": {"n": len(val_part), "seed": dataset.VALIDATION_SEED,
                       "accuracy": round(float(np.mean((val_probs >= 0.5) == val_part.labels)), 4)},
        "train_n": len(fit_part),
        "misclassified_validation": misclassified(val_part, val_probs, MISCLASSIFIED_SHOWN),
        "data_fingerprint": dataset.fingerprint(reviews), "data_source": Path(data).name,
    }
    if pretraining:
        manifest["pretraining"] = pretraining
    if "test" in reviews:
        test_probs = _predict_ids(core, vectorize(reviews["test"].texts, vectorizer, hp))
        manifest["test"] = {"n": len(reviews["test"]), **confusion(reviews["test"].labels,
                                                                    test_probs),
                            "accuracy": round(float(np.mean(
                                (test_probs >= 0.5) == reviews["test"].labels)), 4)}
    text_model = models.build_text_model(hp, vectorizer, layers)
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{name}.keras"
    write_atomic(model_path, text_model.save, suffix=".keras")
    round_trip = check_round_trip(model_path, text_model, val_part.texts[:32])
    if round_trip > 1e-5:
        raise RuntimeError(f"{model_path}: the loaded model differs by {round_trip:.2g}")
    manifest.update({
        "parameters": models.count_params(text_model),
        "file_bytes": model_path.stat().st_size,
        "round_trip_max_difference": round_trip,
        "fit_seconds": round(fit_seconds, 1),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "hardware": hardware(),
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                     "python": platform.python_version()},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    write_json(out_dir / f"{name}.json", manifest)
    return manifest
