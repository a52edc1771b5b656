"""The memory task: its data, its models, the sweep summary and the committed sweep's claims."""

import io
import json
from contextlib import redirect_stdout

import numpy as np
import pytest

from rnn_core.comparison import memory_task
from rnn_core.comparison.memory_task import MemoryTaskConfig, make_recall_data


def test_recall_data_puts_the_answer_first_and_only_distractors_after():
    x, y = make_recall_data(12, 4, 3, 200, np.random.default_rng(0))
    assert x.shape == (200, 12, 7) and y.shape == (200,)
    assert np.all(x.sum(axis=-1) == 1)  # one-hot at every step
    tokens = x.argmax(axis=-1)  # (samples, T)
    assert np.array_equal(tokens[:, 0], y)
    assert np.all(tokens[:, 0] < 4) and np.all(tokens[:, 1:] >= 4)
    assert set(np.unique(y)) == {0, 1, 2, 3}  # every answer occurs: chance really is 1/4


def test_recall_data_is_reproducible_from_its_generator():
    first = make_recall_data(5, 2, 2, 10, np.random.default_rng(3))
    second = make_recall_data(5, 2, 2, 10, np.random.default_rng(3))
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("bad", [
    {"cell": "transformer"}, {"seq_len": 1}, {"seq_len": memory_task.BOUNDS["seq_len"][1] + 1},
    {"units": True}, {"epochs": 0}, {"learning_rate": 0.0}, {"symbols": 2.5},
])
def test_config_rejects_bad_settings(bad):
    with pytest.raises(ValueError):
        MemoryTaskConfig(**bad)


def test_chance_and_input_size_follow_the_vocabulary():
    config = MemoryTaskConfig(symbols=5, distractors=3)
    assert config.chance == pytest.approx(0.2) and config.input_dim == 8


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_remember_bias_opens_exactly_the_keep_gate(cell):
    model = memory_task.build_memory_model(MemoryTaskConfig(cell=cell, units=3, seq_len=4))
    bias = model.layers[0].cell.bias.numpy()
    if cell == "lstm":  # gate order i, f, c, o
        assert np.allclose(bias[3:6], 3.0) and np.allclose(np.delete(bias, range(3, 6)), 0.0)
    else:  # (2, 3u), gate order z, r, h; only the input row's z block
        assert np.allclose(bias[0, :3], 3.0) and np.allclose(bias[0, 3:], 0.0)
        assert np.allclose(bias[1], 0.0)


def test_a_short_sequence_is_learned_and_early_stopping_ends_the_run():
    config = MemoryTaskConfig(cell="simple_rnn", seq_len=5, units=8, samples_per_epoch=512,
                              test_samples=256, epochs=15, learning_rate=1e-2)
    epochs = []
    run = memory_task.train_memory_task(config, on_epoch=lambda e, loss, acc: epochs.append(e))
    assert run.solved  # test accuracy >= SOLVED_ACCURACY, on sequences it never trained on
    assert run.val_accuracy[-1] >= config.stop_at_accuracy  # why it stopped early
    assert run.epochs_run == len(epochs) == len(run.loss) < 15
    row = run.to_dict()
    assert row["cell"] == "simple_rnn" and row["seq_len"] == 5 and row["chance"] == 0.25


def test_solved_means_the_test_accuracy_reaches_the_solved_threshold():
    config = MemoryTaskConfig()
    assert memory_task.MemoryRun(config, accuracy=memory_task.SOLVED_ACCURACY).solved
    assert not memory_task.MemoryRun(config, accuracy=memory_task.SOLVED_ACCURACY - 0.01).solved
    assert config.stop_at_accuracy > memory_task.SOLVED_ACCURACY  # training aims higher


def test_summary_averages_seeds_per_cell_and_length():
    rows = [{"cell": "gru", "seq_len": 10, "accuracy": a, "chance": 0.25} for a in (0.5, 1.0)]
    rows.append({"cell": "lstm", "seq_len": 10, "accuracy": 0.75, "chance": 0.25})
    summary = memory_task.summarize_runs(rows)
    assert [(s["cell"], s["accuracy"], s["min_accuracy"], s["seeds"]) for s in summary] == [
        ("lstm", 0.75, 0.75, 1), ("gru", 0.75, 0.5, 2)]


def _accuracy(results: list[dict], cell: str, seq_len: int) -> float:
    return next(r["accuracy"] for r in results if r["cell"] == cell and r["seq_len"] == seq_len)


def test_committed_sweep_shows_the_separation():
    sweep = memory_task.load_sweep()
    assert sweep is not None and sweep["complete"]
    results, runs = sweep["results"], sweep["runs"]
    assert max(sweep["settings"]["seq_lens"]) >= 200 and len(sweep["settings"]["seeds"]) >= 2
    for key in ("cpu", "tensorflow", "keras", "python"):
        assert sweep["environment"][key]
    assert sweep["date"] and sweep["wall_time_s"] > 0
    chance = results[0]["chance"]
    assert _accuracy(results, "simple_rnn", 10) >= memory_task.SOLVED_ACCURACY
    for run in runs:  # every seed of SimpleRNN at T >= 100 stays near chance
        if run["cell"] == "simple_rnn" and run["seq_len"] >= 100:
            assert run["accuracy"] <= chance + 0.1, run
    for run in runs:  # every seed of both gated cells solves T = 100
        if run["cell"] in ("lstm", "gru") and run["seq_len"] == 100:
            assert run["accuracy"] >= memory_task.SOLVED_ACCURACY, run
    for seq_len in (150, 200):  # beyond: GRU on average; LSTM on its best seed (some get stuck)
        assert _accuracy(results, "gru", seq_len) >= memory_task.SOLVED_ACCURACY
        best_lstm = next(r["max_accuracy"] for r in results
                         if r["cell"] == "lstm" and r["seq_len"] == seq_len)
        assert best_lstm >= memory_task.SOLVED_ACCURACY


def test_sweep_file_missing_or_broken_gives_none(tmp_path):
    assert memory_task.load_sweep(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("[1, 2")
    assert memory_task.load_sweep(tmp_path / "bad.json") is None


@pytest.mark.slow
def test_quick_cli_sweep_reproduces_the_separation():
    """The documented CPU-sized command: `rnn-lab compare-sweep --quick --json` (~2-3 min)."""
    from rnn_core.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["compare-sweep", "--quick", "--json"]) == 0
    results = json.loads(out.getvalue().strip().splitlines()[-1])["results"]
    assert {(r["cell"], r["seq_len"]) for r in results} >= {
        (cell, seq_len) for cell in ("simple_rnn", "lstm", "gru") for seq_len in (10, 100)}
    assert _accuracy(results, "simple_rnn", 10) >= memory_task.SOLVED_ACCURACY
    assert _accuracy(results, "simple_rnn", 100) <= 0.35  # chance is 0.25
    assert _accuracy(results, "lstm", 100) >= memory_task.SOLVED_ACCURACY
    assert _accuracy(results, "gru", 100) >= memory_task.SOLVED_ACCURACY


def test_a_sweep_outside_the_tasks_bounds_is_refused_before_anything_trains():
    with pytest.raises(ValueError, match="seq_len"):
        memory_task.SweepSettings(seq_lens=(10, 1000), seeds=(0,), epochs=5)
    with pytest.raises(ValueError, match="cell"):
        memory_task.SweepSettings(seq_lens=(10,), seeds=(0,), epochs=5, cells=("transformer",))
    with pytest.raises(ValueError, match="epochs"):
        memory_task.SweepSettings(seq_lens=(10,), seeds=(0,), epochs=0)
    assert memory_task.FULL_SWEEP.seq_lens[-1] == 200  # the committed sweep is within them
