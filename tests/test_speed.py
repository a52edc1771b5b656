"""What keeps clicks fast, asserted as behaviour (never as timings: those are benchmarks,
``scripts/time_reruns.py`` and ``rnn-lab bench``): diagrams built once and never changed by the
page, and the heap frozen after the warm-up."""

from __future__ import annotations

import gc
import threading

import pytest

from rnn_core.fundamentals import diagram
from rnn_core.i18n import translate
from rnn_ui import fundamentals as fundamentals_ui
from rnn_ui import warmup
from tests.apptest import button, open_app, open_lazy

# The page's diagrams with the step-through on its first step: the step-through's own, the
# pattern in the tab shown (the others are drawn once opened) and the bidirectional one.
FIRST_VIEW = 1 + 1 + 1


@pytest.fixture
def counted_builds(monkeypatch):
    """Calls of ``diagram.unrolled_diagram`` behind the shared cache, which starts empty."""
    calls = []
    build = diagram.unrolled_diagram

    def counting(*args, **kwargs):
        calls.append((args, kwargs))
        return build(*args, **kwargs)

    monkeypatch.setattr(diagram, "unrolled_diagram", counting)
    fundamentals_ui.shared_unrolled_diagram.cache_clear()
    yield calls
    fundamentals_ui.shared_unrolled_diagram.cache_clear()


def test_each_diagram_is_built_once_however_often_the_page_reruns(counted_builds):
    at = open_app("en", "fundamentals")
    assert len(counted_builds) == FIRST_VIEW
    button(at, "Next").click().run()
    assert len(counted_builds) == FIRST_VIEW + 1  # step 2 highlighted: one new diagram
    button(at, "Back").click().run()
    at.run()
    again = open_app("ja", "fundamentals")  # another learner, another language: the same ones
    assert not at.exception and not again.exception
    assert len(counted_builds) == FIRST_VIEW + 1


def test_what_the_learner_has_not_opened_is_not_sent():
    """Every element costs the browser time on every run, so closed code expanders and hidden
    tabs send nothing until they are opened, and then what they hold."""
    at = open_app("en", "fundamentals")
    assert not at.code  # the step-through's and the shapes explorer's code, both closed
    shown = FIRST_VIEW + 1  # the diagrams and the step-through's heatmap: one pattern of four
    assert len(at.image) == shown
    open_lazy(at, "fund:code")
    assert any("keras.layers.SimpleRNN(" in block.value for block in at.code)
    open_lazy(at, "fund:pattern", "one_to_many")
    assert len(at.image) == shown
    assert translate("fundamentals.pattern_one_to_many_text", "en") in [
        m.value for m in at.markdown]
    assert translate("fundamentals.pattern_one_to_one_text", "en") not in [
        m.value for m in at.markdown]


def test_the_warm_up_freezes_the_heap_it_leaves(monkeypatch):
    monkeypatch.setattr(warmup, "STEPS", (("nothing", lambda: None),))
    gc.unfreeze()
    try:
        assert warmup.run() == {"nothing": 0.0}
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process collects as usual again


def test_the_warm_up_waits_for_the_first_page(monkeypatch):
    """TensorFlow's import holds the interpreter for seconds: it must not start before the first
    page is drawn (or, on a server nobody visits, before START_LATEST_S)."""
    started = threading.Event()
    monkeypatch.setattr(warmup, "STEPS", (("probe", started.set),))
    monkeypatch.setattr(warmup, "GRACE_S", 0.0)
    monkeypatch.setattr(warmup, "freeze_heap", lambda: 0)
    first_page = threading.Event()
    worker = threading.Thread(target=warmup.run, kwargs={"after": first_page}, daemon=True)
    worker.start()
    assert not started.wait(0.5)  # no page drawn yet: nothing warmed
    first_page.set()
    worker.join(5)
    assert started.is_set() and not worker.is_alive()


def test_yaml_is_read_by_libyaml_exactly_as_by_pyyaml():
    """The catalogue, quizzes and glossary are parsed with libyaml (0.8 s of a fresh server's
    first page in pure Python): it must read every file of the course as PyYAML's own loader."""
    import yaml

    from rnn_core.storage import REPO_ROOT, read_yaml

    assert yaml.__with_libyaml__  # PyYAML's wheels are built with it: the fast path is taken
    files = sorted((REPO_ROOT / "rnn_core").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


class Slot:
    """An ``st.empty`` stand-in that records the charts drawn into it."""

    def __init__(self) -> None:
        self.charts: list[str] = []

    def progress(self, *args, **kwargs) -> None:
        pass

    def plotly_chart(self, figure, **kwargs) -> None:
        self.charts.append(kwargs["key"])


def live_charts(epoch_seconds: float, epochs: int = 20) -> tuple[list[str], list[str]]:
    """The loss and fit charts a live training of ``epochs`` epochs draws, each epoch taking
    ``epoch_seconds`` of a fake clock."""
    from rnn_core.forecasting.training import EpochReport, History
    from rnn_ui import forecasting

    now = [0.0]
    bar, loss, fit = Slot(), Slot(), Slot()
    history = History()
    report = forecasting.live_progress(
        bar, loss, fit, texts={"epoch": "{epoch}", "batch": "{batch}"}, fit_curve=lambda: None,
        history=history, clock=lambda: now[0])
    for epoch in range(1, epochs + 1):
        now[0] += epoch_seconds
        history.loss.append(1.0 / epoch)
        history.val_loss.append(1.0 / epoch)
        report(EpochReport(epoch, epochs, history.loss[-1], history.val_loss[-1], epoch_seconds))
    return loss.charts, fit.charts


def test_live_charts_follow_the_clock_not_the_epochs():
    loss, fit = live_charts(epoch_seconds=0.07)  # the page's defaults: 1.4 s of training
    assert 1 <= len(loss) <= 3, loss  # a growing curve, not one Plotly draw per epoch
    assert len(fit) <= 1, fit
    loss, fit = live_charts(epoch_seconds=1.0)  # slow epochs: every one is shown
    assert len(loss) == 19 and len(fit) >= 9, (loss, fit)
    assert "sine:live_loss:20" not in loss  # the last epoch is the results' to draw
