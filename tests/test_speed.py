"""What keeps clicks fast, asserted as behaviour (never as timings: those are benchmarks,
``scripts/time_reruns.py`` and ``rnn-lab bench``): diagrams built once and never changed by the
page, and the heap frozen after the warm-up."""

from __future__ import annotations

import gc

import pytest

from rnn_core.fundamentals import figures
from rnn_ui import fundamentals as fundamentals_ui
from rnn_ui import warmup
from tests.apptest import button, open_app

# The page's diagrams with the step-through on its first step: the step-through's own, the four
# patterns and the bidirectional one.
FIRST_VIEW = 1 + len(figures.PATTERNS) + 1


@pytest.mark.parametrize(("steps", "inputs", "outputs", "backward"), [
    (6, None, None, False), (4, {1}, {1, 2, 3, 4}, False), (4, {1, 2, 3, 4}, {4}, False),
    (4, None, None, True), (1, {1}, {1}, False)])
def test_unrolled_diagram_draws_one_cell_per_step_and_each_input_and_output(steps, inputs,
                                                                            outputs, backward):
    figure = figures.unrolled_diagram(steps, inputs=inputs, outputs=outputs, backward=backward,
                                      highlight=2)
    rows = 2 if backward else 1
    n_in = steps if inputs is None else len(inputs)
    n_out = steps if outputs is None else len(outputs)
    shapes = figure.layout.shapes
    assert sum(s.type == "rect" for s in shapes) == rows * steps
    assert sum(s.type == "circle" for s in shapes) == n_in + n_out
    arrows = [a for a in figure.layout.annotations if a.showarrow]
    bent = n_in + n_out if backward else 0  # around the forward cell, to the backward one
    assert len(arrows) == rows * (steps - 1) + n_in + n_out + bent
    assert len(figure.data) == bent
    labels = {a.text for a in figure.layout.annotations if not a.showarrow}
    assert {f"h<sub>{t}</sub>" for t in range(1, steps + 1)} <= labels
    highlighted = [s for s in shapes if s.type == "rect" and s.fillcolor != shapes[0].fillcolor]
    assert len(highlighted) == (rows if steps >= 2 else 0)


@pytest.fixture
def counted_builds(monkeypatch):
    """Calls of ``figures.unrolled_diagram`` behind the shared cache, which starts empty."""
    calls = []
    build = figures.unrolled_diagram

    def counting(*args, **kwargs):
        calls.append((args, kwargs))
        return build(*args, **kwargs)

    monkeypatch.setattr(figures, "unrolled_diagram", counting)
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


def test_the_shared_diagram_is_unchanged_after_pages_drew_it(counted_builds):
    at = open_app("en", "fundamentals")
    button(at, "Next").click().run()
    open_app("ja", "fundamentals")
    steps = at.number_input(key="fund:steps").value
    for highlight in (1, 2):
        shared = fundamentals_ui.shared_unrolled_diagram(steps, highlight, None, None, False)
        assert shared.to_dict() == figures.unrolled_diagram(steps, highlight=highlight).to_dict()


def test_the_warm_up_freezes_the_heap_it_leaves(monkeypatch):
    monkeypatch.setattr(warmup, "STEPS", (("nothing", lambda: None),))
    gc.unfreeze()
    try:
        assert warmup.run() == {"nothing": 0.0}
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process collects as usual again
