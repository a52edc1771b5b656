"""``rnn-lab bench``: the app's speed and memory figures, written as JSON."""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

from rnn_core.commands import Command, Result


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("results/bench.json"),
                        help="where to write the results (default: results/bench.json)")
    parser.add_argument("--lang", choices=("en", "ja"), default="en")


def bench_command(args: argparse.Namespace) -> Result:
    """Cold start, page-switch time and server memory of the app in a real browser."""
    from rnn_core.bench import measure_app

    result: Result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _cpu_name(),
        "python": platform.python_version(),
        "app": measure_app(args.lang),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


COMMANDS: list[Command] = [("bench", _bench_arguments, bench_command)]
