"""AppTest: the "Inside LSTM and GRU" page steps through time, takes edited weights and a
switch of cell, matches Keras live, receives a trained forecaster; the sentiment page's gate
view lets the learner pick a model and a unit."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from rnn_core import cells, course
from rnn_core.fundamentals import gates
from rnn_core.fundamentals.stepthrough import StepThroughInput
from rnn_core.i18n import translate
from tests.apptest import button, open_app, open_lazy
from tests.test_stepthrough import terms, underbraces

DEFAULT_TAG = "{cell}:2:2:8:remember:None"  # the tables' key suffix for the page's defaults


def latex_text(at) -> str:
    return "\n".join(element.value for element in at.latex)


def keras_matched(at, lang: str, cell: str) -> bool:
    start = translate("gates.keras_match", lang, cell=cell, difference="\0").split("\0")[0]
    return any(s.value.startswith(start) for s in at.success)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_next_moves_in_time_and_keras_agrees(lang):
    at = open_app(lang, "gates")
    assert at.slider(key="gates:step").value == 1
    assert "i_{1,1}" in latex_text(at) and "c_{1,1}" in latex_text(at)
    assert keras_matched(at, lang, "LSTM")
    button(at, translate("gates.next", lang)).click().run()
    assert not at.exception
    assert at.slider(key="gates:step").value == 2
    text = latex_text(at)
    assert "f_{2,1}" in text and "i_{1,1}" not in text
    hint = translate("gates.hint_lstm_remember", lang, pulse=2, reset=6)
    assert hint in [info.value for info in at.info]
    assert len(at.image) == 2  # the cell-state path and the gate heatmap


def test_switching_to_a_gru_shows_its_blocks_and_keras_agrees():
    at = open_app("en", "gates")
    at.radio(key="gates:cell").set_value("gru").run()
    assert not at.exception
    text = latex_text(at)
    assert "z_{1,1}" in text and "\\tilde h_{1,1}" in text and "i_{1,1}" not in text
    assert keras_matched(at, "en", "GRU")
    at.number_input(key="gates:units").set_value(4).run()
    at.radio(key="gates:unit").set_value(3).run()
    assert "r_{1,4}" in latex_text(at)
    at.number_input(key="gates:units").set_value(1).run()  # the chosen unit is kept valid
    assert not at.exception and at.radio(key="gates:unit").value == 0


FORGET_TABLE = "gates:f:" + DEFAULT_TAG.format(cell="lstm")


def forget_line(at, step: int) -> str:
    return next(line for line in latex_text(at).split("\n") if f"f_{{{step},1}} =" in line)


def shut_forget_gate(at) -> None:
    """Unit 1's forget-gate bias from the preset's +3 to -3, as the browser's table sends it."""
    table = [list(row) for row in at.session_state[FORGET_TABLE]["values"]]
    table[-1][0] = -3.0  # the bias row, unit 1
    at.session_state[FORGET_TABLE] = {"values": table}
    at.run()


def test_an_edited_weight_changes_the_gate_and_keras_still_agrees():
    """Shut unit 1's forget gate through its bias cell (from the preset's +3 to -3), as the
    browser's table sends it: f_{3,1} follows the edited bias alone."""
    at = open_lazy(open_app("en", "gates"), "gates:block:lstm", "f")  # the forget gate's table
    at.slider(key="gates:step").set_value(3).run()
    assert "\\sigma(3) = 0.9526" in forget_line(at, 3)
    shut_forget_gate(at)
    assert not at.exception
    assert "\\sigma(-3) = 0.0474" in forget_line(at, 3)
    assert keras_matched(at, "en", "LSTM")


def table_shown(at, block: str, tag: str) -> np.ndarray:
    """The numbers of block ``block``'s table under ``tag``, as the page last computed with."""
    return np.asarray(at.session_state[f"gates:{block}:{tag}:last"])


def test_random_weights_fill_the_tables_and_preset_weights_bring_the_roles_back():
    """Random draws new numbers into every table and the arithmetic; Preset weights brings
    back the role weights, even over an edit made to them (the forget gate's bias, -3 -> +3)."""
    at = open_lazy(open_app("en", "gates"), "gates:block:lstm", "f")
    at.slider(key="gates:step").set_value(3).run()
    preset = gates.block_tables("lstm", gates.example_weights("lstm", 2, 2))
    np.testing.assert_array_equal(table_shown(at, "f", DEFAULT_TAG.format(cell="lstm")),
                                  preset["f"])
    shut_forget_gate(at)
    assert "\\sigma(-3) = 0.0474" in forget_line(at, 3)
    button(at, translate("gates.random_weights", "en")).click().run()
    assert not at.exception
    seed = at.session_state["gates:seed"]
    assert isinstance(seed, int)
    drawn = gates.block_tables("lstm", gates.example_weights("lstm", 2, 2, seed))
    shown = table_shown(at, "f", DEFAULT_TAG.format(cell="lstm").replace("None", str(seed)))
    np.testing.assert_array_equal(shown, drawn["f"])
    assert not np.array_equal(shown, preset["f"])
    (bias,), = terms(underbraces(forget_line(at, 3))[-1])  # f_{3,1}'s printed bias
    assert bias == pytest.approx(drawn["f"][-1, 0])
    assert "\\sigma(-3)" not in forget_line(at, 3) and keras_matched(at, "en", "LSTM")
    button(at, translate("gates.default_weights", "en")).click().run()
    assert not at.exception and at.session_state["gates:seed"] is None
    np.testing.assert_array_equal(table_shown(at, "f", DEFAULT_TAG.format(cell="lstm")),
                                  preset["f"])
    assert "\\sigma(3) = 0.9526" in forget_line(at, 3)
    shut_forget_gate(at)  # an edit of the preset weights, then the preset again
    button(at, translate("gates.default_weights", "en")).click().run()
    assert not at.exception
    assert "\\sigma(3) = 0.9526" in forget_line(at, 3) and keras_matched(at, "en", "LSTM")


def test_default_weights_on_the_fundamentals_page_while_they_are_shown():
    """The same button on the SimpleRNN step-through, clicked while its defaults are shown
    (the tables drawn again under the same keys): the same numbers, no error."""
    at = open_app("en", "fundamentals")
    before = latex_text(at)
    button(at, translate("fundamentals.default_weights", "en")).click().run()
    assert not at.exception
    assert latex_text(at) == before


def test_back_moves_back_in_time_and_stops_at_the_first_step():
    at = open_app("ja", "gates")
    at.slider(key="gates:step").set_value(3).run()
    button(at, translate("gates.previous", "ja")).click().run()
    assert not at.exception and at.slider(key="gates:step").value == 2
    text = latex_text(at)
    assert "f_{2,1}" in text and "f_{3,1}" not in text
    for _ in range(2):
        button(at, translate("gates.previous", "ja")).click().run()
    assert at.slider(key="gates:step").value == 1 and "f_{1,1}" in latex_text(at)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_the_code_and_the_keras_layout_are_the_cells_and_its_numbers(cell):
    """"Show the code": the Keras script and the NumPy loop of the numbers on screen; the
    Keras layout: kernel, recurrent kernel and bias with the blocks side by side in Keras's
    order."""
    from rnn_core.cells import CELL_NAMES
    from rnn_core.fundamentals import codegen

    at = open_app("en", "gates")
    if cell != "lstm":
        at.radio(key="gates:cell").set_value(cell).run()
    features, units, steps = gates.DEFAULT_SIZES
    x = gates.example_sequence("remember", steps, features)
    weights = gates.example_weights(cell, features, units)
    open_lazy(at, "gates:code")
    shown = lambda: [block.value.strip() for block in at.code]  # noqa: E731
    assert shown() == [codegen.keras_code(cell, x, *weights).strip()]
    assert f"keras.layers.{CELL_NAMES[cell]}(" in shown()[0]
    open_lazy(at, "gates:code_view", "numpy")
    assert shown() == [codegen.numpy_code(cell, x, *weights).strip()]
    assert "keras" not in shown()[0]
    assert ('print(f"c_{t}:"' in shown()[0]) == (cell == "lstm")  # an LSTM's c, step by step
    assert translate(f"gates.code_numpy_intro_{cell}", "en") in [m.value for m in at.markdown]
    assert len(at.dataframe) == 0
    open_lazy(at, "gates:layout")
    frames = [frame.value for frame in at.dataframe]
    assert len(frames) == 3
    expected_columns = {"lstm": ["i1", "i2", "f1", "f2", "g1", "g2", "o1", "o2"],
                        "gru": ["z1", "z2", "r1", "r2", "h\u03031", "h\u03032"]}[cell]
    assert gates.keras_columns(cell, units) == expected_columns
    kernel, recurrent, bias = weights
    bias_rows = ["b", "b′"] if cell == "gru" else ["b"]
    for frame, values, rows in zip(
            frames, (kernel, recurrent, np.reshape(bias, (-1, len(expected_columns)))),
            (["x1", "x2"], ["h1", "h2"], bias_rows), strict=True):
        assert list(frame.columns) == expected_columns and list(frame.index) == rows
        np.testing.assert_array_equal(frame.to_numpy(), values)


def test_a_block_edited_then_hidden_keeps_its_numbers_through_a_language_switch():
    """Only the block shown is drawn: the forget gate's edited bias still drives f_{3,1} while
    the output gate's table is shown, and after 日本語 the forget gate's view is still picked
    if the learner left it there (a tab bar went back to its first tab)."""
    at = open_lazy(open_app("en", "gates"), "gates:block:lstm", "f")
    shut_forget_gate(at)
    open_lazy(at, "gates:block:lstm", "o")
    at.slider(key="gates:step").set_value(3).run()
    assert "\\sigma(-3) = 0.0474" in forget_line(at, 3)
    open_lazy(at, "gates:block:lstm", "f")
    at.radio(key="lang_switch").set_value("ja").run()
    assert not at.exception
    assert at.session_state["gates:block:lstm"] == "f"
    assert "\\sigma(-3) = 0.0474" in forget_line(at, 3)


def test_a_forged_table_counts_as_blank_cells_and_says_so():
    """The browser's numbers are not trusted: a table of the wrong shape or with text in it
    becomes zeros with the translated note, and the page still agrees with Keras."""
    at = open_lazy(open_app("ja", "gates"), "gates:block:lstm", "f")
    for forged in ([[1.0]], "<b>x</b>", [["x", None]] * 5):
        at.session_state[FORGET_TABLE] = {"values": forged}
        at.run()
        assert not at.exception
        note = translate("common.invalid_value", "ja", limit="5")
        assert any(caption.value == note for caption in at.caption), forged
        assert keras_matched(at, "ja", "LSTM")


def test_fewer_features_drop_the_reset_preset_and_every_preset_runs():
    at = open_app("ja", "gates")
    assert translate("gates.preset_reset", "ja") in at.selectbox(key="gates:preset").options
    for preset in gates.presets_for(2):
        at.selectbox(key="gates:preset").set_value(preset).run()
        assert not at.exception, preset
    at.selectbox(key="gates:preset").set_value("reset").run()
    at.number_input(key="gates:features").set_value(1).run()  # "reset" needs the x2 line
    assert not at.exception
    assert at.selectbox(key="gates:preset").value == gates.PRESETS[0]
    assert len(at.selectbox(key="gates:preset").options) == len(gates.presets_for(1))
    button(at, translate("gates.random_weights", "ja")).click().run()
    assert not at.exception and keras_matched(at, "ja", "LSTM")


def test_a_trained_gru_handed_over_fills_the_tables():
    rng = np.random.default_rng(3)
    kernel, recurrent, bias = cells.random_weights("gru", 1, 3, rng)
    numbers = StepThroughInput.rounded("gru", rng.uniform(-1, 1, (10, 1)), kernel, recurrent,
                                       bias)
    at = open_app("en", "home")
    at.session_state["handover:stepthrough:gates"] = numbers
    at.switch_page(course.page("gates").file).run()
    assert not at.exception
    assert at.radio(key="gates:cell").value == "gru"
    assert at.number_input(key="gates:units").value == 3
    assert at.number_input(key="gates:steps").value == 10
    assert translate("gates.imported_note", "en", cell="GRU") in [i.value for i in at.info]
    assert keras_matched(at, "en", "GRU")


@pytest.mark.slow
def test_the_sentiment_gate_view_lets_the_learner_pick_a_model_and_a_unit():
    at = open_app("en", "sentiment")
    assert translate("gates.view_heading", "en") not in [h.value for h in at.subheader]
    open_lazy(at, "sent:reading", "gates")
    assert translate("gates.view_heading", "en") in [h.value for h in at.subheader]
    units = at.multiselect(key="sent:gate_units:lstm")
    assert len(units.value) == 5  # the units that follow the verdict, suggested
    at.selectbox(key="sent:gate_unit:lstm").set_value(7).run()
    assert not at.exception
    movers = translate("gates.movers_heading", "en", unit=8)
    assert movers in [m.value for m in at.markdown]
    at.radio(key="sent:gate_state").set_value("c").run()
    at.selectbox(key="sent:gate_model").set_value("gru").run()
    assert not at.exception
    assert at.radio(key="sent:gate_state").value == "h"  # a GRU has no c
    letting_go = translate("gates.letting_go_gru", "en")
    assert letting_go in [m.value for m in at.markdown]
    simple_rnn_h_view(at)


def chart_specs(at) -> list[dict]:
    """The Plotly figures on the page, as the browser receives them."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def plotly_array(value) -> np.ndarray:
    """An array of a figure's JSON: a list, or Plotly's typed array (base64 ``bdata``)."""
    if not isinstance(value, dict):
        return np.asarray(value, float)
    shape = [int(n) for n in str(value.get("shape", "-1")).split(",")]
    return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).reshape(shape)


def simple_rnn_h_view(at) -> None:
    """The SimpleRNN in the gate view: no gate chart and no "letting go", h the only state;
    its heatmap rows are the suggested units' h over the words, and a picked unit's chart is
    that unit's h alone."""
    at.selectbox(key="sent:gate_model").set_value("simple_rnn").run()
    assert not at.exception
    assert translate("gates.view_simple_rnn", "en") in [info.value for info in at.info]
    assert at.radio(key="sent:gate_state").options == [translate("gates.state_h", "en")]
    shown = [m.value for m in at.markdown]
    assert not any(translate(f"gates.letting_go_{c}", "en") in shown for c in ("lstm", "gru"))
    units = at.multiselect(key="sent:gate_units:simple_rnn").value
    assert len(units) == 5
    heatmap, unit_chart = chart_specs(at)  # no gate-means chart
    rows = heatmap["data"][0]
    assert rows["type"] == "heatmap" and rows["y"] == [f"h{j + 1}" for j in units]
    z = plotly_array(rows["z"])
    assert z.shape == (5, len(rows["x"])) and np.abs(z).max() <= 1  # tanh's range
    at.selectbox(key="sent:gate_unit:simple_rnn").set_value(3).run()
    assert not at.exception
    assert translate("gates.movers_heading", "en", unit=4) in [m.value for m in at.markdown]
    _, unit_chart = chart_specs(at)
    assert [trace["name"] for trace in unit_chart["data"]] == ["h4"]


def test_the_simple_rnn_code_comes_in_keras_numpy_and_pytorch():
    from rnn_core.fundamentals import codegen

    at = open_lazy(open_app("en", "fundamentals"), "fund:code")
    shown = lambda: [block.value for block in at.code]  # noqa: E731
    assert any("keras.layers.SimpleRNN(2, return_sequences=True)" in b for b in shown())
    open_lazy(at, "fund:code_view", "numpy")
    assert any(b.startswith("import numpy as np") and "keras" not in b for b in shown())
    open_lazy(at, "fund:code_view", "torch")
    assert codegen.torch_rnn_code().strip() in [b.strip() for b in shown()]
    assert codegen.torch_param_formula() in latex_text(at)


@pytest.mark.slow
def test_a_gru_trained_on_the_forecasting_page_opens_on_the_gates_page():
    from tests.test_sine_page import train_small

    at = open_app("en", "sine")
    at.selectbox(key="sine:sine:cell").set_value("gru")
    at = train_small(at, "en", units=2, epochs=1, seed=13)
    button(at, translate("sine.open_stepthrough", "en")).click().run()
    assert not at.exception
    imported = at.session_state["gates:imported"]  # the gates page took the hand-over
    assert imported.cell == "gru" and imported.bias.shape == (2, 6)
    assert at.radio(key="gates:cell").value == "gru"
    assert at.number_input(key="gates:units").value == 2
    assert keras_matched(at, "en", "GRU")
