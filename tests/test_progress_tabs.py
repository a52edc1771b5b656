"""Two browser tabs (two AppTest sessions) of one learner: each tab's answers are kept, a tab
takes back what the other saved, a reset is not undone by a stale tab, and the app writes to
the database a deployment configures (``RNN_LAB_PROGRESS_URL`` through ``st.connection``)."""

import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from rnn_core.i18n import translate
from rnn_core.study import progress, quiz, records
from rnn_ui import session
from tests.apptest import button, open_app
from tests.postgres import new_database, postgres_url  # noqa: F401 (a fixture)

FUNDAMENTALS = quiz.load_quiz("fundamentals")
SINGLE = [question for question in FUNDAMENTALS.questions if question.kind == "single"]


def _answer(at: AppTest, question: quiz.Question, right: bool = True) -> AppTest:
    choice = question.answer if right else (question.answer + 1) % len(question.choices)
    at.radio(key=f"quiz:fundamentals:{question.id}:input").set_value(choice)
    checks = [b for b in at.button if b.label == translate("quiz.check", "en")]
    checks[FUNDAMENTALS.questions.index(question)].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _answered_on_progress_page(code: str) -> str:
    at = open_app("en", "progress", learner=code)
    table = at.dataframe[0].value.set_index(translate("progress.col_page", "en"))
    return table.loc[translate("nav.fundamentals", "en"), translate("progress.col_answered", "en")]


def test_two_tabs_of_one_learner_keep_both_answers():
    """Tab A answers question 1, tab B (opened before, never reloaded) question 2: a new tab
    shows both, and so does the store; B took back A's answer when it saved."""
    code = progress.new_learner_code()
    tab_a = open_app("en", "fundamentals", learner=code)
    tab_b = open_app("en", "fundamentals", learner=code)
    _answer(tab_a, SINGLE[0])
    _answer(tab_b, SINGLE[1], right=False)
    assert set(tab_b.session_state["answers"]["fundamentals"]) == {SINGLE[0].id, SINGLE[1].id}
    stored = progress.ProgressStore().load(code)["fundamentals"]
    assert records.status(SINGLE[0], stored[SINGLE[0].id]) == "first_try"
    assert records.status(SINGLE[1], stored[SINGLE[1].id]) == "trying"
    assert _answered_on_progress_page(code) == f"2 / {len(FUNDAMENTALS.questions)}"


def test_the_progress_page_counts_what_another_tab_saved_since():
    code = progress.new_learner_code()
    tab_a = open_app("en", "fundamentals", learner=code)
    tab_b = open_app("en", "progress", learner=code)
    _answer(tab_a, SINGLE[0])
    tab_b.run()  # the learner comes back to tab B's Progress page
    assert SINGLE[0].id in tab_b.session_state["answers"]["fundamentals"]


def test_a_reset_is_not_undone_by_a_tab_opened_before_it():
    """Tab B saw question 1 answered; tab A then resets. B's next answer (question 2) is
    stored, but B does not bring question 1 back."""
    code = progress.new_learner_code()
    tab_a = open_app("en", "fundamentals", learner=code)
    _answer(tab_a, SINGLE[0])
    tab_b = open_app("en", "fundamentals", learner=code)
    assert SINGLE[0].id in tab_b.session_state["answers"]["fundamentals"]
    reset = open_app("en", "progress", learner=code)
    reset.checkbox(key="progress:sure").check().run()
    button(reset, translate("progress.reset_button", "en")).click().run()
    assert progress.ProgressStore().load(code) == {}
    _answer(tab_b, SINGLE[1])
    assert set(progress.ProgressStore().load(code)["fundamentals"]) == {SINGLE[1].id}
    assert set(tab_b.session_state["answers"]["fundamentals"]) == {SINGLE[1].id}


@pytest.fixture
def configured_url(request, tmp_path, monkeypatch):
    """``RNN_LAB_PROGRESS_URL`` set to a SQLite file or a PostgreSQL database, and the app's
    store opened afresh (and again after the test, on the default)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'configured.sqlite3'}"
    else:
        url = new_database(request.getfixturevalue("postgres_url"))
    monkeypatch.setenv(session.URL_ENV, url)
    session._open_store.clear()
    yield url
    session._open_store.clear()


@pytest.mark.parametrize("configured_url", ["sqlite", "postgresql"], indirect=True)
def test_the_app_saves_to_the_configured_database(configured_url):
    code = progress.new_learner_code()
    _answer(open_app("en", "fundamentals", learner=code), SINGLE[0])
    elsewhere = progress.ProgressStore(create_engine(configured_url))  # another server
    assert set(elsewhere.load(code)["fundamentals"]) == {SINGLE[0].id}
    assert progress.ProgressStore().load(code) == {}  # not the default SQLite file
    elsewhere.save(code, {"fundamentals": {SINGLE[1].id: records.add_try(None, 0, 1.0)}})
    assert _answered_on_progress_page(code) == f"2 / {len(FUNDAMENTALS.questions)}"


def test_an_answer_whose_save_failed_is_sent_again_with_the_next_save(monkeypatch):
    """The database is down for one save: the page warns, keeps the answer, and the next save
    (once the database is back) sends everything, so nothing is lost."""
    from sqlalchemy.exc import OperationalError

    save, calls = progress.ProgressStore.save, []

    def down_once(store, code, answers):
        calls.append(answers)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("the database is down"))
        return save(store, code, answers)

    monkeypatch.setattr(progress.ProgressStore, "save", down_once)
    code = progress.new_learner_code()
    tab = _answer(open_app("en", "fundamentals", learner=code), SINGLE[0])
    assert tab.session_state[session.STORE_FAILED]
    _answer(tab, SINGLE[1])
    assert set(calls[1]["fundamentals"]) == {SINGLE[0].id, SINGLE[1].id}
    assert set(progress.ProgressStore().load(code)["fundamentals"]) == {SINGLE[0].id,
                                                                       SINGLE[1].id}
    assert session.STORE_FAILED not in tab.session_state
    _answer(tab, SINGLE[2])  # healthy again: one record per save
    assert set(calls[2]["fundamentals"]) == {SINGLE[2].id}


def test_a_progress_connection_in_secrets_toml_is_the_store(tmp_path, monkeypatch):
    """`[connections.progress] url = ...` in a secrets.toml opens the store on that database
    through st.connection; without the file, the default SQLite file. (AppTest's own
    ``at.secrets`` does not reach st.connection, so a real file is pointed at.)"""
    from streamlit import config
    from streamlit.runtime.secrets import secrets_singleton

    monkeypatch.delenv(session.URL_ENV, raising=False)
    script = ("import streamlit as st\nfrom rnn_ui import session\n"
              "st.text(str(session.progress_store().engine.url))\n")
    url = f"sqlite:///{tmp_path / 'from-secrets.sqlite3'}"
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(f'[connections.progress]\nurl = "{url}"\n')
    shown = {}
    for case, files in (("configured", [str(secrets_file)]), ("default", [])):
        default_files = config.get_option("secrets.files")
        config.set_option("secrets.files", files)
        secrets_singleton._reset()
        session._open_store.clear()
        try:
            at = AppTest.from_string(script, default_timeout=60)
            at.run()
            assert not at.exception
            shown[case] = at.text[0].value
        finally:
            config.set_option("secrets.files", default_files)
            secrets_singleton._reset()
            session._open_store.clear()
    assert shown["configured"] == url
    assert shown["default"].endswith("/progress.sqlite3")
