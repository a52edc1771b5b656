"""Where RNN Lab keeps state on disk (progress database, model cache).

One directory, ``$RNN_LAB_HOME`` or ``~/.cache/rnn-lab``, so tests can point it at a temporary
folder and a deployment can point it at persistent storage.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "RNN_LAB_HOME"


def state_dir() -> Path:
    """The state directory, created on first use."""
    path = Path(os.environ.get(HOME_ENV) or Path.home() / ".cache" / "rnn-lab")
    path.mkdir(parents=True, exist_ok=True)
    return path
