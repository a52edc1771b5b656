"""SimpleRNN vs LSTM vs GRU: side by side, the long-range memory task and the gradient lab.

Layout only: every number comes from ``rnn_core.comparison``, ``rnn_core.memory_task`` and
``rnn_core.gradients``; figures from ``rnn_core.compare_figures``.
"""

from collections.abc import Callable
from dataclasses import asdict
from typing import TypeVar

import pandas as pd
import streamlit as st

from rnn_core import compare_figures as figures
from rnn_core import comparison, gradients, memory_task
from rnn_core.cells import CELLS
from rnn_core.concurrency import TrainingBusy, training_slot
from rnn_core.shapes import describe
from rnn_ui.quiz import quiz_ui
from rnn_ui.session import translator

t = translator()
KEY = "cmp:"  # widget keys of this page
NAMES = figures.CELL_NAMES
LIVE_MAX_SEQ_LEN = 200  # live memory run bound (the sweep goes to 200 as well)
LIVE_MAX_EPOCHS = 10
Result = TypeVar("Result")


def wait_message() -> None:
    st.info(t("compare.waiting"), icon=":material/hourglass:")


def exclusively(compute: Callable[[], Result]) -> Result | None:
    """``compute()`` in the server's one training slot; None, with a message, if it stays busy."""
    try:
        with training_slot(on_wait=wait_message):
            return compute()
    except TrainingBusy:
        st.error(t("compare.busy"))
        return None


def bounded(column, label_key: str, low: int, high: int, default: int, key: str) -> int:
    """An integer setting kept in [low, high] by its widget, which says the bound."""
    return int(column.number_input(t(label_key), low, high, default, key=KEY + key,
                                   help=t("compare.bound", high=high)))


# ---------------------------------------------------------------- 1. side by side
def side_settings_ui() -> comparison.ComparisonConfig:
    """The shared settings of the three models, every one bounded by its widget."""
    top = st.columns(4)
    units = bounded(top[0], "compare.units", 1, comparison.MAX_UNITS, 16, "units")
    seq_len = bounded(top[1], "compare.seq_len", 2, comparison.MAX_SEQ_LEN, 20, "side_T")
    epochs = bounded(top[2], "compare.epochs", 1, comparison.MAX_EPOCHS, 5, "side_epochs")
    layers = bounded(top[3], "compare.layers", 1, comparison.MAX_LAYERS, 1, "layers")
    bidirectional = st.toggle(t("compare.bidirectional"), key=KEY + "bidirectional")
    defaults = comparison.ComparisonConfig()
    st.caption(t("compare.side_task", samples=defaults.samples, symbols=defaults.symbols,
                 distractors=defaults.distractors, features=defaults.features,
                 seed=defaults.seed))
    return comparison.ComparisonConfig(units=int(units), seq_len=int(seq_len),
                                       epochs=int(epochs), layers=int(layers),
                                       bidirectional=bidirectional)


@st.cache_data(max_entries=64, show_spinner=False)
def keras_param_counts(config: dict) -> dict[str, int]:
    """count_params() of each cell's real model (built, not trained)."""
    settings = comparison.ComparisonConfig(**config)
    return {cell: int(comparison.build_comparison_model(settings, cell).count_params())
            for cell in CELLS}


def params_table_ui(config: comparison.ComparisonConfig) -> None:
    """Formula (with the learner's numbers) next to Keras's count, before any training."""
    counts = keras_param_counts(asdict(config))
    for cell in CELLS:
        rows = describe(config.spec(cell))
        total = sum(row.params for row in rows)
        verdict = "✅" if total == counts[cell] else "❌"
        st.markdown(t("compare.param_line", cell=NAMES[cell], total=f"{total:,}",
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
            bar.progress(done / total, text=t("compare.training_cell", cell=NAMES[cell],
                                              epoch=epoch, epochs=epochs))

        results = exclusively(lambda: comparison.compare_cells(config, on_epoch=on_epoch))
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


def side_results_ui(results: list[comparison.CellResult]) -> None:
    table = pd.DataFrame({
        t("compare.col_cell"): [NAMES[r.cell] for r in results],
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
    rows = comparison.imdb_model_figures()
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
    for tab, cell in zip(st.tabs([NAMES[c] for c in CELLS]), CELLS, strict=True):
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
    st.markdown(t("compare.memory_why"))
    live_memory_ui()


def live_memory_ui() -> None:
    st.subheader(t("compare.live_heading"))
    left, middle, right = st.columns(3)
    cell = left.selectbox(t("compare.cell"), CELLS, index=1, format_func=NAMES.__getitem__,
                          key=KEY + "live_cell")
    seq_len = bounded(middle, "compare.seq_len", 2, LIVE_MAX_SEQ_LEN, 50, "live_T")
    epochs = bounded(right, "compare.max_epochs", 1, LIVE_MAX_EPOCHS, 5, "live_epochs")
    config = memory_task.MemoryTaskConfig(cell=cell, seq_len=int(seq_len), epochs=int(epochs),
                                          samples_per_epoch=1024, test_samples=256)
    st.caption(t("compare.live_settings", samples=config.samples_per_epoch,
                 units=config.units, solved=f"{config.solved_accuracy:.0%}"))
    if st.button(t("compare.live_run"), icon=":material/play_arrow:", key=KEY + "live_run"):
        bar = st.progress(0.0, text=t("compare.training"))

        def on_epoch(epoch: int, loss: float, accuracy: float) -> None:
            bar.progress(epoch / config.epochs, text=t("compare.live_epoch", epoch=epoch,
                                                       epochs=config.epochs,
                                                       accuracy=f"{accuracy:.0%}"))

        run = exclusively(lambda: memory_task.train_memory_task(config, on_epoch=on_epoch))
        if run is None:
            return
        bar.empty()
        st.session_state[KEY + "live_result"] = run
    run = st.session_state.get(KEY + "live_result")
    if run is not None:
        message = "live_solved" if run.solved else "live_failed"
        st.markdown(t(f"compare.{message}", cell=NAMES[run.config.cell], T=run.config.seq_len,
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
    left, middle, right = st.columns(3)
    radius = left.slider(t("compare.radius"), 0.5, 2.0, 1.0, 0.05, key=KEY + "radius",
                         help=t("compare.radius_help"))
    seq_len = middle.slider(t("compare.seq_len"), 10, gradients.MAX_SEQ_LEN, 50, 10,
                            key=KEY + "grad_T")
    input_scale = right.select_slider(t("compare.input_scale"), (0.01, 0.1, 1.0), 0.1,
                                      key=KEY + "input_scale",
                                      help=t("compare.input_scale_help"))
    remember = st.toggle(t("compare.remember_bias"), True, key=KEY + "remember",
                         help=t("compare.remember_bias_help"))
    bias = comparison.REMEMBER_BIAS if remember else 0.0
    with st.spinner(t("compare.computing")):
        norms = exclusively(lambda: {
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
        column.metric(t("compare.per_step", cell=NAMES[cell]),
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
            result = exclusively(lambda: gradients.clipping_demo(config))
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
st.markdown(t("compare.intro"))
side_by_side_section()
imdb_section()
gates_section()
memory_section()
gradient_section()
quiz_ui("compare")
