"""Giving memory back to the operating system, once a training or a learner's session is done.

A Streamlit server is one long-lived process. Each Keras training allocates and frees many
small blocks; glibc's allocator keeps freed blocks in its arenas, so the server's resident size
(what a host such as Community Cloud counts against its limit) stays at its peak long after the
models are gone. ``release()`` collects unreachable Python objects (Keras models sit in reference
cycles) and asks glibc to return free arena memory (``malloc_trim``). It never touches live
objects, caches or TensorFlow's state, so it is safe while other sessions train.

What stays: TensorFlow's own caches, about 20 MB after the first training at a new size and
nothing more after the next ones (``keras_fixes`` stops Keras's optimizer from leaving every
training's graph behind); ``tests/test_memory.py`` bounds what one learner at the pages'
largest sizes leaves behind once their session ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time
import weakref
from functools import cache
from pathlib import Path

IDLE_CHECK_S = 30.0  # how often the janitor looks at the server's size
GROWTH_MB = 32.0  # trim once the size grew this much since the last trim
STALE_S = 120.0  # and, while the size stands that far above its floor, at least this often


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
    """Ask the janitor thread to ``release()`` soon (a training or a session just ended);
    returns at once, so the learner who trained does not wait for the collector."""
    _WANTED.set()


def release_when_gone(owner: object) -> None:
    """Ask for a release once ``owner`` is gone: put a small object of a session's own state
    here and the end of the session (Streamlit dropping its state) frees what it held."""
    weakref.finalize(owner, request_release)


def janitor(stop: threading.Event, every: float = IDLE_CHECK_S,
            growth: float = GROWTH_MB, stale: float = STALE_S) -> None:
    """Until ``stop`` is set, ``release()``:

    * when asked (``request_release``: a training or a session ended);
    * when the process grew by ``growth`` MiB since the last release;
    * when it still stands ``growth`` MiB above the smallest size a release ever left and the
      last release is ``stale`` seconds old. A session's objects often sit in reference
      cycles that only a full collection frees, and the end of a session shows no growth: without
      this rule a server whose class went home would keep their memory until the next training.

    Checked every ``every`` seconds; one release costs a full collection (0.1-0.3 s of the
    interpreter lock), so at most one per ``stale`` seconds while learners hold memory."""
    last = floor = rss_mb()
    released_at = time.monotonic()
    while not stop.is_set():
        asked = _WANTED.wait(every)
        _WANTED.clear()
        if stop.is_set():
            return
        size = rss_mb()
        overdue = size - floor >= growth and time.monotonic() - released_at >= stale
        if asked or size - last >= growth or overdue:
            release()
            last, released_at = rss_mb(), time.monotonic()
            floor = min(floor, last)
