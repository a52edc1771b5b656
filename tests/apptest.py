"""Helpers for AppTest tests: open the app on a page in a language, find widgets by label."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from rnn_core import course
from tests.conftest import ROOT


def open_app(lang: str | None = "en", page: str | None = None, **params: str) -> AppTest:
    """Run router.py (``?lang=`` and other query parameters set), then switch to the course page.

    Fails the test if the page raised.
    """
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
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
