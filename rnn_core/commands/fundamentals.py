"""CLI commands behind the fundamentals page: the shapes table and the step-through."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import numpy as np

from rnn_core.cells import CELLS, MERGE_MODES
from rnn_core.commands import Command, Result
from rnn_core.fundamentals import stepthrough
from rnn_core.fundamentals.shapes import RNNSpec, describe, keras_describe


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


COMMANDS: list[Command] = [
    ("shapes", _shapes_arguments, shapes_command),
    ("step", _step_arguments, step_command),
]


