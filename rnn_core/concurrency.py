"""One training at a time per server process.

Streamlit runs every browser session in a thread of one process, on a server with two cores.
Two trainings at once would each run at half speed and double the memory, so every live training
(forecaster, cell comparison, memory task, gradient lab) runs inside this process-wide slot: the
pages take it through ``rnn_ui.widgets.in_training_slot``, never the training code itself, so the
CLI and the tests train without it. A session that finds it taken is told so, and waits instead
of failing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_TRAINING = threading.Lock()
WAIT_TIMEOUT_S = 300.0  # a learner waits at most this long for another learner's training


class TrainingBusy(RuntimeError):
    """Another session kept the training slot for longer than ``WAIT_TIMEOUT_S``."""


@contextmanager
def training_slot(
    on_wait: Callable[[], None] | None = None, timeout: float = WAIT_TIMEOUT_S
) -> Iterator[None]:
    """Hold the process's single training slot for the ``with`` block.

    ``on_wait`` is called once, before blocking, if another session holds the slot (the page uses
    it to say "another learner is training, waiting...").
    """
    if not _TRAINING.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        if not _TRAINING.acquire(timeout=timeout):
            raise TrainingBusy(f"the training slot stayed busy for {timeout:.0f} s")
    try:
        yield
    finally:
        _TRAINING.release()
