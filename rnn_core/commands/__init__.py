"""The ``rnn-lab`` commands, one module per page of the course.

Each module exposes ``COMMANDS``: (name, argument setup, function) triples. A function takes the
parsed arguments and returns a JSON-able dict; ``rnn_core.cli`` prints it.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from typing import Any

Result = dict[str, Any]
Command = tuple[
    str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], Result]
]


def command_line(name: str, options: dict[str, object]) -> str:
    """The ``rnn-lab`` command line that reproduces a result: every setting spelled out (the
    defaults too, which can change), shell-quoted, ending in ``--json``. ``options`` maps an
    option (``"--repeats"``) to its value: a list gives several values, True a bare flag, and
    None or False leaves the option out."""
    words = ["rnn-lab", name]
    for option, value in options.items():
        if value is None or value is False:
            continue
        words.append(option)
        if value is True:
            continue
        if isinstance(value, list | tuple):
            words.extend(str(v) for v in value)
        else:
            words.append(str(value))
    return shlex.join([*words, "--json"])
