"""What "came true" means for each page's prediction: the outcome functions the pages, the
tests and the CLI share, at and around their thresholds."""

from __future__ import annotations

import pytest

from rnn_core.cells import gated_trace
from rnn_core.fundamentals import gates
from rnn_core.study import outcomes, quiz


@pytest.mark.parametrize(("closed", "one_step", "expected"), [
    (2.0, 1.0, "larger"), (1.2, 1.0, "about_same"), (1.0, 1.2, "about_same"),
    (0.5, 1.0, "smaller"),
])
def test_closed_loop_against_one_step(closed, one_step, expected):
    assert outcomes.closed_loop_vs_one_step(closed, one_step) == expected


def test_failing_cells_names_one_cell_several_or_none():
    rows = [{"cell": "simple_rnn", "seq_len": 100, "accuracy": 0.3},
            {"cell": "lstm", "seq_len": 100, "accuracy": 0.99},
            {"cell": "gru", "seq_len": 100, "accuracy": 0.97},
            {"cell": "lstm", "seq_len": 150, "accuracy": 0.5},
            {"cell": "gru", "seq_len": 150, "accuracy": 0.5}]
    assert outcomes.failing_cells(rows, 100) == "simple_rnn"
    assert outcomes.failing_cells(rows, 150) == "several"
    assert outcomes.failing_cells(rows, 200) == "none"


def test_majority_verdict_breaks_a_tie_by_the_mean():
    assert outcomes.majority_verdict([0.9, 0.8, 0.1]) == "positive"
    assert outcomes.majority_verdict([0.9, 0.2, 0.1, 0.4]) == "negative"
    assert outcomes.majority_verdict([0.95, 0.1]) == "positive"  # 1 each, mean 0.525


@pytest.mark.parametrize(("carried", "expected"), [
    ([0.0, 0.8, 0.5], "kept"), ([0.0, -0.8, -0.3], "faded"), ([0.0, 0.8, 0.05], "lost"),
    ([0.0, 0.0], "lost"), ([0.3], "kept"),
])
def test_memory_kept_compares_the_last_step_with_the_peak(carried, expected):
    assert outcomes.memory_kept(carried) == expected


@pytest.mark.parametrize(("cell", "preset", "expected"), [
    ("lstm", "remember", "kept"), ("lstm", "reset", "lost"), ("gru", "reset", "faded"),
])
def test_the_gates_presets_give_every_outcome_of_their_prediction(cell, preset, expected):
    """The page's presets show each outcome the prediction offers, so no guess is always right."""
    features, units, steps = gates.DEFAULT_SIZES
    x = gates.example_sequence(preset, steps, features)
    trace = gated_trace(cell, x, gates.example_weights(cell, features, units, None))
    assert outcomes.memory_kept(trace.carried[:, 0]) == expected
    assert expected in quiz.load_quiz("gates").prediction("predict_memory_kept").options
