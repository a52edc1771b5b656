"""The IMDB pipeline as code: the generated script builds the shipped models, layer for layer and
parameter for parameter; the classic tutorial's script runs (offline, on stand-in data)."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from rnn_core.sentiment import codegen, models, registry

SHIPPED = registry.manifests(registry.MODELS_DIR)
TINY = models.HyperParameters(cell="lstm", vocab_size=1000, max_len=12, embedding_dim=8,
                              units=4, max_epochs=1)


def _layers(model) -> list[tuple[str, str, int]]:
    return [(layer.name, type(layer).__name__, int(layer.count_params()))
            for layer in model.layers]


def _run(code: str, **given) -> dict:
    namespace = dict(given)
    exec(compile(code, "<generated>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("name", sorted(SHIPPED) or ["none"])
def test_generated_definition_is_the_shipped_model(name):
    if name not in SHIPPED:
        pytest.skip("no shipped IMDB models")
    manifest = SHIPPED[name]
    hp = models.HyperParameters.from_manifest(manifest["hyperparameters"])
    namespace = _run("import keras\nfrom rnn_core.sentiment.models import MaskedMaxMeanPool\n"
                     + codegen.definition_code(hp))
    real = models.build_core(hp, models.build_core_layers(hp))
    assert _layers(namespace["core"]) == _layers(real)
    assert namespace["core"].count_params() == manifest["parameters"]
    for ours, theirs in zip(_leaf_layers(namespace["core"]), _leaf_layers(real), strict=True):
        for key in codegen.LAYER_ARGUMENTS[type(theirs).__name__]:
            assert ours.get_config()[key] == theirs.get_config()[key], (theirs.name, key)


def _leaf_layers(model) -> list:
    """The layers codegen writes out, looking inside Bidirectional (forward, backward)."""
    found = []
    for layer in model.layers[1:]:  # the Input layer is not written as a layer
        inner = getattr(layer, "forward_layer", None)
        found += [inner, layer.backward_layer] if inner is not None else [layer]
    return found


@pytest.mark.parametrize("name", sorted(SHIPPED) or ["none"])
def test_generated_text_model_has_the_shipped_files_layers(name, tmp_path):
    """Definition + text front end (as the page shows them), on a vocabulary adapted to a few
    words, against the shipped .keras file loaded with safe_mode."""
    if name not in SHIPPED:
        pytest.skip("no shipped IMDB models")
    hp = models.HyperParameters.from_manifest(SHIPPED[name]["hyperparameters"])
    code = codegen.definition_code(hp) + codegen.text_model_code(hp)
    header = ("import keras\nfrom rnn_core.sentiment.models import MaskedMaxMeanPool\n"
              "from rnn_core.sentiment.text import CleanText, Truncate\n")
    namespace = _run(header + code, fit_texts=["a good film", "a bad film"])
    shipped = models.load(registry.MODELS_DIR / f"{name}.keras")
    ours = [(n, kind) for n, kind, _ in _layers(namespace["model"])]
    assert ours == [(n, kind) for n, kind, _ in _layers(shipped)]
    assert models.count_params(namespace["model"]) == models.count_params(shipped)
    assert namespace["model"].get_layer("truncate").get_config() == \
        shipped.get_layer("truncate").get_config()


def test_generated_values_come_from_the_hyperparameters():
    hp = models.HyperParameters(cell="bigru", vocab_size=12_345, embedding_dim=24, units=7,
                                spatial_dropout=0.15, dropout=0.25, learning_rate=0.004,
                                max_epochs=3, patience=2, max_len=90, keep="first")
    code = codegen.shipped_code(hp)
    for fragment in ("Embedding(12345, 24, mask_zero=True", "SpatialDropout1D(0.15",
                     "GRU(7, return_sequences=True", "go_backwards=True", "Dropout(0.25",
                     "learning_rate=0.004", "epochs=3", "patience=2",
                     'Truncate(90, keep="first"'):
        assert fragment in code, fragment
    assert "WORD_VECTORS" not in code  # no pretrained start unless the model had one
    ast.parse(code)


def test_the_whole_generated_script_trains_and_saves(tmp_path, monkeypatch):
    """Every line runs: definition, text front end, compile, fit (two tiny batches), save."""
    import tensorflow as tf

    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)

    def batches():
        ids = rng.integers(2, 40, (8, 12)).astype("int32")
        return tf.data.Dataset.from_tensor_slices((ids, rng.integers(0, 2, 8).astype(
            "float32"))).batch(4)

    _run(codegen.shipped_code(TINY), fit_texts=["a good film", "a bad film", "fine"],
         train_batches=batches(), validation_batches=batches())
    loaded = models.load(tmp_path / "lstm.keras")
    assert loaded(tf.constant(["a good film"])).shape == (1, 1)


def test_the_word_vector_start_runs_when_the_model_had_one(tmp_path, monkeypatch):
    from rnn_core.sentiment import pretrain

    monkeypatch.chdir(tmp_path)
    vectors = pretrain.WordVectors(["good", "film"], np.ones((2, 8), np.float32), {"m": "x"})
    pretrain.save(tmp_path / "word_vectors.npz", vectors)
    hp = models.HyperParameters(**{**TINY.as_dict(), "word_vectors": "word_vectors.npz"})
    code = codegen.shipped_code(hp)
    assert "pretrain.embedding_matrix" in code
    assert "unlabeled and the\n# training reviews" in code  # the vectors saw both (pretraining)
    fit_part = code[: code.index("core.compile(")]
    namespace = _run(fit_part, fit_texts=["a good film"])
    row = namespace["vectorize"].get_vocabulary().index("good")
    embedding = namespace["core"].get_layer("embedding").get_weights()[0]
    assert np.allclose(embedding[row], 1.0)


def test_classic_tutorial_code_runs_offline(monkeypatch):
    """keras.datasets.imdb.load_data would download: stand-in sequences of word ranks instead,
    so the rest of the tutorial (pad_sequences, the LSTM, fit) runs as written."""
    import keras

    rng = np.random.default_rng(1)

    def load_data(path="imdb.npz", num_words=None, **_):
        assert path == "imdb.npz" and num_words == 20_000
        def split(n):
            return ([list(rng.integers(1, num_words, rng.integers(5, 300))) for _ in range(n)],
                    rng.integers(0, 2, n))
        return split(48), split(16)

    monkeypatch.setattr(keras.datasets.imdb, "load_data", load_data)
    namespace = _run(codegen.CLASSIC_CODE)
    assert namespace["x_train"].shape == (48, 200)
    assert namespace["model"].count_params() == 20_000 * 128 + 4 * (128 * 64 + 64 * 64 + 64) + 65
    assert (namespace["x_train"][:, 0] == 0).any()  # short reviews padded at the front


@pytest.mark.skipif(not SHIPPED, reason="no shipped IMDB models in models/imdb")
def test_the_differences_table_reads_its_numbers_from_the_manifests():
    """Every number of "what differs, and why" follows the shipped models' settings, the
    validation split the training uses, the classic script and the committed review count."""
    from rnn_core.sentiment.dataset import VALIDATION_FRACTION

    lengths = codegen.load_lengths()
    values = codegen.difference_values(SHIPPED, lengths)
    first = next(iter(SHIPPED.values()))
    hp = models.HyperParameters.from_manifest(first["hyperparameters"])
    assert (values["max_len"], values["dim"]) == (hp.max_len, hp.embedding_dim)
    assert (values["spatial"], values["dropout"]) == (f"{hp.spatial_dropout:g}", f"{hp.dropout:g}")
    assert values["vector_reviews"] == f"{first['pretraining']['reviews']:,}"
    assert values["train_reviews"] == f"{first['train_n']:,}"
    assert values["validation"] == f"{VALIDATION_FRACTION:.0%}"
    assert values["best_low"] == min(m["best_epoch"] for m in SHIPPED.values())
    # the text says "last N words" and "word2vec vectors ... then fine-tuned": true of every model
    for manifest in SHIPPED.values():
        stored = models.HyperParameters.from_manifest(manifest["hyperparameters"])
        assert stored.keep == "last" and stored.word_vectors and stored.train_embedding
    assert f"MAX_LEN = 20_000, {values['classic_len']}" in codegen.CLASSIC_CODE
    assert f"Embedding(VOCABULARY, {values['classic_dim']})" in codegen.CLASSIC_CODE
    assert lengths is not None and values["share"] == f"{lengths['within_share']:.1%}"
    assert lengths["max_len"] == hp.max_len  # the count is for the window the models use
    with pytest.raises(ValueError):
        codegen.difference_values({"broken": {"hyperparameters": {"cell": "nope"}}}, None)


def test_the_committed_review_count_agrees_with_the_sample(capsys):
    """results/review_lengths.json (25,000 training reviews) against the 2,000-review sample
    measured now, by the same command: the share within the window agrees to 1.5 points, and
    the sentiment page's "98% of reviews are shorter" is that share, rounded."""
    from rnn_core import i18n
    from rnn_core.sentiment import dataset
    from tests.test_cli import run_json

    sample = dataset.sample_path()  # next to the data ($RNN_LAB_DATA or ../shared/data)
    if sample is None:
        pytest.skip("no IMDB sample CSV next to the data")
    committed = codegen.load_lengths()
    measured = run_json(capsys, "review-lengths", "--data", str(sample))
    assert measured["reviews"] == 1000 and measured["max_len"] == committed["max_len"] == 800
    assert abs(measured["within_share"] - committed["within_share"]) < 0.015
    assert committed["command"].startswith("rnn-lab review-lengths --split train --max-len 800")
    assert f"{committed['within_share']:.0%} of" in i18n.translate("sentiment.how_text", "en")
