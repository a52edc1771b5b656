"""Inside LSTM and GRU: every gate stepped through by hand, checked live against Keras.

Layout only: the numbers come from ``rnn_core.cells.gated_trace`` and
``rnn_core.fundamentals.gates`` (presets, role weights, LaTeX, the Keras check), the figures
from ``rnn_core.fundamentals.gate_figures``, the code from ``rnn_core.fundamentals.codegen``.
"""

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import course
from rnn_core.cells import BLOCKS, CELL_NAMES, GATED_CELLS, gated_trace
from rnn_core.fundamentals import gate_figures, gates, stepthrough
from rnn_core.fundamentals.codegen import keras_code, numpy_code
from rnn_core.study import outcomes
from rnn_ui import handover, predict
from rnn_ui.glossary import linked
from rnn_ui.keras_check import keras_ready
from rnn_ui.quiz import quiz_ui
from rnn_ui.session import kept, translator
from rnn_ui.stepthrough import forget_table_edits, kept_table, matrix_editor, time_step_ui
from rnn_ui.widgets import bounded_number, lazy_expander, lazy_views

t = translator()
KEY = "gates:"  # widget keys of this page
PAGE = "gates"


@st.cache_data(max_entries=256, show_spinner=False)
def keras_states(cell: str, x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray,
                 bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h at every step and the last carried state from a real Keras layer with these weights."""
    return gates.keras_states(cell, x, [kernel, recurrent, bias])


def settings_ui() -> tuple[str, int, int, int, str]:
    """(cell, features, units, steps, preset) chosen by the learner."""
    cell = st.radio(t("gates.cell"), GATED_CELLS, format_func=CELL_NAMES.__getitem__,
                    horizontal=True, key=kept(KEY + "cell"))
    columns = st.columns(4)
    default_features, default_units, default_steps = gates.DEFAULT_SIZES
    features = bounded_number(columns[0], t("gates.features"), (1, stepthrough.MAX_FEATURES),
                              default_features, KEY + "features")
    units = bounded_number(columns[1], t("gates.units"), (1, stepthrough.MAX_UNITS),
                           default_units, KEY + "units")
    steps = bounded_number(columns[2], t("gates.steps"), (2, stepthrough.GATED_MAX_STEPS),
                           default_steps, KEY + "steps")
    presets = gates.presets_for(int(features))
    if st.session_state.get(KEY + "preset") not in presets:
        st.session_state[KEY + "preset"] = presets[0]
    preset = columns[3].selectbox(t("gates.preset"), presets, key=kept(KEY + "preset"),
                                  format_func=lambda p: t(f"gates.preset_{p}"))
    return cell, int(features), int(units), int(steps), preset


def weights_seed_ui() -> int | None:
    """Buttons that draw random weights or go back to the role weights of the presets."""
    seed_key = KEY + "seed"
    left, right = st.columns(2)
    if left.button(t("gates.random_weights"), icon=":material/casino:", key=KEY + "random"):
        st.session_state[seed_key] = int(np.random.default_rng().integers(1_000_000))
        handover.drop(KEY)
        forget_table_edits(KEY)
    if right.button(t("gates.default_weights"), icon=":material/restart_alt:",
                    key=KEY + "default"):
        st.session_state[seed_key] = None
        handover.drop(KEY)
        forget_table_edits(KEY)
    return st.session_state.get(seed_key)


def weights_ui(cell: str, features: int, units: int, weights: list[np.ndarray],
               tag: str) -> list[np.ndarray]:
    """One editable table per block, in Keras's order; returns the weights in Keras's layout."""
    st.markdown(t("gates.weights_label"))
    rows = gates.block_rows(cell, features, units)
    tables = gates.block_tables(cell, weights)
    shown = lazy_views(t("gates.blocks_label"), BLOCKS[cell], f"{KEY}block:{cell}",
                       lambda name: t(f"gates.row_{name}"))
    edited = {}
    for name in BLOCKS[cell]:  # only the block shown is drawn; the others keep their numbers
        key = f"{KEY}{name}:{tag}"
        if name != shown:
            edited[name] = kept_table(tables[name], key)
            continue
        symbol = gates.TEXT_SYMBOLS[name]
        edited[name] = matrix_editor(tables[name], rows,
                                     [f"{symbol}{j + 1}" for j in range(units)], key,
                                     t(f"gates.row_{name}"))
    weights = gates.from_block_tables(cell, edited, features)
    box = lazy_expander(t("gates.keras_layout"), KEY + "layout", icon=":material/view_column:")
    with box:
        if not box.open:
            return weights
        st.markdown(t("gates.keras_layout_text", cell=CELL_NAMES[cell]))
        columns = gates.keras_columns(cell, units)
        kernel, recurrent, bias = weights
        bias_rows = ["b", "b′"] if cell == "gru" else ["b"]
        for label, values, index in (("kernel", kernel, [f"x{i + 1}" for i in range(features)]),
                                     ("recurrent_kernel", recurrent,
                                      [f"h{j + 1}" for j in range(units)]),
                                     ("bias", np.reshape(bias, (-1, len(columns))), bias_rows)):
            st.caption(f"`{label}` {values.shape}")
            st.dataframe(pd.DataFrame(values, index=index, columns=columns), width="stretch")
    return weights


def unit_ui(units: int) -> int:
    """Which unit's arithmetic to show (0-based), kept valid when the units shrink."""
    key = KEY + "unit"
    if st.session_state.get(key, 0) >= units:
        st.session_state[key] = 0
    return st.radio(t("gates.unit"), range(units), format_func=lambda j: f"{j + 1}",
                    horizontal=True, key=kept(key))


def arithmetic_ui(trace, x: np.ndarray, weights: list[np.ndarray], step: int, unit: int) -> None:
    st.markdown(t("gates.arithmetic", step=step, unit=unit + 1))
    tables = gates.block_tables(trace.cell, weights)
    for line in gates.step_latex(trace, x, tables, step, unit):
        st.latex(line)


def figures_ui(trace, step: int, unit: int) -> None:
    labels = {name: t(f"gates.row_{name}") for name, _, _ in gate_figures.heatmap_rows(trace)}
    st.markdown(f"**{t(f'gates.path_title_{trace.cell}', unit=unit + 1)}**")
    st.image(gate_figures.carried_path(trace, unit, step), width="content")
    st.caption(t(f"gates.path_caption_{trace.cell}"))
    st.markdown(f"**{t('gates.heatmap_title')}**")
    st.image(gate_figures.gates_heatmap(trace, step, titles=labels), width="content")


def keras_check_ui(trace, x: np.ndarray, weights: list[np.ndarray]) -> None:
    """States, computed live, that Keras's own LSTM / GRU gives the same states."""
    if not keras_ready():
        return
    with st.spinner(t("gates.keras_running", cell=CELL_NAMES[trace.cell])):
        hidden, carried = keras_states(trace.cell, x, *weights)
    difference = gates.keras_difference(trace, hidden, carried)
    if difference < 1e-5:
        st.success(t("gates.keras_match", cell=CELL_NAMES[trace.cell],
                     difference=f"{difference:.1e}"), icon=":material/verified:")
    else:
        st.error(t("gates.keras_mismatch", difference=f"{difference:.1e}"))


@st.fragment
def code_ui(cell: str, x: np.ndarray, weights: list[np.ndarray]) -> None:
    """The step-through as Keras code and as a NumPy loop; a fragment of its own, so opening it
    or picking a view redraws only the code."""
    box = lazy_expander(t("common.show_code"), KEY + "code", icon=":material/code:")
    with box:
        if not box.open:
            return
        names = {"keras": "Keras", "numpy": t("gates.code_numpy")}
        if lazy_views(t("common.show_code"), list(names), KEY + "code_view",
                      names.__getitem__) == "keras":
            st.code(keras_code(cell, x, *weights), language="python")
        else:
            st.markdown(t(f"gates.code_numpy_intro_{cell}"))
            st.code(numpy_code(cell, x, *weights), language="python")


@st.fragment
def time_view(trace, x: np.ndarray, weights: list[np.ndarray], signature: tuple,
              hint: str | None) -> None:
    """One time step and unit: the arithmetic, then (once the learner has predicted) the
    "what to watch" ``hint``, the carried path and every gate so far. The hint waits for the
    prediction because it states the outcome. Its own fragment, so Back / Next and the unit
    redraw only this; ``signature`` names the numbers (new ones ask for a new prediction)."""
    steps, units = trace.hidden.shape
    step = time_step_ui(steps, KEY + "step",
                        (t("gates.previous"), t("gates.next"), t("gates.step")))
    unit = unit_ui(units)
    arithmetic_ui(trace, x, weights, step, unit)
    if predict.ask(PAGE, "predict_memory_kept", signature):
        if hint is not None:
            st.info(hint, icon=":material/visibility:")
        figures_ui(trace, step, unit)
        predict.compare(PAGE, "predict_memory_kept", signature,
                        outcomes.memory_kept(trace.carried[:, 0]))


@st.fragment
def stepthrough_section() -> None:
    """The whole step-through; a new cell, size or preset reruns only this part of the page."""
    st.header(t("gates.step_heading"), anchor="step-through")
    st.markdown(linked(t("gates.step_intro")))
    handed = handover.receive(PAGE, KEY)
    if handed is not None:
        st.session_state[KEY + "cell"] = handed.cell
    cell, features, units, steps, preset = settings_ui()
    for line in gates.EQUATIONS[cell]:
        st.latex(line)
    st.markdown(t(f"gates.equations_{cell}"))
    seed = weights_seed_ui()
    tag = f"{cell}:{features}:{units}:{steps}:{preset}:{seed}"  # new sizes -> fresh tables
    x_default = gates.example_sequence(preset, steps, features, seed or 0)
    weights = gates.example_weights(cell, features, units, seed)
    imported = handover.received(KEY, cell, (features, units, steps))
    if imported is not None:
        x_default, weights = imported.inputs, imported.weights
        tag += ":imported"
        st.info(t("gates.imported_note", cell=CELL_NAMES[cell]), icon=":material/model_training:")
    watch = None  # what to watch: it describes the readable default weights
    if imported is None and seed is None:
        hint = f"{cell}_{preset}"
        watch = t(f"gates.hint_{hint}", pulse=gates.pulse_step(steps) + 1,
                  reset=gates.reset_step(steps) + 1)
    numbers_view(cell, x_default, weights, tag, (cell, features, units, steps, preset, seed),
                 watch)


@st.fragment
def numbers_view(cell: str, x_default: np.ndarray, weights: list[np.ndarray], tag: str,
                 signature: tuple, hint: str | None) -> None:
    """The editable tables and everything computed from them; a fragment of its own, so an
    edit reruns only this (the settings above stay as they are)."""
    steps, features = x_default.shape
    units = weights[1].shape[0]
    inputs_column, weights_column = st.columns([2, 3])
    with inputs_column:
        st.markdown(t("gates.inputs_label"))
        x = matrix_editor(x_default, [f"t={s + 1}" for s in range(steps)],
                          [f"x{i + 1}" for i in range(features)], KEY + "x:" + tag,
                          t("common.table_inputs"))
    with weights_column:
        weights = weights_ui(cell, features, units, weights, tag)
    trace = gated_trace(cell, x, weights)
    time_view(trace, x, weights, signature, hint)
    keras_check_ui(trace, x, weights)
    code_ui(cell, x, weights)


st.title(t("gates.title"))
st.markdown(linked(t("gates.intro")))
stepthrough_section()
st.header(t("gates.next_heading"), anchor="next")
st.markdown(t("gates.next_text"))
st.page_link(course.page("sentiment").file, label=t("nav.sentiment"),
             icon=course.page("sentiment").icon)
quiz_ui("gates")
