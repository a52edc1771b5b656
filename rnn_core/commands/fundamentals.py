"""CLI commands behind the step-throughs (SimpleRNN on the fundamentals page, LSTM / GRU on
their own page), the fundamentals page's shapes table and its order experiment (the sentiment
models on shuffled and reversed reviews)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import numpy as np

from rnn_core.bounds import check_choice, check_range
from rnn_core.cells import CELLS, MERGE_MODES
from rnn_core.commands import Command, Result, command_line
from rnn_core.fundamentals import gates, order, stepthrough
from rnn_core.fundamentals.shapes import RNNSpec, describe, keras_describe
from rnn_core.runtime.machine import run_environment
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
    parser.add_argument("--cell", choices=CELLS, default="simple_rnn",
                        help="SimpleRNN (fundamentals page) or LSTM / GRU (their own page)")
    parser.add_argument("--features", type=int, default=None,
                        choices=range(1, stepthrough.MAX_FEATURES + 1),
                        help="default: the page's (1 for SimpleRNN, 2 for LSTM / GRU)")
    parser.add_argument("--units", type=int, default=None,
                        choices=range(1, stepthrough.MAX_UNITS + 1))
    parser.add_argument("--steps", type=int, default=None,
                        choices=range(2, stepthrough.MAX_STEPS + 1),
                        help=f"at most {stepthrough.GATED_MAX_STEPS} for LSTM / GRU")
    parser.add_argument("--preset", choices=sorted({*stepthrough.PRESETS, *gates.PRESETS}),
                        default=None, help="SimpleRNN: " + ", ".join(stepthrough.PRESETS)
                        + "; LSTM / GRU: " + ", ".join(gates.PRESETS))
    parser.add_argument("--seed", type=int, default=None,
                        help="random weights from this seed (default: the page's fixed weights)")
    parser.add_argument("--keras", action="store_true",
                        help="also run the Keras layer and report max_abs_diff")


def _rounded(values: np.ndarray) -> list:
    return np.round(values, 6).tolist()


def step_command(args: argparse.Namespace) -> Result:
    """The step-through's states (and an LSTM's or GRU's gates) for a preset input and the
    page's weights, step by step: ``steps`` is [{t, x, gates, (c,) h}] for every cell."""
    if args.cell != "simple_rnn":
        return _gated_step(args)
    from rnn_core.cells import keras_sequence, simple_rnn_trace

    features, units, steps = (value or default for value, default in zip(
        (args.features, args.units, args.steps), stepthrough.DEFAULT_SIZES, strict=True))
    preset = args.preset or stepthrough.PRESETS[0]
    check_choice("preset", preset, stepthrough.PRESETS)
    x = stepthrough.example_sequence(preset, steps, features, args.seed or 0)
    kernel, recurrent, bias = stepthrough.example_weights(features, units, args.seed)
    trace = simple_rnn_trace(x, kernel, recurrent, bias)
    result = _step_result("simple_rnn", preset, x, [kernel, recurrent, bias], [],
                          _per_step(x, trace.hidden))
    if args.keras:
        keras_hidden = keras_sequence("simple_rnn", x[None], [kernel, recurrent, bias],
                                      return_sequences=True)[0]
        result["max_abs_diff"] = float(np.max(np.abs(keras_hidden - trace.hidden)))
    return result


def _per_step(x: np.ndarray, hidden: np.ndarray,
              gates_over_time: Mapping[str, np.ndarray] | None = None,
              cell_state: np.ndarray | None = None) -> list[Result]:
    """Every step as {t, x, gates, (c,) h}, one shape for the three cells (a SimpleRNN's
    ``gates`` is empty; only an LSTM has c)."""
    per_step = []
    for t in range(len(x)):
        step: Result = {"t": t + 1, "x": x[t].tolist(),
                        "gates": {name: _rounded(gate[t])
                                  for name, gate in (gates_over_time or {}).items()}}
        if cell_state is not None:
            step["c"] = _rounded(cell_state[t])
        step["h"] = _rounded(hidden[t])
        per_step.append(step)
    return per_step


def _step_result(cell: str, preset: str, x: np.ndarray, weights: list[np.ndarray],
                 blocks: list[str], per_step: list[Result]) -> Result:
    kernel, recurrent, bias = weights
    return {"cell": cell, "preset": preset, "inputs": x.tolist(), "kernel": kernel.tolist(),
            "recurrent_kernel": recurrent.tolist(), "bias": np.asarray(bias).tolist(),
            "blocks": blocks, "steps": per_step}


def _gated_step(args: argparse.Namespace) -> Result:
    """The LSTM / GRU step-through: every gate and state at every step."""
    from rnn_core.cells import gated_trace

    features, units, steps = (value or default for value, default in zip(
        (args.features, args.units, args.steps), gates.DEFAULT_SIZES, strict=True))
    check_range("steps", steps, (2, stepthrough.GATED_MAX_STEPS), whole=True)
    preset = args.preset or gates.PRESETS[0]
    x = gates.example_sequence(preset, steps, features, args.seed or 0)
    weights = gates.example_weights(args.cell, features, units, args.seed)
    trace = gated_trace(args.cell, x, weights)
    per_step = _per_step(x, trace.hidden, trace.gates,
                         trace.carried if args.cell == "lstm" else None)
    result = _step_result(args.cell, preset, x, weights, list(trace.gates), per_step)
    if args.keras:
        result["max_abs_diff"] = gates.keras_difference(
            trace, *gates.keras_states(args.cell, x, weights))
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
                   "command": order_command_line(args, list(explainers))})
    if args.output is not None:
        write_json(args.output, result)
    return result


def order_command_line(args: argparse.Namespace, models: list[str]) -> str:
    """``rnn-lab order`` with every setting that made this result (the models as loaded)."""
    text = {"--text": args.text, "--seed": args.seed} if args.text is not None else {}
    return command_line("order", {
        "--models-dir": args.models_dir, "--model": models, "--data": args.data,
        "--split": args.split, "--limit": args.limit, "--seeds": args.seeds, **text,
        "--output": args.output})


COMMANDS: list[Command] = [
    ("shapes", _shapes_arguments, shapes_command),
    ("step", _step_arguments, step_command),
    ("order", _order_arguments, order_command),
]


