"""The learner-code store on SQLite (the default) and on a real PostgreSQL server: two tabs or
two servers writing one learner's answers keep both, threads writing at once lose nothing."""

import threading

import pytest
from sqlalchemy import create_engine, text

from rnn_core.study import progress, quiz, records
from rnn_core.study.progress_store import ProgressStore
from tests.postgres import new_database, postgres_url  # noqa: F401 (a fixture)

FUNDAMENTALS = quiz.load_quiz("fundamentals")
SINGLE = [question for question in FUNDAMENTALS.questions if question.kind == "single"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "progress.sqlite3"
    return new_database(request.getfixturevalue("postgres_url"))


def _engine(database):
    """A new engine on ``database``: what another app server opens."""
    if isinstance(database, str):
        return create_engine(database, pool_size=8)
    return create_engine(f"sqlite:///{database}", connect_args={"timeout": 30})


def _tab(number: int):
    """One tab's (right) answer to the ``number``-th single-choice question."""
    question = SINGLE[number]
    return {"fundamentals": {question.id: records.add_try(None, question.answer, 10.0)}}


def test_two_servers_on_one_database_see_one_learners_progress(database):
    """Server A stores question 1, server B question 2 (each its own engine and store): a
    third server, opened afterwards, sees both; neither save removed the other's answer."""
    server_a, server_b = ProgressStore(_engine(database)), ProgressStore(_engine(database))
    code = progress.new_learner_code()
    server_a.save(code, _tab(0))
    after_b = server_b.save(code, _tab(1))
    assert set(after_b["fundamentals"]) == {SINGLE[0].id, SINGLE[1].id}
    server_c = ProgressStore(_engine(database))
    assert server_c.load(code) == records.merge_answers(_tab(0), _tab(1))


def test_two_tabs_answering_one_question_merge_their_tries_and_reveal(database):
    """Tab A tried a wrong answer then the right one; tab B, earlier, had the answer shown:
    the stored record holds every try and the reveal, graded as revealed, not as right."""
    store = ProgressStore(database)
    code = progress.new_learner_code()
    question = SINGLE[0]
    right, wrong = question.answer, (question.answer + 1) % len(question.choices)
    tab_a = records.add_try(records.add_try(None, wrong, 5.0), right, 9.0)
    tab_b = records.add_reveal(None, 7.0)
    store.save(code, {"fundamentals": {question.id: tab_a}})
    store.save(code, {"fundamentals": {question.id: tab_b}})
    stored = store.load(code)["fundamentals"][question.id]
    assert records.responses(stored) == [wrong, right] and stored["revealed_at"] == 7.0
    assert records.status(question, stored) == "revealed"


def test_prediction_rounds_of_two_tabs_are_all_kept(database):
    store = ProgressStore(database)
    code = progress.new_learner_code()
    prediction = FUNDAMENTALS.predictions[0]
    guess = prediction.options[0] if prediction.kind == "choice" else 10.0
    tab_a = records.set_outcome(records.add_round(None, guess, 1.0), 1.0, guess)
    tab_b = records.add_round(None, guess, 2.0)
    store.save(code, {"fundamentals": {prediction.id: tab_a}})
    store.save(code, {"fundamentals": {prediction.id: tab_b}})
    rounds = store.load(code)["fundamentals"][prediction.id]["rounds"]
    assert [(r["at"], r["outcome"]) for r in rounds] == [(1.0, guess), (2.0, None)]


def test_concurrent_saves_from_many_threads_lose_nothing(database):
    """Eight threads on two servers save one learner's answers at once, each thread its own
    tries on shared questions: every try of every thread is stored."""
    servers = [ProgressStore(_engine(database)), ProgressStore(_engine(database))]
    code = progress.new_learner_code()
    questions = SINGLE[:3]
    barrier, errors = threading.Barrier(8), []

    def write(thread: int) -> None:
        try:
            barrier.wait(timeout=60)
            for number, question in enumerate(questions):
                at = 100.0 + thread * 10 + number  # a distinct time per try: nothing dedupes
                response = thread % len(question.choices)
                record = records.add_try(None, response, at)
                servers[thread % 2].save(code, {"fundamentals": {question.id: record}})
        except BaseException as error:  # collected, reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    stored = ProgressStore(_engine(database)).load(code)["fundamentals"]
    for question in questions:
        # each distinct response is kept once, at its first time: threads n and n+4 (and,
        # for 4 choices, every thread with the same n % 4) share one
        expected = {n % len(question.choices) for n in range(8)}
        assert set(records.responses(stored[question.id])) == expected
        first = min(entry["at"] for entry in stored[question.id]["tries"])
        assert first == 100.0 + questions.index(question)


def test_concurrent_saves_of_different_learners_from_threads_all_land(database):
    store = ProgressStore(database)
    codes = [progress.new_learner_code() for _ in range(16)]
    threads = [threading.Thread(target=store.save, args=(code, _tab(n % 3)))
               for n, code in enumerate(codes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(store.load(code) == _tab(n % 3) for n, code in enumerate(codes))


def test_replace_stores_exactly_the_given_answers(database):
    """A restored file or a reset: what was stored before is gone, not merged."""
    store = ProgressStore(database)
    code = progress.new_learner_code()
    store.save(code, records.merge_answers(_tab(0), _tab(1)))
    store.replace(code, _tab(2))
    assert store.load(code) == _tab(2)
    store.replace(code, {})
    assert store.load(code) == {}


def test_a_stored_record_of_a_removed_question_is_skipped_not_the_learner(database):
    store = ProgressStore(database)
    code = progress.new_learner_code()
    store.save(code, _tab(0))
    with store.engine.begin() as db:  # a question that a later version of the course dropped
        db.execute(text("INSERT INTO rnn_lab_answers VALUES (:c, 'fundamentals', 'gone', '{}')"),
                   {"c": code})
        db.execute(text("INSERT INTO rnn_lab_answers VALUES (:c, 'no_page', 'x', 'junk')"),
                   {"c": code})
    assert store.load(code) == _tab(0)
    assert store.save(code, _tab(1)) == records.merge_answers(_tab(0), _tab(1))


def test_eviction_forgets_the_learners_not_seen_for_longest(database):
    store = ProgressStore(database, max_learners=3)
    codes = [progress.new_learner_code() for _ in range(5)]
    for code in codes:
        store.save(code, _tab(0))
    store.save(codes[0], _tab(1))  # seen again: now the newest (evicts codes[1])
    assert [code for code in codes if store.load(code)] == [codes[0], *codes[3:]]


def test_the_generic_upsert_path_serialises_like_the_dialects_own(tmp_path, monkeypatch):
    """A database with neither SQLite's nor PostgreSQL's upsert (MySQL, say) takes the
    update-then-insert path; forced here on SQLite, it keeps both tabs' answers too."""
    from rnn_core.study import progress_store

    monkeypatch.setattr(progress_store, "_UPSERTS", {})
    store = ProgressStore(tmp_path / "p.sqlite3")
    code = progress.new_learner_code()
    store.save(code, _tab(0))
    store.save(code, _tab(1))
    assert store.load(code) == records.merge_answers(_tab(0), _tab(1))
