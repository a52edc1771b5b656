"""Per-browser-session state: the language, the learner code and the quiz answers.

``st.session_state`` is the source of truth during a session; the URL mirrors it
(``?lang=ja&learner=…``) so that a reload or a shared link restores both. A first visit without
``?lang=`` gets the browser's language (``st.context.locale``: Japanese for "ja-JP"); the URL and
the sidebar's switch always win over it. Answers are saved under the learner code
(``rnn_core.study.progress_store``): in a SQLite file of this server by default, or in the SQL
database a deployment names as the ``progress`` connection (``st.connection``), which several
servers can share. Saves merge per answer, so two tabs of one learner lose nothing.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from rnn_core.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, preferred_language
from rnn_core.runtime import memory
from rnn_core.study import progress

LOG = logging.getLogger(__name__)
LANG = "lang"
LEARNER = "learner"
ANSWERS = "answers"
STORE_FAILED = "progress_store_failed"
CONNECTION = "progress"  # [connections.progress] in .streamlit/secrets.toml
URL_ENV = "RNN_LAB_PROGRESS_URL"  # or an SQLAlchemy URL in the environment
SECRET_KEY = "progress_secret"  # st.secrets["progress_secret"] (or the environment's) signs files
STORE_ERRORS = (OSError, SQLAlchemyError)


def progress_store() -> progress.ProgressStore | None:
    """The server's store; ``None`` when it cannot be opened (tried again on the next call,
    so a database that was down at start is picked up once it is back)."""
    try:
        return _open_store()
    except STORE_ERRORS as error:
        LOG.warning("progress store unavailable: %s", error)
        return None


@st.cache_resource(show_spinner=False)
def _open_store() -> progress.ProgressStore:
    """One store per server process, on the configured database or the local SQLite file."""
    return progress.ProgressStore(_configured_engine())


def _configured_engine() -> Engine | None:
    """The ``progress`` connection's engine when a deployment configures one, else ``None``
    (the SQLite file). The environment's URL wins over ``secrets.toml``."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        return st.connection(CONNECTION, type="sql", url=url).engine
    if CONNECTION in _secret("connections", {}):
        return st.connection(CONNECTION, type="sql").engine
    return None


def _secret(key: str, default: object = None) -> object:
    """A value of ``.streamlit/secrets.toml`` (``default`` when there is no such file)."""
    if not st.secrets.load_if_toml_exists():
        return default
    return st.secrets.get(key, default)


def progress_secret() -> str | None:
    """The secret that signs downloaded progress files, if this server has one."""
    secret = _secret(SECRET_KEY) or os.environ.get(progress.SECRET_ENV, "")
    return str(secret).strip() or None


class _SessionEnd:
    """Held in session state only to be dropped with it (``rnn_core.runtime.memory``)."""


def init_session() -> None:
    """Read language and learner code from the URL on a session's first run; mirror them after.
    The first run also arranges for the server to give the session's memory back once
    Streamlit drops the session (a closed tab, a couple of minutes after it disconnects)."""
    state = st.session_state
    if SESSION_END not in state:
        state[SESSION_END] = _SessionEnd()
        memory.release_when_gone(state[SESSION_END])
    if LANG not in state:
        state[LANG] = preferred_language(st.query_params.get_all(LANG), st.context.locale)
    if LEARNER not in state:
        code = st.query_params.get(LEARNER)
        store = progress_store()
        if progress.is_learner_code(code) and store is not None:
            state[LEARNER], state[ANSWERS] = code, _load(store, code)
        else:
            state[LEARNER], state[ANSWERS] = progress.new_learner_code(), {}
    _mirror_to_url()


def _load(store: progress.ProgressStore, code: str) -> progress.Answers:
    try:
        return store.load(code)
    except STORE_ERRORS as error:
        LOG.warning("could not load progress: %s", error)
        return {}


def _mirror_to_url() -> None:
    wanted = {LANG: st.session_state[LANG], LEARNER: st.session_state[LEARNER]}
    for name, value in wanted.items():
        if st.query_params.get_all(name) != [value]:
            st.query_params[name] = value


def translator() -> Translator:
    """The translator for this session's language."""
    return Translator(st.session_state.get(LANG, "en"))


def language_switch() -> None:
    """The sidebar's language radio; a change rewrites the URL and reruns in the new language."""

    def switch() -> None:
        st.session_state[LANG] = st.session_state["lang_switch"]
        st.query_params[LANG] = st.session_state[LANG]

    if st.session_state.get("lang_switch") != st.session_state[LANG]:
        st.session_state["lang_switch"] = st.session_state[LANG]  # e.g. the URL chose it
    st.sidebar.radio(
        translator()("common.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
        key="lang_switch",
        on_change=switch,
    )


def answers() -> progress.Answers:
    return st.session_state.setdefault(ANSWERS, {})


def replace_answers(new_answers: progress.Answers) -> None:
    """Set all answers (upload, reset) and store exactly them under the learner code."""
    state = st.session_state
    state[ANSWERS] = new_answers
    store = progress_store()
    if store is None:
        state[STORE_FAILED] = True
        return
    try:
        store.replace(state[LEARNER], new_answers)
    except STORE_ERRORS as error:
        LOG.warning("could not save progress: %s", error)
        state[STORE_FAILED] = True
        return
    state.pop(STORE_FAILED, None)


def save_answers(page: str | None = None, item: str | None = None) -> None:
    """Merge this session's record of ``item`` on ``page`` (all its answers if not given) into
    the store, and take back what this learner's other tabs saved meanwhile.

    Sending one record, not the whole session, means a tab that was open before another one
    reset the progress brings back only what it answers now. A failing store only costs
    persistence, never the page; until a save succeeds again, every save sends everything.
    """
    state = st.session_state
    mine = answers()
    record = mine.get(page, {}).get(item)
    everything = record is None or state.get(STORE_FAILED)
    sent = mine if everything else {page: {item: record}}
    if _take_back(lambda store: store.save(state[LEARNER], sent)) and everything:
        state.pop(STORE_FAILED, None)  # the store holds all this session's answers again


def refresh_answers() -> None:
    """Take back what this learner's other tabs (or servers) stored (the Progress page calls
    it, so its table counts the answers of every tab)."""
    _take_back(lambda store: store.load(st.session_state[LEARNER]))


def _take_back(read: Callable[[progress.ProgressStore], progress.Answers]) -> bool:
    """This session's answers become what ``read`` returns from the store, which holds every
    save of this session; while saves fail, what the store holds is merged in instead.
    Whether the store answered."""
    state = st.session_state
    store = progress_store()
    if store is None:
        state[STORE_FAILED] = True
        return False
    try:
        stored = read(store)
    except STORE_ERRORS as error:
        LOG.warning("could not save or load progress: %s", error)
        state[STORE_FAILED] = True
        return False
    if state.get(STORE_FAILED):  # answers of this session may be missing from the store
        stored = progress.merge_answers(answers(), stored)
    state[ANSWERS] = stored
    return True


def restore_learner(code: str) -> int | None:
    """Switch this session to another learner code (typed on the Progress page); how many
    answers were stored under it (0 for a code never used), or ``None`` if it is not a code."""
    store = progress_store()
    if not progress.is_learner_code(code) or store is None:
        return None
    st.session_state[LEARNER], st.session_state[ANSWERS] = code, _load(store, code)
    _mirror_to_url()
    return sum(len(page) for page in st.session_state[ANSWERS].values())


SESSION_ID = "session_id"
SESSION_END = "session_end"  # see init_session


def session_id() -> str:
    """A random id of this browser session."""
    return st.session_state.setdefault(SESSION_ID, secrets.token_hex(8))


def learner_id() -> str:
    """Who this learner is across their tabs: the learner code (a second tab of the same link
    shares it), else this session's id. The training slot names its holder by it, so a run
    started in the learner's other tab is called their own, not another learner's."""
    return st.session_state.get(LEARNER) or session_id()


KEPT = "kept_widget_keys"


def kept(key: str) -> str:
    """``key``, registered as a widget whose value this session keeps when the learner visits
    another page and comes back (pass it as the widget's ``key``).

    Streamlit drops the state of every widget a script run does not draw, so without this a
    page's settings are back to their defaults after a visit elsewhere. Only value widgets
    (inputs, selections, toggles, sliders) may be registered: a button's, an upload's or a data
    editor's state cannot be written back.
    """
    st.session_state.setdefault(KEPT, set()).add(key)
    return key


def keep_widget_values() -> None:
    """Write every kept widget's value back before the page runs (the router calls this on every
    run), which tells Streamlit the value is the session's own and must not be dropped."""
    for key in st.session_state.get(KEPT, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
