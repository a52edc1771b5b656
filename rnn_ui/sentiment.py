"""Streamlit caching of the shipped sentiment models: models once per server, explanations per
text, their figures for the sentiment and comparison pages.

Every cached function takes the models folder as an argument (``$RNN_LAB_IMDB_MODELS`` or the
shipped ``models/imdb``), so the cache key changes with it.
"""

from __future__ import annotations

import os

import streamlit as st

from rnn_core.sentiment import dataset, registry


def models_folder() -> str:
    return str(registry.models_dir())


@st.cache_resource(show_spinner=False)
def manifests(folder: str) -> dict[str, dict]:
    """The models' manifests (small JSON files; no model is loaded yet)."""
    return registry.manifests(folder)


@st.cache_resource(show_spinner=False)
def benchmark(folder: str) -> dict:
    return registry.load_benchmark(folder)


@st.cache_data(show_spinner=False)
def model_figures(folder: str) -> list[dict]:
    """One summary row per shipped model (manifest figures and page latency)."""
    return registry.model_figures(folder)


@st.cache_resource(show_spinner=False)
def loaded_models(folder: str) -> tuple[dict, dict[str, str]]:
    """(name → Explainer, name → why it failed): loaded once per server, safe_mode=True."""
    from rnn_core.sentiment.explain import Explainer

    usable, broken = registry.load_usable(folder)
    return {name: Explainer(predictor) for name, predictor in usable.items()}, broken


@st.cache_data(max_entries=128, show_spinner=False)
def explain(folder: str, name: str, text: str):
    """One model's reading of one text (cached: the same example is read by many learners)."""
    return loaded_models(folder)[0][name].explain(text)


def data_available() -> bool:
    """Whether the IMDB data can be found on this server (only the CLI's eval needs it)."""
    return _data_available(os.environ.get(dataset.DATA_ENV))


@st.cache_data(ttl=3600, show_spinner=False)
def _data_available(setting: str | None) -> bool:  # the setting is the cache key
    try:
        dataset.resolve_data_path(setting)
    except dataset.DataNotFound:
        return False
    return True


@st.cache_resource(show_spinner=False)
def gate_readers(folder: str) -> dict:
    """name → GateReader for every loaded unidirectional model (built once per server)."""
    from rnn_core.sentiment.gates import READABLE, GateReader

    return {name: GateReader(explainer.predictor.model)
            for name, explainer in loaded_models(folder)[0].items() if name in READABLE}


@st.cache_data(max_entries=64, show_spinner=False)
def gate_reading(folder: str, name: str, text: str):
    """One model's gates and states over one text (cached per text, like the explanations)."""
    return gate_readers(folder)[name].read(text)
