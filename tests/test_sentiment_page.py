"""The sentiment page in both languages (AppTest): verdicts, trajectory, cards, bad inputs, quiz."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("keras")

from rnn_core import i18n
from rnn_core.sentiment import dataset, registry, user_text
from rnn_core.study.quiz import load_quiz
from tests.apptest import open_app, open_lazy

SHIPPED = registry.manifests(registry.MODELS_DIR)


@pytest.fixture(scope="module", autouse=True)
def models_folder(tmp_path_factory):
    """The shipped models; tiny random ones where none are shipped (a checkout in progress)."""
    if SHIPPED:
        yield registry.MODELS_DIR
        return
    from tests.test_imdb_models import tiny_model

    folder = tmp_path_factory.mktemp("page_models")
    for cell in ("gru", "bigru"):
        tiny_model(cell, folder)
    for cell in ("gru", "bigru"):  # the page needs the card fields the trainer writes
        manifest = fake_manifest(cell, (folder / f"{cell}.keras").stat().st_size)
        if cell == "bigru":
            manifest["pretraining"] = {"method": "word2vec", "reviews": 3, "unlabeled_reviews": 2,
                                       "train_fit_reviews": 1, "vocabulary_coverage": 0.5}
        (folder / f"{cell}.json").write_text(json.dumps(manifest))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(registry.MODELS_ENV, str(folder))
        yield folder


def fake_manifest(cell: str, size: int) -> dict:
    return {"name": cell, "cell": cell, "parameters": 1, "file_bytes": size, "epochs_run": 1,
            "best_epoch": 1, "vocabulary_size": 30, "fit_seconds": 1.0, "date": "2026-01-01",
            "hyperparameters": {"units": 6, "embedding_dim": 8, "max_len": 12},
            "validation": {"accuracy": 0.5, "n": 2},
            "test": {"accuracy": 0.5, "n": 4, "true_neg": 1, "false_pos": 1, "false_neg": 1,
                     "true_pos": 1},
            "misclassified_validation": [{"text": "<b>not html</b>", "label": 1,
                                          "probability": 0.1, "name": "pos/1_8"}],
            "hardware": {"device": "CPU", "name": "test"},
            "versions": {"tensorflow": "x", "keras": "y"}}


def page(lang: str, **params):
    return open_app(lang, "sentiment", **params)


def texts(elements) -> list[str]:
    return [str(element.value) for element in elements]


def set_text(at, text: str):
    at.text_area(key="sent:text").set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_reads_the_first_example_in_both_languages(lang):
    at = page(lang)
    t = i18n.Translator(lang)
    assert at.title[0].value == t("sentiment.title")
    names = list(registry.manifests())
    verdicts = [m for m in at.metric if m.label in {
        "SimpleRNN", "LSTM", "GRU", "Bidirectional GRU", "Bidirectional LSTM"}]
    assert len(verdicts) == len(names)
    assert all(m.value.endswith("%") for m in verdicts)
    assert at.get("plotly_chart"), "no word-by-word chart"
    assert t("sentiment.cards_heading") in texts(at.header)
    pretrained = t("sentiment.card_pretrained", reviews="\0", unlabeled=0, fit=0,
                   coverage="").split("\0")[0]  # the card's text up to its first number
    for name, manifest in registry.manifests().items():  # only the card shown is drawn
        open_lazy(at, "sent:card", name)
        matrices = [table.value for table in at.table if
                    f"{t('sentiment.predicted')}: {t('sentiment.label_positive')}" in table.value]
        assert len(matrices) == 1, name  # the card's confusion matrix, no other card's
        counts = matrices[0].map(lambda cell: int(str(cell).replace(",", ""))).to_numpy()
        assert counts.sum() == manifest["test"]["n"]  # every test review counted once
        accuracy = counts.trace() / counts.sum()
        assert accuracy == pytest.approx(manifest["test"]["accuracy"], abs=5e-5)
        starts = [md for md in texts(at.markdown)
                  if md.startswith(pretrained) or md == t("sentiment.card_random_start")]
        assert len(starts) == 1, name  # the card says how its embedding started
    assert at.text_area(key="sent:text").value == user_text.EXAMPLES["positive"]
    assert any(h == i18n.Translator(lang)("quiz.heading") for h in texts(at.header))
    if SHIPPED:  # the trained models agree that the positive example is positive
        assert all(float(m.value.rstrip("%")) > 50 for m in verdicts)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_example_and_model_colouring_runs(lang):
    at = page(lang)
    for example in user_text.EXAMPLES:
        at.selectbox(key="sent:example").set_value(example).run()
        assert not at.exception, example
        assert at.text_area(key="sent:text").value == user_text.EXAMPLES[example]
    model_box = at.selectbox(key="sent:model")
    for name in model_box.options[-1:]:
        at.selectbox(key="sent:model").set_value(model_box.options[-1]).run()
        assert not at.exception, name
    if SHIPPED:
        at.selectbox(key="sent:example").set_value("negative").run()
        assert all(float(m.value.rstrip("%")) < 50 for m in at.metric
                   if m.label in ("LSTM", "GRU", "Bidirectional GRU"))


@pytest.mark.parametrize("raw", ["", "   \n\t "])
def test_empty_input_says_what_to_do(raw):
    at = set_text(page("en"), raw)
    assert i18n.Translator("en")("sentiment.input_empty") in texts(at.info)
    assert not [c for c in at.get("plotly_chart") if "trajectory" in c.proto.id]  # no curve


def test_a_megabyte_is_bounded_and_said_so():
    at = set_text(page("en"), "a great film " * 80_000)
    assert any("1,040,000" in w and "10,000" in w for w in texts(at.warning))
    assert any(m.value.endswith("%") for m in at.metric)


def test_binary_junk_is_survived():
    junk = "".join(chr(c) for c in range(1, 32)) * 40 + "\ufffd" * 100 + " ok"
    at = set_text(page("en"), junk)
    assert i18n.Translator("en")("sentiment.input_binary") in texts(at.warning)


def test_html_and_script_are_never_rendered():
    at = set_text(page("en"), "<script>alert('x')</script><b>Great</b> movie <img src=x>")
    assert i18n.Translator("en")("sentiment.input_markup") in texts(at.warning)
    rendered = " ".join(texts(at.markdown))
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    open_lazy(at, "sent:model_saw")
    assert "great movie" in " ".join(texts(at.text))  # what the model saw: tags gone


def test_japanese_input_is_explained_in_japanese():
    at = page("ja")
    at.selectbox(key="sent:example").set_value("japanese").run()
    assert i18n.Translator("ja")("sentiment.input_non_english") in texts(at.warning)
    assert any(m.value.endswith("%") for m in at.metric)  # still shown, with the warning


def test_missing_data_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv(dataset.DATA_ENV, str(tmp_path / "no-data-here"))
    at = page("ja")
    assert i18n.Translator("ja")("sentiment.no_data") in texts(at.info)


def test_quiz_has_the_required_topics_and_embedding_answer_matches_keras():
    import keras

    quiz = load_quiz("sentiment")
    assert len(quiz.questions) >= 8
    ids = {q.id for q in quiz.questions}
    assert {"embedding_params", "lstm_forget_gate", "many_to_one", "padding_truncation",
            "why_bidirectional", "dropout_cudnn"} <= ids
    layer = keras.layers.Embedding(20000, 64)
    layer.build((None, None))
    assert layer.count_params() == quiz.question("embedding_params").answer


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad_manifest"])
def test_a_damaged_model_file_costs_only_that_model(monkeypatch, tmp_path, damage):
    """Copy two shipped models; damage one. The other still answers; the page says which broke."""
    import shutil

    from rnn_core.sentiment import registry

    shipped = registry.models_dir()
    for name in ("gru", "lstm"):
        for suffix in (".keras", ".json"):
            shutil.copy(shipped / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    broken = tmp_path / "lstm.keras"
    if damage == "truncated":
        broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 3])
    elif damage == "garbage":
        broken.write_bytes(b"\x00\x01 not a zip file " * 100)
    else:
        (tmp_path / "lstm.json").write_text("{ not json", encoding="utf-8")
    monkeypatch.setenv(registry.MODELS_ENV, str(tmp_path))
    at = page("en")
    assert not at.exception
    names = [m.label for m in at.metric]
    assert "GRU" in names and "LSTM" not in names
    if damage != "bad_manifest":  # an unreadable manifest simply hides the model
        assert i18n.Translator("en")("sentiment.model_broken", name="LSTM") in texts(at.error)
