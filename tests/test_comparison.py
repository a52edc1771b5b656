"""Side by side: formula counts equal Keras's, and the three cells train on identical data."""

import numpy as np
import pytest

from rnn_core.cells import CELLS
from rnn_core.comparison import figures, side_by_side
from rnn_core.comparison.side_by_side import ComparisonConfig
from rnn_core.fundamentals.shapes import describe


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize(("layers", "bidirectional"), [(1, False), (2, False), (1, True),
                                                       (3, True)])
def test_formula_count_equals_count_params(cell, layers, bidirectional):
    config = ComparisonConfig(units=7, layers=layers, bidirectional=bidirectional, seq_len=9)
    model = side_by_side.build_comparison_model(config, cell)
    assert sum(row.params for row in describe(config.spec(cell))) == model.count_params()


def test_bidirectional_gated_layers_start_remembering_in_both_directions():
    model = side_by_side.build_comparison_model(ComparisonConfig(units=2, bidirectional=True,
                                                               layers=2), "lstm")
    layers = side_by_side._recurrent_layers(model)
    assert len(layers) == 4
    for layer in layers:
        assert np.allclose(layer.cell.bias.numpy()[2:4], side_by_side.REMEMBER_BIAS)


def test_three_cells_train_with_timings_curves_and_progress():
    config = ComparisonConfig(units=4, seq_len=5, epochs=2, samples=128)
    calls = []
    results = side_by_side.compare_cells(config, on_epoch=lambda *a: calls.append(a))
    assert [r.cell for r in results] == list(CELLS)
    assert calls == [(cell, epoch, 2) for cell in CELLS for epoch in (1, 2)]
    for result in results:
        assert result.formula_params == result.keras_params
        assert len(result.loss) == len(result.accuracy) == len(result.epoch_seconds) == 2
        assert np.all(np.isfinite(result.loss)) and result.seconds_per_epoch > 0
    # LSTM has 4 gate blocks, GRU 3 (+ a second bias), SimpleRNN 1
    params = [r.keras_params for r in results]
    assert params[0] < params[2] < params[1]


@pytest.mark.parametrize("bad", [{"units": 0}, {"layers": 4}, {"seq_len": 1000},
                                 {"epochs": 0}, {"samples": 10}])
def test_config_rejects_bad_settings(bad):
    with pytest.raises(ValueError):
        ComparisonConfig(**bad)


def test_memory_picture_draws_every_cell_its_values_and_the_chance_line():
    import re

    rows = [{"cell": c, "seq_len": t, "accuracy": a, "min_accuracy": a - 0.1,
             "max_accuracy": min(a + 0.1, 1.0)}
            for c, a in zip(CELLS, (0.3, 0.9, 0.6), strict=True) for t in (10, 50, 100)]
    picture = figures.memory_accuracy_svg(rows, 0.25)
    assert all(name in picture for name in ("SimpleRNN", "LSTM", "GRU"))  # the legend
    assert picture.count("<polyline") == 3 and picture.count("<circle") == 9
    for value in ("30%", "90%", "60%"):  # every mean printed
        assert picture.count(f">{value}<") == 3
    assert all(f">T={t}<" in picture for t in (10, 50, 100))
    dashed = re.search(r'<line x1="[\d.]+" y1="([\d.]+)"[^>]*stroke-dasharray', picture)
    zero = re.search(r'<line x1="[\d.]+" y1="([\d.]+)"[^/]*/><text[^>]*>0%<', picture)
    hundred = re.search(r'<line x1="[\d.]+" y1="([\d.]+)"[^/]*/><text[^>]*>100%<', picture)
    chance_y, zero_y, full_y = (float(m.group(1)) for m in (dashed, zero, hundred))
    assert chance_y == pytest.approx(zero_y + 0.25 * (full_y - zero_y), abs=0.2)


def test_gradient_chart_is_logarithmic_and_skips_zeros():
    figure = figures.gradient_norms_chart({"lstm": np.array([0.0, 1e-3, 1.0])})
    assert figure.layout.yaxis.type == "log"
    assert np.isnan(figure.data[0].y[-1])  # the 0 at the first step, drawn last (farthest)


def _cli_json(argv: list[str]) -> dict:
    import io
    import json
    from contextlib import redirect_stdout

    from rnn_core.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(argv) == 0
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_cli_compare_and_gradients_reproduce_the_page():
    compared = _cli_json(["compare", "--units", "4", "--seq-len", "5", "--epochs", "1",
                          "--bidirectional", "--json"])
    assert [c["cell"] for c in compared["cells"]] == list(CELLS)
    assert all(c["formula_params"] == c["keras_params"] for c in compared["cells"])
    lab = _cli_json(["gradients", "--radius", "0.5", "--seq-len", "10", "--json"])
    assert set(lab["cells"]) == set(CELLS)
    assert 0.4 < lab["cells"]["simple_rnn"]["change_per_step_back"] < 0.6


def test_shipped_imdb_models_show_their_measured_latency():
    from rnn_core.sentiment.registry import model_figures

    rows = model_figures()
    assert {row["name"] for row in rows} >= {"simple_rnn", "lstm", "gru", "bigru"}
    assert all(row["latency_ms"] and row["latency_ms"] > 0 for row in rows)
