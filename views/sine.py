"""Forecasting with an RNN: a noisy sine (or your own series), live training, forecasts, a quiz.

Layout only: data, models and forecasts come from ``rnn_core.forecasting`` (``series``,
``csv_series``, ``experiment``, ``figures``); live training and the run's state from
``rnn_ui.forecasting``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.cells import CELL_NAMES, CELLS
from rnn_core.forecasting import csv_series, experiment, figures, series
from rnn_core.forecasting.codegen import forecaster_code
from rnn_core.forecasting.forecasts import MAX_HORIZON
from rnn_core.forecasting.training import BOUNDS, OPTIMIZER_CLASSES, OPTIMIZERS, TrainConfig
from rnn_core.fundamentals import stepthrough
from rnn_core.study import outcomes
from rnn_ui import forecasting as live
from rnn_ui import predict
from rnn_ui.glossary import linked
from rnn_ui.handover import send_to_stepthrough
from rnn_ui.quiz import quiz_ui
from rnn_ui.session import kept, translator
from rnn_ui.widgets import bounded_number, lazy_expander

t = translator()
KEY = "sine:"


@st.cache_data(max_entries=32, show_spinner=False)
def read_upload(data: bytes, column: str | None, policy: str) -> csv_series.Series:
    return csv_series.read_series(data, column, policy)


def source_ui() -> tuple[str, np.ndarray | None, int | None, str]:
    """(kind, values or None for the sine, known period, column name) chosen by the learner."""
    kind = st.radio(t("sine.source"), series.SOURCES, horizontal=True, key=kept(KEY + "source"),
                    format_func=lambda s: t(f"sine.source_{s}"))
    if kind == "example":
        name = st.selectbox(t("sine.example"), list(csv_series.EXAMPLES), key=kept(KEY + "example"),
                            format_func=lambda n: t(f"sine.example_{n}"))
        example, period = csv_series.load_example(name)
        st.caption(t("sine.example_source"))
        if example.missing:
            st.info(t("sine.csv_missing_interpolate", count=example.missing))
        return "csv", example.values, period, example.column
    if kind == "upload":
        return upload_ui()
    return "sine", None, None, ""


def upload_ui() -> tuple[str, np.ndarray | None, int | None, str]:
    file = live.uploaded_file(lambda: st.file_uploader(
        t("sine.upload"), key=live.UPLOAD,  # no type filter: csv_series says what is wrong
        help=t("sine.upload_help", limit=csv_series.MAX_BYTES // 2**20,
               minimum=csv_series.MIN_LENGTH, maximum=csv_series.MAX_LENGTH)),
        csv_series.MAX_BYTES)
    if file is None:
        st.info(t("sine.upload_prompt"))
        return "csv", None, None, ""
    if file.too_large:
        st.error(t("sine.csv_too_large", size=f"{file.size / 1e6:.1f}",
                   limit=csv_series.MAX_BYTES // 2**20), icon=":material/error:")
        return "csv", None, None, ""
    if file.kept:
        st.caption(t.plain("sine.upload_kept", name=file.name))
    left, right = st.columns(2)
    policy = right.radio(t("sine.missing_policy"), csv_series.MISSING_POLICIES, horizontal=True,
                         key=kept(KEY + "missing"), format_func=lambda p: t(f"sine.missing_{p}"))
    try:
        uploaded = read_upload(file.data, None, policy)
        column_key = kept(KEY + "column")
        if st.session_state.get(column_key) not in uploaded.numeric_columns:
            st.session_state.pop(column_key, None)  # kept from another file
        column = left.selectbox(t("sine.column"), uploaded.numeric_columns,
                                index=len(uploaded.numeric_columns) - 1, key=column_key)
        uploaded = read_upload(file.data, column, policy)
    except csv_series.SeriesError as error:
        st.error(t.plain(f"sine.csv_{error.code}", **error.params), icon=":material/error:")
        return "csv", None, None, ""
    if uploaded.ignored_columns:
        st.caption(t.plain("sine.csv_ignored", columns=", ".join(uploaded.ignored_columns)))
    if uploaded.missing:
        st.info(t(f"sine.csv_missing_{uploaded.policy}", count=uploaded.missing))
    period = bounded_number(st, t("sine.period"), (0, len(uploaded.values) // 2), 0,
                            KEY + "period", help_text=t("sine.period_help"))
    return "csv", uploaded.values, period or None, uploaded.column


def settings_form(kind: str) -> tuple[series.SineSettings, TrainConfig, bool]:
    """The settings form (its widgets keyed per data kind, so each kind keeps its defaults)."""
    defaults = TrainConfig() if kind == "sine" else experiment.FORECAST_CONFIG
    k = f"{KEY}{kind}:"
    sine = series.SineSettings()
    with st.form(k + "form"):
        if kind == "sine":
            top = st.columns(3)
            points = bounded_number(top[0], t("sine.points"), series.POINTS_RANGE, sine.points,
                                    k + "points", help_text=bound_help(series.POINTS_RANGE))
            noise = bounded_number(top[1], t("sine.noise"), series.NOISE_RANGE, sine.noise,
                                   k + "noise", help_text=bound_help(series.NOISE_RANGE),
                                   step=0.05)
            seed = bounded_number(top[2], t("sine.seed"), series.SEED_RANGE, sine.seed,
                                  k + "seed")
            sine = series.SineSettings(points, noise, seed)
        row = st.columns(4)
        cell = row[0].selectbox(t("sine.cell"), CELLS, index=CELLS.index(defaults.cell),
                                format_func=CELL_NAMES.__getitem__, key=kept(k + "cell"))
        units = number(row[1], "units", defaults.units, k)
        layers = number(row[2], "layers", defaults.layers, k)
        window = number(row[3], "window", defaults.window, k)
        row = st.columns(4)
        framing = row[0].selectbox(t("sine.framing"), series.FRAMINGS,
                                   index=series.FRAMINGS.index(defaults.framing),
                                   format_func=lambda f: t(f"sine.framing_{f}"),
                                   key=kept(k + "framing"))
        optimizer = row[1].selectbox(t("sine.optimizer"), OPTIMIZERS,
                                     index=OPTIMIZERS.index(defaults.optimizer),
                                     format_func=OPTIMIZER_CLASSES.__getitem__,
                                     key=kept(k + "optimizer"))
        learning_rate = number(row[2], "learning_rate", defaults.learning_rate, k, "%.4f")
        epochs = number(row[3], "epochs", defaults.epochs, k)
        row = st.columns(4)
        batch_size = number(row[0], "batch_size", defaults.batch_size, k)
        clipnorm = number(row[1], "clipnorm", defaults.clipnorm, k, "%.2f")
        dropout = number(row[2], "dropout", defaults.dropout, k, "%.2f")
        model_seed = bounded_number(row[3], t("sine.model_seed"), series.SEED_RANGE,
                                    defaults.seed, k + "model_seed")
        st.caption(t("sine.bounds_note"))
        submitted = st.form_submit_button(t("sine.train"), type="primary",
                                          icon=":material/play_arrow:")
    config = TrainConfig(cell=cell, units=units, layers=layers, framing=framing, window=window,
                         optimizer=optimizer, learning_rate=learning_rate, epochs=epochs,
                         batch_size=batch_size, clipnorm=clipnorm, dropout=dropout,
                         seed=model_seed)
    return sine, config, submitted


def bound_help(bounds: tuple[float, float]) -> str:
    return t("sine.bound", low=f"{bounds[0]:g}", high=f"{bounds[1]:g}")


def number(column, name: str, default: float, prefix: str, fmt: str | None = None):
    """The input for the ``TrainConfig`` field ``name``, within its bound (shown in its help)."""
    return bounded_number(column, t(f"sine.{name}"), BOUNDS[name], default, prefix + name,
                          help_text=bound_help(BOUNDS[name]), fmt=fmt)


def data_section(problem: experiment.Problem, x: np.ndarray) -> None:
    labels = {"series": t("sine.series"), "validation": t("sine.validation"),
              "title": t("sine.series_title"), "x": t("sine.time"), "y": t("sine.value")}
    st.plotly_chart(figures.series_figure(x, problem.values, problem.n_train, labels),
                    width="stretch", key=KEY + "series")
    w = problem.windows
    st.markdown(t("sine.shapes", x_train=shape(w.x_train), y_train=shape(w.y_train),
                  x_val=shape(w.x_val), y_val=shape(w.y_val), n_train=problem.n_train,
                  n_val=problem.n_test, scaling=t(f"sine.scaling_{problem.scaling.method}")))


def shape(array: np.ndarray) -> str:
    return "(" + ", ".join(map(str, array.shape)) + ")"


def results_section(run: live.ForecastRun, x: np.ndarray, slots: tuple,
                    period: int | None) -> None:
    trained, problem = run.trained, run.problem
    history = trained.history
    _, _, loss_slot, fit_slot = slots
    if trained.from_cache:
        st.success(t("sine.from_cache"), icon=":material/inventory_2:")
    if history.stopped_early:
        st.warning(t("sine.stopped", epochs=history.epochs))
    if history.diverged:
        st.warning(t("sine.diverged"), icon=":material/warning:")
    loss_slot.plotly_chart(figures.loss_figure(history.loss, history.val_loss,
                                                    live.loss_labels()), width="stretch",
                           key=KEY + "loss")
    fit_slot.plotly_chart(live.fit_figure(trained, problem, x), width="stretch", key=KEY + "fit")
    columns = st.columns(4)
    columns[0].metric(t("sine.final_loss"), f"{history.loss[-1]:.4f}")
    columns[1].metric(t("sine.final_val_loss"), f"{history.val_loss[-1]:.4f}")
    per_epoch = float(np.median(history.epoch_seconds)) if history.epoch_seconds else 0.0
    columns[2].metric(t("sine.epoch_time"), f"{per_epoch:.2f} s")
    columns[3].metric(t("sine.params"), f"{trained.params:,}")
    model_actions_ui(run)
    forecast_section(trained, problem, x, period)


def model_actions_ui(run: live.ForecastRun) -> None:
    left, middle, right = st.columns(3)
    live.one_more_button(left, t("sine.one_more"))
    middle.download_button(t("sine.download"), live.model_bytes(run.trained),
                           file_name="rnn_lab_forecaster.keras",
                           mime="application/octet-stream", on_click="ignore",
                           icon=":material/download:", key=KEY + "download")
    numbers = experiment.stepthrough_input(run.trained, run.problem)
    if numbers is None:
        right.caption(t("sine.stepthrough_hint", units=stepthrough.MAX_UNITS))
    elif right.button(t("sine.open_stepthrough"), icon=":material/school:",
                      key=KEY + "stepthrough"):
        send_to_stepthrough(numbers)


@st.fragment  # a new horizon or prediction reruns only the forecast
def forecast_section(trained: experiment.Trained, problem: experiment.Problem, x: np.ndarray,
                     period: int | None) -> None:
    st.header(t("sine.forecast_heading"), anchor="forecast")
    st.markdown(linked(t("sine.forecast_intro")))
    horizon = bounded_number(st, t("sine.horizon"), (1, MAX_HORIZON),
                             min(problem.n_test, MAX_HORIZON), KEY + "horizon",
                             help_text=bound_help((1, MAX_HORIZON)))
    signature = (repr(problem.settings()), int(horizon))  # a new model or horizon: ask again
    if not predict.ask("sine", "predict_closed_loop", signature):
        return
    evaluation = live.evaluation(trained, problem, int(horizon), period)
    labels = {**live.fit_labels(), "title": t("sine.forecast_title")}
    figure = figures.forecast_figure(x, problem.values, problem.n_train, labels,
                                          one_step=evaluation.one_step,
                                          closed_loop=evaluation.closed_loop,
                                          baseline=evaluation.persistence)
    st.plotly_chart(figure, width="stretch", key=KEY + "forecast")
    m = evaluation.metrics
    rows = [(t("sine.one_step"), m["one_step_mse"], m["one_step_mae"]),
            (t("sine.closed_loop"), m["closed_loop_mse"], m["closed_loop_mae"]),
            (t("sine.persistence"), m["persistence_mse"], m["persistence_mae"])]
    if evaluation.period is not None:
        rows.append((t("sine.seasonal", period=evaluation.period), m["seasonal_naive_mse"],
                     m["seasonal_naive_mae"]))
    table = pd.DataFrame(rows, columns=[t("sine.method"), "MSE", "MAE"])
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"MSE": st.column_config.NumberColumn(format="%.4g"),
                                "MAE": st.column_config.NumberColumn(format="%.4g")})
    verdict = "better" if m["one_step_mse"] < m["persistence_mse"] else "worse"
    st.caption(t(f"sine.verdict_{verdict}"))
    predict.compare("sine", "predict_closed_loop", signature, outcomes.closed_loop_vs_one_step(
        m["closed_loop_mse"], m["one_step_mse"]))
    held_out = x[problem.n_train:]
    scored = min(len(evaluation.closed_loop), len(evaluation.truth))
    st.plotly_chart(figures.residual_figure(
        held_out, evaluation.truth - evaluation.one_step,
        evaluation.truth[:scored] - evaluation.closed_loop[:scored],
        {"one_step": t("sine.one_step"), "closed_loop": t("sine.closed_loop"),
         "title": t("sine.residual_title"), "x": t("sine.time"), "y": t("sine.residual")}),
        width="stretch", key=KEY + "residuals")
    st.markdown(t("sine.closed_loop_why"))


@st.fragment  # opening the code reruns only this
def code_section(kind: str, sine: series.SineSettings, config: TrainConfig,
                 column: str) -> None:
    box = lazy_expander(t("common.show_code"), KEY + "code", icon=":material/code:")
    with box:
        if not box.open:
            return
        code = forecaster_code(config, kind != "sine", sine=sine if kind == "sine" else None,
                               csv_column=column or "value")
        st.code(code, language="python")


st.title(t("sine.title"))
st.markdown(linked(t("sine.intro")))
st.header(t("sine.data_heading"), anchor="data")
kind, values, period, column = source_ui()
sine, config, submitted = settings_form(kind)
if kind == "sine":
    x_axis, values = series.noisy_sine(sine)
    period = sine.period
elif values is not None:
    x_axis = np.arange(len(values), dtype=float)
problem = None
if values is not None:
    try:
        problem = experiment.prepare(values, config, experiment.scaling_for(kind))
    except ValueError:
        st.error(t("sine.too_short_for_window", window=config.window))
if problem is not None:
    data_section(problem, x_axis)
    st.header(t("sine.train_heading"), anchor="train")
    st.markdown(linked(t("sine.train_intro")))
    slots = (st.empty(), st.empty(), st.empty(), st.empty())  # bar, stop, loss chart, fit chart
    run = live.current_run()
    if submitted:
        live.train_new(problem, x_axis, slots)
    elif live.wants_one_more() and run is not None and run.fits(problem):
        live.train_one_more(run, x_axis, slots)
    run = live.current_run()
    status = live.run_status(run, problem)
    if status == "current":
        results_section(run, x_axis, slots, period)
    else:
        st.info(t(f"sine.status_{status}"))
    code_section(kind, sine, config, column)
quiz_ui("sine")
