"""Sentiment analysis: trained RNNs read a movie review word by word; model cards and a quiz.

The models are the shipped ``models/imdb/*.keras`` files (trained on IMDB with
``rnn-lab train-imdb``), loaded once per server. Every number on the model cards was computed at
training time and stored in the manifests, so the page never reads the dataset.
"""

import streamlit as st

from rnn_core import outcomes
from rnn_core.cells import display_name
from rnn_core.sentiment import user_text
from rnn_core.sentiment.figures import (
    coloured_words,
    confusion_figure,
    escape_markdown,
    trajectory_figure,
)
from rnn_core.sentiment.registry import latency_ms
from rnn_ui import predict
from rnn_ui.glossary import linked
from rnn_ui.quiz import quiz_ui
from rnn_ui.sentiment import (
    benchmark,
    data_available,
    explain,
    loaded_models,
    manifests,
    models_folder,
)
from rnn_ui.session import translator

t = translator()
KEY = "sent:"


def use_example() -> None:
    """Copy the chosen example into the text box (a callback, so the box can still be edited)."""
    example = st.session_state[KEY + "example"]
    st.session_state[KEY + "text"] = user_text.EXAMPLES[example]


def review_input() -> str:
    st.selectbox(t("sentiment.example_label"), list(user_text.EXAMPLES), key=KEY + "example",
                 format_func=lambda name: t(f"sentiment.example_{name}"), on_change=use_example)
    if KEY + "text" not in st.session_state:
        use_example()
    return st.text_area(t("sentiment.text_label"), key=KEY + "text", height=150,
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


def trajectory_ui(results: dict) -> None:
    st.header(t("sentiment.trajectory_heading"), anchor="trajectory")
    st.markdown(t("sentiment.trajectory_intro"))
    series = {name: (r.words, r.probabilities) for name, r in results.items()}
    st.plotly_chart(trajectory_figure(series, t("sentiment.trajectory_title"),
                                      t("sentiment.trajectory_x"), t("sentiment.trajectory_y")),
                    width="stretch", key=KEY + "trajectory")
    if any(name.startswith("bi") for name in results):
        st.caption(t("sentiment.bidirectional_note"))
    name = st.selectbox(t("sentiment.colour_model"), list(results), key=KEY + "model",
                        format_func=display_name)
    result = results[name]
    st.markdown(t("sentiment.colour_legend"))
    with st.container(border=True):
        st.markdown(coloured_words(result.words, result.deltas, result.in_vocabulary))
    if result.truncated:
        key = "sentiment.truncated_last" if result.keep == "last" else "sentiment.truncated"
        st.warning(t(key, seen=result.max_len, total=result.total_words))
    st.markdown(t("sentiment.oov_share", share=f"{result.oov_share:.0%}"))
    with st.expander(t("sentiment.what_model_saw"), icon=":material/visibility:"):
        st.text(" ".join(result.words))
        rows = [{t("sentiment.col_word"): w, t("sentiment.col_known"): known,
                 t("sentiment.col_delta"): round(d, 4)}
                for w, known, d in zip(result.words, result.in_vocabulary, result.deltas,
                                       strict=True)]
        st.dataframe(rows, hide_index=True, width="stretch")


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
        st.plotly_chart(confusion_figure(test, labels, t("sentiment.predicted"),
                                         t("sentiment.actual")),
                        width="stretch", key=f"{KEY}confusion:{name}")
    st.markdown(t("sentiment.misclassified_heading"))
    for review in manifest.get("misclassified_validation", [])[:3]:
        label = t("sentiment.label_positive" if review["label"] else "sentiment.label_negative")
        st.caption(t("sentiment.misclassified_line", label=label,
                     probability=f"{review['probability']:.1%}"))
        st.text(review["text"])


def model_cards_ui(cards: dict, bench: dict) -> None:
    st.header(t("sentiment.cards_heading"), anchor="model-cards")
    st.markdown(t("sentiment.cards_intro"))
    if not data_available():
        st.info(t("sentiment.no_data"))
    tabs = st.tabs([display_name(name) for name in cards])
    for tab, (name, manifest) in zip(tabs, cards.items(), strict=True):
        with tab:
            model_card(name, manifest, bench)
    if bench:
        st.caption(t("sentiment.bench_caption", rss=f"{bench['rss_all_loaded_mib']:.0f}",
                     words=bench["review_words"]))


st.title(t("sentiment.title"))
st.markdown(linked(t("sentiment.intro")))
folder = models_folder()
cards = manifests(folder)
if not cards:
    st.warning(t("sentiment.no_models"))
else:
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
            trajectory_ui(results)
    model_cards_ui(cards, benchmark(folder))
    st.header(t("sentiment.how_heading"), anchor="how")
    st.markdown(t("sentiment.how_text"))
quiz_ui("sentiment")
