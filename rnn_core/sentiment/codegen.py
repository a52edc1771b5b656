"""The IMDB pipeline as code ("Show the code"): the Keras definition and training call behind the
shipped models, written out from the training module's real objects, beside the classic tutorial.

Nothing here is typed by hand from the models: ``shipped_code`` builds the layers with
``models.build_core_layers``, the optimizer with ``training.compile_core`` and the callback with
``training.early_stopping`` for the given ``HyperParameters``, and prints each object's own
configuration (``get_config``: the arguments that differ from the class's defaults). The tests
execute the result and compare it with the real model, layer by layer and in parameters.

``CLASSIC_CODE`` is the tutorial pipeline (``keras.datasets.imdb`` + ``pad_sequences`` + an
LSTM) written for this course, for the comparison the page draws between the two.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from rnn_core.storage import REPO_ROOT, read_json

if TYPE_CHECKING:  # Keras is imported inside the functions (a page of text never pays for it)
    from rnn_core.sentiment.hyperparameters import HyperParameters

# The arguments that say what a layer is (initializers and dropout seeds only change the random
# start: the code says so in a comment instead of spelling out every seed).
LAYER_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Embedding": ("input_dim", "output_dim", "mask_zero", "trainable"),
    "SpatialDropout1D": ("rate",),
    "SimpleRNN": ("units", "return_sequences", "go_backwards"),
    "LSTM": ("units", "return_sequences", "go_backwards"),
    "GRU": ("units", "return_sequences", "go_backwards"),
    "Dropout": ("rate",),
    "Dense": ("units", "activation"),
    "MaskedMaxMeanPool": (),
}
POSITIONAL = {"input_dim", "output_dim", "rate", "units"}  # written without their keyword
PROJECT_LAYERS = {"MaskedMaxMeanPool"}  # ours, imported from rnn_core (the rest is keras.layers)
LAYER_COMMENTS = {
    "embedding": "(batch, time) ids → (batch, time, {dim}) vectors; id 0 = padding, masked",
    "rnn": "one output per step: (batch, time, {width})",
    "pool": "[max over time ‖ mean over time], padding left out: (batch, {pooled})",
}
INDENT = "    "
DATA_NOTE = """\
# Data, as rnn_core.sentiment.training.train prepares it:
#   fit_texts: the reviews of train less its seeded 10% hold-out (never the test split)
#   train_batches: (token ids, labels) of those reviews in batches of similar length
#   validation_batches: the same for the hold-out, which early stopping watches
"""


def _literal(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _defaults(cls: type) -> dict[str, object]:
    """Keyword defaults of a layer class's constructor (``trainable`` defaults to True)."""
    parameters = inspect.signature(cls.__init__).parameters
    found = {name: p.default for name, p in parameters.items()
             if p.default is not inspect.Parameter.empty}
    return {"trainable": True, **found}


def layer_call(layer, indent: str = INDENT) -> str:
    """``keras.layers.GRU(64, return_sequences=True, name="rnn")`` for a layer object."""
    import keras

    kind = type(layer).__name__
    if isinstance(layer, keras.layers.Bidirectional):
        inner = indent + INDENT
        merge = "" if layer.merge_mode == "concat" else f", merge_mode={_literal(layer.merge_mode)}"
        return (f"keras.layers.Bidirectional(\n{inner}{layer_call(layer.forward_layer)},\n"
                f"{inner}backward_layer={layer_call(layer.backward_layer)},\n"
                f"{inner}name={_literal(layer.name)}{merge})")
    config, defaults = layer.get_config(), _defaults(type(layer))
    arguments = []
    for key in LAYER_ARGUMENTS[kind]:
        value = config[key]
        if key in POSITIONAL:
            arguments.append(_literal(value))
        elif defaults.get(key, inspect.Parameter.empty) != value:
            arguments.append(f"{key}={_literal(value)}")
    arguments.append(f"name={_literal(layer.name)}")
    prefix = "" if kind in PROJECT_LAYERS else "keras.layers."
    return f"{prefix}{kind}({', '.join(arguments)})"


def _layer_lines(hp: HyperParameters) -> str:
    from rnn_core.sentiment import models

    width = hp.units * (2 if hp.cell.startswith("bi") else 1)
    lines = ""
    for layer in models.build_core_layers(hp):
        comment = LAYER_COMMENTS.get(layer.name)
        if comment:
            text = comment.format(dim=hp.embedding_dim, width=width, pooled=2 * width)
            lines += f"{INDENT}# {text}\n"
        lines += f"{INDENT}{layer_call(layer)},\n"
    return lines


def definition_code(hp: HyperParameters) -> str:
    """The layers and the integer-input model that ``fit`` trains (imports not included)."""
    return (
        f"# 1. The layers, every initializer and dropout seeded from seed={hp.seed}\n"
        "layers = [\n"
        f"{_layer_lines(hp)}"
        "]\n"
        "\n"
        "\n"
        "def chain(tensor):\n"
        f"{INDENT}for layer in layers:\n"
        f"{INDENT * 2}tensor = layer(tensor)\n"
        f"{INDENT}return tensor\n"
        "\n"
        "\n"
        "# 2. What fit() trains: token ids → probability of \"positive\"\n"
        'token_ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")\n'
        f'core = keras.Model(token_ids, chain(token_ids), name="imdb_{hp.cell}_core")\n'
    )


def text_model_code(hp: HyperParameters) -> str:
    """The saved model: raw strings through the same cleaning, vocabulary and layers."""
    from rnn_core.sentiment.text import make_vectorizer

    vectorize = make_vectorizer(hp.vocab_size).get_config()
    return (
        "# 3. The saved model reads raw strings: the same cleaning, vocabulary and layers\n"
        "vectorize = keras.layers.TextVectorization(\n"
        f"{INDENT}max_tokens={vectorize['max_tokens']}, "
        f"standardize={vectorize['standardize']}, split={_literal(vectorize['split'])},\n"
        f"{INDENT}output_mode={_literal(vectorize['output_mode'])}, name=\"vectorize\")\n"
        "vectorize.adapt(CleanText()(keras.ops.convert_to_tensor(fit_texts)))  # fit part only\n"
        'review = keras.Input(shape=(), dtype="string", name="review")\n'
        f'ids = Truncate({hp.max_len}, keep={_literal(hp.keep)}, name="truncate")(\n'
        f'{INDENT}vectorize(CleanText(name="clean")(review)))\n'
        f'model = keras.Model(review, chain(ids), name="imdb_{hp.cell}")\n'
    )


def training_code(hp: HyperParameters) -> str:
    """The compile and fit calls (and the word-vector start), read from the real objects."""
    from rnn_core.sentiment import models, training

    core = models.build_core(hp, models.build_core_layers(hp))
    training.compile_core(core, hp)
    optimizer = core.optimizer
    rate = float(optimizer.get_config()["learning_rate"])
    stop = training.early_stopping(hp)
    metrics = ", ".join(_literal(m) for m in training.METRICS)
    start = ""
    if hp.word_vectors:
        start = (
            "# The embedding starts from word2vec vectors learned on the unlabeled and the\n"
            "# training reviews (text only, no labels)\n"
            "matrix, coverage = pretrain.embedding_matrix(\n"
            f"{INDENT}vectorize.get_vocabulary(), pretrain.load(WORD_VECTORS), "
            f"seed={hp.seed}, rows={hp.vocab_size})\n"
            'core.get_layer("embedding").set_weights([matrix])\n'
        )
    return (
        "# 4. Training\n"
        f"{start}"
        f"core.compile(optimizer=keras.optimizers.{type(optimizer).__name__}"
        f"(learning_rate={rate:g}),\n"
        f"{INDENT * 3} loss={_literal(training.LOSS)}, metrics=[{metrics}])\n"
        "stop = keras.callbacks.EarlyStopping(\n"
        f"{INDENT}monitor={_literal(stop.monitor)}, patience={stop.patience}, "
        f"restore_best_weights={stop.restore_best_weights}, verbose=1)\n"
        f"# batch_size={hp.batch_size}: set when train_batches were cut\n"
        "core.fit(train_batches, validation_data=validation_batches,\n"
        f"{INDENT * 2} epochs={hp.max_epochs}, callbacks=[stop])\n"
        f'model.save("{hp.cell}.keras")  # the layers fit() trained, behind the text front end\n'
    )


def _imports(hp: HyperParameters) -> str:
    pretrain = "from rnn_core.sentiment import pretrain\n" if hp.word_vectors else ""
    vectors = 'WORD_VECTORS = "word_vectors.npz"  # from rnn-lab pretrain-imdb\n' \
        if hp.word_vectors else ""
    return ("import keras\n"
            "\n"
            f"{pretrain}"
            "from rnn_core.sentiment.models import MaskedMaxMeanPool\n"
            "from rnn_core.sentiment.text import CleanText, Truncate\n"
            "\n"
            f"{vectors}{DATA_NOTE}")


def shipped_code(hp: HyperParameters) -> str:
    """The whole script behind one shipped model: definition, text front end, training."""
    return (f"{_imports(hp)}\n{definition_code(hp)}\n{text_model_code(hp)}\n"
            f"{training_code(hp)}")


def manifest_code(hyperparameters: dict) -> str:
    """``shipped_code`` for a manifest's ``hyperparameters`` (ValueError when unusable)."""
    from rnn_core.sentiment.hyperparameters import HyperParameters

    if not isinstance(hyperparameters, dict):
        raise ValueError("the manifest has no hyperparameters")
    try:
        return shipped_code(HyperParameters.from_manifest(hyperparameters))
    except TypeError as error:
        raise ValueError(str(error)) from None


CLASSIC_MAX_LEN, CLASSIC_DIM = 200, 128  # the classic tutorial's window and embedding width
CLASSIC_CODE = f'''\
import keras
from keras.datasets import imdb

VOCABULARY, MAX_LEN = 20_000, {CLASSIC_MAX_LEN}
# Reviews as lists of word ranks (1 = start, 2 = out of vocabulary, 3.. = words), tokenized by
# the dataset's authors. Keras downloads imdb.npz once; path= may name a copy you already have.
(x_train, y_train), (x_test, y_test) = imdb.load_data(path="imdb.npz", num_words=VOCABULARY)
# Pad (and cut) every review at the front to MAX_LEN ids: the last 200 words are kept.
x_train = keras.utils.pad_sequences(x_train, maxlen=MAX_LEN)
x_test = keras.utils.pad_sequences(x_test, maxlen=MAX_LEN)

model = keras.Sequential([
    keras.Input(shape=(MAX_LEN,), dtype="int32"),
    keras.layers.Embedding(VOCABULARY, {CLASSIC_DIM}),  # random start, no mask: padding is read too
    keras.layers.LSTM(64),  # the last hidden state only
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_test, y_test))
'''
# The rows of the "what differs and why" table: sentiment page keys code_diff_<row>_*.
DIFFERENCES = ("input", "length", "embedding", "readout", "dropout", "validation")

LENGTHS_FILE = REPO_ROOT / "results" / "review_lengths.json"  # rnn-lab review-lengths


def load_lengths(path=None) -> dict | None:
    """The committed count of words per review (``rnn-lab review-lengths``), or None."""
    data = read_json(LENGTHS_FILE if path is None else path)
    return data if isinstance(data, dict) and "within_share" in data else None


def difference_values(manifests: dict[str, dict], lengths: dict | None) -> dict[str, object]:
    """The numbers of the "what differs" table, read from the shipped models' manifests (the
    first readable one's settings; the epochs over all of them) and the committed review
    lengths, so none of them is typed by hand. ValueError when no manifest is readable."""
    from rnn_core.sentiment.dataset import VALIDATION_FRACTION
    from rnn_core.sentiment.hyperparameters import HyperParameters

    readable = {}
    for name, manifest in manifests.items():
        try:
            readable[name] = HyperParameters.from_manifest(manifest["hyperparameters"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # a broken manifest: the page says so where it shows that model
    if not readable:
        raise ValueError("no manifest with readable hyperparameters")
    name, hp = next(iter(readable.items()))
    first = manifests[name]
    vectors = first.get("pretraining") or {}
    best = [m["best_epoch"] for m in manifests.values() if "best_epoch" in m]
    values: dict[str, object] = {
        "max_len": hp.max_len, "dim": hp.embedding_dim, "spatial": f"{hp.spatial_dropout:g}",
        "dropout": f"{hp.dropout:g}", "vector_reviews": f"{vectors.get('reviews', 0):,}",
        "train_reviews": f"{first.get('train_n', 0):,}", "validation": f"{VALIDATION_FRACTION:.0%}",
        "classic_len": CLASSIC_MAX_LEN, "classic_dim": CLASSIC_DIM,
        "best_low": min(best, default="?"), "best_high": max(best, default="?"),
        "max_epochs": hp.max_epochs}
    if lengths is not None:
        values.update(share=f"{lengths['within_share']:.1%}", reviews=f"{lengths['reviews']:,}",
                      within=lengths["max_len"], source=lengths["source"])
    return values
