"""The settings that define one IMDB sentiment model, as saved in its manifest.

A module of its own, without Keras: the command line builds its ``train-imdb`` options from
these fields, and ``rnn-lab --help`` should not wait seconds for TensorFlow to load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from rnn_core.bounds import check_choice, check_flag, check_range
from rnn_core.sentiment.registry import MODEL_KINDS

KEEP_ENDS = ("first", "last")  # which end of a review longer than max_len is kept


BOUNDS: dict[str, tuple[int, int]] = {"vocab_size": (1000, 50_000), "max_len": (1, 2000),
                                      "embedding_dim": (1, 512), "units": (1, 512)}


@dataclass(frozen=True)
class HyperParameters:
    """Everything that defines one model; saved in its manifest."""

    cell: str = "gru"
    vocab_size: int = 20_000
    max_len: int = 800
    keep: str = "last"  # which end of a long review to keep (see text.Truncate)
    embedding_dim: int = 100  # = the word vectors' dim (pretrain-imdb --dim)
    units: int = 64
    spatial_dropout: float = 0.3
    dropout: float = 0.5
    learning_rate: float = 2e-3
    batch_size: int = 64
    max_epochs: int = 4
    patience: int = 1
    seed: int = 7
    word_vectors: str = ""  # pretrained vectors (.npz from `rnn-lab pretrain-imdb`); "" = random
    train_embedding: bool = True  # False keeps the (pretrained) embedding fixed; the rest learns

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, MODEL_KINDS)
        for name, bound in BOUNDS.items():
            check_range(name, getattr(self, name), bound, whole=True)
        check_choice("keep", self.keep, KEEP_ENDS)
        check_flag("train_embedding", self.train_embedding)
        if not (self.train_embedding or self.word_vectors):
            raise ValueError("a fixed embedding (train_embedding false) needs word_vectors")

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_manifest(cls, stored: dict) -> HyperParameters:
        """From a manifest's ``hyperparameters``: unknown keys are dropped and a yes/no field
        stored as 0/1 (older manifests) becomes a bool; everything else is validated as usual."""
        known = {f.name: f for f in fields(cls)}
        values = {}
        for name, value in stored.items():
            if name in known:
                flag = isinstance(known[name].default, bool) and value in (0, 1)
                values[name] = bool(value) if flag else value
        return cls(**values)
