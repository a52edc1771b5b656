"""Word vectors learned from reviews *without* their labels (``rnn-lab pretrain-imdb``).

Why: 22,500 labelled reviews are too few for an embedding to learn what rare words mean; the
models memorise them and overfit after two or three epochs. The dataset also ships 50,000
reviews without labels. Word2vec (skip-gram with negative sampling) reads those plus the fit part
of train, never the validation hold-out or test, and learns a vector per word from the words
around it. ``train-imdb --word-vectors FILE`` starts each model's ``Embedding`` from these
vectors and fine-tunes them with the labels.

Tokens are exactly the models' tokens: the same ``CleanText`` layer, split at spaces.
The vectors file is an ``.npz`` (words, vectors, settings as JSON), written atomically; it is a
training input, not shipped: the vectors end up inside each ``.keras`` file.
"""

from __future__ import annotations

import json
import os
import re
import tarfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rnn_core.bounds import check_range
from rnn_core.sentiment import dataset
from rnn_core.storage import write_atomic

UNSUP_ARCHIVE = "aclImdb_unsup.tar.gz"
_UNSUP_MEMBER = re.compile(r"(?:^|/)train/unsup/\d+_\d+\.txt$")


BOUNDS: dict[str, tuple[int, int]] = {"dim": (8, 256), "window": (1, 20), "epochs": (1, 50),
                                      "min_count": (1, 100), "negative": (1, 30)}


@dataclass(frozen=True)
class VectorSettings:
    """Word2vec settings; saved with the vectors and in every manifest that uses them."""

    dim: int = 100
    window: int = 5
    epochs: int = 5
    min_count: int = 3
    negative: int = 5
    seed: int = 7

    def __post_init__(self) -> None:
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)


@dataclass(frozen=True)
class WordVectors:
    words: list[str]
    vectors: np.ndarray  # (len(words), dim) float32
    info: dict

    def lookup(self) -> dict[str, int]:
        return {word: i for i, word in enumerate(self.words)}


def unlabeled_texts(data: str | os.PathLike) -> list[str]:
    """The 50,000 unlabeled reviews: ``train/unsup/*.txt`` inside ``data`` (folder or archive)
    or in ``aclImdb_unsup.tar.gz`` beside it; [] when there are none."""
    data = Path(data)
    folder = data if data.is_dir() else data.parent
    texts: list[str] = []
    for candidate in (folder / UNSUP_ARCHIVE, data):
        if candidate.is_file() and candidate.name.endswith((".tar.gz", ".tgz")):
            texts = _read_unsup_tar(candidate)
        elif candidate.is_dir():
            base = candidate / "aclImdb" if (candidate / "aclImdb").is_dir() else candidate
            texts = [file.read_text(encoding="utf-8")
                     for file in sorted((base / "train" / "unsup").glob("*.txt"))]
        if texts:
            break
    return texts


def _read_unsup_tar(path: Path) -> list[str]:
    found = []
    with tarfile.open(path, mode="r:gz") as archive:
        for member in archive:
            if member.isfile() and _UNSUP_MEMBER.search(member.name):
                handle = archive.extractfile(member)
                if handle is not None:
                    found.append((member.name, handle.read().decode("utf-8")))
    return [text for _, text in sorted(found)]


def tokenize(texts: list[str], chunk: int = 5000) -> list[list[str]]:
    """The models' own tokens: ``CleanText`` (the layer inside every model), split at spaces."""
    from rnn_core.sentiment.text import clean_texts

    tokens = []
    for start in range(0, len(texts), chunk):
        tokens.extend(text.split() for text in clean_texts(texts[start : start + chunk]))
    return tokens


def train_vectors(texts: list[str], settings: VectorSettings, workers: int = 2) -> WordVectors:
    """Skip-gram word2vec over ``texts`` (gensim, imported only here: a training-time tool)."""
    from gensim.models import Word2Vec

    started = time.perf_counter()
    sentences = tokenize(texts)
    model = Word2Vec(sentences, vector_size=settings.dim, window=settings.window, sg=1,
                     negative=settings.negative, min_count=settings.min_count,
                     epochs=settings.epochs, seed=settings.seed, workers=workers)
    words = list(model.wv.index_to_key)
    info = {"method": "word2vec skip-gram (gensim)", "settings": asdict(settings),
            "reviews": len(texts), "tokens": int(sum(len(s) for s in sentences)),
            "words": len(words), "workers": workers,
            "seconds": round(time.perf_counter() - started, 1)}
    return WordVectors(words, model.wv.vectors.astype(np.float32), info)


def save(path: str | os.PathLike, vectors: WordVectors) -> None:
    """The vectors as an ``.npz`` (plain arrays, no pickles), written atomically."""
    words = np.array(vectors.words, dtype=object).astype(str)
    info = np.array(json.dumps(vectors.info))
    write_atomic(Path(path), lambda p: np.savez(p, words=words, vectors=vectors.vectors,
                                                info=info), suffix=".npz")


def load(path: str | os.PathLike) -> WordVectors:
    with np.load(Path(path), allow_pickle=False) as stored:
        return WordVectors([str(w) for w in stored["words"]], stored["vectors"].astype(np.float32),
                           json.loads(str(stored["info"])))


def embedding_matrix(vocabulary: list[str], vectors: WordVectors, seed: int,
                     rows: int = 0) -> tuple[np.ndarray, float]:
    """Initial ``Embedding`` weights for a ``TextVectorization`` vocabulary, and the share of
    its words (padding and [UNK] aside) that had a pretrained vector.

    Words without one start as random vectors of the same spread; padding starts at zero (it is
    masked anyway). ``rows``: the embedding's size when the vocabulary came out smaller.
    """
    index = vectors.lookup()
    spread = float(vectors.vectors.std())
    rng = np.random.default_rng(seed)
    shape = (max(rows, len(vocabulary)), vectors.vectors.shape[1])
    matrix = rng.normal(0.0, spread, shape).astype(np.float32)
    matrix[0] = 0.0
    found = 0
    for row, word in enumerate(vocabulary[2:], start=2):
        if word in index:
            matrix[row] = vectors.vectors[index[word]]
            found += 1
    return matrix, found / max(len(vocabulary) - 2, 1)


def pretrain(data: str | os.PathLike, settings: VectorSettings, out: str | os.PathLike,
             workers: int = 2) -> dict:
    """Read the unlabeled reviews and the fit part of train, learn vectors, save them."""
    unlabeled = unlabeled_texts(data)
    reviews = dataset.load_reviews(data, ("train",))
    fit_part, _validation = dataset.split_validation(reviews["train"])
    vectors = train_vectors(unlabeled + fit_part.texts, settings, workers)
    vectors.info.update({"unlabeled_reviews": len(unlabeled), "train_fit_reviews": len(fit_part),
                         "data_fingerprint": dataset.fingerprint(reviews)})
    save(out, vectors)
    return vectors.info
