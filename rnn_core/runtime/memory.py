"""Giving memory back to the operating system, once a training or a learner's session is done.

A Streamlit server is one long-lived process. Each Keras training allocates and frees many
small blocks; glibc's allocator keeps freed blocks in its arenas, so the server's resident size
(what a host such as Community Cloud counts against its limit) stays at its peak long after the
models are gone. ``release()`` collects unreachable Python objects (Keras models sit in reference
cycles) and asks glibc to return free arena memory (``malloc_trim``). It never touches live
objects, caches or TensorFlow's state, so it is safe while other sessions train.

Between trainings the janitor also drops TensorFlow's cache of eager kernels
(``forget_eager_kernels``), which only grows: 40-70 MB after one learner at the pages' largest
sizes. What stays: TensorFlow's other caches, 80-90 MB after the first learner at those sizes
and nothing more after the next ones (``keras_fixes`` stops Keras's optimizer from leaving every
training's graph behind); ``tests/test_memory.py`` bounds what one learner at the pages'
largest sizes leaves behind once their session ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
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


def forget_eager_kernels() -> bool:
    """Drop TensorFlow's cache of eager kernels, if TensorFlow is loaded; whether it was.

    Every op a model runs eagerly (called outside ``fit`` and ``predict``: a comparison's
    held-out score after each epoch, a forecast, an explanation) is compiled, once per op and
    attributes, into a kernel TensorFlow keeps for the life of the process. Dropping them is
    safe while other threads run eager ops (each running op holds its own kernel; the shipped
    models read the same after it, ``tests/test_memory.py``) but makes the next call of each op
    compile it again (the four sentiment models' next review: about 0.3 s instead of 6 ms), and a
    running ``fit`` would rebuild its step: the janitor does it only between trainings.
    """
    context = sys.modules.get("tensorflow.python.eager.context")
    if context is None:
        return False
    context.context().clear_kernel_cache()
    return True


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
            growth: float = GROWTH_MB, stale: float = STALE_S,
            rewarm: Callable[[], None] | None = None) -> None:
    """Until ``stop`` is set, ``release()``:

    * when asked (``request_release``: a training or a session ended);
    * when the process grew by ``growth`` MiB since the last release;
    * when it still stands ``growth`` MiB above the smallest size a release ever left and the
      last release is ``stale`` seconds old. A session's objects often sit in reference
      cycles that only a full collection frees, and the end of a session shows no growth: without
      this rule a server whose class went home would keep their memory until the next training.

    Checked every ``every`` seconds; one release costs a full collection (0.1-0.3 s of the
    interpreter lock), so at most one per ``stale`` seconds while learners hold memory. Each
    release first forgets the eager kernels if no training runs
    (``concurrency.between_trainings``), then calls ``rewarm`` (the server compiles the
    sentiment models' kernels again, on this thread, so no learner waits for them)."""
    from rnn_core.runtime import concurrency  # it imports this module for request_release

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
            if concurrency.between_trainings(forget_eager_kernels) and rewarm is not None:
                _quietly(rewarm)
            release()
            last, released_at = rss_mb(), time.monotonic()
            floor = min(floor, last)


def _quietly(work: Callable[[], None]) -> None:
    """The janitor's optional steps never stop the janitor: a failed re-warm costs only its
    own speed-up, and is logged."""
    try:
        work()
    except Exception as error:
        logging.getLogger(__name__).warning("the janitor's re-warm failed: %s", error)
