"""Why order matters: the shipped sentiment models read a review, then the same words shuffled and
reversed.

A permutation keeps exactly the same words (the same multiset of token ids, after the model's
own cleaning, vocabulary and truncation) and changes only their order, so any change in the
probability of "positive" is what the model draws from order alone. A bag-of-words model would
give the same number for all three; a CNN sees order only inside its kernel's window; an RNN's
hidden state at step t depends on every word before t, in that order.

The shipped models end in a [max ‖ mean] pool over time (see ``rnn_core.sentiment.models``). The
pool itself ignores order, but each pooled h_t does not, so how much order counts is a question
for measurement: ``measure`` answers it over many reviews, ``read_in_orders`` for one.

Works on ``rnn_core.sentiment.explain.Explainer`` objects (the page caches them with the models).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rnn_core.bounds import check_range
from rnn_core.storage import REPO_ROOT, read_json

VARIANTS = ("original", "shuffled", "reversed")
# What a learner may predict before the experiment: nothing changes / verdicts mostly stay / chance
PREDICTIONS = ("same", "some", "random")
SEED_BOUND = (0, 10_000)  # the page's seed input
MEASURE_SEEDS = (0, 1, 2)  # shuffles per review in ``measure``
BATCH_ROWS = 96  # id rows per model call in ``measure`` (bounded memory per call)


def reorder(values: Sequence, variant: str, seed: int = 0) -> list:
    """``values`` in the order ``variant`` names; the shuffle is seeded (``default_rng``)."""
    values = list(values)
    if variant == "original":
        return values
    if variant == "reversed":
        return values[::-1]
    if variant == "shuffled":
        permutation = np.random.default_rng([seed, len(values)]).permutation(len(values))
        return [values[i] for i in permutation]
    raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")


def kept_words(explainer, text: str) -> list[str]:
    """The cleaned words the model keeps (its window of ``max_len`` at the ``keep`` end)."""
    words = explainer.words(text)
    if len(words) <= explainer.max_len:
        return words
    return words[-explainer.max_len:] if explainer.keep == "last" else words[:explainer.max_len]


@dataclass(frozen=True)
class OrderReading:
    """One text read by one model in each order: words as read and the probability of positive."""

    words: dict[str, list[str]]  # variant → the words in that order
    probabilities: dict[str, float]  # variant → p(positive)

    def change(self, variant: str) -> float:
        """p(variant) − p(original)."""
        return self.probabilities[variant] - self.probabilities["original"]

    def flipped(self, variant: str) -> bool:
        """Whether the verdict (p ≥ 0.5 is "positive") differs from the original's."""
        return (self.probabilities[variant] >= 0.5) != (self.probabilities["original"] >= 0.5)


def read_in_orders(explainer, text: str, seed: int = 0) -> OrderReading:
    """The model's probability for ``text`` as written, shuffled with ``seed`` and reversed.

    One model call: three rows of the same ids in three orders.
    """
    check_range("seed", seed, SEED_BOUND, whole=True)
    words = kept_words(explainer, text)
    (ids,) = explainer.token_ids([text])
    if len(ids) != len(words):  # cannot happen: both come from the model's own layers
        raise RuntimeError(f"{len(words)} words but {len(ids)} ids")
    if not len(ids):
        return OrderReading({v: [] for v in VARIANTS}, {v: float("nan") for v in VARIANTS})
    rows = np.array([reorder(ids, variant, seed) for variant in VARIANTS], dtype=np.int32)
    probabilities = explainer.probabilities_of_ids(rows)
    return OrderReading({v: reorder(words, v, seed) for v in VARIANTS},
                        {v: float(p) for v, p in zip(VARIANTS, probabilities, strict=True)})


def verdict(probability: float) -> str:
    """The verdict a probability of "positive" gives (the models' own 0.5 boundary)."""
    return "positive" if probability >= 0.5 else "negative"


def flipped_models(readings: dict[str, OrderReading], variant: str) -> list[str]:
    """The models (in ``readings``' order) whose verdict changed in ``variant``."""
    return [name for name, reading in readings.items() if reading.flipped(variant)]


OUTCOMES = ("still", "held", "flipped")  # what one text showed: see ``outcome``
STILL_BELOW = 0.01  # no probability moved by this much: the order did not matter for this text
MATCHING_OUTCOME = {"same": "still", "some": "held", "random": "flipped"}  # prediction → outcome


def outcome(readings: dict[str, OrderReading]) -> str:
    """What reordering this one text did: ``still`` (no model's probability moved by
    ``STILL_BELOW``), ``flipped`` (more than half the models changed their verdict in one of
    the orders) or ``held`` (the probabilities moved, most verdicts stayed). The page answers
    the learner's prediction with this, not with the test reviews' average."""
    moves = [abs(r.change(v)) for r in readings.values() for v in ("shuffled", "reversed")]
    moves = [move for move in moves if not np.isnan(move)]  # a text with no words read
    if not moves or max(moves) < STILL_BELOW:
        return "still"
    most = max(len(flipped_models(readings, v)) for v in ("shuffled", "reversed"))
    return "flipped" if 2 * most > len(readings) else "held"


@dataclass(frozen=True)
class OrderSummary:
    """How much order counted for one model over many reviews."""

    reviews: int
    shuffles: int  # seeded shuffles per review
    mean_abs_change: dict[str, float]  # variant → mean |p(variant) − p(original)|
    flip_share: dict[str, float]  # variant → share of readings whose verdict flipped
    accuracy: dict[str, float] | None  # variant → accuracy, when labels were given

    def to_dict(self) -> dict:
        return {"reviews": self.reviews, "shuffles": self.shuffles,
                "mean_abs_change": _rounded(self.mean_abs_change),
                "flip_share": _rounded(self.flip_share),
                "accuracy": None if self.accuracy is None else _rounded(self.accuracy)}


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {key: round(float(value), 4) for key, value in values.items()}


def order_probabilities(explainer, texts: list[str], seeds: Sequence[int] = MEASURE_SEEDS,
                        on_progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """(reviews, 2 + len(seeds)) probabilities: original, reversed, then one column per shuffle.

    Reviews are batched by length (similar lengths share a call, so little padding is read).
    """
    ids = explainer.token_ids(texts)
    columns = 2 + len(seeds)
    result = np.full((len(texts), columns), np.nan)
    order = np.argsort([len(row) for row in ids], kind="stable")
    per_call = max(BATCH_ROWS // columns, 1)
    for start in range(0, len(order), per_call):
        index = [i for i in order[start:start + per_call] if len(ids[i])]
        if not index:
            continue
        width = max(len(ids[i]) for i in index)
        rows = np.zeros((len(index) * columns, width), dtype=np.int32)
        for n, i in enumerate(index):
            variants = [ids[i], ids[i][::-1]] + [reorder(ids[i], "shuffled", s) for s in seeds]
            for k, variant in enumerate(variants):
                rows[n * columns + k, :len(variant)] = variant
        result[index] = explainer.probabilities_of_ids(rows).reshape(len(index), columns)
        if on_progress is not None:
            on_progress(min(start + per_call, len(order)), len(order))
    return result


def summarize(probabilities: np.ndarray, labels: Sequence[int] | None = None) -> OrderSummary:
    """Mean change, flips and accuracy per variant from ``order_probabilities``' table."""
    read = ~np.isnan(probabilities[:, 0])  # empty reviews give the model nothing to read
    table = probabilities[read]
    original, reversed_, shuffled = table[:, :1], table[:, 1:2], table[:, 2:]
    verdict = table >= 0.5
    changes = {"shuffled": float(np.mean(np.abs(shuffled - original))),
               "reversed": float(np.mean(np.abs(reversed_ - original)))}
    flips = {"shuffled": float(np.mean(verdict[:, 2:] != verdict[:, :1])),
             "reversed": float(np.mean(verdict[:, 1] != verdict[:, 0]))}
    accuracy = None
    if labels is not None:
        truth = np.asarray(labels)[read][:, None] == 1
        accuracy = {"original": float(np.mean(verdict[:, :1] == truth)),
                    "shuffled": float(np.mean(verdict[:, 2:] == truth)),
                    "reversed": float(np.mean(verdict[:, 1:2] == truth))}
    return OrderSummary(int(read.sum()), table.shape[1] - 2, changes, flips, accuracy)


def measure(explainer, texts: list[str], labels: Sequence[int] | None = None,
            seeds: Sequence[int] = MEASURE_SEEDS,
            on_progress: Callable[[int, int], None] | None = None) -> OrderSummary:
    """How much shuffling and reversing each review moves this model's verdict, on average."""
    return summarize(order_probabilities(explainer, texts, seeds, on_progress), labels)


ORDER_FILE = REPO_ROOT / "results" / "order_experiment.json"


def readable_examples() -> dict[str, str]:
    """The page's example reviews the models can read (English: the Japanese one is all [UNK],
    identical in every order, so it would only dilute the averages)."""
    from rnn_core.sentiment.user_text import EXAMPLES, check_review

    return {name: text for name, text in EXAMPLES.items()
            if "non_english" not in check_review(text).findings}


def load_order_results(path=None) -> dict | None:
    """The committed measurement (``rnn-lab order --json --output ...``), or None."""
    data = read_json(ORDER_FILE if path is None else path)
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        return None
    return data


MOSTLY_WORDS_DROP = 0.05  # shuffling costs less accuracy than this: "mostly which words occur"


def accuracy_drops(results: dict) -> dict[str, float]:
    """Model → accuracy as written − accuracy shuffled, from a committed measurement."""
    drops = {}
    for name, row in results.get("models", {}).items():
        accuracy = (row.get("data") or {}).get("accuracy") or {}
        if "original" in accuracy and "shuffled" in accuracy:
            drops[name] = accuracy["original"] - accuracy["shuffled"]
    return drops
