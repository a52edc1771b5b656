"""What replaced RNNs: the GRU / attention-block timing, its models and the committed sweep."""

import shlex

import numpy as np
import pytest

from rnn_core.comparison import attention
from rnn_core.comparison.attention import TimingConfig

SMALL = TimingConfig(d_model=16, heads=2, batch=4, repeats=3, warmup=1)


def test_the_two_models_are_about_the_same_size():
    config = TimingConfig()
    gru, block = attention.build_gru(config), attention.build_attention_block(config)
    d = config.d_model
    assert gru.count_params() == 3 * (d * d + d * d + 2 * d) == 24_960  # reset_after=True
    # 4 projections, 2 feed-forward layers (weights + biases), 2 LayerNorms (scale + offset)
    assert block.count_params() == 4 * (d * d + d) + 2 * (d * d + d) + 2 * 2 * d == 25_216
    assert abs(block.count_params() - gru.count_params()) / gru.count_params() < 0.02


def test_both_models_map_the_same_input_shape_to_the_same_output_shape():
    pair = attention.TimingPair(SMALL)
    x = pair.inputs(9)
    for model in pair.models.values():
        assert tuple(np.asarray(model(x)).shape) == (SMALL.batch, 9, SMALL.d_model)


def test_every_layer_has_an_explicit_unique_name():
    names = [layer.name for model in attention.TimingPair(SMALL).models.values()
             for layer in model.layers]
    assert len(names) == len(set(names))
    assert all(name.startswith("timing_") for name in names)


def test_a_point_reports_the_median_of_interleaved_repeats():
    calls = []
    point = attention.TimingPair(SMALL).time_point(8, on_call=lambda done, total:
                                                   calls.append((done, total)))
    assert len(point.gru_all_ms) == len(point.attention_all_ms) == SMALL.repeats
    assert point.gru_ms == pytest.approx(np.median(point.gru_all_ms))
    assert point.attention_ms == pytest.approx(np.median(point.attention_all_ms))
    total = 2 * (SMALL.warmup + SMALL.repeats)
    assert calls == [(n, total) for n in range(1, total + 1)]  # warm-up calls run, not counted


def test_work_and_sequential_steps_follow_the_formulas():
    config = TimingConfig()
    for t in (16, 512):
        assert attention.sequential_steps("gru", t) == t
        assert attention.sequential_steps("attention", t) == 1
    # doubling T doubles the GRU's work and more than doubles attention's (the T² scores)
    assert attention.multiply_adds("gru", 512, config) == 2 * attention.multiply_adds(
        "gru", 256, config)
    assert attention.multiply_adds("attention", 512, config) > 2 * attention.multiply_adds(
        "attention", 256, config)


def test_the_gru_slope_is_its_time_per_step():
    rows = [{"seq_len": t, "gru_ms": 1.0 + 0.25 * t} for t in (16, 64, 256)]
    assert attention.gru_ms_per_step(rows) == pytest.approx(0.25)
    assert attention.gru_ms_per_step(rows[:1]) is None


@pytest.mark.parametrize("bad", [{"heads": 3}, {"repeats": 1}, {"batch": 0}, {"d_model": 999}])
def test_timing_config_rejects_bad_settings(bad):
    with pytest.raises(ValueError):
        TimingConfig(**bad)


def test_a_missing_or_broken_sweep_file_reads_as_none(tmp_path):
    assert attention.load_timing(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("{ nope")
    assert attention.load_timing(tmp_path / "bad.json") is None


def test_committed_sweep_is_what_the_page_says():
    timing = attention.load_timing()
    assert timing is not None, "results/attention_timing.json is missing"
    config = TimingConfig(**timing["settings"])
    points = timing["points"]
    assert [p["seq_len"] for p in points] == list(attention.SWEEP_LENGTHS)
    assert timing["parameters"] == {"gru": 24_960, "attention": 25_216}
    assert timing["environment"]["cpu"] and "accelerator" in timing["environment"]
    for point in points:
        assert point["gru_ms"] == pytest.approx(np.median(point["gru_all_ms"]), abs=1e-3)
        assert point["attention_ms"] == pytest.approx(np.median(point["attention_all_ms"]),
                                                      abs=1e-3)
        assert len(point["gru_all_ms"]) == config.repeats
        assert point["gru_multiply_adds"] == attention.multiply_adds("gru", point["seq_len"],
                                                                     config)
        # the committed medians: GRU lower everywhere (how clearly: attention.speed_verdict)
        assert point["gru_ms"] < point["attention_ms"]
    assert timing["gru_ms_per_step"] == pytest.approx(attention.gru_ms_per_step(points),
                                                      abs=1e-3)


def test_cli_attention_timing_writes_the_file_the_page_reads(capsys, tmp_path):
    from tests.test_cli import run_json

    path = tmp_path / "timing.json"
    out = run_json(capsys, "attention-timing", "--lengths", "4", "8", "--batch", "2",
                   "--d-model", "8", "--heads", "2", "--repeats", "3", "--warmup", "1",
                   "--output", str(path))
    assert [p["seq_len"] for p in out["points"]] == [4, 8]
    assert out["environment"]["cpu_count"] >= 1 and out["load_average"]["before"] is not None
    assert attention.load_timing(path) == out
    assert out["command"] == ("rnn-lab attention-timing --lengths 4 8 --batch 2 --d-model 8 "
                              f"--heads 2 --repeats 3 --warmup 1 --output {path} --json")


def test_the_committed_command_reproduces_the_committed_settings():
    """The caption names results/attention_timing.json's command: parsed by the real CLI, it
    asks for the settings and lengths the file holds (not the defaults: 21 repeats, not 9)."""
    from rnn_core import cli

    timing = attention.load_timing()
    words = shlex.split(timing["command"])
    assert words[:2] == ["rnn-lab", "attention-timing"]
    args = cli.build_parser().parse_args(words[1:])
    assert args.lengths == [p["seq_len"] for p in timing["points"]]
    stored = TimingConfig(**timing["settings"])
    assert TimingConfig(d_model=args.d_model, heads=args.heads, batch=args.batch,
                        repeats=args.repeats, warmup=args.warmup) == stored
    assert stored.repeats != TimingConfig().repeats  # why the command must say it


def test_the_machine_sentence_follows_the_stored_accelerator():
    assert not attention.has_accelerator({"accelerator": "none (CPU only)"})
    assert not attention.has_accelerator({})
    assert attention.has_accelerator({"accelerator": "NVIDIA H200"})
