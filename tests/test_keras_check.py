"""While TensorFlow is still importing (a freshly started server's warm-up), pages draw at once
with a note in place of each Keras check, and show the check once the import is done."""

from __future__ import annotations

import sys
import types

import pytest

from rnn_core.i18n import translate
from rnn_ui import keras_check
from tests.apptest import open_app


@pytest.fixture
def keras_still_importing(monkeypatch):
    """``keras`` as Python shows it to other threads mid-import; ``done()`` finishes it."""
    import keras  # the real one: loaded once the fake import "finishes"

    fake = types.ModuleType("keras")
    fake.__spec__ = types.SimpleNamespace(name="keras", _initializing=True)
    monkeypatch.setitem(sys.modules, "keras", fake)
    return lambda: monkeypatch.setitem(sys.modules, "keras", keras)


def _notes(at) -> int:
    note = translate("common.keras_loading", "en")
    return sum(info.value == note for info in at.info)


def test_only_an_import_under_way_counts_as_not_ready(keras_still_importing):
    assert keras_check.keras_importing()
    keras_still_importing()
    assert not keras_check.keras_importing()


def test_the_step_through_waits_for_tensorflow_without_holding_the_page(keras_still_importing):
    at = open_app("en", "fundamentals")
    matched = translate("fundamentals.keras_match", "en", difference="")[:40]
    assert _notes(at) == 2  # the step-through's check and the shapes table's Keras rows
    assert not any(s.value.startswith(matched) for s in at.success)
    assert "h_{1,1}" in "\n".join(element.value for element in at.latex)  # the rest is drawn
    keras_still_importing()
    at.run()
    assert _notes(at) == 0
    assert any(s.value.startswith(matched) for s in at.success)


def test_the_gate_step_through_waits_the_same_way(keras_still_importing):
    at = open_app("en", "gates")
    assert _notes(at) == 1
    keras_still_importing()
    at.run()
    assert _notes(at) == 0 and not at.exception


def test_the_checks_wait_while_the_warm_up_is_yet_to_import_keras():
    """A fresh server's warm-up imports Keras once the learners are quiet; until then a page
    shows the note rather than importing it on the learner's click."""
    from rnn_ui import warmup

    warmup.TENSORFLOW_PENDING.set()
    try:
        at = open_app("en", "fundamentals")
        assert _notes(at) == 2 and not at.exception
    finally:
        warmup.TENSORFLOW_PENDING.clear()
    at.run()
    assert _notes(at) == 0
