"""The issue-14 lessons on their pages (AppTest, both languages): why order matters, the skip path,
what replaced RNNs, merits and demerits, word vectors and the pipeline as code."""

from __future__ import annotations

import ast
import json
from urllib.parse import parse_qs

import pytest

from rnn_core import course, i18n
from rnn_core.comparison.merits import MERITS
from rnn_core.fundamentals import order
from rnn_core.sentiment import codegen, registry, user_text
from tests.apptest import button, open_app, open_lazy

SHIPPED = registry.manifests(registry.MODELS_DIR)
needs_models = pytest.mark.skipif(not SHIPPED, reason="no shipped IMDB models in models/imdb")


def texts(elements) -> list[str]:
    return [str(element.value) for element in elements]


def chart(at, key: str) -> dict:
    """The Plotly figure a chart element with this key shows."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key) or key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ---------------------------------------------------------------- fundamentals: order
@needs_models
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_order_experiment_asks_first_then_reads_the_review_three_ways(lang):
    t = i18n.Translator(lang)
    at = open_app(lang, "fundamentals", predict_first=True)
    assert t("order.heading") in texts(at.header)
    assert t("order.predict_first") in texts(at.caption)
    assert not any("order_chart" in c.proto.id for c in at.get("plotly_chart"))
    at.radio(key="fund:order_prediction").set_value("same").run()
    no_exception(at)
    figure = chart(at, "order_chart")
    assert [trace["name"] for trace in figure["data"]] == [t(f"order.variant_{v}")
                                                           for v in order.VARIANTS]
    assert len(figure["data"][0]["x"]) == len(SHIPPED)
    reply = next(i for i in texts(at.info) if i.startswith(t("order.you_predicted_same")))
    verdicts = next(d.value for d in at.dataframe if t("order.variant_shuffled") in d.value.columns
                    and t("order.col_model") in d.value.columns and len(d.value.columns) == 4)
    assert len(verdicts) == len(SHIPPED)
    labels = {t("order.verdict_positive"), t("order.verdict_negative")}
    for column in (t(f"order.variant_{v}") for v in order.VARIANTS):
        assert all(cell.split(" (")[0] in labels for cell in verdicts[column])
    flips = sum("↺" in cell for cell in verdicts[t("order.variant_shuffled")])
    still = t("order.this_text_still", largest="\0").split("\0")[0]
    # "nothing changes" matches only a text whose probabilities did not move
    assert (t("order.prediction_matches") in reply) == (still in reply)
    assert any(md.startswith(t("order.reading_flips", models=len(SHIPPED), flips=flips,
                                 reversed_flips="\0", largest="", model="").split("\0")[0])
               for md in texts(at.markdown))
    reading = t("order.read_mostly_words", **dict.fromkeys(
        ("shuffled_low", "shuffled_high", "original_low", "original_high", "drop_low",
         "drop_high", "flip_low", "flip_high", "negation", "mixed", "tricky"), "\0")).split(
        "\0")[0]
    assert any(md.startswith(reading) for md in texts(at.markdown))
    tables = [d.value for d in at.dataframe if t("order.col_flips_shuffled") in d.value.columns]
    assert len(tables) == 2  # the example reviews (live) and the 1,000 test reviews (committed)
    assert all(len(table) == len(SHIPPED) for table in tables)


@needs_models
def test_order_experiment_explains_unreadable_and_unknown_texts():
    """With the learner's "predict first" switch off, the review is read at once."""
    t = i18n.Translator("en")
    at = open_app("en", "fundamentals")
    assert t("order.predict_first") not in texts(at.caption)
    assert not any(r.key == "fund:order_prediction" for r in at.radio)
    at.selectbox(key="fund:order_example").set_value("japanese").run()
    no_exception(at)
    assert t("order.non_english") in texts(at.warning)
    at.text_area(key="fund:order_text").set_value("<script>alert(1)</script> !!!").run()
    no_exception(at)
    assert "<script" not in " ".join(texts(at.markdown))
    at.text_area(key="fund:order_text").set_value("   ").run()
    assert t("order.nothing_to_read") in texts(at.info)
    at.text_area(key="fund:order_text").set_value(user_text.EXAMPLES["negation"]).run()
    at.number_input(key="fund:order_seed").set_value(17).run()
    no_exception(at)
    shown = texts(at.text)[-3:]  # as written, shuffled (seed 17), reversed
    assert shown[0].startswith("this movie is not bad at all")
    assert sorted(shown[1].split()) == sorted(shown[0].split()) == sorted(shown[2].split())
    assert shown[1] != shown[0] and shown[2].split() == shown[0].split()[::-1]


# ---------------------------------------------------------------- compare: skip path
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_skip_path_switch_adds_a_dashed_line_and_its_reading(lang):
    t = i18n.Translator(lang)
    at = open_app(lang, "compare")
    assert len(chart(at, "gradient_chart")["data"]) == 3
    assert t("residual.try_it") in texts(at.caption)
    at.toggle(key="cmp:skip").set_value(True).run()
    no_exception(at)
    traces = chart(at, "gradient_chart")["data"]
    assert len(traces) == 4 and traces[-1]["line"]["dash"] == "dash"
    assert traces[-1]["name"] == t("residual.trace_additive", mix="0.1")
    assert len(at.metric) == 5
    plain, skipped = (int(m.value.split()[0]) for m in at.metric[3:5])  # "17 of 49 steps"
    assert plain < 25 and skipped == 49  # at the page's defaults the two already differ
    assert any(md.startswith(reading(t, "residual.read_grows")) for md in texts(at.markdown))
    assert t("residual.why_additive") in texts(at.markdown)
    at.segmented_control(key="cmp:skip_kind").set_value("gated").run()
    at.slider(key="cmp:radius").set_value(0.5).run()
    no_exception(at)
    plain, skipped = at.metric[3], at.metric[4]
    survived = [int(m.value.split()[0])  # "6 of 49 steps" / "6 / 49 ステップ"
                for m in (plain, skipped)]
    assert survived[0] < 10 and survived[1] == 49  # measured on the page, radius 0.5, T = 50
    assert any(md.startswith(reading(t, "residual.read_shrinks_slower"))
               for md in texts(at.markdown))
    assert t("residual.why_gated") in texts(at.markdown)
    at.slider(key="cmp:radius").set_value(1.5).run()  # the gated mix grows too above radius 1
    assert any(md.startswith(reading(t, "residual.read_grows")) for md in texts(at.markdown))


def reading(t: i18n.Translator, key: str) -> str:
    """The fixed start of a reading (up to its first number)."""
    return t(key, **dict.fromkeys(("factor", "plain", "steps", "plain_steps", "total",
                                   "overall"), "\0")).split("\0")[0]


# ---------------------------------------------------------------- compare: attention, merits
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_what_replaced_rnns_shows_the_committed_sweep_and_its_machine(lang):
    t = i18n.Translator(lang)
    at = open_app(lang, "compare")
    assert t("attention.heading") in texts(at.header)
    figure = chart(at, "timing_chart")
    assert [trace["name"] for trace in figure["data"]] == ["GRU", "MultiHeadAttention"]
    table = next(d.value for d in at.dataframe if t("attention.col_steps") in d.value.columns)
    assert table[t("attention.col_steps")].tolist() == [
        f"{seq_len} / 1" for seq_len in table[t("compare.seq_len")]]
    assert any("rnn-lab attention-timing" in c and "--repeats 21" in c and "AMD" in c
               for c in texts(at.caption))  # the command that made the figure, its machine
    start = t("attention.read_gru_faster_from", **dict.fromkeys(
        ("overlap", "repeats", "gru_short", "attention_short", "short", "from", "long",
         "gru_long", "attention_long", "work", "per_step"), "\0")).split("\0")[0]
    assert any(md.startswith(start) for md in texts(at.markdown))  # T = 16, 32 overlap
    machine = t("attention.machine_cpu", cpu="AMD EPYC", cores=2)
    assert any(md.endswith(machine) for md in texts(at.markdown))


def test_a_language_switch_sends_the_comparison_charts_unchanged():
    """The gradient and timing charts hold symbols and names, no words (those are around them,
    translated): the browser need not draw them again when the learner switches language."""
    charts = {}
    for lang in ("en", "ja"):
        at = open_app(lang, "compare")
        charts[lang] = [chart(at, key) for key in ("gradient_chart", "timing_chart")]
        assert i18n.Translator(lang)("attention.chart_axes") in texts(at.caption)
    assert charts["en"] == charts["ja"]


@pytest.mark.slow
def test_a_live_timing_point_lands_on_the_chart():
    at = open_app("en", "compare")
    at.select_slider(key="cmp:timing_T").set_value(16).run()
    button(at, i18n.translate("attention.live_run", "en")).click().run()
    no_exception(at)
    traces = chart(at, "timing_chart")["data"]
    assert len(traces) == 4 and traces[1]["x"] == [16]
    assert any(c.startswith("Measured now, T = 16") for c in texts(at.caption))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_merits_table_links_every_row(lang):
    t = i18n.Translator(lang)
    at = open_app(lang, "compare")
    assert t("merits.heading") in texts(at.header)
    links = at.get("page_link")
    elsewhere = [row for row in MERITS if row.page != "compare"]
    assert len(links) == len(elsewhere)
    for link, row in zip(links, elsewhere, strict=True):  # opens the page at the section
        assert link.proto.page == course.page(row.page).name  # its URL path
        assert parse_qs(link.proto.query_string) == {
            "lang": [lang], "learner": [at.query_params["learner"]], "section": [row.anchor]}
    here = [md for md in texts(at.markdown) if md.startswith(":material/arrow_upward:")]
    assert sorted(md.split("](#")[1].rstrip(")") for md in here) == sorted(
        row.anchor for row in MERITS if row.page == "compare")
    for row in MERITS:
        mark = ":green[:material/check_circle:]" if row.good else ":orange[:material/warning:]"
        assert any(md.startswith(mark) and t(f"merits.{row.key}") in md
                   for md in texts(at.markdown))


# ---------------------------------------------------------------- sentiment: vectors, code
def nearest(at, t: i18n.Translator) -> list[str]:
    """The words of the nearest-neighbours table, closest first."""
    table = next(d.value for d in at.table if t("vectors.cosine") in d.value.columns)
    assert table[t("vectors.cosine")].astype(float).is_monotonic_decreasing
    return list(table[t("vectors.col_word")])


@needs_models
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_word_vectors_show_neighbours_and_handle_unknown_words(lang):
    t = i18n.Translator(lang)
    at = open_app(lang, "sentiment")
    assert t("vectors.heading") in texts(at.header)
    neighbours = nearest(at, t)
    assert len(neighbours) == 10 and "great" in neighbours
    shares = [m.value for m in at.markdown if m.value.startswith(t("vectors.map_title")[:12])]
    assert len(shares) == 1 and t("vectors.map_axis", n=2, share="")[:8] in shares[0]
    at.text_input(key="sent:vector_word").set_value("Excelent!").run()
    no_exception(at)
    assert any("excelent" in w for w in texts(at.warning))
    button(at, "excellent").click().run()
    no_exception(at)
    assert at.text_input(key="sent:vector_word").value == "excellent"
    after = nearest(at, t)  # the page's default model (gru): superb, outstanding, terrific, …
    assert len(after) == 10 and "outstanding" in after[:3] and "excellent" not in after
    at.text_input(key="sent:vector_word").set_value("<b>**bold**</b>").run()
    assert "<b>" not in " ".join(texts(at.markdown))
    at.text_input(key="sent:map_words").set_value("good bad").run()
    assert t("vectors.map_count", low=3, high=40, count=2) in texts(at.info)


@needs_models
def test_the_code_section_shows_runnable_code_for_each_model():
    at = open_app("en", "sentiment")
    assert not [c for c in at.code if "MaskedMaxMeanPool" in c.value]  # built once opened
    open_lazy(at, "sent:pipeline")
    code = [c.value for c in at.code if "MaskedMaxMeanPool" in c.value]
    assert len(code) == 1 and "keras.layers.Embedding(20000, 100, mask_zero=True" in code[0]
    ast.parse(code[0])
    assert not [c for c in at.code if "imdb.load_data" in c.value]  # the other view, not sent
    at.selectbox(key="sent:code_model").set_value("bigru").run()
    no_exception(at)
    assert any("keras.layers.Bidirectional(" in c.value for c in at.code)
    open_lazy(at, "sent:code_view", "classic")
    classic = [c.value for c in at.code if "imdb.load_data" in c.value]
    assert len(classic) == 1 and not [c for c in at.code if "MaskedMaxMeanPool" in c.value]
    table = next(d.value for d in at.table
                 if i18n.translate("pipeline.col_why", "en") in d.value.columns)
    assert len(table) == len(codegen.DIFFERENCES)
