"""Noisy sine, windows in both framings, the chronological split and training-only scaling."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core.forecasting.series import (
    SineSettings,
    fit_scaling,
    make_windows,
    noisy_sine,
    split_windows,
    train_size,
)


def test_noisy_sine_spans_minus_to_plus_two_pi_and_is_reproducible():
    t, y = noisy_sine(SineSettings())
    assert t.shape == y.shape == (50,)
    assert t[0] == pytest.approx(-2 * np.pi) and t[-1] == pytest.approx(2 * np.pi)
    np.testing.assert_array_equal(y, noisy_sine(SineSettings())[1])
    assert not np.array_equal(y, noisy_sine(SineSettings(seed=1))[1])
    residual = y - np.sin(t)
    assert 0.05 < residual.std() < 0.15  # σ = 0.1
    np.testing.assert_allclose(noisy_sine(SineSettings(noise=0.0))[1], np.sin(t))


@pytest.mark.parametrize("bad", [{"points": 5}, {"points": 10_000}, {"points": 50.5},
                                 {"noise": -0.1}, {"noise": 2.0}, {"seed": -1}])
def test_out_of_bound_sine_settings_cannot_be_made(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        SineSettings(**bad)


def test_many_to_many_targets_are_the_window_shifted_by_one():
    series = np.arange(15.0)
    x, y = make_windows(series, 4, "many_to_many")
    assert x.shape == y.shape == (11, 4, 1)
    np.testing.assert_array_equal(x[3, :, 0], [3, 4, 5, 6])
    np.testing.assert_array_equal(y[3, :, 0], [4, 5, 6, 7])


def test_many_to_one_target_is_the_value_after_the_window():
    x, y = make_windows(np.arange(15.0), 4, "many_to_one")
    assert x.shape == (11, 4, 1) and y.shape == (11, 1)
    np.testing.assert_array_equal(y[:, 0], np.arange(4, 15))


def test_no_validation_target_is_used_for_training():
    series = np.arange(50.0)
    n_train = train_size(len(series))
    assert n_train == 40
    for framing in ("many_to_many", "many_to_one"):
        split = split_windows(series, 10, framing, n_train)
        assert split.y_train.max() < n_train  # values equal their index
        assert split.y_val.reshape(len(split.y_val), -1)[:, -1].min() >= n_train
        assert len(split.x_train) + len(split.x_val) == 40


def test_scaling_statistics_come_from_the_training_part_only():
    values = np.concatenate([np.zeros(40) + 1.0, np.full(10, 100.0)])
    values[:40] += np.linspace(-1, 1, 40)
    scaling = fit_scaling(values[:40], "standardize")
    assert scaling.mean == pytest.approx(1.0)
    z = scaling.forward(values)
    assert z[:40].mean() == pytest.approx(0.0) and z[:40].std() == pytest.approx(1.0)
    np.testing.assert_allclose(scaling.value_from(z, 0.0), values)


def test_differencing_predicts_changes_and_adds_them_back():
    values = np.array([1.0, 3.0, 6.0, 10.0, 15.0])
    scaling = fit_scaling(values[:4], "difference")
    z = scaling.forward(values)
    assert len(z) == 4 and scaling.offset == 1
    np.testing.assert_allclose(scaling.value_from(z, values[:-1]), values[1:])


def test_constant_training_part_does_not_divide_by_zero():
    scaling = fit_scaling(np.ones(10), "standardize")
    assert np.isfinite(scaling.forward(np.arange(5.0))).all()


def test_window_longer_than_series_is_refused():
    with pytest.raises(ValueError, match="too short"):
        make_windows(np.arange(8.0), 10, "many_to_one")
