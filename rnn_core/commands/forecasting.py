"""CLI commands behind the forecasting page: ``sine``, ``forecast`` and ``bench-sine``."""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

from rnn_core.cells import CELLS
from rnn_core.commands import Command, Result
from rnn_core.forecasting import csv_series, experiment
from rnn_core.forecasting.series import FRAMINGS, SineSettings
from rnn_core.forecasting.training import TrainConfig

BENCH_GOAL_S = 3.0  # the seed setting's whole training run, after TensorFlow is imported


def _sine_arguments(parser: argparse.ArgumentParser) -> None:
    config, settings = TrainConfig(), SineSettings()
    parser.add_argument("--cell", choices=CELLS, default=config.cell)
    parser.add_argument("--units", type=int, default=config.units)
    parser.add_argument("--layers", type=int, default=config.layers)
    parser.add_argument("--epochs", type=int, default=config.epochs)
    parser.add_argument("--framing", choices=FRAMINGS, default=config.framing)
    parser.add_argument("--points", type=int, default=settings.points)
    parser.add_argument("--noise", type=float, default=settings.noise)
    parser.add_argument("--window", type=int, default=config.window)
    parser.add_argument("--seed", type=int, default=settings.seed,
                        help="seeds the noise and the model's initial weights")


def sine_command(args: argparse.Namespace) -> Result:
    """Train the sine forecaster (the page's defaults) and report losses and forecast errors."""
    settings = SineSettings(points=args.points, noise=args.noise, seed=args.seed)
    config = TrainConfig(cell=args.cell, units=args.units, layers=args.layers,
                         epochs=args.epochs, framing=args.framing, window=args.window,
                         seed=args.seed)
    problem = experiment.sine_problem(settings, config)
    trained = experiment.fit_or_load(problem)
    evaluation = experiment.evaluate(trained, problem, period=settings.period)
    return {
        "cell": config.cell, "params": trained.params, "epochs": trained.history.epochs,
        "final_loss": trained.history.loss[-1], "final_val_loss": trained.history.val_loss[-1],
        **evaluation.metrics, "period": evaluation.period, "n_train": problem.n_train,
        "n_validation": problem.n_test, "train_seconds": round(trained.train_seconds, 3),
        "settings": dataclasses.asdict(settings), "config": config.as_dict(),
    }


def _forecast_arguments(parser: argparse.ArgumentParser) -> None:
    config = experiment.FORECAST_CONFIG
    parser.add_argument("--csv", type=Path, required=True, help="a CSV file with a numeric column")
    parser.add_argument("--column", default=None, help="default: the last numeric column")
    parser.add_argument("--cell", choices=CELLS, default=config.cell)
    parser.add_argument("--period", type=int, default=None,
                        help="season length for the seasonal-naive baseline (default: detected)")
    parser.add_argument("--missing", choices=("interpolate", "drop"), default="interpolate",
                        help="what to do with blank, NaN or infinite cells")
    parser.add_argument("--epochs", type=int, default=config.epochs)
    parser.add_argument("--seed", type=int, default=config.seed)


def forecast_command(args: argparse.Namespace) -> Result:
    """Train on the first 80 percent of a CSV series, forecast the rest one step ahead each."""
    try:
        data = args.csv.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read {args.csv}: {error.strerror}") from error
    series = csv_series.read_series(data, args.column, args.missing)
    config = dataclasses.replace(experiment.FORECAST_CONFIG, cell=args.cell, epochs=args.epochs,
                                 seed=args.seed)
    if len(series.values) * 0.8 < 2 * config.window:
        raise ValueError(f"the series is too short for window {config.window}")
    problem = experiment.prepare(series.values, config, experiment.FORECAST_SCALING)
    trained = experiment.fit_or_load(problem)
    evaluation = experiment.evaluate(trained, problem, period=args.period)
    m = evaluation.metrics
    return {
        "column": series.column, "missing_values": series.missing,
        "missing_policy": series.policy, "n_train": problem.n_train, "n_test": problem.n_test,
        "rnn_mse": m["one_step_mse"], "naive_mse": m["persistence_mse"],
        "rnn_mae": m["one_step_mae"], "naive_mae": m["persistence_mae"],
        "seasonal_naive_mse": m.get("seasonal_naive_mse"), "period": evaluation.period,
        "closed_loop_mse": m["closed_loop_mse"], "rnn_vs_naive": m["one_step_mse"]
        / m["persistence_mse"] if m["persistence_mse"] else None,
        "params": trained.params, "epochs": trained.history.epochs,
        "train_seconds": round(trained.train_seconds, 3), "config": config.as_dict(),
        "scaling": experiment.FORECAST_SCALING,
    }


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeats", type=int, default=3, choices=range(1, 11))


def bench_sine_command(args: argparse.Namespace) -> Result:
    """Time the seed setting's whole training run (new model each time, no cache)."""
    already = "tensorflow" in sys.modules
    started = time.perf_counter()
    import keras  # noqa: F401 - timed on purpose
    import_seconds = time.perf_counter() - started
    problem = experiment.sine_problem(SineSettings(), TrainConfig())
    runs = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        trained = experiment.fit_or_load(problem)  # build + compile + 20 epochs
        runs.append(time.perf_counter() - started)
    first = trained.history.epoch_seconds
    return {
        "benchmark": "sine_seed_training", "points": problem.values.size,
        "epochs": TrainConfig().epochs, "import_seconds": None if already else round(
            import_seconds, 3), "run_seconds": [round(r, 3) for r in runs],
        "first_run_seconds": round(runs[0], 3), "median_seconds": round(
            statistics.median(runs), 3), "last_run_first_epoch_seconds": round(first[0], 3),
        "goal_seconds": BENCH_GOAL_S, "meets_goal": runs[0] < BENCH_GOAL_S,
        "final_val_loss": trained.history.val_loss[-1],
    }


COMMANDS: list[Command] = [
    ("sine", _sine_arguments, sine_command),
    ("forecast", _forecast_arguments, forecast_command),
    ("bench-sine", _bench_arguments, bench_sine_command),
]
