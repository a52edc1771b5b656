"""The forecasting page in AppTest, in both languages: train small, see the charts, forecast,
download, one more epoch, the cache across sessions, and the step-through hand-over."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core.i18n import translate
from rnn_ui import forecasting
from tests.apptest import button, open_app, open_lazy

pytestmark = pytest.mark.slow


def train_small(at, lang: str, *, units: int = 4, epochs: int = 3, seed: int = 0):
    """Shrink the run so a page test trains in seconds, then press Train."""
    at.number_input(key="sine:sine:epochs").set_value(epochs)
    at.number_input(key="sine:sine:units").set_value(units)
    at.number_input(key="sine:sine:model_seed").set_value(seed)
    button(at, translate("sine.train", lang)).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_train_then_forecast_download_and_one_more_epoch(lang):
    at = train_small(open_app(lang, "sine"), lang, seed=7 if lang == "en" else 8)
    # SimpleRNN(4): 4 + 16 + 4; Dense(1): 5
    assert metric(at, translate("sine.params", lang)) == "29"
    run = at.session_state[forecasting.RUN]
    assert run.trained.history.epochs == 3 and not run.trained.from_cache
    charts = at.get("plotly_chart")
    assert len(charts) >= 5  # series, loss, fit, forecast, residuals
    assert len(at.dataframe) == 1  # the error table: one-step, closed loop, baselines
    assert len(at.dataframe[0].value) == 4  # ... and seasonal naive (the sine's period is known)
    assert at.get("download_button"), "no model download"
    assert not at.code  # the code is built once its expander is opened
    open_lazy(at, "sine:code")
    assert any("keras.layers.SimpleRNN(4" in block.value for block in at.code)
    button(at, translate("sine.one_more", lang)).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[forecasting.RUN].trained.history.epochs == 4


def test_a_new_session_loads_the_trained_model_from_the_disk_cache():
    """Same settings in a fresh session (as after a server restart): no training, same model."""
    first = train_small(open_app("en", "sine"), "en", seed=11)
    weights = first.session_state[forecasting.RUN].trained.model.get_weights()
    second = train_small(open_app("en", "sine"), "en", seed=11)
    trained = second.session_state[forecasting.RUN].trained
    assert trained.from_cache
    assert translate("sine.from_cache", "en") in [s.value for s in second.success]
    assert trained.model is not first.session_state[forecasting.RUN].trained.model
    for a, b in zip(weights, trained.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_step_through_hand_over_writes_the_weights_and_switches_page():
    at = train_small(open_app("en", "sine"), "en", units=3, epochs=1, seed=12)
    button(at, translate("sine.open_stepthrough", "en")).click().run()
    assert not at.exception
    imported = at.session_state["fund:imported"]  # the fundamentals page took the hand-over
    assert at.number_input(key="fund:units").value == 3
    assert imported.kernel.shape == (1, 3) and imported.recurrent.shape == (3, 3)
    assert imported.bias.shape == (3,) and imported.inputs.shape == (10, 1)


def test_a_series_too_short_for_the_window_gets_a_message():
    at = open_app("ja", "sine")
    at.number_input(key="sine:sine:points").set_value(20)
    at.number_input(key="sine:sine:window").set_value(30)
    button(at, translate("sine.train", "ja")).click().run()
    assert not at.exception
    expected = translate("sine.too_short_for_window", "ja", window=30)
    assert expected in [e.value for e in at.error]


def test_real_example_source_shows_the_series_and_interpolation_note():
    at = open_app("en", "sine")
    at.radio(key="sine:source").set_value("example").run()
    at.selectbox(key="sine:example").set_value("co2").run()
    assert not at.exception
    assert translate("sine.csv_missing_interpolate", "en", count=59) in [i.value for i in at.info]
    # 2284 weeks, the first 1827 train; differences: 1826 changes, 1802 windows of 24 steps
    assert any("(1802, 24, 1)" in m.value for m in at.markdown)


def test_an_interrupted_run_is_shown_as_stopped_and_continues_with_one_more_epoch():
    """Stop in a browser interrupts the script between epochs; the next run must keep it all."""
    at = train_small(open_app("en", "sine"), "en", epochs=2, seed=21)
    at.session_state[forecasting.RUN].running = True  # what an interrupted run leaves behind
    at.run()
    assert translate("sine.stopped", "en", epochs=2) in [w.value for w in at.warning]
    button(at, translate("sine.one_more", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    history = at.session_state[forecasting.RUN].trained.history
    assert history.epochs == 3 and not history.stopped_early


def test_a_diverged_training_is_called_so_in_the_learners_language():
    """A loss that became NaN (a learning rate too large for the data) showed "Final loss nan"
    and nothing else."""
    at = train_small(open_app("ja", "sine"), "ja", epochs=2, seed=23)
    assert translate("sine.diverged", "ja") not in [w.value for w in at.warning]
    history = at.session_state[forecasting.RUN].trained.history
    history.loss[-1] = float("nan")  # as a blow-up leaves it
    at.run()
    assert translate("sine.diverged", "ja") in [w.value for w in at.warning]


def test_a_training_cancelled_before_its_first_epoch_says_so_and_trains_again():
    """A rerun while Train waits for the slot (another widget, a reconnect) ends that run before
    its first epoch: the page says the training was cancelled, and Train works again."""
    from rnn_core.forecasting import experiment

    at = train_small(open_app("en", "sine"), "en", epochs=2, seed=22)
    problem = at.session_state[forecasting.RUN].problem
    at.session_state[forecasting.RUN] = forecasting.ForecastRun(  # left by such a rerun
        experiment.new_model(problem), problem, running=True)
    at.run()
    infos = [i.value for i in at.info]
    assert translate("sine.status_cancelled", "en") in infos
    assert translate("sine.params", "en") not in [m.label for m in at.metric]
    button(at, translate("sine.train", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, translate("sine.params", "en")) == f"{4 * (1 + 4 + 1) + 4 + 1:,}"


def upload(at, content: bytes, name: str = "series.csv"):
    at.radio(key="sine:source").set_value("upload").run()
    at.file_uploader(key="sine:upload").set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("lang", "content", "key", "values"), [
    ("en", b"name\nx\ny\nz\n", "sine.csv_no_numeric", {"columns": "name"}),
    ("ja", b"v\n1\n2\n3\n", "sine.csv_too_short", {"length": 3, "minimum": 40}),
    ("en", b"\x00\x01\x02binary", "sine.csv_binary", {}),
])
def test_bad_uploads_get_a_clear_message_and_the_page_survives(lang, content, key, values):
    at = upload(open_app(lang, "sine"), content)
    assert translate(key, lang, **values) in [e.value for e in at.error]
    quiz_heading = translate("quiz.heading", lang)
    assert quiz_heading in [h.value for h in at.header]  # the rest of the page survives


def test_an_uploaded_series_with_gaps_trains_and_forecasts():
    rows = "month;sales\n" + "".join(
        f"{i};{'' if i in (7, 30) else f'{100 + 10 * np.sin(i / 2):.2f}'}\n" for i in range(80))
    at = upload(open_app("en", "sine"), rows.encode("latin-1"))
    assert translate("sine.csv_missing_interpolate", "en", count=2) in [i.value for i in at.info]
    at.number_input(key="sine:csv:epochs").set_value(2)
    at.number_input(key="sine:csv:window").set_value(8)
    button(at, translate("sine.train", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert len(table) >= 3 and table["MSE"].notna().all()
