"""CLI commands behind the comparison page: the memory-task sweep, the side-by-side table, the
gradient lab and its skip path, and the attention timing, each reproducing what the page shows."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from rnn_core.bounds import check_range
from rnn_core.cells import CELLS
from rnn_core.commands import Command, Result, command_line
from rnn_core.comparison import attention, memory_task, residual
from rnn_core.comparison.gradients import (
    ClippingConfig,
    GradientLabConfig,
    clipping_demo,
    decay_per_step,
    gradient_norms_over_time,
)
from rnn_core.comparison.side_by_side import ComparisonConfig, compare_cells
from rnn_core.runtime.machine import run_environment
from rnn_core.storage import write_json


def _sweep_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true",
                        help="CPU-sized sweep: T in {10, 100}, one seed (a few minutes)")
    parser.add_argument("--output", type=Path, default=None,
                        help="also write the results file here (written after every run)")
    parser.add_argument("--note", default="",
                        help="how the machine was shared, stored with the results")


def sweep_command(args: argparse.Namespace) -> Result:
    """Accuracy on the memory task for every cell and length T (the page's memory chart)."""
    settings = memory_task.QUICK_SWEEP if args.quick else memory_task.FULL_SWEEP
    started = time.perf_counter()
    runs: list[dict] = []

    def report() -> Result:
        return {
            "results": memory_task.summarize_runs(runs),
            "runs": runs,
            "settings": {**asdict(settings), "quick": bool(args.quick),
                         "task": _task_description()},
            "environment": run_environment(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "wall_time_s": round(time.perf_counter() - started, 1),
            "complete": len(runs) == len(settings.cells) * len(settings.seq_lens)
            * len(settings.seeds),
            "command": "rnn-lab compare-sweep" + (" --quick" if args.quick else "") + " --json",
            "note": args.note,
        }

    def save(run: memory_task.MemoryRun) -> None:
        runs.append(run.to_dict())
        if args.output is not None:
            write_json(args.output, report())

    memory_task.run_sweep(settings, on_run=save)
    return report()


def _task_description() -> dict:
    defaults = asdict(memory_task.MemoryTaskConfig())
    for name in ("cell", "seq_len", "seed", "epochs"):
        defaults.pop(name)
    return defaults


def _memory_arguments(parser: argparse.ArgumentParser) -> None:
    live = memory_task.LIVE_RUN
    parser.add_argument("--cell", choices=CELLS, default=live.cell)
    parser.add_argument("--seq-len", type=int, default=live.seq_len)
    parser.add_argument("--epochs", type=int, default=live.epochs)
    parser.add_argument("--seed", type=int, default=live.seed)


def memory_command(args: argparse.Namespace) -> Result:
    """One live run of the memory task, as the page's "try it live" button trains it."""
    config = replace(memory_task.LIVE_RUN, cell=args.cell, seq_len=args.seq_len,
                     epochs=args.epochs, seed=args.seed)
    run = memory_task.train_memory_task(config)
    return run.to_dict() | {"loss_per_epoch": _round(run.loss),
                            "val_accuracy_per_epoch": _round(run.val_accuracy)}


def _compare_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = ComparisonConfig()
    parser.add_argument("--units", type=int, default=defaults.units)
    parser.add_argument("--layers", type=int, default=defaults.layers)
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--seq-len", type=int, default=defaults.seq_len)
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--seed", type=int, default=defaults.seed)


def compare_command(args: argparse.Namespace) -> Result:
    """SimpleRNN, LSTM and GRU side by side: parameters, seconds per epoch, loss curves."""
    config = ComparisonConfig(units=args.units, layers=args.layers,
                              bidirectional=args.bidirectional, seq_len=args.seq_len,
                              epochs=args.epochs, seed=args.seed)
    return {"config": asdict(config), "environment": run_environment(), "cells": [
        {"cell": r.cell, "formula_params": r.formula_params, "keras_params": r.keras_params,
         "formulas": r.formulas, "seconds_per_epoch": round(r.seconds_per_epoch, 4),
         "loss": _round(r.loss), "accuracy": _round(r.accuracy)}
        for r in compare_cells(config)]}


def _gradient_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = GradientLabConfig()
    parser.add_argument("--radius", type=float, default=defaults.radius,
                        help="SimpleRNN recurrent kernel's spectral radius")
    parser.add_argument("--seq-len", type=int, default=defaults.seq_len)
    parser.add_argument("--input-scale", type=float, default=defaults.input_scale)
    parser.add_argument("--no-remember-bias", action="store_true",
                        help="gated cells keep Keras's initial gate biases")
    parser.add_argument("--clipping", action="store_true",
                        help="also run the clipping demo at this radius")


def gradients_command(args: argparse.Namespace) -> Result:
    """The gradient lab: ||d output / d x_t|| per step for each cell, optionally clipping."""
    bias = 0.0 if args.no_remember_bias else GradientLabConfig().remember_bias
    result: Result = {"cells": {}}
    for cell in CELLS:
        norms = gradient_norms_over_time(GradientLabConfig(
            cell=cell, seq_len=args.seq_len, radius=args.radius, input_scale=args.input_scale,
            remember_bias=bias))
        result["cells"][cell] = {"norms_first_to_last": _round(norms),
                                 "change_per_step_back": round(decay_per_step(norms), 4)}
    if args.clipping:
        plain, clipped = clipping_demo(ClippingConfig(radius=args.radius))
        result["clipping"] = {
            name: {"clipnorm": run.clipnorm, "diverged": run.diverged, "loss": _round(run.loss),
                   "max_gradient_norm": float(f"{max(run.gradient_norm):.4g}")}
            for name, run in (("without", plain), ("with", clipped))}
    return result


def _round(values: np.ndarray | list[float]) -> list[float]:
    return [float(f"{value:.4g}") for value in values]


def _residual_arguments(parser: argparse.ArgumentParser) -> None:
    lab, skip = GradientLabConfig(), residual.SkipPathConfig()
    parser.add_argument("--radius", type=float, default=lab.radius,
                        help="spectral radius of the SimpleRNN's recurrent kernel")
    parser.add_argument("--seq-len", type=int, default=lab.seq_len)
    parser.add_argument("--input-scale", type=float, default=lab.input_scale)
    parser.add_argument("--mix", type=float, default=skip.mix,
                        help="alpha: the share of the new candidate per step")


def residual_command(args: argparse.Namespace) -> Result:
    """The gradient lab's SimpleRNN with and without a skip path through time (additive and
    gated), beside LSTM and GRU: gradient norm per step, change per step, steps it survives."""
    lab = GradientLabConfig(seq_len=args.seq_len, radius=args.radius,
                            input_scale=args.input_scale)
    series = {cell: gradient_norms_over_time(replace(lab, cell=cell)) for cell in CELLS}
    for kind in residual.SKIP_KINDS:
        skip = residual.SkipPathConfig(kind=kind, mix=args.mix)
        series[f"simple_rnn_{kind}"] = residual.skip_path_norms(lab, skip)
    return {"settings": {**asdict(lab), "mix": args.mix,
                         "survival_floor": residual.SURVIVAL_FLOOR},
            "series": {name: {"norms_first_to_last": _round(norms),
                              "change_per_step_back": round(decay_per_step(norms), 4),
                              "steps_survived": residual.steps_survived(norms)}
                       for name, norms in series.items()}}


def _timing_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = attention.TimingConfig()
    parser.add_argument("--lengths", type=int, nargs="+", default=list(attention.SWEEP_LENGTHS))
    parser.add_argument("--batch", type=int, default=defaults.batch)
    parser.add_argument("--d-model", type=int, default=defaults.d_model)
    parser.add_argument("--heads", type=int, default=defaults.heads)
    parser.add_argument("--repeats", type=int, default=defaults.repeats)
    parser.add_argument("--warmup", type=int, default=defaults.warmup)
    parser.add_argument("--output", type=Path, default=None,
                        help="also write the results file here (the page reads "
                        "results/attention_timing.json)")
    parser.add_argument("--note", default="", help="how the machine was shared, stored with it")


def attention_timing_command(args: argparse.Namespace) -> Result:
    """Milliseconds per batch against sequence length: a GRU and one attention block of about
    the same size, on this machine (the comparison page's "what replaced RNNs" chart)."""
    config = attention.TimingConfig(d_model=args.d_model, heads=args.heads, batch=args.batch,
                                    repeats=args.repeats, warmup=args.warmup)
    for seq_len in args.lengths:
        check_range("seq_len", seq_len, attention.SEQ_LEN_BOUND, whole=True)
    started, load_before = time.perf_counter(), attention.load_average()
    parameters, points = attention.sweep(config, args.lengths)
    result: Result = {
        "settings": asdict(config), "parameters": parameters, "points": points,
        "gru_ms_per_step": round(attention.gru_ms_per_step(points) or 0.0, 4),
        "mode": "forward pass (inference), float32, one tf.function per model",
        "environment": run_environment(),
        "load_average": {"before": load_before, "after": attention.load_average()},
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(time.perf_counter() - started, 1),
        "command": command_line("attention-timing", {
            "--lengths": [int(n) for n in args.lengths], "--batch": config.batch,
            "--d-model": config.d_model, "--heads": config.heads, "--repeats": config.repeats,
            "--warmup": config.warmup, "--output": args.output, "--note": args.note or None}),
        "note": args.note,
    }
    if args.output is not None:
        write_json(args.output, result)
    return result


COMMANDS: list[Command] = [
    ("compare-sweep", _sweep_arguments, sweep_command),
    ("memory", _memory_arguments, memory_command),
    ("compare", _compare_arguments, compare_command),
    ("gradients", _gradient_arguments, gradients_command),
    ("residual", _residual_arguments, residual_command),
    ("attention-timing", _timing_arguments, attention_timing_command),
]
