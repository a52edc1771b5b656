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

from rnn_core.runtime import memory

_TRAINING = threading.Lock()
_holder: list[str] = [""]  # who holds the slot now (a session's own id; "" when free)
WAIT_TIMEOUT_S = 300.0  # a learner waits at most this long for another learner's training


class TrainingBusy(RuntimeError):
    """Another session kept the training slot for longer than ``WAIT_TIMEOUT_S``."""


@contextmanager
def training_slot(
    on_wait: Callable[[bool], None] | None = None, timeout: float = WAIT_TIMEOUT_S,
    owner: str = "",
) -> Iterator[None]:
    """Hold the process's single training slot for the ``with`` block.

    ``on_wait(mine)`` is called once, before blocking, if the slot is taken; ``mine`` says
    whether ``owner`` holds it already, which is the learner's own previous run still finishing
    (a click on Train while a run is going interrupts it only at its next progress report), not
    another learner's.
    """
    if not _TRAINING.acquire(blocking=False):
        if on_wait is not None:
            on_wait(bool(owner) and _holder[0] == owner)
        if not _TRAINING.acquire(timeout=timeout):
            raise TrainingBusy(f"the training slot stayed busy for {timeout:.0f} s")
    _holder[0] = owner
    try:
        yield
    finally:
        _holder[0] = ""
        _TRAINING.release()
        memory.request_release()  # the run's freed memory goes back to the system


def between_trainings(work: Callable[[], object]) -> bool:
    """Run ``work`` holding the training slot if no training holds it now; whether it ran.
    Never waits; keep ``work`` short (the janitor's: a few milliseconds), as a training that
    starts meanwhile waits for it."""
    if not _TRAINING.acquire(blocking=False):
        return False
    try:
        work()
    finally:
        _TRAINING.release()
    return True
