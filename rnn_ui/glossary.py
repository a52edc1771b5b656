"""Links from the course's text to its glossary page, in the learner's language."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from rnn_core import glossary
from rnn_ui.session import LEARNER, translator

PAGE = "glossary"  # the glossary's URL path (rnn_core.course)


def term_href(entry: glossary.Term) -> str:
    """The glossary page opened on ``entry``, keeping this session's language and learner."""
    params = {"term": entry.id, "lang": translator().lang}
    if LEARNER in st.session_state:
        params["learner"] = st.session_state[LEARNER]
    return f"./{PAGE}?{urlencode(params)}"


def linked(text: str) -> str:
    """``text`` (Markdown) with its first mention of each glossary term linked to the term."""
    return glossary.link_terms(text, translator().lang, term_href)
