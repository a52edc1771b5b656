"""RNN fundamentals: step through a SimpleRNN by hand, then shapes, patterns and a quiz.

Every number shown comes from ``rnn_core`` (NumPy), and the page checks it against a real Keras
layer built with the same weights.
"""

from dataclasses import asdict

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.cells import CELL_NAMES, CELLS, MERGE_MODES, display_name, simple_rnn_trace
from rnn_core.fundamentals import diagram, figures, order, stepthrough
from rnn_core.fundamentals.codegen import (
    model_code,
    numpy_code,
    simple_rnn_code,
    torch_param_formula,
    torch_rnn_code,
)
from rnn_core.fundamentals.shapes import (
    EXPLORER_BOUNDS,
    EXPLORER_DEFAULTS,
    RNNSpec,
    cell_param_formula,
    describe,
)
from rnn_core.sentiment import user_text
from rnn_ui import handover, predict
from rnn_ui.fundamentals import keras_hidden_states, keras_layer_rows, unrolled_chart
from rnn_ui.glossary import linked
from rnn_ui.keras_check import keras_ready
from rnn_ui.quiz import quiz_ui
from rnn_ui.sentiment import loaded_models, manifests, models_folder
from rnn_ui.session import kept, translator
from rnn_ui.stepthrough import forget_table_edits, matrix_editor, time_step_ui
from rnn_ui.widgets import bounded_number, lazy_expander, lazy_views

t = translator()
KEY = "fund:"  # widget keys of this page
PAGE = "fundamentals"




def stepthrough_settings_ui() -> tuple[int, int, int, str]:
    """Sizes and input preset chosen by the learner: (features, units, steps, preset)."""
    columns = st.columns(4)
    default_features, default_units, default_steps = stepthrough.DEFAULT_SIZES
    features = bounded_number(columns[0], t("fundamentals.features"),
                              (1, stepthrough.MAX_FEATURES), default_features, KEY + "features")
    units = bounded_number(columns[1], t("fundamentals.units"), (1, stepthrough.MAX_UNITS),
                           default_units, KEY + "units")
    steps = bounded_number(columns[2], t("fundamentals.steps"), (2, stepthrough.MAX_STEPS),
                           default_steps, KEY + "steps")
    preset = columns[3].selectbox(t("fundamentals.preset"), stepthrough.PRESETS,
                                  format_func=lambda p: t(f"fundamentals.preset_{p}"),
                                  key=kept(KEY + "preset"))
    return int(features), int(units), int(steps), preset


def forget_edits() -> None:
    """New weights asked for: drop the handed-over numbers and every table's kept edits."""
    handover.drop(KEY)
    forget_table_edits(KEY)


def weights_seed_ui() -> int | None:
    """Buttons that draw random weights or go back to the readable defaults."""
    seed_key = KEY + "seed"
    left, right = st.columns(2)
    if left.button(t("fundamentals.random_weights"), icon=":material/casino:"):
        st.session_state[seed_key] = int(np.random.default_rng().integers(1_000_000))
        forget_edits()
    if right.button(t("fundamentals.default_weights"), icon=":material/restart_alt:"):
        st.session_state[seed_key] = None
        forget_edits()
    return st.session_state.get(seed_key)


@st.fragment
def stepthrough_section() -> None:
    """The whole step-through; a new size or preset reruns only this part of the page."""
    st.header(t("fundamentals.step_heading"), anchor="step-through")
    st.markdown(linked(t("fundamentals.step_intro")))
    st.latex(r"h_t = \tanh\left(x_t W_x + h_{t-1} W_h + b\right), \qquad h_0 = 0")
    handover.receive(PAGE, KEY)
    features, units, steps, preset = stepthrough_settings_ui()
    seed = weights_seed_ui()
    shape_tag = f"{features}:{units}:{steps}:{preset}:{seed}"  # new sizes -> fresh tables
    x_default = stepthrough.example_sequence(preset, steps, features, seed or 0)
    kernel, recurrent, bias = stepthrough.example_weights(features, units, seed)
    imported = handover.received(KEY, "simple_rnn", (features, units, steps))
    if imported is not None:
        x_default, kernel, recurrent, bias = (imported.inputs, imported.kernel,
                                              imported.recurrent, imported.bias)
        shape_tag += ":imported"
        st.info(t("fundamentals.imported_note"), icon=":material/model_training:")
    numbers_view(x_default, kernel, recurrent, bias, shape_tag)


@st.fragment
def numbers_view(x_default: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray,
                 bias: np.ndarray, shape_tag: str) -> None:
    """The editable tables and everything computed from them; a fragment of its own, so an
    edit reruns only this (the settings above stay as they are)."""
    features, units = kernel.shape
    steps = len(x_default)
    x_names = [f"x{i + 1}" for i in range(features)]
    h_names = [f"h{j + 1}" for j in range(units)]
    inputs_column, weights_column = st.columns([2, 3])
    with inputs_column:
        st.markdown(t("fundamentals.inputs_label"))
        x = matrix_editor(x_default, [f"t={s + 1}" for s in range(steps)], x_names,
                          KEY + "x:" + shape_tag, t("common.table_inputs"))
    with weights_column:
        st.markdown(t("fundamentals.kernel_label"))
        kernel = matrix_editor(kernel, x_names, h_names, KEY + "wx:" + shape_tag,
                               t("fundamentals.table_kernel"))
        st.markdown(t("fundamentals.recurrent_label"))
        recurrent = matrix_editor(recurrent, h_names, h_names, KEY + "wh:" + shape_tag,
                                  t("fundamentals.table_recurrent"))
        st.markdown(t("fundamentals.bias_label"))
        bias = matrix_editor(bias[None], ["b"], h_names, KEY + "b:" + shape_tag,
                             t("fundamentals.table_bias"))[0]

    trace = simple_rnn_trace(x, kernel, recurrent, bias)
    time_view(x, kernel, recurrent, bias, trace.hidden)
    keras_check_ui(x, kernel, recurrent, bias, trace.hidden)
    code_ui(x, kernel, recurrent, bias)


@st.fragment
def time_view(x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray,
              hidden: np.ndarray) -> None:
    """One time step: its arithmetic, the unrolled diagram and the states so far. Its own
    fragment, so Back / Next redraw only this (the tables above stay as they are)."""
    steps, units = hidden.shape
    step = time_step_ui(steps, KEY + "step", (t("fundamentals.previous"), t("fundamentals.next"),
                                              t("fundamentals.step")))
    h_prev = hidden[step - 2] if step > 1 else np.zeros(units)
    st.markdown(t("fundamentals.arithmetic", step=step))
    for line in stepthrough.step_latex(x[step - 1], h_prev, kernel, recurrent, bias, step):
        st.latex(line)
    unrolled_chart(steps, highlight=step)
    st.markdown(t("fundamentals.heatmap_title"))
    st.image(diagram.state_heatmap(hidden, step), width="content")
    st.caption(t("fundamentals.heatmap_caption"))


@st.fragment
def code_ui(x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray) -> None:
    """The step-through as code: Keras, a NumPy loop from scratch, and PyTorch's nn.RNN. Its
    own fragment, so opening it or picking a view redraws only the code."""
    box = lazy_expander(t("common.show_code"), KEY + "code", icon=":material/code:")
    with box:
        if not box.open:
            return
        names = {"keras": "Keras", "numpy": t("fundamentals.code_numpy"), "torch": "PyTorch"}
        view = lazy_views(t("common.show_code"), list(names), KEY + "code_view",
                          names.__getitem__)
        if view == "keras":
            st.code(simple_rnn_code(x, kernel, recurrent, bias), language="python")
        elif view == "numpy":
            st.markdown(linked(t("fundamentals.code_numpy_intro")))
            st.code(numpy_code("simple_rnn", x, kernel, recurrent, bias), language="python")
        else:
            st.markdown(linked(t("fundamentals.code_torch_intro")))
            st.latex(torch_param_formula())
            st.code(torch_rnn_code(), language="python")


def keras_check_ui(x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray,
                   hidden: np.ndarray) -> None:
    """States, computed live, that Keras's SimpleRNN gives the same hidden states."""
    if not keras_ready():
        return
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
                               key=kept(KEY + "cell"))
    layers = bounded_number(middle[1], t("fundamentals.layers"), bounds["layers"],
                            defaults.layers, KEY + "layers")
    dense = bounded_number(middle[2], t("fundamentals.dense"), bounds["dense_units"],
                           defaults.dense_units, KEY + "dense",
                           help_text=t("fundamentals.dense_help"))
    bottom = st.columns(3)
    return_sequences = bottom[0].toggle("return_sequences", key=kept(KEY + "rs"),
                                        help=t("fundamentals.return_sequences_help"))
    bidirectional = bottom[1].toggle(t("fundamentals.bidirectional"), key=kept(KEY + "bi"))
    merge_mode = bottom[2].selectbox("merge_mode", MERGE_MODES, key=kept(KEY + "merge"),
                                     disabled=not bidirectional)
    return RNNSpec(cell=cell, units=units, layers=layers, bidirectional=bidirectional,
                   merge_mode=merge_mode, return_sequences=return_sequences, dense_units=dense,
                   batch=batch, timesteps=timesteps, features=features)


@st.fragment
def shapes_section() -> None:
    """The shapes explorer; a change of its settings reruns only this part of the page."""
    st.header(t("fundamentals.shapes_heading"), anchor="shapes")
    st.markdown(linked(t("fundamentals.shapes_intro")))
    spec = shapes_settings_ui()
    if not predict.ask("fundamentals", "predict_total_params", spec, sticky=True):
        return  # the learner predicts the total before the table shows it
    rows = describe(spec)
    if not keras_ready():
        return
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
    st.markdown(linked(t("fundamentals.formula_intro", cell=CELL_NAMES[spec.cell])))
    st.latex(cell_param_formula(spec.cell, spec.features, spec.units))
    agree = [(row.output_shape, row.params) for row in rows] == [
        (tuple(shape), params) for _, shape, params in keras_rows
    ]
    if agree:
        st.caption(t("fundamentals.shapes_agree"))
    else:
        st.error(t("fundamentals.shapes_disagree"))
    box = lazy_expander(t("common.show_code"), KEY + "shapes_code", icon=":material/code:")
    with box:
        if box.open:
            st.code(model_code(spec), language="python")


@st.fragment
def pattern_views() -> None:
    """One view per input/output pattern; only the one shown is drawn."""
    name = lazy_views(t("fundamentals.patterns_heading"), list(diagram.PATTERNS), KEY + "pattern",
                      lambda name: t(f"fundamentals.pattern_{name}"))
    steps, inputs, outputs = diagram.PATTERNS[name]
    unrolled_chart(steps, inputs=inputs, outputs=outputs)
    st.markdown(t(f"fundamentals.pattern_{name}_text"))


def patterns_section() -> None:
    st.header(t("fundamentals.patterns_heading"), anchor="patterns")
    st.markdown(linked(t("fundamentals.patterns_intro")))
    pattern_views()
    st.subheader(t("fundamentals.bidirectional_heading"))
    st.markdown(t("fundamentals.bidirectional_text"))
    unrolled_chart(4, backward=True)
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


# ---------------------------------------------------------------- 4. why order matters
ORDER_SHOWN_WORDS = 80  # words of each ordering printed on the page
ORDER_FIRST_EXAMPLE = "mixed"  # a review whose verdicts move when shuffled (all four models)


@st.cache_data(max_entries=256, show_spinner=False)
def order_reading(folder: str, name: str, text: str, seed: int) -> order.OrderReading:
    """One model's probability for ``text`` as written, shuffled (``seed``) and reversed."""
    return order.read_in_orders(loaded_models(folder)[0][name], text, seed)


@st.cache_data(max_entries=16, show_spinner=False)
def order_examples_summary(folder: str, name: str) -> order.OrderSummary:
    """How much order counts for one model over the English example reviews."""
    return order.measure(loaded_models(folder)[0][name], list(order.readable_examples().values()))


def order_section() -> None:
    st.header(t("order.heading"), anchor="order")
    st.markdown(linked(t("order.intro")))
    st.markdown(t("order.table"))
    st.subheader(t("order.experiment_heading"))
    st.markdown(linked(t("order.experiment_intro")))
    order_experiment_ui()


def use_order_example() -> None:
    example = st.session_state[KEY + "order_example"]
    st.session_state[KEY + "order_text"] = user_text.EXAMPLES[example]


def order_review_ui() -> tuple[user_text.CheckedReview, int]:
    """The review (an example, editable) and the shuffle seed the learner chose."""
    left, right = st.columns([3, 1])
    names = list(user_text.EXAMPLES)
    left.selectbox(t("order.review_label"), names, index=names.index(ORDER_FIRST_EXAMPLE),
                   key=kept(KEY + "order_example"), on_change=use_order_example,
                   format_func=lambda name: t(f"sentiment.example_{name}"))
    seed = bounded_number(right, t("order.seed_label"), order.SEED_BOUND, 0, KEY + "order_seed",
                          help_text=t("order.seed_help"))
    if KEY + "order_text" not in st.session_state:
        use_order_example()
    text = st.text_area(t("order.text_label"), key=kept(KEY + "order_text"), height=100,
                        max_chars=user_text.MAX_INPUT_CHARS)
    return user_text.check_review(text), seed


@st.fragment
def order_experiment_ui() -> None:
    """Predict, then read the review in three orders; below, the measurement over many."""
    folder = models_folder()
    if not manifests(folder):
        st.info(t("order.no_models"))
        return
    checked, seed = order_review_ui()
    prediction = None
    if predict.asking():  # the learner's "predict before I see results" switch
        prediction = st.radio(t("order.predict_label"), order.PREDICTIONS, index=None,
                              format_func=lambda p: t(f"order.predict_{p}"),
                              key=kept(KEY + "order_prediction"))
        if prediction is None:
            st.caption(t("order.predict_first"))
            return
    with st.spinner(t("order.loading")):
        usable, _ = loaded_models(folder)  # once per server, shared with the sentiment page
    if not usable:
        st.info(t("order.no_models"))
        return
    if not checked.readable:
        st.info(t("order.nothing_to_read"))
    else:
        if "non_english" in checked.findings:
            st.warning(t("order.non_english"))
        readings = {name: order_reading(folder, name, checked.text, int(seed)) for name in usable}
        order_readings_ui(readings)
    order_examples_ui(folder, list(usable))
    order_measured_ui()
    if checked.readable and prediction is not None:
        order_prediction_reply(prediction, readings)


def order_prediction_reply(prediction: str, readings: dict[str, order.OrderReading]) -> None:
    """The learner's prediction against what this text measured (not the test reviews)."""
    measured = order.outcome(readings)
    moves = [abs(r.change(v)) for r in readings.values() for v in ("shuffled", "reversed")]
    kept = sum(not (r.flipped("shuffled") or r.flipped("reversed")) for r in readings.values())
    verdict = "matches" if order.MATCHING_OUTCOME[prediction] == measured else "differs"
    st.info(" ".join((
        t(f"order.you_predicted_{prediction}"),
        t(f"order.this_text_{measured}", largest=f"{100 * max(moves, default=0):.0f}",
          kept=kept, models=len(readings),
          flips=len(order.flipped_models(readings, "shuffled")),
          reversed_flips=len(order.flipped_models(readings, "reversed"))),
        t(f"order.prediction_{verdict}"))), icon=":material/lightbulb:")


def order_readings_ui(readings: dict[str, order.OrderReading]) -> None:
    """The three orders of the words, each model's probabilities and what changed."""
    first = next(iter(readings.values()))
    columns = st.columns(len(order.VARIANTS))
    for column, variant in zip(columns, order.VARIANTS, strict=True):
        words = first.words[variant]
        column.markdown(f"**{t(f'order.variant_{variant}')}**")
        with column.container(border=True, height=180):
            st.text(" ".join(words[:ORDER_SHOWN_WORDS]) + (" …" if len(words) > ORDER_SHOWN_WORDS
                                                            else ""))
        if len(words) > ORDER_SHOWN_WORDS:
            column.caption(t("order.words_shown", shown=ORDER_SHOWN_WORDS, total=len(words)))
    labels = {variant: t(f"order.variant_{variant}") for variant in order.VARIANTS}
    probabilities = {display_name(name): r.probabilities for name, r in readings.items()}
    st.plotly_chart(figures.order_chart(probabilities, labels, title=t("order.chart_title"),
                                        y_label=t("order.chart_y"),
                                        boundary_label=t("order.boundary")),
                    width="stretch", key=KEY + "order_chart")
    st.dataframe(order_verdict_table(readings), hide_index=True, width="stretch",
                 key=KEY + "order_verdicts")
    largest = max(readings, key=lambda n: max(abs(readings[n].change(v)) for v in
                                              ("shuffled", "reversed")))
    move = max(abs(readings[largest].change(v)) for v in ("shuffled", "reversed"))
    flipped = {variant: order.flipped_models(readings, variant)
               for variant in ("shuffled", "reversed")}
    st.markdown(t("order.reading_flips", models=len(readings), flips=len(flipped["shuffled"]),
                  reversed_flips=len(flipped["reversed"]), largest=f"{100 * move:.0f}",
                  model=display_name(largest)) + " " + t(
        "order.flipped_names", shuffled=model_names(flipped["shuffled"]),
        reversed=model_names(flipped["reversed"])))


def model_names(names: list[str]) -> str:
    """The models' display names, or "none"."""
    return t("order.name_sep").join(map(display_name, names)) if names else t("order.none")


def order_verdict_table(readings: dict[str, order.OrderReading]) -> pd.DataFrame:
    """Each model's verdict (and P(positive)) in each order; a changed verdict is marked."""
    def cell(reading: order.OrderReading, variant: str) -> str:
        p = reading.probabilities[variant]
        label = t(f"order.verdict_{order.verdict(p)}")
        mark = " ↺" if variant != "original" and reading.flipped(variant) else ""
        return f"{label} ({p:.0%}){mark}"

    table = {t("order.col_model"): [display_name(name) for name in readings]}
    for variant in order.VARIANTS:
        table[t(f"order.variant_{variant}")] = [cell(r, variant) for r in readings.values()]
    return pd.DataFrame(table)


def order_summary_table(rows: dict[str, dict], with_accuracy: bool) -> pd.DataFrame:
    """One row per model from ``OrderSummary.to_dict()`` rows."""
    table = {t("order.col_model"): [display_name(name) for name in rows]}
    for variant in ("shuffled", "reversed"):
        table[t(f"order.col_change_{variant}")] = [
            f"{row['mean_abs_change'][variant]:.3f}" for row in rows.values()]
        table[t(f"order.col_flips_{variant}")] = [
            f"{row['flip_share'][variant]:.1%}" for row in rows.values()]
    if with_accuracy:  # one column, three numbers: as written / shuffled / reversed
        table[t("order.col_accuracy")] = [" / ".join(f"{row['accuracy'][v]:.1%}"
                                                     for v in order.VARIANTS)
                                          for row in rows.values()]
    return pd.DataFrame(table)


def order_examples_ui(folder: str, names: list[str]) -> None:
    st.markdown(f"**{t('order.examples_heading')}**")
    rows = {name: order_examples_summary(folder, name).to_dict() for name in names}
    st.dataframe(order_summary_table(rows, with_accuracy=False), hide_index=True, width="stretch")
    st.caption(t("order.examples_caption", reviews=len(order.readable_examples()),
                 shuffles=len(order.MEASURE_SEEDS), last_seed=max(order.MEASURE_SEEDS)))


def order_measured_ui() -> None:
    """The committed measurement over the test reviews, and what it says."""
    results = order.load_order_results()
    rows = {name: row["data"] for name, row in (results or {}).get("models", {}).items()
            if row.get("data")}
    if not rows:
        st.caption(t("order.measured_missing"))
        return
    data, env = results["data"], results.get("environment", {})
    heading = t("order.measured_heading", reviews=f"{data['reviews']:,}")
    st.markdown(f"**{heading}**")
    st.dataframe(order_summary_table(rows, with_accuracy=True), hide_index=True, width="stretch")
    st.caption(t("order.measured_caption", command=results.get("command", "rnn-lab order"),
                 reviews=f"{data['reviews']:,}", source=data["source"],
                 shuffles=len(results.get("seeds", [])), cpu=env.get("cpu", "?"),
                 tensorflow=env.get("tensorflow", "?"), date=str(results.get("date", "?"))[:10]))
    accuracy = [row["accuracy"] for row in rows.values()]
    drops = order.accuracy_drops(results)
    numbers = {}
    for name, values, unit in (("shuffled", [a["shuffled"] for a in accuracy], "%"),
                               ("original", [a["original"] for a in accuracy], "%"),
                               ("drop", list(drops.values()), ""),
                               ("flip", [r["flip_share"]["shuffled"] for r in rows.values()], "%")):
        numbers[f"{name}_low"] = f"{100 * min(values):.1f}{unit}"
        numbers[f"{name}_high"] = f"{100 * max(values):.1f}{unit}"
    if max(drops.values()) < order.MOSTLY_WORDS_DROP:
        examples = {name: t(f"sentiment.example_{name}") for name in ("negation", "mixed",
                                                                       "tricky")}
        st.markdown(t("order.read_mostly_words", **numbers, **examples))
    else:
        st.markdown(t("order.read_order_counts", **numbers))


st.title(t("fundamentals.title"))
st.markdown(linked(t("fundamentals.intro")))
stepthrough_section()
shapes_section()
patterns_section()
order_section()
quiz_ui("fundamentals")
