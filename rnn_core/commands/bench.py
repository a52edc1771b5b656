"""``rnn-lab bench``: the app's speed and memory figures, written as JSON."""

from __future__ import annotations

import argparse
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from rnn_core.commands import Command, Result
from rnn_core.machine import cpu_model
from rnn_core.storage import write_json


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("results/bench.json"),
                        help="where to write the results (default: results/bench.json)")
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the app measurements (no chromium / playwright here)")
    parser.add_argument("--repeats", type=int, default=3, help="sine training runs to time")


def bench_command(args: argparse.Namespace) -> Result:
    """All speed and memory figures: the app in a real browser, sine training, IMDB latency."""
    from rnn_core.bench import measure_app
    from rnn_core.commands.forecasting import bench_sine_command
    from rnn_core.sentiment.registry import benchmark as imdb_benchmark

    if args.repeats < 1 or args.repeats > 20:
        raise ValueError("--repeats must be between 1 and 20")
    result: Result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": cpu_model(),
        "cpu_threads": os.cpu_count(),
        "python": platform.python_version(),
        # the app first, in its own server process, before this process imports TensorFlow
        "app": None if args.no_browser else measure_app(args.lang),
        "sine": bench_sine_command(argparse.Namespace(repeats=args.repeats)),
        "imdb": imdb_benchmark(repeats=20),
    }
    write_json(args.out, result, indent=2)
    return result


COMMANDS: list[Command] = [("bench", _bench_arguments, bench_command)]
