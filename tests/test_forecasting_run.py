"""The forecasting page's run state (``rnn_ui.forecasting``): whether the model on screen was
trained on what the page now shows."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from rnn_ui.forecasting import ForecastRun, run_status


def _problem(window: int = 20, values=(0.0, 1.0, 0.5)) -> SimpleNamespace:
    return SimpleNamespace(settings=lambda: {"window": window, "cell": "lstm"},
                           values=np.array(values))


def _run(epochs: int, stopped_early: bool = False, **problem) -> ForecastRun:
    history = SimpleNamespace(epochs=list(range(epochs)), stopped_early=stopped_early)
    return ForecastRun(trained=SimpleNamespace(history=history), problem=_problem(**problem))


def test_a_model_trained_on_these_data_and_settings_is_current():
    assert run_status(_run(3), _problem()) == "current"


def test_other_settings_or_other_data_make_the_model_stale():
    assert run_status(_run(3), _problem(window=30)) == "stale"
    assert run_status(_run(3), _problem(values=(0.0, 1.0, 0.6))) == "stale"


def test_nothing_trained_and_a_training_cancelled_before_its_first_epoch():
    assert run_status(None, _problem()) == "none"
    assert run_status(_run(0), _problem()) == "none"
    assert run_status(_run(0, stopped_early=True), _problem()) == "cancelled"
