"""The comparison page in both languages: it opens, trains small settings, and survives gaps.

Trainings here use the smallest settings the widgets allow, so the file stays within a couple of
minutes on a 2-core CPU.
"""

import json

import pytest

from rnn_core.i18n import translate
from rnn_core.sentiment import registry
from tests.apptest import button, open_app


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_opens_with_sweep_chart_gradient_lab_and_quiz(lang):
    at = open_app(lang, "compare")
    assert at.title[0].value == translate("compare.title", lang)
    # parameter counts: formula and count_params() agree for all three cells
    lines = [m.value for m in at.markdown
             if m.value.startswith("**") and "count_params()" in m.value]
    assert len(lines) == 3 and all("✅" in line for line in lines), lines
    # the committed sweep is drawn, with how it ran; the gradient lab drew its metrics
    assert any("compare-sweep" in c.value for c in at.caption)
    assert len(at.metric) == 3
    assert translate("compare.sweep_title", lang) in _texts(at)  # the sweep's picture
    assert len(at.get("plotly_chart")) >= 1  # gradient norms
    assert at.header[-1].value == translate("quiz.heading", lang)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_side_by_side_training_fills_the_table(lang):
    at = open_app(lang, "compare")
    at.number_input(key="cmp:side_epochs").set_value(2)
    at.number_input(key="cmp:side_T").set_value(8)
    at.number_input(key="cmp:units").set_value(4)
    at.toggle(key="cmp:bidirectional").set_value(True).run()
    button(at, translate("compare.train_three", lang)).click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert len(table) == 3
    formula = table[translate("compare.col_formula", lang)].tolist()
    keras = table[translate("compare.col_keras", lang)].tolist()
    assert formula == keras


@pytest.mark.slow
def test_live_memory_run_and_clipping_demo_report():
    at = open_app("en", "compare")
    at.number_input(key="cmp:live_T").set_value(5)
    at.number_input(key="cmp:live_epochs").set_value(1).run()
    button(at, translate("compare.live_run", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "T = 5" in _texts(at)
    at.slider(key="cmp:radius").set_value(1.5).run()
    button(at, translate("compare.clip_run", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert "❌ **without clipping**" in texts and "✅ **with clipping**" in texts


def test_page_survives_a_missing_sweep_file(monkeypatch, tmp_path):
    from rnn_core.comparison import memory_task

    monkeypatch.setattr(memory_task, "SWEEP_FILE", tmp_path / "absent.json")
    at = open_app("en", "compare")
    assert any(w.value == translate("compare.sweep_missing", "en") for w in at.warning)


def _fake_models_folder(folder) -> None:
    """One readable manifest (lstm), one broken (gru), one without its .keras file (orphan)."""
    (folder / "lstm.json").write_text(json.dumps(
        {"cell": "lstm", "parameters": 1234, "file_bytes": 2_000_000,
         "test": {"accuracy": 0.87}}))
    (folder / "lstm.keras").write_bytes(b"x")
    (folder / "gru.json").write_text("{not json")
    (folder / "gru.keras").write_bytes(b"x")
    (folder / "orphan.json").write_text(json.dumps({"cell": "gru"}))
    latency = {"models": {"lstm": {"page_p50_ms": 12.5, "predict_p50_ms": 3.0}}}
    (folder / "benchmark.json").write_text(json.dumps(latency))


def test_imdb_table_reads_manifests_and_skips_broken_ones(tmp_path):
    _fake_models_folder(tmp_path)
    rows = registry.model_figures(tmp_path)
    assert rows == [{"name": "lstm", "cell": "lstm", "parameters": 1234, "file_bytes": 2_000_000,
                     "test_accuracy": 0.87, "latency_ms": 12.5}]
    assert registry.model_figures(tmp_path / "nothing") == []


def test_imdb_table_follows_the_models_folder_and_the_cards_latency(tmp_path, monkeypatch):
    """The page reads $RNN_LAB_IMDB_MODELS, like the sentiment page, and calls the page latency
    (verdict + word-by-word curve, what the sentiment card shows) its latency."""
    _fake_models_folder(tmp_path)
    monkeypatch.setenv(registry.MODELS_ENV, str(tmp_path))
    at = open_app("en", "compare")
    table = next(d.value for d in at.dataframe
                 if translate("compare.col_latency", "en") in d.value.columns)
    assert table[translate("compare.col_model", "en")].tolist() == ["lstm"]
    assert table[translate("compare.col_latency", "en")].tolist() == ["12.5"]


def test_the_measuring_machine_is_named_in_the_learners_language():
    """The results file says its accelerator is "none (CPU only)"; a Japanese page says なし."""
    at = open_app("ja", "compare")
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert "none (CPU only)" not in shown
    assert translate("attention.no_accelerator", "ja") in shown
