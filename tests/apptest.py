"""Helpers for AppTest tests: open the app on a page in a language, find widgets by label."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from rnn_core import course
from rnn_ui.predict import ASK
from tests.conftest import ROOT


def open_app(lang: str | None = "en", page: str | None = None, *, predict_first: bool = False,
             **params: str) -> AppTest:
    """Run router.py (``?lang=`` and other query parameters set), then switch to the course page.

    ``predict_first``: the session's "predict before I see results" switch (off unless a test
    is about predictions, so the other tests see every result at once). Fails the test if the
    page raised.
    """
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.session_state[ASK] = predict_first
    if lang is not None:
        at.query_params["lang"] = lang
    at.query_params.update(params)
    at.run()
    if page is not None:
        at.switch_page(course.page(page).file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    """The first button whose label is ``label``."""
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}"
    return matches[0]


def open_lazy(at: AppTest, key: str, value: object = True) -> AppTest:
    """Open the lazy expander (or pick the lazy view, ``value`` its name) keyed ``key``, as a
    learner's click would, and rerun; fails the test if the page raised."""
    at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(markdown: str) -> str:
    """``markdown`` with its links (the glossary's) reduced to their text."""
    return _LINK.sub(r"\1", markdown)
