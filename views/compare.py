"""SimpleRNN vs LSTM vs GRU: side by side, the long-range memory task and the gradient lab.

Layout only: every number and figure comes from ``rnn_core.comparison`` (``side_by_side``,
``memory_task``, ``gradients``, ``figures``); the IMDB table from ``rnn_core.sentiment.registry``.
Each section that takes input is a fragment: a setting or a run there reruns that section only.
"""

from dataclasses import asdict, replace

import pandas as pd
import streamlit as st

from rnn_core import course
from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.comparison import (
    attention,
    figures,
    gradients,
    memory_task,
    merits,
    residual,
    side_by_side,
)
from rnn_core.fundamentals.shapes import describe
from rnn_core.study import outcomes
from rnn_ui import predict
from rnn_ui.comparison import gradient_norms, keras_param_counts
from rnn_ui.glossary import linked
from rnn_ui.quiz import quiz_ui
from rnn_ui.sections import section_link
from rnn_ui.sentiment import model_figures, models_folder
from rnn_ui.session import kept, translator
from rnn_ui.widgets import bounded_number, in_training_slot, lazy_views

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
    bidirectional = st.toggle(t("compare.bidirectional"), key=kept(KEY + "bidirectional"))
    st.caption(t("compare.side_task", samples=defaults.samples, symbols=defaults.symbols,
                 distractors=defaults.distractors, features=defaults.features,
                 seed=defaults.seed))
    return side_by_side.ComparisonConfig(units=units, seq_len=seq_len, epochs=epochs,
                                         layers=layers, bidirectional=bidirectional)


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


@st.fragment
def side_by_side_section() -> None:
    st.header(t("compare.side_heading"), anchor="side-by-side")
    st.markdown(linked(t("compare.side_intro")))
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
    st.markdown(linked(t("compare.imdb_intro")))

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
    st.markdown(linked(t("compare.gates_intro")))
    cell_views()


@st.fragment
def cell_views() -> None:
    """Each cell's equations, one cell at a time; only the one shown is drawn."""
    cell = lazy_views(t("compare.gates_heading"), CELLS, KEY + "cell_tab",
                      CELL_NAMES.__getitem__)
    for line in figures.CELL_EQUATIONS[cell]:
        st.latex(line)
    st.markdown(t(f"compare.gates_{cell}"))


# ---------------------------------------------------------------- 3. memory task
@st.fragment
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
        st.markdown(f"**{t('compare.sweep_title')}**")
        st.image(figures.memory_accuracy_svg(sweep["results"], defaults.chance), width="content")
        st.caption(t("compare.sweep_axes",
                     chance=t("compare.chance", chance=f"{defaults.chance:.0%}")))
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


@st.fragment
def live_memory_ui() -> None:
    st.subheader(t("compare.live_heading"))
    defaults, bounds = memory_task.LIVE_RUN, memory_task.LIVE_BOUNDS
    left, middle, right = st.columns(3)
    cell = left.selectbox(t("compare.cell"), CELLS, index=CELLS.index(defaults.cell),
                          format_func=CELL_NAMES.__getitem__, key=kept(KEY + "live_cell"))
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
@st.fragment
def gradient_section() -> None:
    st.header(t("compare.gradient_heading"), anchor="gradients")
    st.markdown(linked(t("compare.gradient_intro")))
    defaults = gradients.GradientLabConfig()
    left, middle, right = st.columns(3)
    low, high, step = gradients.PAGE_RADIUS
    radius = left.slider(t("compare.radius"), low, high, defaults.radius, step,
                         key=kept(KEY + "radius"), help=t("compare.radius_help"))
    low, high, step = gradients.PAGE_SEQ_LEN
    seq_len = middle.slider(t("compare.seq_len"), low, high, defaults.seq_len, step,
                            key=kept(KEY + "grad_T"))
    input_scale = right.select_slider(t("compare.input_scale"), gradients.PAGE_INPUT_SCALES,
                                      defaults.input_scale, key=kept(KEY + "input_scale"),
                                      help=t("compare.input_scale_help"))
    remember = st.toggle(t("compare.remember_bias"), True, key=kept(KEY + "remember"),
                         help=t("compare.remember_bias_help"))
    bias = defaults.remember_bias if remember else 0.0
    skip = skip_path_ui()
    with st.spinner(t("compare.computing")):
        norms = in_training_slot(lambda: {
            cell: gradient_norms(cell, seq_len, radius, input_scale, bias)
            for cell in CELLS})
        skip_norms = None if skip is None or norms is None else in_training_slot(
            lambda: cached_skip_norms(skip.kind, skip.mix, int(seq_len), float(radius),
                                      float(input_scale)))
    if norms is None:
        return
    chart = figures.gradient_norms_chart(norms)
    if skip_norms is not None:
        figures.add_skip_path_trace(chart, skip_norms, skip_label(skip))
    st.markdown(f"**{t('compare.gradient_title')}**")
    st.plotly_chart(chart, width="stretch", key=KEY + "gradient_chart")
    st.caption(t("compare.gradient_axes"))
    columns = st.columns(3)
    for column, cell in zip(columns, CELLS, strict=True):
        column.metric(t("compare.per_step", cell=CELL_NAMES[cell]),
                      f"×{gradients.decay_per_step(norms[cell]):.3f}",
                      help=t("compare.per_step_help"))
    st.markdown(t("compare.gradient_read"))
    residual_ui(skip, skip_norms, norms["simple_rnn"])
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


# ---------------------------------------------------------------- 4b. a skip path through time
@st.cache_data(max_entries=128, show_spinner=False)
def cached_skip_norms(kind: str, mix: float, seq_len: int, radius: float,
                      input_scale: float) -> list[float]:
    lab = gradients.GradientLabConfig(seq_len=seq_len, radius=radius, input_scale=input_scale)
    return residual.skip_path_norms(lab, residual.SkipPathConfig(kind, mix)).tolist()


SKIP_EQUATIONS = (  # (label key, update rule and the Jacobian along the skip path)
    ("residual.eq_candidate", r"\tilde h_t = \tanh(x_t W + h_{t-1} U + b)"),
    ("residual.eq_additive", r"h_t = h_{t-1} + \alpha\,\tilde h_t,\qquad"
     r"\frac{\partial h_t}{\partial h_{t-1}} = I + \alpha\,"
     r"\mathrm{diag}(1 - \tilde h_t^2)\,U^\top"),
    ("residual.eq_gated", r"h_t = (1 - \alpha)\,h_{t-1} + \alpha\,\tilde h_t,\qquad"
     r"\frac{\partial h_t}{\partial h_{t-1}} = (1 - \alpha)\,I + \alpha\,"
     r"\mathrm{diag}(1 - \tilde h_t^2)\,U^\top"),
    ("residual.eq_lstm", r"c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t,\qquad"
     r"\frac{\partial c_t}{\partial c_{t-1}} = \mathrm{diag}(f_t) + \cdots"),
)


def skip_path_ui() -> residual.SkipPathConfig | None:
    """The switch that gives the lab's SimpleRNN a skip path, and its kind and step size."""
    if not st.toggle(t("residual.switch"), key=kept(KEY + "skip"), help=t("residual.switch_help")):
        return None
    defaults = residual.SkipPathConfig()
    left, right = st.columns(2)
    kind = left.segmented_control(t("residual.kind"), residual.SKIP_KINDS,
                                  default=defaults.kind, required=True, key=kept(KEY + "skip_kind"),
                                  format_func=lambda k: t(f"residual.kind_{k}"))
    low, high, step = residual.PAGE_MIX
    mix = right.slider(t("residual.mix"), low, high, defaults.mix, step, key=kept(KEY + "skip_mix"),
                       help=t("residual.mix_help"))
    return residual.SkipPathConfig(kind or defaults.kind, round(float(mix), 4))


def skip_label(skip: residual.SkipPathConfig) -> str:
    return t(f"residual.trace_{skip.kind}", mix=f"{skip.mix:g}")


def residual_ui(skip: residual.SkipPathConfig | None, skip_norms: list[float] | None,
                plain: list[float]) -> None:
    """Why the skip path keeps the gradient alive, and the LSTM's cell state as one."""
    st.subheader(t("residual.heading"), anchor="residual")
    st.markdown(linked(t("residual.intro")))
    for label, equation in SKIP_EQUATIONS:
        st.markdown(t(label))
        st.latex(equation)
    st.markdown(t("residual.cell_state"))
    if skip is None or skip_norms is None:
        st.caption(t("residual.try_it"))
        return
    columns = st.columns(2)
    for column, (label, norms) in zip(columns, ((CELL_NAMES["simple_rnn"], plain),
                                                (skip_label(skip), skip_norms)), strict=True):
        column.metric(label, t("residual.survives", steps=residual.steps_survived(norms),
                               total=len(norms) - 1),
                      t("residual.per_step", factor=f"{gradients.decay_per_step(norms):.3f}"),
                      delta_color="off", delta_arrow="off",
                      help=t("residual.survives_help",
                             floor=f"{residual.SURVIVAL_FLOOR:.0%}"))
    measured = residual.reading(skip_norms, plain)  # grows / holds / shrinks: as measured
    st.markdown(t(f"residual.read_{measured}",
                  factor=f"{gradients.decay_per_step(skip_norms):.3f}",
                  plain=f"{gradients.decay_per_step(plain):.3f}",
                  steps=residual.steps_survived(skip_norms),
                  plain_steps=residual.steps_survived(plain), total=len(skip_norms) - 1,
                  overall=f"{residual.overall_change(skip_norms):.3g}"))
    st.markdown(t(f"residual.why_{skip.kind}"))


# ---------------------------------------------------------------- 5. what replaced RNNs
def accelerator_name(environment: dict) -> str:
    """The measuring machine's accelerator as the learner reads it: a GPU's own name, or "none"
    in the learner's language (the results file says "none (CPU only)")."""
    if attention.has_accelerator(environment):
        return str(environment["accelerator"])
    return t("attention.no_accelerator")


@st.cache_resource(show_spinner=False)
def timing_pair() -> attention.TimingPair:
    """The GRU and the attention block, built once per server (only timed, never trained)."""
    return attention.TimingPair(attention.LIVE)


def attention_section() -> None:
    st.header(t("attention.heading"), anchor="attention")
    st.markdown(linked(t("attention.intro")))
    timing = attention.load_timing()
    if timing is None:
        st.warning(t("attention.missing"))
        return
    attention_results_ui(timing)


@st.fragment
def attention_results_ui(timing: dict) -> None:
    """The committed sweep, any points measured live in this session, and the live button
    (which runs first, so its point is on the chart drawn above it)."""
    st.markdown(f"**{t('attention.chart_title')}**")
    chart_slot = st.empty()
    st.caption(t("attention.chart_axes"))
    points, env = timing["points"], timing.get("environment", {})
    settings, load = timing.get("settings", {}), timing.get("load_average", {})
    st.caption(t("attention.how", command=timing.get("command", "rnn-lab attention-timing"),
                 cpu=env.get("cpu", "?"), cores=env.get("cpu_count", "?"),
                 accelerator=accelerator_name(env), tensorflow=env.get("tensorflow", "?"),
                 date=str(timing.get("date", "?"))[:10], batch=settings.get("batch", "?"),
                 d=settings.get("d_model", "?"), repeats=settings.get("repeats", "?"),
                 warmup=settings.get("warmup", "?"), load=load.get("before", "?"),
                 gru=f"{timing['parameters']['gru']:,}",
                 attention=f"{timing['parameters']['attention']:,}"))
    st.dataframe(pd.DataFrame({
        t("compare.seq_len"): [row["seq_len"] for row in points],
        t("attention.col_gru_ms"): [f"{row['gru_ms']:.1f}" for row in points],
        t("attention.col_attention_ms"): [f"{row['attention_ms']:.1f}" for row in points],
        t("attention.col_steps"): [f"{row['gru_sequential_steps']} / "
                                   f"{row['attention_sequential_steps']}" for row in points],
        t("attention.col_work"): [f"{row['gru_multiply_adds'] / 1e6:,.0f} / "
                                  f"{row['attention_multiply_adds'] / 1e6:,.0f}" for row in points],
    }), hide_index=True, width="stretch")
    attention_reading_ui(timing)
    live = attention_live_ui()
    chart_slot.plotly_chart(figures.attention_timing_chart(
        points, live, live_label=t("attention.live_label")),
        width="stretch", key=KEY + "timing_chart")


def attention_reading_ui(timing: dict) -> None:
    """What the committed sweep says (the wording follows what it measured, and the machine
    named is the one that measured it, not necessarily this server)."""
    points = timing["points"]
    longest = max(points, key=lambda row: row["seq_len"])
    shortest = min(points, key=lambda row: row["seq_len"])
    verdict, from_length, overlap = attention.speed_verdict(points)
    key = {"every": "read_gru_faster", "from": "read_gru_faster_from"}.get(verdict, "read_mixed")
    overlapping = t("attention.list_sep").join(str(length) for length in overlap)
    st.markdown(t(f"attention.{key}", per_step=f"{attention.gru_ms_per_step(points) or 0:.2f}",
                  long=longest["seq_len"], gru_long=f"{longest['gru_ms']:.0f}",
                  attention_long=f"{longest['attention_ms']:.0f}",
                  short=shortest["seq_len"], gru_short=f"{shortest['gru_ms']:.1f}",
                  attention_short=f"{shortest['attention_ms']:.1f}",
                  repeats=timing.get("settings", {}).get("repeats", "?"),
                  overlap=overlapping, **{"from": from_length},
                  work=f"{longest['attention_multiply_adds'] / longest['gru_multiply_adds']:.1f}"))
    env = timing.get("environment", {})
    machine = "machine_accelerator" if attention.has_accelerator(env) else "machine_cpu"
    st.markdown(t("attention.why_replaced") + " " + t(
        f"attention.{machine}", cpu=env.get("cpu", "?"), cores=env.get("cpu_count", "?"),
        accelerator=accelerator_name(env)))


def attention_live_ui() -> list[dict]:
    """A button that times both models at one length on this server; the points so far."""
    live = st.session_state.setdefault(KEY + "timing_live", [])
    st.subheader(t("attention.live_heading"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    seq_len = left.select_slider(t("compare.seq_len"), attention.SWEEP_LENGTHS,
                                 attention.LIVE_LENGTH,
                                 key=kept(KEY + "timing_T"))
    if right.button(t("attention.live_run"), icon=":material/timer:", key=KEY + "timing_run"):
        bar = st.progress(0.0, text=t("attention.measuring"))

        def on_call(done: int, total: int) -> None:
            bar.progress(done / total, text=t("attention.measuring"))

        point = in_training_slot(lambda: timing_pair().time_point(int(seq_len), on_call))
        bar.empty()
        if point is not None:
            live[:] = [row for row in live if row["seq_len"] != point.seq_len]
            live.append({**point.to_dict(attention.LIVE), "load": attention.load_average()})
    for row in sorted(live, key=lambda r: r["seq_len"]):
        st.caption(t("attention.live_result", T=row["seq_len"], gru=f"{row['gru_ms']:.1f}",
                     attention=f"{row['attention_ms']:.1f}", repeats=attention.LIVE.repeats,
                     load=row["load"] if row["load"] is not None else "?"))
    return live


# ---------------------------------------------------------------- 6. merits and demerits
MERIT_COLUMNS = [1, 1]  # claim, where the course showed it (labels stay on one line)


def merits_section() -> None:
    st.header(t("merits.heading"), anchor="merits")
    st.markdown(linked(t("merits.intro")))
    head = st.columns(MERIT_COLUMNS)
    head[0].markdown(f"**{t('merits.col_claim')}**")
    head[1].markdown(f"**{t('merits.col_where')}**")
    timing = attention.load_timing()
    for row in merits.MERITS:
        claim, where = st.columns(MERIT_COLUMNS, vertical_alignment="center")
        mark = ":green[:material/check_circle:]" if row.good else ":orange[:material/warning:]"
        key, values = merits.evidence(row, timing)
        if "accelerator" in values:
            values["accelerator"] = accelerator_name(values)
        claim.markdown(f"{mark} **{t(f'merits.{row.key}')}**  \n{t(key, **values)}")
        if row.page == "compare":  # a section above: jump to its header
            where.markdown(f":material/arrow_upward: [{t(row.section)}](#{row.anchor})")
        else:  # another page, opened at the section (same session: language, answers kept)
            section_link(where, course.page(row.page).file, row.anchor,
                         f"{t(f'nav.{row.page}')} › {t(row.section)}", ":material/arrow_forward:")


st.title(t("compare.title"))
st.markdown(linked(t("compare.intro")))
side_by_side_section()
imdb_section()
gates_section()
memory_section()
gradient_section()
attention_section()
merits_section()
quiz_ui("compare")
