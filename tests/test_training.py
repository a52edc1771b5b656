"""Building and training the forecaster: shapes, bounds, per-model seeding, progress, stop."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from rnn_core.forecasting.series import SineSettings, fit_scaling, noisy_sine, split_windows
from rnn_core.forecasting.training import (
    BOUNDS,
    History,
    TrainConfig,
    build_model,
    single_layer_weights,
    train,
)


def sine_data(config: TrainConfig):
    _, y = noisy_sine(SineSettings())
    z = fit_scaling(y[:40], "standardize").forward(y)
    split = split_windows(z, config.window, config.framing, 40)
    return split.x_train, split.y_train, split.x_val, split.y_val


@pytest.mark.parametrize(("cell", "layers", "framing", "shape"), [
    ("simple_rnn", 1, "many_to_many", (2, 10, 1)),
    ("lstm", 2, "many_to_one", (2, 1)),
    ("gru", 3, "many_to_many", (2, 10, 1)),
])
def test_model_output_matches_the_framing(cell, layers, framing, shape):
    model = build_model(TrainConfig(cell=cell, layers=layers, framing=framing, units=3))
    assert model(np.zeros((2, 10, 1), "float32")).shape == shape


def test_default_model_has_the_textbook_parameter_count():
    assert build_model(TrainConfig()).count_params() == 20 * (1 + 20 + 1) + 21


def test_initial_weights_depend_on_the_model_seed_only():
    a, b = build_model(TrainConfig(seed=3)), build_model(TrainConfig(seed=3))
    c = build_model(TrainConfig(seed=4))
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_every_bound_is_enforced(name):
    low, high = BOUNDS[name]
    value = high + 1 if isinstance(high, int) else high * 2
    with pytest.raises(ValueError, match=name):
        TrainConfig(**{name: value})
    assert getattr(TrainConfig(**{name: type(getattr(TrainConfig(), name))(low)}), name) == low


def test_progress_is_reported_every_epoch_and_training_reduces_the_loss():
    config = TrainConfig(epochs=8)
    reports = []
    history = train(build_model(config), sine_data(config), epochs=8, batch_size=8,
                    on_progress=reports.append)
    assert [r.epoch for r in reports] == list(range(1, 9))
    assert all(r.epochs == 8 and r.seconds > 0 for r in reports)
    assert history.loss[-1] < history.loss[0]
    assert len(history.val_loss) == 8 and np.isfinite(history.val_loss).all()


def test_stop_flag_ends_training_cleanly_and_keeps_weights_and_history():
    config = TrainConfig()
    model = build_model(config)
    initial = [w.copy() for w in model.get_weights()]
    stop = threading.Event()

    def stop_after_third(report):
        if report.epoch == 3:
            stop.set()

    history = train(model, sine_data(config), epochs=20, batch_size=8,
                    on_progress=stop_after_third, stop=stop)
    assert history.epochs == 3 and history.stopped_early
    assert len(history.val_loss) == len(history.epoch_seconds) == 3
    assert not np.allclose(initial[0], model.get_weights()[0])  # what it learned is kept


def test_one_more_epoch_continues_the_same_history():
    config = TrainConfig(epochs=2)
    model, data = build_model(config), sine_data(config)
    history = train(model, data, epochs=2, batch_size=8)
    reports = []
    train(model, data, epochs=1, batch_size=8, history=history, on_progress=reports.append)
    assert history.epochs == 3 and reports[0].epoch == 3 and reports[0].epochs == 3


def test_long_epochs_report_batch_progress():
    config = TrainConfig()
    reports = []
    train(build_model(config), sine_data(config), epochs=1, batch_size=1,
          on_progress=reports.append)
    batches = [r for r in reports if r.loss is None]
    assert batches and batches[-1].batches == 30 and reports[-1].loss is not None


def test_history_round_trips_through_a_dict():
    history = History([1.0, 0.5], [1.1, 0.6], [0.1, 0.1], True)
    assert History.from_dict(history.to_dict()) == history


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_only_a_single_layer_model_exposes_step_through_weights(cell):
    blocks = {"simple_rnn": 1, "lstm": 4, "gru": 3}[cell]
    found, weights = single_layer_weights(build_model(TrainConfig(cell=cell, units=3)))
    assert found == cell
    kernel, recurrent, bias = weights
    assert kernel.shape == (1, 3 * blocks) and recurrent.shape == (3, 3 * blocks)
    assert bias.shape == ((2, 9) if cell == "gru" else (3 * blocks,))
    assert single_layer_weights(build_model(TrainConfig(cell=cell, units=3, layers=2))) is None
