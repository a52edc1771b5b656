"""Memory goes back to the system: ``rnn_core.memory.release`` returns freed heap memory, and the
janitor thread releases when a training asks it to, without the learner's thread waiting."""

from __future__ import annotations

import sys
import threading

import pytest

from rnn_core import concurrency, memory

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or memory._libc() is None,
                                reason="malloc_trim and /proc are Linux / glibc only")


@linux_only
def test_release_returns_freed_small_blocks_to_the_system():
    before = memory.rss_mb()
    blocks = [bytearray(512) for _ in range(400_000)]  # ~250 MB of small heap blocks
    assert memory.rss_mb() - before > 150
    del blocks
    memory.release()
    assert memory.rss_mb() - before < 60  # without malloc_trim glibc keeps most of it


def test_a_training_slot_asks_the_janitor_and_the_janitor_releases(monkeypatch):
    released = threading.Event()
    monkeypatch.setattr(memory, "release", lambda: released.set() or 0.0)
    stop = threading.Event()
    worker = threading.Thread(target=memory.janitor, args=(stop,),
                              kwargs={"every": 60.0, "growth": 1e9}, daemon=True)
    worker.start()
    try:
        with concurrency.training_slot():
            assert not released.is_set()  # nothing is released while the run holds the slot
        assert released.wait(10), "the janitor did not release after the training"
    finally:
        stop.set()
        memory.request_release()  # wake it so it sees the stop
        worker.join(10)
    assert not worker.is_alive()
