"""Pretrained word vectors: what they read (never validation or test), what they learn, and how
a model starts from them."""

from __future__ import annotations

import json
import tarfile

import numpy as np
import pytest

pytest.importorskip("gensim")
pytest.importorskip("keras")

from rnn_core import cli
from rnn_core.sentiment import dataset, models, pretrain, training
from rnn_core.sentiment.text import make_vectorizer
from tests.test_imdb_data import write_layout

UNSUP = {"aclImdb/train/unsup/0_0.txt": "An unlabeled review, fine.",
         "aclImdb/train/unsup/1_0.txt": "Another one without a label."}


def _with_unsup(root, as_archive: bool):
    data = write_layout(root / "data")
    for name, text in UNSUP.items():
        if not as_archive:
            (data / name).parent.mkdir(parents=True, exist_ok=True)
            (data / name).write_text(text, encoding="utf-8")
    if as_archive:
        staging = root / "staging"
        for name, text in UNSUP.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")
        with tarfile.open(data / pretrain.UNSUP_ARCHIVE, "w:gz") as tar:
            tar.add(staging / "aclImdb", arcname="aclImdb")
    return data


@pytest.mark.parametrize("as_archive", [True, False])
def test_unlabeled_reviews_are_found_in_a_folder_or_the_archive_beside_it(tmp_path, as_archive):
    data = _with_unsup(tmp_path, as_archive)
    assert pretrain.unlabeled_texts(data) == list(UNSUP.values())
    assert pretrain.unlabeled_texts(write_layout(tmp_path / "plain")) == []


def test_vectors_never_read_validation_or_test_reviews(tmp_path):
    data = _with_unsup(tmp_path, as_archive=True)
    train = dataset.load_reviews(data, ("train",))["train"]
    fit, validation = dataset.split_validation(train)
    seen = _words(fit.texts + list(UNSUP.values()))
    held_out_only = _words(validation.texts) - seen
    test_only = _words(dataset.load_reviews(data, ("test",))["test"].texts) - seen
    assert held_out_only and test_only
    out = tmp_path / "vectors.npz"
    assert cli.main(["pretrain-imdb", "--data", str(data), "--out", str(out), "--dim", "8",
                     "--min-count", "1", "--epochs", "1", "--workers", "1", "--json"]) == 0
    vectors = pretrain.load(out)
    assert set(vectors.words) == seen
    assert vectors.info["unlabeled_reviews"] == 2 and vectors.info["train_fit_reviews"] == len(fit)
    assert vectors.vectors.shape == (len(seen), 8)


def _words(texts: list[str]) -> set[str]:
    return {word for tokens in pretrain.tokenize(texts) for word in tokens}


def test_word2vec_puts_words_used_alike_close_together():
    rng = np.random.default_rng(0)
    texts = []
    for _ in range(600):
        adjective = rng.choice(["good", "great", "superb"])
        texts.append(f"the film was {adjective} and i loved every minute of it")
        noun = rng.choice(["cat", "dog", "horse"])
        texts.append(f"a {noun} sat on the mat near the barn door")
    vectors = pretrain.train_vectors(texts, pretrain.VectorSettings(
        dim=16, epochs=10, min_count=1), workers=1)
    table = {word: vectors.vectors[i] for i, word in enumerate(vectors.words)}

    def cosine(a: str, b: str) -> float:
        return float(table[a] @ table[b] / np.linalg.norm(table[a]) / np.linalg.norm(table[b]))

    assert cosine("good", "great") > cosine("good", "dog") + 0.3
    assert cosine("cat", "dog") > cosine("cat", "superb") + 0.3
    assert vectors.info["tokens"] == 600 * 11 + 600 * 10


def test_embedding_starts_from_the_vectors_where_they_exist(tmp_path):
    vectors = pretrain.WordVectors(["good", "bad"], np.array([[1, 2], [3, 4]], np.float32),
                                        {"method": "test"})
    pretrain.save(tmp_path / "v.npz", vectors)
    loaded = pretrain.load(tmp_path / "v.npz")
    assert loaded.words == ["good", "bad"] and loaded.info == {"method": "test"}
    vectorizer = make_vectorizer(1000)
    vectorizer.adapt(["good good good bad bad unseen"])
    hp = models.HyperParameters(embedding_dim=2, units=4, vocab_size=1000,
                                     word_vectors=str(tmp_path / "v.npz"))
    layers = models.build_core_layers(hp)
    models.build_core(hp, layers)
    info = training._start_from_vectors(layers[0], vectorizer, hp)
    weights = layers[0].get_weights()[0]
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"] and np.all(weights[0] == 0)
    assert weights.shape == (1000, 2)  # the embedding's size, not the (smaller) vocabulary's
    np.testing.assert_array_equal(weights[vocabulary.index("good")], [1, 2])
    np.testing.assert_array_equal(weights[vocabulary.index("bad")], [3, 4])
    assert info["vocabulary_coverage"] == pytest.approx(2 / 3, abs=1e-4)
    wrong = models.HyperParameters(embedding_dim=3, units=4, vocab_size=1000,
                                        word_vectors=str(tmp_path / "v.npz"))
    with pytest.raises(ValueError, match="2-dimensional"):
        training._start_from_vectors(layers[0], vectorizer, wrong)


def test_train_imdb_records_the_pretraining_in_the_manifest(tmp_path):
    data = _with_unsup(tmp_path, as_archive=False)
    vectors = tmp_path / "vectors.npz"
    assert cli.main(["pretrain-imdb", "--data", str(data), "--out", str(vectors), "--dim", "8",
                     "--min-count", "1", "--epochs", "1", "--workers", "1"]) == 0
    out = tmp_path / "models"
    assert cli.main(["train-imdb", "--data", str(data), "--cell", "lstm", "--out", str(out),
                     "--vocab-size", "1000", "--max-len", "16", "--embedding-dim", "8",
                     "--units", "4", "--max-epochs", "1", "--batch-size", "2",
                     "--word-vectors", str(vectors)]) == 0
    manifest = json.loads((out / "lstm.json").read_text())
    assert manifest["hyperparameters"]["word_vectors"] == str(vectors)
    assert manifest["pretraining"]["method"].startswith("word2vec")
    assert 0 < manifest["pretraining"]["vocabulary_coverage"] <= 1


def test_a_fixed_embedding_keeps_the_pretrained_vectors(tmp_path):
    data = _with_unsup(tmp_path, as_archive=False)
    vectors_path = tmp_path / "vectors.npz"
    assert cli.main(["pretrain-imdb", "--data", str(data), "--out", str(vectors_path),
                     "--dim", "8", "--min-count", "1", "--epochs", "1", "--workers", "1"]) == 0
    out = tmp_path / "models"
    assert cli.main(["train-imdb", "--data", str(data), "--cell", "gru", "--out", str(out),
                     "--vocab-size", "1000", "--max-len", "16", "--embedding-dim", "8",
                     "--units", "4", "--max-epochs", "2", "--batch-size", "1",
                     "--word-vectors", str(vectors_path), "--no-train-embedding"]) == 0
    model = models.load(out / "gru.keras")
    vocabulary = model.get_layer("vectorize").get_vocabulary()
    weights = model.get_layer("embedding").get_weights()[0]
    vectors = pretrain.load(vectors_path)
    shared = set(vocabulary[2:]) & set(vectors.words)
    assert len(shared) >= 3
    for word in shared:
        np.testing.assert_array_equal(weights[vocabulary.index(word)],
                                      vectors.vectors[vectors.words.index(word)])
    assert model.get_layer("rnn").trainable  # only the embedding was held fixed


def test_a_fixed_embedding_needs_pretrained_vectors():
    with pytest.raises(ValueError, match="train_embedding"):
        models.HyperParameters(train_embedding=False)
