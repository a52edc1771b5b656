"""CLI commands behind the sentiment page: pretrain-imdb, train-imdb, eval-imdb, predict,
bench-imdb, neighbours, review-lengths, gates (the trained models' gate view)."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

import numpy as np

from rnn_core.commands import Command, Result
from rnn_core.sentiment import dataset, registry
from rnn_core.sentiment.gates import READABLE, TOP


def _data_path(option: str | None) -> Path:
    try:
        return dataset.resolve_data_path(option)
    except dataset.DataNotFound as error:
        raise ValueError(str(error)) from None


def _add_fields(parser: argparse.ArgumentParser, settings: type,
                skip: tuple[str, ...] = ()) -> None:
    """One --flag per field of a settings dataclass, typed and defaulted like the field (a
    yes/no field gets --name and --no-name)."""
    for field in fields(settings):
        if field.name in skip:
            continue
        flag = "--" + field.name.replace("_", "-")
        if isinstance(field.default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=field.default)
        else:
            parser.add_argument(flag, type=type(field.default), default=field.default)


def _from_fields(settings: type, args: argparse.Namespace):
    """The settings dataclass back from the parsed flags."""
    return settings(**{field.name: getattr(args, field.name) for field in fields(settings)})


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    from rnn_core.sentiment.hyperparameters import HyperParameters

    parser.add_argument("--data", help="archive, folder or CSV sample (default: $RNN_LAB_DATA, "
                        "then ../shared/data)")
    parser.add_argument("--cell", choices=registry.MODEL_KINDS, default=HyperParameters.cell)
    parser.add_argument("--out", default=str(registry.MODELS_DIR),
                        help="folder for .keras + .json (default: models/imdb)")
    parser.add_argument("--name", help="file name stem (default: the cell)")
    _add_fields(parser, HyperParameters, skip=("cell",))


def train_command(args: argparse.Namespace) -> Result:
    """Train one IMDB model with early stopping; write <out>/<name>.keras and its manifest."""
    from rnn_core.sentiment import models, training

    hp = _from_fields(models.HyperParameters, args)
    manifest = training.train(_data_path(args.data), hp, Path(args.out), args.name or hp.cell)
    return {key: manifest[key] for key in ("name", "cell", "parameters", "file_bytes",
                                           "epochs_run", "validation", "wall_seconds")} | {
        "test": manifest.get("test")}


def _pretrain_arguments(parser: argparse.ArgumentParser) -> None:
    from rnn_core.sentiment.pretrain import VectorSettings

    parser.add_argument("--data", help="archive or folder with train/ (the unlabeled reviews are "
                        "read from train/unsup or aclImdb_unsup.tar.gz beside it)")
    parser.add_argument("--out", required=True, help="the .npz file to write")
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 65), metavar="1..64")
    _add_fields(parser, VectorSettings)


def pretrain_command(args: argparse.Namespace) -> Result:
    """Word vectors from the unlabeled reviews + the fit part of train (for --word-vectors)."""
    from rnn_core.sentiment import pretrain

    settings = _from_fields(pretrain.VectorSettings, args)
    return pretrain.pretrain(_data_path(args.data), settings, args.out, args.workers)


def _eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="archive, folder or CSV sample in the official layout")
    parser.add_argument("--split", choices=dataset.SPLITS, default="test")
    parser.add_argument("--model", nargs="*", help="model names (default: every shipped model)")
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")
    parser.add_argument("--limit", type=int, default=0,
                        help="evaluate only the first N reviews of each label (0: all)")


def eval_command(args: argparse.Namespace) -> Result:
    """Accuracy of the shipped models on a split of the data (default: test)."""
    from rnn_core.sentiment import registry

    reviews = dataset.load_reviews(_data_path(args.data), (args.split,))
    if args.split not in reviews:
        raise ValueError(f"no {args.split} split in {args.data}")
    part = registry.balanced_head(reviews[args.split], args.limit)
    results = registry.evaluate(args.models_dir, part, args.model or None)
    return {"split": args.split, "n": len(part), "models": results}


def _predict_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="+", help="one or more reviews (quote each)")
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")


def predict_command(args: argparse.Namespace) -> Result:
    """Each shipped model's probability that each text is a positive review."""
    from rnn_core.sentiment import registry

    predictors = registry.load_all(args.models_dir)
    return {"texts": args.text,
            "probabilities": {name: [round(p, 4) for p in registry.probabilities(
                predictor, args.text)] for name, predictor in predictors.items()}}


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")
    parser.add_argument("--repeats", type=int, default=30, choices=range(3, 501),
                        metavar="3..500")
    parser.add_argument("--write", action="store_true",
                        help="also save the figures to <models-dir>/benchmark.json")


def bench_command(args: argparse.Namespace) -> Result:
    """One-review inference latency (p50/p90) per model through the page's path, and RSS."""
    from rnn_core.sentiment import registry

    return registry.benchmark(args.models_dir, args.repeats, write=args.write)


def _neighbours_arguments(parser: argparse.ArgumentParser) -> None:
    from rnn_core.sentiment import vectors

    parser.add_argument("word", help="a word (cleaned like a review: lowercase, no punctuation)")
    parser.add_argument("--model", default=None,
                        help=f"a shipped model (default: {vectors.DEFAULT_MODEL}, else the first)")
    parser.add_argument("--top", type=int, default=vectors.DEFAULT_TOP,
                        choices=range(vectors.TOP_BOUND[0], vectors.TOP_BOUND[1] + 1),
                        metavar=f"{vectors.TOP_BOUND[0]}..{vectors.TOP_BOUND[1]}")
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")


def neighbours_command(args: argparse.Namespace) -> Result:
    """The nearest words (cosine) to WORD in a shipped model's embedding, or why it has none."""
    from rnn_core.sentiment import vectors

    shipped = registry.manifests(args.models_dir)
    if not shipped:
        raise ValueError("no shipped models found")
    name = args.model or (vectors.DEFAULT_MODEL if vectors.DEFAULT_MODEL in shipped
                          else next(iter(shipped)))
    predictor = registry.load_all(args.models_dir, [name])[name]
    table = vectors.EmbeddingTable.from_model(predictor.model)
    found = vectors.neighbours(table, args.word, args.top)
    return {"model": name, "vocabulary_size": len(table.vocabulary), "dim": table.dim,
            **found.to_dict()}


def _gates_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="the review (quote it)")
    parser.add_argument("--model", choices=READABLE, default="lstm")
    parser.add_argument("--top", type=int, default=TOP, choices=range(1, 65), metavar="1..64",
                        help="how many units and words to list")
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")


def gates_command(args: argparse.Namespace) -> Result:
    """Per word of a review, a shipped model's mean gates and its top units' states; the units
    that follow the verdict and the words where most units let go (keep gate below
    0.5); units numbered from 1, as on the page."""
    from rnn_core.sentiment import gates, registry, user_text

    checked = user_text.check_review(args.text)
    predictor = registry.load_all(args.models_dir, [args.model])[args.model]
    reading = gates.GateReader(predictor.model).read(checked.text)
    followers = gates.verdict_followers(reading, args.top)
    top_units = [unit for unit, _ in followers]
    states = {"h": reading.hidden} | (
        {"c": reading.cell_state} if reading.cell_state is not None else {})
    words = []
    for t, word in enumerate(reading.words):
        words.append({
            "word": word, "known": reading.in_vocabulary[t],
            "p": round(float(reading.probabilities[t]), 4),
            "gates": {name: round(float(means[t]), 4)
                      for name, means in reading.gate_means.items()},
            "units": {f"{kind}{unit + 1}": round(float(values[t, unit]), 4)
                      for kind, values in states.items() for unit in top_units}})
    return {
        "model": args.model, "findings": list(checked.findings), "units": reading.units,
        "words_read": len(reading.words), "total_words": reading.total_words,
        "probability": round(float(reading.probabilities[-1]), 4) if reading.words else None,
        "words": words,
        "follow_verdict": [{"unit": unit + 1, "correlation": round(r, 4)}
                           for unit, r in followers],
        "letting_go": [{"position": t + 1, "word": word, "units_letting_go": round(share, 4),
                        "gate": round(mean, 4)}
                       for t, word, share, mean in gates.letting_go(reading, args.top)],
        "mean_gates": {name: round(float(np.mean(means)), 4) if len(means) else None
                       for name, means in reading.gate_means.items()},
    }


def _lengths_arguments(parser: argparse.ArgumentParser) -> None:
    from rnn_core.sentiment.hyperparameters import HyperParameters

    parser.add_argument("--data", help="the labeled reviews (default: $RNN_LAB_DATA or "
                        "../shared/data); the sample CSV works too")
    parser.add_argument("--split", default="train", choices=dataset.SPLITS)
    parser.add_argument("--max-len", type=int, default=HyperParameters().max_len)
    parser.add_argument("--output", type=Path, default=None,
                        help="also write the result here (the page reads "
                        "results/review_lengths.json)")


def lengths_command(args: argparse.Namespace) -> Result:
    """How many reviews fit in the models' window: words per review after the models' cleaning
    (the sentiment page's "what differs" table)."""
    import numpy as np

    from rnn_core.commands import command_line
    from rnn_core.sentiment.text import words_per_review
    from rnn_core.storage import write_json

    path = _data_path(args.data)
    reviews = dataset.load_reviews(path, (args.split,))[args.split]
    counts = np.array(words_per_review(list(reviews.texts)))
    result: Result = {
        "source": path.name, "split": args.split, "reviews": int(counts.size),
        "max_len": args.max_len, "within_share": round(float(np.mean(counts <= args.max_len)), 4),
        "median_words": float(np.median(counts)), "p98_words": float(np.percentile(counts, 98)),
        "longest_words": int(counts.max()),
        "command": command_line("review-lengths", {"--split": args.split,
                                                   "--max-len": args.max_len,
                                                   "--output": args.output}),
    }
    if args.output is not None:
        write_json(args.output, result)
    return result


COMMANDS: list[Command] = [
    ("train-imdb", _train_arguments, train_command),
    ("pretrain-imdb", _pretrain_arguments, pretrain_command),
    ("eval-imdb", _eval_arguments, eval_command),
    ("predict", _predict_arguments, predict_command),
    ("bench-imdb", _bench_arguments, bench_command),
    ("neighbours", _neighbours_arguments, neighbours_command),
    ("gates", _gates_arguments, gates_command),
    ("review-lengths", _lengths_arguments, lengths_command),
]
