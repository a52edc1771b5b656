"""The gradient lab's skip path through time: NumPy = Keras, and what it does to the gradient."""

import numpy as np
import pytest

from rnn_core.comparison import gradients, residual
from rnn_core.comparison.gradients import GradientLabConfig
from rnn_core.comparison.residual import SkipPathConfig


@pytest.mark.parametrize("kind", residual.SKIP_KINDS)
@pytest.mark.parametrize("mix", [0.1, 0.7])
def test_keras_skip_layer_matches_the_numpy_step(kind, mix):
    import keras

    lab = GradientLabConfig(seq_len=12, units=5, features=3, radius=0.9, input_scale=1.0)
    skip = SkipPathConfig(kind, mix)
    layer = residual.build_skip_layer(lab, skip)
    sequence = keras.layers.RNN(layer.cell, return_sequences=True, name="check_sequence")
    x = gradients.random_inputs(lab)
    states = np.asarray(sequence(x))  # (batch, T, units)
    kernel, recurrent, bias = layer.cell.candidate.get_weights()
    h = np.zeros((lab.batch, lab.units))
    for t in range(lab.seq_len):
        h = residual.skip_step(x[:, t], h, kernel, recurrent, bias, skip)
        assert np.max(np.abs(h - states[:, t])) < 1e-5, t


def test_the_skip_layer_reuses_the_labs_simple_rnn_weights():
    lab = GradientLabConfig(radius=0.7)
    plain = gradients.build_recurrent_layer(lab)
    skip = residual.build_skip_layer(lab, SkipPathConfig())
    for mine, theirs in zip(skip.cell.candidate.get_weights(), plain.get_weights(), strict=True):
        assert np.array_equal(mine, theirs)
    assert gradients.spectral_radius(skip.cell.candidate.recurrent_kernel.numpy()) == \
        pytest.approx(0.7, rel=1e-5)
    assert skip.name == "skip_additive_rnn" and skip.cell.name == "skip_additive_cell"


def test_a_full_step_gated_mix_is_the_plain_simple_rnn():
    lab = GradientLabConfig(seq_len=40, radius=0.8, input_scale=1.0)
    plain = gradients.gradient_norms_over_time(lab)
    gated = residual.skip_path_norms(lab, SkipPathConfig("gated", 1.0))
    assert np.allclose(gated, plain, rtol=1e-5)


def test_the_gated_path_keeps_the_gradient_where_simple_rnn_loses_it():
    lab = GradientLabConfig(seq_len=50, radius=0.5)
    plain = gradients.gradient_norms_over_time(lab)
    gated = residual.skip_path_norms(lab, SkipPathConfig("gated", 0.1))
    assert residual.steps_survived(plain) < 10
    assert residual.steps_survived(gated) == 49  # the whole sequence
    assert gated[0] / gated[-1] > 1e10 * plain[0] / plain[-1]
    # never above 1 per step back: the mix cannot explode with a radius below 1
    assert 0.9 < gradients.decay_per_step(gated) < 1.0
    assert gradients.decay_per_step(plain) == pytest.approx(0.5, abs=0.05)


def test_the_additive_path_never_vanishes_and_can_grow():
    lab = GradientLabConfig(seq_len=50, radius=0.5)
    additive = residual.skip_path_norms(lab, SkipPathConfig("additive", 0.1))
    assert residual.steps_survived(additive) == 49
    assert gradients.decay_per_step(additive) > 1.0  # grows going back
    assert additive[0] > additive[-1]


def test_steps_survived_counts_from_the_output_back():
    norms = np.array([0.001, 0.02, 0.5, 1.0])  # first step ... last step
    assert residual.steps_survived(norms) == 2  # 1.0, 0.5, 0.02 are at least 1% of 1.0
    assert residual.steps_survived(np.ones(7)) == 6
    assert residual.steps_survived(np.array([1.0, 0.0])) == 0


@pytest.mark.parametrize("bad", [{"kind": "multiplicative"}, {"mix": 0.0}, {"mix": 1.5},
                                 {"mix": "0.1"}])
def test_skip_config_rejects_bad_settings(bad):
    with pytest.raises(ValueError):
        SkipPathConfig(**bad)


def test_the_skip_path_is_for_the_simple_rnn():
    with pytest.raises(ValueError):
        residual.build_skip_layer(GradientLabConfig(cell="lstm"), SkipPathConfig())


def test_cli_residual_reports_each_series(capsys):
    from tests.test_cli import run_json

    out = run_json(capsys, "residual", "--radius", "0.5", "--seq-len", "30", "--mix", "0.1")
    series = out["series"]
    assert set(series) == {"simple_rnn", "lstm", "gru", "simple_rnn_additive", "simple_rnn_gated"}
    assert series["simple_rnn_gated"]["steps_survived"] == 29
    assert series["simple_rnn"]["steps_survived"] < 10
    assert len(series["simple_rnn"]["norms_first_to_last"]) == 30


def test_the_reading_follows_the_measured_factor():
    """grows / holds / shrinks (more slowly than the plain SimpleRNN or not), from the norms
    alone: index 0 is the farthest step, -1 the last."""
    plain = 0.5 ** np.arange(10)[::-1]  # halves per step back
    assert residual.reading(1.1 ** np.arange(10)[::-1], plain) == "grows"
    assert residual.reading(np.ones(10), plain) == "holds"
    assert residual.reading(0.9 ** np.arange(10)[::-1], plain) == "shrinks_slower"
    assert residual.reading(0.4 ** np.arange(10)[::-1], plain) == "shrinks"
    assert residual.overall_change(np.array([4.0, 2.0, 1.0])) == 4.0


def test_at_the_labs_defaults_the_skip_path_visibly_differs():
    """The page opens at these settings: the plain SimpleRNN must lose its gradient within the
    sequence while both skip paths reach its first step."""
    lab = GradientLabConfig()
    plain = gradients.gradient_norms_over_time(lab)
    assert residual.steps_survived(plain) < lab.seq_len // 2
    for kind in residual.SKIP_KINDS:
        norms = residual.skip_path_norms(lab, SkipPathConfig(kind=kind))
        assert residual.steps_survived(norms) == lab.seq_len - 1, kind
    assert residual.reading(residual.skip_path_norms(lab, SkipPathConfig()), plain) == "grows"
