"""The formula-only shapes table agrees with real Keras models, and bad settings are refused."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from dataclasses import asdict

import pytest

from rnn_core.cells import CELLS, MERGE_MODES
from rnn_core.fundamentals import shapes
from rnn_core.fundamentals.shapes import RNNSpec

# The only modules that import Keras when imported: the saved models' own layers and training.
KERAS_MODULES = {"rnn_core.sentiment.text", "rnn_core.sentiment.models",
                 "rnn_core.sentiment.training"}


def _grid() -> list[RNNSpec]:
    """Every cell x (unidirectional or each merge mode) x return_sequences, twice, with the
    other sizes drawn at random (fixed seed): 60 models, every combination that changes the
    shapes covered at least once."""
    draw = random.Random(0)
    directions = [(False, "concat")] + [(True, mode) for mode in MERGE_MODES]
    specs = []
    for cell, (bidirectional, merge_mode), return_sequences, _ in itertools.product(
            CELLS, directions, (True, False), range(2)):
        specs.append(RNNSpec(
            cell=cell, units=draw.choice((1, 7, 32)), layers=draw.choice((1, 2, 3)),
            bidirectional=bidirectional, merge_mode=merge_mode,
            return_sequences=return_sequences, dense_units=draw.choice((0, 1, 3)),
            batch=draw.choice((32, None)), timesteps=draw.choice((20, None)),
            features=draw.choice((1, 5))))
    return specs


GRID = _grid()


@pytest.mark.parametrize("spec", GRID, ids=lambda s: "-".join(str(v) for v in asdict(s).values()))
def test_describe_agrees_with_keras(spec):
    rows = shapes.describe(spec)
    keras_rows = shapes.keras_describe(spec)
    assert [(r.kind, r.output_shape, r.params) for r in rows] == keras_rows
    assert len(rows) == spec.layers + (1 if spec.dense_units else 0)
    assert shapes.total_params(spec) == sum(params for _, _, params in keras_rows)


def test_grid_is_small_but_covers_the_options():
    assert len(GRID) == 60
    assert {s.layers for s in GRID} == {1, 2, 3}
    assert {s.dense_units for s in GRID} == {0, 1, 3}
    assert {s.units for s in GRID} == {1, 7, 32}


@pytest.mark.parametrize("spec", GRID[::7])
def test_model_output_shape_and_count_params(spec):
    model = shapes.build_keras_model(spec)
    rows = shapes.describe(spec)
    assert tuple(model.output_shape) == rows[-1].output_shape
    assert model.count_params() == shapes.total_params(spec) == shapes.keras_total_params(spec)


def _evaluate_latex(formula: str) -> tuple[int, int]:
    """``2 \\times 3 \\times (4 + 5 + 2) = 66`` -> (value of the left side, the right side)."""
    left, right = formula.split(" = ")
    left = left.replace(r"\times", "*")
    assert set(left) <= set("0123456789+*() "), formula
    return eval(left), int(right.replace("{,}", ""))


@pytest.mark.parametrize("spec", GRID[::3])
def test_each_formula_adds_up_to_the_row_count(spec):
    for row in shapes.describe(spec):
        assert _evaluate_latex(row.formula) == (row.params, row.params)


@pytest.mark.parametrize("cell", CELLS)
def test_cell_formula_matches_the_count(cell):
    for input_dim, units in [(1, 1), (10, 64), (300, 128)]:
        count = shapes.cell_param_count(cell, input_dim, units)
        left, right = _evaluate_latex(shapes.cell_param_formula(cell, input_dim, units))
        assert left == right == count


def test_seed_example_return_sequences_keeps_the_time_axis():
    spec = RNNSpec(units=64, return_sequences=True, batch=32, timesteps=20, features=10)
    assert shapes.describe(spec)[0].output_shape == (32, 20, 64)
    assert shapes.build_keras_model(spec).output_shape == (32, 20, 64)


def test_seed_example_simple_rnn_on_one_feature_has_1088_parameters():
    spec = RNNSpec(units=32, features=1)
    assert shapes.total_params(spec) == 1088 == shapes.keras_total_params(spec)
    assert shapes.cell_param_formula("simple_rnn", 1, 32) == r"32 \times (1 + 32 + 1) = 1{,}088"
    assert shapes.describe(spec)[0].output_shape == (32, 32)


def test_seed_example_bidirectional_lstm_outputs_128_features():
    spec = RNNSpec(cell="lstm", units=64, bidirectional=True)
    row = shapes.describe(spec)[0]
    assert row.output_shape == (32, 128)
    assert row.name == "Bidirectional(LSTM)"
    assert row.params == 2 * shapes.cell_param_count("lstm", 10, 64)
    assert shapes.keras_describe(spec) == [("Bidirectional", (32, 128), row.params)]


def test_textbook_counts():
    assert shapes.cell_param_count("lstm", 10, 64) == 4 * 64 * (10 + 64 + 1)
    assert shapes.cell_param_count("gru", 10, 64) == 3 * 64 * (10 + 64 + 2)
    with pytest.raises(ValueError, match="unknown cell"):
        shapes.cell_param_count("rnn", 1, 1)


def test_stacked_layers_feed_the_merged_width_forward():
    spec = RNNSpec(cell="gru", units=8, layers=2, bidirectional=True, merge_mode="concat")
    second = shapes.describe(spec)[1]
    assert second.params == 2 * shapes.cell_param_count("gru", 16, 8)  # input is 2 x 8 wide
    summed = shapes.describe(RNNSpec(cell="gru", units=8, layers=2, bidirectional=True,
                                     merge_mode="sum"))[1]
    assert summed.params == 2 * shapes.cell_param_count("gru", 8, 8)


@pytest.mark.parametrize(("changes", "message"), [
    ({"cell": "transformer"}, "unknown cell"),
    ({"merge_mode": "max"}, "unknown merge_mode"),
    ({"units": 0}, "units"),
    ({"units": 1025}, "units"),
    ({"layers": 0}, "layers"),
    ({"layers": 5}, "layers"),
    ({"features": -1}, "features"),
    ({"features": 4097}, "features"),
    ({"timesteps": 0}, "timesteps"),
    ({"timesteps": 100_001}, "timesteps"),
    ({"batch": 0}, "batch"),
    ({"batch": 100_001}, "batch"),
    ({"dense_units": -1}, "dense_units"),
    ({"dense_units": 4097}, "dense_units"),
    ({"units": 3.5}, "whole number"),
    ({"units": True}, "whole number"),
    ({"bidirectional": "yes"}, "true or false"),
])
def test_bad_specs_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        RNNSpec(**changes)


def test_specs_at_the_bounds_and_unknown_sizes_are_accepted():
    spec = RNNSpec(units=1024, layers=4, features=4096, timesteps=None, batch=None,
                   dense_units=4096)
    assert shapes.describe(spec)[-1].output_shape == (None, 4096)
    assert RNNSpec(**asdict(RNNSpec())) == RNNSpec()


def test_importing_the_core_loads_neither_tensorflow_nor_streamlit():
    """Every other module of every topic imports Keras only inside the functions that need it,
    so a page that shows text never pays for TensorFlow; none imports Streamlit at all."""
    import pkgutil

    import rnn_core

    modules = sorted(info.name for info in pkgutil.walk_packages(rnn_core.__path__, "rnn_core.")
                     if info.name not in KERAS_MODULES)
    assert "rnn_core.fundamentals.shapes" in modules and len(modules) > 30
    code = ("import sys; import " + ", ".join(modules) + "; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'streamlit') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=shapes.__file__.rsplit("/rnn_core/", 1)[0])
    assert result.stdout.strip() == "[]"
