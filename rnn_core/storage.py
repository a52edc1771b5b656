"""Where RNN Lab keeps files, and the one way it writes them.

* ``REPO_ROOT``: the checkout, home of the shipped models (``models/``) and results
  (``results/``) that the pages read.
* ``state_dir()``: ``$RNN_LAB_HOME`` or ``~/.cache/rnn-lab``, for what the server writes while it
  runs (progress database, model cache), so tests can point it at a temporary folder and a
  deployment at persistent storage.
* ``write_atomic``: every file the project writes (models, manifests, caches, results) goes to a
  temporary name in the same folder first and is moved into place with ``os.replace``, so a
  reader sees the whole old file or the whole new one, never half of either.
* ``read_yaml``: the catalogue, quizzes and glossary, parsed by libyaml where PyYAML has it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HOME_ENV = "RNN_LAB_HOME"
REPO_ROOT = Path(__file__).resolve().parent.parent


def state_dir() -> Path:
    """The state directory, created on first use."""
    path = Path(os.environ.get(HOME_ENV) or Path.home() / ".cache" / "rnn-lab")
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, content: bytes | str | Callable[[Path], object],
                 suffix: str = "") -> None:
    """Write ``path`` all at once: ``content`` is the bytes or text, or a function that writes
    a given path (``model.save``, say; ``suffix`` is then the extension that writer expects).

    The file ends up readable by everyone (0644), like any file the project ships.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=suffix)
    os.close(handle)
    try:
        if callable(content):
            content(Path(temporary))
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            Path(temporary).write_bytes(data)
        os.chmod(temporary, 0o644)  # mkstemp creates 0600
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_json(path: Path, data: object, indent: int = 1) -> None:
    """``data`` as UTF-8 JSON with a final newline, atomically."""
    write_atomic(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


def read_json(path: Path) -> object:
    """The JSON in ``path``, or ``None`` when it is missing or unreadable (callers degrade)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_yaml(path: Path) -> Any:
    """The data in a YAML file, read with a safe loader: libyaml's where PyYAML was built with it
    (PyYAML's wheels are), else PyYAML's pure-Python one. The course's own files (the catalogue,
    the quizzes, the glossary) take a fresh server 0.8 s to parse in pure Python, holding the
    interpreter lock, and 0.06 s with libyaml; a test checks that both read them alike."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
