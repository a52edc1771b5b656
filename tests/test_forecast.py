"""Forecasts, errors and baselines, checked against models whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core.forecasting import forecasts
from rnn_core.forecasting.series import Scaling, fit_scaling


class LastValueModel:
    """A stand-in "model" that predicts its window's last input: persistence in model space."""

    def __init__(self, many_to_many: bool = False) -> None:
        self.many_to_many = many_to_many

    def predict_on_batch(self, windows: np.ndarray) -> np.ndarray:
        return windows if self.many_to_many else windows[:, -1, :]


class ConstantModel:
    def __init__(self, value: float) -> None:
        self.value = value

    def predict_on_batch(self, windows: np.ndarray) -> np.ndarray:
        return np.full((len(windows), 1), self.value, "float32")


def test_errors():
    assert forecasts.mse([1, 2, 3], [1, 2, 5]) == pytest.approx(4 / 3)
    assert forecasts.mae([1, 2, 3], [1, 2, 5]) == pytest.approx(2 / 3)


def test_persistence_and_seasonal_naive():
    values = np.arange(10.0)
    np.testing.assert_array_equal(forecasts.persistence(values, 7), [6, 7, 8])
    np.testing.assert_array_equal(forecasts.seasonal_naive(values, 7, 4), [3, 4, 5])
    with pytest.raises(ValueError):
        forecasts.seasonal_naive(values, 3, 4)


@pytest.mark.parametrize("many_to_many", [False, True])
def test_one_step_ahead_of_a_last_value_model_equals_persistence(many_to_many):
    values = np.sin(np.arange(40) / 3.0) * 5 + 2
    scaling = fit_scaling(values[:30], "standardize")
    predicted = forecasts.one_step_ahead(LastValueModel(many_to_many), values, scaling, 6, 30)
    np.testing.assert_allclose(predicted, forecasts.persistence(values, 30), atol=1e-5)


def test_differencing_with_a_zero_change_model_is_persistence_too():
    values = np.cumsum(np.random.default_rng(0).normal(size=60)) + 100
    scaling = fit_scaling(values[:48], "difference")
    zero_change = ConstantModel(-scaling.mean / scaling.std)  # scaled change 0
    predicted = forecasts.one_step_ahead(zero_change, values, scaling, 5, 48)
    np.testing.assert_allclose(predicted, forecasts.persistence(values, 48), atol=1e-4)


def test_closed_loop_feeds_predictions_back():
    scaling = Scaling("difference", mean=0.0, std=1.0)
    history = np.array([0.0, 1.0, 2.0, 3.0])
    # The model always predicts a change of +2: each forecast builds on the previous forecasts.
    result = forecasts.closed_loop(ConstantModel(2.0), history, scaling, 2, 4)
    np.testing.assert_allclose(result, [5.0, 7.0, 9.0, 11.0])


def test_closed_loop_horizon_is_bounded():
    with pytest.raises(ValueError):
        forecasts.closed_loop(ConstantModel(0), np.zeros(20), Scaling(), 5,
                              forecasts.MAX_HORIZON + 1)


def test_period_of_a_seasonal_series_is_detected_and_noise_has_none():
    t = np.arange(240)
    seasonal = np.sin(2 * np.pi * t / 12) + 0.02 * t
    seasonal += np.random.default_rng(0).normal(0, 0.2, 240)
    assert forecasts.detect_period(seasonal) == 12
    assert forecasts.detect_period(np.random.default_rng(1).normal(size=200)) is None


def test_sunspot_cycle_is_found_in_the_real_series():
    from rnn_core.forecasting.csv_series import load_example

    series, _ = load_example("sunspots")
    assert forecasts.detect_period(series.values) in (10, 11)
