"""Giving memory back to the operating system, once a training or a learner's session is done.

A Streamlit server is one long-lived process. Each Keras training allocates and frees many
small blocks; glibc's allocator keeps freed blocks in its arenas, so the server's resident size
(what a host such as Community Cloud counts against its limit) stays at its peak long after the
models are gone. ``release()`` collects unreachable Python objects (Keras models sit in reference
cycles) and asks glibc to return free arena memory (``malloc_trim``). It never touches live
objects, caches or TensorFlow's state, so it is safe while other sessions train.

What it cannot return: TensorFlow keeps part of every ``fit()``'s traced graph for the life of
the process (one graph per fit outlives its model: about 10 MB for a 2-layer LSTM of 32 units,
about 90 MB for a sine forecaster and a cell comparison at the pages' largest sizes), so a
server that trains all day grows slowly. ``tests/test_memory.py`` bounds what one learner at
those sizes leaves behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from functools import cache
from pathlib import Path

IDLE_CHECK_S = 30.0  # how often the janitor looks at the server's size
GROWTH_MB = 32.0  # trim once the size grew this much since the last trim


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def rss_mb() -> float:
    """This process's resident size in MiB (Linux; 0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def release() -> float:
    """Collect garbage and return free heap memory to the system; MiB the process shrank by."""
    before = rss_mb()
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    return max(before - rss_mb(), 0.0)


_WANTED = threading.Event()


def request_release() -> None:
    """Ask the janitor thread to ``release()`` soon (a training just ended); returns at once, so
    the learner who trained does not wait for the collector."""
    _WANTED.set()


def janitor(stop: threading.Event, every: float = IDLE_CHECK_S,
            growth: float = GROWTH_MB) -> None:
    """Until ``stop`` is set: ``release()`` when asked (``request_release``), or when the
    process grew by ``growth`` MiB since the last release, checked every ``every`` seconds
    (a learner's session that ended leaves its objects to the collector: Streamlit drops a
    closed tab's session a couple of minutes after it disconnects)."""
    baseline = rss_mb()
    while not stop.is_set():
        asked = _WANTED.wait(every)
        _WANTED.clear()
        if stop.is_set():
            return
        if asked or rss_mb() - baseline >= growth:
            release()
            baseline = rss_mb()
