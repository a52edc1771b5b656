"""``rnn-lab bench``: the app's speed and memory figures, written as JSON."""

from __future__ import annotations

import argparse
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from rnn_core.commands import Command, Result
from rnn_core.runtime.machine import cpu_model
from rnn_core.storage import write_json


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("results/bench.json"),
                        help="where to write the results (default: results/bench.json)")
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the app measurements (no chromium / playwright here)")
    parser.add_argument("--repeats", type=int, default=5, choices=range(1, 21), metavar="1..20",
                        help="samples of every timed action (and fresh servers)")
    parser.add_argument("--class-size", type=int, default=16, choices=range(0, 65),
                        metavar="0..64", help="learners at once in the stress run, each "
                        "clicking again as soon as answered (0: skip it)")
    parser.add_argument("--paced-class-size", type=int, default=30, choices=range(0, 65),
                        metavar="0..64", help="learners at once in the paced class run, each "
                        "reading --think-s seconds between clicks (0: skip it)")
    parser.add_argument("--think-s", type=float, default=10.0,
                        help="the paced learners' mean pause between clicks (default: 10)")


def bench_command(args: argparse.Namespace) -> Result:
    """All speed and memory figures: one learner, a stress run and a paced class in a real
    browser, sine training, IMDB latency."""
    import asyncio

    from rnn_core.bench.lesson import measure_class
    from rnn_core.bench.measure import measure_app
    from rnn_core.commands.forecasting import bench_sine_command
    from rnn_core.sentiment.registry import benchmark as imdb_benchmark

    browser = not args.no_browser
    result: Result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": cpu_model(),
        "cpu_threads": os.cpu_count(),
        "python": platform.python_version(),
        # the app first, in its own server processes, before this process imports TensorFlow
        "app": asyncio.run(measure_app(args.lang, args.repeats)) if browser else None,
        "class": measure_class(args.class_size, args.lang) if browser and args.class_size
        else None,
        "class_paced": measure_class(args.paced_class_size, args.lang, args.think_s)
        if browser and args.paced_class_size else None,
        "sine": bench_sine_command(argparse.Namespace(repeats=min(args.repeats, 10))),
        "imdb": imdb_benchmark(repeats=20),
    }
    write_json(args.out, result, indent=2)
    return result


COMMANDS: list[Command] = [("bench", _bench_arguments, bench_command)]
