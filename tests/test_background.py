"""The warm-up gives way to learners (``rnn_ui.background``): its steps wait for a running
script, its imports wait module by module without deadlocking a learner who needs the same
module, and the heap is frozen while it works."""

from __future__ import annotations

import gc
import sys
import threading
import time

import pytest

from rnn_ui import background, warmup


@pytest.fixture
def learner():
    """``start(seconds)``: a thread named as Streamlit names a script thread, busy that long."""
    threads = []

    def start(seconds: float) -> threading.Thread:
        def busy() -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                sum(range(1000))

        thread = threading.Thread(target=busy, name=background.SCRIPT_THREAD, daemon=True)
        thread.start()
        threads.append(thread)
        return thread

    yield start
    for thread in threads:
        thread.join(10)


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith("bg_probe_")]:
        del sys.modules[name]


def test_a_step_waits_until_no_script_runs(learner):
    assert background.wait_quiet(window_s=0.05, longest_s=5) < 0.5  # nobody there: at once
    learner(0.4)
    waited = background.wait_quiet(window_s=0.05, longest_s=5)
    assert 0.4 <= waited < 2.0


def test_a_step_gives_up_waiting_on_a_busy_server(learner):
    learner(3.0)
    assert background.wait_quiet(window_s=0.05, longest_s=0.3) < 1.0


def test_an_import_waits_while_a_learner_runs(learner, module_dir):
    (module_dir / "bg_probe_late.py").write_text("VALUE = 1\n")
    running = learner(0.4)
    with background.learners_first():
        exec("import bg_probe_late")  # an import statement, as TensorFlow's modules run them
    assert not running.is_alive()  # the import waited for the learner's run to end


def test_a_learner_waiting_for_the_module_being_imported_is_not_waited_for(module_dir):
    """The warm-up imports A, whose body imports B; a learner importing A meanwhile waits for
    A's lock, so the warm-up must not wait for that learner before importing B."""
    (module_dir / "bg_probe_b.py").write_text("VALUE = 2\n")
    (module_dir / "bg_probe_a.py").write_text(
        "import bg_probe_events as events\nevents.inside.set()\nevents.go.wait(10)\n"
        "import bg_probe_b\nVALUE = bg_probe_b.VALUE\n")
    events = type(sys)("bg_probe_events")
    events.inside, events.go = threading.Event(), threading.Event()
    sys.modules["bg_probe_events"] = events

    def warm_up() -> None:
        with background.learners_first(patience_s=10):
            exec("import bg_probe_a")

    worker = threading.Thread(target=warm_up, daemon=True)
    worker.start()
    assert events.inside.wait(5)
    found = {}
    blocked = threading.Thread(target=lambda: found.update(a=__import__("bg_probe_a").VALUE),
                               name=background.SCRIPT_THREAD, daemon=True)
    blocked.start()
    deadline = time.monotonic() + 5
    while background.learner_running() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not background.learner_running()  # waiting for A's lock: not running
    started = time.monotonic()
    events.go.set()
    worker.join(5)
    blocked.join(5)
    assert time.monotonic() - started < 2.0  # far from the 10 s of patience
    assert found == {"a": 2}


def test_the_import_wrapper_is_removed_afterwards():
    import builtins

    original = builtins.__import__
    with background.learners_first():
        assert builtins.__import__ is not original
    assert builtins.__import__ is original


def test_the_heap_is_frozen_while_the_warm_up_works():
    gc.unfreeze()
    try:
        with background.frozen_meanwhile(every_s=0.05):
            kept = [[index] for index in range(10_000)]  # noqa: F841  (alive, then frozen)
            time.sleep(0.3)
            assert gc.get_freeze_count() >= 10_000
        assert not any(t.name == "rnn-lab-freezer" for t in threading.enumerate())
    finally:
        gc.unfreeze()


def test_keras_checks_wait_for_the_warm_up_then_it_is_cleared(monkeypatch):
    """From the server's start until its warm-up has imported Keras, pages do not import it on a
    learner's click; however the warm-up ends, the flag is down afterwards."""
    seen = []
    monkeypatch.setattr(warmup, "STEPS", (("probe", lambda: seen.append(
        warmup.tensorflow_pending())),))
    monkeypatch.setattr(warmup, "GRACE_S", 0.0)
    monkeypatch.setattr(warmup, "freeze_heap", lambda: 0)
    first_page = threading.Event()
    first_page.set()
    warmup.run(after=first_page)
    assert seen == [True]
    assert not warmup.tensorflow_pending()
