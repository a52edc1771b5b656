"""``rnn-lab``: the command line that reproduces every number the app shows.

Each command is a function taking the parsed arguments and returning a JSON-able dict. With
``--json`` that dict is printed as one JSON object on the last line; without it, as readable
``key: value`` lines. Commands live in ``rnn_core.commands.<topic>`` modules, listed below.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from rnn_core.commands import Command

COMMAND_MODULES = (  # one module per course topic, in the course's order; each has COMMANDS
    "rnn_core.commands.fundamentals",
    "rnn_core.commands.forecasting",
    "rnn_core.commands.comparison",
    "rnn_core.commands.sentiment",
    "rnn_core.commands.progress",
    "rnn_core.commands.bench",
)


def all_commands() -> list[Command]:
    """Every command of every module, in the course's order."""
    return [command for module in COMMAND_MODULES
            for command in importlib.import_module(module).COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rnn-lab", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add_arguments, run in all_commands():
        sub = subparsers.add_parser(name, help=run.__doc__.splitlines()[0],
                                    description=run.__doc__)
        add_arguments(sub)
        sub.add_argument("--json", action="store_true", help="print one JSON object at the end")
        sub.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.run(args)
    except ValueError as error:  # bad settings: a clear message, not a traceback
        print(f"rnn-lab {args.command}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
