"""Streamlit caching for the sentiment page: models once per server, explanations per text."""

from __future__ import annotations

import streamlit as st

from rnn_core import imdb_data, imdb_registry


@st.cache_resource(show_spinner=False)
def manifests() -> dict[str, dict]:
    """The shipped models' manifests (small JSON files; no model is loaded yet)."""
    return imdb_registry.manifests()


@st.cache_resource(show_spinner="Loading the sentiment models…")
def loaded_models() -> dict:
    """name → (Predictor, Explainer), loaded once per server process with safe_mode=True."""
    from rnn_core.imdb_explain import Explainer

    return {name: (predictor, Explainer(predictor))
            for name, predictor in imdb_registry.load_all().items()}


@st.cache_data(max_entries=128, show_spinner=False)
def explain(name: str, text: str):
    """One model's reading of one text (cached: the same example is read by many learners)."""
    _, explainer = loaded_models()[name]
    return explainer.explain(text)


@st.cache_data(ttl=3600, show_spinner=False)
def data_available() -> bool:
    """Whether the IMDB data can be found on this server (only the CLI's eval needs it)."""
    try:
        imdb_data.resolve_data_path()
    except imdb_data.DataNotFound:
        return False
    return True
