"""Progress files and the learner-code store: round trips, refusal of bad files, the records
of tries and reveals, their merge across sessions, and files and rows from before records."""

import json
import sqlite3
import threading

import pytest

from rnn_core.study import progress, quiz, records
from tests.conftest import ROOT

V1_FILES = ROOT / "tests" / "data"  # progress files written by version 1 (bare responses)


def _some_answers() -> progress.Answers:
    page = quiz.load_quiz("fundamentals")
    first, second = page.questions[:2]
    wrong = (first.answer + 1) % len(first.choices)
    return {"fundamentals": {
        first.id: records.add_try(records.add_try(None, wrong, 10.0), first.answer, 20.0),
        second.id: records.add_reveal(records.add_try(None, 0.5, 30.0), 31.0),
    }}


def test_file_round_trip_keeps_the_answers():
    answers = _some_answers()
    assert progress.from_json(progress.to_json(answers).encode()) == answers


def _document(**changes) -> bytes:
    document = json.loads(progress.to_json(_some_answers()))
    document.update(changes)
    return json.dumps(document).encode()


def _resigned(answers) -> bytes:
    """A forger who recomputes the checksum: only the content checks can stop them."""
    document = {"format": progress.FORMAT, "version": progress.VERSION, "answers": answers,
                "checksum": progress._checksum(answers)}
    return json.dumps(document).encode()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "not_json"),
    (b"\xff\xfe\x00binary", "not_json"),
    (b"{not json", "not_json"),
    (b"[1, 2, 3]", "wrong_format"),
    (b'{"format": "something-else"}', "wrong_format"),
    (b"x" * (progress.MAX_FILE_BYTES + 1), "too_large"),
    (b"[" * 50_000 + b"]" * 50_000, "too_large"),
    # past Python's 4,300-digit limit json.loads raises a plain ValueError (it once crashed)
    (b'{"format":"rnn-lab-progress","version":1,"answers":{"sine":{"window_count":'
     + b"9" * 5000 + b'}},"checksum":"x"}', "not_json"),
])
def test_malformed_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(data)
    assert error.value.reason == reason


def test_deeply_nested_json_is_refused_not_crashing():
    with pytest.raises(progress.ProgressError):
        progress.from_json(b"[" * 30_000 + b"]" * 30_000)


@pytest.mark.parametrize("data", [
    _document(version=99),
    _document(score=100),
    _document(checksum="0" * 64),
    _resigned({"nonexistent_page": {}}),
    _resigned({"fundamentals": {"no_such_question": 0}}),
    _resigned({"fundamentals": {quiz.load_quiz("fundamentals").questions[0].id: 999}}),
    _resigned({"fundamentals": []}),
    _resigned([]),
    _resigned({"fundamentals": {"hidden_state_memory": {"tries": [], "revealed_at": None,
                                                        "score": 1}}}),
    _resigned({"fundamentals": {"hidden_state_memory": {
        "tries": [{"response": 2, "at": float("1e300")}], "revealed_at": None}}}),
    _resigned({"fundamentals": {"hidden_state_memory": {
        "tries": [{"response": 9, "at": 1.0}], "revealed_at": None}}}),
    _resigned({"fundamentals": {"hidden_state_memory": {
        "tries": [{"response": i % 4, "at": float(i)} for i in range(20)], "revealed_at": None}}}),
    _resigned({"fundamentals": {"predict_total_params": {"rounds": [
        {"guess": "many", "outcome": None, "at": 1.0}]}}}),
])
def test_edited_or_forged_files_are_refused(data):
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(data)
    assert error.value.reason in {"forged", "wrong_version"}


def test_store_keeps_answers_per_learner_and_survives_a_new_instance(tmp_path):
    path = tmp_path / "progress.sqlite3"
    code = progress.new_learner_code()
    progress.ProgressStore(path).save(code, _some_answers())
    reopened = progress.ProgressStore(path)
    assert reopened.load(code) == _some_answers()
    assert reopened.load(progress.new_learner_code()) == {}
    assert reopened.load("../../etc/passwd") == {}


def test_store_is_safe_from_many_threads(tmp_path):
    store = progress.ProgressStore(tmp_path / "p.sqlite3")
    codes = [progress.new_learner_code() for _ in range(16)]
    threads = [threading.Thread(target=store.save, args=(code, _some_answers())) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(store.load(code) == _some_answers() for code in codes)


def test_store_evicts_the_oldest_learners_beyond_its_bound(tmp_path):
    store = progress.ProgressStore(tmp_path / "p.sqlite3", max_learners=3)
    codes = [progress.new_learner_code() for _ in range(5)]
    for code in codes:
        store.save(code, _some_answers())
    kept = [code for code in codes if store.load(code)]
    assert kept == codes[-3:]


BAD_CODES = ["", "short", "a" * 33, "has space in it", "../../../etc", None, 5]


@pytest.mark.parametrize("code", BAD_CODES)
def test_malformed_learner_codes_are_never_stored(code, tmp_path):
    assert not progress.is_learner_code(code)
    with pytest.raises(ValueError):
        progress.ProgressStore(tmp_path / "p.sqlite3").save(code, {})


# ---------------------------------------------------------------- records
def _question(page: str, question_id: str) -> quiz.Question:
    return quiz.load_quiz(page).question(question_id)


def test_status_is_graded_again_from_the_tries():
    question = _question("fundamentals", "hidden_state_memory")
    wrong = (question.answer + 1) % 4
    first_try = records.add_try(None, question.answer, 1.0)
    retried = records.add_try(records.add_try(None, wrong, 1.0), question.answer, 2.0)
    trying = records.add_try(None, wrong, 1.0)
    assert records.status(question, None) == "unanswered"
    assert records.status(question, first_try) == "first_try"
    assert records.status(question, retried) == "after_retries"
    assert records.status(question, trying) == "trying"


def test_a_revealed_answer_is_not_counted_as_correct_even_when_answered_after():
    question = _question("fundamentals", "hidden_state_memory")
    wrong = (question.answer + 1) % 4
    record = records.add_reveal(records.add_try(None, wrong, 1.0), 2.0)
    record = records.add_try(record, question.answer, 3.0)  # what a learner may still check
    assert records.status(question, record) == "revealed"
    assert records.is_settled(question, record)
    score = records.score(quiz.load_quiz("fundamentals"), {question.id: record})
    assert (score.correct, score.revealed, score.answered) == (0, 1, 1)


def test_repeating_a_response_adds_no_try():
    record = records.add_try(records.add_try(None, 2, 1.0), 2, 5.0)
    assert records.responses(record) == [2] and record["tries"][0]["at"] == 1.0


def test_file_round_trip_keeps_the_records():
    answers = _some_answers()
    loaded = progress.from_json(progress.to_json(answers))
    assert loaded == answers
    page = quiz.load_quiz("fundamentals")
    score = records.score(page, loaded["fundamentals"])
    assert (score.first_try, score.after_retries, score.revealed) == (0, 1, 1)


@pytest.mark.parametrize("name", ["right", "wrong"])
def test_a_version_1_file_loads_with_every_answer_regraded_as_before(name):
    """Files from before records (and before the choices were reordered for balance) keep
    their meaning: a right answer stays right, a wrong one stays wrong."""
    document = json.loads((V1_FILES / f"progress_v1_{name}.json").read_text())
    assert document["version"] == 1
    answers = progress.from_json(json.dumps(document))
    regraded = 0
    for page, responses in document["answers"].items():
        page_quiz = quiz.load_quiz(page)
        for question_id in responses:
            status = records.status(page_quiz.question(question_id), answers[page][question_id])
            assert status == ("first_try" if name == "right" else "trying"), question_id
            regraded += 1
    assert regraded == 41


def test_a_version_1_file_with_a_bad_checksum_is_refused():
    document = json.loads((V1_FILES / "progress_v1_right.json").read_text())
    document["answers"]["sine"]["window_count"] = 41.0
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(json.dumps(document))
    assert error.value.reason == "forged"


def test_a_stored_row_from_before_records_loads_and_is_regraded(tmp_path):
    path, code = tmp_path / "p.sqlite3", progress.new_learner_code()
    legacy = json.loads((V1_FILES / "progress_v1_right.json").read_text())["answers"]
    with sqlite3.connect(path) as db:  # what the version-1 app wrote: one row per learner
        db.execute("CREATE TABLE progress "
                   "(code TEXT PRIMARY KEY, answers TEXT NOT NULL, updated REAL NOT NULL)")
        db.execute("INSERT INTO progress VALUES (?, ?, ?)", (code, json.dumps(legacy), 1.0))
    loaded = progress.ProgressStore(path).load(code)  # carried over to rows per answer
    assert sum(len(page) for page in loaded.values()) == 41
    for page, page_records in loaded.items():
        assert records.score(quiz.load_quiz(page), page_records).first_try == len(page_records)


# ---------------------------------------------------------------- version 2 (since reordered)
def _v2_document(name: str) -> dict:
    return json.loads((V1_FILES / f"progress_v2_{name}.json").read_text())


def test_some_questions_were_reordered_since_version_2():
    """Otherwise the version-2 tests below would pass with any v2_order at all."""
    moved = [q for page in quiz.available_quizzes() for q in quiz.load_quiz(page).questions
             if q.v2_order and list(q.v2_order) != sorted(q.v2_order)]
    assert len(moved) >= 2


@pytest.mark.parametrize("name", ["right", "wrong"])
def test_a_version_2_file_loads_with_every_answer_regraded_as_before(name):
    """A version-2 file (records, in the choice order before keys were moved for balance): a
    right answer stays right and a wrong one wrong, the reordered questions' included."""
    document = _v2_document(name)
    assert document["version"] == 2
    answers = progress.from_json(json.dumps(document))
    regraded = 0
    for page, page_records in document["answers"].items():
        page_quiz = quiz.load_quiz(page)
        for question_id in page_records:
            status = records.status(page_quiz.question(question_id), answers[page][question_id])
            assert status == ("first_try" if name == "right" else "trying"), question_id
            regraded += 1
    assert regraded == 63


def test_a_version_2_file_signed_by_this_server_still_verifies():
    """Its signature covers the indices as the file stores them, under version 2."""
    document = _v2_document("right")
    document["signature"] = progress.signature(document["answers"], "s3cret", version=2)
    data = json.dumps(document)
    assert progress.read_file(data).verification("s3cret") == "verified"
    assert progress.from_json(data, secret="s3cret")  # not refused as unsigned
    document["answers"]["sentiment"]["validation_vs_test"]["tries"][0]["response"] = 0
    document["checksum"] = progress._checksum(document["answers"])
    assert progress.read_file(json.dumps(document)).verification("s3cret") == "forged"


def test_stored_rows_of_version_2_are_mapped_to_todays_order_once(tmp_path):
    """Rows written before the reorder are mapped when a store opens, and never again."""
    path, code = tmp_path / "p.sqlite3", progress.new_learner_code()
    progress.ProgressStore(path)  # today's tables
    v2_answers = _v2_document("right")["answers"]
    with sqlite3.connect(path) as db:  # as a store of before wrote them, without the marker
        db.execute("DELETE FROM rnn_lab_choice_orders")
        db.execute("INSERT INTO rnn_lab_learners VALUES (?, ?)", (code, 1.0))
        db.executemany("INSERT INTO rnn_lab_answers VALUES (?, ?, ?, ?)", [
            (code, page, item, json.dumps(record))
            for page, page_records in v2_answers.items() for item, record in page_records.items()])
    for _ in range(2):  # a second opening (a restart, another server) maps nothing again
        loaded = progress.ProgressStore(path).load(code)
        for page, page_records in loaded.items():
            score = records.score(quiz.load_quiz(page), page_records)
            assert score.first_try == len(page_records), page


# ---------------------------------------------------------------- merging two sessions
def _try(response, at):
    return {"response": response, "at": at}


def test_merge_records_joins_two_sessions_in_time_order():
    question = _question("fundamentals", "hidden_state_memory")
    right, wrong = question.answer, (question.answer + 1) % 4
    tab_a = {"tries": [_try(wrong, 5.0), _try(right, 9.0)], "revealed_at": None}
    tab_b = {"tries": [_try(right, 2.0)], "revealed_at": None}  # right at the very first try
    before = json.dumps([tab_a, tab_b])
    merged = records.merge_records(tab_a, tab_b)
    assert merged == records.merge_records(tab_b, tab_a)  # the order of the tabs is irrelevant
    assert json.dumps([tab_a, tab_b]) == before  # pure: neither input changed
    assert records.responses(merged) == [right, wrong]  # each response once, at its first time
    assert records.status(question, merged) == "first_try"


def test_merge_records_keeps_the_earlier_reveal_and_counts_it():
    question = _question("fundamentals", "hidden_state_memory")
    right, wrong = question.answer, (question.answer + 1) % 4
    tab_a = {"tries": [_try(wrong, 1.0), _try(right, 6.0)], "revealed_at": None}
    tab_b = {"tries": [], "revealed_at": 4.0}  # the other tab showed the answer in between
    merged = records.merge_records(tab_a, tab_b)
    assert merged["revealed_at"] == 4.0
    assert records.status(question, merged) == "revealed"


def test_merge_records_of_predictions_keeps_every_round_and_the_known_outcome():
    a = {"rounds": [{"guess": "larger", "outcome": None, "at": 1.0}]}
    b = {"rounds": [{"guess": "larger", "outcome": "larger", "at": 1.0},
                    {"guess": "smaller", "outcome": "larger", "at": 7.0}]}
    merged = records.merge_records(a, b)
    assert merged == records.merge_records(b, a)
    assert merged["rounds"] == b["rounds"]
    prediction = quiz.load_quiz("sine").prediction("predict_closed_loop")
    assert records.prediction_tally(prediction, merged) == (2, 1)


def test_merge_answers_keeps_every_page_and_question_of_either_session():
    answers = _some_answers()
    other = {"sine": {"window_count": records.add_try(None, 40.0, 50.0)}}
    merged = records.merge_answers(answers, other)
    assert set(merged) == {"fundamentals", "sine"}
    assert merged["fundamentals"] == answers["fundamentals"]
    assert records.merge_answers(merged, merged) == merged  # merging is idempotent
    assert progress.merge_answers is records.merge_answers  # the store's import path
    assert progress.from_json(progress.to_json(merged)) == merged


def test_the_fullest_possible_progress_file_fits_the_upload_limit():
    """Every question with every try it can keep and a reveal, every prediction with every round."""
    answers: progress.Answers = {}
    for page in quiz.available_quizzes():
        page_quiz = quiz.load_quiz(page)
        answers[page] = {}
        for question in page_quiz.questions:
            record = None
            for number in range(records.MAX_TRIES):
                response = ([number % len(question.choices)] if question.kind == "multiple"
                            else number % len(question.choices) if question.kind == "single"
                            else 1_234_567.125 + number)
                record = records.add_try(record, response, 1_796_168_118.678 + number)
            answers[page][question.id] = records.add_reveal(record, 1_796_168_200.5)
        for prediction in page_quiz.predictions:
            record = None
            guess = prediction.options[0] if prediction.kind == "choice" else 123_456.0
            for number in range(records.MAX_ROUNDS):
                at = 1_796_168_118.678 + number
                record = records.set_outcome(records.add_round(record, guess, at), at, guess)
            answers[page][prediction.id] = record
    document = progress.to_json(answers).encode()
    assert len(document) <= progress.MAX_FILE_BYTES
    assert progress.from_json(document) == answers
