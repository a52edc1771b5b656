"""Output shapes and parameter counts of a stack of recurrent layers, from formulas alone.

The page's shapes table is computed here twice: ``describe`` uses only the textbook formulas
(what the learner should be able to do by hand), ``keras_describe`` builds the real Keras model.
The tests check that the two agree over a grid of settings, so the formulas shown are the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnn_core.bounds import check_choice, check_flag, check_range
from rnn_core.cells import CELL_NAMES, CELLS, MERGE_MODES

# Upper bounds: big enough for any lesson, small enough that building the model stays instant.
MAX_UNITS = 1024
MAX_LAYERS = 4
MAX_FEATURES = 4096
MAX_TIMESTEPS = 100_000
MAX_BATCH = 100_000
MAX_DENSE_UNITS = 4096

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class RNNSpec:
    """A Sequential model: ``layers`` recurrent layers (optionally Bidirectional), then Dense.

    Built with ``RNNSpec(**dict_from_yaml)`` elsewhere, so field names and defaults are fixed.
    Invalid settings raise ``ValueError`` on construction: no half-valid spec ever exists.
    """

    cell: str = "simple_rnn"  # simple_rnn | lstm | gru
    units: int = 32
    layers: int = 1  # stacked recurrent layers; all but the last return sequences
    bidirectional: bool = False
    merge_mode: str = "concat"  # concat | sum | mul | ave (only when bidirectional)
    return_sequences: bool = False  # of the last recurrent layer
    dense_units: int = 0  # 0 = no Dense head; else Dense(dense_units) after the RNN stack
    batch: int | None = 32  # None = unknown batch size
    timesteps: int | None = 20  # None = variable length
    features: int = 10

    def __post_init__(self) -> None:
        check_choice("cell", self.cell, CELLS)
        check_choice("merge_mode", self.merge_mode, MERGE_MODES)
        check_flag("bidirectional", self.bidirectional)
        check_flag("return_sequences", self.return_sequences)
        check_range("units", self.units, (1, MAX_UNITS), whole=True)
        check_range("layers", self.layers, (1, MAX_LAYERS), whole=True)
        check_range("features", self.features, (1, MAX_FEATURES), whole=True)
        check_range("dense_units", self.dense_units, (0, MAX_DENSE_UNITS), whole=True)
        if self.timesteps is not None:
            check_range("timesteps", self.timesteps, (1, MAX_TIMESTEPS), whole=True)
        if self.batch is not None:
            check_range("batch", self.batch, (1, MAX_BATCH), whole=True)


# The page's shapes explorer: smaller than what RNNSpec accepts, so its model builds at once.
EXPLORER_BOUNDS: dict[str, tuple[int, int]] = {
    "batch": (1, 4096), "timesteps": (1, 1000), "features": (1, 1024), "units": (1, 512),
    "layers": (1, 3), "dense_units": (0, 100),
}
EXPLORER_DEFAULTS = RNNSpec(units=64)  # 32 samples of 20 steps with 10 features each


@dataclass(frozen=True)
class LayerRow:
    """One row of the shapes table.

    ``name`` is what a learner reads ("Bidirectional(LSTM)"); ``kind`` is the Keras class name
    ("Bidirectional"), the same string ``keras_describe`` reports, so rows can be compared.
    """

    name: str
    kind: str
    output_shape: Shape
    params: int
    formula: str  # LaTeX, the numbers substituted


def latex_int(n: int) -> str:
    """1088 -> ``1{,}088``: braces stop LaTeX from adding space after the thousands comma."""
    return f"{n:,}".replace(",", "{,}")


def cell_param_count(cell: str, input_dim: int, units: int) -> int:
    """Weights of one recurrent layer: every gate has a kernel, a recurrent kernel and a bias.

    SimpleRNN: u(d + u + 1); LSTM: 4u(d + u + 1); GRU (Keras's reset_after=True keeps two
    bias vectors, input and recurrent): 3u(d + u + 2).
    """
    check_choice("cell", cell, CELLS)
    if cell == "simple_rnn":
        return units * (input_dim + units + 1)
    if cell == "lstm":
        return 4 * units * (input_dim + units + 1)
    return 3 * units * (input_dim + units + 2)


def cell_param_formula(cell: str, input_dim: int, units: int) -> str:
    """The count as LaTeX with the numbers in, e.g. ``32 \\times (1 + 32 + 1) = 1{,}088``."""
    total = latex_int(cell_param_count(cell, input_dim, units))
    if cell == "simple_rnn":
        return rf"{units} \times ({input_dim} + {units} + 1) = {total}"
    if cell == "lstm":
        return rf"4 \times {units} \times ({input_dim} + {units} + 1) = {total}"
    return rf"3 \times {units} \times ({input_dim} + {units} + 2) = {total}"


def recurrent_output_dim(spec: RNNSpec) -> int:
    """Features each recurrent layer emits: concat doubles them, the other merges do not."""
    if spec.bidirectional and spec.merge_mode == "concat":
        return 2 * spec.units
    return spec.units


def _recurrent_row(spec: RNNSpec, input_dim: int, returns_sequences: bool) -> LayerRow:
    cell_name = CELL_NAMES[spec.cell]
    dim = recurrent_output_dim(spec)
    shape: Shape = (spec.batch, spec.timesteps, dim) if returns_sequences else (spec.batch, dim)
    params = cell_param_count(spec.cell, input_dim, spec.units)
    formula = cell_param_formula(spec.cell, input_dim, spec.units)
    if not spec.bidirectional:
        return LayerRow(cell_name, cell_name, shape, params, formula)
    # Two independent copies of the cell, one per direction.
    left = formula.split(" = ")[0]
    formula = rf"2 \times {left} = {latex_int(2 * params)}"
    return LayerRow(f"Bidirectional({cell_name})", "Bidirectional", shape, 2 * params, formula)


def _dense_row(spec: RNNSpec, input_dim: int) -> LayerRow:
    """Dense acts on the last axis only, so a 3-D input keeps its time axis."""
    leading = (spec.batch, spec.timesteps) if spec.return_sequences else (spec.batch,)
    params = (input_dim + 1) * spec.dense_units
    formula = rf"({input_dim} + 1) \times {spec.dense_units} = {latex_int(params)}"
    return LayerRow("Dense", "Dense", (*leading, spec.dense_units), params, formula)


def describe(spec: RNNSpec) -> list[LayerRow]:
    """One row per layer (recurrent layers, then Dense if any), computed without Keras."""
    rows = []
    input_dim = spec.features
    for index in range(spec.layers):
        is_last = index == spec.layers - 1
        returns_sequences = spec.return_sequences if is_last else True
        rows.append(_recurrent_row(spec, input_dim, returns_sequences))
        input_dim = recurrent_output_dim(spec)
    if spec.dense_units:
        rows.append(_dense_row(spec, input_dim))
    return rows


def total_params(spec: RNNSpec) -> int:
    """Trainable parameters of the whole model, from the formulas."""
    return sum(row.params for row in describe(spec))


def build_keras_model(spec: RNNSpec):  # -> keras.Sequential
    """The real Keras model for ``spec`` (imports Keras, so call it only when needed)."""
    import keras

    cell_class = getattr(keras.layers, CELL_NAMES[spec.cell])
    # Every layer named here: Keras's automatic names come from a process-wide counter, and two
    # sessions building models at once could otherwise give one model two equal names.
    layers: list = [keras.Input(shape=(spec.timesteps, spec.features), batch_size=spec.batch,
                                name="inputs")]
    for index in range(spec.layers):
        is_last = index == spec.layers - 1
        recurrent = cell_class(spec.units, return_sequences=spec.return_sequences or not is_last,
                               name=f"{spec.cell}_{index + 1}")
        if spec.bidirectional:
            recurrent = keras.layers.Bidirectional(recurrent, merge_mode=spec.merge_mode,
                                                   name=f"bidirectional_{index + 1}")
        layers.append(recurrent)
    if spec.dense_units:
        layers.append(keras.layers.Dense(spec.dense_units, name="dense"))
    return keras.Sequential(layers, name="shapes")


def _plain_shape(shape) -> Shape:
    """Keras shapes may hold numpy/TF ints; plain ints compare and print cleanly."""
    return tuple(None if d is None else int(d) for d in shape)


def keras_describe(spec: RNNSpec) -> list[tuple[str, Shape, int]]:
    """(layer class name, output shape, count_params()) per layer of the real Keras model."""
    model = build_keras_model(spec)
    return [
        (type(layer).__name__, _plain_shape(layer.output.shape), int(layer.count_params()))
        for layer in model.layers
    ]


def keras_total_params(spec: RNNSpec) -> int:
    """``count_params()`` of the real Keras model."""
    return int(build_keras_model(spec).count_params())
