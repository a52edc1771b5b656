"""The rnn-lab command line: help lists the commands, --json ends with one JSON object."""

import json
import subprocess
import sys

import pytest

from rnn_core import cli, progress, quiz, records
from tests.conftest import ROOT


def run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "rnn_core.cli", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    for name, _, _ in cli.all_commands():
        assert name in result.stdout


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


def test_step_matches_keras(capsys):
    out = run_json(capsys, "step", "--features", "2", "--units", "3", "--seed", "4", "--keras")
    assert len(out["hidden"]) == 6 and len(out["hidden"][0]) == 3
    assert out["keras_max_abs_difference"] < 1e-5


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
