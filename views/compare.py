"""SimpleRNN vs LSTM vs GRU: side by side, the long-range memory task and the gradient lab.

Layout only: every number and figure comes from ``rnn_core.comparison`` (``side_by_side``,
``memory_task``, ``gradients``, ``figures``); the IMDB table from ``rnn_core.sentiment.registry``.
"""

from dataclasses import asdict, replace

import pandas as pd
import streamlit as st

from rnn_core import outcomes
from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.comparison import figures, gradients, memory_task, side_by_side
from rnn_core.fundamentals.shapes import describe
from rnn_ui import predict
from rnn_ui.glossary import linked
from rnn_ui.quiz import quiz_ui
from rnn_ui.sentiment import model_figures, models_folder
from rnn_ui.session import translator
from rnn_ui.widgets import bounded_number, in_training_slot

t = translator()
KEY = "cmp:"  # widget keys of this page


def bounded(column, label_key: str, bound: tuple[int, int], default: int, key: str) -> int:
    """A whole-number setting kept in ``bound`` by its widget, which says the bound."""
    return bounded_number(column, t(label_key), bound, default, KEY + key,
                          help_text=t("compare.bound", high=bound[1]))


# ---------------------------------------------------------------- 1. side by side
def side_settings_ui() -> side_by_side.ComparisonConfig:
    """The shared settings of the three models, every one bounded by its widget."""
    defaults, bounds = side_by_side.ComparisonConfig(), side_by_side.BOUNDS
    top = st.columns(4)
    units = bounded(top[0], "compare.units", bounds["units"], defaults.units, "units")
    seq_len = bounded(top[1], "compare.seq_len", bounds["seq_len"], defaults.seq_len, "side_T")
    epochs = bounded(top[2], "compare.epochs", bounds["epochs"], defaults.epochs, "side_epochs")
    layers = bounded(top[3], "compare.layers", bounds["layers"], defaults.layers, "layers")
    bidirectional = st.toggle(t("compare.bidirectional"), key=KEY + "bidirectional")
    st.caption(t("compare.side_task", samples=defaults.samples, symbols=defaults.symbols,
                 distractors=defaults.distractors, features=defaults.features,
                 seed=defaults.seed))
    return side_by_side.ComparisonConfig(units=units, seq_len=seq_len, epochs=epochs,
                                         layers=layers, bidirectional=bidirectional)


@st.cache_data(max_entries=64, show_spinner=False)
def keras_param_counts(config: dict) -> dict[str, int]:
    """count_params() of each cell's real model (built, not trained)."""
    settings = side_by_side.ComparisonConfig(**config)
    return {cell: int(side_by_side.build_comparison_model(settings, cell).count_params())
            for cell in CELLS}


def params_table_ui(config: side_by_side.ComparisonConfig) -> None:
    """Formula (with the learner's numbers) next to Keras's count, before any training."""
    counts = keras_param_counts(asdict(config))
    for cell in CELLS:
        rows = describe(config.spec(cell))
        total = sum(row.params for row in rows)
        verdict = "✅" if total == counts[cell] else "❌"
        st.markdown(t("compare.param_line", cell=CELL_NAMES[cell], total=f"{total:,}",
                      keras=f"{counts[cell]:,}", verdict=verdict))
        for row in rows:
            st.latex(rf"\text{{{row.name}}}:\ {row.formula}")


def side_by_side_section() -> None:
    st.header(t("compare.side_heading"), anchor="side-by-side")
    st.markdown(t("compare.side_intro"))
    config = side_settings_ui()
    params_table_ui(config)
    if st.button(t("compare.train_three"), icon=":material/play_arrow:", key=KEY + "train"):
        bar = st.progress(0.0, text=t("compare.training"))
        total = config.epochs * len(CELLS)

        def on_epoch(cell: str, epoch: int, epochs: int) -> None:
            done = CELLS.index(cell) * epochs + epoch
            bar.progress(done / total, text=t("compare.training_cell", cell=CELL_NAMES[cell],
                                              epoch=epoch, epochs=epochs))

        results = in_training_slot(lambda: side_by_side.compare_cells(config, on_epoch=on_epoch))
        if results is None:
            return
        bar.empty()
        st.session_state[KEY + "side_results"] = (asdict(config), results)
    stored = st.session_state.get(KEY + "side_results")
    if stored is None:
        st.caption(t("compare.side_hint"))
        return
    stored_config, results = stored
    if stored_config != asdict(config):
        st.caption(t("compare.side_stale"))
    side_results_ui(results)


def side_results_ui(results: list[side_by_side.CellResult]) -> None:
    table = pd.DataFrame({
        t("compare.col_cell"): [CELL_NAMES[r.cell] for r in results],
        t("compare.col_formula"): [f"{r.formula_params:,}" for r in results],
        t("compare.col_keras"): [f"{r.keras_params:,}" for r in results],
        t("compare.col_seconds"): [f"{r.seconds_per_epoch:.2f}" for r in results],
        t("compare.col_loss"): [f"{r.loss[-1]:.4f}" for r in results],
        t("compare.col_accuracy"): [f"{r.accuracy[-1]:.1%}" for r in results],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("compare.seconds_note"))
    st.plotly_chart(figures.curves_chart(
        {r.cell: r.loss for r in results}, title=t("compare.loss_title"),
        x_label=t("compare.epoch"), y_label=t("compare.loss"), log_y=True),
        width="stretch", key=KEY + "loss_chart")


def imdb_section() -> None:
    """The shipped IMDB models' figures, only when their manifests exist."""
    rows = model_figures(models_folder())
    if not rows:
        return
    st.subheader(t("compare.imdb_heading"))
    st.markdown(t("compare.imdb_intro"))

    def show(value, fmt: str) -> str:
        return "—" if not isinstance(value, int | float) else fmt.format(value)

    st.dataframe(pd.DataFrame({
        t("compare.col_model"): [r["name"] for r in rows],
        t("compare.col_cell"): [str(r["cell"]) for r in rows],
        t("compare.col_params"): [show(r["parameters"], "{:,}") for r in rows],
        t("compare.col_size"): [show(r["file_bytes"] and r["file_bytes"] / 1e6, "{:.2f}")
                                for r in rows],
        t("compare.col_test_accuracy"): [show(r["test_accuracy"], "{:.1%}") for r in rows],
        t("compare.col_latency"): [show(r["latency_ms"], "{:.1f}") for r in rows],
    }), hide_index=True, width="stretch")


# ---------------------------------------------------------------- 2. gates and states
def gates_section() -> None:
    st.header(t("compare.gates_heading"), anchor="gates")
    st.markdown(t("compare.gates_intro"))
    for tab, cell in zip(st.tabs([CELL_NAMES[c] for c in CELLS]), CELLS, strict=True):
        with tab:
            for line in figures.CELL_EQUATIONS[cell]:
                st.latex(line)
            st.markdown(t(f"compare.gates_{cell}"))


# ---------------------------------------------------------------- 3. memory task
def memory_section() -> None:
    st.header(t("compare.memory_heading"), anchor="memory")
    defaults = memory_task.MemoryTaskConfig()
    st.markdown(t("compare.memory_intro", symbols=defaults.symbols,
                  distractors=defaults.distractors, chance=f"{defaults.chance:.0%}"))
    sweep = memory_task.load_sweep()
    if sweep is None:
        st.warning(t("compare.sweep_missing"))
    elif not predict.ask("compare", "predict_memory_failure", sticky=True):
        return  # the learner picks the failing cell before the sweep and the live run
    else:
        st.plotly_chart(figures.memory_accuracy_chart(
            sweep["results"], defaults.chance, title=t("compare.sweep_title"),
            x_label=t("compare.seq_len"), y_label=t("compare.accuracy"),
            chance_label=t("compare.chance", chance=f"{defaults.chance:.0%}")),
            width="stretch", key=KEY + "sweep_chart")
        settings, env = sweep.get("settings", {}), sweep.get("environment", {})
        st.caption(t("compare.sweep_how", seeds=len(settings.get("seeds", [])),
                     epochs=settings.get("epochs", "?"), cpu=env.get("cpu", "?"),
                     tensorflow=env.get("tensorflow", "?"), keras=env.get("keras", "?"),
                     date=str(sweep.get("date", "?"))[:10],
                     minutes=f"{float(sweep.get('wall_time_s', 0)) / 60:.0f}"))
        predict.compare("compare", "predict_memory_failure", None, outcomes.failing_cells(
            sweep["results"], outcomes.MEMORY_PREDICTION_T))
    st.markdown(t("compare.memory_why"))
    live_memory_ui()


def live_memory_ui() -> None:
    st.subheader(t("compare.live_heading"))
    defaults, bounds = memory_task.LIVE_RUN, memory_task.LIVE_BOUNDS
    left, middle, right = st.columns(3)
    cell = left.selectbox(t("compare.cell"), CELLS, index=CELLS.index(defaults.cell),
                          format_func=CELL_NAMES.__getitem__, key=KEY + "live_cell")
    seq_len = bounded(middle, "compare.seq_len", bounds["seq_len"], defaults.seq_len, "live_T")
    epochs = bounded(right, "compare.max_epochs", bounds["epochs"], defaults.epochs,
                     "live_epochs")
    config = replace(defaults, cell=cell, seq_len=seq_len, epochs=epochs)
    st.caption(t("compare.live_settings", samples=config.samples_per_epoch,
                 units=config.units, stop_at=f"{config.stop_at_accuracy:.0%}"))
    if st.button(t("compare.live_run"), icon=":material/play_arrow:", key=KEY + "live_run"):
        bar = st.progress(0.0, text=t("compare.training"))

        def on_epoch(epoch: int, loss: float, accuracy: float) -> None:
            bar.progress(epoch / config.epochs, text=t("compare.live_epoch", epoch=epoch,
                                                       epochs=config.epochs,
                                                       accuracy=f"{accuracy:.0%}"))

        run = in_training_slot(lambda: memory_task.train_memory_task(config, on_epoch=on_epoch))
        if run is None:
            return
        bar.empty()
        st.session_state[KEY + "live_result"] = run
    run = st.session_state.get(KEY + "live_result")
    if run is not None:
        message = "live_solved" if run.solved else "live_failed"
        st.markdown(t(f"compare.{message}", cell=CELL_NAMES[run.config.cell], T=run.config.seq_len,
                      accuracy=f"{run.accuracy:.1%}", chance=f"{run.config.chance:.0%}",
                      epochs=run.epochs_run, seconds=f"{run.seconds:.1f}"))


# ---------------------------------------------------------------- 4. gradient lab
@st.cache_data(max_entries=128, show_spinner=False)
def cached_gradient_norms(cell: str, seq_len: int, radius: float, input_scale: float,
                          remember_bias: float) -> list[float]:
    config = gradients.GradientLabConfig(cell=cell, seq_len=seq_len, radius=radius,
                                         input_scale=input_scale, remember_bias=remember_bias)
    return gradients.gradient_norms_over_time(config).tolist()


def gradient_section() -> None:
    st.header(t("compare.gradient_heading"), anchor="gradients")
    st.markdown(t("compare.gradient_intro"))
    defaults = gradients.GradientLabConfig()
    left, middle, right = st.columns(3)
    low, high, step = gradients.PAGE_RADIUS
    radius = left.slider(t("compare.radius"), low, high, defaults.radius, step,
                         key=KEY + "radius", help=t("compare.radius_help"))
    low, high, step = gradients.PAGE_SEQ_LEN
    seq_len = middle.slider(t("compare.seq_len"), low, high, defaults.seq_len, step,
                            key=KEY + "grad_T")
    input_scale = right.select_slider(t("compare.input_scale"), gradients.PAGE_INPUT_SCALES,
                                      defaults.input_scale, key=KEY + "input_scale",
                                      help=t("compare.input_scale_help"))
    remember = st.toggle(t("compare.remember_bias"), True, key=KEY + "remember",
                         help=t("compare.remember_bias_help"))
    bias = defaults.remember_bias if remember else 0.0
    with st.spinner(t("compare.computing")):
        norms = in_training_slot(lambda: {
            cell: cached_gradient_norms(cell, int(seq_len), float(radius), float(input_scale),
                                        bias)
            for cell in CELLS})
    if norms is None:
        return
    st.plotly_chart(figures.gradient_norms_chart(
        norms, title=t("compare.gradient_title"), x_label=t("compare.steps_back"),
        y_label=t("compare.gradient_norm")), width="stretch", key=KEY + "gradient_chart")
    columns = st.columns(3)
    for column, cell in zip(columns, CELLS, strict=True):
        column.metric(t("compare.per_step", cell=CELL_NAMES[cell]),
                      f"×{gradients.decay_per_step(norms[cell]):.3f}",
                      help=t("compare.per_step_help"))
    st.markdown(t("compare.gradient_read"))
    clipping_ui(float(radius))


def clipping_ui(radius: float) -> None:
    st.subheader(t("compare.clip_heading"))
    config = gradients.ClippingConfig(radius=radius)
    st.markdown(t("compare.clip_intro", radius=f"{radius:.2f}", steps=config.steps,
                  lr=config.learning_rate, clipnorm=config.clipnorm, T=config.seq_len))
    if st.button(t("compare.clip_run"), icon=":material/content_cut:", key=KEY + "clip_run"):
        with st.spinner(t("compare.training")):
            result = in_training_slot(lambda: gradients.clipping_demo(config))
        if result is None:
            return
        st.session_state[KEY + "clip_result"] = result
    result = st.session_state.get(KEY + "clip_result")
    if result is None:
        return
    plain, clipped = result
    names = {t("compare.clip_without"): plain.loss, t("compare.clip_with"): clipped.loss}
    st.plotly_chart(figures.clipping_chart(names, title=t("compare.clip_title"),
                                           x_label=t("compare.step"), y_label=t("compare.loss")),
                    width="stretch", key=KEY + "clip_chart")
    for label, run in ((t("compare.clip_without"), plain), (t("compare.clip_with"), clipped)):
        verdict = "clip_diverged" if run.diverged else "clip_stable"
        st.markdown(t(f"compare.{verdict}", run=label, first=f"{run.loss[0]:.3g}",
                      last=f"{run.loss[-1]:.3g}", norm=f"{max(run.gradient_norm):.3g}"))


st.title(t("compare.title"))
st.markdown(linked(t("compare.intro")))
side_by_side_section()
imdb_section()
gates_section()
memory_section()
gradient_section()
quiz_ui("compare")
