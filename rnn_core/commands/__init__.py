"""The ``rnn-lab`` commands, one module per page of the course.

Each module exposes ``COMMANDS``: (name, argument setup, function) triples. A function takes the
parsed arguments and returns a JSON-able dict; ``rnn_core.cli`` prints it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Result = dict[str, Any]
Command = tuple[
    str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], Result]
]
