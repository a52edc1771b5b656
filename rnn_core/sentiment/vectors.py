"""What a shipped model's ``Embedding`` holds: one vector per word, its nearest neighbours, a map.

``Embedding(20000, 100)`` is a table of 20,000 rows of 100 numbers: the model turns the word
with id i into row i, nothing more. Row 0 is padding (masked, never read) and row 1 is [UNK],
the one vector every out-of-vocabulary word shares. The shipped models' tables started from
word2vec vectors learned on the unlabeled and the training reviews, text only (``pretrain``),
and were then fine-tuned with the labels, so words that were used alike *and* that pushed the
verdict alike end up close.

Closeness is cosine similarity, cos(a, b) = a·b / (|a| |b|): the angle between two rows, blind to
their lengths. The 2-D map is a principal component analysis of the chosen words only: the two
directions along which those vectors differ most, with the share of their variance it keeps.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np

from rnn_core.bounds import check_range

DEFAULT_MODEL = "gru"
TOP_BOUND = (1, 50)
DEFAULT_TOP = 10
MAX_QUERY_CHARS = 60  # one word, with room for a typo or two
MAP_WORDS_BOUND = (3, 40)  # how many words the map takes
DEFAULT_MAP_WORDS = ("good", "great", "excellent", "wonderful", "bad", "awful", "terrible",
                     "boring", "funny", "scary", "actor", "actress", "movie", "film", "plot",
                     "story")
PADDING_ID, OOV_ID = 0, 1
SUGGESTIONS = 5
SUGGESTION_CUTOFF = 0.75  # difflib's similarity ratio for a "did you mean"


@dataclass(frozen=True)
class EmbeddingTable:
    """A model's vocabulary and embedding matrix, with unit-length rows for cosines."""

    vocabulary: tuple[str, ...]
    vectors: np.ndarray  # (vocabulary, dim) float32
    unit: np.ndarray = field(init=False, repr=False)
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        unit = np.divide(self.vectors, norms, out=np.zeros_like(self.vectors), where=norms > 0)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.vocabulary)
                                           if i not in (PADDING_ID, OOV_ID)})

    @classmethod
    def from_model(cls, model) -> EmbeddingTable:
        """From a loaded shipped model (its ``vectorize`` and ``embedding`` layers)."""
        vocabulary = tuple(str(w) for w in model.get_layer("vectorize").get_vocabulary())
        matrix = np.asarray(model.get_layer("embedding").get_weights()[0], dtype=np.float32)
        return cls(vocabulary, matrix[: len(vocabulary)])

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def cosine(self, a: str, b: str) -> float | None:
        """cos(a, b), or None when either word is out of vocabulary."""
        if a not in self.index or b not in self.index:
            return None
        return float(self.unit[self.index[a]] @ self.unit[self.index[b]])


@dataclass(frozen=True)
class Neighbours:
    """What a query found: the word looked up and its closest words, or why there are none."""

    query: str  # the text as typed (bounded)
    word: str  # the cleaned token looked up ("" when nothing was left)
    word_id: int | None  # its row in the embedding; None out of vocabulary
    neighbours: tuple[tuple[str, float], ...]  # (word, cosine), closest first
    suggestions: tuple[str, ...] = ()  # close spellings in the vocabulary (out of vocabulary)
    ignored: tuple[str, ...] = ()  # further words of the query, not looked up

    @property
    def known(self) -> bool:
        return self.word_id is not None

    @property
    def reason(self) -> str | None:
        """Why there are no neighbours (None when there are): ``empty`` (nothing left after
        cleaning), ``non_english`` (mostly letters outside ASCII: the models read English) or
        ``out_of_vocabulary`` (an English-looking word the model does not know: see the
        suggestions)."""
        from rnn_core.sentiment.user_text import NON_ENGLISH_SHARE, letter_shares

        if self.known:
            return None
        if not self.word:
            return "empty"
        ascii_letters, other = letter_shares(self.word)
        if other and other / (ascii_letters + other) > NON_ENGLISH_SHARE:
            return "non_english"
        return "out_of_vocabulary"

    def to_dict(self) -> dict:
        return {"query": self.query, "word": self.word, "in_vocabulary": self.known,
                "reason": self.reason, "id": self.word_id,
                "neighbours": [{"word": w, "cosine": round(c, 4)} for w, c in self.neighbours],
                "suggestions": list(self.suggestions), "ignored": list(self.ignored)}


def query_words(query: str) -> list[str]:
    """The query cut to ``MAX_QUERY_CHARS`` and cleaned exactly as the models clean reviews."""
    from rnn_core.sentiment.text import clean_texts

    return clean_texts([str(query)[:MAX_QUERY_CHARS]])[0].split()


def nearest(table: EmbeddingTable, word_id: int, top: int = DEFAULT_TOP) -> list[tuple[str, float]]:
    """The ``top`` words with the highest cosine to row ``word_id`` (itself, padding and [UNK]
    left out)."""
    check_range("top", top, TOP_BOUND, whole=True)
    cosines = table.unit @ table.unit[word_id]  # (vocabulary,)
    cosines[[PADDING_ID, OOV_ID, word_id]] = -np.inf
    best = np.argpartition(-cosines, top)[:top]
    best = best[np.argsort(-cosines[best], kind="stable")]
    return [(table.vocabulary[i], float(cosines[i])) for i in best]


def neighbours(table: EmbeddingTable, query: str, top: int = DEFAULT_TOP) -> Neighbours:
    """Look up the first word of ``query``; out of vocabulary, suggest close spellings."""
    query = str(query)[:MAX_QUERY_CHARS]
    words = query_words(query)
    if not words:
        return Neighbours(query, "", None, ())
    word, ignored = words[0], tuple(words[1:])
    word_id = table.index.get(word)
    if word_id is None:
        close = difflib.get_close_matches(word, table.index, n=SUGGESTIONS,
                                          cutoff=SUGGESTION_CUTOFF)
        return Neighbours(query, word, None, (), tuple(close), ignored)
    return Neighbours(query, word, word_id, tuple(nearest(table, word_id, top)), (), ignored)


@dataclass(frozen=True)
class WordMap:
    """The chosen words' vectors projected on their first two principal components."""

    words: tuple[str, ...]  # in vocabulary, in the order chosen
    coordinates: np.ndarray  # (len(words), 2)
    explained: tuple[float, float]  # share of the words' variance on each axis
    unknown: tuple[str, ...]  # chosen words the model does not know (left off the map)


def word_map(table: EmbeddingTable, chosen: list[str]) -> WordMap:
    """PCA of the chosen words (cleaned, deduplicated; out-of-vocabulary ones set aside)."""
    words, unknown = [], []
    for item in chosen:
        for word in query_words(item)[:1]:
            target = words if word in table.index else unknown
            if word not in target:
                target.append(word)
    check_range("words on the map", len(words), MAP_WORDS_BOUND, whole=True)
    matrix = table.vectors[[table.index[w] for w in words]].astype(np.float64)
    centred = matrix - matrix.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    variance = singular**2
    share = variance / variance.sum() if variance.sum() > 0 else np.zeros_like(variance)
    coordinates = centred @ components[:2].T  # (n, 2)
    return WordMap(tuple(words), coordinates, (float(share[0]), float(share[1])),
                   tuple(unknown))


def embedding_share(manifest: dict) -> float | None:
    """The embedding's share of a shipped model's parameters (its manifest's figures)."""
    hp, total = manifest.get("hyperparameters", {}), manifest.get("parameters")
    if not isinstance(total, int) or not total:
        return None
    return hp.get("vocab_size", 0) * hp.get("embedding_dim", 0) / total
