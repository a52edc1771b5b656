"""How the server's background work (the warm-up) gives way to learners.

Sessions are threads of one process, so a background thread and a learner's script share one
interpreter lock: on two cores, a first learner who opened the fundamentals page while the
warm-up imported TensorFlow waited 4.2-6.4 s for a page that takes 1.4-1.7 s once the import is
done. Three things keep the learner first:

* ``wait_quiet``: a background step starts once no learner's script is running;
* ``learners_first``: inside a long import, each module waits while a learner's script runs;
* ``frozen_meanwhile`` / ``freeze_heap``: Streamlit collects garbage after every script run
  (``runner.postScriptGC``, fragment runs included); while TensorFlow was being imported each
  of those collections walked the half-imported library, 2.7 s of that first learner's 5.8 s
  (py-spy). Freezing the heap every 0.2 s keeps them to what was allocated since.
"""

from __future__ import annotations

import builtins
import gc
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SCRIPT_THREAD = "ScriptRunner.scriptThread"  # Streamlit's name for a thread running a script
MODULE_LOCK_WAIT = "_ModuleLock.acquire"  # importlib's frame for a thread waiting for a module
QUIET_S = 0.1  # a step starts once no learner's script has run for this long ...
QUIET_LONGEST_S = 2.0  # ... or after this long anyway: a busy server gets warmed up too
IMPORT_PATIENCE_S = 10.0  # the most one import waits for learners' scripts, in all
FREEZE_EVERY_S = 0.2  # a learner's post-run collection walks at most this much of the work
POLL_S = 0.02


def learner_running() -> bool:
    """Whether a learner's script (a page or a fragment) is running and could use the
    interpreter now: a Streamlit script thread not waiting for a module's lock (a module the
    background thread is importing: waiting for that learner in turn would stall both)."""
    frames = sys._current_frames()
    for thread in threading.enumerate():
        frame = frames.get(thread.ident) if thread.name == SCRIPT_THREAD else None
        if frame is not None and frame.f_code.co_qualname != MODULE_LOCK_WAIT:
            return True
    return False


def wait_quiet(window_s: float = QUIET_S, longest_s: float = QUIET_LONGEST_S) -> float:
    """Until no learner's script has run for ``window_s`` (at most ``longest_s``); seconds
    waited."""
    started = calm_since = time.monotonic()
    while (now := time.monotonic()) - started < longest_s:
        if learner_running():
            calm_since = now
        elif now - calm_since >= window_s:
            break
        time.sleep(POLL_S)
    return time.monotonic() - started


@contextmanager
def learners_first(patience_s: float = IMPORT_PATIENCE_S) -> Iterator[None]:
    """Inside the block, each import statement this thread runs first waits while a learner's
    script runs (at most ``patience_s`` in all), so a page run meanwhile has the interpreter
    lock to itself rather than sharing it with thousands of module imports.

    The wait sits in ``builtins.__import__``, before importlib takes any lock: an import hook
    (``sys.meta_path``) runs under Python's global import lock, and waiting there stopped every
    other thread's imports. What a module's own C code holds while it loads cannot be split."""
    thread, left, original = threading.get_ident(), [patience_s], builtins.__import__

    def polite_import(*args, **kwargs):
        while threading.get_ident() == thread and left[0] > 0 and learner_running():
            started = time.monotonic()
            time.sleep(POLL_S)
            left[0] -= time.monotonic() - started
        return original(*args, **kwargs)

    builtins.__import__ = polite_import
    try:
        yield
    finally:
        builtins.__import__ = original


@contextmanager
def frozen_meanwhile(every_s: float = FREEZE_EVERY_S) -> Iterator[None]:
    """Freeze the heap every ``every_s`` seconds until the block ends (a thread of its own), so
    a learner's post-run collection walks only what was allocated since, not the library being
    imported or the models being loaded. ``gc.freeze`` only moves the collector's lists; the
    garbage it may hold back meanwhile is collected by ``freeze_heap`` at the end."""
    done = threading.Event()

    def freeze() -> None:
        while not done.wait(every_s):
            gc.freeze()

    thread = threading.Thread(target=freeze, name="rnn-lab-freezer", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def freeze_heap() -> int:
    """Move every object alive now (modules, TensorFlow, loaded models, caches) out of the
    garbage collector's reach, so each later collection walks only what sessions allocate
    since (with TensorFlow loaded a full pass over ~360,000 long-lived objects took about 0.4 s
    per click); returns how many objects are frozen. Everything is collected first, frozen
    objects too, so no garbage is kept."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
