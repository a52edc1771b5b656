"""`rnn-lab sine`, `forecast` and `bench-sine` print the documented JSON; bad input exits 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnn_core import cli
from rnn_core.forecasting.codegen import forecaster_code
from rnn_core.forecasting.csv_series import EXAMPLES_DIR
from rnn_core.forecasting.series import SineSettings
from rnn_core.forecasting.training import TrainConfig


def run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_sine_json_has_the_documented_fields(capsys):
    result = run_json(capsys, "sine", "--units", "4", "--epochs", "2")
    for field in ("cell", "params", "epochs", "final_loss", "final_val_loss",
                  "one_step_mse", "closed_loop_mse", "train_seconds",
                  "persistence_mse", "seasonal_naive_mse"):
        assert field in result, field
    assert result["cell"] == "simple_rnn" and result["params"] == 29 and result["epochs"] == 2
    assert result["n_train"] == 40 and result["n_validation"] == 10


def test_sine_defaults_equal_the_page_defaults():
    args = cli.build_parser().parse_args(["sine"])
    assert (args.cell, args.units, args.epochs, args.points, args.noise, args.window) == (
        "simple_rnn", 20, 20, 50, 0.1, 10)


def test_forecast_reports_errors_in_the_series_units(capsys, tmp_path):
    path = tmp_path / "series.csv"
    t = np.arange(120)
    path.write_text("t,level\n" + "".join(f"{i},{1000 + 50 * np.sin(i / 4):.3f}\n" for i in t))
    result = run_json(capsys, "forecast", "--csv", str(path), "--epochs", "2", "--period", "25")
    assert result["n_train"] == 96 and result["n_test"] == 24 and result["column"] == "level"
    assert result["period"] == 25 and result["seasonal_naive_mse"] is not None
    assert result["naive_mse"] > 10  # persistence errors of a ±50 wave, in its own units
    assert {"rnn_mse", "rnn_mae", "naive_mae", "closed_loop_mse"} <= set(result)


@pytest.mark.parametrize(("content", "message"), [
    ("name\nx\ny\n", "no_numeric"),
    ("v\n1\n2\n", "too_short"),
])
def test_forecast_refuses_bad_files_with_a_message(capsys, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert cli.main(["forecast", "--csv", str(path), "--json"]) == 2
    assert message in capsys.readouterr().err


def test_forecast_on_a_missing_file_is_a_clear_error(capsys, tmp_path):
    assert cli.main(["forecast", "--csv", str(tmp_path / "none.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("example", ["sunspots.csv", "co2.csv"])
def test_defaults_beat_persistence_clearly_on_real_series(capsys, example):
    result = run_json(capsys, "forecast", "--csv", str(EXAMPLES_DIR / example))
    assert result["rnn_mse"] < 0.8 * result["naive_mse"], result


def test_bench_sine_reports_the_run(capsys):
    result = run_json(capsys, "bench-sine", "--repeats", "1")
    assert result["epochs"] == 20 and result["points"] == 50
    assert len(result["run_seconds"]) == 1 and result["goal_seconds"] == 3.0


@pytest.mark.parametrize(("config", "difference"), [
    (TrainConfig(epochs=1, units=3), False),
    (TrainConfig(epochs=1, units=3, layers=2, framing="many_to_one", cell="lstm"), True),
])
def test_show_the_code_runs_and_prints_both_errors(capsys, config, difference):
    code = forecaster_code(config, difference, sine=SineSettings())
    exec(compile(code, "<shown code>", "exec"), {"__name__": "__main__"})
    printed = capsys.readouterr().out
    assert "RNN MSE:" in printed and "persistence MSE:" in printed
