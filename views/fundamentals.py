"""RNN fundamentals: step through a SimpleRNN by hand, then shapes, patterns and a quiz.

Every number shown comes from ``rnn_core`` (NumPy), and the page checks it against a real Keras
layer built with the same weights.
"""

from dataclasses import asdict

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.cells import CELL_NAMES, CELLS, MERGE_MODES, keras_sequence, simple_rnn_trace
from rnn_core.fundamentals import figures, stepthrough
from rnn_core.fundamentals.codegen import model_code, simple_rnn_code
from rnn_core.fundamentals.shapes import (
    EXPLORER_BOUNDS,
    EXPLORER_DEFAULTS,
    RNNSpec,
    cell_param_formula,
    describe,
    keras_describe,
)
from rnn_core.fundamentals.stepthrough import StepThroughInput
from rnn_ui import predict
from rnn_ui.glossary import linked
from rnn_ui.handover import take_for_stepthrough
from rnn_ui.quiz import quiz_ui
from rnn_ui.session import translator
from rnn_ui.widgets import bounded_number

t = translator()
KEY = "fund:"  # widget keys of this page
IMPORTED = KEY + "imported"  # numbers another page handed over, kept while the learner uses them


@st.cache_data(max_entries=256, show_spinner=False)
def keras_hidden_states(
    x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """Hidden states of a real ``keras.layers.SimpleRNN`` with these weights: (T, units)."""
    weights = [kernel, recurrent, bias]
    return keras_sequence("simple_rnn", x[None], weights, return_sequences=True)[0]


@st.cache_data(max_entries=256, show_spinner=False)
def keras_layer_rows(spec: dict) -> list[tuple[str, tuple, int]]:
    """(layer, output shape, parameters) from a real Keras model built for ``spec``."""
    return keras_describe(RNNSpec(**spec))


def matrix_editor(values: np.ndarray, rows: list[str], columns: list[str], key: str) -> np.ndarray:
    """An editable table of numbers; blanks and junk become 0 with a note, values are bounded."""
    limit = stepthrough.VALUE_LIMIT
    number = st.column_config.NumberColumn(min_value=-limit, max_value=limit, step=0.01,
                                           format="%.2f")
    edited = st.data_editor(
        pd.DataFrame(values, index=rows, columns=columns),
        key=key,
        num_rows="fixed",
        width="stretch",
        column_config=dict.fromkeys(columns, number),
    )
    cleaned, changed = stepthrough.clean_matrix(edited.to_numpy())
    if changed:
        st.caption(t("common.invalid_value"))
    return cleaned


def stepthrough_settings_ui() -> tuple[int, int, int, str]:
    """Sizes and input preset chosen by the learner: (features, units, steps, preset)."""
    columns = st.columns(4)
    default_features, default_units, default_steps = stepthrough.DEFAULT_SIZES
    features = columns[0].number_input(t("fundamentals.features"), 1, stepthrough.MAX_FEATURES,
                                       default_features, key=KEY + "features")
    units = columns[1].number_input(t("fundamentals.units"), 1, stepthrough.MAX_UNITS,
                                    default_units, key=KEY + "units")
    steps = columns[2].number_input(t("fundamentals.steps"), 2, stepthrough.MAX_STEPS,
                                    default_steps, key=KEY + "steps")
    preset = columns[3].selectbox(t("fundamentals.preset"), stepthrough.PRESETS,
                                  format_func=lambda p: t(f"fundamentals.preset_{p}"),
                                  key=KEY + "preset")
    return int(features), int(units), int(steps), preset


def receive_handed_over() -> None:
    """Numbers another page handed over (a trained forecaster): size the tables to fit them."""
    numbers = take_for_stepthrough()
    if numbers is None or numbers.cell != "simple_rnn":
        return
    features, units, steps = numbers.sizes
    st.session_state[IMPORTED] = numbers
    st.session_state.update({KEY + "features": features, KEY + "units": units,
                             KEY + "steps": steps, KEY + "seed": None})


def imported_values(features: int, units: int, steps: int) -> StepThroughInput | None:
    """The handed-over numbers, while the learner keeps the sizes they came with."""
    numbers = st.session_state.get(IMPORTED)
    if numbers is None or numbers.sizes != (features, units, steps):
        return None
    return numbers


def weights_seed_ui() -> int | None:
    """Buttons that draw random weights or go back to the readable defaults."""
    seed_key = KEY + "seed"
    left, right = st.columns(2)
    if left.button(t("fundamentals.random_weights"), icon=":material/casino:"):
        st.session_state[seed_key] = int(np.random.default_rng().integers(1_000_000))
        st.session_state.pop(IMPORTED, None)
    if right.button(t("fundamentals.default_weights"), icon=":material/restart_alt:"):
        st.session_state[seed_key] = None
        st.session_state.pop(IMPORTED, None)
    return st.session_state.get(seed_key)


def step_ui(steps: int) -> int:
    """The current time step (1-based), with previous / next buttons around a slider."""
    step_key = KEY + "step"

    def move(delta: int) -> None:
        st.session_state[step_key] = min(max(st.session_state[step_key] + delta, 1), steps)

    st.session_state[step_key] = min(st.session_state.get(step_key, 1), steps)
    back, slider, forward = st.columns([1, 4, 1], vertical_alignment="bottom")
    back.button(t("fundamentals.previous"), icon=":material/arrow_back:", on_click=move,
                args=(-1,), width="stretch")
    forward.button(t("fundamentals.next"), icon=":material/arrow_forward:", on_click=move,
                   args=(1,), width="stretch")
    return slider.slider(t("fundamentals.step"), 1, steps, key=step_key)


def stepthrough_section() -> None:
    st.header(t("fundamentals.step_heading"), anchor="step-through")
    st.markdown(t("fundamentals.step_intro"))
    st.latex(r"h_t = \tanh\left(x_t W_x + h_{t-1} W_h + b\right), \qquad h_0 = 0")
    receive_handed_over()
    features, units, steps, preset = stepthrough_settings_ui()
    seed = weights_seed_ui()
    shape_tag = f"{features}:{units}:{steps}:{preset}:{seed}"  # new sizes -> fresh tables
    x_default = stepthrough.example_sequence(preset, steps, features, seed or 0)
    kernel, recurrent, bias = stepthrough.example_weights(features, units, seed)
    imported = imported_values(features, units, steps)
    if imported is not None:
        x_default, kernel, recurrent, bias = (imported.inputs, imported.kernel,
                                              imported.recurrent, imported.bias)
        shape_tag += ":imported"
        st.info(t("fundamentals.imported_note"), icon=":material/model_training:")
    x_names = [f"x{i + 1}" for i in range(features)]
    h_names = [f"h{j + 1}" for j in range(units)]
    inputs_column, weights_column = st.columns([2, 3])
    with inputs_column:
        st.markdown(t("fundamentals.inputs_label"))
        x = matrix_editor(x_default, [f"t={s + 1}" for s in range(steps)], x_names,
                          KEY + "x:" + shape_tag)
    with weights_column:
        st.markdown(t("fundamentals.kernel_label"))
        kernel = matrix_editor(kernel, x_names, h_names, KEY + "wx:" + shape_tag)
        st.markdown(t("fundamentals.recurrent_label"))
        recurrent = matrix_editor(recurrent, h_names, h_names, KEY + "wh:" + shape_tag)
        st.markdown(t("fundamentals.bias_label"))
        bias = matrix_editor(bias[None], ["b"], h_names, KEY + "b:" + shape_tag)[0]

    trace = simple_rnn_trace(x, kernel, recurrent, bias)
    step = step_ui(steps)
    h_prev = trace.hidden[step - 2] if step > 1 else np.zeros(units)
    st.markdown(t("fundamentals.arithmetic", step=step))
    for line in stepthrough.step_latex(x[step - 1], h_prev, kernel, recurrent, bias, step):
        st.latex(line)
    st.plotly_chart(figures.unrolled_diagram(steps, highlight=step), key=KEY + "unrolled",
                    config={"staticPlot": True})
    st.plotly_chart(
        figures.hidden_state_heatmap(trace.hidden, step, title=t("fundamentals.heatmap_title"),
                                     time_label=t("fundamentals.time"),
                                     unit_label=t("fundamentals.hidden_unit")),
        key=KEY + "heatmap",
    )
    keras_check_ui(x, kernel, recurrent, bias, trace.hidden)
    with st.expander(t("common.show_code"), icon=":material/code:"):
        st.code(simple_rnn_code(x, kernel, recurrent, bias), language="python")


def keras_check_ui(x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray,
                   hidden: np.ndarray) -> None:
    """States, computed live, that Keras's SimpleRNN gives the same hidden states."""
    with st.spinner(t("fundamentals.keras_running")):
        keras_hidden = keras_hidden_states(x, kernel, recurrent, bias)
    difference = float(np.max(np.abs(keras_hidden - hidden)))
    if difference < 1e-5:
        st.success(t("fundamentals.keras_match", difference=f"{difference:.1e}"),
                   icon=":material/verified:")
    else:
        st.error(t("fundamentals.keras_mismatch", difference=f"{difference:.1e}"))


def shapes_settings_ui() -> RNNSpec:
    """The model the learner describes, as an ``RNNSpec`` (every size bounded by the widgets)."""
    bounds, defaults = EXPLORER_BOUNDS, EXPLORER_DEFAULTS
    top = st.columns(4)
    batch = bounded_number(top[0], t("fundamentals.samples"), bounds["batch"], defaults.batch,
                           KEY + "batch")
    timesteps = bounded_number(top[1], t("fundamentals.timesteps"), bounds["timesteps"],
                               defaults.timesteps, KEY + "T")
    features = bounded_number(top[2], t("fundamentals.features"), bounds["features"],
                              defaults.features, KEY + "F")
    units = bounded_number(top[3], t("fundamentals.units"), bounds["units"], defaults.units,
                           KEY + "U")
    middle = st.columns(4)
    cell = middle[0].selectbox(t("fundamentals.cell"), CELLS, format_func=CELL_NAMES.__getitem__,
                               key=KEY + "cell")
    layers = bounded_number(middle[1], t("fundamentals.layers"), bounds["layers"],
                            defaults.layers, KEY + "layers")
    dense = bounded_number(middle[2], t("fundamentals.dense"), bounds["dense_units"],
                           defaults.dense_units, KEY + "dense",
                           help_text=t("fundamentals.dense_help"))
    bottom = st.columns(3)
    return_sequences = bottom[0].toggle("return_sequences", key=KEY + "rs",
                                        help=t("fundamentals.return_sequences_help"))
    bidirectional = bottom[1].toggle(t("fundamentals.bidirectional"), key=KEY + "bi")
    merge_mode = bottom[2].selectbox("merge_mode", MERGE_MODES, key=KEY + "merge",
                                     disabled=not bidirectional)
    return RNNSpec(cell=cell, units=units, layers=layers, bidirectional=bidirectional,
                   merge_mode=merge_mode, return_sequences=return_sequences, dense_units=dense,
                   batch=batch, timesteps=timesteps, features=features)


def shapes_section() -> None:
    st.header(t("fundamentals.shapes_heading"), anchor="shapes")
    st.markdown(t("fundamentals.shapes_intro"))
    spec = shapes_settings_ui()
    if not predict.ask("fundamentals", "predict_total_params", spec, sticky=True):
        return  # the learner predicts the total before the table shows it
    rows = describe(spec)
    with st.spinner(t("fundamentals.keras_building")):
        keras_rows = keras_layer_rows(asdict(spec))
    table = pd.DataFrame({
        t("fundamentals.col_layer"): [name for name, _, _ in keras_rows],
        t("fundamentals.col_output"): [str(shape) for _, shape, _ in keras_rows],
        t("fundamentals.col_params"): [f"{params:,}" for _, _, params in keras_rows],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    total = sum(params for _, _, params in keras_rows)
    st.metric(t("fundamentals.total_params"), f"{total:,}")
    predict.compare("fundamentals", "predict_total_params", spec, total)
    st.markdown(t("fundamentals.formula_intro", cell=CELL_NAMES[spec.cell]))
    st.latex(cell_param_formula(spec.cell, spec.features, spec.units))
    agree = [(row.output_shape, row.params) for row in rows] == [
        (tuple(shape), params) for _, shape, params in keras_rows
    ]
    if agree:
        st.caption(t("fundamentals.shapes_agree"))
    else:
        st.error(t("fundamentals.shapes_disagree"))
    with st.expander(t("common.show_code"), icon=":material/code:"):
        st.code(model_code(spec), language="python")


def patterns_section() -> None:
    st.header(t("fundamentals.patterns_heading"), anchor="patterns")
    st.markdown(t("fundamentals.patterns_intro"))
    tabs = st.tabs([t(f"fundamentals.pattern_{name}") for name in figures.PATTERNS])
    for tab, (name, (steps, inputs, outputs)) in zip(tabs, figures.PATTERNS.items(), strict=True):
        with tab:
            st.plotly_chart(figures.unrolled_diagram(steps, inputs=inputs, outputs=outputs),
                            key=KEY + name, config={"staticPlot": True})
            st.markdown(t(f"fundamentals.pattern_{name}_text"))
    st.subheader(t("fundamentals.bidirectional_heading"))
    st.markdown(t("fundamentals.bidirectional_text"))
    st.plotly_chart(figures.unrolled_diagram(4, backward=True), key=KEY + "bidirectional",
                    config={"staticPlot": True})
    st.latex(r"\overrightarrow{h}_t = \tanh\left(x_t \overrightarrow{W}_x"
             r" + \overrightarrow{h}_{t-1} \overrightarrow{W}_h + \overrightarrow{b}\right)")
    st.latex(r"\overleftarrow{h}_t = \tanh\left(x_t \overleftarrow{W}_x"
             r" + \overleftarrow{h}_{t+1} \overleftarrow{W}_h + \overleftarrow{b}\right)")
    st.latex(r"y_t = \left[\overrightarrow{h}_t \,;\, \overleftarrow{h}_t\right]"
             r"\ (\text{concat}) \quad\text{or}\quad"
             r" y_t = \overrightarrow{h}_t + \overleftarrow{h}_t\ (\text{sum})")
    st.subheader(t("fundamentals.stacked_heading"))
    st.markdown(t("fundamentals.stacked_text"))
    st.latex(r"h^{(\ell)}_t = \tanh\left(h^{(\ell-1)}_t W^{(\ell)}_x"
             r" + h^{(\ell)}_{t-1} W^{(\ell)}_h + b^{(\ell)}\right), \qquad h^{(0)}_t = x_t")


st.title(t("fundamentals.title"))
st.markdown(linked(t("fundamentals.intro")))
stepthrough_section()
shapes_section()
patterns_section()
quiz_ui("fundamentals")
