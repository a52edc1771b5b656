"""The IMDB models' text front end: cleaning, vocabulary lookup and truncation as Keras layers.

Why layers and not a Python function: the saved ``.keras`` file must take raw strings
(``model(["some text"])``), so the exact same cleaning runs at training time (we vectorize the
training set with these very layers) and at inference time (they sit inside the saved model).
A custom ``standardize=`` callable on ``TextVectorization`` cannot be loaded with
``safe_mode=True``; registered layers can, as long as this module is imported first
(``rnn_core.sentiment.models.load`` does that).

Cleaning: lowercase, HTML tags such as ``<br />`` become spaces, apostrophes are dropped
(``don't`` → ``dont``) and other ASCII punctuation becomes a space. Non-ASCII letters are kept,
so Japanese text turns into (out-of-vocabulary) tokens rather than vanishing.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from rnn_core.bounds import check_choice
from rnn_core.sentiment.hyperparameters import KEEP_ENDS

TAG_PATTERN = r"<[^>]{0,200}>"
PUNCTUATION_PATTERN = r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~]"
SPACE_PATTERN = "[\\s\x0b\x0c\x1c-\x1e\u2028\u2029]+"  # also what Python's splitlines() breaks at
NEL_TOKEN = "[nel]"
MAX_CHARS = 20_000  # longer inputs are cut before cleaning (the longest IMDB review is 13,704)
PACKAGE = "rnn_lab"  # registered names are "rnn_lab>CleanText" etc., whatever the module path


@keras.saving.register_keras_serializable(package=PACKAGE)
class CleanText(keras.layers.Layer):
    """Strings in, cleaned strings out (see the module docstring for the rules)."""

    def __init__(self, max_chars: int = MAX_CHARS, **kwargs):
        kwargs["trainable"] = False
        super().__init__(**kwargs)
        self.max_chars = max_chars

    def call(self, texts):
        texts = tf.strings.substr(tf.convert_to_tensor(texts), 0, self.max_chars, unit="UTF8_CHAR")
        texts = tf.strings.lower(texts, encoding="utf-8")
        texts = tf.strings.regex_replace(texts, TAG_PATTERN, " ")
        texts = tf.strings.regex_replace(texts, "'", "")
        texts = tf.strings.regex_replace(texts, PUNCTUATION_PATTERN, " ")
        # The vocabulary is saved one token a line, and readers also break lines at U+0085
        # (a mis-decoded "…" in 331 test reviews): give it a token that survives a text file.
        # "[" and "]" were stripped above, so a learner cannot type this token.
        texts = tf.strings.regex_replace(texts, "\x85", NEL_TOKEN)
        return tf.strings.strip(tf.strings.regex_replace(texts, SPACE_PATTERN, " "))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_chars": self.max_chars}


@keras.saving.register_keras_serializable(package=PACKAGE)
class Truncate(keras.layers.Layer):
    """Keep at most ``max_len`` token ids per review; pad to at least one step so "" still runs.

    ``keep="last"`` keeps each review's *last* ``max_len`` words (reviews often end with the
    verdict, "... 8/10, recommended"); ``"first"`` keeps the beginning. Input rows are
    zero-padded at the end (``TextVectorization(output_sequence_length=None)`` pads a batch only
    to its longest text, so one short review costs only its own length); so is the output.
    """

    def __init__(self, max_len: int = 800, keep: str = "first", **kwargs):
        kwargs["trainable"] = False
        super().__init__(**kwargs)
        check_choice("keep", keep, KEEP_ENDS)
        self.max_len, self.keep = max_len, keep

    def call(self, ids):
        ids = ids[:, : self.max_len] if self.keep == "first" else keep_last(ids, self.max_len)
        missing = tf.maximum(1 - tf.shape(ids)[1], 0)
        return tf.pad(ids, [[0, 0], [0, missing]])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None)

    def get_config(self):
        return {**super().get_config(), "max_len": self.max_len, "keep": self.keep}


def keep_last(ids, max_len: int):
    """Each row's last ``max_len`` non-zero ids, zero-padded at the end (rows end-padded)."""
    width = tf.shape(ids)[1]
    keep = tf.minimum(width, max_len)
    lengths = tf.reduce_sum(tf.cast(ids != 0, tf.int32), axis=1)
    start = tf.maximum(lengths - keep, 0)
    index = start[:, None] + tf.range(keep)[None, :]
    gathered = tf.gather(ids, tf.minimum(index, tf.maximum(width - 1, 0)), batch_dims=1)
    return tf.where(index < lengths[:, None], gathered, tf.zeros_like(gathered))


def make_vectorizer(vocab_size: int) -> keras.layers.TextVectorization:
    """Whitespace tokens of cleaned text; index 0 = padding, 1 = [UNK] (out of vocabulary)."""
    return keras.layers.TextVectorization(max_tokens=vocab_size, standardize=None,
                                          split="whitespace", output_mode="int",
                                          name="vectorize")


def clean_texts(texts: list[str]) -> list[str]:
    """Python view of the cleaning, through the same layer the model uses."""
    cleaned = CleanText()(tf.constant(texts, dtype=tf.string)).numpy()
    return [item.decode("utf-8") for item in cleaned]


def words_per_review(texts: list[str], chunk: int = 2000) -> list[int]:
    """How many words each review has after the models' own cleaning (what ``Truncate`` cuts
    at ``max_len``), counted in chunks to bound memory."""
    counts: list[int] = []
    for start in range(0, len(texts), chunk):
        counts.extend(len(text.split()) for text in clean_texts(list(texts[start:start + chunk])))
    return counts
