"""The rnn-lab command line: help lists the commands, --json ends with one JSON object."""

import json
import subprocess
import sys

import pytest

from rnn_core import cli
from rnn_core.study import progress, quiz, records
from tests.conftest import ROOT


def run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "rnn_core.cli", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    for name, _, _ in cli.all_commands():
        assert name in result.stdout


def test_building_the_options_loads_no_tensorflow():
    """``rnn-lab --help`` (and every command's own options) answer in well under a second:
    the options of every command are built without importing TensorFlow (that took 2.5 s)."""
    code = ("import sys; from rnn_core.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_shapes_reproduces_the_seed_examples(capsys):
    out = run_json(capsys, "shapes", "--units", "64", "--return-sequences", "--batch", "32",
                   "--timesteps", "20", "--features", "10")
    assert out["layers"][0]["output_shape"] == [32, 20, 64]
    out = run_json(capsys, "shapes", "--units", "32", "--features", "1")
    assert out["total_params"] == 1088
    out = run_json(capsys, "shapes", "--cell", "lstm", "--units", "64", "--bidirectional",
                   "--keras")
    assert out["layers"][0]["output_shape"][-1] == 128
    assert out["keras_agrees"] is True


@pytest.mark.parametrize(("cell", "steps"), [("simple_rnn", 6), ("lstm", 8), ("gru", 8)])
def test_step_prints_every_cells_steps_in_one_shape_and_matches_keras(capsys, cell, steps):
    """``steps`` is [{t, x, gates, (c,) h}] for the three cells (a SimpleRNN's gates empty),
    h the trace of the printed inputs and weights, and ``max_abs_diff`` against Keras."""
    import numpy as np

    from rnn_core.cells import BLOCKS, gated_trace, simple_rnn_trace

    out = run_json(capsys, "step", "--cell", cell, "--features", "2", "--units", "3",
                   "--seed", "4", "--keras")
    assert out["cell"] == cell and out["blocks"] == list(BLOCKS.get(cell, ()))
    assert "hidden" not in out and out["max_abs_diff"] < 1e-5
    assert [step["t"] for step in out["steps"]] == list(range(1, steps + 1))
    for step in out["steps"]:
        assert set(step) == {"t", "x", "gates", "h"} | ({"c"} if cell == "lstm" else set())
        assert step["x"] == out["inputs"][step["t"] - 1] and len(step["h"]) == 3
        assert set(step["gates"]) == set(out["blocks"])
    x = np.array(out["inputs"])
    weights = [np.array(out[name]) for name in ("kernel", "recurrent_kernel", "bias")]
    trace = (simple_rnn_trace(x, *weights) if cell == "simple_rnn"
             else gated_trace(cell, x, weights))
    np.testing.assert_allclose([step["h"] for step in out["steps"]], trace.hidden, atol=1e-6)


def test_grade_scores_good_files_and_reports_bad_ones(capsys, tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    first = quiz.load_quiz("fundamentals").questions[0]
    answers = {"fundamentals": {first.id: records.add_try(None, first.answer, 1.0)}}
    good.write_text(progress.to_json(answers))
    bad.write_text("{ nope")
    out = run_json(capsys, "grade", str(good), str(bad))
    assert out["learners"][str(good)]["fundamentals"]["correct"] == 1
    assert "error" in out["learners"][str(bad)]


def test_bad_settings_give_a_message_not_a_traceback(capsys):
    assert cli.main(["shapes", "--units", "0"]) == 2
    assert "rnn-lab shapes" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["step", "--units", "9"])


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_step_prints_every_gate_and_state_and_matches_keras(capsys, cell):
    from rnn_core.cells import BLOCKS

    out = run_json(capsys, "step", "--cell", cell, "--features", "2", "--units", "3",
                   "--steps", "12", "--preset", "reset", "--keras")
    assert out["cell"] == cell and out["blocks"] == list(BLOCKS[cell])
    assert [step["t"] for step in out["steps"]] == list(range(1, 13))
    first = out["steps"][0]
    assert set(first["gates"]) == set(BLOCKS[cell]) and len(first["h"]) == 3
    assert ("c" in first) == (cell == "lstm")
    assert out["max_abs_diff"] < 1e-5
    reset = next(s for s in out["steps"] if s["x"][1] == 1.0)  # the reset line fires
    keep = "f" if cell == "lstm" else "z"
    assert reset["gates"][keep][0] < 0.15


def test_gated_step_refuses_what_its_page_cannot_show(capsys):
    assert cli.main(["step", "--cell", "lstm", "--features", "1", "--preset", "reset"]) == 2
    assert "2 features" in capsys.readouterr().err
    assert cli.main(["step", "--cell", "gru", "--steps", "13"]) == 2
    assert cli.main(["step", "--cell", "simple_rnn", "--preset", "noise"]) == 2


def test_gates_prints_each_words_gates_and_the_units_that_follow_the_verdict(capsys, tmp_path):
    from tests.test_imdb_models import tiny_model

    tiny_model("lstm", tmp_path)
    review = "a great film but an awful boring end"
    out = run_json(capsys, "gates", "--model", "lstm", "--models-dir", str(tmp_path), "--top",
                   "3", review)
    assert out["model"] == "lstm" and out["units"] == 6
    assert [w["word"] for w in out["words"]] == review.split(" ")
    assert set(out["words"][0]["gates"]) == {"f", "i", "o"}
    followers = [f["unit"] for f in out["follow_verdict"]]
    assert len(followers) == 3 and all(1 <= unit <= 6 for unit in followers)
    assert set(out["words"][0]["units"]) == {f"{k}{u}" for k in "hc" for u in followers}
    assert len(out["letting_go"]) <= 3
    for item in out["letting_go"]:  # each listed word's mean gate is its word's
        assert 0 < item["units_letting_go"] <= 1
        word = out["words"][item["position"] - 1]
        assert word["word"] == item["word"] and word["gates"]["f"] == item["gate"]


def _shipped(name: str) -> bool:
    from rnn_core.sentiment import registry

    return name in registry.manifests(registry.MODELS_DIR)


@pytest.mark.skipif(not _shipped("gru"), reason="no shipped GRU in models/imdb")
def test_gates_reads_a_review_with_the_shipped_gru_on_the_default_path(capsys, monkeypatch):
    from rnn_core.sentiment import registry

    monkeypatch.delenv(registry.MODELS_ENV, raising=False)  # models/imdb, as shipped
    review = registry.BENCH_REVIEW
    out = run_json(capsys, "gates", "--model", "gru", review)
    words, units = out["words"], out["units"]
    assert out["model"] == "gru" and units > 0
    assert len(words) == out["words_read"] == out["total_words"] > 100
    assert out["probability"] == words[-1]["p"]
    followers = [f["unit"] for f in out["follow_verdict"]]
    assert len(followers) == 5 and all(1 <= unit <= units for unit in followers)
    strengths = [abs(f["correlation"]) for f in out["follow_verdict"]]
    assert strengths == sorted(strengths, reverse=True) and strengths[0] <= 1
    for word in words:
        assert set(word["gates"]) == {"z", "r"}
        assert all(0 < gate < 1 for gate in word["gates"].values())
        assert 0 <= word["p"] <= 1
        assert set(word["units"]) == {f"h{unit}" for unit in followers}
    assert out["letting_go"], "some units shut the update gate somewhere in this review"
    positions = [item["position"] for item in out["letting_go"]]
    assert positions == sorted(positions) and len(positions) <= 5  # reading order
    for item in out["letting_go"]:
        assert 0 < item["units_letting_go"] <= 1
        word = words[item["position"] - 1]
        assert item["word"] == word["word"] and item["gate"] == word["gates"]["z"]
    assert set(out["mean_gates"]) == {"z", "r"}
