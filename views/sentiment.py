"""Sentiment analysis: trained RNNs read a movie review word by word; model cards and a quiz.

The models are the shipped ``models/imdb/*.keras`` files (trained on IMDB with
``rnn-lab train-imdb``), loaded once per server. Every number on the model cards was computed at
training time and stored in the manifests, so the page never reads the dataset.
"""

import pandas as pd
import streamlit as st

from rnn_core.cells import display_name
from rnn_core.i18n import escape_markdown
from rnn_core.sentiment import codegen, gate_figures, user_text, vectors
from rnn_core.sentiment import gates as gate_view
from rnn_core.sentiment.figures import (
    coloured_words,
    confusion_table,
    neighbours_table,
    trajectory_figure,
    word_map_svg,
)
from rnn_core.sentiment.registry import latency_ms
from rnn_core.study import outcomes
from rnn_ui import predict
from rnn_ui.glossary import linked
from rnn_ui.quiz import quiz_ui
from rnn_ui.sentiment import (
    benchmark,
    data_available,
    explain,
    gate_reading,
    loaded_models,
    manifests,
    models_folder,
)
from rnn_ui.session import kept, translator
from rnn_ui.widgets import bounded_number, lazy_expander, lazy_views

t = translator()
KEY = "sent:"
VECTOR_SHOWN = 8  # numbers of a word's row printed on the page
DEFAULT_WORD = "good"  # the word-vector explorer starts with it
READING_VIEWS = ("verdict", "gates")  # how the verdicts formed: sentiment.tab_<name>


def use_example() -> None:
    """Copy the chosen example into the text box (a callback, so the box can still be edited)."""
    example = st.session_state[KEY + "example"]
    st.session_state[KEY + "text"] = user_text.EXAMPLES[example]


def review_input() -> str:
    st.selectbox(t("sentiment.example_label"), list(user_text.EXAMPLES), key=kept(KEY + "example"),
                 format_func=lambda name: t(f"sentiment.example_{name}"), on_change=use_example)
    if KEY + "text" not in st.session_state:
        use_example()
    return st.text_area(t("sentiment.text_label"), key=kept(KEY + "text"), height=150,
                        help=t("sentiment.text_help", limit=user_text.MAX_INPUT_CHARS))


def report_findings(checked: user_text.CheckedReview) -> None:
    """One translated message per problem found in the input."""
    for finding in checked.findings:
        message = t(f"sentiment.input_{finding}", limit=f"{user_text.MAX_INPUT_CHARS:,}",
                    chars=f"{checked.original_chars:,}")
        (st.info if finding == "empty" else st.warning)(message)


def verdicts_ui(folder: str, text: str, names: list[str]) -> dict:
    """Each model's verdict side by side; returns the explanations for the next sections."""
    with st.spinner(t("sentiment.reading")):
        results = {name: explain(folder, name, text) for name in names}
    columns = st.columns(len(names))
    for column, (name, result) in zip(columns, results.items(), strict=True):
        verdict = "positive" if result.probability >= 0.5 else "negative"
        column.metric(display_name(name), f"{result.probability:.1%}",
                      t(f"sentiment.verdict_{verdict}"),
                      delta_color="normal" if verdict == "positive" else "inverse",
                      delta_arrow="off", border=True)
    st.caption(t("sentiment.probability_caption"))
    return results


def reading_ui(folder: str, text: str, results: dict) -> None:
    """How the verdicts formed: the curve and the colouring, or the gates and units. Only the
    view shown is drawn (the gate view's three charts cost the browser most of a new review)."""
    st.header(t("sentiment.trajectory_heading"), anchor="trajectory")
    view = lazy_views(t("sentiment.trajectory_heading"), READING_VIEWS, KEY + "reading",
                      lambda name: t(f"sentiment.tab_{name}"))
    if view == "verdict":
        trajectory_ui(results)
    else:
        gate_view_ui(folder, text, results)


def trajectory_ui(results: dict) -> None:
    st.markdown(linked(t("sentiment.trajectory_intro")))
    series = {name: (r.words, r.probabilities) for name, r in results.items()}
    st.markdown(t("sentiment.trajectory_title"))
    st.plotly_chart(trajectory_figure(series), width="stretch", key=KEY + "trajectory")
    if any(name.startswith("bi") for name in results):
        st.caption(t("sentiment.bidirectional_note"))
    name = st.selectbox(t("sentiment.colour_model"), list(results), key=kept(KEY + "model"),
                        format_func=display_name)
    result = results[name]
    st.markdown(t("sentiment.colour_legend"))
    with st.container(border=True):
        st.markdown(coloured_words(result.words, result.deltas, result.in_vocabulary))
    if result.truncated:
        key = "sentiment.truncated_last" if result.keep == "last" else "sentiment.truncated"
        st.warning(t(key, seen=result.max_len, total=result.total_words))
    st.markdown(t("sentiment.oov_share", share=f"{result.oov_share:.0%}"))
    box = lazy_expander(t("sentiment.what_model_saw"), KEY + "model_saw",
                        icon=":material/visibility:")
    with box:
        if not box.open:
            return
        st.text(" ".join(result.words))
        rows = [{t("sentiment.col_word"): w, t("sentiment.col_known"): known,
                 t("sentiment.col_delta"): round(d, 4)}
                for w, known, d in zip(result.words, result.in_vocabulary, result.deltas,
                                       strict=True)]
        st.dataframe(rows, hide_index=True, width="stretch")


@st.fragment
def gate_view_ui(folder: str, text: str, results: dict) -> None:
    """The trained models' gates and units on this review; picking a model or a unit reruns
    only this part (the reading is cached per text)."""
    st.subheader(t("gates.view_heading"), anchor="gates")
    st.markdown(linked(t("gates.view_intro")))
    names = [name for name in results if name in gate_view.READABLE]
    if any(name not in gate_view.READABLE for name in results):
        st.caption(t("gates.view_bidirectional"))
    if not names:
        return
    name = st.selectbox(t("gates.view_model"), names, format_func=display_name,
                        index=names.index("lstm") if "lstm" in names else 0,
                        key=kept(KEY + "gate_model"))
    reading = gate_reading(folder, name, text)
    if not reading.words:
        return
    difference = gate_view.probability_difference(reading, results[name].probabilities)
    if difference is not None:
        st.caption(t("gates.view_check", difference=f"{difference:.1e}"))
    words = reading.words
    if reading.cell == "simple_rnn":
        st.info(t("gates.view_simple_rnn"))
    else:
        labels = {gate: t(f"gates.gate_{gate}") for gate in reading.gate_means}
        st.plotly_chart(gate_figures.gate_means_figure(
            words, reading.gate_means, labels, title=t("gates.means_title"),
            x_label=t("gates.word_axis"), y_label=t("gates.means_y")),
            width="stretch", key=KEY + "gate_means")
        st.markdown(t(f"gates.letting_go_{reading.cell}"))
        let_go = gate_view.letting_go(reading)
        if let_go:
            st.dataframe([{t("gates.col_position"): position + 1, t("gates.col_word"): word,
                           t("gates.col_let_go"): f"{share:.0%}",
                           t("gates.col_gate"): round(mean, 3)}
                          for position, word, share, mean in let_go],
                         hide_index=True, width="stretch")
        else:
            st.caption(t("gates.letting_go_none"))
    followers = gate_view.verdict_followers(reading)
    st.markdown(t("gates.followers_heading"))
    if len(words) < gate_view.MIN_WORDS_FOR_CORRELATION:
        st.caption(t("gates.followers_short", words=gate_view.MIN_WORDS_FOR_CORRELATION))
    else:
        st.dataframe([{t("gates.col_unit"): unit + 1, t("gates.col_correlation"): round(r, 3)}
                      for unit, r in followers], hide_index=True, width="stretch")
    unit_states_ui(reading, [unit for unit, _ in followers], name, text)


def unit_states_ui(reading, suggested: list[int], name: str, text: str) -> None:
    """A heatmap of the chosen units across the words, then one unit and the words moving it.

    The unit pickers start from the units that follow the verdict on this text: a new text
    clears them (each model keeps its own while the text stays)."""
    units_key, unit_key, kind_key = (f"{KEY}gate_units:{name}", f"{KEY}gate_unit:{name}",
                                     KEY + "gate_state")
    if st.session_state.get(KEY + "gate_text") != text:
        st.session_state[KEY + "gate_text"] = text
        for key in [k for k in st.session_state if str(k).startswith(KEY + "gate_unit")]:
            del st.session_state[key]
    kinds = ["h", "c"] if reading.cell_state is not None else ["h"]
    if st.session_state.get(kind_key, "h") not in kinds:
        st.session_state[kind_key] = "h"
    left, right = st.columns([3, 1])
    chosen = left.multiselect(t("gates.units_pick"), range(reading.units), default=suggested,
                              format_func=lambda j: f"{j + 1}", key=kept(units_key),
                              max_selections=16)
    kind = right.radio(t("gates.state_kind"), kinds, format_func=lambda k: t(f"gates.state_{k}"),
                       horizontal=True, key=kept(kind_key))
    if not chosen:
        st.caption(t("gates.no_units"))
    else:
        st.plotly_chart(gate_figures.units_heatmap(
            reading.words, reading.states(kind), chosen, kind,
            title=t("gates.heatmap_units_title"), x_label=t("gates.word_axis")),
            width="stretch", key=KEY + "gate_heatmap")
    unit = st.selectbox(t("gates.unit_pick"), range(reading.units),
                        index=suggested[0] if suggested else 0,
                        format_func=lambda j: f"{j + 1}", key=kept(unit_key))
    series = {f"{k}{unit + 1}": reading.states(k)[:, unit] for k in kinds}
    st.plotly_chart(gate_figures.unit_figure(reading.words, series,
                                             title=t("gates.unit_title", unit=unit + 1),
                                             x_label=t("gates.word_axis")),
                    width="stretch", key=KEY + "gate_unit_chart")
    st.markdown(t("gates.movers_heading", unit=unit + 1))
    st.dataframe([{t("gates.col_position"): position + 1, t("gates.col_word"): word,
                   t("gates.col_change"): round(change, 3)}
                  for position, word, change in gate_view.movers(reading, unit, kind=kind)],
                 hide_index=True, width="stretch")


@st.fragment
def card_views(cards: dict, bench: dict) -> None:
    """One view per model; only the card shown is drawn, and a switch reruns only this."""
    name = lazy_views(t("sentiment.cards_heading"), list(cards), KEY + "card", display_name)
    model_card(name, cards[name], bench)


def model_card(name: str, manifest: dict, bench: dict) -> None:
    hp, test = manifest["hyperparameters"], manifest.get("test", {})
    top = st.columns(4)
    top[0].metric(t("sentiment.card_test_accuracy"),
                  f"{test['accuracy']:.2%}" if test else "—")
    top[1].metric(t("sentiment.card_val_accuracy"), f"{manifest['validation']['accuracy']:.2%}")
    top[2].metric(t("sentiment.card_params"), f"{manifest['parameters']:,}")
    top[3].metric(t("sentiment.card_size"), f"{manifest['file_bytes'] / 2**20:.1f} MB")
    latency = latency_ms(bench, name)
    hardware = manifest["hardware"]
    st.markdown(t("sentiment.card_details", cell=display_name(name), units=hp["units"],
                  embedding=hp["embedding_dim"], vocab=f"{manifest['vocabulary_size']:,}",
                  max_len=hp["max_len"], epochs=manifest["epochs_run"],
                  best=manifest["best_epoch"], minutes=f"{manifest['fit_seconds'] / 60:.0f}",
                  device=hardware["device"], hardware=escape_markdown(hardware["name"]),
                  latency=f"{latency:.1f} ms" if latency else "—",
                  words=bench.get("review_words", "—"),
                  date=manifest["date"][:10], tf=manifest["versions"]["tensorflow"],
                  keras=manifest["versions"]["keras"]))
    pretraining = manifest.get("pretraining")
    if pretraining:
        st.markdown(t("sentiment.card_pretrained", reviews=f"{pretraining['reviews']:,}",
                      unlabeled=pretraining["unlabeled_reviews"],
                      fit=pretraining["train_fit_reviews"],
                      coverage=f"{pretraining['vocabulary_coverage']:.1%}"))
    else:
        st.markdown(t("sentiment.card_random_start"))
    if test:
        labels = (t("sentiment.label_negative"), t("sentiment.label_positive"))
        st.caption(t("sentiment.confusion_caption", n=f"{test['n']:,}"))
        st.table(confusion_table(test, labels, t("sentiment.predicted"), t("sentiment.actual")))
    st.markdown(t("sentiment.misclassified_heading"))
    for review in manifest.get("misclassified_validation", [])[:3]:
        label = t("sentiment.label_positive" if review["label"] else "sentiment.label_negative")
        st.caption(t("sentiment.misclassified_line", label=label,
                     probability=f"{review['probability']:.1%}"))
        st.text(review["text"])


def model_cards_ui(cards: dict, bench: dict) -> None:
    st.header(t("sentiment.cards_heading"), anchor="model-cards")
    st.markdown(linked(t("sentiment.cards_intro")))
    if not data_available():
        st.info(t("sentiment.no_data"))
    card_views(cards, bench)
    if bench:
        st.caption(t("sentiment.bench_caption", rss=f"{bench['rss_all_loaded_mib']:.0f}",
                     words=bench["review_words"]))


# ---------------------------------------------------------------- 5. word vectors
@st.cache_resource(show_spinner=False)
def embedding_table(folder: str, name: str) -> vectors.EmbeddingTable:
    """One model's vocabulary and embedding matrix (unit rows for cosines), once per server."""
    return vectors.EmbeddingTable.from_model(loaded_models(folder)[0][name].predictor.model)


@st.cache_data(max_entries=256, show_spinner=False)
def nearest_words(folder: str, name: str, query: str, top: int) -> vectors.Neighbours:
    return vectors.neighbours(embedding_table(folder, name), query, top)


@st.cache_data(max_entries=64, show_spinner=False)
def words_on_map(folder: str, name: str, words: tuple[str, ...]) -> vectors.WordMap | None:
    """The PCA map, or None when too few (or too many) of the words are in the vocabulary."""
    try:
        return vectors.word_map(embedding_table(folder, name), list(words))
    except ValueError:
        return None


def word_vectors_section(folder: str, names: list[str], cards: dict) -> None:
    st.header(t("vectors.heading"), anchor="word-vectors")
    word_vectors_ui(folder, names, cards)


def use_suggestion(word: str) -> None:
    st.session_state[KEY + "vector_word"] = word


@st.fragment
def word_vectors_ui(folder: str, names: list[str], cards: dict) -> None:
    """Choose a model and a word: its row, its nearest neighbours, then a map of chosen words."""
    default = names.index(vectors.DEFAULT_MODEL) if vectors.DEFAULT_MODEL in names else 0
    name = st.selectbox(t("vectors.model_label"), names, index=default, format_func=display_name,
                        key=kept(KEY + "vector_model"))
    manifest, table = cards[name], embedding_table(folder, name)
    hp = manifest["hyperparameters"]
    share = vectors.embedding_share(manifest)
    st.markdown(t("vectors.intro", vocab=hp["vocab_size"], dim=hp["embedding_dim"],
                  params=hp["vocab_size"] * hp["embedding_dim"], total=manifest["parameters"],
                  share=f"{share:.1%}" if share else "—"))
    word_origin_ui(manifest)
    left, right = st.columns([3, 1])
    st.session_state.setdefault(KEY + "vector_word", DEFAULT_WORD)
    query = left.text_input(t("vectors.word_label"), max_chars=vectors.MAX_QUERY_CHARS,
                            key=kept(KEY + "vector_word"), help=t("vectors.word_help"))
    top = bounded_number(right, t("vectors.top_label"), vectors.TOP_BOUND, vectors.DEFAULT_TOP,
                         KEY + "vector_top")
    found = nearest_words(folder, name, query, top)
    neighbours_ui(found, table, name)
    st.markdown(t("vectors.cosine_note", good_bad=_cosine(table, "good", "bad"),
                  good_great=_cosine(table, "good", "great")))
    word_map_ui(folder, name, table)


def _cosine(table: vectors.EmbeddingTable, a: str, b: str) -> str:
    value = table.cosine(a, b)
    return "—" if value is None else f"{value:.2f}"


def word_origin_ui(manifest: dict) -> None:
    pretraining = manifest.get("pretraining")
    if not pretraining:
        st.markdown(t("vectors.origin_random"))
        return
    settings = pretraining.get("settings", {})
    st.markdown(t("vectors.origin", dim=settings.get("dim", "?"),
                  window=settings.get("window", "?"),
                  epochs=settings.get("epochs", "?"), min_count=settings.get("min_count", "?"),
                  reviews=pretraining["reviews"], unlabeled=pretraining["unlabeled_reviews"],
                  fit=pretraining["train_fit_reviews"], words=pretraining.get("words", 0),
                  tokens=pretraining.get("tokens", 0),
                  coverage=f"{pretraining['vocabulary_coverage']:.1%}"))


def neighbours_ui(found: vectors.Neighbours, table: vectors.EmbeddingTable, name: str) -> None:
    """The looked-up word's row and nearest words, or why there are none."""
    word = escape_markdown(found.word)
    if not found.word:
        st.info(t("vectors.empty"))
        return
    if found.ignored:
        st.caption(t("vectors.ignored", words=escape_markdown(" ".join(found.ignored))))
    if not found.known:
        st.warning(t("vectors.oov", word=word, vocab=len(table.vocabulary)))
        if found.suggestions:
            st.markdown(t("vectors.suggestions"))
            columns = st.columns(len(found.suggestions))
            for column, suggestion in zip(columns, found.suggestions, strict=True):
                column.button(suggestion, key=f"{KEY}suggest:{suggestion}",
                              on_click=use_suggestion, args=(suggestion,))
        return
    st.markdown(t("vectors.row", word=word, id=found.word_id))
    row = table.vectors[found.word_id]
    st.code("[" + ", ".join(f"{v:+.3f}" for v in row[:VECTOR_SHOWN]) + f", … ]  # {len(row)}",
            language=None)
    st.markdown(t("vectors.neighbours_title", word=word, model=display_name(name)))
    st.table(neighbours_table(list(found.neighbours), t("vectors.col_word"),
                              t("vectors.cosine")))


def word_map_ui(folder: str, name: str, table: vectors.EmbeddingTable) -> None:
    st.subheader(t("vectors.map_heading"))
    low, high = vectors.MAP_WORDS_BOUND
    raw = st.text_input(t("vectors.map_label", low=low, high=high),
                        ", ".join(vectors.DEFAULT_MAP_WORDS), max_chars=600,
                        key=kept(KEY + "map_words"))
    words = tuple(dict.fromkeys(w for w in raw.replace(",", " ").split() if w))[: 2 * high]
    result = words_on_map(folder, name, words)
    if result is None:
        known = sum(1 for w in words if vectors.query_words(w)[:1] and
                    vectors.query_words(w)[0] in table.index)
        st.info(t("vectors.map_count", low=low, high=high, count=known))
        return
    st.markdown(t("vectors.map_title", model=display_name(name),
                  x_axis=t("vectors.map_axis", n=1, share=f"{result.explained[0]:.0%}"),
                  y_axis=t("vectors.map_axis", n=2, share=f"{result.explained[1]:.0%}")))
    st.image(word_map_svg(list(result.words), result.coordinates), width="content")
    st.caption(t("vectors.map_caption", dim=table.dim,
                 kept=f"{sum(result.explained):.0%}"))
    if result.unknown:
        st.caption(t("vectors.map_unknown",
                     words=escape_markdown(", ".join(result.unknown))))


# ---------------------------------------------------------------- 6. the pipeline as code
@st.cache_data(max_entries=8, show_spinner=False)
def pipeline_code(hyperparameters: dict) -> str | None:
    """The script behind a shipped model, or None when its manifest's settings are unusable."""
    try:
        return codegen.manifest_code(hyperparameters)
    except ValueError:
        return None


def pipeline_section(cards: dict) -> None:
    st.header(t("pipeline.heading"), anchor="code")
    st.markdown(linked(t("pipeline.intro")))
    pipeline_code_ui(cards)
    try:  # every number in the table comes from the manifests and results/review_lengths.json
        values = codegen.difference_values(cards, codegen.load_lengths())
    except ValueError:
        return  # no model with readable settings: nothing to compare the classic one with
    why = {row: f"pipeline.diff_{row}_why" for row in codegen.DIFFERENCES}
    if "share" not in values:
        why["length"] = "pipeline.diff_length_why_unmeasured"
    st.subheader(t("pipeline.diff_heading"))
    st.table(pd.DataFrame({  # a table, not a dataframe: the cells are sentences that wrap
        t("pipeline.col_course"): [t(f"pipeline.diff_{row}_course", **values) for row in
                                   codegen.DIFFERENCES],
        t("pipeline.col_classic"): [t(f"pipeline.diff_{row}_classic", **values) for row in
                                    codegen.DIFFERENCES],
        t("pipeline.col_why"): [t(why[row], **values) for row in codegen.DIFFERENCES],
    }, index=pd.Index([t(f"pipeline.diff_{row}") for row in codegen.DIFFERENCES],
                      name=t("pipeline.col_topic"))))


@st.fragment
def pipeline_code_ui(cards: dict) -> None:
    """The scripts, built only while their expander is open; it reruns only this."""
    box = lazy_expander(t("pipeline.show"), KEY + "pipeline", icon=":material/code:")
    with box:
        if box.open:
            pipeline_scripts(cards)


def pipeline_scripts(cards: dict) -> None:
    name = st.selectbox(t("pipeline.model_label"), list(cards), format_func=display_name,
                        key=kept(KEY + "code_model"))
    names = {"course": t("pipeline.tab_course"), "classic": t("pipeline.tab_classic")}
    if lazy_views(t("common.show_code"), list(names), KEY + "code_view",
                  names.__getitem__) == "classic":
        st.caption(t("pipeline.classic_note"))
        st.code(codegen.CLASSIC_CODE, language="python")
        return
    st.caption(t("pipeline.course_note", cell=cards[name]["cell"],
                 params=cards[name]["parameters"]))
    code = pipeline_code(cards[name].get("hyperparameters") or {})
    if code is None:
        st.error(t("pipeline.unavailable", name=display_name(name)))
    else:
        st.code(code, language="python")


@st.fragment
def review_section(folder: str) -> None:
    """A review picked or typed, each model's verdict and how it formed; a new review reruns
    only this part of the page."""
    st.header(t("sentiment.try_heading"), anchor="try")
    checked = user_text.check_review(review_input())
    report_findings(checked)
    with st.spinner(t("sentiment.loading")):
        usable, broken = loaded_models(folder)  # once per server
    for name in broken:
        st.error(t("sentiment.model_broken", name=display_name(name)))
    if checked.readable and usable and predict.ask("sentiment", "predict_verdict", checked.text):
        results = verdicts_ui(folder, checked.text, list(usable))
        predict.compare("sentiment", "predict_verdict", checked.text, outcomes.majority_verdict(
            [result.probability for result in results.values()]))
        if not any(r.words for r in results.values()):
            st.info(t("sentiment.nothing_left"))
        else:
            reading_ui(folder, checked.text, results)


st.title(t("sentiment.title"))
st.markdown(linked(t("sentiment.intro")))
folder = models_folder()
cards = manifests(folder)
if not cards:
    st.warning(t("sentiment.no_models"))
else:
    review_section(folder)
    usable, _ = loaded_models(folder)
    model_cards_ui(cards, benchmark(folder))
    st.header(t("sentiment.how_heading"), anchor="how")
    st.markdown(t("sentiment.how_text"))
    if usable:
        word_vectors_section(folder, list(usable), cards)
    pipeline_section(cards)
quiz_ui("sentiment")
