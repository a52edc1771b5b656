"""A small disk cache of trained models, shared by every session and surviving restarts.

An entry is two files in ``state_dir()/models``: ``<key>.keras`` (the model, optimizer state
included, so training can continue) and ``<key>.json`` (the loss history and what the key was
made of). The key hashes every setting, the data and the library versions, so a changed setting
or an upgraded Keras never returns a stale model. Both files are written to a temporary name
first and moved into place with ``os.replace``: a reader sees a whole entry or none. The cache
keeps at most ``max_entries`` entries and evicts the least recently used. An entry that fails to
load (truncated, edited, from an incompatible version) is deleted and reported as a miss, so
the caller simply trains again. Each ``load`` returns a new model object: sessions never share a
model they might train further.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rnn_core.storage import state_dir, write_atomic

if TYPE_CHECKING:
    import keras

LOG = logging.getLogger(__name__)
FORMAT_VERSION = 1  # bump when the meaning of an entry changes
DEFAULT_MAX_ENTRIES = 40  # a small SimpleRNN entry is ~50 KB; a 3-layer LSTM(64) ~1 MB
_LOCK = threading.Lock()  # eviction and writes, within this process


def library_versions() -> dict[str, str]:
    """Versions that can change what a saved model means or how it loads."""
    import keras
    import tensorflow as tf

    return {"keras": keras.__version__, "tensorflow": tf.__version__,
            "numpy": np.__version__, "format": str(FORMAT_VERSION)}


def cache_key(settings: dict[str, Any], data: np.ndarray) -> str:
    """SHA-256 over the settings (as sorted JSON), the data's bytes and the library versions."""
    digest = hashlib.sha256()
    payload = {"settings": settings, "versions": library_versions()}
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    array = np.ascontiguousarray(np.asarray(data, dtype="float64"))
    digest.update(str(array.shape).encode())
    digest.update(array.tobytes())
    return digest.hexdigest()


class WeightCache:
    """Trained models on disk, keyed by ``cache_key``."""

    def __init__(self, root: Path | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.root = root if root is not None else state_dir() / "models"
        self.max_entries = max_entries
        self.root.mkdir(parents=True, exist_ok=True)

    def _paths(self, key: str) -> tuple[Path, Path]:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("a cache key is a SHA-256 hex digest")
        return self.root / f"{key}.keras", self.root / f"{key}.json"

    def load(self, key: str) -> tuple[keras.Model, dict[str, Any]] | None:
        """(a fresh model, its metadata), or ``None`` if absent or unreadable (then deleted)."""
        import keras

        model_path, meta_path = self._paths(key)
        if not model_path.exists() or not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("key") != key:
                raise ValueError("metadata does not belong to this entry")
            model = keras.saving.load_model(model_path, safe_mode=True)
        except Exception as error:  # any failure means "retrain", never a crash
            LOG.warning("discarding unreadable cache entry %s: %s", key[:12], error)
            self.discard(key)
            return None
        with contextlib.suppress(OSError):
            os.utime(model_path)  # recently used: evicted last
        return model, meta

    def save(self, key: str, model: keras.Model, meta: dict[str, Any]) -> None:
        """Store ``model`` and ``meta`` atomically, then evict the oldest entries."""
        model_path, meta_path = self._paths(key)
        with _LOCK:
            write_atomic(model_path, model.save, suffix=".keras")
            write_atomic(meta_path, json.dumps({**meta, "key": key}, ensure_ascii=False))
            self._evict()

    def discard(self, key: str) -> None:
        for path in self._paths(key):
            with contextlib.suppress(OSError):
                path.unlink()

    def keys(self) -> list[str]:
        """Keys of the stored entries, least recently used first."""
        dated = []
        for path in self.root.glob("*.keras"):
            with contextlib.suppress(OSError):  # another process may just have evicted it
                if not path.name.startswith("."):
                    dated.append((path.stat().st_mtime, path.stem))
        return [key for _, key in sorted(dated)]

    def _evict(self) -> None:
        stale = self.keys()[:-self.max_entries] if self.max_entries > 0 else self.keys()
        for key in stale:
            self.discard(key)
