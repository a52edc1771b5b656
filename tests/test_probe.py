"""What an outside probe broke (issue: crash, markup from uploads, lost answers, lost work, a
blank page, a race, memory): each failure it found, driven the way the probe drove it."""

from __future__ import annotations

import ast
import re
import threading

import numpy as np
import pytest

from rnn_core.forecasting import csv_series
from rnn_core.forecasting.codegen import forecaster_code
from rnn_core.forecasting.training import TrainConfig
from rnn_core.i18n import WORD_JOINER, escape_markdown, translate
from rnn_core.sentiment.figures import coloured_words
from rnn_core.study import progress
from tests.apptest import open_app

HOSTILE_HEADER = "![pixel](x),[click](https://example.com/),:red[redtext],$x^2$,**boldA**,value"
HUGE_NUMBER_FILE = (b'{"format":"rnn-lab-progress","version":1,"answers":{"sine":'
                    b'{"window_count":' + b"7" * 5000 + b'}},"checksum":"x"}')


def _csv(header: str, rows: int = 60) -> bytes:
    columns = header.count(",") + 1
    body = "".join(",".join(["x"] * (columns - 1) + [f"{np.sin(i):.3f}"]) + "\n"
                   for i in range(rows))
    return (header + "\n" + body).encode()


# 1. A crafted progress file crashed the page ------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_progress_file_with_a_5000_digit_number_gets_a_translated_message(lang):
    at = open_app(lang, "progress")
    at.file_uploader(key="progress:upload:0").set_value(
        ("progress.json", HUGE_NUMBER_FILE, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert translate("progress.err_not_json", lang) in [e.value for e in at.error]
    assert at.subheader[-1].value == translate("progress.reset_heading", lang)  # page drawn


# 2. CSV column names were rendered as Markdown ----------------------------------------------
def test_visitor_text_is_escaped_for_every_markup_streamlit_knows():
    escaped = escape_markdown(HOSTILE_HEADER + "<img src=x>")
    assert re.search(r"(?<!\\)[!\[\]()$*:<>^]", escaped) is None, escaped  # all escaped
    assert _as_read(escaped) == HOSTILE_HEADER + "<img src=x>"  # nothing lost


# What Streamlit 1.67's Markdown renderer rewrites in a text node after parsing, when backslash
# escapes are gone (its StreamlitMarkdown bundle: the source's ":material/" -> ":material_",
# then GFM's bare links and e-mail addresses, icons, and its typographic arrows).
STREAMLIT_REWRITES = {
    "link": re.compile(r"(?i)(?<![\w.])(https?://|www(?=\.))[-.\w]+", re.ASCII),
    "e-mail": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+", re.ASCII),
    "icon": re.compile(r":material_\w+:|:streamlit:", re.ASCII),
    "emoji": re.compile(r":[\w+-][\w_+-]*:", re.ASCII),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
AUTOLINKED = ["https://evil.example/x", "user@example.com", ":material/warning:", "big\n===",
              "a\n\n    code", "www.example.com", "WWW.Example.com", "mailto:x@y.org",
              ":streamlit:",
              "/nowhere www.evil.example", ":material/lock: https://evil.example/login",
              "a -> b <= c ~= d -- e", "x\r\ny\u2028z", "\u202eevil"]


def _unescaped(markdown: str) -> str:
    """The text node CommonMark makes of ``markdown``: an escaped ASCII punctuation mark loses
    its backslash."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _as_read(markdown: str) -> str:
    """What a reader sees of it: the word joiners are invisible."""
    return _unescaped(markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("value", AUTOLINKED)
def test_nothing_streamlit_rewrites_after_parsing_survives_the_escaping(value):
    """Backslashes stop the parser, not the rewrites Streamlit runs on the parsed text: links,
    e-mail addresses, icons, arrows. And a line break would start a heading or a code block."""
    escaped = escape_markdown(value)
    parsed = _unescaped(escaped.replace(":material/", ":material_"))  # as Streamlit does
    assert not re.search(r"[\r\n\u2028\u2029\u202e]", escaped)
    assert {name for name, rewrite in STREAMLIT_REWRITES.items() if rewrite.search(parsed)} == set()
    assert _as_read(escaped) == re.sub(r"[\r\n\u2028\u202e]+", " ", value)  # one line, as typed


def test_ignored_column_names_are_shown_as_typed_not_as_markdown():
    at = open_app("en", "sine")
    at.radio(key="sine:source").set_value("upload").run()
    at.file_uploader(key="sine:upload").set_value(
        ("hostile.csv", _csv(HOSTILE_HEADER), "text/csv")).run()
    assert not at.exception
    names = ", ".join(HOSTILE_HEADER.split(",")[:-1])
    expected = translate("sine.csv_ignored", "en", columns=escape_markdown(names))
    assert expected in [c.value for c in at.caption]


def test_a_file_without_numbers_names_its_columns_as_plain_text():
    at = open_app("ja", "sine")
    at.radio(key="sine:source").set_value("upload").run()
    data = (HOSTILE_HEADER + "\n" + "a,b,c,d,e,f\n" * 50).encode()
    at.file_uploader(key="sine:upload").set_value(("hostile.csv", data, "text/csv")).run()
    errors = [e.value for e in at.error]
    assert translate("sine.csv_no_numeric", "ja",
                     columns=escape_markdown(HOSTILE_HEADER.replace(",", ", "))) in errors


def test_a_column_name_cannot_inject_code_into_the_shown_script():
    column = 'x"]; import os; os.system("echo pwned"); y = pd.DataFrame()["'
    code = forecaster_code(TrainConfig(), True, csv_column=column)
    tree = ast.parse(code)
    assert column in {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Import)
                and any(alias.name == "os" for alias in node.names)]


# 6. A blank page: only Streamlit's own routes, at the start of the path, reach Streamlit -------
@pytest.mark.parametrize(("path", "target"), [
    ("/", None), ("/sine", None), ("/progress", None),
    ("/_stcore/health", None), ("/_stcore/stream", None), ("/sine/_stcore/host-config", None),
    ("/static/js/index.js", None), ("/media/abc.png", None), ("/component/x/index.html", None),
    ("/app/static/logo.png", None), ("/favicon.png", None), ("/manifest.json", None),
    ("/sine/", "/sine?lang=ja"), ("/sine/extra/path", "/sine?lang=ja"),
    ("/sine/static", "/sine?lang=ja"), ("/progress/x", "/progress?lang=ja"),
    ("/x/static", "/?lang=ja&missing=x%2Fstatic"), ("/app/x", "/?lang=ja&missing=app%2Fx"),
    ("/x/media/y", "/?lang=ja&missing=x%2Fmedia%2Fy"), ("/static", "/?lang=ja&missing=static"),
    ("/media", "/?lang=ja&missing=media"), ("/app", "/?lang=ja&missing=app"),
    ("/component", "/?lang=ja&missing=component"), ("/_stcore", "/?lang=ja&missing=_stcore"),
    ("/x/_stcore/health", "/?lang=ja&missing=x%2F_stcore%2Fhealth"),
    ("/a/manifest.json", "/?lang=ja&missing=a%2Fmanifest.json"), ("//", "/?lang=ja"),
])
def test_an_unknown_address_is_sent_to_a_page_never_to_streamlits_shell(path, target):
    from rnn_ui.server import redirect_target

    assert redirect_target(path, "lang=ja") == target


# 4. Stray asterisks in the word colouring ---------------------------------------------------
def test_unicode_spaces_split_the_coloured_words_and_never_leave_bare_markers():
    words = ["this", "film", "is", "great", "\u00a0", "the", "acting", "is\u00a0superb",
             "映画\u3000"]
    markdown = coloured_words(words, [0.0] * 4 + [0.02, 0.0, 0.0, 0.06, 0.0],
                              [True] * 4 + [False, True, True, True, False])
    assert "* *" not in markdown and "**" not in markdown.replace("**superb**", "").replace(
        "**is**", "")
    assert "\u00a0" not in markdown and "\u3000" not in markdown
    assert ":green-background[**is**] :green-background[**superb**]" in markdown
    assert markdown.endswith(":gray[*映画*]")


# Fragile: CSV formats spreadsheets write ----------------------------------------------------
def test_utf16_with_tabs_as_excel_writes_it_is_read():
    text = "week\tsales\r\n" + "".join(f"{i}\t{10 + np.sin(i):.2f}\r\n" for i in range(60))
    series = csv_series.read_series(text.encode("utf-16"))
    assert series.column == "sales" and len(series.values) == 60
    assert series.values[1] == pytest.approx(10 + np.sin(1), abs=0.01)


def test_decimal_commas_with_semicolons_keep_the_value_column():
    text = "Monat;Umsatz\n" + "".join(f"{i};{1000 + 10 * np.sin(i):.2f}\n".replace(".", ",")
                                       for i in range(60))
    series = csv_series.read_series(text.encode())
    assert series.column == "Umsatz" and series.numeric_columns == ["Monat", "Umsatz"]
    assert series.values[1] == pytest.approx(1000 + 10 * np.sin(1), abs=0.01)


def test_values_that_overflow_training_are_refused_with_a_reason():
    text = "v\n" + "1e308\n-1e308\n" * 30
    with pytest.raises(csv_series.SeriesError) as error:
        csv_series.read_series(text.encode())
    assert error.value.code == "too_big"


def test_a_malformed_row_is_reported_by_line_in_the_learners_language():
    data = b"a,b\n1,2\n3,4,5\n" + b"1,2\n" * 50
    with pytest.raises(csv_series.SeriesError) as error:
        csv_series.read_series(data)
    assert error.value.code == "parse_line" and error.value.params == {"line": 3}
    assert "Error tokenizing" not in translate("sine.csv_parse_line", "ja", line=3)


# 7. A race in model building ----------------------------------------------------------------
def _layer_names(built) -> list[str]:
    """The names of a built model's layers (or of one layer), wrapped ones included."""
    names = []
    for layer in getattr(built, "layers", [built]):
        names.append(layer.name)
        names += [getattr(layer, side).name for side in ("forward_layer", "backward_layer")
                  if hasattr(layer, side)]
    return names


def test_models_built_from_many_threads_at_once_never_collide():
    """Keras names layers from a counter that ``clear_session`` resets for every thread at once
    (Streamlit called it after each script run): a build that took automatic names while
    another session cleared failed with "should have unique names". Every builder names its
    layers itself, so the names of one builder's models never change (an automatic name grows
    with each build) and builds succeed while a thread keeps resetting the counters."""
    import keras

    from rnn_core.comparison import gradients, memory_task, side_by_side
    from rnn_core.forecasting.training import build_model
    from rnn_core.fundamentals.shapes import RNNSpec, build_keras_model

    builders = [
        lambda: side_by_side.build_comparison_model(
            side_by_side.ComparisonConfig(units=4, layers=3, bidirectional=True), "simple_rnn"),
        lambda: side_by_side.build_comparison_model(
            side_by_side.ComparisonConfig(units=4, layers=3), "lstm"),
        lambda: memory_task.build_memory_model(memory_task.MemoryTaskConfig(units=4, seq_len=5)),
        lambda: build_keras_model(RNNSpec(layers=4, units=3, bidirectional=True, dense_units=2)),
        lambda: build_model(TrainConfig(units=3, layers=3)),
        lambda: gradients.build_recurrent_layer(gradients.GradientLabConfig(units=4, seq_len=5)),
    ]
    errors: list[BaseException] = []
    names: dict[int, list[list[str]]] = {}
    start, done = threading.Barrier(13), threading.Event()

    def build(index: int) -> None:
        start.wait()
        try:
            names[index] = [_layer_names(builders[index % len(builders)]()) for _ in range(3)]
        except BaseException as error:  # collected, reported below
            errors.append(error)

    def reset_names() -> None:  # what Streamlit's clean-up after every script run did
        start.wait()
        while not done.is_set():
            keras.backend.clear_session(free_memory=False)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(12)]
    resetter = threading.Thread(target=reset_names)
    for thread in [*threads, resetter]:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    done.set()
    resetter.join(timeout=60)
    assert errors == []
    for index, built in names.items():
        assert built[0] == built[1] == built[2], (index, built)
        assert len(set(built[0])) == len(built[0])


# Fragile: a code that was never used -------------------------------------------------------
def test_a_new_learner_code_is_not_welcomed_back(tmp_path):
    store = progress.ProgressStore(tmp_path / "p.sqlite3")
    assert store.load(progress.new_learner_code()) == {}


# 5. The forecasting page forgot everything after a visit to another page -------------------
def _leave_and_come_back(at, page: str = "home", back: str = "sine"):
    from rnn_core import course

    at.switch_page(course.page(page).file).run()
    at.switch_page(course.page(back).file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_settings_upload_and_trained_model_survive_a_visit_to_another_page():
    at = open_app("en", "sine")
    at.radio(key="sine:source").set_value("upload").run()
    rows = "month,sales\n" + "".join(f"{i},{100 + 10 * np.sin(i / 2):.2f}\n" for i in range(80))
    at.file_uploader(key="sine:upload").set_value(("shop.csv", rows.encode(), "text/csv")).run()
    at.number_input(key="sine:csv:epochs").set_value(2)
    at.number_input(key="sine:csv:units").set_value(3)
    at.number_input(key="sine:csv:window").set_value(8)
    at.button(key="FormSubmitter:sine:csv:form-" + translate("sine.train", "en")).click().run()
    trained = at.session_state["sine:run"].trained
    assert trained.history.epochs == 2
    at = _leave_and_come_back(at)
    assert at.radio(key="sine:source").value == "upload"
    assert at.number_input(key="sine:csv:units").value == 3
    assert translate("sine.upload_kept", "en", name="shop\\.csv") in [c.value for c in at.caption]
    assert at.session_state["sine:run"].trained is trained
    assert translate("sine.status_stale", "en") not in [i.value for i in at.info]
    assert translate("sine.final_loss", "en") in [m.label for m in at.metric]  # results shown


def test_every_page_keeps_its_settings_across_a_visit():
    at = open_app("en", "fundamentals")
    at.number_input(key="fund:units").set_value(3).run()
    at.toggle(key="fund:bi").set_value(True).run()
    at = _leave_and_come_back(at, back="fundamentals")
    assert at.number_input(key="fund:units").value == 3 and at.toggle(key="fund:bi").value
    at.switch_page("views/compare.py").run()
    at.slider(key="cmp:radius").set_value(1.5).run()
    at = _leave_and_come_back(at, back="compare")
    assert at.slider(key="cmp:radius").value == 1.5


# Fragile: an out-of-range number said nothing (or Streamlit's English) ---------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_out_of_range_setting_is_brought_into_range_and_the_learner_told(lang):
    at = open_app(lang, "compare")
    at.number_input(key="cmp:units").set_value(500).run()
    assert not at.exception
    expected = translate("common.number_outside", lang, value="500", low="1", high="64",
                         used="64")
    assert expected in [w.value for w in at.warning]


def test_a_code_never_used_is_not_greeted_welcome_back():
    at = open_app("en", "progress")
    at.text_input[0].set_value(progress.new_learner_code())
    submit = next(b for b in at.button if b.label == translate("progress.code_button", "en"))
    submit.click().run()
    successes = [s.value for s in at.success]
    assert translate("progress.code_unused", "en") in successes
    assert translate("progress.code_restored", "en") not in successes


# Fragile: clicking Train again was blamed on "another learner" ----------------------------
def test_the_training_slot_says_whether_it_is_the_learners_own_run():
    from rnn_core.runtime.concurrency import TrainingBusy, training_slot

    held, release, seen = threading.Event(), threading.Event(), []

    def hold() -> None:
        with training_slot(owner="session-a"):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    for owner in ("session-a", "session-b"):
        with pytest.raises(TrainingBusy), training_slot(on_wait=seen.append, owner=owner,
                                                        timeout=0.05):
            pass
    release.set()
    holder.join()
    assert seen == [True, False]
    with training_slot(on_wait=seen.append, owner="session-b"):  # free again: no waiting
        pass
    assert seen == [True, False]


# Fragile: a rejected oversized upload left the previous file's error on screen --------------
def test_an_oversized_upload_replaces_the_previous_files_message():
    at = open_app("ja", "sine")
    at.radio(key="sine:source").set_value("upload").run()
    at.file_uploader(key="sine:upload").set_value(("a.csv", b"v\n1\n2\n", "text/csv")).run()
    short = translate("sine.csv_too_short", "ja", length=2, minimum=csv_series.MIN_LENGTH)
    assert short in [e.value for e in at.error]
    big = b"v\n" + b"1.0\n" * (csv_series.MAX_BYTES // 4 + 10)  # just over 2 MB
    at.file_uploader(key="sine:upload").set_value(("big.csv", big, "text/csv")).run()
    errors = [e.value for e in at.error]
    assert short not in errors
    assert any(e.startswith(translate("sine.csv_too_large", "ja", size="X", limit=2).split("X")[0])
               for e in errors), errors


# Fragile: Streamlit's own English "Number is outside the allowed range" -------------------
@pytest.mark.parametrize(("page", "key"), [("fundamentals", "fund:units"),
                                           ("gates", "gates:units")])
def test_a_step_through_size_out_of_range_is_said_in_the_learners_language(page, key):
    from rnn_core.fundamentals.stepthrough import MAX_UNITS

    at = open_app("ja", page)
    widget = at.number_input(key=key)
    assert widget.min is None and widget.max is None  # no widget bound: ours
    widget.set_value(9).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = translate("common.number_outside", "ja", value="9", low="1", high=f"{MAX_UNITS}",
                         used=f"{MAX_UNITS}")
    assert expected in [w.value for w in at.warning]


def test_a_quiz_number_and_a_prediction_beyond_their_bound_are_said_in_the_learners_language():
    from rnn_core.study.quiz import MAX_NUMERIC, load_quiz

    at = open_app("ja", "sine", predict_first=True)
    answer = at.number_input(key="quiz:sine:window_count:input")
    assert answer.value is None and answer.max is None  # empty, no widget bound
    answer.set_value(5e12)
    position = [q.id for q in load_quiz("sine").questions].index("window_count")
    [b for b in at.button if b.label == translate("quiz.check", "ja")][position].click().run()
    expected = translate("common.number_outside", "ja", value="5e+12", low=f"{-MAX_NUMERIC:g}",
                         high=f"{MAX_NUMERIC:g}", used=f"{MAX_NUMERIC:g}")
    assert expected in [w.value for w in at.warning]
    at = open_app("ja", "fundamentals", predict_first=True)
    guess = at.number_input(key="predict:fundamentals:predict_total_params:input")
    assert guess.value is None and guess.max is None
    guess.set_value(-3e12).run()
    expected = translate("common.number_outside", "ja", value="-3e+12", low=f"{-MAX_NUMERIC:g}",
                         high=f"{MAX_NUMERIC:g}", used=f"{-MAX_NUMERIC:g}")
    assert expected in [w.value for w in at.warning]


def test_the_upload_ceiling_sits_far_above_the_pages_own_limits_and_the_config_says_them():
    import tomllib

    from tests.conftest import ROOT

    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    ceiling = tomllib.loads(text)["server"]["maxUploadSize"] * 2**20
    assert ceiling >= 10 * csv_series.MAX_BYTES and ceiling >= 10 * progress.MAX_FILE_BYTES
    assert f"up to {csv_series.MAX_BYTES // 2**20} MB" in text
    assert f"up to {progress.MAX_FILE_BYTES // 1024} KB" in text


def test_a_file_over_the_pages_limit_is_refused_in_japanese_and_not_kept():
    from rnn_ui.forecasting import UPLOADED

    at = open_app("ja", "sine")
    at.radio(key="sine:source").set_value("upload").run()
    at.file_uploader(key="sine:upload").set_value(("a.csv", b"v\n1\n2\n", "text/csv")).run()
    big = b"v\n" + b"1.0\n" * (9_400_000 // 4)  # the probe's 9.4 MB export
    at.file_uploader(key="sine:upload").set_value(("big.csv", big, "text/csv")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert translate("sine.csv_too_large", "ja", size="9.4", limit=2) in errors, errors
    assert translate("sine.csv_too_short", "ja", length=2, minimum=csv_series.MIN_LENGTH) \
        not in errors
    assert UPLOADED not in at.session_state  # 9.4 MB not held in the session


# Fragile: a diverged training showed "Final loss nan" and no warning -----------------------
def test_a_loss_that_is_no_longer_finite_is_a_diverged_training():
    from rnn_core.forecasting.training import History

    assert not History().diverged
    assert not History(loss=[0.5, 0.1], val_loss=[float("nan")] * 2).diverged  # no held-out part
    assert History(loss=[0.5, float("nan")]).diverged and History(loss=[float("inf")]).diverged


# Fragile: the learner's own second tab was "another learner" --------------------------------
def _slot_held_by_another_tab():
    """AppTest script: a run of this learner's other tab (same learner code) holds the slot
    for half a second while this tab asks for it; what the waiting note did is recorded."""
    import threading

    import streamlit as st

    from rnn_core.runtime.concurrency import training_slot
    from rnn_ui.session import LEARNER
    from rnn_ui.widgets import in_training_slot

    class Note:  # stands in for the st.empty the page passes
        def __init__(self) -> None:
            self.calls: list[tuple[str, str]] = []

        def info(self, text: str, **_) -> None:
            self.calls.append(("info", text))

        def empty(self) -> None:
            self.calls.append(("empty", ""))

        def error(self, text: str) -> None:
            self.calls.append(("error", text))

    st.session_state["lang"], st.session_state[LEARNER] = "ja", "the-learners-code"
    held, note = threading.Event(), Note()

    def other_tab() -> None:
        with training_slot(owner="the-learners-code"):
            held.set()
            threading.Event().wait(0.5)

    holder = threading.Thread(target=other_tab)
    holder.start()
    held.wait(10)
    st.session_state["result"] = in_training_slot(lambda: 42, slot=note)
    holder.join()
    st.session_state["calls"] = note.calls


def test_a_run_in_the_learners_other_tab_is_called_their_own_and_the_note_goes():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_slot_held_by_another_tab, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["result"] == 42
    assert at.session_state["calls"] == [("info", translate("common.training_waiting_own", "ja")),
                                         ("empty", "")]


# Fragile: the glossary search and the gate view's pickers reset after a page switch --------
def test_the_glossary_search_survives_a_visit_to_another_page():
    at = open_app("ja", "glossary")
    at.text_input(key="glossary:search").set_value("ゲート").run()
    at = _leave_and_come_back(at, back="glossary")
    assert at.text_input(key="glossary:search").value == "ゲート"


@pytest.mark.slow
def test_the_gate_views_pickers_survive_a_visit_to_another_page():
    at = open_app("en", "sentiment")
    at.segmented_control(key="sent:reading").set_value("gates").run()
    names = at.selectbox(key="sent:gate_model").options
    other = names[-1] if at.selectbox(key="sent:gate_model").value != names[-1] else names[0]
    at.selectbox(key="sent:gate_model").set_value(other).run()
    model = at.selectbox(key="sent:gate_model").value
    at.radio(key="sent:gate_state").set_value("c" if "c" in at.radio(
        key="sent:gate_state").options else "h").run()
    kind = at.radio(key="sent:gate_state").value
    at.selectbox(key=f"sent:gate_unit:{model}").set_value(2).run()
    at.multiselect(key=f"sent:gate_units:{model}").set_value([0, 3]).run()
    at = _leave_and_come_back(at, back="sentiment")
    assert at.selectbox(key="sent:gate_model").value == model
    assert at.radio(key="sent:gate_state").value == kind
    assert at.selectbox(key=f"sent:gate_unit:{model}").value == 2
    assert at.multiselect(key=f"sent:gate_units:{model}").value == [0, 3]
