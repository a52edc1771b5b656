"""The gradient lab: exact spectral-radius scaling, vanishing/exploding gradients, clipping."""

import numpy as np
import pytest

from rnn_core.comparison import gradients
from rnn_core.comparison.gradients import (
    GradientLabConfig,
    scale_to_spectral_radius,
    spectral_radius,
)


@pytest.mark.parametrize("target", [0.5, 1.0, 1.7])
def test_scaling_hits_the_spectral_radius_exactly(target):
    matrix = np.random.default_rng(1).standard_normal((12, 12))
    scaled = scale_to_spectral_radius(matrix, target)
    assert np.max(np.abs(np.linalg.eigvals(scaled))) == pytest.approx(target, rel=1e-12)
    assert np.allclose(scaled / matrix, scaled[0, 0] / matrix[0, 0])  # one common factor


def test_scaling_rejects_what_it_cannot_scale():
    with pytest.raises(ValueError):
        scale_to_spectral_radius(np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError):
        scale_to_spectral_radius(np.ones((2, 3)), 1.0)


def test_the_keras_layer_gets_the_chosen_radius():
    layer = gradients.build_recurrent_layer(GradientLabConfig(radius=0.8, units=10))
    assert spectral_radius(layer.cell.recurrent_kernel.numpy()) == pytest.approx(0.8, rel=1e-5)


def test_radius_half_makes_the_gradient_vanish_geometrically():
    norms = gradients.gradient_norms_over_time(
        GradientLabConfig(radius=0.5, seq_len=30, input_scale=0.1))
    backwards = norms[::-1]  # index k = k steps back from the output
    assert np.all(np.diff(backwards[2:]) < 0)  # shrinks at every step going back
    assert 0.4 < gradients.decay_per_step(norms) < 0.6  # by about the radius each step
    assert norms[0] < 1e-6 * norms[-1]


def test_radius_above_one_makes_the_gradient_explode_in_the_linear_regime():
    norms = gradients.gradient_norms_over_time(
        GradientLabConfig(radius=1.5, seq_len=20, input_scale=0.01))
    assert gradients.decay_per_step(norms) > 1.1
    assert norms[0] > 50 * norms[-1]


def test_gated_cells_keep_a_gradient_where_simple_rnn_loses_it():
    common = {"seq_len": 100, "input_scale": 1.0}
    simple = gradients.gradient_norms_over_time(
        GradientLabConfig(cell="simple_rnn", radius=None, **common))
    for cell in ("lstm", "gru"):
        gated = gradients.gradient_norms_over_time(GradientLabConfig(cell=cell, **common))
        assert gated[0] > 1e4 * simple[0], cell  # 99 steps back


def test_clipping_keeps_an_exploding_run_finite():
    plain, clipped = gradients.clipping_demo(gradients.ClippingConfig(radius=1.5))
    assert plain.diverged and max(plain.gradient_norm) > 1e3
    assert not clipped.diverged and np.all(np.isfinite(clipped.loss))
    assert plain.loss[0] == pytest.approx(clipped.loss[0])  # same model, same data


@pytest.mark.parametrize("bad", [{"cell": "rnn"}, {"seq_len": 0}, {"radius": 5.0},
                                 {"input_scale": 0.0}, {"units": 1000}])
def test_lab_config_rejects_bad_settings(bad):
    with pytest.raises(ValueError):
        GradientLabConfig(**bad)
