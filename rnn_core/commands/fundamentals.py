"""CLI commands behind the fundamentals page: the shapes table, the step-through and the order
experiment (the sentiment models on shuffled and reversed reviews)."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from pathlib import Path

import numpy as np

from rnn_core.cells import CELLS, MERGE_MODES
from rnn_core.commands import Command, Result
from rnn_core.fundamentals import order, stepthrough
from rnn_core.fundamentals.shapes import RNNSpec, describe, keras_describe
from rnn_core.machine import run_environment
from rnn_core.storage import write_json


def _shapes_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = RNNSpec()
    parser.add_argument("--cell", choices=CELLS, default=defaults.cell)
    parser.add_argument("--units", type=int, default=defaults.units)
    parser.add_argument("--layers", type=int, default=defaults.layers)
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--merge-mode", choices=MERGE_MODES, default=defaults.merge_mode)
    parser.add_argument("--return-sequences", action="store_true")
    parser.add_argument("--dense", type=int, default=defaults.dense_units,
                        help="units of a Dense head (0: none)")
    parser.add_argument("--batch", type=int, default=defaults.batch)
    parser.add_argument("--timesteps", type=int, default=defaults.timesteps)
    parser.add_argument("--features", type=int, default=defaults.features)
    parser.add_argument("--keras", action="store_true",
                        help="also build the real Keras model and compare")


def shapes_command(args: argparse.Namespace) -> Result:
    """Output shape and parameters of each layer (the fundamentals page's shapes table)."""
    spec = RNNSpec(cell=args.cell, units=args.units, layers=args.layers,
                   bidirectional=args.bidirectional, merge_mode=args.merge_mode,
                   return_sequences=args.return_sequences, dense_units=args.dense,
                   batch=args.batch, timesteps=args.timesteps, features=args.features)
    rows = describe(spec)
    result: Result = {
        "spec": asdict(spec),
        "layers": [{"name": r.name, "output_shape": list(r.output_shape), "params": r.params}
                   for r in rows],
        "total_params": sum(r.params for r in rows),
    }
    if args.keras:
        keras_rows = keras_describe(spec)
        result["keras_total_params"] = sum(params for _, _, params in keras_rows)
        result["keras_agrees"] = [(list(r.output_shape), r.params) for r in rows] == [
            (list(shape), params) for _, shape, params in keras_rows]
    return result


def _step_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--features", type=int, default=stepthrough.DEFAULT_SIZES[0],
                        choices=range(1, stepthrough.MAX_FEATURES + 1))
    parser.add_argument("--units", type=int, default=stepthrough.DEFAULT_SIZES[1],
                        choices=range(1, stepthrough.MAX_UNITS + 1))
    parser.add_argument("--steps", type=int, default=stepthrough.DEFAULT_SIZES[2],
                        choices=range(2, stepthrough.MAX_STEPS + 1))
    parser.add_argument("--preset", choices=stepthrough.PRESETS, default=stepthrough.PRESETS[0])
    parser.add_argument("--seed", type=int, default=None,
                        help="random weights from this seed (default: the page's fixed weights)")
    parser.add_argument("--keras", action="store_true", help="also run keras.layers.SimpleRNN")


def step_command(args: argparse.Namespace) -> Result:
    """The step-through's hidden states for a preset input and weights (page defaults)."""
    from rnn_core.cells import keras_sequence, simple_rnn_trace

    x = stepthrough.example_sequence(args.preset, args.steps, args.features, args.seed or 0)
    kernel, recurrent, bias = stepthrough.example_weights(args.features, args.units, args.seed)
    trace = simple_rnn_trace(x, kernel, recurrent, bias)
    result: Result = {
        "inputs": x.tolist(), "kernel": kernel.tolist(), "recurrent_kernel": recurrent.tolist(),
        "bias": bias.tolist(), "hidden": np.round(trace.hidden, 6).tolist(),
    }
    if args.keras:
        keras_hidden = keras_sequence("simple_rnn", x[None], [kernel, recurrent, bias],
                                      return_sequences=True)[0]
        result["keras_max_abs_difference"] = float(np.max(np.abs(keras_hidden - trace.hidden)))
    return result


def _order_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models-dir", help="default: $RNN_LAB_IMDB_MODELS or models/imdb")
    parser.add_argument("--model", nargs="*", help="model names (default: every shipped model)")
    parser.add_argument("--data", help="reviews to measure on (archive, folder or CSV; default: "
                        "the 2,000-review sample next to the IMDB data, when present)")
    parser.add_argument("--split", default="test", choices=("train", "test"))
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N reviews of each label (0: all)")
    parser.add_argument("--seeds", type=int, default=len(order.MEASURE_SEEDS),
                        choices=range(1, 21), metavar="1..20", help="shuffles per review")
    parser.add_argument("--text", help="also read this one review in the three orders")
    parser.add_argument("--seed", type=int, default=0, help="the shuffle of --text")
    parser.add_argument("--output", type=Path, default=None, help="also write the result here")


def order_command(args: argparse.Namespace) -> Result:
    """Each sentiment model on reviews as written, shuffled and reversed (why order matters)."""
    from rnn_core.sentiment import dataset, registry
    from rnn_core.sentiment.explain import Explainer

    seeds = tuple(range(args.seeds))
    explainers = {name: Explainer(predictor)
                  for name, predictor in registry.load_all(args.models_dir, args.model).items()}
    examples = order.readable_examples()
    reviews, source = None, None
    path = Path(args.data) if args.data else dataset.sample_path()
    if path is not None:
        reviews = dataset.load_reviews(path, (args.split,)).get(args.split)
        if reviews is None:
            raise ValueError(f"no {args.split} split in {path}")
        reviews, source = registry.balanced_head(reviews, args.limit), path.name
    result: Result = {"seeds": list(seeds), "examples": list(examples), "models": {},
                      "data": None if reviews is None else {"source": source,
                                                            "split": args.split,
                                                            "reviews": len(reviews)}}
    for name, explainer in explainers.items():
        row = {"examples": order.measure(explainer, list(examples.values()),
                                         seeds=seeds).to_dict()}
        if reviews is not None:
            row["data"] = order.measure(explainer, reviews.texts, reviews.labels,
                                        seeds).to_dict()
        if args.text is not None:
            reading = order.read_in_orders(explainer, args.text, args.seed)
            row["text"] = {variant: round(p, 4) for variant, p in reading.probabilities.items()}
        result["models"][name] = row
    result.update({"environment": run_environment(),
                   "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "command": "rnn-lab order --json" + (f" --limit {args.limit}" if args.limit
                                                         else "")})
    if args.output is not None:
        write_json(args.output, result)
    return result


COMMANDS: list[Command] = [
    ("shapes", _shapes_arguments, shapes_command),
    ("step", _step_arguments, step_command),
    ("order", _order_arguments, order_command),
]


